"""tessel.convolve: numpy.convolve on tessel."""
from __future__ import annotations

from typing import Any

import numpy as np

from . import _device, _dtypes, _errors, _memory, _tessel
from ._options import conv_options
from ._passes import tessel_kernel


def convolve(a: Any, v: Any, mode: str = "full") -> np.ndarray:
    """Discrete 1-D convolution with exactly ``numpy.convolve``'s semantics.

    ``mode`` is ``"full"`` (length M + N - 1), ``"same"`` (max(M, N)) or
    ``"valid"`` (max(M, N) - min(M, N) + 1); as in NumPy, a kernel longer than
    the signal swaps the two. The result has NumPy's dtype; it is computed
    in float32 (float64 inputs keep float32 precision), and integer results
    are rounded to nearest and saturated where NumPy wraps around.

    >>> import numpy as np, tessel
    >>> tessel.convolve(np.array([1, 2, 3], np.float32), np.array([0, 1, 0.5], np.float32))
    array([0. , 1. , 2.5, 4. , 1.5], dtype=float32)
    >>> tessel.convolve([1, 2, 3], [0, 1, 0.5], "same")
    array([1. , 2.5, 4. ])
    >>> tessel.convolve([1, 2], [1, 1, 1, 1], "valid")
    array([3, 3, 3])
    """
    a, v = np.atleast_1d(np.asarray(a)), np.atleast_1d(np.asarray(v))
    if a.ndim != 1 or v.ndim != 1:
        raise _errors.InvalidArgument("object too deep for desired array: a and v must be 1-D")
    if a.size == 0:
        raise _errors.InvalidArgument("a cannot be empty")
    if v.size == 0:
        raise _errors.InvalidArgument("v cannot be empty")
    result_dtype = np.result_type(a, v)
    _dtypes.check_real(result_dtype, "input")
    options = conv_options(mode=mode, border="constant")
    kernel = tessel_kernel(None, v)
    length = _tessel.output_length_1d(len(a), kernel, options)
    signal = _dtypes.as_native(a)[None, :]
    out = _memory.empty((1, length), np.float32)
    _tessel.convolve_rows(signal, out, kernel, options, _device.current_device(),
                          _device.current_threads())
    return _dtypes.convert(out[0], result_dtype)
