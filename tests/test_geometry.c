/* Geometry: output sizes for every mode x stride (kernels larger than the
 * image, 1x1 images, even kernels) and the border index maps against the
 * pictures of DESIGN.md, at any distance on both sides. */
#include <stdio.h>
#include <stdlib.h>

#include "core/geometry.h"
#include "reference.h"
#include "test_util.h"

static int failures, checks;

#define CHECK(cond, ...)                 \
    do {                                 \
        ++checks;                        \
        if (!(cond)) {                   \
            ++failures;                  \
            printf("FAIL: " __VA_ARGS__); \
            printf("\n");                \
        }                                \
    } while (0)

static tessel_kernel *random_kernel(tu_rng *rng, int kw, int kh)
{
    float *c = tu_xmalloc((size_t)kw * kh * sizeof *c);
    tu_rng_floats(rng, c, (size_t)kw * kh, -1.0, 1.0);
    tessel_kernel *k = NULL;
    tessel_status s = tessel_kernel_create(kw, kh, c, &k);
    free(c);
    if (s != TESSEL_OK) {
        printf("cannot create a %dx%d kernel: %s\n", kw, kh, tessel_last_error());
        exit(1);
    }
    return k;
}

/* ------------------------------------------------------------ output sizes */

typedef struct size_case {
    int w, h, kw, kh;
    tessel_mode mode;
    int sx, sy;
    int ow, oh;              /* expected, worked out by hand */
    tessel_status status;    /* expected */
} size_case;

static const size_case SIZE_CASES[] = {
    {5, 4, 3, 3, TESSEL_MODE_SAME, 1, 1, 5, 4, TESSEL_OK},
    {5, 4, 3, 3, TESSEL_MODE_FULL, 1, 1, 7, 6, TESSEL_OK},
    {5, 4, 3, 3, TESSEL_MODE_VALID, 1, 1, 3, 2, TESSEL_OK},
    {5, 4, 4, 2, TESSEL_MODE_FULL, 1, 1, 8, 5, TESSEL_OK},       /* even, non-square */
    {5, 4, 4, 2, TESSEL_MODE_VALID, 1, 1, 2, 3, TESSEL_OK},
    {5, 4, 3, 3, TESSEL_MODE_SAME, 2, 1, 3, 4, TESSEL_OK},       /* ceil(5/2) */
    {5, 4, 3, 3, TESSEL_MODE_SAME, 1, 3, 5, 2, TESSEL_OK},       /* ceil(4/3) */
    {5, 4, 3, 3, TESSEL_MODE_FULL, 3, 2, 3, 3, TESSEL_OK},       /* 7/3 -> 3, 6/2 -> 3 */
    {5, 4, 3, 3, TESSEL_MODE_VALID, 3, 2, 1, 1, TESSEL_OK},
    {5, 4, 3, 3, TESSEL_MODE_SAME, 0, 0, 5, 4, TESSEL_OK},       /* stride 0 = 1 */
    {1, 1, 1, 1, TESSEL_MODE_SAME, 1, 1, 1, 1, TESSEL_OK},
    {1, 1, 1, 1, TESSEL_MODE_VALID, 1, 1, 1, 1, TESSEL_OK},
    {1, 1, 3, 3, TESSEL_MODE_SAME, 1, 1, 1, 1, TESSEL_OK},       /* kernel > image */
    {1, 1, 3, 3, TESSEL_MODE_FULL, 1, 1, 3, 3, TESSEL_OK},
    {1, 1, 4, 2, TESSEL_MODE_FULL, 2, 5, 2, 1, TESSEL_OK},
    {1, 1, 2, 1, TESSEL_MODE_VALID, 1, 1, 0, 0, TESSEL_ERR_KERNEL_TOO_LARGE},
    {3, 2, 9, 9, TESSEL_MODE_SAME, 1, 1, 3, 2, TESSEL_OK},
    {3, 2, 9, 9, TESSEL_MODE_FULL, 4, 4, 3, 3, TESSEL_OK},       /* 11/4 -> 3, 10/4 -> 3 */
    {3, 2, 9, 9, TESSEL_MODE_VALID, 1, 1, 0, 0, TESSEL_ERR_KERNEL_TOO_LARGE},
    {3, 4, 3, 5, TESSEL_MODE_VALID, 1, 1, 0, 0, TESSEL_ERR_KERNEL_TOO_LARGE}, /* too tall only */
    {4, 4, 4, 4, TESSEL_MODE_VALID, 2, 2, 1, 1, TESSEL_OK},      /* kernel == image */
    {131, 9, 7, 7, TESSEL_MODE_VALID, 64, 1, 2, 3, TESSEL_OK},   /* 125/64 -> 2 */
};

