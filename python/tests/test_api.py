"""tessel's own API: filter, Kernel, Plan, Buffer, deconvolve, match_template,
files, devices, and the per-thread cache."""
import pickle
import threading

import numpy as np
import pytest
import scipy.signal as sps

import tessel
from tessel import _tessel

from conftest import random_array, relative_error


def reference(image, kernel, mode="same", border="fill"):
    return sps.convolve2d(image.astype(np.float64), kernel, mode, boundary=border)


@pytest.mark.parametrize("mode", ["same", "full", "valid"])
def test_filter_matches_convolve2d(rng, mode):
    image = random_array(rng, (40, 50), np.float32)
    k = rng.random((4, 5)).astype(np.float32)
    out = tessel.filter(image, k, mode=mode, border="constant")
    assert relative_error(out, reference(image, k, mode)) <= 1e-5
    wrapped = tessel.filter(image, k, mode=mode, border="wrap")
    assert relative_error(wrapped, reference(image, k, mode, "wrap")) <= 1e-5


def test_filter_options(rng):
    image = random_array(rng, (33, 47), np.uint8)
    dense = tessel.filter(image, "sobel:x", dtype="f32")
    strided = tessel.filter(image, "sobel:x", dtype="f32", stride=(2, 3))
    assert np.array_equal(strided, dense[::2, ::3])
    scaled = tessel.filter(image, "sobel:x", dtype=np.float32, scale=0.5, offset=3, absolute=True)
    assert relative_error(scaled, np.abs(0.5 * dense + 3)) <= 1e-6
    assert tessel.filter(image, "box:3").dtype == np.uint8
    rgba = random_array(rng, (20, 30, 4), np.uint16)
    assert tessel.filter(rgba, "gaussian:sigma=1").shape == (20, 30, 4)
    corr = tessel.filter(image, [[1, 2]], correlate=True, dtype="f32", border="constant")
    flipped = tessel.filter(image, [[2, 1]], dtype="f32", border="constant", anchor=(0, 1))
    assert np.array_equal(corr, flipped)
    out = np.empty((33, 47), np.float32)
    assert tessel.filter(image, "box:3", dtype=np.float32, out=out) is out
    for method in ("direct", "separable", "fft", "fft-block"):
        r = tessel.filter(image, "gaussian:sigma=2", dtype="f32", method=method)
        assert relative_error(r, tessel.filter(image, "gaussian:sigma=2", dtype="f32")) <= 1e-4


def test_kernel(rng):
    k = tessel.Kernel("gaussian:sigma=1.5")
    assert k.separable and k.shape[0] == k.shape[1] and k.spec == "gaussian:sigma=1.5"
    assert abs(float(k.coefficients.sum()) - 1) < 1e-5
    dense = tessel.Kernel(rng.random((3, 4)))
    assert dense.shape == (3, 4) and not dense.separable
    f = tessel.Kernel.from_factors([1, 2, 1], [1, 0, -1])
    for kernel in (k, dense, f):
        again = pickle.loads(pickle.dumps(kernel))
        assert np.array_equal(again.coefficients, kernel.coefficients)
        assert again.separable == kernel.separable
    assert "sobel" in [b["name"] for b in tessel.Kernel.builtins()]
    assert "gaussian" in repr(k)


