"""Shared drawing helpers for the logit plane (chapters 6 to 9 and later ones).

Two pictures of logit space recur in the lecture:

* the **logit square** of two classes, axes ``z_1``, ``z_2`` on the floor and the
  probability ``p`` (or a loss) upwards, drawn by :class:`LogitAxes`;
* the **sum-zero plane** of three classes in plane coordinates
  (:func:`softmax_math.to_plane`), with the class triangle
  (:class:`ClassTriangle`), the three tie boundaries (:class:`TieBoundaries`) and
  the class labels around them (:class:`RegionLabels`).

Everything is placed through one affine map from math coordinates to scene
points (:class:`PlaneMap`, ``LogitAxes.to_scene``), so the same helpers serve any
camera angle, from tilted to straight down. They are made for
:class:`softmax_video.kit.lecture_scene.LectureThreeDScene` (its ``MeshCamera`` draws the
balls and cones, which are :class:`softmax_video.engine.mesh.MeshSurface` meshes). The geometry
(vertices, boundary directions, the invariant direction, region polygons) comes
from :mod:`softmax_math`; nothing here evaluates softmax itself.

Also here, because every chapter of this part needs them:

* grids whose lines follow the lines where surfaces cross (:func:`diagonal_grid`,
  :func:`polar_grid`), so crossings have no saw-tooth;
* depth helpers for the mesh camera's painter's algorithm (:func:`on_floor`,
  :func:`in_depth_order`, :class:`PiecewiseCurve`);
* cheap pieces: one mobject where stock manim uses dozens (:func:`mesh_sphere`,
  :func:`mesh_cone`, :class:`Arrow3DLite`, :func:`merged` text and dashes);
* :func:`floor_arrows`, a loss-gradient field lying on the floor.

Examples
--------
>>> import numpy as np
>>> directions = tie_directions()
>>> sorted(directions)
[(0, 1), (0, 2), (1, 2)]
>>> (np.round(directions[(1, 2)], 6) + 0.0).tolist()  # classes 2 and 3 tie straight below
[0.0, -1.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations, pairwise

import numpy as np
import numpy.typing as npt
from manim import (
    DEGREES,
    LEFT,
    ORIGIN,
    OUT,
    DashedLine,
    Line,
    ManimColor,
    MathTex,
    Mobject,
    Point,
    Polygon,
    Tex,
    VGroup,
    VMobject,
)

from softmax_math import class_vertices, from_plane
from softmax_video.engine.fields import VectorFieldArrows
from softmax_video.engine.mesh import MeshSurface
from softmax_video.kit.theme import Theme

__all__ = [
    "MAX_GRADIENT",
    "SHAPES",
    "Arrow3DLite",
    "ClassTriangle",
    "InvariantArrow",
    "LogitAxes",
    "PiecewiseCurve",
    "PlaneMap",
    "RegionLabels",
    "SumZeroPlanePatch",
    "TieBoundaries",
    "boundary_reach",
    "class_region",
    "diagonal_grid",
    "difference_axis",
    "difference_ticks",
    "floor_arrows",
    "floor_numbers",
    "in_depth_order",
    "merged",
    "mesh_cone",
    "mesh_sphere",
    "on_floor",
    "plane_rotation",
    "polar_grid",
    "rotation_axis_angle",
    "tie_directions",
]

FloatArray = npt.NDArray[np.float64]

#: Scene height of floor drawings relative to the floor: a little below the
#: surfaces, so that a surface touching the floor never z-fights with them.
FLOOR_OFFSET = -0.01


# --------------------------------------------------------------------------- #
# Geometry (no manim)
# --------------------------------------------------------------------------- #


def tie_directions(k: int = 3) -> dict[tuple[int, int], FloatArray]:
    """Unit directions, in plane coordinates, of the rays where two classes tie.

    For three classes the boundary where classes ``i`` and ``j`` share the lead
    (``z_i = z_j > z_m``) is the ray from the centre pointing away from the third
    class ``m``'s vertex: along it the third logit falls behind while the two
    others stay equal.

    Parameters
    ----------
    k
        Number of classes; only 3 is drawn as a plane.

    Returns
    -------
    dict
        ``{(i, j): unit 2-vector}`` for each pair ``i < j`` (0-based).
    """
    if k != 3:
        raise ValueError(f"tie boundaries are drawn on the 3-class plane only, got k = {k}")
    vertices = class_vertices(3)
    directions = {}
    for i, j in combinations(range(3), 2):
        (m,) = {0, 1, 2} - {i, j}
        away = -vertices[m]
        directions[(i, j)] = away / np.linalg.norm(away)
    return directions


def diagonal_grid(extent: float, across: int, along: int) -> tuple[FloatArray, FloatArray]:
    """A grid covering the square ``[-extent, extent]^2`` with lines along ``(1, 1)``.

    Two-class quantities depend on ``z_1 - z_2`` only, so a mesh whose grid lines
    run along the diagonal is exact with few faces along it, and the line
    ``z_1 = z_2`` (where the two surfaces cross) is a grid line: no saw-tooth
    where they intersect. Index ``i`` runs across the diagonal
    (``s = (z_1 - z_2) / 2`` from ``-extent`` to ``extent``); index ``j`` along
    it, spanning the chord of the square at that ``s`` (the chords shrink to the
    corners ``(extent, -extent)`` and ``(-extent, extent)``).

    Parameters
    ----------
    extent
        Half side of the square.
    across, along
        Number of faces across and along the diagonal.

    Returns
    -------
    z1, z2
        Arrays of shape ``(across + 1, along + 1)``.
    """
    s = np.linspace(-extent, extent, across + 1)[:, None]
    half_chord = extent - np.abs(s)
    t = np.linspace(-1.0, 1.0, along + 1)[None, :] * half_chord
    return t + s, t - s


#: Plane-region shapes the 3-class helpers can fill: the square
#: ``[-extent, extent]^2`` or the regular hexagon of circumradius ``extent`` with
#: its corners on the tie lines and the class directions (three-fold symmetric).
SHAPES = ("square", "hexagon")


def boundary_reach(theta: npt.ArrayLike, extent: float, shape: str = "square") -> FloatArray:
    """Distance from the centre to the region's edge along direction angle ``theta``.

    Parameters
    ----------
    theta
        Angles (radians, counter-clockwise from the plane x axis).
    extent
        Half side of the square, or circumradius of the hexagon.
    shape
        ``"square"`` or ``"hexagon"`` (see :data:`SHAPES`).
    """
    theta = np.asarray(theta, dtype=float)
    if shape == "square":
        return extent / np.maximum(np.abs(np.cos(theta)), np.abs(np.sin(theta)))
    if shape == "hexagon":
        # Corners every 60 degrees from 30; edge normals every 60 degrees from 0.
        apothem = extent * np.cos(np.pi / 6)
        offset = (theta + np.pi / 6) % (np.pi / 3) - np.pi / 6  # angle to the nearest normal
        return apothem / np.cos(offset)
    raise ValueError(f"shape must be one of {SHAPES}, got {shape!r}")


def polar_grid(
    extent: float, radial: int, angular: int, shape: str = "square"
) -> tuple[FloatArray, FloatArray]:
    """A grid covering the square ``[-extent, extent]^2`` with straight lines from the centre.

    On the 3-class plane two probability surfaces cross exactly along lines
    through the centre at multiples of 60 degrees plus 30 (where two logits are
    equal). With grid lines along those directions the crossings follow mesh
    edges, with no saw-tooth. Index ``i`` runs out from the centre, index ``j``
    around it; each ray ends on the square.

    Parameters
    ----------
    extent
        Half side of the square.
    radial
        Faces along each ray.
    angular
        Faces around the centre; rounded up to a multiple of 24, so that the rays
        include every 30 degrees (the tie lines and the hexagon's corners) and 45
        degrees (the square's corners).
    shape
        ``"square"`` (default) or ``"hexagon"`` of circumradius ``extent`` (see
        :func:`boundary_reach`).

    Returns
    -------
    x, y
        Plane coordinates, shape ``(radial + 1, angular + 1)`` (the last ray repeats
        the first, closing the mesh).
    """
    angular = 24 * max(1, -(-angular // 24))
    theta = np.linspace(0.0, 2 * np.pi, angular + 1) + np.pi / 6  # start on a tie line
    reach = boundary_reach(theta, extent, shape)
    r = np.linspace(0.0, 1.0, radial + 1)[:, None] * reach[None, :]
    return r * np.cos(theta), r * np.sin(theta)


def class_region(k: int, extent: float) -> FloatArray:
    """Corners (plane coordinates) of the part of the square where class ``k`` leads.

    Class ``k`` leads where ``z_k >= z_j`` for every ``j``; in plane coordinates
    ``z_k - z_j = x . (v_k - v_j)`` with ``v`` the class vertices, so the region is
    the square clipped by two half-planes: a wedge of 120 degrees.

    Returns
    -------
    numpy.ndarray
        ``(n, 2)`` polygon corners, counter-clockwise.
    """
    vertices = class_vertices(3)
    polygon = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]], dtype=float) * extent
    for j in range(3):
        if j != k:
            polygon = _clip_half_plane(polygon, vertices[k] - vertices[j])
    return polygon


def _clip_half_plane(polygon: FloatArray, normal: FloatArray) -> FloatArray:
    """Keep the part of a convex polygon where ``x . normal >= 0`` (Sutherland-Hodgman)."""
    out = []
    side = polygon @ normal
    for i in range(len(polygon)):
        a, b = polygon[i], polygon[(i + 1) % len(polygon)]
        sa, sb = side[i], side[(i + 1) % len(polygon)]
        if sa >= 0:
            out.append(a)
        if (sa >= 0) != (sb >= 0):
            out.append(a + (b - a) * sa / (sa - sb))
    return np.array(out)


def plane_rotation() -> FloatArray:
    """The rotation taking 3-class logit space to (plane x, plane y, along (1, 1, 1)).

    Rows are the sum-zero basis of :func:`softmax_math.sum_zero_basis` and the unit
    all-ones vector, so applying it to a logit vector gives its plane coordinates
    and its mean times ``sqrt(3)``. It is a proper rotation (determinant +1).
    """
    basis = from_plane(np.eye(2))  # rows: the two plane axes as logit vectors
    normal = np.ones(3) / np.sqrt(3.0)
    return np.vstack([basis, normal])


def rotation_axis_angle(rotation: npt.ArrayLike) -> tuple[FloatArray, float]:
    """Axis and angle of a 3x3 rotation matrix (for an animated ``Rotate``)."""
    r = np.asarray(rotation, dtype=float)
    angle = float(np.arccos(np.clip((np.trace(r) - 1.0) / 2.0, -1.0, 1.0)))
    axis = np.array([r[2, 1] - r[1, 2], r[0, 2] - r[2, 0], r[1, 0] - r[0, 1]])
    norm = np.linalg.norm(axis)
    if norm < 1e-9:  # identity (or a half turn, which the scenes never need)
        return np.array([0.0, 0.0, 1.0]), angle
    return axis / norm, angle


# --------------------------------------------------------------------------- #
# Coordinates -> scene points
# --------------------------------------------------------------------------- #


class PlaneMap:
    """Affine map from math coordinates ``(x, y, h)`` to scene points.

    Parameters
    ----------
    origin
        Scene point of the math origin.
    x_step, y_step, h_step
        Scene vectors of one unit along ``x``, ``y`` and the vertical ``h``.
    """

    def __init__(
        self,
        origin: npt.ArrayLike,
        x_step: npt.ArrayLike,
        y_step: npt.ArrayLike,
        h_step: npt.ArrayLike,
    ) -> None:
        self.origin = np.asarray(origin, dtype=float)
        self.matrix = np.array([x_step, y_step, h_step], dtype=float)

    @classmethod
    def scaled(cls, unit: float, height: float, center: npt.ArrayLike = ORIGIN) -> PlaneMap:
        """The axis-aligned map: ``unit`` per floor unit, ``height`` per vertical unit."""
        return cls(center, [unit, 0, 0], [0, unit, 0], [0, 0, height])

    @property
    def unit(self) -> float:
        """Scene length of one floor unit (along ``x``)."""
        return float(np.linalg.norm(self.matrix[0]))

    def points(self, x: npt.ArrayLike, y: npt.ArrayLike, h: npt.ArrayLike = 0.0) -> FloatArray:
        """Scene points of broadcast arrays ``x, y, h``, shape ``(..., 3)``."""
        x, y, h = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in (x, y, h)))
        return np.stack([x, y, h], axis=-1) @ self.matrix + self.origin

    def point(self, x: float, y: float, h: float = 0.0) -> FloatArray:
        """One scene point."""
        return self.points(x, y, h)

    def floor(self, x: npt.ArrayLike, y: npt.ArrayLike) -> FloatArray:
        """Points on the floor, just below ``h = 0`` so surfaces always draw above them."""
        return self.points(x, y, FLOOR_OFFSET / max(np.linalg.norm(self.matrix[2]), 1e-9))


class LogitAxes(VGroup):
    """Light 3D axes with LaTeX names: two floor axes and a vertical value axis.

    Drawn with few mobjects (stock ``ThreeDAxes`` costs about 70 small
    mobjects a frame): both floor axes with their ticks and tips are one
    mobject drawn under every surface (:func:`on_floor`); the vertical axis is a
    handful of pieces sorted by depth among the surface faces, with a cone tip.

    Parameters
    ----------
    theme
        Colours (axes muted, names in text colour).
    extent
        The floor axes run over ``[-extent, extent]`` (ticks at the integers).
    unit
        Scene length of one floor unit.
    value_range
        ``(low, high, step)`` of the vertical axis (probability, loss...); ticks
        every ``step``.
    value_length
        Scene length of the vertical axis.
    names
        LaTeX names of the floor axes and the vertical axis.
    value_ticks
        Vertical values to label, e.g. ``(0.5, 1)``; an entry may be a pair
        ``(value, tex)`` to choose the label, e.g. ``(1 / 3, "1/3")``.
    label_size
        Font size of the names.
    center
        Scene point of the floor's origin.
    floor_value
        The vertical value at which the floor axes are drawn; default 0 (or the
        low end of ``value_range`` if 0 is outside it).

    Attributes
    ----------
    floor_axes
        The two floor axes, ticks and tips (one mobject).
    value_axis
        The vertical axis pieces and tip.
    names
        The three name labels (add them as fixed-orientation mobjects in 3D).
    ticks
        The vertical tick labels (likewise).
    map
        The :class:`PlaneMap` from ``(x, y, value)`` to scene points; it follows
        the axes when they are moved, rotated or scaled.
    """

    def __init__(
        self,
        theme: Theme,
        extent: float,
        unit: float,
        value_range: tuple[float, float, float] = (0.0, 1.0, 0.5),
        value_length: float = 3.0,
        names: Sequence[str] = ("z_1", "z_2", "p"),
        value_ticks: Sequence[float | tuple[float, str]] = (),
        label_size: float = 34,
        center: npt.ArrayLike = ORIGIN,
        floor_value: float | None = None,
    ) -> None:
        low, high, step = value_range
        self.extent = float(extent)
        self.value_range = (float(low), float(high))
        if floor_value is None:
            floor_value = 0.0 if low <= 0 <= high else low
        self.floor_value = float(floor_value)
        color = theme.color("muted")
        height = value_length / (high - low)
        plane = PlaneMap.scaled(unit, height, np.asarray(center) - floor_value * height * OUT)

        def on_the_floor(x: float, y: float) -> FloatArray:
            return plane.point(x, y, floor_value) + FLOOR_OFFSET * OUT

        # Four reference points carried along by every transform of the group.
        self._frame = VMobject(stroke_opacity=0, fill_opacity=0)
        corners = [plane.point(0, 0), plane.point(1, 0), plane.point(0, 1), plane.point(0, 0, 1)]
        self._frame.set_points(np.array(corners))
        super().__init__(self._frame)

        overshoot = 0.35 / unit  # axes run a little past the square, in floor units
        tick = 0.07
        floor = VMobject(stroke_color=color, stroke_width=2, fill_color=color, fill_opacity=1)
        for axis in (0, 1):
            along = np.eye(2)[axis]
            across = np.eye(2)[1 - axis]
            start = -(extent + overshoot) * along
            end = (extent + overshoot) * along
            floor.start_new_path(on_the_floor(*start))
            floor.add_line_to(on_the_floor(*end))
            for k in range(-int(extent), int(extent) + 1):
                if k == 0:
                    continue
                a = k * along - tick / unit * across
                b = k * along + tick / unit * across
                floor.start_new_path(on_the_floor(*a))
                floor.add_line_to(on_the_floor(*b))
            tip_base = end
            tip_end = end + 0.22 / unit * along
            half = 0.08 / unit * across
            floor.start_new_path(on_the_floor(*(tip_base - half)))
            floor.add_line_to(on_the_floor(*tip_end))
            floor.add_line_to(on_the_floor(*(tip_base + half)))
            floor.add_line_to(on_the_floor(*(tip_base - half)))
        self.floor_axes = on_floor(floor)

        pieces = VGroup()
        cuts = np.linspace(low, high, 7)
        tick_values = np.arange(low, high + 1e-9, step)
        for a, b in pairwise(cuts):
            piece = VMobject(stroke_color=color, stroke_width=2)
            piece.set_points_as_corners([plane.point(0, 0, a), plane.point(0, 0, b)])
            for value in tick_values:
                if a <= value < b and value != floor_value:
                    piece.start_new_path(plane.point(-tick / unit, 0, value))
                    piece.add_line_to(plane.point(tick / unit, 0, value))
            pieces.add(piece)
        in_depth_order(pieces)
        tip = mesh_cone(plane.point(0, 0, high), plane.point(0, 0, high) + 0.25 * OUT, 0.07, color)
        self.value_axis = VGroup(*pieces, tip)
        self.add(self.floor_axes, self.value_axis)

        text = theme.color("text")
        names = list(names)
        x_name = MathTex(names[0], font_size=label_size, color=text)
        y_name = MathTex(names[1], font_size=label_size, color=text)
        v_name = MathTex(names[2], font_size=label_size, color=text)
        reach = extent + overshoot + 0.55 / unit
        x_name.move_to(on_the_floor(reach, 0))
        y_name.move_to(on_the_floor(0, reach))
        v_name.move_to(plane.point(0, 0, high) + 0.55 * OUT)
        self.names = VGroup(x_name, y_name, v_name)
        ticks = VGroup()
        for tick_spec in value_ticks:
            value, tex = tick_spec if isinstance(tick_spec, tuple) else (tick_spec, None)
            tex = _number_tex(value) if tex is None else tex
            label = MathTex(tex, font_size=label_size * 0.7, color=color)
            label.next_to(plane.point(0, 0, value), LEFT, buff=0.12)
            ticks.add(label)
        self.ticks = ticks

    @property
    def map(self) -> PlaneMap:
        """The map from ``(x, y, value)`` to scene points, following the axes if they move."""
        origin, x_end, y_end, h_end = self._frame.points
        return PlaneMap(origin, x_end - origin, y_end - origin, h_end - origin)

    @property
    def labels(self) -> VGroup:
        """Names and tick labels together (the mobjects that should face the camera)."""
        return VGroup(*self.names, *self.ticks)

    def to_scene(self, x: npt.ArrayLike, y: npt.ArrayLike, h: npt.ArrayLike = 0.0) -> FloatArray:
        """Scene points of ``(x, y, value)`` arrays (see :class:`PlaneMap`)."""
        return self.map.points(x, y, h)


def _number_tex(value: float) -> str:
    return f"{value:g}"


def difference_ticks(extent: float) -> FloatArray:
    """Values of ``d = z_1 - z_2`` to number on the cut of the square ``[-extent, extent]^2``
    along ``(1, -1)`` through the origin (``z_1 = d / 2 = -z_2``): about four a side, 0 left out.

    >>> difference_ticks(4.0).tolist()
    [-8.0, -6.0, -4.0, -2.0, 2.0, 4.0, 6.0, 8.0]
    """
    from softmax_video.core.text import tick_step

    step = tick_step(2 * extent, 4, smallest=1.0)
    values = np.arange(-2 * extent, 2 * extent + 1e-9, step)
    return values[np.abs(values) > 1e-9] + 0.0


def difference_axis(
    theme: Theme, plane_map: PlaneMap, extent: float, font_size: float, name_size: float
) -> tuple[VMobject, MathTex, VGroup]:
    """The axis of ``d = z_1 - z_2`` on the floor along the cut ``z_2 = -z_1``, for an
    edge-on view along ``(1, 1)``: the line with ticks and a tip (drawn under every
    surface), its name ``z_1 - z_2`` past the tip and its numbers under the ticks (add
    both as fixed-orientation mobjects in 3D).

    Returns
    -------
    axis, name, numbers
    """
    color = theme.color("text")
    axis = VMobject(stroke_color=color, stroke_width=3, fill_color=color, fill_opacity=1)
    reach = extent + 0.3 / plane_map.unit
    axis.start_new_path(plane_map.floor(-reach, reach))
    axis.add_line_to(plane_map.floor(reach, -reach))
    values = difference_ticks(extent)
    for d in values:
        centre = plane_map.floor(d / 2, -d / 2)
        axis.start_new_path(centre - 0.1 * OUT)
        axis.add_line_to(centre + 0.1 * OUT)
    along = plane_map.floor(1, -1) - plane_map.floor(0, 0)
    along /= np.linalg.norm(along)
    end = plane_map.floor(reach, -reach)
    side = np.cross(along, OUT) * 0.09
    axis.start_new_path(end - side)
    axis.add_line_to(end + 0.25 * along)
    axis.add_line_to(end + side)
    axis.add_line_to(end - side)
    name = MathTex(r"z_1 - z_2", font_size=name_size, color=color)
    name.set_stroke(theme.color("background"), width=3, background=True)
    name.move_to(end + (0.3 + name.width / 2) * along + 0.3 * OUT)
    numbers = VGroup()
    for d in values:
        label = MathTex(_number_tex(d), font_size=font_size, color=theme.color("muted"))
        label.set_stroke(theme.color("background"), width=3, background=True)
        label.move_to(plane_map.floor(d / 2, -d / 2) - 0.32 * OUT)
        numbers.add(label)
    return on_floor(axis), name, numbers


def floor_numbers(
    theme: Theme,
    axes: LogitAxes,
    step: float,
    font_size: float,
    offset: float = 0.32,
) -> VGroup:
    """Numbers beside the ticks of both floor axes of ``axes``, every ``step`` (0 left out).

    Each number sits ``offset`` scene units across its axis, on the side toward
    negative values of the other axis, in the muted colour with a background-coloured
    outline so it reads over a surface. Add them as fixed-orientation mobjects in 3D
    (they face the camera).

    Returns
    -------
    VGroup
        Two groups: the ``z_1`` numbers and the ``z_2`` numbers.
    """
    plane = axes.map
    values = [v for v in np.arange(-axes.extent, axes.extent + 1e-9, step) if abs(v) > 1e-9]
    groups = VGroup()
    for axis in (0, 1):
        numbers = VGroup()
        for value in values:
            x, y = (value, 0.0) if axis == 0 else (0.0, value)
            across = -np.eye(2)[1 - axis] * offset / plane.unit
            label = MathTex(_number_tex(value), font_size=font_size, color=theme.color("muted"))
            label.set_stroke(theme.color("background"), width=3, background=True)
            label.move_to(plane.floor(x + across[0], y + across[1]))
            numbers.add(label)
        groups.add(numbers)
    return groups


# --------------------------------------------------------------------------- #
# The 3-class plane
# --------------------------------------------------------------------------- #


class ClassTriangle(VGroup):
    """The triangle of the class vertices (one-hot logits) in the sum-zero plane.

    Parameters
    ----------
    theme
        Vertex dots and labels take the class colours; edges the muted colour.
    plane_map
        Where plane coordinates go in the scene.
    labels
        LaTeX label of each vertex (e.g. ``e_1``); empty for none.
    scale
        Draw the vertices at ``scale`` times :func:`softmax_math.class_vertices`.
    label_size
        Font size of the labels.
    """

    def __init__(
        self,
        theme: Theme,
        plane_map: PlaneMap,
        labels: Sequence[str] = (),
        scale: float = 1.0,
        label_size: float = 30,
    ) -> None:
        vertices = class_vertices(3) * scale
        corners = plane_map.floor(vertices[:, 0], vertices[:, 1])
        self.corners = corners
        edges = Polygon(*corners, color=theme.color("text"), stroke_width=3)
        edges.set_fill(theme.color("text"), opacity=0.08)
        self.edges = edges
        self.dots = VGroup(
            *(mesh_sphere(corner, 0.07, theme.class_color(k)) for k, corner in enumerate(corners))
        )
        self.vertex_labels = VGroup()
        center = plane_map.floor(0.0, 0.0)
        for k, text in enumerate(labels):
            label = MathTex(text, font_size=label_size, color=theme.class_color(k))
            outward = corners[k] - center
            outward /= max(np.linalg.norm(outward), 1e-9)
            label.move_to(corners[k] + 0.32 * outward)
            self.vertex_labels.add(label)
        super().__init__(edges, self.dots)


class TieBoundaries(VGroup):
    """The three rays of the 3-class plane where two classes tie for the lead.

    Each ray is drawn from the centre to the edge of the drawn region (the square
    ``[-extent, extent]^2`` or the hexagon, see :func:`boundary_reach`) in the blend
    of the two tied classes' colours.

    Parameters
    ----------
    theme
        Colours.
    plane_map
        Where plane coordinates go in the scene.
    extent
        Half side of the square (circumradius of the hexagon) the rays end on.
    stroke_width
        Line width.
    shape
        ``"square"`` or ``"hexagon"``.

    Attributes
    ----------
    rays
        ``{(i, j): Line}`` for each pair of classes.
    ends
        ``{(i, j): end point in plane coordinates}``.
    """

    def __init__(
        self,
        theme: Theme,
        plane_map: PlaneMap,
        extent: float,
        stroke_width: float = 4,
        shape: str = "square",
    ) -> None:
        self.rays: dict[tuple[int, int], Line] = {}
        self.ends: dict[tuple[int, int], FloatArray] = {}
        center = plane_map.floor(0.0, 0.0)
        for pair, direction in tie_directions(3).items():
            reach = float(boundary_reach(np.arctan2(direction[1], direction[0]), extent, shape))
            end = direction * reach
            self.ends[pair] = end
            color = theme.class_color(pair[0]).interpolate(theme.class_color(pair[1]), 0.5)
            dashes = DashedLine(
                center,
                plane_map.floor(*end),
                color=color,
                stroke_width=stroke_width,
                dash_length=0.12,
            )
            self.rays[pair] = merged(dashes)[0]
        super().__init__(*self.rays.values())


class RegionLabels(VGroup):
    """Class names placed inside each class's region of the 3-class plane.

    Parameters
    ----------
    theme
        Class colours.
    plane_map
        Where plane coordinates go in the scene.
    names
        Text of each label (LaTeX, e.g. ``\\text{cat}``).
    radius
        Distance from the centre, in plane units, along each class's vertex direction.
    label_size
        Font size.
    turn
        Angle (radians, counter-clockwise) turning every label off its vertex
        direction, e.g. to keep it off an axis; it stays inside its region for
        angles under 60 degrees.
    height
        Vertical value to float the labels at (e.g. just above ``p = 1``, on each
        class's own plateau); 0 puts them on the floor.
    """

    def __init__(
        self,
        theme: Theme,
        plane_map: PlaneMap,
        names: Sequence[str],
        radius: float,
        label_size: float = 30,
        turn: float = 0.0,
        height: float = 0.0,
    ) -> None:
        vertices = class_vertices(3)
        c, s = np.cos(turn), np.sin(turn)
        labels = []
        for k, name in enumerate(names):
            direction = np.array([[c, -s], [s, c]]) @ (vertices[k] / np.linalg.norm(vertices[k]))
            label = Tex(name, font_size=label_size, color=theme.class_color(k))
            # A background-coloured outline keeps the name readable over its own surface.
            label.set_stroke(theme.color("background"), width=5, background=True)
            x, y = direction * radius
            label.move_to(plane_map.floor(x, y) if height == 0 else plane_map.point(x, y, height))
            labels.append(label)
        super().__init__(*labels)


class SumZeroPlanePatch(VMobject):
    """A regular hexagon of the plane ``z_1 + z_2 + z_3 = 0`` drawn in 3D logit space.

    Parameters
    ----------
    theme
        Fill in the accent colour, faint.
    unit
        Scene length of one logit unit along each of the three logit axes.
    radius
        Plane-coordinate radius of the hexagon's corners.
    opacity
        Fill opacity.
    """

    def __init__(self, theme: Theme, unit: float, radius: float, opacity: float = 0.18) -> None:
        super().__init__()
        angles = np.arange(6) * 60 * DEGREES + 30 * DEGREES
        plane_xy = np.stack([np.cos(angles), np.sin(angles)], axis=-1) * radius
        corners = from_plane(plane_xy) * unit
        self.set_points_as_corners([*corners, corners[0]])
        self.set_fill(theme.color("accent"), opacity=opacity)
        self.set_stroke(theme.color("accent"), width=2, opacity=0.6)


class InvariantArrow(VGroup):
    """The all-ones direction ``(1, ..., 1)`` along which softmax does not change.

    Parameters
    ----------
    theme
        Drawn in the accent colour.
    start, end
        Scene points of the tail and the tip.
    label
        LaTeX label near the tip (e.g. ``(1, 1, 1)``); empty for none.
    label_size
        Font size of the label.

    Attributes
    ----------
    arrow
        The 3D arrow.
    label
        The label (add it as a fixed-orientation mobject in 3D), or ``None``.
    """

    def __init__(
        self,
        theme: Theme,
        start: npt.ArrayLike,
        end: npt.ArrayLike,
        label: str = "",
        label_size: float = 30,
    ) -> None:
        start = np.asarray(start, dtype=float)
        end = np.asarray(end, dtype=float)
        self.arrow = Arrow3DLite(start, end, theme.color("accent"))
        self.label = None
        if label:
            self.label = MathTex(label, font_size=label_size, color=theme.color("accent"))
            self.label.move_to(end + 0.35 * OUT + 0.2 * (end - start) / np.linalg.norm(end - start))
        super().__init__(self.arrow)


# --------------------------------------------------------------------------- #
# Depth helpers for MeshCamera scenes
# --------------------------------------------------------------------------- #

#: How far below the scene a floor drawing's depth anchor sits: far enough that,
#: for any camera looking from above, it sorts behind every surface face.
_FLOOR_ANCHOR_DEPTH = 100.0


def on_floor(mobject: Mobject, down: npt.ArrayLike = -OUT) -> Mobject:
    """Draw ``mobject`` (a floor drawing) before every surface face.

    :class:`softmax_video.engine.mesh.MeshCamera` sorts ``shade_in_3d`` mobjects by the depth of
    their ``z_index_group``'s centre; anchoring the whole family far below the
    floor makes it sort behind every face while the camera looks from above, so
    surfaces (opaque or see-through) always cover the floor correctly and never
    z-fight with it. For a tilted floor pass its downward normal as ``down``.
    """
    down = np.asarray(down, dtype=float) / np.linalg.norm(down)
    anchor = Point(mobject.get_center() + _FLOOR_ANCHOR_DEPTH * down)
    for member in mobject.get_family():
        member.shade_in_3d = True
        member.z_index_group = anchor
    return mobject


def in_depth_order(mobject: Mobject) -> Mobject:
    """Sort ``mobject``'s family members by their own centres among the surface faces.

    For curves drawn on a surface: split them into short pieces first (a
    :class:`PiecewiseCurve`), so each piece is ordered against the faces near it.
    """
    for member in mobject.get_family():
        member.shade_in_3d = True
    return mobject


class PiecewiseCurve(VGroup):
    """A polyline through ``points`` drawn as short straight pieces.

    :class:`softmax_video.engine.mesh.MeshCamera` orders a curve as a whole by its centre;
    pieces are ordered one by one, so a curve lying on a surface is hidden only
    where the surface is really in front of it.

    Parameters
    ----------
    points
        Scene points, shape ``(n, 3)``.
    color, stroke_width
        Stroke style.
    pieces
        Number of pieces (at most ``n - 1``).
    lift
        Scene offset added to every point (e.g. a little ``OUT`` so that the curve
        sorts just in front of the surface it lies on).
    """

    def __init__(
        self,
        points: npt.ArrayLike,
        color: ManimColor,
        stroke_width: float = 5,
        pieces: int = 24,
        lift: npt.ArrayLike = ORIGIN,
    ) -> None:
        pts = np.asarray(points, dtype=float) + np.asarray(lift, dtype=float)
        bounds = np.linspace(0, len(pts) - 1, min(pieces, len(pts) - 1) + 1).round().astype(int)
        parts = []
        for a, b in pairwise(bounds):
            part = VMobject(stroke_color=color, stroke_width=stroke_width)
            part.set_points_as_corners(pts[a : b + 1])
            parts.append(part)
        super().__init__(*parts)
        in_depth_order(self)


# --------------------------------------------------------------------------- #
# Light 3D pieces: one mobject each instead of dozens
# --------------------------------------------------------------------------- #


def mesh_sphere(
    center: npt.ArrayLike, radius: float, color: ManimColor, resolution: tuple[int, int] = (7, 12)
) -> MeshSurface:
    """A shaded ball as one :class:`~softmax_video.engine.mesh.MeshSurface` (``Dot3D`` is 64
    mobjects)."""
    theta = np.linspace(0, np.pi, resolution[0] + 1)
    phi = np.linspace(0, 2 * np.pi, resolution[1] + 1)
    t, f = np.meshgrid(theta, phi, indexing="ij")
    # Ordered so that the face normals point outwards (lit from outside).
    unit = np.stack([np.sin(t) * np.cos(f), np.sin(t) * np.sin(f), np.cos(t)], axis=-1)
    grid = np.asarray(center, dtype=float) + radius * unit[:, ::-1]
    return MeshSurface(grid, fill_color=color, fill_opacity=1.0)


def mesh_cone(
    base: npt.ArrayLike, apex: npt.ArrayLike, radius: float, color: ManimColor, segments: int = 12
) -> MeshSurface:
    """A cone (an arrow tip) as one :class:`~softmax_video.engine.mesh.MeshSurface`."""
    base = np.asarray(base, dtype=float)
    apex = np.asarray(apex, dtype=float)
    axis = apex - base
    axis /= np.linalg.norm(axis)
    helper = np.array([1.0, 0, 0]) if abs(axis[0]) < 0.9 else np.array([0, 1.0, 0])
    e1 = np.cross(axis, helper)
    e1 /= np.linalg.norm(e1)
    e2 = np.cross(axis, e1)
    angles = np.linspace(0, 2 * np.pi, segments + 1)
    ring = base + radius * (np.cos(angles)[:, None] * e1 + np.sin(angles)[:, None] * e2)
    grid = np.stack([ring, np.broadcast_to(apex, ring.shape)], axis=0)
    return MeshSurface(grid, fill_color=color, fill_opacity=1.0)


class Arrow3DLite(VGroup):
    """A 3D arrow: a stroked shaft sorted by depth and a cone tip (two mobjects).

    Parameters
    ----------
    start, end
        Scene points of the tail and the tip's apex.
    color
        Colour of shaft and tip.
    stroke_width
        Shaft width.
    tip_length, tip_radius
        Size of the cone.
    """

    def __init__(
        self,
        start: npt.ArrayLike,
        end: npt.ArrayLike,
        color: ManimColor,
        stroke_width: float = 5,
        tip_length: float = 0.25,
        tip_radius: float = 0.08,
    ) -> None:
        start = np.asarray(start, dtype=float)
        end = np.asarray(end, dtype=float)
        direction = (end - start) / np.linalg.norm(end - start)
        base = end - tip_length * direction
        self.shaft = in_depth_order(Line(start, base, color=color, stroke_width=stroke_width))
        self.tip = mesh_cone(base, end, tip_radius, color)
        super().__init__(self.shaft, self.tip)


def merged(mobject: Mobject) -> VGroup:
    """The same drawing with all pieces of one style merged into one mobject.

    A formula of 20 glyphs or a dashed line of 40 dashes costs one draw call a
    frame instead of 20 or 40. Pieces keep their own sub-paths (letters keep
    their holes); one mobject is made per distinct fill/stroke style.
    """
    merged_by_style: dict[tuple, VMobject] = {}
    for member in mobject.family_members_with_points():
        key = (
            tuple(np.round(member.get_fill_rgbas()[0], 4)),
            tuple(np.round(member.get_stroke_rgbas()[0], 4)),
            round(float(member.get_stroke_width()), 4),
        )
        target = merged_by_style.get(key)
        if target is None:
            target = VMobject(
                fill_color=member.get_fill_color(),
                fill_opacity=member.get_fill_opacity(),
                stroke_color=member.get_stroke_color(),
                stroke_width=member.get_stroke_width(),
                stroke_opacity=member.get_stroke_opacity(),
            )
            merged_by_style[key] = target
        target.append_points(member.points)
    return VGroup(*merged_by_style.values())


#: The largest possible loss gradient ``|p - onehot|`` (``p`` one-hot on another class).
MAX_GRADIENT = float(np.sqrt(2.0))


def floor_arrows(
    theme: Theme,
    plane_map: PlaneMap,
    positions: npt.ArrayLike,
    vectors: tuple[npt.ArrayLike, npt.ArrayLike],
    spacing: float,
    fill: float = 0.9,
    stroke_width: float = 2.5,
    max_tip_length: float = 0.16,
) -> VectorFieldArrows:
    """A field of loss-gradient arrows lying on the floor, drawn under every surface.

    Lengths are proportional to the magnitudes (no minimum length), so an arrow
    shrinks exactly as the gradient does; a gradient of :data:`MAX_GRADIENT` fills
    ``fill`` of the ``spacing`` between arrows. Colour runs from muted (weak) to the
    loss colour (strong).

    Parameters
    ----------
    theme
        Colours.
    plane_map
        Where floor coordinates go in the scene.
    positions
        Arrow tails in floor coordinates, ``(..., 2)``.
    vectors
        ``(u, v)`` components in floor coordinates.
    spacing
        Distance between neighbouring arrows, in floor units.
    fill, stroke_width, max_tip_length
        Drawing style.
    """
    arrows = VectorFieldArrows(
        positions,
        tuple(vectors),
        colors=[theme.color("muted"), theme.color("gradient")],
        magnitude_range=(0.0, MAX_GRADIENT),
        max_length=fill * spacing * plane_map.unit,
        min_length=0.0,
        hide_below=1e-3,
        stroke_width=stroke_width,
        max_tip_length=max_tip_length,
        origin=plane_map.floor(0.0, 0.0),
        basis=plane_map.matrix[:2],
    )
    return on_floor(arrows)
