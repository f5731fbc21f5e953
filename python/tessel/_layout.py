"""N-D arrays as the 2-D images (with up to 4 interleaved channels) that
the C library filters.

A pass filters along one or two axes of an array; every other axis is
either interleaved channels (the axes after the column axis, when they
hold 1 to 4 samples) or a batch of separate images. Views are used where
the layout allows (packed columns, any positive row stride: a region of a
larger 2-D image needs no copy); other arrays are copied first.
"""
from __future__ import annotations

import math
from typing import Iterator, Optional, Tuple

import numpy as np

MAX_CHANNELS = 4


def _reshaped(array: np.ndarray, shape: Tuple[int, ...]) -> Optional[np.ndarray]:
    """A view of array with shape, or None when that needs a copy."""
    view = array.view()
    try:
        view.shape = shape
    except AttributeError:
        return None
    return view


def _blocks(array: np.ndarray, row_axis: int, col_axis: Optional[int]) -> Tuple[int, ...]:
    """(batch, rows, between, columns, channels) sizes for the axes of a pass."""
    shape = array.shape
    prod = math.prod
    if col_axis is None:  # rows only: the axes after it are columns
        return (prod(shape[:row_axis]), shape[row_axis], 1, prod(shape[row_axis + 1:]), 1)
    return (
        prod(shape[:row_axis]),
        shape[row_axis],
        prod(shape[row_axis + 1:col_axis]),
        shape[col_axis],
        prod(shape[col_axis + 1:]),
    )


def five_d(array: np.ndarray, row_axis: int, col_axis: Optional[int]) -> np.ndarray:
    """array as (batch, rows, between, columns, channels), a view if possible."""
    blocks = _blocks(array, row_axis, col_axis)
    view = _reshaped(array, blocks)
    if view is None:
        view = np.ascontiguousarray(array).reshape(blocks)
    return view


def images(array5: np.ndarray) -> Iterator[Tuple[tuple, np.ndarray]]:
    """The images of a (batch, rows, between, columns, channels) array.

    Yields (index, image) with image (rows, columns[, channels]); the
    channels are split into groups of at most MAX_CHANNELS.
    """
    batch, _, between, _, channels = array5.shape
    groups = [(c, min(c + MAX_CHANNELS, channels)) for c in range(0, channels, MAX_CHANNELS)]
    for b in range(batch):
        for m in range(between):
            for c0, c1 in groups:
                index = (b, slice(None), m, slice(None), slice(c0, c1))
                image = array5[index]
                if channels == 1:
                    image = image[:, :, 0]
                yield index, image


def packed(image: np.ndarray) -> bool:
    """Whether the C library takes this image view as it is."""
    item = image.itemsize
    channels = image.shape[2] if image.ndim == 3 else 1
    if image.ndim == 3 and channels > 1 and image.strides[2] != item:
        return False
    if image.shape[1] > 1 and image.strides[1] != item * channels:
        return False
    return image.shape[0] == 1 or image.strides[0] >= item * channels * image.shape[1]


def five_d_rows(array: np.ndarray) -> np.ndarray:
    """array as (1, rows, 1, last axis, 1): a pass along its last axis
    filters each row of every other axis at once."""
    length = array.shape[-1] if array.ndim else 1
    blocks = (1, math.prod(array.shape[:-1]), 1, length, 1)
    view = _reshaped(array, blocks)
    if view is None:
        view = np.ascontiguousarray(array).reshape(blocks)
    return view
