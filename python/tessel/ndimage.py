"""scipy.ndimage's linear filters on tessel.

Same names, signatures, defaults and results as ``scipy.ndimage``, so that
``from tessel import ndimage as ndi`` replaces ``scipy.ndimage`` in these
calls::

    >>> import numpy as np
    >>> from tessel import ndimage as ndi
    >>> image = np.random.default_rng(0).random((64, 64), dtype=np.float32)
    >>> ndi.gaussian_filter(image, sigma=2).shape
    (64, 64)

What differs from SciPy, on purpose or for now:

- dtypes: uint8, uint16 and float32 are filtered natively (sums in
  float32); float64 and other integer types are filtered as float32 and
  converted back (float64 results carry float32 precision);
- integer outputs round the exact result to nearest and saturate. SciPy
  truncates towards zero (and wraps negative values around), and its
  separable filters truncate after every pass, so its uint8 Gaussian is up
  to 2 levels off the exact result, where tessel's is within 1;
- weights with NaN or infinity are an error (SciPy propagates them);
- filtering along more than two axes of an array (a volume) raises
  :class:`tessel.Unsupported` (a ``NotImplementedError``). A 3-D array
  filtered along its first two axes only (sigma or size 0/1 on the last
  axis, or ``axes=(0, 1)``) is an image with channels last; other axes
  are separate images (e.g. ``axes=(1, 2)`` over a stack).

Every function computes on the current device (:func:`tessel.set_device`)
with the GIL released.
"""
from __future__ import annotations

import functools
from typing import Any, Optional, Sequence, Union

import numpy as np

from . import _dtypes, _errors, _filters, _memory, _passes

__all__ = [
    "convolve", "correlate", "convolve1d", "correlate1d", "gaussian_filter",
    "gaussian_filter1d", "uniform_filter", "uniform_filter1d", "sobel", "prewitt", "laplace",
    "gaussian_laplace",
]

ArrayLike = Any
Output = Union[None, np.ndarray, np.dtype, type, str]


def _output(output: Output, input: np.ndarray) -> np.ndarray:
    """SciPy's output argument: None (input's dtype), a dtype, or an array to fill."""
    if output is None:
        return _memory.empty(input.shape, input.dtype)
    if isinstance(output, np.ndarray):
        if output.shape != input.shape:
            raise _errors.InvalidArgument(
                f"output shape {output.shape} differs from the input's {input.shape}")
        if not output.flags.writeable:
            raise _errors.InvalidArgument("output array is read-only")
        _dtypes.check_real(output.dtype, "output")
        return output
    return _memory.empty(input.shape, _dtypes.check_real(np.dtype(output), "output"))


def _key(value: Any) -> Any:
    """value as a hashable key of what it means to a filter builder: arrays
    by dtype, shape and bytes; scalars with their type, as 2 and 2.0 are
    not the same argument (a radius of 2.0 is an error). TypeError when
    it has no key."""
    if isinstance(value, np.ndarray):
        return (value.dtype.str, value.shape, value.tobytes())
    if isinstance(value, (list, tuple)):
        return (type(value), tuple(_key(v) for v in value))
    hash(value)
    return (type(value), value)


class _Arguments:
    """A builder's arguments, compared and hashed by their key."""

    __slots__ = ("args", "key")

    def __init__(self, args: tuple) -> None:
        self.args, self.key = args, _key(args)

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Arguments) and self.key == other.key


@functools.lru_cache(maxsize=256)
def _built(build, ndim: int, arguments: _Arguments) -> _passes.Filter:
    return build(ndim, *arguments.args)


def _filter(build, ndim: int, args: tuple) -> _passes.Filter:
    """build(ndim, *args), the same Filter again for the same arguments: the
    weights, C kernels and options of a repeated call are made once."""
    try:
        arguments = _Arguments(args)
    except TypeError:  # something unhashable: built each time
        return build(ndim, *args)
    return _built(build, ndim, arguments)


def _apply(build, input: ArrayLike, output: Output, *args) -> np.ndarray:
    array = input if type(input) is np.ndarray else np.asarray(input)
    _dtypes.check_real(array.dtype, "input")
    result = _output(output, array)
    f = _filter(build, array.ndim, args)
    if array.size:
        _passes.run(f, array, result)
    return result


def correlate1d(input: ArrayLike, weights: ArrayLike, axis: int = -1, output: Output = None,
                mode: str = "reflect", cval: float = 0.0, origin: int = 0) -> np.ndarray:
    """Correlate ``input`` with 1-D ``weights`` along ``axis`` (as scipy.ndimage).

    >>> import numpy as np
    >>> from tessel import ndimage as ndi
    >>> ndi.correlate1d(np.array([2, 8, 0, 4, 1, 9, 9, 0], np.float32), [1, 3])
    array([ 8., 26.,  8., 12.,  7., 28., 36.,  9.], dtype=float32)
    """
    return _apply(_filters.correlate1d, input, output, weights, axis, mode, cval, origin)


