"""Filters over dask arrays: dask.array.map_overlap with the halo a filter
reads, so that each chunk's result equals the whole array's.

Every chunk is extended by the halo of real neighbouring data (dask's
overlap), filtered with the in-memory function, and trimmed back. Where a
chunk's extended block ends at the array's outer edge, dask adds nothing
(boundary "none") and tessel's own border rule applies there, exactly as on
the whole array; at inner edges the halo is real data, and what the border
rule does to the block's ends lies in the trimmed part. Mode ``wrap`` needs
the other end of the array at the outer edges: dask's ``periodic`` boundary
brings it. An axis whose passes mix ``wrap`` with other borders, or which
is shorter than its halo, is taken whole (one chunk along it). Chunks
shorter than the halo are merged until they are not shorter.
"""
from __future__ import annotations

import functools
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np

from .. import _device, _dtypes, _passes
from .._passes import Filter

# axis -> borders the filter uses along it
Borders = Dict[int, set]


def filter_borders(f: Filter) -> Borders:
    used: Borders = {}
    for term in f.terms:
        for p in term:
            for axis in p.axes:
                used.setdefault(axis, set()).add(p.border)
    return used


def _merged_chunks(chunks: Tuple[int, ...], minimum: int) -> Tuple[int, ...]:
    """Adjacent chunks merged until each is at least minimum long."""
    out: List[int] = []
    for c in chunks:
        if out and out[-1] < minimum:
            out[-1] += c
        else:
            out.append(c)
    if len(out) > 1 and out[-1] < minimum:
        out[-2] += out.pop()
    return tuple(out)


def _layout(x, halo: Sequence[Tuple[int, int]], borders: Borders):
    """(rechunked array, depth per axis, boundary per axis)."""
    chunks, depth, boundary = list(x.chunks), {}, {}
    for axis, (before, after) in enumerate(halo):
        d = max(before, after)
        kinds = borders.get(axis, set())
        whole = d > 0 and (d >= x.shape[axis] or ("wrap" in kinds and len(kinds) > 1))
        if d == 0 or whole or len(chunks[axis]) == 1:
            if whole:
                chunks[axis] = (x.shape[axis],)
            depth[axis], boundary[axis] = 0, "none"
            continue
        chunks[axis] = _merged_chunks(chunks[axis], d)
        depth[axis] = d
        boundary[axis] = "periodic" if kinds == {"wrap"} else "none"
    if tuple(chunks) != x.chunks:
        x = x.rechunk(tuple(chunks))
    return x, depth, boundary


def _run_block(block: np.ndarray, f: Filter, dtype: np.dtype, device: Optional[str],
               threads: int) -> np.ndarray:
    out = np.empty(block.shape, dtype)
    with _device.using_device(device, threads):
        _passes.run(f, block, out)
    return out


def map_blocks_overlap(x, block_fn: Callable[[np.ndarray], np.ndarray],
                       halo: Sequence[Tuple[int, int]], borders: Borders, dtype: np.dtype):
    """block_fn over x's chunks, each with halo (before, after) per axis."""
    x, depth, boundary = _layout(x, halo, borders)
    meta = np.empty((0,) * x.ndim, dtype)
    return x.map_overlap(block_fn, depth=depth, boundary=boundary, trim=True, dtype=dtype,
                         meta=meta)


def map_filter(x, f: Filter, output, device: Optional[str], threads: int):
    """A tessel.ndimage filter over a dask array (output: None or a dtype)."""
    dtype = np.dtype(x.dtype if output is None else output)
    _dtypes.check_real(dtype, "output")
    _dtypes.check_real(x.dtype, "input")
    fn = functools.partial(_run_block, f=f, dtype=dtype, device=device, threads=threads)
    return map_blocks_overlap(x, fn, f.extent(x.ndim), filter_borders(f), dtype)
