#!/usr/bin/env python3
"""Golden score maps for tests/test_match.c, computed with OpenCV's
matchTemplate(TM_CCOEFF_NORMED).

Run from this folder, with numpy and opencv-python(-headless) installed:

    python3 make_match_golden.py

It writes, for each case NAME, match_NAME_image.npy, match_NAME_templ.npy
and match_NAME_scores.npy (float32, OpenCV's result). The files are
committed; the tests never need Python.

The cases are what OpenCV accepts (u8 and f32, 1 and 3 channels; it has no
u16 matching) with templates small (the numerator is direct) and large
(tessel runs it in the frequency domain): smooth random pictures with noise,
the template cut from the picture (so one score is near 1) and then
disturbed, plus a constant block in the u8 picture larger than the
template, whose windows OpenCV scores 0 as tessel does. Templates are never
constant: OpenCV scores those 1 everywhere, tessel 0.
"""
import cv2
import numpy as np

rng = np.random.default_rng(20240612)


def smooth_picture(h, w, c):
    """Values in [0, 1): a few broad blobs plus fine noise."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    out = np.zeros((h, w, c))
    for ch in range(c):
        for _ in range(4):
            cy, cx = rng.uniform(0, h), rng.uniform(0, w)
            s = rng.uniform(3, 9)
            out[..., ch] += rng.uniform(-1, 1) * np.exp(-((y - cy) ** 2 + (x - cx) ** 2) / (2 * s * s))
        out[..., ch] += 0.15 * rng.standard_normal((h, w))
    out -= out.min()
    return out / (out.max() + 1e-9) * 0.999


def as_dtype(v, dtype):
    if dtype == "u8":
        return np.round(v * 255).astype(np.uint8)
    return (v * 3.0 - 0.5).astype(np.float32)  # an offset and a range other than [0, 1]


def make_case(name, w, h, c, tw, th, dtype, flat_block=False):
    picture = smooth_picture(h, w, c)
    if flat_block:
        picture[2:2 + th + 6, w - tw - 8:w - 1, :] = 0.0
    image = as_dtype(picture, dtype)
    ty, tx = int(rng.integers(0, h - th + 1)), int(rng.integers(0, w - tw + 1))
    templ = picture[ty:ty + th, tx:tx + tw, :] + 0.05 * rng.standard_normal((th, tw, c))
    templ = as_dtype(np.clip(templ, 0, 0.999), dtype)
    if c == 1:
        image, templ = image[..., 0], templ[..., 0]
    image, templ = np.ascontiguousarray(image), np.ascontiguousarray(templ)
    scores = cv2.matchTemplate(image, templ, cv2.TM_CCOEFF_NORMED).astype(np.float32)
    np.save("match_%s_image.npy" % name, image)
    np.save("match_%s_templ.npy" % name, templ)
    np.save("match_%s_scores.npy" % name, scores)
    print("%-12s image %dx%dx%d %s, template %dx%d, scores %s in [%.3f, %.3f]"
          % (name, w, h, c, dtype, tw, th, scores.shape[::-1], scores.min(), scores.max()))


# Templates of more than 1024 pixels run tessel's numerator in the frequency domain.
make_case("u8_c1", 48, 36, 1, 7, 5, "u8", flat_block=True)
make_case("u8_c3", 60, 50, 3, 34, 31, "u8")
make_case("f32_c1", 64, 46, 1, 37, 28, "f32")
make_case("f32_c3", 36, 30, 3, 5, 6, "f32")
print("OpenCV", cv2.__version__, "numpy", np.__version__)
