"""Filters over dask arrays: each chunk with the halo of neighbouring data
a filter reads, so that each chunk's result equals the whole array's.

Every chunk is extended by the halo of real neighbouring data, filtered
with the in-memory function, and trimmed back. Where a chunk ends at the
array's outer edge nothing is added and tessel's own border rule applies
there, exactly as on the whole array; at inner edges the halo is real
data, and what the border rule does to the extended block's ends lies in
the trimmed part. Mode ``wrap`` takes the halo at the outer edges from the
other end of the array. An axis whose passes mix ``wrap`` with other
borders, or which is shorter than its halo, is taken whole (one chunk
along it). Chunks shorter than the halo are merged until they are not
shorter.

This is dask's ``map_overlap`` with ``boundary="none"`` (or
``"periodic"``), done in one task per chunk: the slices of the neighbours
are cut where those live (only the halo travels between workers), and
the chunk and its halo are put together in memory from tessel's pool, so
that neither the extended block nor the filtered one costs fresh pages,
and no separate trimming task runs.
"""
from __future__ import annotations

import functools
import itertools
import operator
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np

from .. import _device, _dtypes, _memory, _passes
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
    """(rechunked array, (before, after) halo per axis, periodic per axis)."""
    chunks, reach, periodic = list(x.chunks), [], []
    for axis, (before, after) in enumerate(halo):
        d = max(before, after)
        kinds = borders.get(axis, set())
        if d > 0 and (d >= x.shape[axis] or ("wrap" in kinds and len(kinds) > 1)):
            chunks[axis] = (x.shape[axis],)  # taken whole
        elif d > 0:
            chunks[axis] = _merged_chunks(chunks[axis], d)
        inner = d > 0 and len(chunks[axis]) > 1
        reach.append((before, after) if inner else (0, 0))
        periodic.append(inner and kinds == {"wrap"})
    if tuple(chunks) != x.chunks:
        x = x.rechunk(tuple(chunks))
    return x, reach, periodic


def _sides(i: int, count: int, reach: Tuple[int, int], periodic: bool):
    """The parts of the extended block i along one axis, in order:
    (offset, block index, slice of that block)."""
    before, after = reach
    parts = []
    if before and (i > 0 or periodic):
        parts.append((-1, (i - 1) % count, slice(-before, None)))
    parts.append((0, i, slice(None)))
    if after and (i < count - 1 or periodic):
        parts.append((1, (i + 1) % count, slice(0, after)))
    return parts


def _assemble(pieces) -> np.ndarray:
    """The nested lists of arrays (one level per axis) as one array."""
    flat = []

    def walk(node, position):
        if isinstance(node, list):
            for k, child in enumerate(node):
                walk(child, position + (k,))
        else:
            flat.append((position, node))

    walk(pieces, ())
    if len(flat) == 1:
        return flat[0][1]
    ndim = flat[0][1].ndim
    offsets = []
    for axis in range(ndim):
        sizes = {pos[axis]: a.shape[axis] for pos, a in flat}
        offsets.append(np.concatenate([[0], np.cumsum([sizes[k] for k in sorted(sizes)])]))
    block = _memory.empty(tuple(int(o[-1]) for o in offsets), flat[0][1].dtype)
    for pos, a in flat:
        block[tuple(slice(int(offsets[d][k]), int(offsets[d][k]) + a.shape[d])
                    for d, k in enumerate(pos))] = a
    return block


def _run_extended(pieces, block_fn: Callable[[np.ndarray], np.ndarray], trim: tuple):
    return block_fn(_assemble(pieces))[trim]


def _run_block(block: np.ndarray, f: Filter, dtype: np.dtype, device: Optional[str],
               threads: int) -> np.ndarray:
    out = _memory.empty(block.shape, dtype)
    with _device.using_device(device, threads):
        _passes.run(f, block, out)
    return out


def map_blocks_overlap(x, block_fn: Callable[[np.ndarray], np.ndarray],
                       halo: Sequence[Tuple[int, int]], borders: Borders, dtype: np.dtype):
    """block_fn over x's chunks, each with halo (before, after) per axis."""
    import dask.array as da
    from dask.base import tokenize
    from dask.highlevelgraph import HighLevelGraph

    x, reach, periodic = _layout(x, halo, borders)
    meta = np.empty((0,) * x.ndim, dtype)
    if not any(before or after for before, after in reach):
        return x.map_blocks(block_fn, dtype=dtype, meta=meta)
    token = tokenize(x, block_fn, reach, periodic, np.dtype(dtype).str)
    name, halo_name = f"tessel-overlap-{token}", f"tessel-halo-{token}"
    graph = {}
    for index in itertools.product(*(range(n) for n in x.numblocks)):
        sides = [_sides(i, n, r, p) for i, n, r, p in zip(index, x.numblocks, reach, periodic)]

        def piece(parts):
            source = (x.name,) + tuple(p[1] for p in parts)
            if all(p[0] == 0 for p in parts):
                return source
            key = (halo_name,) + index + tuple(p[0] + 1 for p in parts)
            graph[key] = (operator.getitem, source, tuple(p[2] for p in parts))
            return key

        def nest(axis, parts):
            if axis == x.ndim:
                return piece(parts)
            return [nest(axis + 1, parts + [p]) for p in sides[axis]]

        starts = [r[0] if s[0][0] == -1 else 0 for s, r in zip(sides, reach)]
        trim = tuple(slice(b, b + c[i]) for b, c, i in zip(starts, x.chunks, index))
        graph[(name,) + index] = (_run_extended, nest(0, []), block_fn, trim)
    layer = HighLevelGraph.from_collections(name, graph, dependencies=[x])
    return da.Array(layer, name, x.chunks, meta=meta)


def map_filter(x, f: Filter, output, device: Optional[str], threads: int):
    """A tessel.ndimage filter over a dask array (output: None or a dtype)."""
    dtype = np.dtype(x.dtype if output is None else output)
    _dtypes.check_real(dtype, "output")
    _dtypes.check_real(x.dtype, "input")
    fn = functools.partial(_run_block, f=f, dtype=dtype, device=device, threads=threads)
    return map_blocks_overlap(x, fn, f.extent(x.ndim), filter_borders(f), dtype)
