"""Fast 3D surfaces for the Cairo renderer: one mobject per mesh, drawn by a numpy camera.

Stock manim builds a :class:`~manim.Surface` out of one ``VMobject`` per face and
then, every frame, shades, projects, depth-sorts and strokes those faces one
Python object at a time. Here a whole surface is **one** mobject holding its
vertex grid, and :class:`MeshCamera` projects every vertex in one numpy call,
computes flat shading for every face at once with the formula of manim's
:class:`~manim.ThreeDCamera` (same light source, same look), sorts the faces by
depth and paints them straight into the frame with a compiled loop
(:mod:`softmax_video.engine.face_raster`; no per-face ``VMobject``).

Usage
-----
A scene must draw with :class:`MeshCamera`.
:class:`softmax_video.kit.lecture_scene.LectureThreeDScene`
already does; any other ``ThreeDScene`` can pass ``camera_class=MeshCamera`` or
use :class:`MeshThreeDScene`::

    import numpy as np
    from manim import DEGREES, ThreeDAxes
    from softmax_video.engine.mesh import MeshSurface, MeshThreeDScene

    class Bowl(MeshThreeDScene):
        def construct(self):
            axes = ThreeDAxes(x_range=(-3, 3), y_range=(-3, 3), z_range=(0, 2))
            x = y = np.linspace(-3, 3, 33)
            X, Y = np.meshgrid(x, y, indexing="ij")
            bowl = MeshSurface.from_heights(x, y, 0.1 * (X**2 + Y**2), axes=axes,
                                            fill_color="#4C9BE8", fill_opacity=0.8)
            self.set_camera_orientation(phi=65 * DEGREES, theta=-60 * DEGREES)
            self.add(axes, bowl)
            self.begin_ambient_camera_rotation(rate=0.3)
            # morph in place each frame, cheaply:
            bowl.add_updater(lambda m, dt: m.set_heights(m.heights * 0.99))
            self.wait(3)

Grids are indexed ``[i, j]`` along (u, v); a face ``(i, j)`` has the corners
``(i, j), (i+1, j), (i+1, j+1), (i, j+1)``. Vertices may be NaN (holes, e.g. on an
iso-surface): faces touching a NaN vertex are not drawn.

Depth order
-----------
Every frame :meth:`MeshCamera.capture_mobjects` builds one list of *items*: each
face of every mesh (depth = the camera-space depth of its four corners' mean)
and each other mobject of the scene (depth = the camera-space depth of its centre,
exactly as :class:`~manim.ThreeDCamera` sorts ``shade_in_3d`` mobjects; mobjects
without ``shade_in_3d`` such as text go last, on top, in scene order). One stable
sort orders all of them, then runs of faces are painted by :mod:`softmax_video.engine.face_raster`
and the other mobjects in between with manim's own display code.

Limits of this painter's algorithm: an axis, line, dot or polyline is ordered as a
whole by its centre against the individual faces, so a long line that pierces a
surface is drawn entirely in front or entirely behind (split long lines into short
segments, e.g. a ``VGroup`` of short ``Line3D``/``Line`` pieces, when it matters);
two faces that intersect each other are not split, so an intersection line of two
surfaces is as sharp as the mesh is fine (one face of error). A plain ``Line``/
``Dot`` is sorted by depth only if it has ``shade_in_3d=True`` (``Line3D``,
``Dot3D``, ``Surface`` faces do; others are drawn last, on top, as in stock
manim). Faces at exactly the same depth (coincident surfaces) keep scene order, so
they never flicker into a patchwork.

Look
----
Opt-in, ``MeshSurface(..., lighting=Lighting(...))`` shades each face by its own
normal instead (Lambert: ``ambient + diffuse * max(0, n . l)`` times its colour,
normals turned toward the camera, the light fixed in the scene or following the
camera), so that an opaque surface shows its shape; see :class:`Lighting`.
Otherwise faces are flat-shaded with manim's light source and formula, evaluated where
stock manim evaluates it (the face's first corner and a point on its far edge,
found by cubic interpolation along the grid); stock manim then paints a two-stop
gradient inside each face, the mesh one colour (the stops' area average). A
32x32 mesh and a stock 32x32 ``Surface`` differ by about 1/255 per pixel on
average (see tests/scenes/test_engine.py). Fully opaque faces are grown by 3/4
pixel (``seal_seams``) so that no hairline seams show what lies behind them;
translucent faces keep stock manim's faint seams, which read as a light mesh.
Grid lines: ``stroke_width`` (stock ``Surface`` uses 0.5) outlines every face in
depth order; ``fill_opacity=0`` with a stroke gives a wireframe. Faces with
nothing visible (opacity 0) are skipped.

Speed
-----
Per frame the camera projects, sorts and shades every face with numpy; painting the
faces is then most of the cost. :mod:`softmax_video.engine.face_raster` paints the
pixels Cairo's anti-aliased fill would (within its anti-aliasing error), faster
(measured in benchmarks/RESULTS.md), in horizontal bands of the frame by parallel
threads (the compiled loop releases the GIL; each band writes only its own rows, so
the pixels are the same as painted in one go). Work that a frame can inherit from the
last is reused: face shading while a mesh's vertices and colours stay put (it does not
depend on the camera), and, through
:class:`softmax_video.engine.cameras.KeepingCameraMixin`, the Cairo path of any mobject whose
points and projection are unchanged (text fixed in the frame while the camera turns,
everything static while a surface moves) and whole frames in which nothing changed.
Depth keys of plain VMobjects and of floor drawings skip manim's generic
bounding-box code.

During an animation the Cairo renderer paints mobjects that do not move into a
background image once and draws the moving ones over it, so a moving mesh is
always drawn over static mobjects. :class:`softmax_video.kit.lecture_scene.LectureThreeDScene`
and :class:`MeshThreeDScene` avoid this by treating every mobject as moving while
a mesh moves (a full, correctly sorted redraw each frame).
"""

from __future__ import annotations

import dataclasses
import functools
import itertools as it
import os
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import cairo
import numpy as np
import numpy.typing as npt
from manim import (
    Camera,
    Mobject,
    ParsableManimColor,
    Point,
    ThreeDCamera,
    ThreeDScene,
    VMobject,
    color_to_rgb,
)

from softmax_video.engine.cameras import FrameCache, KeepingCameraMixin, keeps_methods, use_camera

__all__ = [
    "Lighting",
    "MeshCamera",
    "MeshSurface",
    "MeshThreeDScene",
    "colorscale_rgb",
    "mesh_moving_mobjects",
    "use_mesh_camera",
]

FloatArray = npt.NDArray[np.float64]

#: Average position, over a square face, along the gradient axis ``c0 -> h`` that
#: stock manim fills each face with (pad-extended beyond ``h``): about 0.57.
_GRADIENT_MEAN = 0.57

#: Opaque faces are grown by this many pixels so that the anti-aliased edges of
#: neighbouring faces overlap instead of letting what is behind show through.
_SEAL_PIXELS = 0.75

#: Manim's shading: ``rgb + 0.5 (n . to_sun)^3``, halved when negative.
_LIGHT_STRENGTH = 0.5


