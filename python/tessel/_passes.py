"""Filters as passes of the C library, shared by tessel.ndimage and
tessel.dask.

A *pass* is one tessel call over an array: a correlation along one or two
axes with a kernel (dense, or separable factors), the anchor per axis (the
kernel element on the output pixel), a border rule and cval. A *term* is
passes run one after the other (SciPy's separable filters pass axis by
axis); a *filter* sums its terms (SciPy's Laplacians). The in-memory
functions run a filter over a whole array; the Dask functions run the same
filter over each chunk with a halo of ``extent()`` samples, which is how
a chunked result equals the whole one.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from . import _device, _dtypes, _errors, _layout, _memory, _tessel

BORDERS = {"reflect": 0, "constant": 1, "nearest": 2, "mirror": 3, "wrap": 4}


@dataclass(frozen=True)
class Pass:
    """One correlation along ``axes`` (one or two, increasing).

    ``factors`` holds one 1-D weight array per axis (a separable kernel),
    or ``dense`` the weights as an array with one dimension per axis.
    ``anchors[i]`` is the weight index on the output pixel along axes[i].
    """

    axes: Tuple[int, ...]
    anchors: Tuple[int, ...]
    border: str
    cval: float = 0.0
    factors: Optional[Tuple[np.ndarray, ...]] = None
    dense: Optional[np.ndarray] = None

    def sizes(self) -> Tuple[int, ...]:
        if self.dense is not None:
            return tuple(self.dense.shape)
        return tuple(len(f) for f in self.factors)

    def extent(self) -> Dict[int, Tuple[int, int]]:
        """Samples read before and after the output pixel, per axis."""
        return {a: (k, n - 1 - k) for a, k, n in zip(self.axes, self.anchors, self.sizes())}

    @functools.cached_property
    def _calls(self) -> Dict[bool, tuple]:
        return {}

    def __getstate__(self) -> dict:  # the C objects stay behind (made again on use)
        return {k: v for k, v in self.__dict__.items() if k != "_calls"}

    def c_call(self, along_rows: bool) -> Tuple["_tessel.Kernel", "_tessel.ConvOptions"]:
        """The C kernel and options of this pass (made once): a one-axis pass
        runs along image rows (a 1 x n kernel) or columns (n x 1)."""
        call = self._calls.get(along_rows)
        if call is None:
            call = self._calls[along_rows] = _c_call(self, along_rows)
        return call


@dataclass
class Filter:
    """The sum of terms, each a sequence of passes."""

    terms: List[List[Pass]] = field(default_factory=list)

    def extent(self, ndim: int) -> List[Tuple[int, int]]:
        """Halo per axis: what the whole filter reads around an output pixel."""
        halo = [(0, 0)] * ndim
        for term in self.terms:
            reach = [(0, 0)] * ndim
            for p in term:
                for axis, (before, after) in p.extent().items():
                    reach[axis] = (reach[axis][0] + before, reach[axis][1] + after)
            halo = [(max(h[0], r[0]), max(h[1], r[1])) for h, r in zip(halo, reach)]
        return halo


# -------------------------------------------------------------- kernels

@functools.lru_cache(maxsize=256)
def _kernel_from(key: bytes, shape: Tuple[int, ...], separable: bool) -> "_tessel.Kernel":
    data = np.frombuffer(key, dtype=np.float32)
    if separable:
        rows = shape[0]
        return _tessel.Kernel.from_factors(data[rows:].copy(), data[:rows].copy())
    return _tessel.Kernel.from_dense(data.reshape(shape).copy())


def _finite(weights: np.ndarray) -> np.ndarray:
    weights = np.asarray(weights, dtype=np.float32)
    if not np.all(np.isfinite(weights)):
        raise _errors.InvalidArgument("the weights hold NaN or infinite values", "TESSEL_ERR_BAD_KERNEL")
    return weights


def tessel_kernel(column: Optional[np.ndarray], row: Optional[np.ndarray],
                  dense: Optional[np.ndarray] = None) -> "_tessel.Kernel":
    """A cached C kernel: dense (2-D), or the factors column (x) row (either
    may be None for a 1-D kernel along the other axis)."""
    if dense is not None:
        dense = np.ascontiguousarray(_finite(dense))
        return _kernel_from(dense.tobytes(), dense.shape, False)
    if column is None or row is None:
        taps = _finite(row if column is None else column)
        shape = (1, len(taps)) if column is None else (len(taps), 1)
        return _kernel_from(np.ascontiguousarray(taps).tobytes(), shape, False)
    column, row = _finite(column), _finite(row)
    key = np.concatenate([column, row]).tobytes()
    return _kernel_from(key, (len(column), len(row)), True)


# -------------------------------------------------------------- running

def _options(p: Pass, anchor_y: int, anchor_x: int) -> "_tessel.ConvOptions":
    o = _tessel.ConvOptions()
    o.border = BORDERS[p.border]
    o.cval = float(p.cval)
    o.correlate = True
    o.anchor_y, o.anchor_x = anchor_y, anchor_x
    return o


def _run_images(src5: np.ndarray, dst5: np.ndarray, kernel, options) -> None:
    device, threads = _device.current_device(), _device.current_threads()
    for index, image in _layout.images(src5):
        out = dst5[index]
        if out.ndim == 3 and out.shape[2] == 1:
            out = out[:, :, 0]
        if not _layout.packed(image):
            image = np.ascontiguousarray(image)
        if _layout.packed(out):
            _tessel.execute(image, out, kernel, options, device, threads)
        else:
            tmp = _memory.empty(image.shape, out.dtype)
            _tessel.execute(image, tmp, kernel, options, device, threads)
            out[...] = tmp


def _c_call(p: Pass, along_rows: bool):
    if len(p.axes) == 2:
        if p.dense is not None:
            kernel = tessel_kernel(None, None, dense=p.dense)
        else:
            kernel = tessel_kernel(p.factors[0], p.factors[1])
        return kernel, _options(p, p.anchors[0], p.anchors[1])
    taps = p.factors[0] if p.factors is not None else p.dense
    if along_rows:
        return tessel_kernel(None, taps), _options(p, 0, p.anchors[0])
    return tessel_kernel(taps, None), _options(p, p.anchors[0], 0)


def run_pass(p: Pass, src: np.ndarray, dst: np.ndarray) -> None:
    """dst = the pass over src (same shape; dtypes native)."""
    along_rows = len(p.axes) == 1 and p.axes[0] == src.ndim - 1
    kernel, options = p.c_call(along_rows)
    if src.ndim == 2 and _layout.packed(src) and _layout.packed(dst):  # an image as it is
        _tessel.execute(src, dst, kernel, options, _device.current_device(),
                        _device.current_threads())
        return
    if along_rows:  # along rows of every other axis
        src5, dst5 = _layout.five_d_rows(src), _layout.five_d_rows(dst)
    else:
        rows, cols = p.axes if len(p.axes) == 2 else (p.axes[0], None)
        src5, dst5 = _layout.five_d(src, rows, cols), _layout.five_d(dst, rows, cols)
    shares = np.may_share_memory(dst5, dst)
    _run_images(src5, dst5, kernel, options)
    if not shares:  # dst5 is a copy: write it back
        dst[...] = dst5.reshape(dst.shape)


def _run_term(term: List[Pass], src: np.ndarray, final: Optional[np.ndarray]) -> np.ndarray:
    """The passes one after the other; the last into final when given,
    the others (and the last otherwise) into float32."""
    current = src
    for i, p in enumerate(term):
        last = i == len(term) - 1
        target = final if last and final is not None else _memory.empty(src.shape, np.float32)
        run_pass(p, current, target)
        current = target
    return current


def run(f: Filter, array: np.ndarray, output: np.ndarray) -> None:
    """output = the filter over array (any real dtypes; see _dtypes)."""
    if np.may_share_memory(output, array):
        result = _memory.empty(output.shape, output.dtype)
        run(f, array, result)
        output[...] = result
        return
    src = _dtypes.as_native(array)
    if len(f.terms) == 1 and f.terms[0] and _dtypes.is_native(output.dtype):
        _run_term(f.terms[0], src, output)
        return
    total: Optional[np.ndarray] = None
    for term in f.terms:
        result = _run_term(term, src, None)
        if total is None:
            total = result.astype(np.float32, copy=result is src)
        else:
            total += result
    _dtypes.store(src if total is None else total, output)
