"""tessel.ndimage against scipy.ndimage itself: every function, every mode,
several sizes, odd and even kernels, origins, dtypes and layouts."""
import numpy as np
import pytest
import scipy.ndimage as sp

import tessel
from tessel import ndimage as tn

from conftest import assert_matches, random_array, relative_error

MODES = ["reflect", "constant", "nearest", "mirror", "wrap"]
DTYPES = [np.float32, np.uint8, np.uint16]
SHAPES = [(37, 53), (64, 48)]


def check(name, rng, dtype, shape, *args, **kwargs):
    """tessel.ndimage.NAME against scipy.ndimage.NAME on float64 data (exact)."""
    a = random_array(rng, shape, dtype)
    result = getattr(tn, name)(a, *args, **kwargs)
    reference = getattr(sp, name)(a.astype(np.float64), *args, **kwargs)
    assert_matches(result, reference, dtype)
    return a, result


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SHAPES)
def test_gaussian_filter(rng, mode, dtype, shape):
    check("gaussian_filter", rng, dtype, shape, 2.5, mode=mode, cval=3.0)
    check("gaussian_filter", rng, dtype, shape, (1.0, 3.0), mode=mode)
    check("gaussian_filter", rng, dtype, shape, 1.5, mode=mode, truncate=2.0)
    check("gaussian_filter", rng, dtype, shape, 2.0, mode=mode, radius=3)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("order", [(0, 1), (2, 0), (1, 1)])
def test_gaussian_derivatives(rng, mode, order):
    check("gaussian_filter", rng, np.float32, (40, 50), 2.0, order=order, mode=mode, cval=0.5)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_gaussian_filter1d(rng, mode, dtype):
    for axis in (0, 1, -1):
        check("gaussian_filter1d", rng, dtype, (45, 38), 1.7, axis=axis, mode=mode, cval=2.0)
    check("gaussian_filter1d", rng, np.float32, (45, 38), 2.0, order=1, mode=mode)


def test_gaussian_per_axis_modes_and_axes(rng):
    check("gaussian_filter", rng, np.float32, (40, 50), 2.0, mode=["wrap", "nearest"])
    check("gaussian_filter", rng, np.float32, (40, 50), 2.0, mode=["constant", "constant"], cval=4.0)
    check("gaussian_filter", rng, np.float32, (40, 50), 2.0, axes=(1,))
    check("gaussian_filter", rng, np.float32, (40, 50), [2.0, 0.0])


def test_gaussian_u8_rounds_once(rng):
    """SciPy truncates after each pass (up to 2 levels off); tessel is within 1
    of the exact result and within 2 of SciPy's own uint8 output."""
    a = random_array(rng, (64, 64), np.uint8)
    ours = tn.gaussian_filter(a, 2).astype(int)
    assert np.abs(ours - sp.gaussian_filter(a, 2).astype(int)).max() <= 2


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("size", [3, 4, (2, 5)])
def test_uniform_filter(rng, mode, dtype, size):
    check("uniform_filter", rng, dtype, (41, 36), size, mode=mode, cval=7.0)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("size,origin", [(5, 0), (4, 1), (6, -3), (1, 0)])
def test_uniform_filter1d(rng, mode, size, origin):
    for axis in (0, 1):
        check("uniform_filter1d", rng, np.float32, (33, 29), size, axis=axis, mode=mode,
              origin=origin)
    check("uniform_filter", rng, np.float32, (33, 29), (size, 3), mode=mode, origin=(origin, 1))


@pytest.mark.parametrize("name", ["sobel", "prewitt"])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_edges(rng, name, mode, dtype):
    for axis in (0, 1):
        a = random_array(rng, (39, 47), dtype)
        out = np.float32 if dtype != np.float32 else None
        result = getattr(tn, name)(a, axis=axis, mode=mode, cval=2.0, output=out)
        reference = getattr(sp, name)(a.astype(np.float64), axis=axis, mode=mode, cval=2.0)
        assert_matches(result, reference, np.float32)
        # into the input's own (integer) type: rounded and saturated
        check(name, rng, dtype, (39, 47), axis=axis, mode=mode)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_laplace(rng, mode, dtype):
    check("laplace", rng, dtype, (35, 44), mode=mode, cval=1.5)
    check("laplace", rng, np.float32, (35, 44), mode=[mode, "wrap"])
    check("laplace", rng, np.float32, (35, 44), mode=mode, axes=(0,))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("sigma", [1.0, (2.0, 1.2)])