def colorscale_rgb(
    values: npt.ArrayLike,
    colors: Sequence[ParsableManimColor],
    value_range: tuple[float, float] | None = None,
) -> FloatArray:
    """RGB colours (floats in [0, 1]) for ``values`` on an evenly spaced colour scale.

    Parameters
    ----------
    values
        Any shape; NaN values get the first colour.
    colors
        Two or more colours, from the lowest value to the highest.
    value_range
        ``(low, high)`` mapped to the first and last colour (clamped outside);
        defaults to the finite minimum and maximum of ``values``.

    Returns
    -------
    numpy.ndarray
        Shape ``values.shape + (3,)``.

    Examples
    --------
    >>> colorscale_rgb([0.0, 0.5, 1.0], ["#000000", "#FFFFFF"])[:, 0].round(2).tolist()
    [0.0, 0.5, 1.0]
    """
    v = np.asarray(values, dtype=float)
    stops = np.array([color_to_rgb(c) for c in colors], dtype=float)
    if len(stops) == 1:
        return np.broadcast_to(stops[0], (*v.shape, 3)).copy()
    if value_range is None:
        finite = v[np.isfinite(v)]
        value_range = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    lo, hi = value_range
    t = (v - lo) / (hi - lo) if hi != lo else np.zeros_like(v)
    t = np.clip(np.nan_to_num(t, nan=0.0), 0.0, 1.0) * (len(stops) - 1)
    k = np.minimum(t.astype(int), len(stops) - 2)
    frac = (t - k)[..., None]
    return stops[k] * (1 - frac) + stops[k + 1] * frac


@dataclasses.dataclass(frozen=True)
class Lighting:
    """Opt-in lighting of a :class:`MeshSurface` by each face's normal (Lambert shading).

    Stock manim shading (the default, ``lighting=None``) adds a little light to
    faces turned toward a point light and is nearly flat on gentle slopes, so an
    opaque surface reads as a flat patch of colour. With a ``Lighting`` every
    face's colour is multiplied by ``ambient + diffuse * max(0, n . l)``, where
    ``n`` is the face's unit normal (from its diagonals, turned toward the
    camera: both sides are lit alike) and ``l`` the unit direction toward the
    light. Slopes facing the light are bright, slopes facing away dark, plateaus
    in between: the surface reads as a shape even when opaque.

    Parameters
    ----------
    direction
        Toward the light. In scene coordinates (fixed to the world: the shading
        stays put while the camera turns) or, with ``follow_camera``, in camera
        coordinates (x right, y up, z toward the viewer: a headlight that keeps
        the lighting the same from every view).
    ambient, diffuse
        Brightness of a face turned away from / straight toward the light is
        ``ambient`` / ``ambient + diffuse`` times its colour (clipped to 1).
    follow_camera
        See ``direction``.

    Examples
    --------
    >>> import numpy as np
    >>> light = Lighting(direction=(0.0, 0.0, 1.0), ambient=0.5, diffuse=0.5)
    >>> flat = np.array([[[0, 0, 0], [1, 0, 0]], [[0, 1, 0], [1, 1, 0]]], dtype=float)
    >>> corners = tuple(flat.reshape(-1, 3)[[i]] for i in (0, 1, 3, 2))
    >>> light.shade(np.array([[0.8, 0.4, 0.2]]), corners, np.eye(3)).round(3).tolist()
    [[0.8, 0.4, 0.2]]
    """

    direction: tuple[float, float, float] = (-0.45, -0.35, 1.0)
    ambient: float = 0.5
    diffuse: float = 0.6
    follow_camera: bool = False

    def light_vector(self, rotation: FloatArray) -> FloatArray:
        """Unit vector toward the light in scene coordinates (``rotation``: the camera's)."""
        d = np.asarray(self.direction, dtype=float)
        if self.follow_camera:
            d = np.asarray(rotation, dtype=float).T @ d
        return d / max(float(np.linalg.norm(d)), 1e-12)

    def shade(
        self,
        rgb: FloatArray,
        corners: tuple[FloatArray, FloatArray, FloatArray, FloatArray],
        rotation: FloatArray,
    ) -> FloatArray:
        """Lit colours ``(F, 3)`` of faces with corners ``c0..c3`` (each ``(F, 3)``)."""
        c0, c1, c2, c3 = corners
        normals = np.cross(c2 - c0, c3 - c1)
        norm = np.linalg.norm(normals, axis=1, keepdims=True)
        normals = np.where(norm > 1e-12, normals / np.maximum(norm, 1e-12), 0.0)
        toward_viewer = np.asarray(rotation, dtype=float)[2]
        normals *= np.where(normals @ toward_viewer < 0, -1.0, 1.0)[:, None]
        lambert = np.maximum(normals @ self.light_vector(rotation), 0.0)
        return np.clip(rgb * (self.ambient + self.diffuse * lambert)[:, None], 0.0, 1.0)


class _SharedRef:
    """Holds an object that copies of a mesh share instead of deep-copying (the axes)."""

    __slots__ = ("obj",)

    def __init__(self, obj: Any) -> None:
        self.obj = obj

    def __deepcopy__(self, memo: dict) -> _SharedRef:
        return self


def _corner_indices(nu: int, nv: int) -> tuple[np.ndarray, ...]:
    """Flat vertex indices of the 4 corners of every face, each shaped (nu-1, nv-1)."""
    idx = np.arange(nu * nv).reshape(nu, nv)
    return idx[:-1, :-1], idx[1:, :-1], idx[1:, 1:], idx[:-1, 1:]


