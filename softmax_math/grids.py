"""Softmax quantities evaluated on whole grids at once, for surfaces and vector fields.

Two pictures are supported:

* **The plane** (:func:`plane_field` and friends): points given by plane coordinates
  ``(x, y)`` of the sum-zero plane (see :mod:`softmax_math.geometry`). For K = 3 this is
  the whole logit space up to the ignored all-ones direction. For K = 2 the "plane" is the
  line: pass ``y=None`` and ``x`` is the line coordinate ``(z0 - z1) / sqrt(2)``. For K > 3
  the grid is the slice spanned by the first two plane axes, the remaining plane
  coordinates being fixed by ``rest`` (default 0).
* **The 2-class logit square** (:func:`logit_square_field`): raw logits ``(z0, z1)``
  on a grid, without removing the mean.

Every function is one vectorised evaluation over all grid points (no Python loop).
Results put the class / component axis first, ``(K, ny, nx)``, ready to slice per surface.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from softmax_math.core import _check_target, log_softmax, nll_gradient, nll_loss, softmax
from softmax_math.geometry import _basis, _check_n_classes

__all__ = [
    "LogitSquareField",
    "PlaneField",
    "descent_field",
    "grid_logits",
    "logit_square_field",
    "loss_surface",
    "plane_field",
    "plane_grid",
    "softmax_surfaces",
]

FloatArray = npt.NDArray[np.float64]


def plane_grid(
    extent: float | tuple[float, float, float, float], n: int | tuple[int, int]
) -> tuple[FloatArray, FloatArray]:
    """A regular grid of plane coordinates, as from :func:`numpy.meshgrid`.

    Parameters
    ----------
    extent : float or (xmin, xmax, ymin, ymax)
        A number ``e`` means the square ``[-e, e] x [-e, e]``.
    n : int or (nx, ny)
        Number of samples per axis (end points included).

    Returns
    -------
    X, Y : numpy.ndarray
        float64 arrays of shape ``(ny, nx)``; ``X`` varies along the columns.

    Examples
    --------
    >>> from softmax_math import plane_grid
    >>> X, Y = plane_grid(1.0, 3)
    >>> X.tolist()
    [[-1.0, 0.0, 1.0], [-1.0, 0.0, 1.0], [-1.0, 0.0, 1.0]]
    >>> plane_grid((0.0, 1.0, -2.0, 2.0), (5, 4))[1].shape
    (4, 5)
    """
    if np.ndim(extent) == 0:
        half = float(extent)
        x_min, x_max, y_min, y_max = -half, half, -half, half
    else:
        x_min, x_max, y_min, y_max = (float(value) for value in extent)
    nx, ny = (n, n) if np.ndim(n) == 0 else n
    return np.meshgrid(np.linspace(x_min, x_max, int(nx)), np.linspace(y_min, y_max, int(ny)))


def grid_logits(
    k: int,
    x: npt.ArrayLike,
    y: npt.ArrayLike | None = None,
    rest: npt.ArrayLike | None = None,
) -> FloatArray:
    """Zero-mean logits of the grid points with plane coordinates ``(x, y, *rest)``.

    Parameters
    ----------
    k : int
        Number of classes, ``k >= 2``.
    x, y : array_like
        Plane coordinates of the points (broadcast together), e.g. from :func:`plane_grid`.
        For ``k = 2`` leave ``y`` as ``None``: ``x`` is the line coordinate.
    rest : array_like, optional
        For ``k > 3``: the fixed values of the remaining ``k - 3`` plane coordinates
        (default all 0). Must be omitted for ``k <= 3``.

    Returns
    -------
    numpy.ndarray
        float64 logits of shape ``broadcast(x, y).shape + (k,)``, summing to 0.

    Examples
    --------
    >>> import numpy as np
    >>> from softmax_math import class_vertices, grid_logits
    >>> vertex = class_vertices(3)[0]
    >>> np.round(grid_logits(3, vertex[0], vertex[1]), 4).tolist()
    [0.6667, -0.3333, -0.3333]
    """
    k = _check_n_classes(k)
    basis = _basis(k)
    x = np.asarray(x, dtype=np.float64)
    if k == 2:
        if y is not None or rest is not None:
            raise ValueError("for k = 2 the plane is a line: pass only x (y=None, rest=None)")
        return x[..., None] * basis[0]
    if y is None:
        raise ValueError(f"for k = {k} both plane coordinates x and y are needed")
    y = np.asarray(y, dtype=np.float64)
    logits = x[..., None] * basis[0] + y[..., None] * basis[1]
    if k > 3:
        rest = np.zeros(k - 3) if rest is None else np.asarray(rest, dtype=np.float64)
        if rest.shape != (k - 3,):
            raise ValueError(f"rest must hold the other {k - 3} plane coordinates, got {rest}")
        logits += rest @ basis[2:]
    elif rest is not None:
        raise ValueError(f"for k = {k} there are no other plane coordinates; rest must be None")
    return logits


def _class_first(values: FloatArray) -> FloatArray:
    return np.ascontiguousarray(np.moveaxis(values, -1, 0))


def _softmax_loss_gradient(
    logits: FloatArray, target: int
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Probabilities, loss and logit gradient ``p - onehot`` for one target class."""
    if np.ndim(target) != 0:
        raise TypeError(f"target must be a single class index here, got {target!r}")
    target = int(_check_target(target, logits.shape[-1]))
    probabilities = softmax(logits, axis=-1)
    loss = np.subtract(0.0, log_softmax(logits, axis=-1)[..., target])  # +0.0, never -0.0
    gradient = probabilities.copy()
    gradient[..., target] -= 1.0
    return probabilities, loss, gradient


