#!/usr/bin/env python3
"""The OpenCV side of bench/batch_compare.py: the ten-line script a user
would write to blur a folder, a multiprocessing pool of cv2.imread ->
cv2.GaussianBlur -> cv2.imwrite.

    opencv_pool.py PROCESSES SIGMA OUT_FOLDER INPUT...

Outputs keep their inputs' names and formats: JPEG at quality 90, PNG at
OpenCV's default settings, TIFF with deflate. The border is BORDER_REFLECT,
tessel's default; the kernel size is OpenCV's own choice for the sigma (13
taps for sigma 2, as tessel's gaussian:sigma=2)."""
import os
import sys
from multiprocessing import Pool

import cv2

PARAMS = {'.jpg': [cv2.IMWRITE_JPEG_QUALITY, 90], '.png': [],
          '.tif': [cv2.IMWRITE_TIFF_COMPRESSION, 8]}  # 8: Adobe deflate


def blur(job):
    path, out_folder, sigma = job
    img = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    out = cv2.GaussianBlur(img, (0, 0), sigma, borderType=cv2.BORDER_REFLECT)
    ext = os.path.splitext(path)[1].lower()
    if not cv2.imwrite(os.path.join(out_folder, os.path.basename(path)), out, PARAMS[ext]):
        raise RuntimeError(f'cannot write the output of {path}')


def main():
    processes, sigma, out_folder = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
    jobs = [(p, out_folder, sigma) for p in sys.argv[4:]]
    with Pool(processes) as pool:
        pool.map(blur, jobs, chunksize=1)


if __name__ == '__main__':
    main()
