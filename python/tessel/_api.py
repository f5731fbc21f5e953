"""tessel's own Python API: filter, Plan, Buffer, deconvolve, match_template."""
from __future__ import annotations

from typing import Any, List, Optional, Tuple, Union

import numpy as np

from . import _device, _dtypes, _errors, _layout, _memory, _tessel
from ._kernel import Kernel, as_kernel
from ._options import conv_options
from ._options import out_dtype as _target

ArrayLike = Any
KernelLike = Union[str, Kernel, ArrayLike]


def image_array(image: ArrayLike, what: str = "image") -> np.ndarray:
    """An image the C library takes: 2-D, or 3-D with 1 to 4 channels last;
    native dtype (others as float32); packed columns (else copied)."""
    a = np.asarray(image)
    if a.ndim not in (2, 3):
        raise _errors.InvalidArgument(
            f"{what} must be 2-D (rows, columns) or 3-D (rows, columns, channels), got {a.ndim}-D")
    if a.ndim == 3 and not 1 <= a.shape[2] <= _layout.MAX_CHANNELS:
        raise _errors.InvalidArgument(f"{what} has {a.shape[2]} channels; tessel takes 1 to 4")
    if a.size == 0:
        raise _errors.InvalidArgument(f"{what} is empty (shape {a.shape})")
    a = _dtypes.as_native(a)
    return a if _layout.packed(a) else np.ascontiguousarray(a)


def _channels_shape(rows: int, cols: int, like: np.ndarray) -> Tuple[int, ...]:
    return (rows, cols) if like.ndim == 2 else (rows, cols, like.shape[2])


def filter(image: Union[ArrayLike, "Buffer"], kernel: KernelLike = "gaussian:sigma=2", *,
           mode: str = "same", border: str = "reflect", cval: float = 0.0,
           correlate: bool = False, anchor: Any = None, method: str = "auto",
           device: Optional[str] = None, stride: Any = 1, scale: float = 1.0,
           offset: float = 0.0, absolute: bool = False, dtype: Any = None,
           out: Optional[np.ndarray] = None) -> Union[np.ndarray, "Buffer"]:
    """Convolve an image with a kernel, tessel's way (the math contract of the C library).

    ``image`` is 2-D or H x W x C (1 to 4 channels, each filtered alike), or a
    :class:`Buffer` (the result is then a Buffer on the same device).
    ``kernel`` is a built-in spec, an array or a :class:`Kernel`. ``mode``
    is ``"same"``, ``"full"`` or ``"valid"``; ``border`` ``"reflect"``
    (default), ``"constant"`` (value ``cval``), ``"nearest"``, ``"mirror"``
    or ``"wrap"``; ``anchor`` the kernel element (row, column) on the
    output pixel in same mode (default ``((kh-1)//2, (kw-1)//2)``, as
    scipy.signal); ``stride`` keeps every n-th output row and column;
    ``method`` ``"auto"``, ``"direct"``, ``"separable"``, ``"fft"`` or
    ``"fft-block"``; ``device`` overrides the current device. The output is
    ``scale * sum + offset`` (its absolute value with ``absolute``), in
    ``dtype`` (default: the input's; ``"u8"``, ``"u16"``, ``"f32"`` or a
    NumPy dtype), integers rounded to nearest and saturated.

    >>> import numpy as np, tessel
    >>> image = np.zeros((5, 5), np.float32); image[2, 2] = 1
    >>> tessel.filter(image, [[1, 2, 3]], border="constant")[2]
    array([0., 1., 2., 3., 0.], dtype=float32)
    >>> edges = tessel.filter(image, "sobel:x", dtype=np.float32, absolute=True)
    >>> tessel.filter(np.ones((8, 8), np.uint8), "box:3", mode="valid").shape
    (6, 6)
    """
    k = as_kernel(kernel)
    options = conv_options(mode, border, cval, correlate, stride, anchor, method, scale,
                           offset, absolute)
    if isinstance(image, Buffer):
        return image._filtered(k, options, dtype)
    original = np.asarray(image)
    src = image_array(original)
    target = _target(dtype, original.dtype)
    rows, cols = _tessel.output_size(src.shape[1], src.shape[0], k._handle, options)
    shape = _channels_shape(rows, cols, src)
    if out is not None:
        if out.shape != shape or out.dtype != target:
            raise _errors.InvalidArgument(
                f"out is {out.dtype} {out.shape}; the result is {target} {shape}")
        if not out.flags.writeable:
            raise _errors.InvalidArgument("out is read-only")
    direct = out if out is not None and _layout.packed(out) else None
    native = target if _dtypes.is_native(target) else np.dtype(np.float32)
    result = direct if direct is not None and native == target else _memory.empty(shape, native)
    _tessel.execute(src, result, k._handle, options, _device.current_device(device),
                    _device.current_threads())
    if out is not None:
        _dtypes.store(result, out)
        return out
    return _dtypes.convert(result, target)


