"""SciPy's ndimage filters as tessel passes (see _passes): argument
checks and the exact SciPy conventions (origins, even sizes, truncate and
radius, per-axis modes, the order of the passes), for an array of ``ndim``
dimensions. tessel.ndimage runs these over arrays, tessel.dask over
chunks.
"""
from __future__ import annotations

import numbers
import operator
from typing import Any, List, Optional, Sequence, Tuple

import numpy as np
from numpy.polynomial import hermite_e

from . import _errors
from ._passes import BORDERS, Filter, Pass

_ALIASES = {"grid-constant": "constant", "grid-mirror": "reflect", "grid-wrap": "wrap"}
MAX_AXES = 2


def mode_name(mode: Any) -> str:
    """A scipy.ndimage mode as tessel's border name."""
    name = _ALIASES.get(mode, mode) if isinstance(mode, str) else None
    if name not in BORDERS:
        raise _errors.InvalidArgument(
            f"mode {mode!r} is not one of 'reflect', 'constant', 'nearest', 'mirror', 'wrap' "
            "(or 'grid-constant', 'grid-mirror', 'grid-wrap')"
        )
    return name


def axes_of(axes: Any, ndim: int) -> List[int]:
    """scipy.ndimage's axes argument: None = all; ints, negative allowed, unique."""
    if axes is None:
        return list(range(ndim))
    if isinstance(axes, numbers.Integral):
        axes = [axes]
    out = []
    for a in axes:
        a = operator.index(a)
        if not -ndim <= a < ndim:
            raise _errors.InvalidArgument(f"axis {a} is out of range for a {ndim}-D array")
        out.append(a % ndim)
    if len(set(out)) != len(out):
        raise _errors.InvalidArgument("axes must be unique")
    return out


def axis_of(axis: Any, ndim: int) -> int:
    return axes_of([axis], max(ndim, 1))[0]


def per_axis(value: Any, count: int, name: str) -> list:
    """A scalar (or string) repeated, or a sequence of exactly count values."""
    if isinstance(value, str) or not isinstance(value, (list, tuple, np.ndarray)):
        return [value] * count
    value = list(value)
    if len(value) != count:
        raise _errors.InvalidArgument(
            f"{name} has {len(value)} values; it needs one per filtered axis ({count})"
        )
    return value


def anchor(size: int, origin: Any) -> int:
    """The weight index on the output pixel: size // 2 + origin, in range."""
    origin = operator.index(origin)
    a = size // 2 + origin
    if not 0 <= a < size:
        raise _errors.InvalidArgument(
            f"invalid origin {origin} for a filter of size {size} "
            f"(it must lie in {-(size // 2)}..{(size - 1) // 2})"
        )
    return a


def _weights(weights: Any, ndim: Optional[int] = None) -> np.ndarray:
    w = np.asarray(weights)
    if w.dtype.kind == "c":
        raise _errors.InvalidArgument("complex weights are not supported")
    w = w.astype(np.float64)
    if ndim is not None and w.ndim != ndim:
        raise _errors.InvalidArgument(f"weights are {w.ndim}-D; they need {ndim} dimensions")
    if w.size == 0:
        raise _errors.InvalidArgument("no filter weights given")
    return w


def _too_many(axes: Sequence[int], ndim: int) -> _errors.Unsupported:
    return _errors.Unsupported(
        f"filtering along {len(axes)} axes {tuple(axes)} of a {ndim}-D array: tessel filters "
        "along at most two axes (the others are channels or separate images); volumes are "
        "not supported yet. Give sigma/size 0 or 1, or axes, for the other axes."
    )


# ---------------------------------------------------------- separable

def separable(ndim: int, steps: List[Tuple[int, np.ndarray, int, str]], cval: float) -> Filter:
    """SciPy's axis-by-axis passes [(axis, weights, anchor, mode)], in that
    order, as one 2-D pass when that is the same result (the same border
    on both axes, and no constant border of a non-zero value: SciPy pads
    each pass's intermediate with cval)."""
    axes = [s[0] for s in steps]
    if len(axes) > MAX_AXES:
        raise _too_many(axes, ndim)
    cval = float(cval)
    one_pass = (
        len(steps) == 2
        and steps[0][3] == steps[1][3]
        and not (steps[0][3] == "constant" and cval != 0.0)
    )
    if one_pass:
        first, second = sorted(steps, key=lambda s: s[0])
        return Filter([[Pass(
            axes=(first[0], second[0]), anchors=(first[2], second[2]), border=first[3],
            cval=cval, factors=(first[1], second[1]),
        )]])
    return Filter([[Pass(axes=(a,), anchors=(k,), border=m, cval=cval, factors=(w,))
                    for a, w, k, m in steps]])


