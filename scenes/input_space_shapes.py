"""Chapter: the shape of the logit space (softmax's input) for 4 and 5 classes.

Softmax ignores the all-ones direction, so K logits ``z`` leave a (K - 1)-dimensional
space; its coordinates ``u`` are the plane coordinates of :func:`softmax_math.to_plane`
(``x`` stays the network's input, as in the Gaussian chapters).

Beats
-----
1. ``tetrahedron``: 4 classes give a 3D space; the class vertices
   (:func:`softmax_math.class_vertices`) form a regular tetrahedron around the centre
   (a close-up on short axes).
2. ``regions``: zoom out to the full axes; the flat walls where two classes tie
   split the space into four identical cones (:func:`region_faces`, lit closed
   bodies with their edges), tips at the centre; pulled apart and put back.
3. ``iso-surfaces``: surfaces of equal probability ``p_k = q`` for each level of
   ``params.levels`` (:func:`softmax_math.iso_probability_surface`): rounded cones
   inside each region, farther out for higher ``q``.
4. ``five-classes``: 5 classes give a 4D space, shown as 3D slices ``u_4 = c``
   while ``c`` sweeps through ``params.slice_range``
   (:func:`softmax_math.iso_probability_slices`), seen along a direction that keeps
   every other class off the middle (:func:`slice_view`): the four others recede, and
   from :func:`slice_appearance` on class 1 is the closed body in the middle, growing.
5. ``n-dimensions``: the closing card: think of n dimensions, then set n = 23.

Every body ``{p_k >= q}`` is drawn closed, cut by a ball of radius ``params.extent``
(:func:`cap_with_ball`), and a note on screen says so: the regions are unbounded.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
from manim import (
    DEGREES,
    DOWN,
    LEFT,
    ORIGIN,
    OUT,
    RIGHT,
    UP,
    Create,
    DashedLine,
    Dot3D,
    FadeIn,
    FadeOut,
    Line,
    MathTex,
    Mobject,
    Restore,
    Tex,
    ValueTracker,
    VGroup,
    linear,
)

from softmax_math import (
    class_vertices,
    from_plane,
    iso_probability_slices,
    iso_probability_surface,
    softmax,
)
from softmax_math.isosurfaces import IsoSurface
from softmax_video.core.params import InputSpaceShapesParams
from softmax_video.engine.mesh import MeshSurface
from softmax_video.kit.lecture_scene import LectureThreeDScene
from softmax_video.kit.plane_geometry import (
    LogitAxes,
    PiecewiseCurve,
    in_depth_order,
    merged,
    mesh_sphere,
)
from softmax_video.kit.solids import lambert_rgba, light_direction
from softmax_video.kit.widgets import Readout

__all__ = [
    "CappedSurface",
    "InputSpaceShapes",
    "cap_with_ball",
    "five_class_slices",
    "four_class_surfaces",
    "region_faces",
    "slice_appearance",
    "slice_view",
    "tie_walls",
]

# -- layout (scene units, before the camera zoom) --------------------------- #
#: Scene length of the cube side the pictures fill.
CUBE_SIDE = 6.0
#: Camera of the overview and its idle rotation speed (radians per second).
VIEW = {"phi": 70 * DEGREES, "theta": -50 * DEGREES}
ROTATION_RATE = 0.12
#: Faces along each side of a tie wall.
WALL_RESOLUTION = 8
#: Names of the axes: coordinates u of the logits modulo the all-ones direction.
AXIS_NAMES = ("u_1", "u_2", "u_3")
#: Opacity of the iso-surfaces (nearly opaque and lit: they read as solid bodies).
SURFACE_OPACITY = 0.9
#: Opacity factor of the parts of a body that lie on the cutting sphere (its cap:
#: drawn, so the body is closed, a little lighter than its curved side).
CAP_ALPHA = 0.3
#: The same in the 5-class slices: opaque, so a body in the slice reads as solid, not
#: as a hollow shell seen through its cut.
SLICE_CAP_ALPHA = 1.0
#: Faces on the cutting sphere are their class's colour mixed this far toward the
#: text colour: the ball's cut is told apart from the body's own surface.
CAP_TINT = 0.35
#: The region cones reach this share of the ball's radius, and their opacity.
CONE_SHARE = 0.6
CONE_OPACITY = 0.95
#: Faces along each side of a cone's walls and cap (flat walls need few).
CONE_RESOLUTION = 5
#: How far (scene units) each cone is pulled out along its axis to show its shape:
#: far enough that the four tips stand apart.
EXPLODE = 1.4
#: The slices' view looks down more steeply, so the picture is taller: it zooms out.
SLICE_ZOOM = 0.85
#: Seconds of the whole sweep through ``params.slice_range``.
SWEEP_SECONDS = 9.0
#: Class names sit this far out along each cone's axis (share of the cone's reach).
TAG_REACH = 1.2
#: Half side of the close-up axes that show the tetrahedron first.
CLOSE_UP_EXTENT = 1.5
#: Iso-surfaces are sampled a little past the ball they are clipped to.
SAMPLE_MARGIN = 1.5


# --------------------------------------------------------------------------- #
# Geometry (numbers from softmax_math; clipping and walls are drawing geometry)
# --------------------------------------------------------------------------- #


#: Width (scene units, before the zoom) of the axes and their names in ``VIEW``.
NARROW_VIEW_WIDTH = 10.0


@dataclass(frozen=True)
class CappedSurface:
    """An iso-probability surface cut off by a ball: the boundary of ``{p_k >= q}`` in the ball.

    The region ``{p_k >= q}`` is convex and unbounded; inside a ball around the
    origin it is a convex body. Each ray of the iso-surface sample (from a centre
    inside the region) ends where it first leaves that body: on the iso-surface or,
    if that is farther (or never), on the sphere.

    Attributes
    ----------
    points
        ``(n_theta, n_phi, 3)`` boundary points (NaN where the ray's centre is outside
        the ball, i.e. nothing to draw).
    on_sphere
        ``(n_theta, n_phi)`` True where the point lies on the cutting sphere.
    """

    points: np.ndarray
    on_sphere: np.ndarray

    @property
    def cap_faces(self) -> np.ndarray:
        """``(n_theta - 1, n_phi - 1)`` True for faces lying on the cutting sphere."""
        s = self.on_sphere
        return s[:-1, :-1] & s[1:, :-1] & s[1:, 1:] & s[:-1, 1:]

    def face_alpha(self, cap_alpha: float) -> np.ndarray:
        """Per-face opacity factors: ``cap_alpha`` for faces lying on the sphere, else 1."""
        return np.where(self.cap_faces, cap_alpha, 1.0)


def cap_with_ball(surface: IsoSurface, radius: float) -> CappedSurface:
    """Cut ``surface`` (sampled along rays from its centre) with the ball ``|x| <= radius``.

    Examples
    --------
    >>> from softmax_math import iso_probability_surface
    >>> capped = cap_with_ball(iso_probability_surface(0, 0.5, 6, 8, max_radius=50.0), 3.0)
    >>> bool(np.all(np.linalg.norm(capped.points, axis=-1) <= 3.0 + 1e-9))
    True
    >>> bool(capped.on_sphere.any()) and not bool(capped.on_sphere.all())
    True
    """
    center = np.asarray(surface.center, dtype=float)
    d = np.asarray(surface.directions, dtype=float)
    if np.linalg.norm(center) >= radius:
        empty = np.full(d.shape, np.nan)
        return CappedSurface(empty, np.zeros(d.shape[:-1], dtype=bool))
    # Distance along each ray to the sphere: |c + r d| = R with r > 0.
    cd = d @ center
    to_sphere = -cd + np.sqrt(cd**2 - center @ center + radius**2)
    to_surface = np.where(surface.valid, surface.radius, np.inf)
    on_sphere = to_sphere <= to_surface
    r = np.minimum(to_sphere, to_surface)
    return CappedSurface(center + r[..., None] * d, on_sphere)


def four_class_surfaces(level: float, resolution: int, radius: float) -> list[CappedSurface]:
    """The four bodies ``p_k >= level`` of 4 classes inside the ball, as capped surfaces."""
    return [
        cap_with_ball(
            iso_probability_surface(
                k, level, resolution, 2 * resolution, max_radius=radius + SAMPLE_MARGIN
            ),
            radius,
        )
        for k in range(4)
    ]


def five_class_slices(
    level: float, value: float, resolution: int, radius: float
) -> list[CappedSurface]:
    """Bodies ``p_k >= level`` of 5 classes in the slice ``x_4 = value``, inside the ball.

    Points are in the slice's three free coordinates; a class that never reaches
    the level in the slice gets an all-NaN surface.
    """
    shape = (resolution, 2 * resolution)
    slices = iso_probability_slices(
        level, value, resolution, 2 * resolution, max_radius=radius + SAMPLE_MARGIN
    )
    return [
        CappedSurface(np.full((*shape, 3), np.nan), np.zeros(shape, dtype=bool))
        if surface is None  # the level is not reached in this slice
        else cap_with_ball(surface, radius)
        for surface in slices
    ]


def tie_walls(
    radius: float, resolution: int = WALL_RESOLUTION
) -> dict[tuple[int, int], np.ndarray]:
    """The flat walls where two of 4 classes tie for the lead, as point grids.

    Classes ``i`` and ``j`` tie (and beat the two others ``k``, ``l``) on the
    planar wedge spanned by the directions away from ``k``'s and ``l``'s vertices
    (where three classes tie). Each wedge is returned as a ``(n, n, 3)`` grid out
    to ``radius``.
    """
    vertices = class_vertices(4)
    away = -vertices / np.linalg.norm(vertices, axis=1, keepdims=True)
    s = np.linspace(0.0, 1.0, resolution + 1)[:, None, None]
    t = np.linspace(0.0, 1.0, resolution + 1)[None, :, None]
    walls = {}
    for i, j in combinations(range(4), 2):
        k, m = sorted(set(range(4)) - {i, j})
        # Points on the arc between the two rays, normalised onto the sphere.
        edge = (1 - t) * away[k] + t * away[m]
        edge = edge / np.linalg.norm(edge, axis=-1, keepdims=True)
        walls[(i, j)] = s * radius * edge
    return walls


def region_faces(k: int, radius: float, resolution: int = WALL_RESOLUTION) -> list[np.ndarray]:
    """The closed body of class ``k``'s region (4 classes) inside the ball: three flat
    walls and a spherical cap, as ``(n + 1, n + 1, 3)`` point grids.

    Class ``k`` leads in the cone spanned by the three directions pointing away from
    the other classes' vertices (where three classes tie); its apex is the origin.
    The walls are the sectors between two of those edges; the cap is the part of the
    sphere ``|x| = radius`` between all three.

    Examples
    --------
    >>> import numpy as np
    >>> from softmax_math import from_plane
    >>> faces = region_faces(0, 2.0, 4)
    >>> len(faces), faces[0].shape
    (4, (5, 5, 3))
    >>> z = from_plane(np.concatenate([f.reshape(-1, 3) for f in faces]))
    >>> bool(np.all(z[:, 0] >= z.max(axis=1) - 1e-12))  # class 0 leads (or ties) on all
    True
    """
    vertices = class_vertices(4)
    away = -vertices / np.linalg.norm(vertices, axis=1, keepdims=True)
    a, b, c = (away[m] for m in range(4) if m != k)
    s = np.linspace(0.0, 1.0, resolution + 1)[:, None, None]
    t = np.linspace(0.0, 1.0, resolution + 1)[None, :, None]
    faces = []
    for p, q in ((a, b), (b, c), (c, a)):
        edge = (1 - t) * p + t * q
        faces.append(s * radius * edge / np.linalg.norm(edge, axis=-1, keepdims=True))
    # The cap: from the arc a..b (s = 0) to the corner c (s = 1).
    arc = (1 - t) * a + t * b
    spread = (1 - s) * arc + s * c
    faces.append(radius * spread / np.linalg.norm(spread, axis=-1, keepdims=True))
    return faces


def slice_appearance(level: float) -> float:
    """The fourth coordinate ``c`` at which class 1's body ``p_1 >= level`` first shows
    in the 5-class slices ``u_4 = c``: where ``p_1`` at the slice's centre reaches
    ``level`` (the slice's highest ``p_1`` is at its centre, on class 1's axis).

    Along class 1's vertex direction every other logit trails class 1's by the same
    amount, so ``p_1 = 1 / (1 + 4 e^{-d})`` with ``d = c |v_1| / |v_1|_4``; solved
    here by bisection on :func:`softmax_math.softmax` (no closed form assumed).

    Examples
    --------
    >>> round(slice_appearance(0.7), 3)
    1.998
    """

    def p1(c: float) -> float:
        return float(softmax(from_plane(np.array([0.0, 0.0, 0.0, c])))[0])

    low, high = 0.0, 1.0
    while p1(high) < level:
        high *= 2.0
    for _ in range(80):
        mid = 0.5 * (low + high)
        low, high = (mid, high) if p1(mid) < level else (low, mid)
    return 0.5 * (low + high)


def slice_view() -> dict[str, float]:
    """Camera angles for the slices, chosen so that nothing but class 1 is ever seen
    in the middle of the picture.

    In a slice the four other classes' bodies lie around the directions of their
    vertices' first three coordinates, which form a regular tetrahedron. Looking
    along the sum of two of them (classes 2 and 5: a cube-face direction of that
    tetrahedron), every body sits 54.7 degrees off the line of sight, in front and
    behind, so the middle stays clear until class 1 appears there.

    Examples
    --------
    >>> view = slice_view()
    >>> round(float(np.degrees(view["theta"])), 1), round(float(np.degrees(view["phi"])), 1)
    (-30.0, 54.7)
    """
    v = class_vertices(5)[:, :3]
    d = v[1] / np.linalg.norm(v[1]) + v[4] / np.linalg.norm(v[4])
    d = d / np.linalg.norm(d)
    return {"phi": float(np.arccos(d[2])), "theta": float(np.arctan2(d[1], d[0]))}


# --------------------------------------------------------------------------- #
# Scene
# --------------------------------------------------------------------------- #


class InputSpaceShapes(LectureThreeDScene):
    """The 3D logit space of 4 classes and 3D slices of the 4D space of 5 classes."""

    params: InputSpaceShapesParams

    def construct(self) -> None:
        self.setup_stage()
        self.show_tetrahedron()
        self.show_regions()
        self.show_iso_surfaces()
        self.show_slices()
        self.takeaway()

    def setup_stage(self) -> None:
        """Camera, axes, light, title; draws nothing."""
        p = self.params
        theme = self.theme
        self.radius = p.extent
        self.unit = CUBE_SIDE / (2 * p.extent)
        zoom = min(1.0, self.frame_width / 8.6, (self.frame_height - 1.6) / 7.5)
        if self.is_narrow:  # the axes' names reach 8.8 units across in this view
            zoom = min(zoom, self.usable_width / NARROW_VIEW_WIDTH)
        self.zoom = zoom
        self.set_camera_orientation(**VIEW, zoom=zoom)
        self.light = light_direction(VIEW["phi"], VIEW["theta"])
        self.axes = LogitAxes(
            theme,
            p.extent,
            self.unit,
            value_range=(-p.extent, p.extent, 1),
            value_length=CUBE_SIDE,
            names=AXIS_NAMES,
            label_size=theme.body_size,
        )
        self.outline_names(self.axes.names)
        self.title_mob = self.fixed(self.title())

    # -- helpers --------------------------------------------------------------- #

    def outline_names(self, names: VGroup) -> None:
        """Axis names with a background outline, ordered by depth among the bodies."""
        for name in names:
            name.set_stroke(self.theme.color("background"), width=6, background=True)
            for member in name.get_family():
                member.shade_in_3d = True

    def scene_points(self, plane_points: np.ndarray) -> np.ndarray:
        """Scene points of plane coordinates ``(..., 3)``."""
        pts = np.asarray(plane_points, dtype=float)
        return self.axes.to_scene(pts[..., 0], pts[..., 1], pts[..., 2])

    def fixed(self, mob: Mobject) -> Mobject:
        """``mob`` merged for speed and fixed in the frame, not yet shown."""
        flat = merged(mob)
        self.add_fixed_in_frame_mobjects(flat)
        self.remove(flat)
        return flat

    def caption(self, tex: str) -> Mobject:
        """A caption fixed at the bottom of the frame (portrait: broken after a "; ")."""
        if self.is_portrait:  # two lines: after the first "; ", else the first ", "
            tex = tex.replace("; ", r"; \\ ", 1) if "; " in tex else tex.replace(", ", r", \\ ", 1)
        mob = Tex(tex, font_size=self.theme.body_size)
        self.fit(mob, width=self.usable_width)
        self.to_bottom(mob)
        return self.fixed(mob)

    def note(self, *lines: str) -> Mobject:
        """A small side note, top right under the title (portrait: top left), fixed."""
        mob = VGroup(
            *(
                Tex(line, font_size=self.theme.label_size, color=self.theme.color("muted"))
                for line in lines
            )
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        if self.is_portrait:
            self.fit(mob, width=self.usable_width * 0.9)
            self.pin_to(mob, UP + LEFT).shift(DOWN * (self.title_mob.height + 0.25))
        else:
            self.fit(mob, width=self.usable_width * (0.45 if self.is_narrow else 0.3))
            self.pin_to(mob, UP + RIGHT).shift(DOWN * (self.title_mob.height + 0.3))
        return self.fixed(mob)

    def lit(
        self,
        points: np.ndarray,
        k: int,
        alpha: np.ndarray | float = 1.0,
        cap: np.ndarray | None = None,
    ) -> np.ndarray:
        """Class ``k``'s colour on every face of ``points``, lit (Lambert); faces in
        ``cap`` (the ball's cut) tinted toward the text colour."""
        rgb = np.asarray(self.class_color(k).to_rgb(), dtype=float)
        if cap is not None:
            tint = (1 - CAP_TINT) * rgb + CAP_TINT * np.asarray(self.theme.color("text").to_rgb())
            rgb = np.where(cap[..., None], tint, rgb)
        return lambert_rgba(points, rgb, self.light, alpha)

    def surface(self, capped: CappedSurface, k: int, cap_alpha: float = CAP_ALPHA) -> MeshSurface:
        """A lit mesh of the body ``p_k >= q`` cut by the ball."""
        points = self.scene_points(capped.points)
        return MeshSurface(
            points,
            fill_opacity=SURFACE_OPACITY,
            face_colors=self.lit(points, k, capped.face_alpha(cap_alpha), capped.cap_faces),
            shade=False,
        )

    def reset_surface(
        self, mesh: MeshSurface, capped: CappedSurface, k: int, cap_alpha: float
    ) -> None:
        points = self.scene_points(capped.points)
        mesh.set_points_grid(points)
        mesh.set_face_colors(self.lit(points, k, capped.face_alpha(cap_alpha), capped.cap_faces))

    def name_tag(self, k: int, at: np.ndarray) -> Mobject:
        """Class ``k``'s name at scene point ``at`` (colour and name: not colour alone)."""
        tag = Tex(self.class_tex(k), font_size=self.theme.label_size, color=self.class_color(k))
        tag.set_stroke(self.theme.color("background"), width=6, background=True)
        return tag.move_to(at)

    # -- beats ----------------------------------------------------------------- #

    def show_tetrahedron(self) -> None:
        with self.beat(
            "tetrahedron",
            "With four classes, the logits without their all-ones direction live in a 3D "
            "space, and the four class corners form a regular tetrahedron around its centre.",
        ):
            theme = self.theme
            # A close-up first: short axes at a large scale, so the tetrahedron is big.
            reach = CLOSE_UP_EXTENT
            close_unit = CUBE_SIDE / (2 * reach)
            close = LogitAxes(
                theme,
                reach,
                close_unit,
                value_range=(-reach, reach, 1),
                value_length=CUBE_SIDE,
                names=AXIS_NAMES,
                label_size=theme.body_size,
            )
            self.outline_names(close.names)
            corners = close.to_scene(*class_vertices(4).T)
            edges = VGroup(
                *(
                    DashedLine(corners[i], corners[j], color=theme.color("text"), stroke_width=2)
                    for i, j in combinations(range(4), 2)
                )
            )
            edges = merged(edges)
            balls = VGroup(
                *(mesh_sphere(c, 0.09, self.class_color(k)) for k, c in enumerate(corners))
            )
            labels = VGroup()
            for k, corner in enumerate(corners):
                label = MathTex(
                    rf"e_{k + 1}\ \text{{{self.class_tex(k)}}}",
                    font_size=theme.label_size,
                    color=self.class_color(k),
                )
                label.set_stroke(theme.color("background"), width=6, background=True)
                label.move_to(corner * 1.3 + 0.25 * OUT)
                labels.add(label)
            self.add_fixed_orientation_mobjects(*close.names, *labels)
            self.remove(*close.names, *labels)
            caption = self.caption(r"4 classes: logits $z$ modulo $(1,1,1,1)$ live in 3D")
            self.play_for(1.2, FadeIn(self.title_mob), Create(close), FadeIn(close.names))
            self.begin_ambient_camera_rotation(rate=ROTATION_RATE)
            self.play_for(1.5, Create(edges), FadeIn(balls), FadeIn(labels), FadeIn(caption))
            self.pause(4.5)
            self.tetrahedron = VGroup(edges, balls)
            self.vertex_labels = labels
            self.current_caption = caption
            self.close_axes = close
            self.close_scale = self.unit / close_unit

    def show_regions(self) -> None:
        with self.beat(
            "regions",
            "Flat walls where two classes tie cut the space into four identical cones, each "
            "with its tip at the centre and owned by the class whose corner it surrounds.",
        ):
            cone_radius = CONE_SHARE * self.radius
            cones = VGroup()
            directions = []
            for k in range(4):
                faces = region_faces(k, cone_radius, CONE_RESOLUTION)
                solid = VGroup(
                    *(
                        MeshSurface(
                            self.scene_points(f),
                            fill_opacity=CONE_OPACITY,
                            # The cap (the ball's cut) see-through: the walls and the
                            # edges from the tip show the cone's shape behind it.
                            face_colors=self.lit(
                                self.scene_points(f),
                                k,
                                CAP_ALPHA if index == 3 else 1.0,
                                np.full(np.subtract(f.shape[:2], 1), index == 3),
                            ),
                            shade=False,
                        )
                        for index, f in enumerate(faces)
                    )
                )
                vertex = class_vertices(4)[k]
                direction = vertex / np.linalg.norm(vertex)
                # Outline: the three edges from the tip, where three classes tie, and
                # the cap's rim, where the ball cuts the walls: the cone's silhouette.
                ends = [faces[0][-1, 0], faces[1][-1, 0], faces[2][-1, 0]]
                outline = VGroup(
                    *(
                        Line(
                            self.scene_points(np.zeros(3)),
                            self.scene_points(end),
                            color=self.theme.color("text"),
                            stroke_width=2,
                        )
                        for end in ends
                    ),
                    *(
                        PiecewiseCurve(
                            self.scene_points(faces[m][-1]),
                            self.theme.color("text"),
                            stroke_width=2,
                            pieces=CONE_RESOLUTION,
                        )
                        for m in range(3)
                    ),
                )
                in_depth_order(outline)
                cones.add(VGroup(solid, outline))
                directions.append(self.scene_points(direction) - self.scene_points(np.zeros(3)))
            unit_vertices = class_vertices(4) / np.linalg.norm(
                class_vertices(4), axis=1, keepdims=True
            )
            tags = VGroup(
                *(
                    self.name_tag(k, self.scene_points(TAG_REACH * cone_radius * v))
                    for k, v in enumerate(unit_vertices)
                )
            )
            self.add_fixed_orientation_mobjects(*tags)
            self.remove(*tags)
            tip = Dot3D(self.scene_points(np.zeros(3)), radius=0.08, color=self.theme.color("text"))
            caption = self.caption(r"each class owns an identical cone, its tip at the centre")
            ball_note = self.note(
                rf"cut by a ball of radius ${self.radius:g}$ (lighter faces):",
                r"the regions go on forever",
            )
            self.add_fixed_orientation_mobjects(*self.axes.names)
            self.remove(*self.axes.names)
            # Zoom out: the close-up axes shrink into the full ones.
            factor = self.close_scale
            self.play_for(
                2.0,
                self.close_axes.animate.scale(factor, about_point=ORIGIN).set_opacity(0),
                FadeOut(self.close_axes.names),
                FadeIn(self.axes),
                FadeIn(self.axes.names),
                self.tetrahedron.animate.scale(factor, about_point=ORIGIN),
                FadeOut(self.vertex_labels),
                self.swap_in_place(self.current_caption, caption),
            )
            self.remove(self.close_axes)
            self.play_for(2.0, FadeIn(cones), FadeIn(tip), FadeIn(ball_note))
            # Pulled apart along their axes, each reads as a cone; then back together.
            self.play_for(
                1.5,
                *(c.animate.shift(EXPLODE * d) for c, d in zip(cones, directions, strict=True)),
                FadeIn(tags),
            )
            # Class 1's cone alone for a moment (the others fade back): its tip at the
            # centre and its walls widening to the cap are seen, then all four again.
            others = [c for k, c in enumerate(cones) if k != 0]
            for cone in others:
                cone.save_state()
            self.play_for(0.8, *(c.animate.set_opacity(0.1) for c in others))
            self.pause(1.4)
            self.play_for(0.8, *(Restore(c) for c in others))
            self.cones = cones
            self.directions = directions
            self.tip = tip
            self.tags = tags
            self.ball_note = ball_note
            self.current_caption = caption

    def show_iso_surfaces(self) -> None:
        with self.beat(
            "iso-surfaces",
            "Surfaces of equal probability are rounded cones inside those regions; "
            "a higher level sits farther out, where the class is more certain.",
        ):
            p = self.params
            levels = list(p.levels)
            previous: VGroup | None = None
            # The cones go back together and fade out (a ghost of them kept through the
            # beat cost a third more render time): the surfaces fill the same places.
            self.play_for(
                1.2,
                *(
                    c.animate.shift(-EXPLODE * d).set_opacity(0.0)
                    for c, d in zip(self.cones, self.directions, strict=True)
                ),
                FadeOut(self.tetrahedron),
                # The bodies fill the ball and the turning axis names land on them and
                # on the class names, which say where each body is; the axes' names
                # come back for the slices.
                FadeOut(self.axes.names),
            )
            self.remove(self.cones)
            for index, level in enumerate(levels):
                meshes = VGroup(
                    *(
                        self.surface(points, k)
                        for k, points in enumerate(
                            four_class_surfaces(level, p.resolution, self.radius)
                        )
                    )
                )
                caption = self.caption(rf"closed surfaces where $p_k = {level:g}$")
                anims = [self.swap_in_place(self.current_caption, caption)]
                if previous is not None:
                    anims.append(FadeOut(previous))
                self.play_for(2.0, *(Create(m) for m in meshes), *anims)
                self.current_caption = caption
                self.pause(3.0 if index == len(levels) - 1 else 2.0)
                previous = meshes
            self.iso_meshes = previous

    def show_slices(self) -> None:
        with self.beat(
            "five-classes",
            "Five classes need a 4D space, so we watch 3D slices of it. As the fourth "
            "coordinate moves toward the first class's corner, the other four recede, and "
            "<mark:appears>the first class appears in the middle and grows.",
        ):
            p = self.params
            low, high = p.slice_range
            value = ValueTracker(low)
            first = five_class_slices(p.slice_level, low, p.resolution, self.radius)
            meshes = VGroup(
                *(self.surface(capped, k, SLICE_CAP_ALPHA) for k, capped in enumerate(first))
            )
            tags = VGroup(*(self.name_tag(k, ORIGIN) for k in range(5)))
            self.add_fixed_orientation_mobjects(*tags)
            self.remove(*tags)

            def refresh(_mob: Mobject) -> None:
                slices = five_class_slices(
                    p.slice_level, value.get_value(), p.resolution, self.radius
                )
                for k, (mesh, capped) in enumerate(zip(meshes, slices, strict=True)):
                    self.reset_surface(mesh, capped, k, SLICE_CAP_ALPHA)
                    self.place_tag(tags[k], capped)

            refresh(meshes[0])
            caption = self.caption(
                r"5 classes: a 4D space, seen as 3D slices $u_4 = c$; "
                rf"surfaces $p_k = {p.slice_level:g}$"
            )
            readout = Readout("u_4 =", value.get_value, decimals=2, font_size=self.theme.body_size)
            if self.is_portrait:
                # Under the note, left-aligned: the number grows to the right.
                self.pin_to(readout, UP + LEFT).shift(DOWN * (self.title_mob.height + 1.0))
            else:
                self.pin_to(readout, UP + LEFT).shift(DOWN * (self.title_mob.height + 0.3))
            self.add_fixed_in_frame_mobjects(readout)
            self.remove(readout)
            self.stop_ambient_camera_rotation()
            view = slice_view()
            theta = self.camera.get_theta()
            # The same direction, reached the short way round.
            view["theta"] = theta + (view["theta"] - theta + np.pi) % (2 * np.pi) - np.pi
            self.move_camera(
                **view,
                zoom=SLICE_ZOOM * self.zoom,
                added_anims=[
                    FadeOut(self.iso_meshes),
                    FadeOut(self.tip),
                    FadeOut(self.tags),
                    self.swap_in_place(self.current_caption, caption),
                    FadeIn(readout),
                    FadeIn(self.axes.names),
                ],
                run_time=self.seconds(2.0),
            )
            self.light = light_direction(view["phi"], view["theta"])
            refresh(meshes[0])
            self.play_for(1.2, *(FadeIn(m) for m in meshes), FadeIn(tags))
            # The updater sits on a mesh that is in the scene, so it runs every frame.
            meshes[0].add_updater(refresh)
            appears = float(np.clip(slice_appearance(p.slice_level), low, high))
            span = max(high - low, 1e-9)
            self.play_for(
                SWEEP_SECONDS * (appears - low) / span,
                value.animate.set_value(appears),
                rate_func=linear,
            )
            self.at_mark("appears")
            self.play_for(
                SWEEP_SECONDS * (high - appears) / span,
                value.animate.set_value(high),
                rate_func=linear,
            )
            meshes[0].clear_updaters()
            self.pause(1.5)
            self.current_caption = caption
            self.slice_meshes = meshes
            self.readout = readout

    def place_tag(self, tag: Mobject, capped: CappedSurface) -> None:
        """Put ``tag`` on its body (hidden while the body is not in the slice); the body
        in the middle gets it beside its left side on screen (over its top it would sit
        on the body, seen from above, and on the u_3 axis)."""
        inside = np.isfinite(capped.points).all(axis=-1)
        if not inside.any():
            tag.set_opacity(0.0)
            return
        points = capped.points[inside]
        center = points.mean(axis=0)
        if np.linalg.norm(center) < 0.5:  # the middle blob: left of it on screen
            camera = self.renderer.camera
            theta, phi = camera.get_theta(), camera.get_phi()
            left = np.array([np.sin(theta), -np.cos(theta), 0.0])
            toward = np.array(
                [np.sin(phi) * np.cos(theta), np.sin(phi) * np.sin(theta), np.cos(phi)]
            )
            offset = points - center
            # Past the body's left side, and brought toward the camera (which does not
            # move it on screen) so that it is drawn in front of the body.
            center = (
                center
                + (float(np.max(offset @ left)) + (0.4 + tag.width / 2) / self.unit) * left
                + float(np.max(offset @ toward)) * toward
            )
        tag.move_to(self.scene_points(center))
        tag.set_opacity(1.0)

    def takeaway(self) -> None:
        with self.beat(
            "n-dimensions",
            "For even more classes, think of n dimensions, then set n to twenty-three: "
            "every class still owns an identical cone around its own corner.",
        ):
            if self.is_portrait:  # short lines: the card stays inside the safe area
                text = (
                    r"$K$ classes: logits\\ modulo $(1,\dots,1)$\\ live in $K-1$ dims;\\ "
                    r"each class owns\\ an identical cone.\\ Think of $n$ dims,\\ "
                    r"then set $n = 23$."
                )
            else:
                text = (
                    r"$K$ classes: logits modulo $(1,\dots,1)$\\ live in $K-1$ dimensions,\\ "
                    r"every class owns an identical cone.\\ "
                    r"Think of $n$ dimensions, then set $n = 23$."
                )
            self.close_with(
                text,
                keep=[self.slice_meshes, self.title_mob],
                # The axes come along when the camera makes room: none under the title.
                clear_of=[self.slice_meshes, self.axes],
            )