class Plan:
    """A convolution fixed for one image shape and dtype, run on many images.

    Everything expensive (the method's choice, FFT plans, kernel spectra,
    device buffers) is done once, here. A plan has its own context on its
    device and may be called from any thread (one call at a time).

    >>> import numpy as np, tessel
    >>> plan = tessel.Plan((256, 256), "gaussian:sigma=3", dtype=np.uint8)
    >>> frames = np.random.default_rng(0).integers(0, 256, (4, 256, 256), dtype=np.uint8)
    >>> blurred = [plan(frame) for frame in frames]
    >>> plan.info["method"] in ("separable", "direct", "fft", "fft-block")
    True
    """

    def __init__(self, shape: Tuple[int, ...], kernel: KernelLike, *, dtype: Any = np.float32,
                 out_dtype: Any = None, mode: str = "same", border: str = "reflect",
                 cval: float = 0.0, correlate: bool = False, anchor: Any = None,
                 method: str = "auto", device: Optional[str] = None, stride: Any = 1,
                 scale: float = 1.0, offset: float = 0.0, absolute: bool = False,
                 threads: Optional[int] = None) -> None:
        if len(shape) not in (2, 3):
            raise _errors.InvalidArgument("shape is (rows, columns) or (rows, columns, channels)")
        self._in_dtype = np.dtype(dtype)
        if not _dtypes.is_native(self._in_dtype):
            raise _errors.InvalidArgument(
                f"a plan's input dtype is uint8, uint16 or float32, got {self._in_dtype}")
        self._out_dtype = _target(out_dtype, self._in_dtype)
        if not _dtypes.is_native(self._out_dtype):
            raise _errors.InvalidArgument(
                f"a plan's output dtype is uint8, uint16 or float32, got {self._out_dtype}")
        self._shape = tuple(int(n) for n in shape)
        channels = self._shape[2] if len(self._shape) == 3 else 1
        k = as_kernel(kernel)
        options = conv_options(mode, border, cval, correlate, stride, anchor, method, scale,
                               offset, absolute)
        rows, cols = _tessel.output_size(self._shape[1], self._shape[0], k._handle, options)
        self.output_shape = (rows, cols) if len(self._shape) == 2 else (rows, cols, channels)
        self._plan = _tessel.Plan(_device.current_device(device), _device.current_threads(threads),
                                  self._shape[0], self._shape[1], channels,
                                  _dtypes.code(self._in_dtype), _dtypes.code(self._out_dtype),
                                  k._handle, options)

    @property
    def info(self) -> dict:
        """Backend, device, method and why, shapes, dtypes, tiles, and
        ``integer_path``: whether it sums u8/u16 samples exactly in integers
        (README, math contract)."""
        return self._plan.info()

    def __call__(self, image: ArrayLike, out: Optional[np.ndarray] = None) -> np.ndarray:
        """Filter one image of the plan's shape and dtype (into ``out`` if given)."""
        src = np.asarray(image)
        if src.shape != self._shape or src.dtype != self._in_dtype:
            raise _errors.InvalidArgument(
                f"the plan takes {self._in_dtype} {self._shape}, got {src.dtype} {src.shape}")
        if not _layout.packed(src):
            src = np.ascontiguousarray(src)
        if out is None:
            out = _memory.empty(self.output_shape, self._out_dtype)
        elif out.shape != self.output_shape or out.dtype != self._out_dtype or \
                not out.flags.writeable or not _layout.packed(out):
            raise _errors.InvalidArgument(
                f"out must be a writable {self._out_dtype} array of {self.output_shape} "
                "with packed columns")
        self._plan.execute(src, out)
        return out

    execute = __call__


