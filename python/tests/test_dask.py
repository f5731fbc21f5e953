"""tessel.dask with the local threaded scheduler: chunked results equal the
in-memory functions on the whole array, for every mode."""
import dask
import dask.array as da
import numpy as np
import pytest

import tessel
import tessel.dask as td
from tessel import ndimage as tn

from conftest import relative_error

MODES = ["reflect", "constant", "nearest", "mirror", "wrap"]


@pytest.fixture(scope="module")
def image():
    return np.random.default_rng(3).random((300, 260), dtype=np.float32)


CASES = {
    "gaussian_filter": ((2.5,), {}),
    "gaussian_filter1d": ((1.5,), {"axis": 0}),
    "uniform_filter": ((5,), {}),
    "uniform_filter1d": ((4,), {"origin": 1}),
    "sobel": ((), {"axis": 0}),
    "prewitt": ((), {}),
    "laplace": ((), {}),
    "gaussian_laplace": ((1.5,), {}),
    "correlate": ((np.random.default_rng(4).random((5, 4)),), {}),
    "convolve": ((np.random.default_rng(5).random((3, 6)),), {"origin": (1, 0)}),
    "correlate1d": (([1.0, -2.0, 0.5, 3.0],), {"axis": 1}),
    "convolve1d": (([1.0, 2.0, 0.25],), {"axis": 0}),
}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", sorted(CASES))
def test_equal_to_in_memory(image, name, mode):
    args, kwargs = CASES[name]
    x = da.from_array(image, chunks=(80, 70))
    lazy = getattr(td, name)(x, *args, mode=mode, cval=0.5, **kwargs)
    assert isinstance(lazy, da.Array) and lazy.chunks == x.chunks
    result = lazy.compute(scheduler="threads")
    expected = getattr(tn, name)(image, *args, mode=mode, cval=0.5, **kwargs)
    assert np.array_equal(result, expected)


def test_wrap_large_uneven_chunks():
    """The issue's case: dask-image's gaussian_filter(mode='wrap') on 1500x1300
    in 400x350 chunks differed from SciPy's by up to 0.33."""
    a = np.random.default_rng(6).random((1500, 1300), dtype=np.float32)
    result = td.gaussian_filter(da.from_array(a, chunks=(400, 350)), 4, mode="wrap").compute()
    assert np.array_equal(result, tn.gaussian_filter(a, 4, mode="wrap"))


def test_chunks_smaller_than_the_halo(image):
    x = da.from_array(image, chunks=(9, 13))
    for mode in MODES:
        result = td.uniform_filter(x, 21, mode=mode).compute()
        assert np.array_equal(result, tn.uniform_filter(image, 21, mode=mode))
    # a kernel longer than the array: taken whole; tessel's auto runs this in
    # the frequency domain, whose bits depend on the thread count (FFT tolerance)
    tiny = da.from_array(image[:20, :15], chunks=5)
    got = td.gaussian_filter(tiny, 8, mode="wrap").compute()
    assert relative_error(got, tn.gaussian_filter(image[:20, :15], 8, mode="wrap")) <= 1e-4


def test_mixed_modes_dtypes_and_channels():
    rng = np.random.default_rng(7)
    a = rng.integers(0, 256, (200, 180, 3), dtype=np.uint8)
    x = da.from_array(a, chunks=(64, 50, 1))
    got = td.gaussian_filter(x, (2, 3, 0), mode=["wrap", "nearest", "reflect"]).compute()
    assert got.dtype == np.uint8
    assert np.array_equal(got, tn.gaussian_filter(a, (2, 3, 0), mode=["wrap", "nearest", "reflect"]))
    f = td.gaussian_laplace(x[..., 0], 2, mode=["wrap", "reflect"], output=np.float32).compute()
    assert np.array_equal(f, tn.gaussian_laplace(a[..., 0], 2, mode=["wrap", "reflect"],
                                                 output=np.float32))


@pytest.mark.parametrize("border", ["reflect", "wrap", "constant"])
def test_filter(border):
    rng = np.random.default_rng(8)
    a = rng.integers(0, 256, (230, 190), dtype=np.uint8)
    x = da.from_array(a, chunks=(60, 45))
    for kernel in ("gaussian:sigma=2", "sobel:y", rng.random((4, 6))):
        got = td.filter(x, kernel, border=border, dtype="f32", method="direct").compute()
        assert np.array_equal(got, tessel.filter(a, kernel, border=border, dtype="f32",
                                                 method="direct"))
    corr = td.filter(x, rng.random((3, 5)), correlate=True, anchor=(0, 4)).compute()
    assert corr.dtype == np.uint8


def test_volumes_and_bad_output(image):
    with pytest.raises(NotImplementedError):
        td.gaussian_filter(da.zeros((10, 10, 10), chunks=5), 1)
    with pytest.raises(ValueError, match="dtype"):
        td.gaussian_filter(da.from_array(image), 1, output=np.empty_like(image))


def test_pickles_for_clusters(image):
    import pickle
    x = da.from_array(image, chunks=100)
    y = td.gaussian_filter(x, 2)
    graph = dict(y.__dask_graph__())
    pickle.loads(pickle.dumps(graph))  # what dask.distributed sends to workers


def test_only_halos_leave_their_chunk(image):
    """One task per chunk; what it takes from each neighbour is a slice no
    thicker than the halo (radius 8 here), cut where the neighbour lives."""
    x = da.from_array(image, chunks=(80, 70))
    y = td.gaussian_filter(x, 2)
    graph = dict(y.__dask_graph__())
    halos = [k for k in graph if k[0].startswith("tessel-halo")]
    assert len(halos) == 84  # 4 x 4 chunks: 48 edge strips and 36 corners
    assert len([k for k in graph if k[0] == y.name]) == len(x.chunks[0]) * len(x.chunks[1])
    for piece in dask.get(graph, halos):
        assert min(piece.shape) <= 8 and max(piece.shape) <= 80
