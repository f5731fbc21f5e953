"""tessel.dask on a dask.distributed LocalCluster of 2 worker processes on the
loopback interface, started and stopped here: arrays, the file batch, a
worker killed mid-run, device pinning, and the Zarr example."""
import os
import signal
import subprocess
import sys
import threading
import time

import dask.array as da
import numpy as np
import pytest

distributed = pytest.importorskip("distributed")

import tessel
import tessel.dask as td
from tessel import ndimage as tn

EXAMPLE = os.path.join(os.path.dirname(__file__), "..", "examples", "zarr_gaussian.py")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       host="127.0.0.1", dashboard_address=None,
                                       memory_limit="1GiB")
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def test_arrays(client):
    a = np.random.default_rng(9).random((700, 650), dtype=np.float32)
    x = da.from_array(a, chunks=(200, 180))
    for mode in ("reflect", "wrap", "constant"):
        got = td.gaussian_filter(x, 3, mode=mode).compute()
        assert np.array_equal(got, tn.gaussian_filter(a, 3, mode=mode))
    got = td.filter(x, "sobel:x", method="separable").compute()
    assert np.array_equal(got, tessel.filter(a, "sobel:x", method="separable"))
    # each worker made its own context, lazily, in its own process
    pids = client.run(os.getpid)
    assert len(set(pids.values())) == 2 and os.getpid() not in pids.values()


def test_pinning(client):
    td.pin_devices(client, ["cpu"])
    assert set(client.run(lambda: tessel.current_device()).values()) == {"cpu"}
    a = np.random.default_rng(10).random((300, 300), dtype=np.float32)
    got = td.uniform_filter(da.from_array(a, chunks=100), 5).compute()
    assert np.array_equal(got, tn.uniform_filter(a, 5))


def make_images(folder, count, size=512):
    rng = np.random.default_rng(11)
    paths = []
    for i in range(count):
        p = os.path.join(folder, f"img{i:03d}.png")
        tessel.write(p, rng.integers(0, 256, (size, size), dtype=np.uint8))
        paths.append(p)
    return paths


def check_outputs(paths, out_dir, kernel):
    for p in paths:
        out = tessel.read(os.path.join(out_dir, os.path.basename(p)))
        assert np.array_equal(out, tessel.filter(tessel.read(p), kernel))


def test_filter_files(client, tmp_path):
    paths = make_images(str(tmp_path), 6, 128)
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n not really")
    out_dir = str(tmp_path / "out")
    items = td.filter_files(paths + [str(bad)], out_dir, "gaussian:sigma=2", client,
                            files_per_task=2)
    assert [i["outcome"] for i in items] == ["written"] * 6 + ["failed"]
    assert "broken.png" in items[-1]["message"] and items[-1]["status"]
    assert not os.path.exists(os.path.join(out_dir, "broken.png"))
    check_outputs(paths, out_dir, "gaussian:sigma=2")
    again = td.filter_files(paths, out_dir, "gaussian:sigma=2", client)  # resume
    assert [i["outcome"] for i in again] == ["skipped"] * 6
    files = td.filter_files(paths[:2], str(tmp_path / "tif"), "box:3", client, format="tif",
                            dtype=np.float32)
    assert all(i["output"].endswith(".tif") for i in files)
    assert tessel.read(files[0]["output"]).dtype == np.float32


def test_worker_killed_mid_run(client, tmp_path):
    """A worker dies (SIGKILL) while the batch runs: Dask reruns its tasks on
    the other worker (the nanny restarts the dead one), and every file ends up
    written, correctly, once."""
    paths = make_images(str(tmp_path), 24, 1024)
    out_dir = str(tmp_path / "out")
    kernel = "gaussian:sigma=6"
    result = {}

    def run():
        result["items"] = td.filter_files(paths, out_dir, kernel, client, files_per_task=1,
                                          threads=1)

    runner = threading.Thread(target=run)
    runner.start()
    deadline = time.time() + 120
    while not (os.path.isdir(out_dir) and os.listdir(out_dir)) and time.time() < deadline:
        time.sleep(0.01)
    victim = next(iter(client.run(os.getpid).values()))
    os.kill(victim, signal.SIGKILL)
    runner.join(timeout=300)
    assert not runner.is_alive(), "the batch did not finish after the kill"
    outcomes = [i["outcome"] for i in result["items"]]
    assert len(outcomes) == 24 and set(outcomes) <= {"written", "skipped"}, outcomes
    assert len(os.listdir(out_dir)) >= 24
    check_outputs(paths, out_dir, kernel)
    assert victim not in client.run(os.getpid).values()


def test_zarr_example(tmp_path):
    """The README's Zarr example, at a size a test affords, checked against
    the in-memory result."""
    pytest.importorskip("zarr")
    done = subprocess.run([sys.executable, EXAMPLE, str(tmp_path), "--size", "3072",
                           "--chunk", "1024", "--memory", "512MiB", "--check"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "equal to tessel.ndimage on the whole array: True" in done.stdout