def test_gaussian_laplace(rng, mode, sigma):
    check("gaussian_laplace", rng, np.float32, (46, 40), sigma, mode=mode, cval=0.25)
    check("gaussian_laplace", rng, np.uint16, (46, 40), sigma, mode=mode)
    check("gaussian_laplace", rng, np.float32, (46, 40), sigma, mode=mode, truncate=3.0)


@pytest.mark.parametrize("name", ["correlate", "convolve"])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kshape", [(3, 3), (4, 5), (2, 2), (1, 6), (7, 1)])
def test_correlate_convolve(rng, name, mode, dtype, kshape):
    weights = rng.random(kshape) + 0.1
    check(name, rng, dtype, (31, 42), weights, mode=mode, cval=5.0)


@pytest.mark.parametrize("name", ["correlate", "convolve"])
def test_origins_and_axes(rng, name):
    weights = rng.random((4, 3)) - 0.3
    for origin in [(1, -1), (-2, 0), (0, 1)]:
        check(name, rng, np.float32, (30, 40), weights, origin=origin)
    check(name, rng, np.float32, (30, 40), weights, axes=(1, 0))
    check(name, rng, np.float32, (30, 40), weights[:, 0], axes=(0,))


@pytest.mark.parametrize("name", ["correlate1d", "convolve1d"])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("taps,origin", [(5, 0), (4, 0), (4, 1), (6, -2), (1, 0)])
def test_1d(rng, name, mode, taps, origin):
    weights = rng.random(taps) - 0.2
    for axis in (0, 1, -1):
        check(name, rng, np.float32, (27, 33), weights, axis=axis, mode=mode, origin=origin,
              cval=-1.0)


def test_other_dtypes_convert(rng):
    """float64 and other integers are filtered as float32 and come back in their type."""
    for dtype in (np.float64, np.int16, np.int32, np.uint32, np.float16):
        a = random_array(rng, (30, 30), dtype)
        result = tn.uniform_filter(a, 3)
        assert result.dtype == np.dtype(dtype)
        reference = sp.uniform_filter(a.astype(np.float64), 3)
        if np.dtype(dtype).kind == "f":
            assert relative_error(result, reference) <= (1e-3 if dtype == np.float16 else 1e-5)
        else:
            assert np.abs(result.astype(np.int64) - np.rint(reference)).max() <= 1


def test_channels_last(rng):
    rgb = random_array(rng, (40, 30, 3), np.uint8)
    ref = sp.gaussian_filter(rgb.astype(np.float64), (2, 2, 0))
    assert_matches(tn.gaussian_filter(rgb, (2, 2, 0)), ref, np.uint8)
    assert_matches(tn.gaussian_filter(rgb, 2, axes=(0, 1)), ref, np.uint8)
    ref = sp.uniform_filter(rgb.astype(np.float64), (3, 4, 1))
    assert_matches(tn.uniform_filter(rgb, (3, 4, 1)), ref, np.uint8)
    w = rng.random((3, 3, 1))
    assert_matches(tn.correlate(rgb, w), sp.correlate(rgb.astype(np.float64), w), np.uint8)
    many = random_array(rng, (20, 25, 7), np.float32)  # more than 4 channels
    assert_matches(tn.gaussian_filter(many, (1, 2, 0)),
                   sp.gaussian_filter(many.astype(np.float64), (1, 2, 0)), np.float32)