class MeshSurface(VMobject):
    """A whole surface as one mobject: a grid of vertices drawn as flat-shaded quads.

    The vertices are the mobject's ``points`` (row-major, ``nu * nv`` of them), so
    ``shift``, ``scale``, ``rotate``, ``apply_function`` and ``Transform`` between
    meshes of the same grid shape work as for any mobject; ``FadeIn``/``FadeOut``
    and ``set_opacity`` act on the fill; ``Create`` sweeps the faces in along u.
    Draw it with :class:`MeshCamera` (the stock cameras cannot draw it).

    Parameters
    ----------
    points_grid
        Vertices in scene coordinates, shape ``(nu, nv, 3)``, ``nu, nv >= 2``.
        NaN vertices make holes: faces touching one are dropped.
    fill_color, fill_opacity
        Colour and opacity of every face (opacity also scales per-face colours).
    face_colors
        Optional per-face colours, an array ``(nu-1, nv-1, 3)`` of RGB floats in
        [0, 1] or ``(nu-1, nv-1, 4)`` with a per-face alpha multiplier; see also
        :meth:`set_face_colors_by_value` and :func:`colorscale_rgb`.
    checkerboard_colors
        Two (or more) colours alternating over the faces like stock ``Surface``;
        overrides ``fill_color`` and ``face_colors``.
    shade
        Apply manim's 3D light shading (on by default).
    stroke_color, stroke_width, stroke_opacity
        Optional thin outline of every face (the grid lines of stock ``Surface``,
        which uses width 0.5). Off by default: it roughly halves drawing speed, and
        shading plus per-face colour already shows the shape.
    seal_seams
        Grow fully opaque faces by 3/4 pixel so that their anti-aliased edges
        overlap: no hairline seams through which a surface behind shows (stock
        manim has them). Translucent faces are never grown (the overlap would
        draw a darker grid); their faint seams read as a light mesh.
    lighting
        Opt-in: a :class:`Lighting` shades every face by its normal (replacing
        stock manim's shading for this mesh) so that an opaque surface shows its
        shape. ``None`` (default): stock shading as above.
    cull_back_faces
        Opt-in: skip faces turned away from the camera (their normal
        ``(c2 - c0) x (c3 - c1)`` points away from the viewer), e.g. the far
        walls of a closed solid. Default ``False``: every face is drawn.
    depth_bias
        Opt-in: scene units added to every face's depth (toward the viewer) when
        faces are sorted, so that this mesh's faces are painted after faces of
        other meshes up to that much nearer. For a wall around other surfaces
        (with ``cull_back_faces``, so only its near side is drawn), whose tall
        faces' centres lie lower than the surface faces just behind them.
        Default 0.
    """

    def __init__(
        self,
        points_grid: npt.ArrayLike,
        *,
        fill_color: ParsableManimColor | None = None,
        fill_opacity: float = 1.0,
        face_colors: npt.ArrayLike | None = None,
        checkerboard_colors: Sequence[ParsableManimColor] | None = None,
        shade: bool = True,
        stroke_color: ParsableManimColor | None = None,
        stroke_width: float = 0.0,
        stroke_opacity: float = 1.0,
        seal_seams: bool = True,
        lighting: Lighting | None = None,
        cull_back_faces: bool = False,
        depth_bias: float = 0.0,
        **kwargs: Any,
    ) -> None:
        self.shade = shade
        self.seal_seams = seal_seams
        self.lighting = lighting
        self.cull_back_faces = cull_back_faces
        self.depth_bias = float(depth_bias)
        self.reveal = (0.0, 1.0)
        self._grid_shape = (0, 0)
        self.valid_vertices = np.zeros((0, 0), dtype=bool)
        self.face_rgba: FloatArray | None = None
        self._source: dict[str, Any] | None = None
        style: dict[str, Any] = {"fill_opacity": fill_opacity, "stroke_width": stroke_width}
        if fill_color is not None:
            style["fill_color"] = fill_color
        if stroke_color is not None:
            style["stroke_color"] = stroke_color
        super().__init__(shade_in_3d=True, stroke_opacity=stroke_opacity, **style, **kwargs)
        self.set_points_grid(points_grid)
        if checkerboard_colors is not None:
            self.set_checkerboard(*checkerboard_colors)
        elif face_colors is not None:
            self.set_face_colors(face_colors)

    # -- construction --------------------------------------------------------- #

    @classmethod
    def from_heights(
        cls,
        x: npt.ArrayLike,
        y: npt.ArrayLike,
        z: npt.ArrayLike,
        *,
        axes: Any | None = None,
        colorscale: Sequence[ParsableManimColor] | None = None,
        value_range: tuple[float, float] | None = None,
        **kwargs: Any,
    ) -> MeshSurface:
        """The graph ``z = f(x, y)`` as a mesh.

        Parameters
        ----------
        x, y
            Grid coordinates: 1D arrays of length ``nu`` and ``nv`` or 2D arrays
            ``(nu, nv)`` (``np.meshgrid(..., indexing="ij")``).
        z
            Heights, shape ``(nu, nv)``; NaN leaves a hole.
        axes
            If given, ``x, y, z`` are in this ``ThreeDAxes``' coordinates (linear
            axes assumed) and are mapped to scene coordinates; otherwise they are
            scene coordinates.
        colorscale
            If given, faces are coloured by height (mean of their corners' ``z``)
            on this colour scale, over ``value_range`` (default: z's range).
        **kwargs
            Passed to :class:`MeshSurface`.
        """
        xx, yy = cls._xy_grids(x, y, np.shape(z))
        mesh = cls(np.zeros((*xx.shape, 3)), **kwargs)
        mesh._source = {"x": xx, "y": yy, "axes": _SharedRef(axes)}
        mesh.set_heights(z)
        if colorscale is not None:
            mesh.set_face_colors_by_value(mesh.heights, colorscale, value_range)
        return mesh

    @staticmethod
    def _xy_grids(x: npt.ArrayLike, y: npt.ArrayLike, shape: tuple[int, ...]) -> tuple:
        xa, ya = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        if xa.ndim == 1 and ya.ndim == 1:
            xa, ya = np.meshgrid(xa, ya, indexing="ij")
        xa, ya = np.broadcast_to(xa, shape).copy(), np.broadcast_to(ya, shape).copy()
        return xa, ya

    @staticmethod
    def axes_to_scene(axes: Any, coords: FloatArray) -> FloatArray:
        """Map axis coordinates ``(..., 3)`` to scene points with the axes' affine map."""
        origin = np.asarray(axes.c2p(0, 0, 0), dtype=float)
        basis = np.array([np.asarray(axes.c2p(*e), dtype=float) - origin for e in np.eye(3)])
        return origin + coords @ basis

    # -- data ------------------------------------------------------------------ #

    @property
    def grid_shape(self) -> tuple[int, int]:
        """``(nu, nv)``: vertices along u and v."""
        return self._grid_shape

    @property
    def points_grid(self) -> FloatArray:
        """Vertices ``(nu, nv, 3)``, NaN where a vertex is missing."""
        grid = self.points.reshape(*self._grid_shape, 3).copy()
        grid[~self.valid_vertices] = np.nan
        return grid

    @property
    def heights(self) -> FloatArray:
        """The ``z`` array last given to :meth:`set_heights` (``from_heights`` meshes only)."""
        if self._source is None or "z" not in self._source:
            raise ValueError("heights exist only for meshes made with MeshSurface.from_heights")
        return self._source["z"]

    def set_points_grid(self, points_grid: npt.ArrayLike) -> MeshSurface:
        """Move the vertices in place (shape ``(nu, nv, 3)``; NaN makes holes).

        Cheap enough to call from an updater every frame. Per-face colours are
        kept when the grid shape is unchanged and dropped otherwise.
        """
        grid = np.array(points_grid, dtype=float)
        if grid.ndim != 3 or grid.shape[2] != 3 or grid.shape[0] < 2 or grid.shape[1] < 2:
            raise ValueError(f"points_grid must be (nu, nv, 3) with nu, nv >= 2; got {grid.shape}")
        nu, nv = grid.shape[:2]
        valid = np.isfinite(grid).all(axis=2)
        if not valid.all():
            # Keep the points finite (bounding box, centre) with a filler value.
            filler = grid[valid].mean(axis=0) if valid.any() else np.zeros(3)
            grid[~valid] = filler
        if (nu, nv) != self._grid_shape and self.face_rgba is not None:
            self.face_rgba = None
        self._grid_shape = (nu, nv)
        self.valid_vertices = valid
        self.points = grid.reshape(-1, 3)
        return self

    def set_heights(self, z: npt.ArrayLike) -> MeshSurface:
        """New heights for a mesh made by :meth:`from_heights`, in place (same shape)."""
        if self._source is None:
            raise ValueError("set_heights needs a mesh made with MeshSurface.from_heights")
        zz = np.array(z, dtype=float)
        xx, yy = self._source["x"], self._source["y"]
        if zz.shape != xx.shape:
            raise ValueError(f"heights must have shape {xx.shape}; got {zz.shape}")
        self._source["z"] = zz
        coords = np.stack([xx, yy, zz], axis=-1)
        axes = self._source["axes"].obj
        return self.set_points_grid(coords if axes is None else self.axes_to_scene(axes, coords))

    # -- colour ---------------------------------------------------------------- #

    def set_face_colors(self, colors: npt.ArrayLike | None) -> MeshSurface:
        """Per-face RGB(A) floats ``(nu-1, nv-1, 3|4)``; ``None`` goes back to the fill colour."""
        if colors is None:
            self.face_rgba = None
            return self
        c = np.array(colors, dtype=float)
        shape = (self._grid_shape[0] - 1, self._grid_shape[1] - 1)
        if c.shape[:2] != shape or c.shape[2] not in (3, 4):
            raise ValueError(f"face colours must have shape {shape} + (3|4,); got {c.shape}")
        if c.shape[2] == 3:
            c = np.concatenate([c, np.ones((*shape, 1))], axis=2)
        self.face_rgba = c
        return self

    def set_face_colors_by_value(
        self,
        values: npt.ArrayLike,
        colors: Sequence[ParsableManimColor],
        value_range: tuple[float, float] | None = None,
    ) -> MeshSurface:
        """Colour faces by ``values`` on a colour scale (see :func:`colorscale_rgb`).

        ``values`` is per vertex ``(nu, nv)`` (faces take their corners' mean) or
        per face ``(nu-1, nv-1)``.
        """
        v = np.asarray(values, dtype=float)
        if v.shape == self._grid_shape:
            v = 0.25 * (v[:-1, :-1] + v[1:, :-1] + v[1:, 1:] + v[:-1, 1:])
        return self.set_face_colors(colorscale_rgb(v, colors, value_range))

    def set_checkerboard(self, *colors: ParsableManimColor) -> MeshSurface:
        """Alternate ``colors`` over the faces like stock ``Surface``'s checkerboard."""
        nu, nv = self._grid_shape
        rgb = np.array([color_to_rgb(c) for c in colors])
        i, j = np.meshgrid(np.arange(nu - 1), np.arange(nv - 1), indexing="ij")
        return self.set_face_colors(rgb[(i + j) % len(colors)])

    def face_base_rgba(self) -> FloatArray:
        """Unshaded RGBA of every face, ``(nu-1, nv-1, 4)``, opacity included."""
        fill = np.asarray(self.get_fill_rgbas())[0]
        nu, nv = self._grid_shape
        if self.face_rgba is None:
            return np.broadcast_to(fill, (nu - 1, nv - 1, 4)).copy()
        rgba = self.face_rgba.copy()
        rgba[..., 3] *= fill[3]
        return rgba

    # -- manim integration ----------------------------------------------------- #

    def get_anchors(self) -> FloatArray:
        # Every vertex is an anchor (the points are a grid, not Bezier curves).
        return self.points

    def get_points_defining_boundary(self) -> FloatArray:
        return self.points

    def align_points(self, mobject: Mobject) -> MeshSurface:
        if not isinstance(mobject, MeshSurface) or mobject.grid_shape != self.grid_shape:
            raise ValueError(
                "a MeshSurface can only be transformed into a MeshSurface with the same grid shape"
            )
        self.align_rgbas(mobject)
        return self

    def interpolate_color(self, mobject1: Mobject, mobject2: Mobject, alpha: float) -> None:
        super().interpolate_color(mobject1, mobject2, alpha)
        if not (isinstance(mobject1, MeshSurface) and isinstance(mobject2, MeshSurface)):
            return
        self._grid_shape = mobject2.grid_shape
        if alpha <= 0:
            self.valid_vertices = mobject1.valid_vertices.copy()
        elif alpha >= 1:
            self.valid_vertices = mobject2.valid_vertices.copy()
        else:
            self.valid_vertices = mobject1.valid_vertices & mobject2.valid_vertices
        c1, c2 = mobject1.face_rgba, mobject2.face_rgba
        if c1 is None and c2 is None:
            self.face_rgba = None
        else:
            ones = np.ones((*[n - 1 for n in self._grid_shape], 4))
            c1 = ones if c1 is None else c1
            c2 = ones if c2 is None else c2
            if c1.shape == c2.shape:
                self.face_rgba = c1 + (c2 - c1) * alpha
        self.shade = mobject2.shade if alpha >= 0.5 else mobject1.shade
        later = mobject2 if alpha >= 0.5 else mobject1
        self.lighting = getattr(later, "lighting", None)
        self.cull_back_faces = getattr(later, "cull_back_faces", False)
        self.depth_bias = getattr(later, "depth_bias", 0.0)

    def pointwise_become_partial(self, mobject: Mobject, a: float, b: float) -> MeshSurface:
        # Create/Uncreate: show the faces whose u-row lies in [a, b) of the grid.
        if isinstance(mobject, MeshSurface):
            self.points = mobject.points.copy()
            self._grid_shape = mobject.grid_shape
            self.valid_vertices = mobject.valid_vertices.copy()
        self.reveal = (float(a), float(b))
        return self

    def face_mask(self) -> np.ndarray:
        """Faces to draw, ``(nu-1, nv-1)``: all four corners finite and inside the reveal."""
        v = self.valid_vertices
        mask = v[:-1, :-1] & v[1:, :-1] & v[1:, 1:] & v[:-1, 1:]
        a, b = self.reveal
        if (a, b) != (0.0, 1.0):
            rows = mask.shape[0]
            lo, hi = int(np.floor(a * rows)), int(np.ceil(b * rows - 1e-9))
            mask[:lo] = False
            mask[hi:] = False
        return mask


