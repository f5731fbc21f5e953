"""Result arrays, and the memory pool the large ones come from.

A new array of many megabytes costs a page fault and the kernel's zeroing
of each page when it is first written: for a fast filter, as much time as
the filtering. Results of at least ``POOLED_FROM`` bytes (in uint8, uint16
or float32) therefore come from a pool of memory blocks that the
extension keeps when such an array dies, so a function called in a loop
(frames of a video, chunks of a Dask array) writes into memory it has
already touched. A block returns to the pool only when its array and
every view of it are gone.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from . import _dtypes, _tessel

POOLED_FROM = 1 << 20


def empty(shape: Sequence[int], dtype) -> np.ndarray:
    """An uninitialised C-contiguous array (np.empty's contract)."""
    dtype = np.dtype(dtype)
    code = _dtypes.code(dtype)
    if code and math.prod(shape) * dtype.itemsize >= POOLED_FROM:
        return _tessel.pooled_empty(tuple(shape), code)
    return np.empty(shape, dtype)


def set_memory_pool(max_bytes: int) -> None:
    """Keep at most ``max_bytes`` of memory from dead result arrays for reuse
    (default 256 MiB per process; 0 turns the pool off and frees what it
    holds now).

    Results of 1 MiB or more come from this pool: a function called in a
    loop then writes into memory it has already touched, instead of paying
    the operating system's page faults and zeroing for every new array.

    >>> import tessel
    >>> before = tessel.memory_pool()["limit"]
    >>> tessel.set_memory_pool(64 << 20)
    >>> tessel.memory_pool()["limit"]
    67108864
    >>> tessel.set_memory_pool(before)
    """
    max_bytes = int(max_bytes)
    if max_bytes < 0:
        raise ValueError(f"max_bytes must be 0 or more, got {max_bytes}")
    _tessel.set_pool_limit(max_bytes)


def memory_pool() -> dict:
    """The pool's state: ``limit``, ``unused_bytes`` and ``unused_blocks``
    (kept for reuse), ``in_use_bytes`` (held by live arrays), ``reused``
    (blocks handed out again so far).

    >>> import tessel
    >>> sorted(tessel.memory_pool())
    ['in_use_bytes', 'limit', 'reused', 'unused_blocks', 'unused_bytes']
    """
    return dict(_tessel.pool_info())
