"""Iso-probability surfaces ``{x : softmax(from_plane(x))_i = q}`` as (theta, phi) meshes.

For K = 4 the sum-zero plane is 3-dimensional and the surface lives there directly
(:func:`iso_probability_surface`). For K = 5 it is 4-dimensional, so we fix one plane
coordinate, ``x4 = c`` by default, and draw the surface in the remaining three
(:func:`iso_probability_slice`; every class of one slice at once:
:func:`iso_probability_slices`).

Where the rays start, and which rays find no root
-------------------------------------------------
``log p_i(x) = z_i - logsumexp(z)`` is concave in the plane coordinates (the logits are
linear in them), so the region ``R = {p_i >= q}`` is **convex**. It is unbounded: it
contains every direction in which class ``i``'s logit grows at least as fast as all
others.

Rays from the origin are a poor choice: the origin lies outside ``R`` when ``q > 1/K``, and
for ``q < 1/2`` a ray can cross the surface twice (``p_i`` first rises past ``q`` while
class ``i`` leads, then falls when a faster-growing class overtakes it) or graze it.

So rays start from a **center** ``c`` strictly inside ``R``. Along the ray ``c + r d``
(``d`` a unit vector, ``r >= 0``) the logits move with velocity ``w = from_plane(d)``
(restricted to the free coordinates for a slice) and ``g(r) = log p_i(c + r d)`` is
concave with ``g(0) > log q``:

* if ``w_i < max_j w_j`` (``d`` points out of class ``i``'s decision cone), ``g -> -inf``
  and crosses ``log q`` **exactly once**: the ray has a root;
* if ``w_i >= max_j w_j`` (``d`` points into class ``i``'s closed decision cone, ties
  included), ``g`` is concave and bounded below, hence non-decreasing: ``p_i`` rises
  towards 1 (or to ``1/m`` for an m-fold tie, still above ``q``) and **never** reaches
  ``q``: no root. These rays are NaN and ``has_root`` is False for them.

This classification depends only on the direction, not on ``c`` or ``q``. Rays with a root
farther than ``max_radius`` (the surface is unbounded, so rays near the cone meet it
arbitrarily far away) are NaN too and have ``valid`` False.

The roots are found by Newton's method over all rays at once, started at ``max_radius``
(by concavity it approaches each root from outside without overshooting; about 5-10
vectorised steps), to full double precision.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from softmax_math.core import log_softmax
from softmax_math.geometry import _basis

__all__ = [
    "IsoSurface",
    "iso_probability_slice",
    "iso_probability_slices",
    "iso_probability_surface",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

# How far inside the surface the automatic center sits: its class log-odds exceed the
# level's by this much (the odds are e times larger).
_CENTER_LOG_ODDS_MARGIN = 1.0
_MAX_NEWTON_STEPS = 100
# The automatic center is the first of these samples along the vertex direction that
# reaches the margin; they are searched every _CENTER_STRIDE-th first.
_CENTER_SAMPLES = 4001
_CENTER_STRIDE = 50


@dataclass(frozen=True)
class IsoSurface:
    """A sampled iso-probability surface (see :func:`iso_probability_surface`).

    Attributes
    ----------
    points : numpy.ndarray
        ``(n_theta, n_phi, 3)`` surface points in the three drawn coordinates; NaN where
        ``valid`` is False.
    plane_points : numpy.ndarray
        ``(n_theta, n_phi, K - 1)`` the same points as full plane coordinates (fixed
        coordinates filled in), ready for :func:`~softmax_math.from_plane`.
    valid : numpy.ndarray
        ``(n_theta, n_phi)`` bool: a root was found within ``max_radius``.
    has_root : numpy.ndarray
        ``(n_theta, n_phi)`` bool: the ray meets the surface at all (it does not point
        into class ``class_index``'s decision cone).
    radius : numpy.ndarray
        ``(n_theta, n_phi)`` distance from ``center`` to the point; NaN where not valid.
    directions : numpy.ndarray
        ``(n_theta, n_phi, 3)`` unit ray directions.
    center : numpy.ndarray
        ``(3,)`` common start of the rays, inside the region ``p_i > level``.
    theta, phi : numpy.ndarray
        The polar angles (from ``pole``) and azimuths of the grid.
    pole : numpy.ndarray
        ``(3,)`` the direction ``theta = 0``.
    n_classes, class_index, level : int, int, float
        What was computed.
    free_axes : tuple of int
        The plane coordinates that ``points`` holds (``(0, 1, 2)`` for K = 4).
    fixed_values : numpy.ndarray
        Values of the other plane coordinates (empty for K = 4).
    max_radius : float
        Roots farther than this from ``center`` were dropped.
    """

    points: FloatArray
    plane_points: FloatArray
    valid: BoolArray
    has_root: BoolArray
    radius: FloatArray
    directions: FloatArray
    center: FloatArray
    theta: FloatArray
    phi: FloatArray
    pole: FloatArray
    n_classes: int
    class_index: int
    level: float
    free_axes: tuple[int, ...]
    fixed_values: FloatArray
    max_radius: float

    def plane_coordinates(self, points: npt.ArrayLike) -> FloatArray:
        """Full plane coordinates ``(..., K - 1)`` of points ``(..., 3)`` given in the free
        coordinates (the fixed coordinates are filled in).

        Examples
        --------
        >>> from softmax_math import iso_probability_slice
        >>> surface = iso_probability_slice(1, 0.5, fixed_value=2.0, n_theta=3, n_phi=4)
        >>> surface.plane_coordinates([1.0, 2.0, 3.0]).tolist()
        [1.0, 2.0, 3.0, 2.0]
        """
        points = np.asarray(points, dtype=np.float64)
        full = np.empty((*points.shape[:-1], self.n_classes - 1))
        full[..., list(self.free_axes)] = points
        fixed_axes = [axis for axis in range(self.n_classes - 1) if axis not in self.free_axes]
        full[..., fixed_axes] = self.fixed_values
        return full


class _SliceProbability:
    """``log p`` of every class as a function of the three free plane coordinates."""

    def __init__(self, k: int, free_axes: list[int], fixed: FloatArray):
        basis = _basis(k)
        fixed_axes = [axis for axis in range(k - 1) if axis not in free_axes]
        self.free_basis = basis[free_axes]  # (3, k): logit velocity of each free axis
        self.offset = fixed @ basis[fixed_axes]  # (k,): logits contributed by fixed axes

    def log_probabilities(self, points: FloatArray) -> FloatArray:
        """``log p`` of every class, ``(..., k)``."""
        return log_softmax(points @ self.free_basis + self.offset, axis=-1)


def _of_class(values: FloatArray, classes: npt.NDArray[np.intp]) -> FloatArray:
    """``values[..., classes]`` elementwise: each row's entry of its own class."""
    index = np.broadcast_to(classes, values.shape[:-1])[..., None]
    return np.take_along_axis(values, index, axis=-1)[..., 0]


def _check_level(level: float) -> float:
    value = float(level)
    if not (0.0 < value < 1.0):
        raise ValueError(f"level must lie strictly between 0 and 1, got {level!r}")
    return value


def _check_class(class_index: int, k: int) -> int:
    if not (isinstance(class_index, int | np.integer) and 0 <= class_index < k):
        raise ValueError(f"class_index must be an int in [0, {k}), got {class_index!r}")
    return int(class_index)


def _automatic_centers(
    field: _SliceProbability,
    classes: npt.NDArray[np.intp],
    level: float,
    poles: FloatArray,
    max_radius: float,
) -> tuple[FloatArray, FloatArray]:
    """For each class ``i``, a point inside ``{p_i > level}`` on the line through the slice
    origin along its ``pole`` (class ``i``'s vertex direction): the first of
    :data:`_CENTER_SAMPLES` evenly spaced samples whose log-odds exceed the level's by the
    margin, or the best sample if none does.

    Returns the points ``(m, 3)`` and ``log p_i`` there ``(m,)``: a class whose value is
    not above ``log(level)`` never reaches the level along its vertex direction.

    ``log p_i`` is concave along the line, so the samples that reach the goal form one
    run: every :data:`_CENTER_STRIDE`-th sample is evaluated first, and only the stride
    before the first coarse sample in the run is evaluated in full (the same sample as
    evaluating all of them; all of them when no coarse sample reaches the goal).
    """
    distances = np.linspace(0.0, max_radius, _CENTER_SAMPLES)
    # probability whose odds are e**margin times the level's odds
    log_goal = -math.log1p((1.0 - level) / level * math.exp(-_CENTER_LOG_ODDS_MARGIN))

    def log_p_at(index: npt.NDArray[np.intp], rows: npt.NDArray[np.intp]) -> FloatArray:
        """``log p_i`` of the classes ``rows`` at the samples ``index`` ``(len(rows), n)``."""
        points = distances[index][..., None] * poles[rows, None]
        return _of_class(field.log_probabilities(points), classes[rows, None])

    rows = np.arange(len(classes))
    coarse = np.arange(0, _CENTER_SAMPLES, _CENTER_STRIDE)
    hit = log_p_at(np.broadcast_to(coarse, (len(rows), len(coarse))), rows) >= log_goal
    best = np.zeros(len(rows), dtype=np.intp)
    found = hit.any(axis=1)
    if found.any():
        # the stride up to the first coarse hit, which holds the first hit of all
        last = coarse[hit[found].argmax(axis=1)]
        window = np.maximum(last[:, None] + np.arange(1 - _CENTER_STRIDE, 1), 0)
        reached = log_p_at(window, rows[found]) >= log_goal
        best[found] = window[np.arange(len(window)), reached.argmax(axis=1)]
    if not found.all():
        every = np.broadcast_to(np.arange(_CENTER_SAMPLES), (int((~found).sum()), _CENTER_SAMPLES))
        log_p = log_p_at(every, rows[~found])
        reached = log_p >= log_goal
        best[~found] = np.where(reached.any(axis=1), reached.argmax(axis=1), log_p.argmax(axis=1))
    best_log_p = log_p_at(best[:, None], rows)[:, 0]
    return distances[best][:, None] * poles, best_log_p


def _frame(pole: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Two unit vectors completing ``pole`` to a right-handed orthonormal frame."""
    helper = np.eye(3)[int(np.argmin(np.abs(pole)))]  # the axis least aligned with the pole
    first = helper - (helper @ pole) * pole
    first /= np.linalg.norm(first)
    return first, np.cross(pole, first)


def _ray_roots(
    field: _SliceProbability,
    starts: FloatArray,
    directions: FloatArray,
    classes: npt.NDArray[np.intp],
    log_level: float,
    max_radius: float,
) -> FloatArray:
    """Radii where ``log p_i(start + r d) = log_level`` (``i`` the ray's class) for rays
    known to cross in ``(0, max_radius]`` (``g > log_level`` at 0, ``g < log_level`` at
    ``max_radius``).

    Newton's method from ``max_radius``: ``g`` is concave along the ray, so its tangent
    lies above it and every Newton step from a point where ``g < log_level`` lands
    where ``g <= log_level`` again, still right of the root, with ``g' < 0`` there.
    The radii fall monotonically onto the roots, quadratically once close, and stop
    when a step no longer shrinks them (full double precision, about 5-10 steps
    where bisection needed about 60). Each ray's steps depend on that ray alone, so
    rays of several surfaces are solved together.
    """
    velocity = directions @ field.free_basis  # d logits / d r along each ray
    radius = np.full(len(directions), float(max_radius))
    active = np.arange(len(directions))
    for _ in range(_MAX_NEWTON_STEPS):
        if not active.size:
            break
        r, w, own = radius[active], velocity[active], classes[active]
        log_p = field.log_probabilities(starts[active] + r[:, None] * directions[active])
        gap = _of_class(log_p, own) - log_level
        slope = _of_class(w, own) - np.sum(np.exp(log_p) * w, axis=-1)  # d log p_i / d r
        step = gap / slope
        moving = (slope < 0) & (step > 0) & (r - step < r)
        radius[active[moving]] = r[moving] - step[moving]
        active = active[moving]
    return radius


def _iso_surfaces(
    k: int,
    class_indices: list[int],
    level: float,
    free_axes: list[int],
    fixed: FloatArray,
    n_theta: int,
    n_phi: int,
    max_radius: float,
    center: npt.ArrayLike | None = None,
    strict: bool = True,
) -> list[IsoSurface | None]:
    """The surfaces of several classes in one slice, computed together.

    A class that never reaches the level along its vertex direction raises
    ``ValueError`` if ``strict``, else gets ``None``. A ``center`` is for one class only.
    """
    classes = np.array([_check_class(i, k) for i in class_indices], dtype=np.intp)
    level = _check_level(level)
    max_radius = float(max_radius)
    if not (math.isfinite(max_radius) and max_radius > 0.0):
        raise ValueError(f"max_radius must be a finite number > 0, got {max_radius!r}")
    field = _SliceProbability(k, free_axes, fixed)
    log_level = math.log(level)

    # theta = 0 points along class i's vertex direction (into its decision cone), so the
    # rays without a root form a cap around theta = 0 and theta = pi faces the rounded tip.
    vertices = field.free_basis[:, classes].T  # (m, 3)
    norms = np.linalg.norm(vertices, axis=-1, keepdims=True)
    poles = np.where(norms > 1e-12, vertices / np.where(norms > 1e-12, norms, 1.0), [0, 0, 1.0])
    if center is None:
        centers, center_log_p = _automatic_centers(field, classes, level, poles, max_radius)
    else:
        centers = np.asarray(center, dtype=np.float64)[None]
        if (
            len(classes) != 1
            or centers.shape != (1, 3)
            or not _of_class(field.log_probabilities(centers), classes)[0] > log_level
        ):
            raise ValueError(
                f"center must be 3 coordinates inside the region p_{classes[0]} > {level}"
            )
        center_log_p = np.zeros(1)  # log p of a center inside the region: above the level
    inside = center_log_p > log_level
    if strict and not inside.all():
        missing = int(np.flatnonzero(~inside)[0])
        raise ValueError(
            f"p_{classes[missing]} never exceeds the level {level} along its vertex direction "
            f"(max {math.exp(center_log_p[missing]):.6g}); the surface is empty or pass a "
            "center inside it"
        )
    kept = np.flatnonzero(inside)
    classes, poles, centers = classes[kept], poles[kept], centers[kept]

    theta = np.linspace(0.0, math.pi, n_theta)
    phi = np.linspace(0.0, 2.0 * math.pi, n_phi)  # both ends: the mesh closes on itself
    frames = np.array([_frame(pole) for pole in poles]).reshape(len(kept), 2, 3)
    first, second = frames[:, None, None, 0], frames[:, None, None, 1]
    sin_theta = np.sin(theta)[:, None, None]
    directions = (
        sin_theta * (np.cos(phi)[None, :, None] * first + np.sin(phi)[None, :, None] * second)
        + np.cos(theta)[:, None, None] * poles[:, None, None]
    )  # (m, n_theta, n_phi, 3)
    ray_classes = classes[:, None, None]

    velocity = directions @ field.free_basis  # logit velocity along each ray
    own = _of_class(velocity, ray_classes)
    others = velocity.copy()
    np.put_along_axis(others, np.broadcast_to(ray_classes, own.shape)[..., None], -np.inf, -1)
    has_root = own < others.max(axis=-1)
    far_points = centers[:, None, None] + max_radius * directions
    valid = has_root & (_of_class(field.log_probabilities(far_points), ray_classes) < log_level)

    radius = np.full(valid.shape, np.nan)
    starts = np.broadcast_to(centers[:, None, None], directions.shape)
    radius[valid] = _ray_roots(
        field,
        starts[valid],
        directions[valid],
        np.broadcast_to(ray_classes, valid.shape)[valid],
        log_level,
        max_radius,
    )
    points = centers[:, None, None] + radius[..., None] * directions

    surfaces: list[IsoSurface | None] = [None] * len(class_indices)
    for row, slot in enumerate(kept):
        surface = IsoSurface(
            points=points[row],
            plane_points=points[row],  # replaced below, once plane_coordinates can be used
            valid=valid[row],
            has_root=has_root[row],
            radius=radius[row],
            directions=directions[row],
            center=centers[row],
            theta=theta,
            phi=phi,
            pole=poles[row],
            n_classes=k,
            class_index=int(classes[row]),
            level=level,
            free_axes=tuple(free_axes),
            fixed_values=fixed,
            max_radius=max_radius,
        )
        plane_points = surface.plane_coordinates(points[row])
        plane_points[~valid[row]] = np.nan
        surfaces[slot] = dataclasses.replace(surface, plane_points=plane_points)
    return surfaces


def iso_probability_surface(
    class_index: int,
    level: float,
    n_theta: int = 48,
    n_phi: int = 96,
    *,
    max_radius: float = 20.0,
    center: npt.ArrayLike | None = None,
) -> IsoSurface:
    """The surface ``softmax(from_plane(x))_i = q`` in the 3D plane of K = 4 classes.

    The surface bounds the convex, unbounded region where class ``i`` has probability at
    least ``q``: a rounded triangular cone opening towards class ``i``'s vertex. It is
    sampled along rays from a ``center`` inside that region (see the module docstring):
    a ray finds the surface unless it points into class ``i``'s decision cone.

    Parameters
    ----------
    class_index : int
        Class ``i`` in ``[0, 4)``.
    level : float
        Probability ``q`` in ``(0, 1)``; ``(1/4, 1)`` gives surfaces not enclosing the
        origin.
    n_theta, n_phi : int, optional
        Grid size: ``theta`` in ``[0, pi]`` measured from class ``i``'s vertex direction,
        ``phi`` in ``[0, 2 pi]`` (both ends included so the mesh closes).
    max_radius : float, optional
        Roots farther than this from the center are reported as NaN. Default 20.
    center : array_like, optional
        Start of the rays, inside the region ``p_i > q``. Default: on the line from the
        origin to class ``i``'s vertex, where the odds of class ``i`` are ``e`` times those
        on the surface.

    Returns
    -------
    IsoSurface
        ``points`` of shape ``(n_theta, n_phi, 3)`` (NaN on rays without a root within
        ``max_radius``), the masks ``valid`` and ``has_root``, and the ray geometry.

    Raises
    ------
    ValueError
        For a class outside ``[0, 4)``, a level outside ``(0, 1)`` or a center outside
        the region.

    Examples
    --------
    >>> import numpy as np
    >>> from softmax_math import from_plane, iso_probability_surface, softmax
    >>> surface = iso_probability_surface(0, 0.6, n_theta=9, n_phi=16)
    >>> surface.points.shape
    (9, 16, 3)
    >>> p0 = softmax(from_plane(surface.points[surface.valid]))[:, 0]
    >>> bool(np.allclose(p0, 0.6, atol=1e-12))
    True
    >>> bool(surface.has_root[0].any()), bool(surface.valid[-1].all())  # cone cap, tip
    (False, True)
    """
    surfaces = _iso_surfaces(
        4, [class_index], level, [0, 1, 2], np.zeros(0), n_theta, n_phi, max_radius, center
    )
    return surfaces[0]


def iso_probability_slice(
    class_index: int,
    level: float,
    fixed_value: float,
    n_theta: int = 48,
    n_phi: int = 96,
    *,
    fixed_axis: int = 3,
    max_radius: float = 20.0,
    center: npt.ArrayLike | None = None,
) -> IsoSurface:
    """A 3D slice of the K = 5 iso-probability surface, one plane coordinate held fixed.

    Points are 4D plane coordinates ``x`` with ``x[fixed_axis] = fixed_value`` (by
    default ``x4 = c``, the coordinate pointing at class 0, so the slice shows the
    tetrahedron picture of classes 1..4) and ``softmax(from_plane(x))_i = q``; the surface
    is drawn in the remaining three coordinates. The slice of a convex region is convex,
    so the same ray method applies (see the module docstring). For ``i = 0`` with the
    default axis the region in the slice is bounded (every ray has a root) and it is
    empty when ``q`` exceeds ``p_0`` at the slice's origin, which raises ``ValueError``.

    Parameters
    ----------
    class_index : int
        Class ``i`` in ``[0, 5)``.
    level : float
        Probability ``q`` in ``(0, 1)``.
    fixed_value : float
        The value ``c`` of the fixed plane coordinate.
    n_theta, n_phi : int, optional
        Grid size, as in :func:`iso_probability_surface`.
    fixed_axis : int, optional
        Which plane coordinate (0..3) is fixed. Default 3 (``x4``).
    max_radius : float, optional
        Roots farther than this from the center are reported as NaN. Default 20.
    center : array_like, optional
        Start of the rays in the three free coordinates, inside the region.

    Returns
    -------
    IsoSurface
        ``points`` of shape ``(n_theta, n_phi, 3)`` in the free coordinates (in order),
        ``plane_points`` of shape ``(n_theta, n_phi, 4)``.

    Raises
    ------
    ValueError
        For an invalid class, level or axis, or if the level is not reached in the slice.

    Examples
    --------
    >>> import numpy as np
    >>> from softmax_math import from_plane, iso_probability_slice, softmax
    >>> blob = iso_probability_slice(0, 0.5, fixed_value=1.5, n_theta=7, n_phi=12)
    >>> bool(blob.valid.all())  # class 0 is a bounded blob in this slice
    True
    >>> p0 = softmax(from_plane(blob.plane_points))[..., 0]
    >>> bool(np.allclose(p0, 0.5, atol=1e-12))
    True
    >>> bool(np.allclose(blob.plane_points[..., 3], 1.5))
    True
    """
    free_axes, fixed = _slice_axes(fixed_axis, fixed_value)
    surfaces = _iso_surfaces(
        5, [class_index], level, free_axes, fixed, n_theta, n_phi, max_radius, center
    )
    return surfaces[0]


def iso_probability_slices(
    level: float,
    fixed_value: float,
    n_theta: int = 48,
    n_phi: int = 96,
    *,
    fixed_axis: int = 3,
    max_radius: float = 20.0,
) -> list[IsoSurface | None]:
    """The surfaces of all five classes in one 3D slice, computed together.

    The same surfaces as :func:`iso_probability_slice` for classes 0 to 4 (the same
    numbers up to rounding), with the rays of all five solved in one vectorised pass
    instead of five: what an animation recomputing a moving slice every frame calls.

    Parameters
    ----------
    level, fixed_value, n_theta, n_phi, fixed_axis, max_radius
        As in :func:`iso_probability_slice`.

    Returns
    -------
    list of IsoSurface or None
        Class ``i``'s surface at index ``i``; ``None`` where the class never reaches
        the level in the slice (where :func:`iso_probability_slice` raises).

    Examples
    --------
    >>> import numpy as np
    >>> from softmax_math import iso_probability_slice, iso_probability_slices
    >>> surfaces = iso_probability_slices(0.5, fixed_value=-1.0, n_theta=7, n_phi=12)
    >>> [surface is None for surface in surfaces]  # class 0 is absent from this slice
    [True, False, False, False, False]
    >>> alone = iso_probability_slice(2, 0.5, fixed_value=-1.0, n_theta=7, n_phi=12)
    >>> bool(np.array_equal(surfaces[2].points, alone.points, equal_nan=True))
    True
    """
    free_axes, fixed = _slice_axes(fixed_axis, fixed_value)
    return _iso_surfaces(
        5, list(range(5)), level, free_axes, fixed, n_theta, n_phi, max_radius, strict=False
    )


def _slice_axes(fixed_axis: int, fixed_value: float) -> tuple[list[int], FloatArray]:
    """The free plane coordinates of a K = 5 slice and the fixed coordinate's value."""
    if fixed_axis not in range(4):
        raise ValueError(f"fixed_axis must be 0, 1, 2 or 3, got {fixed_axis!r}")
    return [axis for axis in range(4) if axis != fixed_axis], np.array([float(fixed_value)])