# ---------------------------------------------------------------------------- #
# Camera
# ---------------------------------------------------------------------------- #


def _unit_normals(a: FloatArray, b: FloatArray) -> FloatArray:
    """Row-wise unit ``a x b``; ``UP`` where degenerate (as manim's face normal)."""
    n = np.cross(a, b)
    norm = np.linalg.norm(n, axis=1, keepdims=True)
    return np.where(norm > 1e-12, n / np.maximum(norm, 1e-12), [0.0, 1.0, 0.0])


def _shade(
    rgb: FloatArray, points: FloatArray, normals: FloatArray, light: FloatArray
) -> FloatArray:
    """Manim's ``get_shaded_rgb`` for many faces at once, clipped to [0, 1] like Cairo."""
    to_sun = light - points
    to_sun /= np.maximum(np.linalg.norm(to_sun, axis=1, keepdims=True), 1e-12)
    amount = _LIGHT_STRENGTH * np.einsum("ij,ij->i", normals, to_sun) ** 3
    amount = np.where(amount < 0, 0.5 * amount, amount)
    return np.clip(rgb + amount[:, None], 0.0, 1.0)


def _stock_face_shading(
    rgb: FloatArray,
    corners: tuple[FloatArray, FloatArray, FloatArray, FloatArray],
    edge_points: tuple[FloatArray, FloatArray],
    light: FloatArray,
) -> FloatArray:
    """The flat colour matching a stock ``Surface`` face.

    ``ThreeDCamera`` shades a face at two points, its first corner ``c0`` and the
    point ``h`` 2/3 along the edge ``c1 -> c2`` (with the normal manim computes
    there from ``c1`` and the point ``q`` 1/3 along ``c2 -> c3``), and fills the face
    with a linear gradient between the two colours, whose average over the face
    lies :data:`_GRADIENT_MEAN` of the way from the first stop to the second.
    ``edge_points`` are ``(h, q)``.
    """
    c0, c1, _, c3 = corners
    h, q = edge_points
    n0 = _unit_normals(c1 - c0, c3 - c0)
    n1 = _unit_normals(q - h, c1 - h)
    return (1 - _GRADIENT_MEAN) * _shade(rgb, c0, n0, light) + _GRADIENT_MEAN * _shade(
        rgb, h, n1, light
    )


