"""Where the functions compute: the default device and CPU thread count.

Every function that computes runs on the calling thread's own tessel
context for the current device and thread count, made on first use and
kept (with plans per shape) until the thread ends. The device is, in
order: the innermost :func:`using_device` block on this thread, the
process default set by :func:`set_device`, else ``"auto"`` (which honours
``$TESSEL_DEVICE``: an OpenCL GPU if there is one, else the CPU backend).
"""
from __future__ import annotations

import contextlib
import contextvars
from typing import Iterator, Optional

from . import _tessel

_default_device = ""  # "" = auto
_default_threads = 0  # 0 = all cores
_device_var: contextvars.ContextVar[Optional[str]] = contextvars.ContextVar(
    "tessel_device", default=None
)
_threads_var: contextvars.ContextVar[Optional[int]] = contextvars.ContextVar(
    "tessel_threads", default=None
)


def _check_threads(threads: int) -> int:
    threads = int(threads)
    if threads < 0:
        raise ValueError(f"threads must be 0 (all cores) or more, got {threads}")
    return threads


def set_device(device: Optional[str] = None, threads: Optional[int] = None) -> None:
    """Set the process's default device and CPU thread count.

    ``device`` is a device string as ``tessel devices`` lists them:
    ``"auto"``, ``"cpu"``, ``"opencl"``, ``"opencl:N"``, ``"gpu"`` or part of
    a device name; ``None`` leaves it unchanged. ``threads`` is the CPU
    backend's worker count (0 = all cores, 1 = the calling thread only).

    >>> import tessel
    >>> tessel.set_device("cpu", threads=1)
    >>> tessel.set_device("auto", threads=0)
    """
    global _default_device, _default_threads
    if device is not None:
        _default_device = "" if device == "auto" else str(device)
    if threads is not None:
        _default_threads = _check_threads(threads)


@contextlib.contextmanager
def using_device(device: Optional[str] = None, threads: Optional[int] = None) -> Iterator[None]:
    """Within the block, compute on ``device`` (and ``threads``), on this thread only.

    >>> import numpy as np, tessel
    >>> with tessel.using_device("cpu", threads=1):
    ...     out = tessel.filter(np.ones((8, 8), np.float32), "box:3")
    """
    tokens = []
    if device is not None:
        tokens.append((_device_var, _device_var.set("" if device == "auto" else str(device))))
    if threads is not None:
        tokens.append((_threads_var, _threads_var.set(_check_threads(threads))))
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


def current_device(device: Optional[str] = None) -> str:
    """The device string calls use now ("" for auto); ``device`` overrides it."""
    if device is not None:
        return "" if device == "auto" else str(device)
    chosen = _device_var.get()
    return _default_device if chosen is None else chosen


def current_threads(threads: Optional[int] = None) -> int:
    """The CPU thread count calls use now; ``threads`` overrides it."""
    if threads is not None:
        return _check_threads(threads)
    chosen = _threads_var.get()
    return _default_threads if chosen is None else chosen


def device_name(device: Optional[str] = None) -> str:
    """The name of the device calls run on now (or of ``device``).

    >>> import tessel
    >>> isinstance(tessel.device_name("cpu"), str)
    True
    """
    return _tessel.device_name(current_device(device), current_threads())


def devices() -> list:
    """The devices tessel can run on, one dict each.

    Keys: ``spec`` (the device string that selects it), ``name``,
    ``backend`` (``"cpu"`` or ``"opencl"``), ``kind``, ``detail`` and
    ``auto`` (True for the device ``"auto"`` picks).

    >>> import tessel
    >>> any(d["spec"] == "cpu" for d in tessel.devices())
    True
    """
    return _tessel.devices()
