/* Alpha handling for grey+alpha (2) and RGBA (4) images: by default the
 * colour channels are filtered and the alpha channel is carried through
 * unfiltered. Colour goes to a packed buffer of channels-1 samples per
 * pixel, alpha to a plane of its own; after filtering they are interleaved
 * again.
 *
 * "Unfiltered" must still follow the output geometry (full or valid mode,
 * stride, anchor): the alpha plane goes through the same convolution with an
 * impulse kernel of the kernel's size, its 1 on the tap that lines up with
 * the output sample, so each output alpha is the input alpha under that tap
 * (outside the image: the border rule; constant means transparent). */
#ifndef TESSEL_CLI_ALPHA_H
#define TESSEL_CLI_ALPHA_H

#include "tessel/tessel.h"

/* 1 when an image with `channels` channels has an alpha channel. */
int alpha_present(int channels);

/* Copies src's first channels-1 channels into colour (packed, channels-1
 * channels) and its last channel into alpha (packed, 1 channel). Both have
 * src's size and dtype. */
void alpha_split(const tessel_image *src, tessel_image *colour, tessel_image *alpha);

/* Interleaves colour (c channels) and alpha (1 channel) into dst (c+1
 * channels, packed); all three share size and dtype. */
void alpha_merge(const tessel_image *colour, const tessel_image *alpha, tessel_image *dst);

/* The impulse kernel of a kw x kh kernel's geometry under `conv` (its anchor
 * if set, else ((kw-1)/2, (kh-1)/2)), and the options that carry alpha
 * through: the geometry of `conv` without scale, offset, absolute value or
 * cval, method auto. */
tessel_status alpha_passthrough(int kw, int kh, const tessel_conv_options *conv,
                                tessel_kernel **kernel, tessel_conv_options *alpha_conv);

#endif