def _catmull_rom(p0: FloatArray, p1: FloatArray, p2: FloatArray, p3: FloatArray, t: float):
    """Point at ``t`` of the Catmull-Rom cubic through ``p0..p3`` (segment ``p1 -> p2``)."""
    t2, t3 = t * t, t * t * t
    return 0.5 * (
        2 * p1
        + (p2 - p0) * t
        + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t2
        + (3 * p1 - p0 - 3 * p2 + p3) * t3
    )


def _edge_points(mesh: MeshSurface, mask: np.ndarray) -> tuple[FloatArray, FloatArray]:
    """Points 2/3 along ``c1 -> c2`` and 1/3 along ``c2 -> c3`` of the faces in ``mask``.

    A stock ``Surface`` evaluates its function there; a mesh only has its vertices,
    so the points are interpolated with cubics through the neighbouring vertices
    along the grid line (exact for quadratic surfaces), or linearly next to holes.
    """
    nu, nv = mesh.grid_shape
    grid = mesh.points.reshape(nu, nv, 3)
    pad = np.empty((nu + 2, nv + 2, 3))
    pad[1:-1, 1:-1] = grid
    pad[0, 1:-1] = 2 * grid[0] - grid[1]  # linear extrapolation past the border
    pad[-1, 1:-1] = 2 * grid[-1] - grid[-2]
    pad[:, 0] = 2 * pad[:, 1] - pad[:, 2]
    pad[:, -1] = 2 * pad[:, -2] - pad[:, -3]
    ok = np.zeros((nu + 2, nv + 2), dtype=bool)
    ok[1:-1, 1:-1] = mesh.valid_vertices
    ok[0, 1:-1], ok[-1, 1:-1] = mesh.valid_vertices[1], mesh.valid_vertices[-2]
    ok[:, 0], ok[:, -1] = ok[:, 2], ok[:, -3]
    i, j = np.nonzero(mask)
    i, j = i + 1, j + 1  # face (i, j): corner c0 is pad[i, j]
    # h: along v on row i+1, between columns j and j+1, at t = 2/3.
    cols = [j - 1, j, j + 1, j + 2]
    h = _catmull_rom(*(pad[i + 1, c] for c in cols), 2.0 / 3.0)
    h_ok = np.all([ok[i + 1, c] for c in cols], axis=0)
    h_lin = pad[i + 1, j] + (2.0 / 3.0) * (pad[i + 1, j + 1] - pad[i + 1, j])
    # q: along u on column j+1, from row i+1 towards row i, at t = 1/3.
    rows = [i + 2, i + 1, i, i - 1]
    q = _catmull_rom(*(pad[r, j + 1] for r in rows), 1.0 / 3.0)
    q_ok = np.all([ok[r, j + 1] for r in rows], axis=0)
    q_lin = pad[i + 1, j + 1] + (1.0 / 3.0) * (pad[i, j + 1] - pad[i + 1, j + 1])
    return np.where(h_ok[:, None], h, h_lin), np.where(q_ok[:, None], q, q_lin)


def _grow_quads(quads: FloatArray, amount: float) -> FloatArray:
    """Move every corner of every quad ``(F, 8)`` ``amount`` away from its centre."""
    corners = quads.reshape(-1, 4, 2)
    offset = corners - corners.mean(axis=1, keepdims=True)
    norm = np.linalg.norm(offset, axis=2, keepdims=True)
    grown = corners + offset / np.maximum(norm, 1e-12) * amount
    return grown.reshape(-1, 8)


@functools.cache
def _stock_center(kind: type) -> bool:
    """Whether ``kind``'s depth point is manim's anchor bounding-box centre (no overrides)."""
    return (
        issubclass(kind, VMobject)
        and keeps_methods(
            kind, Mobject, ("get_z_index_reference_point", "get_center", "get_critical_point")
        )
        and keeps_methods(kind, VMobject, ("get_points_defining_boundary", "get_anchors"))
    )


def _z_index_reference_point(mob: Mobject) -> FloatArray:
    """``mob.get_z_index_reference_point()``, computed without manim's per-axis loops.

    The same point (the centre of the bounding box of the family's anchors) for
    stock VMobjects, which make up most of a 3D scene (axes, ticks, lines, labels);
    manim's generic version took an eighth of a 3D chapter's render time. Anything
    else goes through manim.
    """
    group = getattr(mob, "z_index_group", mob)
    if type(group) is Point and not group.submobjects:
        # A depth reference point (softmax_video.kit.plane_geometry's depth helpers): its centre.
        return np.array(group.points[0], dtype=float)
    center = _anchor_box_center(group)
    if center is None:
        return np.asarray(mob.get_z_index_reference_point(), dtype=float)
    return center


def _anchor_box_center(mob: Mobject) -> FloatArray | None:
    """``mob.get_center()`` for a family of stock VMobjects, ``None`` for any other.

    The centre of the bounding box of the family's anchors, in one NumPy pass
    instead of manim's loop over axes and members.
    """
    family = mob.get_family()
    if not all(_stock_center(type(member)) for member in family):
        return None
    chunks = []
    for member in family:
        points = member.points
        if len(points) == 1:
            chunks.append(points)
        elif len(points):
            nppcc = member.n_points_per_cubic_curve
            chunks += [points[::nppcc], points[nppcc - 1 :: nppcc]]
    if not chunks:
        return np.zeros(3)
    anchors = np.concatenate(chunks)
    return (anchors.min(axis=0) + anchors.max(axis=0)) / 2


def _center_from(center_func: Any) -> FloatArray:
    """What a fixed-orientation centre function returns (a stock ``get_center`` faster)."""
    owner = getattr(center_func, "__self__", None)
    if owner is not None and getattr(center_func, "__func__", None) is Mobject.get_center:
        center = _anchor_box_center(owner)
        if center is not None:
            return center
    return np.asarray(center_func(), dtype=float)