static void check_size_case(tu_rng *rng, const size_case *c)
{
    tessel_kernel *k = random_kernel(rng, c->kw, c->kh);
    tessel_conv_options o = {0};
    o.mode = c->mode;
    o.stride_x = c->sx;
    o.stride_y = c->sy;
    int ow = -1, oh = -1;
    tessel_status s = tessel_conv_output_size(c->w, c->h, k, &o, &ow, &oh);
    CHECK(s == c->status, "%dx%d image, %dx%d kernel, %s, stride %dx%d: status %s, expected %s",
          c->w, c->h, c->kw, c->kh, tessel_mode_name(c->mode), c->sx, c->sy,
          tessel_status_string(s), tessel_status_string(c->status));
    if (s == TESSEL_OK && c->status == TESSEL_OK)
        CHECK(ow == c->ow && oh == c->oh, "%dx%d image, %dx%d kernel, %s, stride %dx%d: %dx%d, "
              "expected %dx%d", c->w, c->h, c->kw, c->kh, tessel_mode_name(c->mode), c->sx,
              c->sy, ow, oh, c->ow, c->oh);
    tessel_kernel_destroy(k);
}

/* One size case against the reference; an explicit same-mode anchor must not
 * change the size. */
static void check_size_against_reference(const tessel_kernel *k, int w, int h,
                                         const tessel_conv_options *o)
{
    int kw = tessel_kernel_width(k), kh = tessel_kernel_height(k);
    int ow = -1, oh = -1, rw = -1, rh = -1;
    tessel_status s = tessel_conv_output_size(w, h, k, o, &ow, &oh);
    int r = ref_output_size(w, h, kw, kh, o, &rw, &rh);
    tessel_status want = r == 0 ? TESSEL_OK : TESSEL_ERR_KERNEL_TOO_LARGE;
    CHECK(s == want && (r != 0 || (ow == rw && oh == rh)),
          "%dx%d image, %dx%d kernel, %s, stride %dx%d, anchor %s: %s %dx%d, reference %s %dx%d",
          w, h, kw, kh, tessel_mode_name(o->mode), o->stride_x, o->stride_y,
          o->anchor_set ? "set" : "default", tessel_status_string(s), ow, oh,
          tessel_status_string(want), rw, rh);
}

static void check_size_matrix(tu_rng *rng)
{
    static const int sides[] = {1, 2, 3, 4, 7, 13};
    static const int ksides[] = {1, 2, 3, 4, 5, 8, 15};
    static const int strides[] = {1, 2, 3, 5};
    const int ns = 6, nk = 7, nst = 4;
    for (int a = 0; a < nk; ++a) {
        for (int b = 0; b < nk; ++b) {
            tessel_kernel *k = random_kernel(rng, ksides[a], ksides[b]);
            for (int i = 0; i < ns * ns; ++i)
                for (int m = 0; m <= TESSEL_MODE_VALID; ++m)
                    for (int t = 0; t < nst * nst; ++t) {
                        tessel_conv_options o = {0};
                        o.mode = (tessel_mode)m;
                        o.stride_x = strides[t % nst];
                        o.stride_y = strides[t / nst];
                        check_size_against_reference(k, sides[i % ns], sides[i / ns], &o);
                        if (m != TESSEL_MODE_SAME) continue;
                        o.anchor_set = 1;
                        o.anchor_x = ksides[a] - 1;
                        o.anchor_y = 0;
                        check_size_against_reference(k, sides[i % ns], sides[i / ns], &o);
                    }
            tessel_kernel_destroy(k);
        }
    }
}

/* ---------------------------------------------------------- border indices */

/* The pictures of DESIGN.md for a b c d (n = 4): three samples each side,
 * 'v' = cval (index -1). */
typedef struct picture {
    tessel_border border;
    const char *left, *right; /* positions -3..-1 and 4..6 */
} picture;

static const picture PICTURES[] = {
    {TESSEL_BORDER_CONSTANT, "vvv", "vvv"}, {TESSEL_BORDER_NEAREST, "aaa", "ddd"},
    {TESSEL_BORDER_REFLECT, "cba", "dcb"},  {TESSEL_BORDER_MIRROR, "dcb", "cba"},
    {TESSEL_BORDER_WRAP, "bcd", "abc"},
};

static int letter_index(char c)
{
    return c == 'v' ? -1 : c - 'a';
}

