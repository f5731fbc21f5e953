"""tessel: GPU-accelerated convolution for NumPy arrays.

Three ways in:

- :mod:`tessel.ndimage` and :mod:`tessel.signal`: SciPy's names, signatures,
  defaults and results (``from tessel import ndimage as ndi``), and
  :func:`tessel.convolve`, which is ``numpy.convolve``;
- tessel's own API: :func:`filter` with built-in kernels
  (``"gaussian:sigma=2"``, ``"sobel:x"``, ...) or arrays, :class:`Kernel`,
  :class:`Plan` for many same-shape images, :class:`Buffer` for images kept
  on a device, :func:`deconvolve`, :func:`match_template`, :func:`read` and
  :func:`write` for image files, :func:`devices`;
- :mod:`tessel.dask`: the same filters over ``dask.array`` arrays, on one
  machine or a ``dask.distributed`` cluster.

>>> import numpy as np, tessel
>>> image = np.random.default_rng(0).integers(0, 256, (480, 640), dtype=np.uint8)
>>> tessel.filter(image, "gaussian:sigma=2").dtype
dtype('uint8')

Every call that computes releases the GIL, and runs on the calling
thread's own context (per device) with plans kept per shape, so threads
filter in parallel and repeated calls on small arrays cost microseconds.
"""
from __future__ import annotations

import atexit

from . import _tessel
from ._api import Buffer, Plan, deconvolve, filter, match_template
from ._device import current_device, device_name, devices, set_device, using_device
from ._errors import DeviceError, Error, FileError, InvalidArgument, OutOfMemory, Unsupported
from ._files import read, read_signal, write, write_signal
from ._kernel import Kernel
from ._memory import memory_pool, set_memory_pool
from ._numpy import convolve

__version__ = _tessel.version()

__all__ = [
    "Buffer", "DeviceError", "Error", "FileError", "InvalidArgument", "Kernel", "OutOfMemory",
    "Plan", "Unsupported", "convolve", "current_device", "deconvolve", "device_name", "devices",
    "filter", "match_template", "memory_pool", "read", "read_signal", "set_device",
    "set_memory_pool", "using_device", "write", "write_signal",
]

# The main thread's contexts go before the interpreter does (device
# runtimes may not outlive it); other threads' go when the threads end.
atexit.register(_tessel.release_thread_cache)