def _plane_gradient(k: int, logit_gradient: FloatArray) -> FloatArray:
    """Express a logit-space gradient in the grid's plane axes, component axis first.

    A gradient of the form ``p - onehot`` sums to zero, so for ``k <= 3`` it lies in the
    plane exactly and these are its exact coordinates; for ``k > 3`` they are its
    components along the two grid axes (its projection onto the slice).
    """
    n_axes = 1 if k == 2 else 2
    return _class_first(logit_gradient @ _basis(k)[:n_axes].T)


def softmax_surfaces(
    k: int,
    x: npt.ArrayLike,
    y: npt.ArrayLike | None = None,
    temperature: float = 1.0,
    rest: npt.ArrayLike | None = None,
) -> FloatArray:
    """The K probability surfaces ``p_i(x, y)`` over a grid of plane coordinates.

    Parameters
    ----------
    k : int
        Number of classes.
    x, y : array_like
        Plane coordinates (see :func:`grid_logits`); ``y=None`` for ``k = 2``.
    temperature : float, optional
        Softmax temperature, as in :func:`softmax`. Default 1.
    rest : array_like, optional
        Other plane coordinates for ``k > 3`` (default 0).

    Returns
    -------
    numpy.ndarray
        float64 array of shape ``(k, *grid_shape)``; ``[i]`` is class ``i``'s surface.

    Examples
    --------
    >>> import numpy as np
    >>> from softmax_math import plane_grid, softmax_surfaces
    >>> X, Y = plane_grid(2.0, (4, 3))
    >>> surfaces = softmax_surfaces(3, X, Y)
    >>> surfaces.shape, bool(np.allclose(surfaces.sum(axis=0), 1.0))
    ((3, 3, 4), True)
    >>> np.round(softmax_surfaces(3, 0.0, 0.0), 4).tolist()
    [0.3333, 0.3333, 0.3333]
    """
    logits = grid_logits(k, x, y, rest)
    return _class_first(softmax(logits, axis=-1, temperature=temperature))


def loss_surface(
    k: int,
    target: int,
    x: npt.ArrayLike,
    y: npt.ArrayLike | None = None,
    rest: npt.ArrayLike | None = None,
) -> FloatArray:
    """The loss ``-log p_target`` over a grid of plane coordinates.

    Parameters
    ----------
    k : int
        Number of classes.
    target : int
        The correct class.
    x, y : array_like
        Plane coordinates (see :func:`grid_logits`); ``y=None`` for ``k = 2``.
    rest : array_like, optional
        Other plane coordinates for ``k > 3`` (default 0).

    Returns
    -------
    numpy.ndarray
        float64 array of the grid shape.

    Examples
    --------
    >>> import numpy as np
    >>> from softmax_math import loss_surface
    >>> print(f"{loss_surface(3, 0, 0.0, 0.0):.4f}")  # log 3 at the centre
    1.0986
    """
    return nll_loss(grid_logits(k, x, y, rest), target)


def descent_field(
    k: int,
    target: int,
    x: npt.ArrayLike,
    y: npt.ArrayLike | None = None,
    rest: npt.ArrayLike | None = None,
) -> tuple[FloatArray, ...]:
    """Negative gradient of the loss w.r.t. the logits, in plane coordinates.

    The gradient ``p - onehot(target)`` sums to zero, so it lies in the sum-zero plane and
    its plane coordinates ``-(p - onehot) @ B.T`` describe it exactly (for ``k > 3``: its
    components along the two grid axes).

    Parameters
    ----------
    k : int
        Number of classes.
    target : int
        The correct class.
    x, y : array_like
        Plane coordinates (see :func:`grid_logits`); ``y=None`` for ``k = 2``.
    rest : array_like, optional
        Other plane coordinates for ``k > 3`` (default 0).

    Returns
    -------
    tuple of numpy.ndarray
        ``(u, v)``, each of the grid shape (just ``(u,)`` for ``k = 2``).

    Examples
    --------
    >>> import numpy as np
    >>> from softmax_math import class_vertices, descent_field
    >>> u, v = descent_field(3, 0, 0.0, 0.0)  # at the centre: towards class 0's vertex
    >>> direction = np.array([u, v]) / np.hypot(u, v)
    >>> bool(np.allclose(direction, class_vertices(3)[0] / np.linalg.norm(class_vertices(3)[0])))
    True
    """
    gradient = nll_gradient(grid_logits(k, x, y, rest), target)
    return tuple(np.negative(_plane_gradient(k, gradient)))


