"""Shared helpers of the tessel Python tests."""
import numpy as np
import pytest


def relative_error(actual, expected):
    """max |actual - expected| over max |expected| (DESIGN.md's measure)."""
    actual = np.asarray(actual, np.float64)
    expected = np.asarray(expected, np.float64)
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    scale = max(np.abs(expected).max(initial=0.0), 1e-30)
    return float(np.abs(actual - expected).max(initial=0.0) / scale)


def exact_integer(reference, dtype):
    """The exact (float64) result rounded to nearest and saturated: tessel's contract."""
    info = np.iinfo(dtype)
    return np.clip(np.rint(reference), info.min, info.max)


def assert_matches(actual, reference, dtype):
    """f32: within 1e-5 relative of the float64 reference; integers: within 1 level
    of its rounded, saturated value (and of dtype)."""
    assert actual.dtype == np.dtype(dtype), (actual.dtype, dtype)
    if np.dtype(dtype).kind == "f":
        assert relative_error(actual, reference) <= 1e-5
    else:
        diff = np.abs(actual.astype(np.int64) - exact_integer(reference, dtype))
        assert diff.max(initial=0) <= 1, diff.max()


def random_array(rng, shape, dtype):
    """Random data of dtype, never all zeros, over the type's useful range."""
    dtype = np.dtype(dtype)
    if dtype.kind == "u":
        top = 255 if dtype.itemsize == 1 else 4000
        return rng.integers(0, top + 1, shape).astype(dtype)
    if dtype.kind == "i":
        return rng.integers(-1000, 1000, shape).astype(dtype)
    return (rng.random(shape) * 2 - 0.5).astype(dtype)


@pytest.fixture
def rng(request):
    seed = abs(hash(request.node.nodeid)) % (2**32)
    return np.random.default_rng(seed)
