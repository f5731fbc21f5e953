"""Bad input: exceptions carry the C library's message, in Python's classes."""
import numpy as np
import pytest

import tessel
from tessel import ndimage as tn


def test_hierarchy():
    for cls, base in [(tessel.InvalidArgument, ValueError), (tessel.OutOfMemory, MemoryError),
                      (tessel.FileError, OSError), (tessel.DeviceError, RuntimeError),
                      (tessel.Unsupported, NotImplementedError)]:
        assert issubclass(cls, tessel.Error) and issubclass(cls, base)


def test_c_messages():
    image = np.zeros((4, 5), np.float32)
    with pytest.raises(tessel.InvalidArgument, match="larger than the 5x4 image") as err:
        tessel.filter(image, np.ones((9, 9)), mode="valid")
    assert err.value.status == "TESSEL_ERR_KERNEL_TOO_LARGE"
    with pytest.raises(ValueError, match="unknown kernel|gaussian"):
        tessel.Kernel("gaussian:sigma=nope")
    with pytest.raises(tessel.DeviceError) as err:
        tessel.filter(image, "box:3", device="no-such-device-anywhere")
    assert err.value.status == "TESSEL_ERR_NO_DEVICE"
    with pytest.raises(tessel.FileError, match="missing.png"):
        tessel.read("/nonexistent/missing.png")
    with pytest.raises(OSError):
        tessel.write("/nonexistent-dir/x.png", np.zeros((2, 2), np.uint8))


def test_wrong_dtypes():
    with pytest.raises(ValueError, match="complex"):
        tn.gaussian_filter(np.zeros((4, 4), np.complex64), 1)
    with pytest.raises(ValueError):
        tn.gaussian_filter(np.array([["a", "b"]]), 1)
    with pytest.raises(ValueError):
        tessel.filter(np.zeros((4, 4), np.complex128))
    with pytest.raises(ValueError, match="dtype"):
        tessel.Plan((4, 4), "box:3", dtype=np.float64)


def test_nan_kernels():
    image = np.ones((8, 8), np.float32)
    with pytest.raises(ValueError, match="NaN|finite"):
        tn.correlate(image, [[1, np.nan], [0, 1]])
    with pytest.raises(ValueError, match="NaN|finite"):
        tessel.filter(image, [[np.inf, 1]])
    with pytest.raises(ValueError, match="NaN|finite"):
        tessel.convolve([1.0, 2.0], [np.nan])


def test_bad_arguments():
    image = np.ones((8, 8), np.float32)
    with pytest.raises(ValueError, match="mode"):
        tn.gaussian_filter(image, 1, mode="bogus")
    with pytest.raises(ValueError, match="origin"):
        tn.uniform_filter(image, 3, origin=2)
    with pytest.raises(ValueError, match="size"):
        tn.uniform_filter(image, 0)
    with pytest.raises(ValueError, match="one per filtered axis"):
        tn.gaussian_filter(image, (1, 2, 3))
    with pytest.raises(ValueError, match="axis"):
        tn.sobel(image, axis=2)
    with pytest.raises(ValueError, match="unique"):
        tn.gaussian_filter(image, 1, axes=(0, 0))
    with pytest.raises(ValueError, match="border"):
        tessel.filter(image, "box:3", border="bogus")
    with pytest.raises(ValueError, match="5 channels"):
        tessel.filter(np.ones((4, 4, 5), np.float32))
    with pytest.raises(ValueError, match="2-D"):
        tessel.filter(np.ones(8, np.float32))


def test_empty_and_readonly():
    with pytest.raises(ValueError, match="empty"):
        tessel.filter(np.zeros((0, 4), np.float32))
    image = np.ones((6, 6), np.float32)
    out = np.zeros((6, 6), np.float32)
    out.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        tn.gaussian_filter(image, 1, output=out)
    with pytest.raises(ValueError, match="shape"):
        tn.gaussian_filter(image, 1, output=np.zeros((5, 6), np.float32))
    ro = image.copy()
    ro.flags.writeable = False
    assert tn.gaussian_filter(ro, 1).shape == (6, 6)  # read-only input is fine


def test_nothing_written_on_failure():
    out = np.full((4, 4), 7.0, np.float32)
    with pytest.raises(ValueError):
        tessel.filter(np.zeros((4, 4), np.float32), np.ones((5, 5)), mode="valid", out=out)
    assert (out == 7.0).all()