def convolve1d(input: ArrayLike, weights: ArrayLike, axis: int = -1, output: Output = None,
               mode: str = "reflect", cval: float = 0.0, origin: int = 0) -> np.ndarray:
    """Convolve ``input`` with 1-D ``weights`` along ``axis`` (as scipy.ndimage).

    >>> import numpy as np
    >>> from tessel import ndimage as ndi
    >>> ndi.convolve1d(np.array([2, 8, 0, 4, 1, 9, 9, 0], np.float32), [1, 3])
    array([14., 24.,  4., 13., 12., 36., 27.,  0.], dtype=float32)
    """
    return _apply(_filters.convolve1d, input, output, weights, axis, mode, cval, origin)


def correlate(input: ArrayLike, weights: ArrayLike, output: Output = None,
              mode: str = "reflect", cval: float = 0.0, origin: Union[int, Sequence[int]] = 0,
              *, axes: Optional[Sequence[int]] = None) -> np.ndarray:
    """Multidimensional correlation with ``weights`` (as scipy.ndimage).

    ``weights`` has one dimension per axis filtered; at most two of them may
    be longer than 1.

    >>> import numpy as np
    >>> from tessel import ndimage as ndi
    >>> a = np.arange(16, dtype=np.float32).reshape(4, 4)
    >>> ndi.correlate(a, [[0, 1, 0], [1, 1, 1], [0, 1, 0]], mode="constant")[1]
    array([17., 25., 30., 27.], dtype=float32)
    """
    return _apply(_filters.correlate, input, output, weights, mode, cval, origin, axes)


def convolve(input: ArrayLike, weights: ArrayLike, output: Output = None,
             mode: str = "reflect", cval: float = 0.0, origin: Union[int, Sequence[int]] = 0,
             *, axes: Optional[Sequence[int]] = None) -> np.ndarray:
    """Multidimensional convolution with ``weights`` (as scipy.ndimage).

    Even-sized weights are anchored as SciPy does (one element later than
    scipy.signal and tessel's C default).

    >>> import numpy as np
    >>> from tessel import ndimage as ndi
    >>> a = np.array([[1, 2, 0, 0], [5, 3, 0, 4], [0, 0, 0, 7], [9, 3, 0, 0]], np.float32)
    >>> ndi.convolve(a, np.array([[1, 1, 1], [1, 1, 0], [1, 0, 0]]), mode="constant")
    array([[11., 10.,  7.,  4.],
           [10.,  3., 11., 11.],
           [15., 12., 14.,  7.],
           [12.,  3.,  7.,  0.]], dtype=float32)
    """
    return _apply(_filters.convolve, input, output, weights, mode, cval, origin, axes)


def gaussian_filter1d(input: ArrayLike, sigma: float, axis: int = -1, order: int = 0,
                      output: Output = None, mode: str = "reflect", cval: float = 0.0,
                      truncate: float = 4.0, *, radius: Optional[int] = None) -> np.ndarray:
    """1-D Gaussian filter (or its ``order``-th derivative) along ``axis`` (as scipy.ndimage).

    The kernel reaches ``radius`` samples, by default ``int(truncate * sigma + 0.5)``.
    For integer outputs the exact result is rounded to nearest (SciPy truncates).

    >>> import numpy as np
    >>> from tessel import ndimage as ndi
    >>> np.round(ndi.gaussian_filter1d(np.array([1, 2, 3, 4, 5], np.float32), 1), 4)
    array([1.427 , 2.0678, 3.    , 3.9322, 4.573 ], dtype=float32)
    """
    return _apply(_filters.gaussian_filter1d, input, output, sigma, axis, order, mode, cval,
                  truncate, radius)


def gaussian_filter(input: ArrayLike, sigma: Union[float, Sequence[float]], order: Any = 0,
                    output: Output = None, mode: Any = "reflect", cval: float = 0.0,
                    truncate: float = 4.0, *, radius: Any = None,
                    axes: Optional[Sequence[int]] = None) -> np.ndarray:
    """Gaussian filter, per-axis ``sigma``, ``order``, ``mode`` and ``radius`` (as scipy.ndimage).

    An axis whose sigma is 0 is not filtered: ``sigma=(2, 2, 0)`` blurs an
    H x W x C image channel by channel. SciPy's uint8 result is up to 2
    levels off the exact one (it truncates after each axis); tessel's is
    rounded once, within 1 level.

    >>> import numpy as np
    >>> from tessel import ndimage as ndi
    >>> rgb = np.random.default_rng(1).integers(0, 256, (32, 48, 3), dtype=np.uint8)
    >>> ndi.gaussian_filter(rgb, sigma=(2, 2, 0)).shape
    (32, 48, 3)
    """
    return _apply(_filters.gaussian_filter, input, output, sigma, order, mode, cval, truncate,
                  radius, axes)


