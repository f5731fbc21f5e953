"""Image, array and signal files through the C library's readers and writers
(tessel_io.h): PNG, JPEG, BMP, TGA, GIF, PNM, HDR, TIFF, .npy and CSV."""
from __future__ import annotations

import os
from typing import Any, Optional, Tuple, Union

import numpy as np

from . import _errors, _tessel
from ._api import image_array

PathLike = Union[str, "os.PathLike[str]"]
FORMATS = {None: 0, "png": 1, "jpg": 2, "jpeg": 2, "bmp": 3, "tga": 4, "gif": 5, "pnm": 6,
           "hdr": 7, "npy": 8, "csv": 9, "tif": 10, "tiff": 10}
COMPRESSIONS = {None: 0, "none": 1, "deflate": 2, "lzw": 3}


def _choice(table: dict, value: Any, what: str) -> int:
    if value not in table:
        names = ", ".join(repr(k) for k in table if k is not None)
        raise _errors.InvalidArgument(f"{what} {value!r} is not one of {names}")
    return table[value]


def read(path: PathLike) -> np.ndarray:
    """Read an image or array file: (rows, columns) or (rows, columns, channels).

    8-bit files give uint8, 16-bit PNG/PNM/TIFF uint16, HDR and float TIFF
    float32; .npy keeps uint8/uint16/float32 (float64 becomes float32).
    Corrupt or unreadable files raise :class:`tessel.FileError` (an OSError)
    naming the file and the problem.

    >>> import numpy as np, tessel, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "a.png")
    >>> tessel.write(path, np.full((4, 6), 7, np.uint8))
    >>> tessel.read(path).shape
    (4, 6)
    """
    return _tessel.read_image(os.fspath(path))


def write(path: PathLike, image: Any, *, format: Optional[str] = None, quality: int = 95,
          overwrite: bool = False, compression: Optional[str] = None,
          tile: Optional[Union[int, Tuple[int, int]]] = None, bigtiff: bool = False) -> None:
    """Write an image atomically (a temporary file renamed into place).

    ``format`` defaults to the extension's. An existing file is an error
    unless ``overwrite``. JPEG takes ``quality``; TIFF ``compression``
    (``"deflate"``, ``"lzw"``, ``"none"``), ``tile`` (N or (height, width),
    multiples of 16) and ``bigtiff``. 8-bit formats round and saturate
    other dtypes.
    """
    tile_h, tile_w = (0, 0) if tile is None else (
        (int(tile), int(tile)) if np.isscalar(tile) else (int(tile[0]), int(tile[1])))
    _tessel.write_image(os.fspath(path), image_array(image), _choice(FORMATS, format, "format"),
                        int(quality), bool(overwrite),
                        _choice(COMPRESSIONS, compression, "compression"), tile_w, tile_h,
                        bool(bigtiff))


def read_signal(path: PathLike, column: Optional[Union[str, int]] = None) -> np.ndarray:
    """Read a 1-D float32 signal: a 1-D .npy array, or a column of a 2-D .npy
    or CSV/text file (by header name or 0-based index; default the first).

    >>> import numpy as np, tessel, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "s.csv")
    >>> tessel.write_signal(path, np.array([1, 2, 3], np.float32))
    >>> tessel.read_signal(path)
    array([1., 2., 3.], dtype=float32)
    """
    return _tessel.read_signal(os.fspath(path), None if column is None else str(column))


def write_signal(path: PathLike, signal: Any, *, format: Optional[str] = None,
                 overwrite: bool = False) -> None:
    """Write a 1-D signal as .npy or CSV (one value per line under a header "value")."""
    values = np.asarray(signal)
    if values.ndim != 1:
        raise _errors.InvalidArgument(f"a signal is 1-D, got {values.ndim}-D")
    _tessel.write_signal(os.fspath(path), image_array(values[None, :], "signal"),
                         _choice(FORMATS, format, "format"), bool(overwrite))