class Buffer:
    """An image kept on a device, for pipelines that chain filters there.

    On an OpenCL device the data stays in device memory between
    :func:`filter` calls and :meth:`combine`; on the CPU backend it lives
    in host memory and the same calls work. Buffers of one device share a
    context, so they may be used from any thread.

    >>> import numpy as np, tessel
    >>> image = np.random.default_rng(0).random((64, 64), dtype=np.float32)
    >>> b = tessel.Buffer(image, device="cpu")
    >>> gx = tessel.filter(b, "sobel:x", dtype="f32")
    >>> gy = tessel.filter(b, "sobel:y", dtype="f32")
    >>> magnitude = gx.combine(gy, "magnitude").to_numpy()
    >>> magnitude.shape
    (64, 64)
    """

    _OPS = {"add": 0, "subtract": 1, "multiply": 2, "magnitude": 3, "divide": 4}

    def __init__(self, array: Optional[ArrayLike] = None, *, shape: Optional[Tuple[int, ...]] = None,
                 dtype: Any = np.float32, device: Optional[str] = None) -> None:
        if array is not None:
            src = image_array(array, "array")
            shape, dtype = src.shape, src.dtype
        elif shape is None or len(shape) not in (2, 3):
            raise _errors.InvalidArgument("give an array, or shape=(rows, columns[, channels])")
        dtype = np.dtype(dtype)
        if not _dtypes.is_native(dtype):
            raise _errors.InvalidArgument(f"a buffer holds uint8, uint16 or float32, not {dtype}")
        channels = shape[2] if len(shape) == 3 else 1
        self._buffer = _tessel.Buffer(_device.current_device(device), int(shape[0]),
                                      int(shape[1]), channels, _dtypes.code(dtype))
        self.shape: Tuple[int, ...] = tuple(int(n) for n in shape)
        self.dtype = dtype
        if array is not None:
            self._buffer.upload(src)

    @property
    def device(self) -> str:
        """The name of the device that holds it."""
        return self._buffer.device_name

    def _like(self, shape: Tuple[int, ...], dtype: np.dtype) -> "Buffer":
        return Buffer(shape=shape, dtype=dtype, device=self._buffer.device or "auto")

    def _filtered(self, kernel: Kernel, options, dtype: Any) -> "Buffer":
        target = _target(dtype, self.dtype)
        rows, cols = _tessel.output_size(self.shape[1], self.shape[0], kernel._handle, options)
        out = self._like((rows, cols) + self.shape[2:], target)
        _tessel.convolve_buffers(self._buffer, out._buffer, kernel._handle, options)
        return out

    def combine(self, other: "Buffer", op: str, dtype: Any = None) -> "Buffer":
        """op(self, other) sample by sample: ``"add"``, ``"subtract"``,
        ``"multiply"``, ``"magnitude"`` (sqrt(a² + b²)) or ``"divide"`` (0 where b is 0)."""
        if op not in self._OPS:
            raise _errors.InvalidArgument(f"op {op!r} is not one of {', '.join(self._OPS)}")
        out = self._like(self.shape, _target(dtype, self.dtype))
        _tessel.combine_buffers(self._buffer, other._buffer, self._OPS[op], out._buffer)
        return out

    def to_numpy(self) -> np.ndarray:
        """The buffer's contents as a new array (waits for pending work)."""
        out = np.empty(self.shape, self.dtype)
        self._buffer.download(out)
        return out

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        a = self.to_numpy()
        return a if dtype is None else a.astype(dtype)

    def __repr__(self) -> str:
        return f"tessel.Buffer(shape={self.shape}, dtype={self.dtype}, device={self.device!r})"