def uniform_filter1d(input: ArrayLike, size: int, axis: int = -1, output: Output = None,
                     mode: str = "reflect", cval: float = 0.0, origin: int = 0) -> np.ndarray:
    """1-D moving average of ``size`` samples along ``axis`` (as scipy.ndimage).

    >>> import numpy as np
    >>> from tessel import ndimage as ndi
    >>> ndi.uniform_filter1d(np.array([2, 8, 0, 4, 1, 9, 9, 0], np.float32), size=3)
    array([4.       , 3.3333335, 4.       , 1.6666667, 4.666667 , 6.3333335,
           6.       , 3.       ], dtype=float32)
    """
    return _apply(_filters.uniform_filter1d, input, output, size, axis, mode, cval, origin)


def uniform_filter(input: ArrayLike, size: Union[int, Sequence[int]] = 3, output: Output = None,
                   mode: Any = "reflect", cval: float = 0.0, origin: Any = 0,
                   *, axes: Optional[Sequence[int]] = None) -> np.ndarray:
    """Moving average over ``size`` samples per axis (as scipy.ndimage); size 1 skips an axis.

    >>> import numpy as np
    >>> from tessel import ndimage as ndi
    >>> ndi.uniform_filter(np.ones((4, 4), np.float32), size=3)[0, 0]
    np.float32(1.0)
    """
    return _apply(_filters.uniform_filter, input, output, size, mode, cval, origin, axes)


def sobel(input: ArrayLike, axis: int = -1, output: Output = None, mode: Any = "reflect",
          cval: float = 0.0) -> np.ndarray:
    """Sobel derivative along ``axis``, smoothed along the other axis (as scipy.ndimage).

    For uint8 input the output is uint8 (as SciPy), where negative values
    saturate to 0; pass ``output=np.float32`` for the signed derivative.

    >>> import numpy as np
    >>> from tessel import ndimage as ndi
    >>> ramp = np.tile(np.arange(5, dtype=np.float32), (3, 1))
    >>> ndi.sobel(ramp, axis=1)[1]
    array([4., 8., 8., 8., 4.], dtype=float32)
    """
    return _apply(_filters.edge, input, output, [-1, 0, 1], [1, 2, 1], axis, mode, cval)


def prewitt(input: ArrayLike, axis: int = -1, output: Output = None, mode: Any = "reflect",
            cval: float = 0.0) -> np.ndarray:
    """Prewitt derivative along ``axis``, averaged along the other axis (as scipy.ndimage).

    >>> import numpy as np
    >>> from tessel import ndimage as ndi
    >>> ramp = np.tile(np.arange(5, dtype=np.float32), (3, 1))
    >>> ndi.prewitt(ramp, axis=1)[1]
    array([3., 6., 6., 6., 3.], dtype=float32)
    """
    return _apply(_filters.edge, input, output, [-1, 0, 1], [1, 1, 1], axis, mode, cval)


def laplace(input: ArrayLike, output: Output = None, mode: Any = "reflect", cval: float = 0.0,
            *, axes: Optional[Sequence[int]] = None) -> np.ndarray:
    """Laplace filter from second differences [1, -2, 1] summed over the axes (as scipy.ndimage).

    >>> import numpy as np
    >>> from tessel import ndimage as ndi
    >>> spike = np.zeros((3, 3), np.float32); spike[1, 1] = 1
    >>> ndi.laplace(spike, mode="constant")
    array([[ 0.,  1.,  0.],
           [ 1., -4.,  1.],
           [ 0.,  1.,  0.]], dtype=float32)
    """
    return _apply(_filters.laplace, input, output, mode, cval, axes)


def gaussian_laplace(input: ArrayLike, sigma: Union[float, Sequence[float]],
                     output: Output = None, mode: Any = "reflect", cval: float = 0.0,
                     *, axes: Optional[Sequence[int]] = None, **kwargs: Any) -> np.ndarray:
    """Laplacian of Gaussian: the sum of the second Gaussian derivatives (as scipy.ndimage).

    ``kwargs`` go to the Gaussian (``truncate``, ``radius``).

    >>> import numpy as np
    >>> from tessel import ndimage as ndi
    >>> spot = np.zeros((21, 21), np.float32); spot[10, 10] = 1
    >>> bool(ndi.gaussian_laplace(spot, sigma=2)[10, 10] < 0)
    True
    """
    unknown = set(kwargs) - {"truncate", "radius"}
    if unknown:
        raise TypeError(f"gaussian_laplace() got unexpected keyword arguments {sorted(unknown)}")
    return _apply(_filters.gaussian_laplace, input, output, sigma, mode, cval, axes,
                  kwargs.get("truncate", 4.0), kwargs.get("radius"))
