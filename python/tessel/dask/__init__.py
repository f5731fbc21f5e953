"""tessel's filters over Dask arrays, on one machine or a dask.distributed cluster.

The scipy.ndimage-compatible functions of :mod:`tessel.ndimage` and
:func:`tessel.filter`, taking and returning ``dask.array`` arrays::

    >>> import dask.array as da, numpy as np
    >>> import tessel.dask
    >>> x = da.random.random((2000, 1500), chunks=(500, 500)).astype(np.float32)
    >>> y = tessel.dask.gaussian_filter(x, sigma=2, mode="wrap")
    >>> y.chunks == x.chunks
    True

Each chunk is filtered with the halo of neighbouring data its kernel
reads (``map_overlap``), and the border rule is applied only at the
array's outer edges, so the result equals the in-memory function on the
whole array, for every mode including ``wrap``: bit for bit when both run
the same method (direct and separable filters, all of scipy.ndimage's
here), within the FFT tolerance when tessel's ``auto`` picks the
frequency domain for one of them. Chunks shorter than the halo are merged
with their neighbours.

Threads: every call releases the GIL, so Dask's threaded scheduler runs
chunks in parallel. Each chunk uses ``threads`` CPU threads (default 1:
Dask provides the parallelism; 0 = all cores).

Clusters: the functions are picklable, and each worker makes its tessel
context lazily, on first use, on its own device: the process default,
which ``TESSEL_DEVICE`` in the worker's environment sets, or
:func:`pin_devices` per worker (``device=`` pins every chunk of a call).

Zarr and OME-Zarr: ``da.from_zarr`` in, ``.to_zarr`` out; see
``python/examples/zarr_gaussian.py`` for an array larger than the workers'
memory.
"""
from __future__ import annotations

from typing import Any, Optional, Sequence, Union

import numpy as np

from .. import _errors, _filters
from .._api import filter as _filter_array
from .._kernel import as_kernel
from ._files import filter_files
from ._overlap import map_blocks_overlap, map_filter
from ._pinning import pin_devices

__all__ = [
    "convolve", "correlate", "convolve1d", "correlate1d", "gaussian_filter",
    "gaussian_filter1d", "uniform_filter", "uniform_filter1d", "sobel", "prewitt", "laplace",
    "gaussian_laplace", "filter", "filter_files", "pin_devices",
]


def _dask_array(x: Any):
    import dask.array as da
    return x if isinstance(x, da.Array) else da.asarray(x)


def _map(build, input: Any, output: Any, device: Optional[str], threads: int, *args):
    if isinstance(output, np.ndarray):
        raise _errors.InvalidArgument("output is a dtype for Dask arrays (results are lazy)")
    x = _dask_array(input)
    return map_filter(x, build(x.ndim, *args), output, device, threads)


def correlate1d(input, weights, axis=-1, output=None, mode="reflect", cval=0.0, origin=0, *,
                device: Optional[str] = None, threads: int = 1):
    """:func:`tessel.ndimage.correlate1d` over a dask array."""
    return _map(_filters.correlate1d, input, output, device, threads, weights, axis, mode, cval,
                origin)


def convolve1d(input, weights, axis=-1, output=None, mode="reflect", cval=0.0, origin=0, *,
               device: Optional[str] = None, threads: int = 1):
    """:func:`tessel.ndimage.convolve1d` over a dask array."""
    return _map(_filters.convolve1d, input, output, device, threads, weights, axis, mode, cval,
                origin)


def correlate(input, weights, output=None, mode="reflect", cval=0.0, origin=0, *, axes=None,
              device: Optional[str] = None, threads: int = 1):
    """:func:`tessel.ndimage.correlate` over a dask array."""
    return _map(_filters.correlate, input, output, device, threads, weights, mode, cval, origin,
                axes)


def convolve(input, weights, output=None, mode="reflect", cval=0.0, origin=0, *, axes=None,
             device: Optional[str] = None, threads: int = 1):
    """:func:`tessel.ndimage.convolve` over a dask array."""
    return _map(_filters.convolve, input, output, device, threads, weights, mode, cval, origin,
                axes)


def gaussian_filter1d(input, sigma, axis=-1, order=0, output=None, mode="reflect", cval=0.0,
                      truncate=4.0, *, radius=None, device: Optional[str] = None,
                      threads: int = 1):
    """:func:`tessel.ndimage.gaussian_filter1d` over a dask array."""
    return _map(_filters.gaussian_filter1d, input, output, device, threads, sigma, axis, order,
                mode, cval, truncate, radius)


def gaussian_filter(input, sigma, order=0, output=None, mode="reflect", cval=0.0, truncate=4.0,
                    *, radius=None, axes=None, device: Optional[str] = None, threads: int = 1):
    """:func:`tessel.ndimage.gaussian_filter` over a dask array.

    >>> import dask.array as da, numpy as np, tessel.dask
    >>> from tessel import ndimage
    >>> a = np.random.default_rng(0).random((300, 260), dtype=np.float32)
    >>> y = tessel.dask.gaussian_filter(da.from_array(a, chunks=(80, 70)), 3, mode="wrap")
    >>> bool((y.compute() == ndimage.gaussian_filter(a, 3, mode="wrap")).all())
    True
    """
    return _map(_filters.gaussian_filter, input, output, device, threads, sigma, order, mode,
                cval, truncate, radius, axes)