def _default_bands(processes: int = 1) -> int:
    # One band per core this process may use, at most 2: the video encoder needs the rest.
    return max(1, min(2, (os.cpu_count() or 1) // max(1, processes)))


#: Mesh faces are painted in this many horizontal bands at once.
_BANDS = _default_bands()


def set_paint_bands(processes: int) -> None:
    """Paint with the bands fitting a chapter rendered by ``processes`` processes at once
    (each takes its part of the cores); the scene calls this before drawing."""
    global _BANDS, _PAINTER_POOL
    bands = _default_bands(processes)
    if bands != _BANDS:
        _BANDS = bands
        if _PAINTER_POOL is not None:
            _PAINTER_POOL.shutdown(wait=True)
            _PAINTER_POOL = None


#: Fewer faces than this are painted in one go (threads would cost more than they save).
_MIN_FACES_FOR_BANDS = 64

#: A face is painted in every band it comes this close to, in pixels (its anti-aliased
#: edge and its ``seal_seams`` growth reach a little past its corners; strokes add more).
_BAND_MARGIN = 2.0

_PAINTER_POOL: ThreadPoolExecutor | None = None


def _painters() -> ThreadPoolExecutor:
    """The worker threads that paint all bands but the first (the caller paints that one)."""
    global _PAINTER_POOL
    if _PAINTER_POOL is None:
        _PAINTER_POOL = ThreadPoolExecutor(max_workers=max(1, _BANDS - 1))
    return _PAINTER_POOL


class _BandBalance:
    """Where to cut the frame into bands so that the bands' painters finish together.

    Keeps each band's recent painting time per face (the caller's band runs in the
    main thread, the others in workers that share the cores with the encoder) and
    gives each band a share of the faces inversely proportional to it. Where the
    cuts fall never changes the pixels (see :meth:`MeshCamera._paint_faces`).
    """

    #: Weight of the newest measurement in the running per-face times.
    SMOOTHING = 0.3

    def __init__(self, bands: int) -> None:
        self.seconds_per_face = np.ones(bands)

    def rows(self, face_rows: np.ndarray, height: int) -> list[int]:
        """Band edges, in pixel rows from 0 to ``height``, given the faces' middle rows."""
        speed = 1.0 / self.seconds_per_face
        shares = np.cumsum(speed / speed.sum())[:-1]
        cuts = np.quantile(face_rows, shares).round().clip(0, height).astype(int)
        return [0, *np.maximum.accumulate(cuts).tolist(), height]

    def timed(self, band: int, paint: Any, *args: Any) -> None:
        """Run ``paint(*args)`` (the band's faces are ``args[-1]``) and record its time."""
        started = time.perf_counter()
        paint(*args)
        per_face = (time.perf_counter() - started) / max(1, len(args[-1]))
        old = self.seconds_per_face[band]
        self.seconds_per_face[band] = old + self.SMOOTHING * (per_face - old)


class _ShadingCache(FrameCache):
    """Shaded face colours of each mesh, reused while its points and colours stay put.

    Shading depends on the vertices, the base colours and the light, not on the
    camera's rotation, so a mesh that only turns with the camera (or sits still)
    is shaded once.
    """

    def shade(
        self,
        mesh: MeshSurface,
        mask: np.ndarray,
        light: FloatArray,
        fill_rgb: FloatArray,
        stroke_rgb: FloatArray | None,
    ) -> tuple[FloatArray, FloatArray | None]:
        inputs = (mesh.points, mask, light, fill_rgb, stroke_rgb)
        entry = self.get(id(mesh))
        if entry is not None and all(
            (a is None and b is None)
            or (a is not None and b is not None and a.shape == b.shape and np.array_equal(a, b))
            for a, b in zip(inputs, entry[0], strict=True)
        ):
            self.keep(id(mesh), entry)
            return entry[1]
        flat = [c[mask] for c in _corner_indices(*mesh.grid_shape)]
        corners = tuple(mesh.points[c] for c in flat)
        edges = _edge_points(mesh, mask)
        result = (
            _stock_face_shading(fill_rgb, corners, edges, light),
            None if stroke_rgb is None else _stock_face_shading(stroke_rgb, corners, edges, light),
        )
        copies = tuple(None if a is None else np.array(a, copy=True) for a in inputs)
        self.keep(id(mesh), (copies, result))
        return result


class _FaceBatch:
    """The drawable faces of one mesh for one frame (in no particular order)."""

    __slots__ = ("depth", "quads", "rgba", "stroke_rgba", "stroke_width")

    def __init__(self, camera: MeshCamera, mesh: MeshSurface) -> None:
        nu, nv = mesh.grid_shape
        corners = _corner_indices(nu, nv)
        mask = mesh.face_mask()
        points = mesh.points
        rot = camera.get_rotation_matrix()
        if getattr(mesh, "cull_back_faces", False):
            # Faces whose normal points away from the viewer are not drawn.
            c0, c1, c2, c3 = (points[c] for c in corners)
            facing = np.einsum("ijk,k->ij", np.cross(c2 - c0, c3 - c1), rot[2]) > 0
            mask = mask & facing
        flat = [c[mask] for c in corners]
        if mesh in camera.fixed_in_frame_mobjects:
            projected = points
        else:
            projected = camera.project_points(points)
        # Depth like ThreeDCamera's z_key (no frame-centre shift): mean of corner depths.
        vertex_depth = points @ rot[2]
        self.depth = 0.25 * sum(vertex_depth[c] for c in flat) + getattr(mesh, "depth_bias", 0.0)
        xy = projected[:, :2]
        self.quads = np.concatenate([xy[c] for c in flat], axis=1)  # (F, 8)
        base = mesh.face_base_rgba()[mask]
        stroke = np.asarray(mesh.get_stroke_rgbas())[0]
        self.stroke_width = float(mesh.get_stroke_width()) * camera.cairo_line_width_multiple
        self.stroke_rgba = None
        if self.stroke_width > 0:
            self.stroke_rgba = np.broadcast_to(stroke, base.shape).copy()
        lighting = getattr(mesh, "lighting", None)
        if lighting is not None and mesh.shade and camera.should_apply_shading and len(base):
            # Lit by the face normals (depends on the view: normals face the camera).
            corners_3d = tuple(points[c] for c in flat)
            base[:, :3] = lighting.shade(base[:, :3], corners_3d, rot)
            if self.stroke_rgba is not None:
                self.stroke_rgba[:, :3] = lighting.shade(self.stroke_rgba[:, :3], corners_3d, rot)
        elif mesh.shade and camera.should_apply_shading and len(base):
            light = np.asarray(camera.light_source.points[0], dtype=float)
            stroke_rgb = None if self.stroke_rgba is None else self.stroke_rgba[:, :3]
            fill_rgb, stroke_rgb = camera.shading.shade(mesh, mask, light, base[:, :3], stroke_rgb)
            base[:, :3] = fill_rgb
            if self.stroke_rgba is not None:
                self.stroke_rgba[:, :3] = stroke_rgb
        self.rgba = base
        shown = base[:, 3] > 0  # nothing to draw at the start of a FadeIn
        if self.stroke_rgba is not None:
            shown |= self.stroke_rgba[:, 3] > 0  # a wireframe has transparent fills
        if not shown.all():
            self.depth, self.quads, self.rgba = self.depth[shown], self.quads[shown], base[shown]
            if self.stroke_rgba is not None:
                self.stroke_rgba = self.stroke_rgba[shown]
            base = self.rgba
        if mesh.seal_seams and len(base):
            opaque = base[:, 3] >= 1.0
            if opaque.any():
                pixel = camera.frame_width / camera.pixel_width
                self.quads[opaque] = _grow_quads(self.quads[opaque], _SEAL_PIXELS * pixel)


class _FaceWork:
    """A frame's faces in pixel coordinates, painted run by run and band by band."""

    def __init__(self, pixels: np.ndarray, faces: dict[str, Any], matrix: cairo.Matrix) -> None:
        from softmax_video.engine.face_raster import PreparedQuads  # see MeshCamera._paint_faces

        self.pixels = pixels
        quads = faces["quads"].copy()  # to pixels with manim's matrix: a scale and a shift
        quads[:, 0::2] = quads[:, 0::2] * matrix.xx + matrix.x0
        quads[:, 1::2] = quads[:, 1::2] * matrix.yy + matrix.y0
        stroke_width = faces["width"] * abs(matrix.xx)
        self.prepared = PreparedQuads.of(quads, faces["rgba"], faces["stroke"], stroke_width)

    def paint(self, top: int, bottom: int, chosen: np.ndarray) -> None:
        """Paint faces ``chosen`` (indices, in painting order) into rows ``top:bottom``."""
        self.prepared.paint(self.pixels, rows=(top, bottom), chosen=chosen)


class MeshCamera(KeepingCameraMixin, ThreeDCamera):
    """A :class:`~manim.ThreeDCamera` that draws :class:`MeshSurface` faces fast.

    Every other mobject is drawn exactly as by ``ThreeDCamera``; mesh faces are
    depth-sorted together with the other mobjects (see the module docstring).
    Unchanged paths and frames are kept (:class:`softmax_video.engine.cameras.KeepingCameraMixin`).
    """

    @property
    def shading(self) -> _ShadingCache:
        """Face shading kept from the last frame."""
        if not hasattr(self, "_shading"):
            self._shading = _ShadingCache()
        return self._shading

    def _prepare_frame(self) -> None:
        self.reset_rotation_matrix()
        # The view is read once a frame, not at each of the frame's many projections.
        self._view = (
            self.frame_center,
            self.get_rotation_matrix().T,
            self.get_focal_distance(),
            self.get_zoom(),
        )
        self.shading.next_frame()
        self.shaded_paint.next_frame()

    def _frame_key(self) -> tuple:
        return (
            super()._frame_key(),  # the 2D part, first: fixed-in-frame mobjects need only it
            self.get_rotation_matrix().tobytes(),
            float(self.get_focal_distance()),
            float(self.get_zoom()),
            np.asarray(self.light_source.points[0], dtype=float).tobytes(),
            bool(self.should_apply_shading),
        )

    def _placement(self, mobject: Mobject, frame_key: tuple) -> Any:
        # Titles and formulas fixed in the frame stay put while the camera turns.
        flat = frame_key[0]  # the 2D part: frame centre and size, pixels
        if mobject in self.fixed_in_frame_mobjects:
            return flat
        if mobject in self.fixed_orientation_mobjects:
            center, projected = self._oriented_center(mobject)
            return (flat, center.tobytes(), projected.tobytes())
        return frame_key

    def get_cairo_context(self, pixel_array: np.ndarray) -> cairo.Context:
        """Manim's context for ``pixel_array``, mapping frame coordinates to pixels with
        the frame's centre at the middle of the picture.

        Points reach the context centred already: :meth:`project_points` subtracts the
        frame centre from scene points, and points fixed in the frame are frame
        coordinates. ``ThreeDCamera``'s context would subtract the centre again, as it
        stood when the context was made (contexts are kept per pixel buffer), so what
        a frame showed depended on where the camera looked at the first drawn frame.
        """
        if (kept := self.get_cached_cairo_context(pixel_array)) is not None:
            return kept
        ctx = super().get_cairo_context(pixel_array)
        pw, ph = self.pixel_width, self.pixel_height
        ctx.set_matrix(
            cairo.Matrix(pw / self.frame_width, 0, 0, -ph / self.frame_height, pw / 2, ph / 2)
        )
        return ctx

    def capture_mobjects(self, mobjects: Any, **kwargs: Any) -> None:
        # A label's centre is measured once a frame, not once for each member of its
        # family at each of two steps (a tenth of a 3D chapter's main thread).
        self._centers: dict[int, tuple] | None = {}
        try:
            super().capture_mobjects(mobjects, **kwargs)
        finally:
            self._centers = None  # outside a frame, labels may move: measure anew
            self._view = None

    def project_points(self, points: FloatArray) -> FloatArray:
        """``ThreeDCamera.project_points``, the same arithmetic, with the view read once a
        frame (manim reads its trackers at every call, most of the cost of small calls)."""
        view = self.__dict__.get("_view")
        if view is None or self.exponential_projection:
            return super().project_points(points)
        frame_center, rotation_t, focal_distance, zoom = view
        points = np.dot(points - frame_center, rotation_t)
        depth = focal_distance - points[:, 2]
        factor = focal_distance / depth
        factor[depth < 0] = 10**6
        scale = factor * zoom
        points[:, 0] *= scale
        points[:, 1] *= scale
        return points

    def _oriented_center(self, mobject: Mobject) -> tuple[FloatArray, FloatArray]:
        """The point a fixed-orientation ``mobject`` keeps facing the camera about, and
        where the camera projects it (as ``ThreeDCamera`` measures them)."""
        center_func = self.fixed_orientation_mobjects[mobject]
        centers = self.__dict__.get("_centers")
        entry = None if centers is None else centers.get(id(center_func))
        if entry is None or entry[0] is not center_func:
            center = _center_from(center_func)
            entry = (center_func, center, self.project_point(center))
            if centers is not None:
                centers[id(center_func)] = entry
        return entry[1], entry[2]

    def transform_points_pre_display(self, mobject: Mobject, points: FloatArray) -> FloatArray:
        oriented = mobject in self.fixed_orientation_mobjects
        if not oriented or mobject in self.fixed_in_frame_mobjects:
            return super().transform_points_pre_display(mobject, points)
        # ThreeDCamera's shift of a fixed-orientation mobject, from the frame's centres.
        points = Camera.transform_points_pre_display(self, mobject, points)
        center, projected = self._oriented_center(mobject)
        return points + (projected - center)

    def _sprite_worthy(self, vmobject: VMobject) -> bool:
        # Titles, captions and legends stay put while the camera turns: their fills are
        # composited from sprites, not rasterised again on every frame.
        return vmobject in self.fixed_in_frame_mobjects

    def _style_extra(self, mobject: VMobject) -> tuple:
        style: tuple = (bool(getattr(mobject, "shade_in_3d", False)),)
        if isinstance(mobject, MeshSurface):
            style += (
                mobject.face_base_rgba().tobytes(),
                mobject.face_mask().tobytes(),
                bool(mobject.shade),
                bool(mobject.seal_seams),
                getattr(mobject, "lighting", None),
            )
        return style

    @property
    def shaded_paint(self) -> FrameCache:
        """Shaded colours and gradient ends of ``shade_in_3d`` mobjects, kept from last frame."""
        if not hasattr(self, "_shaded_paint"):
            self._shaded_paint = FrameCache()
        return self._shaded_paint

    def _style(self, mobject: VMobject) -> tuple:
        # ThreeDCamera shades a shade_in_3d mobject's colours on every frame, from its
        # points, its colours and the light, none of which the camera's turning
        # changes: shade once, paint the shaded colours as manim would.
        style = super()._style(mobject)
        if not (
            self.should_apply_shading
            and getattr(mobject, "shade_in_3d", False)
            and mobject.get_num_points() > 0
        ):
            return style
        colors = style[:3]
        inputs = (
            mobject.points.tobytes(),
            *(c.tobytes() for c in colors),
            np.asarray(self.light_source.points[0], dtype=float).tobytes(),
        )
        entry = self.shaded_paint.get(id(mobject))
        if entry is None or entry[0] is not mobject or entry[1] != inputs:
            shaded = tuple(self.modified_rgbas(mobject, c) for c in colors)
            ends = np.array(mobject.get_gradient_start_and_end_points(), dtype=float)
            entry = (mobject, inputs, shaded, ends)
        self.shaded_paint.keep(id(mobject), entry)
        return (*entry[2], *style[3:])

    def _draw(self, mobs: list[Mobject]) -> None:
        meshes = [m for m in mobs if isinstance(m, MeshSurface)]
        others = [m for m in mobs if not isinstance(m, MeshSurface)]
        rot = self.get_rotation_matrix()
        other_depth = np.array([self._depth_key(m, rot) for m in others], dtype=float)
        batches = [_FaceBatch(self, mesh) for mesh in meshes]
        n_other = len(others)
        if batches:
            # Face depths rounded: faces equal but for float noise (a ring of faces seen
            # head-on) keep their list order, so how a mesh got where it is (the rounding
            # each update left) never changes which face is painted last. Other
            # mobjects keep exact depths: ThreeDCamera's order.
            depth = np.concatenate([other_depth, *(np.round(b.depth, 9) for b in batches)])
        else:
            depth = other_depth
        if not len(depth):
            return
        order = np.argsort(depth, kind="stable")
        is_face = order >= n_other
        # Boundaries of runs of faces / runs of other mobjects.
        cuts = np.flatnonzero(np.diff(is_face.astype(np.int8))) + 1
        starts = np.concatenate([[0], cuts])
        ends = np.concatenate([cuts, [len(order)]])
        faces = self._concat_batches(batches) if batches else None
        work = None
        ctx = None
        for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
            if is_face[s]:
                if ctx is None:
                    ctx = self.get_cairo_context(self.pixel_array)
                    work = _FaceWork(self.pixel_array, faces, ctx.get_matrix())
                self._paint_faces(ctx, work, order[s:e] - n_other)
            else:
                run = [others[i] for i in order[s:e].tolist()]
                for group_type, group in it.groupby(run, self.type_or_raise):
                    self.display_funcs[group_type](list(group), self.pixel_array)

    def set_cairo_context_color(self, ctx: cairo.Context, rgbas: Any, vmobject: VMobject) -> Any:
        # A "gradient" whose stops are all equal is a plain colour: skip manim's
        # gradient set-up (it measures the mobject's bounding box every frame,
        # the main cost of drawing ThreeDAxes). Same pixels.
        rgbas = np.asarray(rgbas)
        if len(rgbas) > 1 and (rgbas == rgbas[0]).all():
            rgbas = rgbas[:1]
        shaded = self.shaded_paint.current.get(id(vmobject))
        if len(rgbas) == 1 or shaded is None or shaded[0] is not vmobject:
            return super().set_cairo_context_color(ctx, rgbas, vmobject)
        # Manim's gradient, from the ends measured when the colours were shaded.
        start, end = self.transform_points_pre_display(vmobject, shaded[3])
        gradient = cairo.LinearGradient(start[0], start[1], end[0], end[1])
        for offset, rgba in zip(np.linspace(0, 1, len(rgbas)), rgbas, strict=True):
            gradient.add_color_stop_rgba(offset, *rgba[2::-1], rgba[3])
        ctx.set_source(gradient)
        return self

    @staticmethod
    def _depth_key(mob: Mobject, rot: FloatArray) -> float:
        if not getattr(mob, "shade_in_3d", False):
            return np.inf
        return float(np.dot(_z_index_reference_point(mob), rot.T)[2])

    @staticmethod
    def _concat_batches(batches: list[_FaceBatch]) -> dict[str, Any]:
        quads = np.concatenate([b.quads for b in batches])
        rgba = np.concatenate([b.rgba for b in batches])
        width = np.concatenate([np.full(len(b.depth), b.stroke_width) for b in batches])
        stroke = np.concatenate(
            [b.stroke_rgba if b.stroke_rgba is not None else np.zeros_like(b.rgba) for b in batches]
        )
        return {"quads": quads, "rgba": rgba, "width": width, "stroke": stroke}

    def _paint_faces(self, ctx: cairo.Context, work: _FaceWork, idx: np.ndarray) -> None:
        """Paint faces ``idx`` of ``work`` in order, in horizontal bands of the frame at once.

        Faces are painted by :mod:`softmax_video.engine.face_raster` straight into the pixel
        array: Cairo's pixels within anti-aliasing rounding, 2 to 4x faster than
        Cairo for see-through faces.

        Each band paints only its own rows of the pixel array, so the bands never
        share memory or state; a face is painted in every band it reaches, clipped to
        the band. Painting order within a band is the depth order, and anti-aliasing
        is per pixel, so the frame is the same as painted in one go. The painter
        releases the GIL, so the bands run in parallel. Band edges are placed so that
        every band should take as long as the others (:class:`_BandBalance`): the
        bands' faces differ in size, and the threads share the cores with the encoder.
        """
        # Imported here: numba takes a quarter of a second, which 2D chapters need not pay.
        from softmax_video.engine.face_raster import MITER_LIMIT

        ctx.get_target().flush()  # what Cairo drew reaches the pixels before the faces
        rows_of_corners = work.prepared.quads[idx, 1::2]
        first, last = rows_of_corners.min(axis=1), rows_of_corners.max(axis=1)
        balance = self.__dict__.get("_band_balance")
        if balance is None:  # made once, not on every call as a setdefault argument
            balance = self._band_balance = _BandBalance(_BANDS)
        rows = [0, self.pixel_height]
        if _BANDS > 1 and len(idx) >= _MIN_FACES_FOR_BANDS:
            rows = balance.rows(0.5 * (first + last), self.pixel_height)
        # Mitred stroke corners reach out up to half the miter limit in widths.
        margin = _BAND_MARGIN + MITER_LIMIT * float(work.prepared.half_widths[idx].max())
        jobs = []
        for band_index, (top, bottom) in enumerate(it.pairwise(rows)):
            inside = idx[(last >= top - margin) & (first <= bottom + margin)]
            if bottom > top and len(inside):
                jobs.append((band_index, top, bottom, inside))
        pending = [
            _painters().submit(balance.timed, number, work.paint, top, bottom, chosen)
            for number, top, bottom, chosen in jobs[1:]
        ]
        if jobs:
            number, top, bottom, chosen = jobs[0]
            balance.timed(number, work.paint, top, bottom, chosen)
        for job in pending:
            job.result()
        ctx.get_target().mark_dirty()


# ---------------------------------------------------------------------------- #
# Scene helpers
# ---------------------------------------------------------------------------- #


def use_mesh_camera(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Make a ``ThreeDScene``'s ``__init__`` kwargs draw with :class:`MeshCamera`
    (also in manim's ``frames_comparison`` harness; see
    :func:`softmax_video.engine.cameras.use_camera`)."""
    return use_camera(kwargs, MeshCamera)


def mesh_moving_mobjects(scene: ThreeDScene, moving: list[Mobject]) -> list[Mobject]:
    """All the scene's mobjects if a :class:`MeshSurface` moves, else ``moving``.

    Used by ``get_moving_mobjects`` so that a moving mesh is depth-sorted against
    every other mobject instead of being painted over a static background.
    """
    if moving is scene.mobjects:
        return moving
    for mob in moving:
        if any(isinstance(m, MeshSurface) for m in mob.get_family()):
            return scene.mobjects
    return moving


class MeshThreeDScene(ThreeDScene):
    """A ``ThreeDScene`` drawing with :class:`MeshCamera` (for scenes outside the lecture)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**use_mesh_camera(kwargs))

    def get_moving_mobjects(self, *animations: Any) -> list[Mobject]:
        return mesh_moving_mobjects(self, super().get_moving_mobjects(*animations))