def correlate1d(ndim: int, weights: Any, axis: int, mode: Any, cval: float, origin: Any) -> Filter:
    w = _weights(weights)
    if w.ndim != 1:
        raise _errors.InvalidArgument("weights must be 1-D")
    return separable(ndim, [(axis_of(axis, ndim), w, anchor(len(w), origin), mode_name(mode))], cval)


def convolve1d(ndim: int, weights: Any, axis: int, mode: Any, cval: float, origin: Any) -> Filter:
    w = _weights(weights)
    if w.ndim != 1:
        raise _errors.InvalidArgument("weights must be 1-D")
    origin = -operator.index(origin) - (0 if len(w) & 1 else 1)
    return correlate1d(ndim, w[::-1], axis, mode, cval, origin)


# ---------------------------------------------------------- dense

def correlate(ndim: int, weights: Any, mode: Any, cval: float, origin: Any, axes: Any) -> Filter:
    axes = sorted(axes_of(axes, ndim))  # SciPy maps weights' dimensions to sorted axes
    w = _weights(weights, len(axes))
    border = mode_name(mode)
    origins = per_axis(origin, len(axes), "origin")
    anchors = [anchor(n, o) for n, o in zip(w.shape, origins)]
    kept = [i for i, n in enumerate(w.shape) if n > 1]
    if len(kept) > MAX_AXES:
        raise _too_many([axes[i] for i in kept], ndim)
    if not kept:  # a single weight: scales
        kept = [len(axes) - 1]
    w = w.reshape([w.shape[i] for i in kept])
    order = sorted(range(len(kept)), key=lambda i: axes[kept[i]])
    w = np.transpose(w, order)
    chosen = [kept[i] for i in order]
    if w.ndim == 1:
        return Filter([[Pass(axes=(axes[chosen[0]],), anchors=(anchors[chosen[0]],),
                             border=border, cval=float(cval), factors=(w,))]])
    return Filter([[Pass(axes=tuple(axes[i] for i in chosen),
                         anchors=tuple(anchors[i] for i in chosen), border=border,
                         cval=float(cval), dense=w)]])


def convolve(ndim: int, weights: Any, mode: Any, cval: float, origin: Any, axes: Any) -> Filter:
    n_axes = len(axes_of(axes, ndim))
    w = _weights(weights, n_axes)
    origins = per_axis(origin, n_axes, "origin")
    flipped = w[(slice(None, None, -1),) * w.ndim]
    origins = [-operator.index(o) - (0 if n & 1 else 1) for o, n in zip(origins, w.shape)]
    return correlate(ndim, flipped, mode, cval, origins, axes)


# ---------------------------------------------------------- Gaussians

def gaussian_weights(sigma: float, order: int, radius: int) -> np.ndarray:
    """The sampled Gaussian (sum 1) or its order-th derivative, at -radius..radius,
    as SciPy's convolution weights (not yet reversed)."""
    if order < 0:
        raise _errors.InvalidArgument(f"order must be non-negative, got {order}")
    x = np.arange(-radius, radius + 1, dtype=np.float64)
    phi = np.exp(-0.5 * (x / sigma) ** 2)
    phi /= phi.sum()
    if order == 0:
        return phi
    # d^n/dx^n exp(-x^2 / 2 s^2) = (-1/s)^n He_n(x/s) exp(-x^2 / 2 s^2)
    coefficients = np.zeros(order + 1)
    coefficients[order] = 1.0
    return (-1.0 / sigma) ** order * hermite_e.hermeval(x / sigma, coefficients) * phi


def gaussian_radius(sigma: float, truncate: float, radius: Any) -> int:
    if radius is not None:
        if not isinstance(radius, numbers.Integral) or radius < 0:
            raise _errors.InvalidArgument("radius must be a nonnegative integer")
        return int(radius)
    return int(float(truncate) * float(sigma) + 0.5)