def test_plan(rng):
    plan = tessel.Plan((64, 80), "gaussian:sigma=2", dtype=np.uint8, out_dtype=np.float32)
    for _ in range(3):
        image = random_array(rng, (64, 80), np.uint8)
        assert np.array_equal(plan(image), tessel.filter(image, "gaussian:sigma=2", dtype="f32"))
    info = plan.info
    assert info["input_shape"] == (64, 80, 1) and info["output_dtype"] == "f32"
    assert info["method"] and info["method_reason"] and not info["integer_path"]
    sobel = tessel.Plan((64, 80), "sobel:x", dtype=np.uint8, method="direct", device="cpu")
    assert sobel.info["integer_path"]
    with pytest.raises(ValueError, match="the plan takes"):
        plan(np.zeros((64, 81), np.uint8))
    results = []
    threads = [threading.Thread(target=lambda: results.append(plan(image))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(np.array_equal(r, results[0]) for r in results)


def test_buffers(rng):
    image = random_array(rng, (48, 64), np.float32)
    b = tessel.Buffer(image, device="cpu")
    assert b.shape == (48, 64) and b.dtype == np.float32
    gx, gy = tessel.filter(b, "sobel:x"), tessel.filter(b, "sobel:y")
    magnitude = gx.combine(gy, "magnitude").to_numpy()
    expected = np.hypot(tessel.filter(image, "sobel:x"), tessel.filter(image, "sobel:y"))
    assert relative_error(magnitude, expected) <= 1e-6
    assert np.array_equal(np.asarray(b), image)
    with pytest.raises(ValueError, match="op"):
        gx.combine(gy, "power")


def test_buffers_opencl_if_present(rng):
    if not any(d["backend"] == "opencl" for d in tessel.devices()):
        pytest.skip("no OpenCL device")
    image = random_array(rng, (40, 40), np.uint8)
    b = tessel.Buffer(image, device="opencl")
    out = tessel.filter(b, "box:3", dtype="f32").to_numpy()
    assert relative_error(out, tessel.filter(image, "box:3", dtype="f32", device="cpu")) <= 1e-6


def test_deconvolve_and_match(rng):
    sharp = random_array(rng, (64, 64), np.float32)
    blurred = tessel.filter(sharp, "gaussian:sigma=1.5", border="wrap")
    for method in ("wiener", "tikhonov", "richardson-lucy"):
        restored = tessel.deconvolve(blurred + 0.5, "gaussian:sigma=1.5", method=method,
                                     nsr=1e-4, regularization=1e-4, iterations=50, taper=-1)
        assert np.abs(restored - 0.5 - sharp).mean() < np.abs(blurred - sharp).mean()
    scene = random_array(rng, (70, 90), np.float32)
    scores, best = tessel.match_template(scene, scene[20:31, 40:49], best=2)
    assert scores.shape == (60, 82) and best[0][:2] == (20, 40)
    assert abs(best[0][2] - 1) < 1e-4


def test_files(tmp_path, rng):
    gray = random_array(rng, (12, 17), np.uint8)
    tessel.write(tmp_path / "g.png", gray)
    assert np.array_equal(tessel.read(tmp_path / "g.png"), gray)
    rgb16 = random_array(rng, (9, 7, 3), np.uint16)
    tessel.write(tmp_path / "c.tif", rgb16, compression="lzw")
    assert np.array_equal(tessel.read(tmp_path / "c.tif"), rgb16)
    f = random_array(rng, (5, 6), np.float32)
    tessel.write(tmp_path / "f.npy", f)
    assert np.array_equal(tessel.read(tmp_path / "f.npy"), f)
    with pytest.raises(OSError, match="exists"):
        tessel.write(tmp_path / "f.npy", f)
    tessel.write(tmp_path / "f.npy", f * 2, overwrite=True)
    signal = rng.random(20).astype(np.float32)
    tessel.write_signal(tmp_path / "s.csv", signal)
    assert np.allclose(tessel.read_signal(tmp_path / "s.csv"), signal)


def test_devices_and_thread_cache(rng):
    devices = tessel.devices()
    assert any(d["spec"] == "cpu" for d in devices)
    assert sum(d["auto"] for d in devices) == 1
    with tessel.using_device("cpu", threads=1):
        assert tessel.current_device() == "cpu"
        image = random_array(rng, (32, 32), np.float32)
        _tessel.release_thread_cache()
        for _ in range(5):
            tessel.filter(image, "gaussian:sigma=1")
        assert _tessel.thread_plan_count() == 1  # one plan reused
        tessel.filter(image[:31], "gaussian:sigma=1")
        assert _tessel.thread_plan_count() == 2  # per shape
    assert tessel.current_device() == ""
    assert "cpu" in tessel.device_name("cpu")
