"""Pinning dask.distributed workers to tessel devices."""
from __future__ import annotations

from typing import Sequence

from .. import _device


class _DevicePlugin:
    """Sets each worker's tessel device as it starts (and restarts)."""

    name = "tessel-devices"

    def __init__(self, devices: Sequence[str]) -> None:
        self.devices = list(devices)

    def setup(self, worker) -> None:
        index = _worker_index(worker)
        _device.set_device(self.devices[index % len(self.devices)])

    def teardown(self, worker) -> None:
        pass

    def transition(self, key, start, finish, **kwargs) -> None:
        pass


def _worker_index(worker) -> int:
    """A LocalCluster's workers are named 0, 1, ...; others by address order."""
    try:
        return int(worker.name)
    except (TypeError, ValueError):
        return sum(map(ord, str(worker.name)))


def pin_devices(client, devices: Sequence[str]) -> None:
    """Give each worker of ``client`` one device of ``devices``, round robin by
    worker name (a LocalCluster's workers are 0, 1, ...), on start and on
    every restart. Contexts are made lazily on the worker's device.

    Without a plugin, set ``TESSEL_DEVICE`` in each worker's environment
    (``dask worker ... --env TESSEL_DEVICE=opencl:1`` or a LocalCluster's
    ``env``), which steers tessel's ``auto`` device.

    >>> # with a client of two GPUs' workers:
    >>> # tessel.dask.pin_devices(client, ["opencl:0", "opencl:1"])
    """
    if not devices:
        raise ValueError("pin_devices needs at least one device")
    from distributed.diagnostics.plugin import WorkerPlugin

    class Plugin(_DevicePlugin, WorkerPlugin):
        pass

    client.register_plugin(Plugin(devices), name=_DevicePlugin.name)
