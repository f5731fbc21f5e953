"""The exceptions tessel raises.

Every failure of the C library comes back as a subclass of :class:`Error`
that carries the library's own message (what was wrong, and with which
value) and the status name (``err.status``, e.g. ``"TESSEL_ERR_BAD_SIZE"``).
Each class also derives from the built-in exception a Python caller
expects, so ``except ValueError`` catches bad arguments as it would with
NumPy or SciPy:

>>> import numpy as np, tessel
>>> try:
...     tessel.filter(np.zeros((4, 4), np.float32), "gaussian:sigma=-1")
... except ValueError as err:
...     print(type(err).__name__, err.status)
InvalidArgument TESSEL_ERR_BAD_KERNEL
"""
from __future__ import annotations


class Error(Exception):
    """Base class of every tessel error; ``status`` names the C status."""

    def __init__(self, message: str, status: str = "") -> None:
        super().__init__(message)
        self.status = status


class InvalidArgument(Error, ValueError):
    """A bad argument: a size, dtype, option, kernel or shape tessel refuses."""


class OutOfMemory(Error, MemoryError):
    """Host or device memory ran out."""


class FileError(Error, OSError):
    """A file could not be read or written, or is corrupt or unsupported."""


class DeviceError(Error, RuntimeError):
    """The device asked for does not exist, or a device runtime call failed."""


class Unsupported(Error, NotImplementedError):
    """A case tessel does not handle (yet), e.g. filtering along a third axis."""


__all__ = ["Error", "InvalidArgument", "OutOfMemory", "FileError", "DeviceError", "Unsupported"]