@dataclass(frozen=True)
class PlaneField:
    """Everything a plane scene draws, from one softmax evaluation (see :func:`plane_field`).

    Attributes
    ----------
    probabilities : numpy.ndarray
        ``(K, *grid_shape)``: the K probability surfaces.
    loss : numpy.ndarray
        ``grid_shape``: ``-log p_target``.
    gradient : numpy.ndarray
        ``(n_axes, *grid_shape)``: gradient of the loss w.r.t. the logits in plane
        coordinates (``n_axes`` is 2, or 1 for ``k = 2``).
    """

    probabilities: FloatArray
    loss: FloatArray
    gradient: FloatArray

    @property
    def descent(self) -> FloatArray:
        """The negative gradient (the direction gradient descent moves the logits)."""
        return np.negative(self.gradient)


def plane_field(
    k: int,
    target: int,
    x: npt.ArrayLike,
    y: npt.ArrayLike | None = None,
    rest: npt.ArrayLike | None = None,
) -> PlaneField:
    """Probability surfaces, loss surface and gradient field over a grid, in one pass.

    Equivalent to :func:`softmax_surfaces`, :func:`loss_surface` and
    :func:`descent_field` together, but computes the softmax once.

    Parameters
    ----------
    k : int
        Number of classes.
    target : int
        The correct class.
    x, y : array_like
        Plane coordinates (see :func:`grid_logits`); ``y=None`` for ``k = 2``.
    rest : array_like, optional
        Other plane coordinates for ``k > 3`` (default 0).

    Returns
    -------
    PlaneField
        With ``probabilities`` ``(k, *grid)``, ``loss`` ``grid``, ``gradient`` and
        ``descent`` ``(2, *grid)`` (``(1, *grid)`` for ``k = 2``).

    Examples
    --------
    >>> import numpy as np
    >>> from softmax_math import plane_field, plane_grid
    >>> field = plane_field(3, 0, *plane_grid(3.0, 200))
    >>> field.probabilities.shape, field.loss.shape, field.descent.shape
    ((3, 200, 200), (200, 200), (2, 200, 200))
    >>> line = plane_field(2, 1, np.linspace(-1.0, 1.0, 5))
    >>> np.round(line.probabilities[1], 4).tolist()
    [0.8044, 0.6698, 0.5, 0.3302, 0.1956]
    """
    probabilities, loss, gradient = _softmax_loss_gradient(grid_logits(k, x, y, rest), target)
    return PlaneField(
        probabilities=_class_first(probabilities),
        loss=loss,
        gradient=_plane_gradient(k, gradient),
    )


@dataclass(frozen=True)
class LogitSquareField:
    """Two-class quantities over the raw logit square (see :func:`logit_square_field`).

    Attributes
    ----------
    probabilities : numpy.ndarray
        ``(2, *grid_shape)``: ``p0`` and ``p1``.
    loss : numpy.ndarray
        ``grid_shape``: ``-log p_target``.
    gradient : numpy.ndarray
        ``(2, *grid_shape)``: ``d loss / d z0`` and ``d loss / d z1`` (they sum to 0).
    """

    probabilities: FloatArray
    loss: FloatArray
    gradient: FloatArray

    @property
    def descent(self) -> FloatArray:
        """The negative gradient."""
        return np.negative(self.gradient)


def logit_square_field(z0: npt.ArrayLike, z1: npt.ArrayLike, target: int) -> LogitSquareField:
    """Two-class softmax, loss and gradient over a grid of raw logits ``(z0, z1)``.

    Parameters
    ----------
    z0, z1 : array_like
        Logits of class 0 and class 1 (broadcast together), e.g. from :func:`plane_grid`.
    target : int
        The correct class, 0 or 1.

    Returns
    -------
    LogitSquareField
        ``probabilities`` ``(2, *grid)``, ``loss`` ``grid``, ``gradient`` and ``descent``
        ``(2, *grid)``. ``probabilities[0] == sigmoid(z0 - z1)``.

    Examples
    --------
    >>> import numpy as np
    >>> from softmax_math import logit_square_field, plane_grid
    >>> Z0, Z1 = plane_grid(4.0, 3)
    >>> field = logit_square_field(Z0, Z1, target=0)
    >>> np.round(field.probabilities[0], 4).tolist()
    [[0.5, 0.982, 0.9997], [0.018, 0.5, 0.982], [0.0003, 0.018, 0.5]]
    >>> np.round(field.gradient[:, 1, 1], 4).tolist()
    [-0.5, 0.5]
    """
    z0, z1 = np.broadcast_arrays(np.asarray(z0, np.float64), np.asarray(z1, np.float64))
    probabilities, loss, gradient = _softmax_loss_gradient(np.stack([z0, z1], axis=-1), target)
    return LogitSquareField(
        probabilities=_class_first(probabilities),
        loss=loss,
        gradient=_class_first(gradient),
    )
