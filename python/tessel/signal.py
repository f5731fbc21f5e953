"""scipy.signal's convolutions on tessel, for 1-D and 2-D arrays.

Same names, signatures, defaults and results as ``scipy.signal``::

    >>> import numpy as np
    >>> from tessel import signal
    >>> image = np.random.default_rng(0).random((64, 64))
    >>> signal.convolve2d(image, np.ones((3, 3)) / 9, mode="same").shape
    (64, 64)

Computed in float32 and returned in SciPy's dtype (float64 results carry
float32 precision; integer results are rounded to nearest and saturated,
where SciPy wraps around). Complex arrays, and arrays of more than two
dimensions, are not supported (:class:`tessel.Unsupported`).
"""
from __future__ import annotations

from typing import Any, Optional, Sequence

import numpy as np

from . import _device, _dtypes, _errors, _memory, _tessel
from ._options import conv_options
from ._passes import tessel_kernel

__all__ = ["convolve2d", "correlate2d", "fftconvolve", "oaconvolve", "convolve", "correlate"]

_BOUNDARIES = {"fill": "constant", "pad": "constant", "wrap": "wrap", "circular": "wrap",
               "symm": "reflect", "symmetric": "reflect"}
_METHODS = {"auto": "auto", "direct": "direct", "fft": "fft"}


def _real(a: Any, what: str) -> np.ndarray:
    a = np.asarray(a)
    if a.dtype.kind == "c":
        raise _errors.Unsupported(f"{what} is complex; tessel convolves real arrays")
    _dtypes.check_real(a.dtype, what)
    return a


def _larger(a: np.ndarray, b: np.ndarray) -> bool:
    """scipy's valid-mode rule: True when b must be swapped with a."""
    a_fits = all(i >= j for i, j in zip(a.shape, b.shape))
    b_fits = all(j >= i for i, j in zip(a.shape, b.shape))
    if not (a_fits or b_fits):
        raise _errors.InvalidArgument(
            "for 'valid' mode, one must be at least as large as the other in every dimension")
    return not a_fits


def _run(in1: np.ndarray, in2: np.ndarray, mode: str, *, method: str = "auto",
         border: str = "constant", cval: float = 0.0, correlate: bool = False) -> np.ndarray:
    """The 2-D C call (1-D arrays as one row): scipy.signal's modes, float32 result."""
    image = in1[None, :] if in1.ndim == 1 else in1
    weights = in2[None, :] if in2.ndim == 1 else in2
    if mode not in ("full", "same", "valid"):
        raise _errors.InvalidArgument(f"mode {mode!r} is not one of 'full', 'same', 'valid'")
    options = conv_options(mode=mode, border=border, cval=cval, correlate=correlate,
                           method=method)
    kernel = tessel_kernel(None, None, dense=weights)
    src = np.ascontiguousarray(_dtypes.as_native(image))
    rows, cols = _tessel.output_size(src.shape[1], src.shape[0], kernel, options)
    out = _memory.empty((rows, cols), np.float32)
    _tessel.execute(src, out, kernel, options, _device.current_device(),
                    _device.current_threads())
    return out[0] if in1.ndim == 1 else out


def _pair(in1: Any, in2: Any):
    a, b = _real(in1, "in1"), _real(in2, "in2")
    if a.ndim != b.ndim:
        raise _errors.InvalidArgument("in1 and in2 should have the same dimensionality")
    if a.ndim > 2:
        raise _errors.Unsupported(f"{a.ndim}-D arrays: tessel.signal convolves 1-D and 2-D arrays")
    return a, b


def _empty(a: np.ndarray, b: np.ndarray, dtype) -> Optional[np.ndarray]:
    if a.ndim == 0:
        return (a * b).astype(dtype)
    if a.size == 0 or b.size == 0:
        return np.array([], dtype)
    return None


def convolve2d(in1: Any, in2: Any, mode: str = "full", boundary: str = "fill",
               fillvalue: Any = 0) -> np.ndarray:
    """Convolve two 2-D arrays (as scipy.signal.convolve2d).

    ``boundary`` is ``"fill"`` (pad with ``fillvalue``), ``"wrap"`` or ``"symm"``.

    >>> import numpy as np
    >>> from tessel import signal
    >>> signal.convolve2d([[1, 2], [3, 4]], [[1, 1]], mode="full")
    array([[1, 3, 2],
           [3, 7, 4]])
    """
    a, b = _real(in1, "in1"), _real(in2, "in2")
    if a.ndim != 2 or b.ndim != 2:
        raise _errors.InvalidArgument("convolve2d inputs must both be 2-D arrays")
    if boundary not in _BOUNDARIES:
        raise _errors.InvalidArgument(f"boundary {boundary!r} is not one of 'fill', 'wrap', 'symm'")
    if np.ndim(fillvalue) != 0:
        raise _errors.InvalidArgument("fillvalue must be a scalar")
    dtype = np.result_type(a, b)
    if mode == "valid" and _larger(a, b):
        a, b = b, a
    out = _run(a, b, mode, border=_BOUNDARIES[boundary], cval=float(np.real(fillvalue)))
    return _dtypes.convert(out, dtype)