static void check_pictures(void)
{
    for (size_t i = 0; i < sizeof PICTURES / sizeof PICTURES[0]; ++i) {
        const picture *pic = &PICTURES[i];
        for (int d = 0; d < 3; ++d) {
            int left = tessel_border_index(pic->border, d - 3, 4);
            int right = tessel_border_index(pic->border, 4 + d, 4);
            CHECK(left == letter_index(pic->left[d]) && right == letter_index(pic->right[d]),
                  "%s picture at %d / %d: got %d / %d, expected '%c' / '%c'",
                  tessel_border_name(pic->border), d - 3, 4 + d, left, right, pic->left[d],
                  pic->right[d]);
        }
    }
}

/* One period of each periodic rule, starting at position 0, for n = 1, 2, 4. */
typedef struct period {
    tessel_border border;
    int n;
    const char *letters;
} period;

static const period PERIODS[] = {
    {TESSEL_BORDER_REFLECT, 1, "aa"},  {TESSEL_BORDER_REFLECT, 2, "abba"},
    {TESSEL_BORDER_REFLECT, 4, "abcddcba"},
    {TESSEL_BORDER_MIRROR, 1, "a"},    {TESSEL_BORDER_MIRROR, 2, "ab"},
    {TESSEL_BORDER_MIRROR, 4, "abcdcb"},
    {TESSEL_BORDER_WRAP, 1, "a"},      {TESSEL_BORDER_WRAP, 2, "ab"},
    {TESSEL_BORDER_WRAP, 4, "abcd"},
};

static long long floor_mod(long long a, long long m)
{
    long long r = a % m;
    return r < 0 ? r + m : r;
}

static void check_position(tessel_border b, long long p, int n, int want)
{
    int got = tessel_border_index(b, p, n);
    CHECK(got == want, "%s, n = %d, position %lld: index %d, expected %d", tessel_border_name(b),
          n, p, got, want);
}

static void check_periods(void)
{
    static const long long far[] = {1000000007LL, -1000000007LL, 4000000000000LL,
                                    -4000000000001LL};
    for (size_t i = 0; i < sizeof PERIODS / sizeof PERIODS[0]; ++i) {
        const period *q = &PERIODS[i];
        long long len = 0;
        while (q->letters[len]) ++len;
        for (long long p = -6 * len - 3; p <= q->n + 6 * len + 3; ++p)
            check_position(q->border, p, q->n, letter_index(q->letters[floor_mod(p, len)]));
        for (size_t f = 0; f < sizeof far / sizeof far[0]; ++f)
            check_position(q->border, far[f], q->n,
                           letter_index(q->letters[floor_mod(far[f], len)]));
    }
}

/* Nearest and constant at any distance: first/last sample, or -1. */
static void check_clamps(void)
{
    static const int ns[] = {1, 2, 4};
    for (int i = 0; i < 3; ++i) {
        int n = ns[i];
        for (long long p = -40; p < n + 40; ++p) {
            int inside = p >= 0 && p < n;
            check_position(TESSEL_BORDER_NEAREST, p, n, inside ? (int)p : p < 0 ? 0 : n - 1);
            check_position(TESSEL_BORDER_CONSTANT, p, n, inside ? (int)p : -1);
        }
        check_position(TESSEL_BORDER_NEAREST, -4000000000000LL, n, 0);
        check_position(TESSEL_BORDER_NEAREST, 4000000000000LL, n, n - 1);
        check_position(TESSEL_BORDER_CONSTANT, 4000000000000LL, n, -1);
    }
}

/* Library and reference agree for every rule, many sizes, far out. */
static void check_against_reference(void)
{
    for (int b = TESSEL_BORDER_REFLECT; b <= TESSEL_BORDER_WRAP; ++b)
        for (int n = 1; n <= 9; ++n)
            for (long long p = -5 * n - 7; p < 6 * n + 7; ++p)
                check_position((tessel_border)b, p, n,
                               (int)ref_border_index((tessel_border)b, p, n));
}

int main(void)
{
    tu_rng rng;
    tu_rng_seed(&rng, 7);
    for (size_t i = 0; i < sizeof SIZE_CASES / sizeof SIZE_CASES[0]; ++i)
        check_size_case(&rng, &SIZE_CASES[i]);
    check_size_matrix(&rng);
    check_pictures();
    check_periods();
    check_clamps();
    check_against_reference();
    printf("test_geometry: %d checks, %d failures\n", checks, failures);
    return failures ? 1 : 0;
}
