"""Names of tessel's options as the C enums (mode, border, method), and
output dtypes."""
from __future__ import annotations

from typing import Any, Optional, Tuple, Union

import numpy as np

from . import _dtypes, _errors, _tessel

MODES = {"same": 0, "full": 1, "valid": 2}
BORDERS = {"reflect": 0, "constant": 1, "nearest": 2, "mirror": 3, "wrap": 4,
           "replicate": 2, "reflect101": 3}
METHODS = {"auto": 0, "direct": 1, "separable": 2, "fft": 3, "fft-block": 4}
DTYPES = {"u8": np.uint8, "u16": np.uint16, "f32": np.float32}


def _pick(table: dict, value: str, what: str) -> int:
    if value not in table:
        raise _errors.InvalidArgument(
            f"{what} {value!r} is not one of {', '.join(repr(k) for k in table)}")
    return table[value]


def pair(value: Union[int, Tuple[int, int]], what: str) -> Tuple[int, int]:
    """An int for both axes, or (rows, columns)."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise _errors.InvalidArgument(f"{what} is an int or (rows, columns)")
        return int(value[0]), int(value[1])
    return int(value), int(value)


def conv_options(mode: str = "same", border: str = "reflect", cval: float = 0.0,
                 correlate: bool = False, stride: Any = 1, anchor: Any = None,
                 method: str = "auto", scale: float = 1.0, offset: float = 0.0,
                 absolute: bool = False) -> "_tessel.ConvOptions":
    o = _tessel.ConvOptions()
    o.mode = _pick(MODES, mode, "mode")
    o.border = _pick(BORDERS, border, "border")
    o.cval = float(cval)
    o.correlate = bool(correlate)
    o.stride_y, o.stride_x = pair(stride, "stride")
    if anchor is not None:
        o.anchor_y, o.anchor_x = pair(anchor, "anchor")
    o.method = _pick(METHODS, method, "method")
    o.scale, o.offset, o.absolute = float(scale), float(offset), bool(absolute)
    return o


def out_dtype(dtype: Any, default: np.dtype) -> np.dtype:
    """An output dtype: None = default; 'u8', 'u16', 'f32' or any NumPy dtype."""
    if dtype is None:
        return np.dtype(default)
    if isinstance(dtype, str) and dtype in DTYPES:
        return np.dtype(DTYPES[dtype])
    return _dtypes.check_real(np.dtype(dtype), "output")
