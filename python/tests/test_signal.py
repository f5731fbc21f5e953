"""tessel.signal against scipy.signal, and tessel.convolve against numpy.convolve."""
import numpy as np
import pytest
import scipy.signal as sp

import tessel
from tessel import signal as ts

from conftest import random_array, relative_error

MODES = ["full", "same", "valid"]


def close(actual, expected, tolerance=1e-5):
    assert actual.dtype == expected.dtype, (actual.dtype, expected.dtype)
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    if expected.size:
        if expected.dtype.kind in "iu":
            assert np.abs(actual.astype(np.int64) - expected.astype(np.int64)).max() <= 1
        else:
            assert relative_error(actual, expected) <= tolerance


@pytest.mark.parametrize("name", ["convolve2d", "correlate2d"])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("boundary", ["fill", "wrap", "symm"])
@pytest.mark.parametrize("kshape", [(3, 3), (2, 2), (4, 5), (1, 7), (9, 12)])
def test_2d(rng, name, mode, boundary, kshape):
    a = rng.random((8, 11))
    k = rng.random(kshape) - 0.3
    if mode == "valid" and not (kshape[0] <= 8 and kshape[1] <= 11) and \
            not (kshape[0] >= 8 and kshape[1] >= 11):
        with pytest.raises(ValueError):
            getattr(ts, name)(a, k, mode, boundary)
        return
    close(getattr(ts, name)(a, k, mode, boundary, 0.5), getattr(sp, name)(a, k, mode, boundary, 0.5))


def test_2d_swapped_and_dtypes(rng):
    small, big = rng.random((3, 4)), rng.random((6, 9))
    for name in ("convolve2d", "correlate2d"):
        close(getattr(ts, name)(small, big, "valid"), getattr(sp, name)(small, big, "valid"))
        close(getattr(ts, name)(small, big, "same"), getattr(sp, name)(small, big, "same"))
    img = random_array(rng, (20, 20), np.uint8)
    close(ts.convolve2d(img, np.ones((3, 3)) / 9), sp.convolve2d(img, np.ones((3, 3)) / 9))
    f32 = rng.random((20, 20), dtype=np.float32)
    close(ts.convolve2d(f32, np.ones((3, 3), np.float32)),
          sp.convolve2d(f32, np.ones((3, 3), np.float32)))
    small_ints = rng.integers(0, 10, (10, 10))
    close(ts.convolve2d(small_ints, np.ones((3, 3), int)),
          sp.convolve2d(small_ints, np.ones((3, 3), int)))


@pytest.mark.parametrize("name,tolerance", [("fftconvolve", 1e-4), ("oaconvolve", 1e-4),
                                            ("convolve", 1e-5), ("correlate", 1e-5)])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("shapes", [((100,), (7,)), ((50,), (8,)), ((9,), (30,)),
                                    ((30, 40), (5, 6)), ((12, 9), (4, 4)), ((6, 7), (9, 11))])
def test_nd(rng, name, tolerance, mode, shapes):
    a, b = rng.random(shapes[0]), rng.random(shapes[1]) - 0.2
    close(getattr(ts, name)(a, b, mode), getattr(sp, name)(a, b, mode), tolerance)


@pytest.mark.parametrize("method", ["direct", "fft", "auto"])
def test_methods_and_dtypes(rng, method):
    a, b = rng.random((40, 30), dtype=np.float32), rng.random((5, 5), dtype=np.float32)
    for mode in MODES:
        close(ts.convolve(a, b, mode, method), sp.convolve(a, b, mode, method), 1e-4)
        close(ts.correlate(a, b, mode, method), sp.correlate(a, b, mode, method), 1e-4)
    ints = rng.integers(0, 50, 60)
    close(ts.convolve(ints, [1, 2, 1], "same", method), sp.convolve(ints, [1, 2, 1], "same", method))
    u8 = random_array(rng, (30,), np.uint8)
    close(ts.fftconvolve(u8, np.ones(3, np.float32)), sp.fftconvolve(u8, np.ones(3, np.float32)), 1e-4)


def test_fftconvolve_axes(rng):
    a, b = rng.random((6, 50)), rng.random((1, 9))
    for mode in MODES:
        close(ts.fftconvolve(a, b, mode, axes=1), sp.fftconvolve(a, b, mode, axes=1), 1e-4)
    per_row = rng.random((6, 9))
    close(ts.fftconvolve(a, per_row, axes=[1]), sp.fftconvolve(a, per_row, axes=[1]), 1e-4)
    close(ts.oaconvolve(a.T, per_row.T, axes=0), sp.oaconvolve(a.T, per_row.T, axes=0), 1e-4)


def test_signal_errors(rng):
    with pytest.raises(ValueError):
        ts.convolve2d(np.ones(5), np.ones(3))
    with pytest.raises(ValueError):
        ts.convolve(np.ones((4, 4)), np.ones(3))
    with pytest.raises(NotImplementedError):
        ts.convolve(np.ones((4, 4, 4)), np.ones((2, 2, 2)))
    with pytest.raises(NotImplementedError):
        ts.fftconvolve(np.ones(8), np.ones(3) * 1j)
    with pytest.raises(ValueError, match="boundary"):
        ts.convolve2d(np.ones((4, 4)), np.ones((2, 2)), boundary="bogus")
    with pytest.raises(ValueError, match="mode"):
        ts.convolve(np.ones(8), np.ones(3), mode="bogus")
    assert ts.convolve(np.array(3.0), np.array(2.0)) == 6.0
    assert ts.fftconvolve(np.ones(0), np.ones(3)).size == 0


@pytest.mark.parametrize("n", [1, 2, 5, 8, 13])
@pytest.mark.parametrize("m", [1, 2, 5, 8, 13])
@pytest.mark.parametrize("mode", MODES)
def test_numpy_convolve(rng, n, m, mode):
    a, v = rng.random(n), rng.random(m) - 0.3
    close(tessel.convolve(a, v, mode), np.convolve(a, v, mode))
    a32, v32 = a.astype(np.float32), v.astype(np.float32)
    close(tessel.convolve(a32, v32, mode), np.convolve(a32, v32, mode))
    ints = rng.integers(-20, 20, n)
    close(tessel.convolve(ints, [1, -2, 3], mode), np.convolve(ints, [1, -2, 3], mode))


def test_numpy_convolve_errors():
    with pytest.raises(ValueError, match="empty"):
        tessel.convolve([], [1, 2])
    with pytest.raises(ValueError, match="empty"):
        tessel.convolve([1, 2], [])
    with pytest.raises(ValueError):
        tessel.convolve([[1, 2]], [1])
    with pytest.raises(ValueError, match="mode"):
        tessel.convolve([1, 2], [1], "middle")
    assert np.array_equal(tessel.convolve(3, [1, 2]), np.convolve(3, [1, 2]))