def test_stacks_and_1d(rng):
    stack = random_array(rng, (3, 30, 20), np.float32)
    assert_matches(tn.gaussian_filter(stack, 2, axes=(1, 2)),
                   sp.gaussian_filter(stack.astype(np.float64), 2, axes=(1, 2)), np.float32)
    assert_matches(tn.gaussian_filter1d(stack, 2, axis=2),
                   sp.gaussian_filter1d(stack.astype(np.float64), 2, axis=2), np.float32)
    signal = random_array(rng, (100,), np.float32)
    assert_matches(tn.gaussian_filter(signal, 3), sp.gaussian_filter(signal.astype(np.float64), 3),
                   np.float32)


def test_volumes_are_not_supported(rng):
    vol = random_array(rng, (8, 9, 10), np.float32)
    with pytest.raises(NotImplementedError, match="volumes are not supported"):
        tn.gaussian_filter(vol, 1)
    with pytest.raises(tessel.Unsupported):
        tn.uniform_filter(vol, 3)
    with pytest.raises(NotImplementedError):
        tn.sobel(vol)
    with pytest.raises(NotImplementedError):
        tn.correlate(vol, np.ones((2, 2, 2)))


def test_strided_views_and_output(rng):
    big = random_array(rng, (80, 90), np.float32)
    roi = big[10:60, 5:70]  # a region: row stride of the larger image
    assert_matches(tn.gaussian_filter(roi, 2), sp.gaussian_filter(roi.astype(np.float64), 2),
                   np.float32)
    every_other = big[::2, ::3]  # columns not packed: copied first
    assert_matches(tn.uniform_filter(every_other, 3),
                   sp.uniform_filter(every_other.astype(np.float64), 3), np.float32)
    transposed = big.T
    assert_matches(tn.sobel(transposed, 0), sp.sobel(transposed.astype(np.float64), 0), np.float32)
    out = np.zeros((80, 90), np.float64)
    assert tn.gaussian_filter(big, 1.5, output=out) is out
    assert relative_error(out, sp.gaussian_filter(big.astype(np.float64), 1.5)) <= 1e-5
    assert tn.gaussian_filter(big, 1.5, output=np.uint16).dtype == np.uint16
    view_out = np.zeros((80, 180), np.float32)[:, ::2]
    tn.uniform_filter(big, 3, output=view_out)
    assert relative_error(view_out, sp.uniform_filter(big.astype(np.float64), 3)) <= 1e-5
    inplace = big.copy()
    tn.gaussian_filter(inplace, 2, output=inplace)
    assert relative_error(inplace, sp.gaussian_filter(big.astype(np.float64), 2)) <= 1e-5


def test_empty_arrays_like_scipy():
    for shape in [(0, 5), (0,), (3, 0)]:
        a = np.zeros(shape, np.float32)
        assert tn.gaussian_filter(a, 2).shape == sp.gaussian_filter(a, 2).shape
        assert tn.correlate1d(a, [1, 2]).shape == shape


def test_repeated_calls_follow_their_arguments(rng):
    """A call's filter is kept for the next call with the same arguments:
    weights changed in place, or an argument of another type, are new ones."""
    a = random_array(rng, (30, 40), np.float32)
    w = rng.random((3, 3))
    first = tn.correlate(a, w)
    w[1, 1] += 1
    second = tn.correlate(a, w)
    assert_matches(second, sp.correlate(a.astype(np.float64), w), np.float32)
    assert not np.array_equal(first, second)
    tn.gaussian_filter(a, 2, radius=2)
    with pytest.raises(ValueError, match="radius"):
        tn.gaussian_filter(a, 2, radius=2.0)
    tn.uniform_filter1d(a, 3)
    with pytest.raises(TypeError):
        tn.uniform_filter1d(a, 3.0)
    assert_matches(tn.gaussian_filter(a, [1.5, 2.5]),
                   sp.gaussian_filter(a.astype(np.float64), [1.5, 2.5]), np.float32)
    assert_matches(tn.gaussian_filter(a, (2.5, 1.5)),
                   sp.gaussian_filter(a.astype(np.float64), (2.5, 1.5)), np.float32)
