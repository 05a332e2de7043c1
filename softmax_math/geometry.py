"""Geometry of the logit space: the sum-zero plane that softmax actually sees.

Softmax ignores the all-ones direction (``softmax(z + c) == softmax(z)``), so K logits
carry only K - 1 degrees of freedom. We draw them in the hyperplane ``sum(z) = 0`` using an
orthonormal basis ``B`` of shape ``(K - 1, K)`` (:func:`sum_zero_basis`):

* ``to_plane(z) = z @ B.T`` gives K - 1 plane coordinates (the mean of ``z`` drops out);
* ``from_plane(x) = x @ B`` gives back the zero-mean logits;
* class ``i``'s vertex (the one-hot logit vector ``e_i`` seen in the plane) is ``B[:, i]``.

The basis is chosen for pictures
--------------------------------
* K = 2: the single row ``(1, -1) / sqrt(2)``. The line coordinate is
  ``(z0 - z1) / sqrt(2)``; class 0 is to the right, class 1 to the left.
* K >= 3: the **last** plane coordinate points at class 0,
  ``(K - 1, -1, ..., -1) / sqrt(K (K - 1))``, and the other rows are ``(0 | C)`` where ``C``
  is the picture of classes 1..K-1 for K - 1 classes. Hence:

  - K = 3, rows ``(0, -1, 1) / sqrt(2)`` and ``(2, -1, -1) / sqrt(6)``: an upright
    triangle with class 0 straight up, class 1 bottom left, class 2 bottom right
    (counter-clockwise, and left to right along the base);
  - K = 4: class 0 straight up the third axis (the "z" axis of a 3D scene) above a base
    triangle of classes 1, 2, 3 laid out like the K = 3 picture (class 1 at +y);
  - K = 5: class 0 along the fourth coordinate ``x4``, so slices ``x4 = c`` show the
    K = 4 tetrahedron picture of classes 1..4.

All vertices lie at distance ``sqrt(1 - 1/K)`` from the origin and ``sqrt(2)`` from each
other (a regular simplex).
"""

from __future__ import annotations

import functools
import math
import operator

import numpy as np
import numpy.typing as npt

__all__ = [
    "class_vertices",
    "dominant_class",
    "from_plane",
    "sum_zero_basis",
    "to_plane",
]

FloatArray = npt.NDArray[np.float64]


def _check_n_classes(k: int) -> int:
    try:
        k = operator.index(k)
    except TypeError as error:
        raise TypeError(f"number of classes must be an int, got {k!r}") from error
    if k < 2:
        raise ValueError(f"need at least 2 classes, got {k}")
    return k


@functools.cache
def _basis(k: int) -> FloatArray:
    """Cached, read-only basis (see the module docstring for the construction)."""
    if k == 2:
        basis = np.array([[1.0, -1.0]]) / math.sqrt(2.0)
    else:
        # classes 1..k-1 drawn as the (k-1)-class picture; for k = 3 that picture is
        # mirrored so that class 1 sits on the left of the base.
        rest = _basis(k - 1) if k > 3 else -_basis(2)
        towards_class_0 = np.full(k, -1.0)
        towards_class_0[0] = k - 1.0
        towards_class_0 /= math.sqrt(k * (k - 1.0))
        basis = np.zeros((k - 1, k))
        basis[:-1, 1:] = rest
        basis[-1] = towards_class_0
    basis.setflags(write=False)
    return basis


def sum_zero_basis(k: int) -> FloatArray:
    """Orthonormal basis of the plane ``sum(z) = 0`` in K-dimensional logit space.

    Parameters
    ----------
    k : int
        Number of classes, ``k >= 2``.

    Returns
    -------
    numpy.ndarray
        float64 array of shape ``(k - 1, k)``: orthonormal rows, each orthogonal to
        ``(1, ..., 1)``. The choice is deterministic and made for pictures (see the module
        docstring): for ``k = 2`` the row is ``(1, -1) / sqrt(2)``; for ``k >= 3`` the last
        row points at class 0.

    Examples
    --------
    >>> import numpy as np
    >>> from softmax_math import sum_zero_basis
    >>> np.round(sum_zero_basis(2) * np.sqrt(2), 6).tolist()
    [[1.0, -1.0]]
    >>> np.round(sum_zero_basis(3) * np.sqrt([[2.0], [6.0]]), 6).tolist()
    [[0.0, -1.0, 1.0], [2.0, -1.0, -1.0]]
    """
    return _basis(_check_n_classes(k)).copy()