def uniform_filter1d(input, size, axis=-1, output=None, mode="reflect", cval=0.0, origin=0, *,
                     device: Optional[str] = None, threads: int = 1):
    """:func:`tessel.ndimage.uniform_filter1d` over a dask array."""
    return _map(_filters.uniform_filter1d, input, output, device, threads, size, axis, mode,
                cval, origin)


def uniform_filter(input, size=3, output=None, mode="reflect", cval=0.0, origin=0, *, axes=None,
                   device: Optional[str] = None, threads: int = 1):
    """:func:`tessel.ndimage.uniform_filter` over a dask array."""
    return _map(_filters.uniform_filter, input, output, device, threads, size, mode, cval,
                origin, axes)


def sobel(input, axis=-1, output=None, mode="reflect", cval=0.0, *,
          device: Optional[str] = None, threads: int = 1):
    """:func:`tessel.ndimage.sobel` over a dask array."""
    return _map(_filters.edge, input, output, device, threads, [-1, 0, 1], [1, 2, 1], axis, mode,
                cval)


def prewitt(input, axis=-1, output=None, mode="reflect", cval=0.0, *,
            device: Optional[str] = None, threads: int = 1):
    """:func:`tessel.ndimage.prewitt` over a dask array."""
    return _map(_filters.edge, input, output, device, threads, [-1, 0, 1], [1, 1, 1], axis, mode,
                cval)


def laplace(input, output=None, mode="reflect", cval=0.0, *, axes=None,
            device: Optional[str] = None, threads: int = 1):
    """:func:`tessel.ndimage.laplace` over a dask array."""
    return _map(_filters.laplace, input, output, device, threads, mode, cval, axes)


def gaussian_laplace(input, sigma, output=None, mode="reflect", cval=0.0, *, axes=None,
                     truncate=4.0, radius=None, device: Optional[str] = None, threads: int = 1):
    """:func:`tessel.ndimage.gaussian_laplace` over a dask array."""
    return _map(_filters.gaussian_laplace, input, output, device, threads, sigma, mode, cval,
                axes, truncate, radius)


def _filter_block(block, kernel, options, device, threads):
    from .. import _device
    with _device.using_device(device, threads):
        return _filter_array(block, kernel, **options)


def filter(x: Any, kernel: Any = "gaussian:sigma=2", *, border: str = "reflect",
           cval: float = 0.0, correlate: bool = False, anchor: Any = None, method: str = "auto",
           scale: float = 1.0, offset: float = 0.0, absolute: bool = False, dtype: Any = None,
           device: Optional[str] = None, threads: int = 1):
    """:func:`tessel.filter` (mode same, stride 1) over a 2-D or H x W x C dask array.

    Equal to ``tessel.filter`` on the whole array, bit for bit when both
    run the same method (give ``method="direct"`` or ``"separable"`` to be
    sure; ``auto`` may choose the frequency domain for the whole array and
    not for a chunk, which agrees within the FFT tolerance).

    >>> import dask.array as da, numpy as np, tessel, tessel.dask
    >>> a = np.random.default_rng(0).integers(0, 256, (200, 300), dtype=np.uint8)
    >>> y = tessel.dask.filter(da.from_array(a, chunks=64), "sobel:x", dtype="f32")
    >>> bool((y.compute() == tessel.filter(a, "sobel:x", dtype="f32")).all())
    True
    """
    from .._options import conv_options, out_dtype, pair
    import functools
    x = _dask_array(x)
    if x.ndim not in (2, 3):
        raise _errors.InvalidArgument("tessel.dask.filter takes 2-D or H x W x C arrays")
    k = as_kernel(kernel)
    conv_options(border=border, cval=cval, correlate=correlate, anchor=anchor, method=method)
    kh, kw = k.shape
    ay, ax = ((kh - 1) // 2, (kw - 1) // 2) if anchor is None else pair(anchor, "anchor")
    # convolution reads in[y + a - j], correlation in[y - a + j], j = 0..K-1
    halo = [(ay, kh - 1 - ay), (ax, kw - 1 - ax)] if correlate else \
        [(kh - 1 - ay, ay), (kw - 1 - ax, ax)]
    halo += [(0, 0)] * (x.ndim - 2)
    if x.ndim == 3 and len(x.chunks[2]) > 1:
        x = x.rechunk({2: x.shape[2]})
    target = out_dtype(dtype, x.dtype)
    options = dict(border=border, cval=cval, correlate=correlate, anchor=anchor, method=method,
                   scale=scale, offset=offset, absolute=absolute, dtype=target)
    fn = functools.partial(_filter_block, kernel=k, options=options, device=device,
                           threads=threads)
    return map_blocks_overlap(x, fn, halo, {0: {border}, 1: {border}}, target)
