#!/usr/bin/env python3
"""Golden arrays for tests/test_reference.c, computed with SciPy and NumPy.

Run from this folder, with numpy and scipy installed:

    python3 make_golden.py > golden_data.h

The output is committed; the tests never need Python. Every input is a small
fixed array of multiples of 1/2 (images) and 1/4 (kernels), so every result
is exact in double precision and prints without rounding.

What is covered, each against the contract of DESIGN.md ("Semantics"):
  - scipy.signal.convolve2d / correlate2d, full/same/valid, boundary fill
    (fillvalue 0 and 1.5), symm (= reflect) and wrap, on an odd (3x3), an
    even (4x4) and a non-square (3 wide, 2 tall) kernel, plus a 5x5 kernel
    on a 3x2 image (the border repeats over several periods);
  - scipy.ndimage.convolve with nearest/mirror/reflect/wrap/constant
    (cval 2.5) on odd kernels, also larger than the image, and
    scipy.ndimage.correlate / convolve with an even kernel, which match an
    explicit anchor (kw/2, kh/2);
  - numpy.convolve 1-D full/same/valid for kernels of 1 to 5 taps;
  - strided outputs: a dense SciPy result sliced [::sy, ::sx].
"""
import sys

import numpy as np
import scipy
import scipy.ndimage as ndimage
import scipy.signal as signal

rng = np.random.default_rng(20240611)


def halves(shape):
    return rng.integers(-9, 10, shape) * 0.5


def quarters(shape):
    return rng.integers(-4, 5, shape) * 0.25


IMAGES = {"img_5x4": halves((4, 5)), "img_3x2": halves((2, 3)), "sig_9": halves((1, 9))}
KERNELS = {
    "k_3x3": quarters((3, 3)),
    "k_4x4": quarters((4, 4)),
    "k_3x2": quarters((2, 3)),
    "k_5x5": quarters((5, 5)),
    "k_3x5": quarters((5, 3)),
}
for taps in range(1, 6):
    KERNELS["k1d_%d" % taps] = quarters((1, taps))

MODES = {"full": "TESSEL_MODE_FULL", "same": "TESSEL_MODE_SAME", "valid": "TESSEL_MODE_VALID"}
SIGNAL_BORDERS = {"fill": "TESSEL_BORDER_CONSTANT", "symm": "TESSEL_BORDER_REFLECT",
                  "wrap": "TESSEL_BORDER_WRAP"}
NDIMAGE_BORDERS = {"nearest": "TESSEL_BORDER_NEAREST", "mirror": "TESSEL_BORDER_MIRROR",
                   "reflect": "TESSEL_BORDER_REFLECT", "wrap": "TESSEL_BORDER_WRAP",
                   "constant": "TESSEL_BORDER_CONSTANT"}

cases = []


def add(call, image, kernel, result, mode, border, cval=0.0, correlate=0, stride=(1, 1),
        anchor=None, numpy_1d=0):
    options = {"mode": MODES[mode], "border": border, "cval": cval, "correlate": correlate,
               "stride_x": stride[1], "stride_y": stride[0]}
    if anchor:
        options.update(anchor_set=1, anchor_y=anchor[0], anchor_x=anchor[1])
    cases.append(dict(call=call, image=image, kernel=kernel, result=np.atleast_2d(result),
                      options=options, numpy_1d=numpy_1d))


def signal_call(fn, corr, iname, kname, mode, boundary, fill=0.0):
    r = fn(IMAGES[iname], KERNELS[kname], mode, boundary, fill)
    call = "signal.%s(%s, %s, '%s', '%s', %g)" % (fn.__name__, iname, kname, mode, boundary, fill)
    add(call, iname, kname, r, mode, SIGNAL_BORDERS[boundary], fill, corr)


def signal_cases():
    conv, corr = (signal.convolve2d, 0), (signal.correlate2d, 1)
    for kname in ("k_3x3", "k_4x4", "k_3x2"):
        for fn in (conv, corr):
            for mode, boundary in (("full", "fill"), ("same", "symm"), ("same", "wrap"),
                                   ("valid", "fill")):
                signal_call(*fn, "img_5x4", kname, mode, boundary)
        signal_call(*conv, "img_5x4", kname, "full", "symm")
        signal_call(*conv, "img_5x4", kname, "full", "wrap")
        signal_call(*corr, "img_5x4", kname, "same", "fill", 1.5)
    # A kernel larger than the image: the border repeats over several periods.
    signal_call(*conv, "img_3x2", "k_5x5", "full", "symm")
    signal_call(*corr, "img_3x2", "k_5x5", "same", "wrap")


def ndimage_call(fn, corr, iname, kname, nd_mode, anchor=None):
    r = fn(IMAGES[iname], KERNELS[kname], mode=nd_mode, cval=2.5)
    call = "ndimage.%s(%s, %s, mode='%s', cval=2.5)" % (fn.__name__, iname, kname, nd_mode)
    if anchor:
        call += " = anchor (%d,%d)" % anchor
    add(call, iname, kname, r, "same", NDIMAGE_BORDERS[nd_mode],
        2.5 if nd_mode == "constant" else 0.0, corr, anchor=anchor)


