"""tessel.dask.filter_files: a batch of image files over a Dask cluster,
each worker running the C batch engine on its share."""
from __future__ import annotations

import os
from typing import Any, Dict, List, Optional, Sequence

import numpy as np

from .. import _dtypes, _tessel
from .._files import FORMATS
from .._kernel import Kernel, as_kernel
from .._options import conv_options, out_dtype


def output_paths(paths: Sequence[str], out_dir: str, format: Optional[str]) -> List[str]:
    """out_dir/NAME for each input, with format's extension when given."""
    outputs = []
    for p in paths:
        name = os.path.basename(os.fspath(p))
        if format:
            name = os.path.splitext(name)[0] + "." + format
        outputs.append(os.path.join(os.fspath(out_dir), name))
    if len(set(outputs)) != len(outputs):
        raise ValueError("two inputs would write the same output name in out_dir")
    return outputs


def _run_group(group: List[tuple], kernel: Kernel, settings: Dict[str, Any]) -> List[dict]:
    """One task: the batch engine over (index, input, output) on this worker."""
    indices = [g[0] for g in group]
    options = conv_options(**settings["conv"])
    items = _tessel.batch_run([g[1] for g in group], [g[2] for g in group], kernel._handle,
                              options, settings["dtype"], settings["devices"], settings["force"],
                              settings["threads"], settings["format"], settings["quality"])
    for item in items:
        item["index"] = indices[item["index"]]
    return items


def filter_files(paths: Sequence[str], out_dir: str, kernel: Any, client: Any = None, *,
                 format: Optional[str] = None, dtype: Any = None, force: bool = False,
                 files_per_task: int = 4, devices: Optional[str] = None, threads: int = 0,
                 quality: int = 0, **conv: Any) -> List[dict]:
    """Filter image files into ``out_dir`` on a Dask cluster, as ``tessel filter`` does.

    Each task runs tessel's C batch engine over ``files_per_task`` files on
    its worker (``devices``: the engine's device list, default every device
    of that worker), so the semantics are the engine's: outputs are written
    atomically (a temporary file renamed into place), a failing file is
    reported and the others go on, and an input whose output exists and is
    newer is skipped (resume; ``force`` redoes it). A task whose worker dies
    is run again by Dask on another worker, and what the dead one had
    finished is skipped: nothing is lost and nothing is done twice.

    ``client`` is a ``distributed.Client``; None uses the current one, or,
    without any, runs the engine here. ``conv`` takes :func:`tessel.filter`'s
    options (``mode``, ``border``, ``cval``, ``correlate``, ``stride``,
    ``anchor``, ``method``, ``scale``, ``offset``, ``absolute``); ``dtype``
    the output type (default the input's); ``format`` the outputs' format
    and extension (default the input's).

    Returns one dict per input, in order: ``input``, ``output``,
    ``outcome`` (``"written"``, ``"skipped"`` or ``"failed"``), ``status``
    and ``message`` (why it failed), ``seconds``.

    >>> import numpy as np, tessel, tessel.dask, tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> tessel.write(os.path.join(folder, "a.png"), np.zeros((8, 8), np.uint8))
    >>> done = tessel.dask.filter_files([os.path.join(folder, "a.png")],
    ...                                 os.path.join(folder, "out"), "box:3")
    >>> [d["outcome"] for d in done]
    ['written']
    """
    paths = [os.fspath(p) for p in paths]
    outputs = output_paths(paths, out_dir, format)
    os.makedirs(os.fspath(out_dir), exist_ok=True)
    conv_options(**conv)  # bad options fail here, before any task runs
    settings = {
        "conv": conv, "devices": devices, "force": bool(force), "threads": int(threads),
        "format": FORMATS[format], "quality": int(quality),
        "dtype": 0 if dtype is None else _dtypes.code(out_dtype(dtype, np.float32)),
    }
    if dtype is not None and settings["dtype"] == 0:
        raise ValueError("dtype must be uint8, uint16 or float32 for files")
    k = as_kernel(kernel)
    jobs = [(i, p, o) for i, (p, o) in enumerate(zip(paths, outputs))]
    step = max(1, int(files_per_task))
    groups = [jobs[i:i + step] for i in range(0, len(jobs), step)]
    if client is None:
        try:
            from distributed import get_client
            client = get_client()
        except (ImportError, ValueError):
            client = None
    if client is None:
        results = [_run_group(jobs, k, settings)] if jobs else []
    else:
        futures = client.map(_run_group, groups, kernel=k, settings=settings, pure=False)
        results = client.gather(futures)
    items = sorted((item for group in results for item in group), key=lambda d: d["index"])
    for item in items:
        del item["device"]
    return items