def correlate2d(in1: Any, in2: Any, mode: str = "full", boundary: str = "fill",
                fillvalue: Any = 0) -> np.ndarray:
    """Cross-correlate two 2-D arrays (as scipy.signal.correlate2d).

    >>> import numpy as np
    >>> from tessel import signal
    >>> signal.correlate2d([[1, 2], [3, 4]], [[1, 1]], mode="valid")
    array([[3],
           [7]])
    """
    a, b = _real(in1, "in1"), _real(in2, "in2")
    if a.ndim != 2 or b.ndim != 2:
        raise _errors.InvalidArgument("correlate2d inputs must both be 2-D arrays")
    if boundary not in _BOUNDARIES:
        raise _errors.InvalidArgument(f"boundary {boundary!r} is not one of 'fill', 'wrap', 'symm'")
    dtype = np.result_type(a, b)
    swapped = mode == "valid" and _larger(a, b)
    if swapped:
        a, b = b, a
    out = _run(a, b, mode, border=_BOUNDARIES[boundary], cval=float(np.real(fillvalue)),
               correlate=True)
    return _dtypes.convert(out[::-1, ::-1] if swapped else out, dtype)


def _convolve(in1: Any, in2: Any, mode: str, method: str, dtype_rule) -> np.ndarray:
    a, b = _pair(in1, in2)
    dtype = dtype_rule(a.dtype, b.dtype)
    early = _empty(a, b, dtype)
    if early is not None:
        return early
    if mode == "valid" and _larger(a, b):
        a, b = b, a
    return _dtypes.convert(_run(a, b, mode, method=method), dtype)


def _as_float(*dtypes: np.dtype) -> np.dtype:
    """scipy's FFT result type: integers transform as float64."""
    return np.result_type(*(np.float64 if d.kind in "biu" else d for d in dtypes))


def _along_axes(in1: Any, in2: Any, mode: str, axes: Optional[Sequence[int]], method: str):
    """fftconvolve/oaconvolve: axes=None (all), or one axis of 2-D arrays,
    the other broadcast (the same or a per-row kernel)."""
    a, b = _pair(in1, in2)
    if axes is None or a.ndim == 0:
        return _convolve(a, b, mode, method, _as_float)
    chosen = sorted({int(x) % a.ndim for x in np.atleast_1d(axes)})
    if len(chosen) == a.ndim:
        return _convolve(a, b, mode, method, _as_float)
    axis, other = chosen[0], 1 - chosen[0]
    if a.shape[other] != b.shape[other] and 1 not in (a.shape[other], b.shape[other]):
        raise _errors.InvalidArgument("incompatible shapes for in1 and in2 along the other axis")
    a, b = np.moveaxis(a, other, 0), np.moveaxis(b, other, 0)
    count = max(a.shape[0], b.shape[0])
    rows = [_convolve(a[min(i, a.shape[0] - 1)], b[min(i, b.shape[0] - 1)], mode, method,
                      _as_float) for i in range(count)]
    return np.moveaxis(np.stack(rows), 0, other)


def fftconvolve(in1: Any, in2: Any, mode: str = "full",
                axes: Optional[Sequence[int]] = None) -> np.ndarray:
    """Convolve in the frequency domain (as scipy.signal.fftconvolve; tessel method fft).

    >>> import numpy as np
    >>> from tessel import signal
    >>> np.round(signal.fftconvolve([1.0, 2.0, 3.0], [0.0, 1.0, 0.5]), 5)
    array([0. , 1. , 2.5, 4. , 1.5])
    """
    return _along_axes(in1, in2, mode, axes, "fft")


def oaconvolve(in1: Any, in2: Any, mode: str = "full",
               axes: Optional[Sequence[int]] = None) -> np.ndarray:
    """Convolve by overlap-add/save blocks (as scipy.signal.oaconvolve; tessel method fft-block).

    >>> import numpy as np
    >>> from tessel import signal
    >>> signal.oaconvolve(np.ones(1000), np.ones(50), mode="valid").shape
    (951,)
    """
    return _along_axes(in1, in2, mode, axes, "fft-block")


def convolve(in1: Any, in2: Any, mode: str = "full", method: str = "auto") -> np.ndarray:
    """Convolve two 1-D or 2-D arrays (as scipy.signal.convolve).

    ``method`` ``"auto"`` lets tessel's cost model choose; ``"direct"`` and
    ``"fft"`` force one. The result has ``numpy.result_type(in1, in2)``.

    >>> from tessel import signal
    >>> signal.convolve([1, 2, 3], [0, 1, 0.5], mode="same")
    array([1. , 2.5, 4. ])
    """
    if method not in _METHODS:
        raise _errors.InvalidArgument(f"method {method!r} is not one of 'auto', 'direct', 'fft'")
    return _convolve(in1, in2, mode, _METHODS[method], np.result_type)


def correlate(in1: Any, in2: Any, mode: str = "full", method: str = "auto") -> np.ndarray:
    """Cross-correlate two 1-D or 2-D arrays (as scipy.signal.correlate).

    >>> from tessel import signal
    >>> signal.correlate([1, 2, 3], [0, 1, 0.5], mode="full")
    array([0.5, 2. , 3.5, 3. , 0. ])
    """
    b = _real(in2, "in2")
    return convolve(in1, b[(slice(None, None, -1),) * b.ndim], mode, method)
