"""NumPy dtypes and tessel's sample types.

tessel computes on uint8, uint16 and float32 natively (sums in float32).
Other dtypes are converted, as the functions' docstrings say:

- float64, float16 and the other integer types are filtered as float32
  (float64 results therefore carry float32's precision, about 1e-7
  relative, and integers above 2**24 lose their lowest bits); the result is
  converted back to the output dtype;
- integer outputs round the exact result to nearest and saturate to the
  type's range (SciPy truncates towards zero, and wraps around);
- complex arrays are refused.
"""
from __future__ import annotations

import numpy as np

from . import _errors

# tessel_dtype values (tessel.h).
U8, U16, F32 = 1, 2, 3
_NATIVE = {np.dtype(np.uint8): U8, np.dtype(np.uint16): U16, np.dtype(np.float32): F32}


def code(dtype: np.dtype) -> int:
    """The tessel_dtype of a native NumPy dtype (0 for any other)."""
    return _NATIVE.get(np.dtype(dtype), 0)


def is_native(dtype: np.dtype) -> bool:
    return np.dtype(dtype) in _NATIVE


def check_real(dtype: np.dtype, what: str) -> np.dtype:
    """Refuse what tessel cannot filter: complex, object, strings, datetimes."""
    dtype = np.dtype(dtype)
    if dtype.kind not in "biuf":
        raise _errors.InvalidArgument(
            f"{what} has dtype {dtype}; tessel filters booleans, integers and floats "
            "(uint8, uint16 and float32 natively)"
        )
    return dtype


def as_native(array: np.ndarray) -> np.ndarray:
    """The array itself when tessel takes its dtype, else a float32 copy."""
    check_real(array.dtype, "input")
    if is_native(array.dtype):
        return array
    return array.astype(np.float32)


def convert(result: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """A float32 result in dtype: integers rounded to nearest and saturated."""
    dtype = np.dtype(dtype)
    if result.dtype == dtype:
        return result
    if dtype.kind == "b":
        return result != 0
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        rounded = np.rint(result)
        np.clip(rounded, info.min, info.max, out=rounded)
        return rounded.astype(dtype)
    return result.astype(dtype)


def store(result: np.ndarray, output: np.ndarray) -> None:
    """Writes a result into an output array of any dtype (converting as above)."""
    if result is output:
        return
    np.copyto(output, convert(result, output.dtype), casting="unsafe")