def to_plane(z: npt.ArrayLike) -> FloatArray:
    """Coordinates of logits in the sum-zero plane (the mean of ``z`` is dropped).

    Parameters
    ----------
    z : array_like
        Logits of shape ``(..., K)``.

    Returns
    -------
    numpy.ndarray
        float64 array of shape ``(..., K - 1)``: ``z @ sum_zero_basis(K).T``.

    Examples
    --------
    >>> import numpy as np
    >>> from softmax_math import to_plane
    >>> np.round(to_plane([3.0, 1.0]) * np.sqrt(2), 6).tolist()
    [2.0]
    >>> np.round(to_plane([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), 4).tolist()
    [[0.0, 0.8165], [-0.7071, -0.4082]]
    >>> bool(np.allclose(to_plane([6.0, 5.0, 5.0]), to_plane([1.0, 0.0, 0.0])))
    True
    """
    z = np.asarray(z, dtype=np.float64)
    return z @ _basis(_check_n_classes(z.shape[-1])).T


def from_plane(x: npt.ArrayLike) -> FloatArray:
    """Zero-mean logits with the given plane coordinates (inverse of :func:`to_plane`).

    Parameters
    ----------
    x : array_like
        Plane coordinates of shape ``(..., K - 1)``.

    Returns
    -------
    numpy.ndarray
        float64 logits of shape ``(..., K)`` summing to zero: ``x @ sum_zero_basis(K)``.
        ``from_plane(to_plane(z)) == z - mean(z)``.

    Examples
    --------
    >>> import numpy as np
    >>> from softmax_math import from_plane, to_plane
    >>> np.round(from_plane(to_plane([4.0, 1.0, 1.0])), 6).tolist()
    [2.0, -1.0, -1.0]
    >>> np.round(from_plane([np.sqrt(2)]), 6).tolist()
    [1.0, -1.0]
    """
    x = np.asarray(x, dtype=np.float64)
    return x @ _basis(_check_n_classes(x.shape[-1] + 1))


def class_vertices(k: int) -> FloatArray:
    """The one-hot logit vectors ``e_0, ..., e_{k-1}`` in plane coordinates.

    They form a regular simplex centred at the origin: a segment for ``k = 2``, a
    triangle for 3, a tetrahedron for 4, a 4-simplex for 5.

    Parameters
    ----------
    k : int
        Number of classes, ``k >= 2``.

    Returns
    -------
    numpy.ndarray
        float64 array of shape ``(k, k - 1)``; row ``i`` is class ``i``'s vertex, at
        distance ``sqrt(1 - 1/k)`` from the origin and ``sqrt(2)`` from the other vertices.

    Examples
    --------
    >>> import numpy as np
    >>> from softmax_math import class_vertices
    >>> np.round(class_vertices(3), 4).tolist()
    [[0.0, 0.8165], [-0.7071, -0.4082], [0.7071, -0.4082]]
    >>> np.round(class_vertices(2), 4).tolist()
    [[0.7071], [-0.7071]]
    """
    return _basis(_check_n_classes(k)).T.copy()


def dominant_class(z: npt.ArrayLike, axis: int = -1) -> npt.NDArray[np.intp]:
    """Index of the most probable class (argmax of the logits).

    Ties are resolved to the lowest index (the first maximum, as :func:`numpy.argmax`).
    A row containing NaN reports the index of its first NaN.

    Parameters
    ----------
    z : array_like
        Logits (or probabilities), class axis ``axis``.
    axis : int, optional
        The class axis. Default ``-1``.

    Returns
    -------
    numpy.ndarray
        Integer array of the leading shape (a scalar for a single vector).

    Examples
    --------
    >>> from softmax_math import dominant_class
    >>> dominant_class([[0.0, 2.0, 1.0], [3.0, 3.0, 0.0]]).tolist()
    [1, 0]
    """
    return np.argmax(np.asarray(z, dtype=np.float64), axis=axis)[()]