def _gaussian_step(axis, sigma, order, mode, truncate, radius):
    sigma = float(sigma)
    r = gaussian_radius(sigma, truncate, radius)
    w = gaussian_weights(sigma, operator.index(order), r)[::-1]
    return (axis, w, len(w) // 2, mode_name(mode))


def gaussian_filter1d(ndim, sigma, axis, order, mode, cval, truncate, radius) -> Filter:
    return separable(ndim, [_gaussian_step(axis_of(axis, ndim), sigma, order, mode, truncate,
                                           radius)], cval)


def gaussian_filter(ndim, sigma, order, mode, cval, truncate, radius, axes) -> Filter:
    axes = axes_of(axes, ndim)
    n = len(axes)
    steps = [
        _gaussian_step(a, s, o, m, truncate, r)
        for a, s, o, m, r in zip(axes, per_axis(sigma, n, "sigma"), per_axis(order, n, "order"),
                                 per_axis(mode, n, "mode"), per_axis(radius, n, "radius"))
        if float(s) > 1e-15
    ]
    return separable(ndim, steps, cval)


def gaussian_laplace(ndim, sigma, mode, cval, axes, truncate=4.0, radius=None) -> Filter:
    axes = axes_of(axes, ndim)
    sigmas = per_axis(sigma, len(axes), "sigma")
    modes = per_axis(mode, len(axes), "mode")
    terms = []
    for i in range(len(axes)):
        orders = [2 if j == i else 0 for j in range(len(axes))]
        terms += gaussian_filter(ndim, sigmas, orders, modes[i], cval, truncate, radius,
                                 axes).terms
    return Filter(terms) if terms else Filter([[]])


# ---------------------------------------------------------- box and edges

def uniform_filter1d(ndim, size, axis, mode, cval, origin) -> Filter:
    size = operator.index(size)
    if size < 1:
        raise _errors.InvalidArgument(f"incorrect filter size {size}")
    w = np.full(size, 1.0 / size)
    return separable(ndim, [(axis_of(axis, ndim), w, anchor(size, origin), mode_name(mode))], cval)


def uniform_filter(ndim, size, mode, cval, origin, axes) -> Filter:
    axes = axes_of(axes, ndim)
    n = len(axes)
    steps = []
    for a, s, m, o in zip(axes, per_axis(size, n, "size"), per_axis(mode, n, "mode"),
                          per_axis(origin, n, "origin")):
        s = operator.index(s)
        if s < 1:
            raise _errors.InvalidArgument(f"incorrect filter size {s}")
        if s > 1:
            steps.append((a, np.full(s, 1.0 / s), anchor(s, o), mode_name(m)))
    return separable(ndim, steps, cval)


def edge(ndim, derivative, smoothing, axis, mode, cval) -> Filter:
    """sobel/prewitt: the derivative along axis, then smoothing along each other axis."""
    axis = axis_of(axis, ndim)
    modes = [mode_name(m) for m in per_axis(mode, max(ndim, 1), "mode")]
    steps = [(axis, np.asarray(derivative, float), 1, modes[axis])]
    steps += [(a, np.asarray(smoothing, float), 1, modes[a]) for a in range(ndim) if a != axis]
    return separable(ndim, steps, cval)


def laplace(ndim, mode, cval, axes) -> Filter:
    axes = axes_of(axes, ndim)
    modes = [mode_name(m) for m in per_axis(mode, len(axes), "mode")]
    if len(axes) > MAX_AXES:
        raise _too_many(axes, ndim)
    if not axes:
        return Filter([[]])
    d2 = np.array([1.0, -2.0, 1.0])
    if len(axes) == 2 and modes[0] == modes[1]:  # the 5-point stencil in one pass
        stencil = np.array([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])
        return Filter([[Pass(axes=tuple(sorted(axes)), anchors=(1, 1), border=modes[0],
                             cval=float(cval), dense=stencil)]])
    return Filter([[Pass(axes=(a,), anchors=(1,), border=m, cval=float(cval), factors=(d2,))]
                   for a, m in zip(axes, modes)])
