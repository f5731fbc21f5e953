"""tessel.Kernel: a convolution kernel from the built-in library or an array."""
from __future__ import annotations

from typing import Any, List, Optional, Tuple, Union

import numpy as np

from . import _errors, _tessel


class Kernel:
    """A convolution kernel: a built-in spec, a 2-D array, or two 1-D factors.

    Specs are those of the ``tessel`` command (``tessel kernels`` lists
    them): ``"gaussian:sigma=2"``, ``"box:5x3"``, ``"sobel:x"``,
    ``"laplacian:8"``, ``"log:sigma=1.4"``, ``"unsharp:sigma=2,amount=1.5"``.
    Arrays are taken as float32, rows first (a 1-D array is one row).
    Kernels are immutable, may be shared between threads and pickled.

    >>> import tessel
    >>> k = tessel.Kernel("sobel:x")
    >>> k.shape, k.separable
    ((3, 3), True)
    >>> tessel.Kernel([[1, 2, 1]]).shape
    (1, 3)
    >>> tessel.Kernel.from_factors(row=[1, 2, 1], column=[1, 0, -1]).separable
    True
    """

    __slots__ = ("_handle", "_spec", "_factors")

    def __init__(self, kernel: Union[str, "Kernel", Any]) -> None:
        self._spec: Optional[str] = None
        self._factors: Optional[Tuple[np.ndarray, np.ndarray]] = None
        if isinstance(kernel, Kernel):
            self._handle, self._spec, self._factors = kernel._handle, kernel._spec, kernel._factors
        elif isinstance(kernel, str):
            self._handle = _tessel.Kernel.from_spec(kernel)
            self._spec = kernel
        else:
            coefficients = np.asarray(kernel)
            if coefficients.dtype.kind == "c":
                raise _errors.InvalidArgument("complex kernels are not supported")
            coefficients = np.ascontiguousarray(coefficients, dtype=np.float32)
            if coefficients.ndim == 1:
                coefficients = coefficients[None, :]
            if coefficients.ndim != 2:
                raise _errors.InvalidArgument(
                    f"a kernel array is 1-D or 2-D, got {coefficients.ndim}-D")
            if coefficients.size == 0:
                raise _errors.InvalidArgument("a kernel array is empty")
            self._handle = _tessel.Kernel.from_dense(coefficients)

    @classmethod
    def from_factors(cls, row: Any, column: Any) -> "Kernel":
        """The separable kernel ``column[j] * row[i]`` (rows, then columns).

        >>> import tessel
        >>> tessel.Kernel.from_factors([1, 1], [1, 2, 1]).coefficients.tolist()
        [[1.0, 1.0], [2.0, 2.0], [1.0, 1.0]]
        """
        k = cls.__new__(cls)
        r = np.ascontiguousarray(row, dtype=np.float32).ravel()
        c = np.ascontiguousarray(column, dtype=np.float32).ravel()
        k._handle = _tessel.Kernel.from_factors(r, c)
        k._spec, k._factors = None, (r, c)
        return k

    @property
    def shape(self) -> Tuple[int, int]:
        """(rows, columns)."""
        return (self._handle.height, self._handle.width)

    @property
    def separable(self) -> bool:
        """True when the kernel is rank 1 (it runs as a row pass and a column pass)."""
        return self._handle.separable

    @property
    def spec(self) -> Optional[str]:
        """The built-in spec it was made from, if any."""
        return self._spec

    @property
    def coefficients(self) -> np.ndarray:
        """The coefficients as a float32 array of ``shape`` (a copy)."""
        return self._handle.coefficients()

    @staticmethod
    def builtins() -> List[dict]:
        """The built-in library: dicts with name, params, description, example.

        >>> import tessel
        >>> "gaussian" in [k["name"] for k in tessel.Kernel.builtins()]
        True
        """
        return _tessel.builtins()

    def __reduce__(self):
        if self._spec is not None:
            return (Kernel, (self._spec,))
        if self._factors is not None:
            return (Kernel.from_factors, self._factors)
        return (Kernel, (self.coefficients,))

    def __repr__(self) -> str:
        what = repr(self._spec) if self._spec else f"{self.shape[0]}x{self.shape[1]} array"
        return f"tessel.Kernel({what})"


def as_kernel(kernel: Any) -> Kernel:
    return kernel if isinstance(kernel, Kernel) else Kernel(kernel)