def ndimage_cases():
    conv, corr = (ndimage.convolve, 0), (ndimage.correlate, 1)
    for nd_mode in NDIMAGE_BORDERS:
        ndimage_call(*conv, "img_5x4", "k_3x3", nd_mode)
    ndimage_call(*conv, "img_5x4", "k_3x5", "mirror")
    ndimage_call(*conv, "img_5x4", "k_3x5", "constant")
    ndimage_call(*conv, "img_3x2", "k_5x5", "mirror")
    ndimage_call(*conv, "img_3x2", "k_5x5", "reflect")
    # Even kernels: ndimage centres them one element later, i.e. anchor k/2.
    ndimage_call(*conv, "img_5x4", "k_4x4", "mirror", anchor=(2, 2))
    ndimage_call(*corr, "img_5x4", "k_4x4", "nearest", anchor=(2, 2))


def numpy_cases():
    for taps in range(1, 6):
        kname = "k1d_%d" % taps
        for mode in MODES:
            r = np.convolve(IMAGES["sig_9"][0], KERNELS[kname][0], mode)
            call = "numpy.convolve(sig_9, %s, '%s')" % (kname, mode)
            add(call, "sig_9", kname, r, mode, "TESSEL_BORDER_CONSTANT", numpy_1d=1)


def strided_cases():
    dense = signal.convolve2d(IMAGES["img_5x4"], KERNELS["k_3x3"], "same", "symm")
    add("signal.convolve2d(img_5x4, k_3x3, 'same', 'symm')[::2, ::3]", "img_5x4", "k_3x3",
        dense[::2, ::3], "same", "TESSEL_BORDER_REFLECT", stride=(2, 3))
    dense = signal.correlate2d(IMAGES["img_5x4"], KERNELS["k_4x4"], "full", "wrap")
    add("signal.correlate2d(img_5x4, k_4x4, 'full', 'wrap')[::3, ::2]", "img_5x4", "k_4x4",
        dense[::3, ::2], "full", "TESSEL_BORDER_WRAP", correlate=1, stride=(3, 2))


def c_array(name, values):
    items = ["%.17g" % v for v in np.ravel(values)]  # shortest exact form of these values
    lines, line = [], "   "
    for item in items:
        if len(line) + len(item) + 2 > 99:
            lines.append(line)
            line = "   "
        line += " " + item + ","
    lines.append(line)
    return "static const double %s[%d] = {\n%s\n};\n" % (name, len(items), "\n".join(lines))


def c_options(o):
    defaults = {"cval": 0.0, "correlate": 0, "stride_x": 1, "stride_y": 1}
    fields = ", ".join(".%s = %s" % (k, repr(v) if isinstance(v, float) else v)
                       for k, v in o.items() if defaults.get(k, None) != v)
    return "{%s}" % fields


def emit(out):
    out.write("/* Generated by tests/golden/make_golden.py with numpy %s and scipy %s:\n"
              " *   python3 make_golden.py > golden_data.h\n"
              " * Do not edit; change the script and run it again. */\n"
              % (np.__version__, scipy.__version__))
    out.write("#ifndef TESSEL_TESTS_GOLDEN_DATA_H\n#define TESSEL_TESTS_GOLDEN_DATA_H\n\n")
    out.write('#include "tessel/tessel.h"\n\n')
    out.write("typedef struct golden_case {\n"
              "    const char *call;          /* the SciPy/NumPy call that made expected */\n"
              "    int w, h;                  /* image size */\n"
              "    const double *image;       /* h*w, one channel */\n"
              "    int kw, kh;                /* kernel size */\n"
              "    const double *kernel;      /* kh*kw, row-major */\n"
              "    tessel_conv_options options;\n"
              "    int numpy_1d;              /* 1: numpy.convolve (a 1-D signal, cval 0) */\n"
              "    int ow, oh;                /* output size */\n"
              "    const double *expected;    /* oh*ow */\n"
              "} golden_case;\n\n")
    for name, a in {**IMAGES, **KERNELS}.items():
        out.write(c_array("golden_" + name, a))
    for n, c in enumerate(cases):
        out.write(c_array("golden_out_%d" % n, c["result"]))
    out.write("\nstatic const golden_case golden_cases[] = {\n")
    for n, c in enumerate(cases):
        img, ker, res = IMAGES[c["image"]], KERNELS[c["kernel"]], c["result"]
        out.write("    {\"%s\",\n     %d, %d, golden_%s, %d, %d, golden_%s, %s, %d, %d, %d, golden_out_%d},\n"
                  % (c["call"], img.shape[1], img.shape[0], c["image"], ker.shape[1],
                     ker.shape[0], c["kernel"], c_options(c["options"]), c["numpy_1d"],
                     res.shape[1], res.shape[0], n))
    out.write("};\n\n#define GOLDEN_CASE_COUNT ((int)(sizeof golden_cases / sizeof golden_cases[0]))\n")
    out.write("\n#endif\n")


signal_cases()
ndimage_cases()
numpy_cases()
strided_cases()
emit(sys.stdout)