_DECONV = {"wiener": 0, "tikhonov": 1, "richardson-lucy": 2, "rl": 2}


def deconvolve(image: ArrayLike, psf: KernelLike, *, method: str = "wiener",
               nsr: float = 0.01, regularization: float = 0.01, iterations: int = 30,
               damping: float = 0.0, taper: Optional[int] = None, dtype: Any = None,
               device: Optional[str] = None) -> np.ndarray:
    """Restore an image blurred by ``psf`` (tessel_deconvolve).

    ``method`` is ``"wiener"`` (noise-to-signal ratio ``nsr``),
    ``"tikhonov"`` (``regularization``) or ``"richardson-lucy"``
    (``iterations``, ``damping``). ``taper`` is the width of the edge taper
    (default twice the PSF's larger side; -1 treats the image as periodic).

    >>> import numpy as np, tessel
    >>> sharp = np.random.default_rng(0).random((64, 64), dtype=np.float32)
    >>> blurred = tessel.filter(sharp, "gaussian:sigma=1.5", border="wrap")
    >>> restored = tessel.deconvolve(blurred, "gaussian:sigma=1.5", nsr=1e-4, taper=-1)
    >>> bool(np.abs(restored - sharp).mean() < np.abs(blurred - sharp).mean())
    True
    """
    if method not in _DECONV:
        raise _errors.InvalidArgument(f"method {method!r} is not one of {', '.join(_DECONV)}")
    original = np.asarray(image)
    src = image_array(original)
    target = _target(dtype, original.dtype)
    native = target if _dtypes.is_native(target) else np.dtype(np.float32)
    result = _memory.empty(src.shape, native)
    _tessel.deconvolve(src, result, as_kernel(psf)._handle, _DECONV[method], float(nsr),
                       float(regularization), int(iterations), float(damping),
                       0 if taper is None else int(taper), _device.current_device(device),
                       _device.current_threads())
    return _dtypes.convert(result, target)


def match_template(image: ArrayLike, template: ArrayLike, *, device: Optional[str] = None,
                   best: int = 0, min_score: float = 0.5,
                   min_distance: int = 1) -> Union[np.ndarray, Tuple[np.ndarray, List[tuple]]]:
    """Zero-mean normalised cross-correlation scores (OpenCV's TM_CCOEFF_NORMED).

    Returns the float32 score map of (H - h + 1) x (W - w + 1) placements;
    with ``best`` > 0 also the best matches, ``[(row, column, score)]``,
    local maxima of at least ``min_score`` at least ``min_distance`` apart.

    >>> import numpy as np, tessel
    >>> scene = np.random.default_rng(0).random((80, 80), dtype=np.float32)
    >>> scores, found = tessel.match_template(scene, scene[30:40, 50:62], best=1)
    >>> found[0][:2]
    (30, 50)
    """
    src = image_array(image)
    templ = image_array(template, "template")
    rows, cols = src.shape[0] - templ.shape[0] + 1, src.shape[1] - templ.shape[1] + 1
    scores = _memory.empty((max(rows, 1), max(cols, 1)), np.float32)
    dev = _device.current_device(device)
    _tessel.match_template(src, templ, scores, dev, _device.current_threads())
    if best <= 0:
        return scores
    return scores, _tessel.match_best(scores, float(min_score), int(min_distance), int(best), dev)
