"""Gradient descent on the loss ``-log p_target`` inside the sum-zero plane of 3 logits.

Two views of one step: :func:`descent_path` follows ``-grad L`` for several steps
(the path bends instead of running straight), :func:`split_descent` cuts one step
into the two pulls that make it up (toward the target's region and toward the
line where the two other classes tie; the source author's correction: descent
aims at no single point).

Everything is in plane coordinates (:func:`softmax_math.to_plane`): the gradient
of the loss sums to zero over the classes, so it lies in the plane.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from softmax_math.core import nll_gradient
from softmax_math.geometry import class_vertices, from_plane, to_plane

__all__ = ["descent_path", "split_descent", "turning_angle"]

FloatArray = npt.NDArray[np.float64]


def _plane_point(point: npt.ArrayLike, k: int) -> FloatArray:
    p = np.asarray(point, dtype=np.float64)
    if p.shape != (k - 1,):
        raise ValueError(f"a plane point of {k} classes has {k - 1} coordinates; got {p.shape}")
    return p


def descent_path(
    start: npt.ArrayLike, target: int, steps: int, step_size: float, n_classes: int = 3
) -> FloatArray:
    """Plane points visited by gradient descent on ``-log p_target`` from ``start``.

    Each step moves the logits by ``-step_size * (p - e_target)``
    (:func:`softmax_math.nll_gradient`); that vector sums to zero, so it lies in
    the plane and its plane coordinates are the step.

    Parameters
    ----------
    start : array_like
        Plane coordinates, shape ``(n_classes - 1,)``.
    target : int
        The target class, ``0 <= target < n_classes``.
    steps : int
        Number of steps, ``>= 0``.
    step_size : float
        The learning rate, ``> 0``.
    n_classes : int, optional
        Number of classes (default 3).

    Returns
    -------
    numpy.ndarray
        ``(steps + 1, n_classes - 1)`` plane coordinates, ``start`` first.

    Examples
    --------
    >>> import numpy as np
    >>> from softmax_math import descent_path
    >>> path = descent_path([0.0, 0.0], 0, 2, 1.0)
    >>> np.round(path, 4).tolist()
    [[0.0, 0.0], [0.0, 0.8165], [0.0, 1.3356]]
    """
    if steps < 0:
        raise ValueError(f"steps must be >= 0; got {steps}")
    if not step_size > 0:
        raise ValueError(f"step_size must be > 0; got {step_size}")
    points = [_plane_point(start, n_classes)]
    for _ in range(steps):
        gradient = to_plane(nll_gradient(from_plane(points[-1]), target))
        points.append(points[-1] - step_size * gradient)
    return np.array(points)


def split_descent(point: npt.ArrayLike, target: int) -> tuple[FloatArray, FloatArray, FloatArray]:
    """``-grad L`` at a point of the 3-class plane and its two pulls, in plane coordinates.

    ``-grad_z L = e_t - p``. Its part along the target's vertex direction,
    ``toward_target``, has size ``(1 - p_t) sqrt(3/2)`` and always points toward
    the target's region; the rest, ``toward_tie``, is perpendicular to it, has
    size ``|p_j - p_k| / sqrt(2)`` and points at the line where the two other
    classes ``j, k`` tie (the line through the centre along the target's vertex).

    Parameters
    ----------
    point : array_like
        Plane coordinates ``(2,)``.
    target : int
        The target class, 0, 1 or 2.

    Returns
    -------
    descent, toward_target, toward_tie
        2-vectors with ``descent = toward_target + toward_tie``.

    Examples
    --------
    >>> import numpy as np
    >>> from softmax_math import split_descent
    >>> d, a, b = split_descent([1.0, -0.5], 0)
    >>> bool(np.allclose(d, a + b)), round(float(a @ b), 12)
    (True, 0.0)
    """
    point = _plane_point(point, 3)
    descent = -to_plane(nll_gradient(from_plane(point), target))
    axis = class_vertices(3)[target]
    axis = axis / np.linalg.norm(axis)
    toward_target = (descent @ axis) * axis
    return descent, toward_target, descent - toward_target


def turning_angle(path: npt.ArrayLike) -> float:
    """Angle in degrees between a path's first and last steps (how much it bends).

    Parameters
    ----------
    path : array_like
        ``(n, d)`` points, ``n >= 3``; the first and last steps must have length.

    Returns
    -------
    float
        The angle in ``[0, 180]``.

    Examples
    --------
    >>> turning_angle([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0]])
    90.0
    """
    p = np.asarray(path, dtype=np.float64)
    if p.ndim != 2 or len(p) < 3:
        raise ValueError("a path needs at least 3 points")
    first, last = p[1] - p[0], p[-1] - p[-2]
    norms = np.linalg.norm(first) * np.linalg.norm(last)
    if norms == 0:
        raise ValueError("the path's first or last step has no length")
    cos = np.clip(first @ last / norms, -1.0, 1.0)
    return float(np.degrees(np.arccos(cos)))
