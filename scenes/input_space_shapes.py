"""Chapter: the shape of softmax's input space for 4 and 5 classes.

Softmax ignores the all-ones direction, so K logits leave a (K - 1)-dimensional
space (plane coordinates, :func:`softmax_math.to_plane`).

Beats
-----
1. ``tetrahedron``: 4 classes give a 3D space; the class vertices
   (:func:`softmax_math.class_vertices`) form a regular tetrahedron around the centre
   (a close-up on short axes).
2. ``regions``: zoom out to the full axes; the six flat walls where two classes tie
   split the space into four identical cone-shaped regions, one around each vertex
   direction.
3. ``iso-surfaces``: surfaces of equal probability ``p_k = q`` for each level of
   ``params.levels`` (:func:`softmax_math.iso_probability_surface`): rounded cones
   inside each region, farther out for higher ``q``.
4. ``five-classes``: 5 classes give a 4D space, shown as 3D slices ``x_4 = c``
   while ``c`` sweeps through ``params.slice_range``
   (:func:`softmax_math.iso_probability_slices`): moving towards class 1's corner, class
   1 appears in the middle as a closed blob and grows while the four others recede.

Every body ``{p_k >= q}`` is drawn cut by a ball of radius ``params.extent``
(:func:`cap_with_ball`): the regions are unbounded cones.
5. ``n-dimensions``: picture n dimensions, then set n = 23.
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
    FadeIn,
    FadeOut,
    MathTex,
    Mobject,
    Tex,
    ValueTracker,
    VGroup,
    linear,
)

from softmax_math import class_vertices, iso_probability_slices, iso_probability_surface
from softmax_math.isosurfaces import IsoSurface
from softmax_video.core.params import InputSpaceShapesParams
from softmax_video.engine.mesh import MeshSurface
from softmax_video.kit.lecture_scene import LectureThreeDScene
from softmax_video.kit.plane_geometry import LiveReadout, LogitAxes, merged, mesh_sphere
from softmax_video.kit.widgets import ClassLegend

__all__ = [
    "CappedSurface",
    "InputSpaceShapes",
    "cap_with_ball",
    "five_class_slices",
    "four_class_surfaces",
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
#: Opacities of the walls and of the iso-surfaces.
WALL_OPACITY = 0.3
SURFACE_OPACITY = 0.6
#: Opacity factor of the parts of a body that lie on the cutting sphere.
CAP_ALPHA = 0.2
#: The same in the 5-class slices, where caps of five bodies would fill the ball.
SLICE_CAP_ALPHA = 0.0
#: Half side of the close-up axes that show the tetrahedron first.
CLOSE_UP_EXTENT = 1.5
#: Iso-surfaces are sampled a little past the ball they are clipped to.
SAMPLE_MARGIN = 1.5


# --------------------------------------------------------------------------- #
# Geometry (numbers from softmax_math; clipping and walls are drawing geometry)
# --------------------------------------------------------------------------- #


#: Width (scene units, before the zoom) of the axes and their names in ``VIEW``.
NARROW_VIEW_WIDTH = 8.8


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

    def face_alpha(self, cap_alpha: float) -> np.ndarray:
        """Per-face opacity factors: ``cap_alpha`` for faces lying on the sphere, else 1."""
        s = self.on_sphere
        cap = s[:-1, :-1] & s[1:, :-1] & s[1:, 1:] & s[:-1, 1:]
        return np.where(cap, cap_alpha, 1.0)


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


# --------------------------------------------------------------------------- #
# Scene
# --------------------------------------------------------------------------- #


class InputSpaceShapes(LectureThreeDScene):
    """The 3D input space of 4 classes and 3D slices of the 4D space of 5 classes."""

    params: InputSpaceShapesParams

    def construct(self) -> None:
        p = self.params
        theme = self.theme
        self.radius = p.extent
        self.unit = CUBE_SIDE / (2 * p.extent)
        zoom = min(1.0, self.frame_width / 8.6, (self.frame_height - 1.6) / 7.5)
        if self.is_narrow:  # the axes' names reach 8.8 units across in this view
            zoom = min(zoom, self.usable_width / NARROW_VIEW_WIDTH)
        self.set_camera_orientation(**VIEW, zoom=zoom)
        self.axes = LogitAxes(
            theme,
            p.extent,
            self.unit,
            value_range=(-p.extent, p.extent, 1),
            value_length=CUBE_SIDE,
            names=("x_1", "x_2", "x_3"),
            label_size=theme.body_size,
        )
        self.title_mob = self.fixed(self.title("Four and five classes"))

        with self.beat(
            "tetrahedron",
            "With four classes, dropping the all-ones direction leaves a 3D space, and the "
            "four class corners form a regular tetrahedron around its centre.",
        ):
            self.show_tetrahedron()
        with self.beat(
            "regions",
            "Flat walls where two classes tie cut the space into four identical cones, each "
            "class owning the one around its corner.",
        ):
            self.show_regions()
        with self.beat(
            "iso-surfaces",
            "Surfaces of equal probability are rounded cones inside those regions; "
            "a higher level sits farther out, where the class is more certain.",
        ):
            self.show_iso_surfaces()
        with self.beat(
            "five-classes",
            "Five classes need a 4D space, so we watch 3D slices of it: as the fourth "
            "coordinate moves toward the first class's corner, that class appears in the "
            "middle as a closed blob and grows while the other four recede.",
        ):
            self.show_slices()
        with self.beat(
            "n-dimensions",
            "For even more classes, think of n dimensions, then set n to twenty-three: "
            "every class still owns an identical region around its own corner.",
        ):
            self.think_in_n()

    # -- helpers --------------------------------------------------------------- #

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
        if self.is_portrait:
            tex = tex.replace("; ", r"; \\ ", 1)
        mob = Tex(tex, font_size=self.theme.label_size)
        self.fit(mob, width=self.usable_width)
        self.to_bottom(mob)
        return self.fixed(mob)

    def face_colors(self, capped: CappedSurface, k: int, cap_alpha: float) -> np.ndarray:
        """Class colour per face; faces on the cutting sphere get ``cap_alpha``."""
        alpha = capped.face_alpha(cap_alpha)
        rgb = np.broadcast_to(self.class_color(k).to_rgb(), (*alpha.shape, 3))
        return np.concatenate([rgb, alpha[..., None]], axis=-1)

    def surface(self, capped: CappedSurface, k: int, cap_alpha: float = CAP_ALPHA) -> MeshSurface:
        """A mesh of the body ``p_k >= q`` cut by the ball."""
        return MeshSurface(
            self.scene_points(capped.points),
            fill_opacity=SURFACE_OPACITY,
            face_colors=self.face_colors(capped, k, cap_alpha),
        )

    def reset_surface(
        self, mesh: MeshSurface, capped: CappedSurface, k: int, cap_alpha: float
    ) -> None:
        mesh.set_points_grid(self.scene_points(capped.points))
        mesh.set_face_colors(self.face_colors(capped, k, cap_alpha))

    # -- beats ----------------------------------------------------------------- #

    def show_tetrahedron(self) -> None:
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
            names=("x_1", "x_2", "x_3"),
            label_size=theme.body_size,
        )
        corners = close.to_scene(*class_vertices(4).T)
        edges = VGroup(
            *(
                DashedLine(corners[i], corners[j], color=theme.color("text"), stroke_width=2)
                for i, j in combinations(range(4), 2)
            )
        )
        edges = merged(edges)
        balls = VGroup(*(mesh_sphere(c, 0.09, self.class_color(k)) for k, c in enumerate(corners)))
        labels = VGroup()
        for k, corner in enumerate(corners):
            label = MathTex(f"e_{k + 1}", font_size=theme.body_size, color=self.class_color(k))
            label.move_to(corner * 1.3 + 0.25 * OUT)
            labels.add(label)
        self.add_fixed_orientation_mobjects(*close.names, *labels)
        self.remove(*close.names, *labels)
        caption = self.caption(r"4 classes: logits modulo $(1,1,1,1)$ live in 3D")
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
        walls = VGroup()
        for (i, j), grid in tie_walls(self.radius).items():
            color = self.class_color(i).interpolate(self.class_color(j), 0.5)
            walls.add(
                MeshSurface(
                    self.scene_points(grid),
                    fill_color=color,
                    fill_opacity=WALL_OPACITY,
                    shade=False,
                )
            )
        vertices = class_vertices(4)
        rays = VGroup()
        for k, v in enumerate(vertices):
            end = self.scene_points(v / np.linalg.norm(v) * self.radius)
            rays.add(
                DashedLine(ORIGIN, end, color=self.class_color(k), stroke_width=3, dash_length=0.12)
            )
        caption = self.caption(r"each class owns an identical cone around its corner")
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
            FadeOut(self.current_caption),
            FadeIn(caption),
        )
        self.remove(self.close_axes)
        self.play_for(1.5, *(Create(r) for r in rays))
        self.play_for(2.0, *(Create(w) for w in walls))
        self.pause(2.5)
        self.walls = walls
        self.rays = rays
        self.current_caption = caption

    def show_iso_surfaces(self) -> None:
        p = self.params
        levels = list(p.levels)
        previous: VGroup | None = None
        self.play_for(0.8, self.walls.animate.set_opacity(WALL_OPACITY * 0.4), FadeOut(self.rays))
        for index, level in enumerate(levels):
            meshes = VGroup(
                *(
                    self.surface(points, k)
                    for k, points in enumerate(
                        four_class_surfaces(level, p.resolution, self.radius)
                    )
                )
            )
            caption = self.caption(rf"surfaces where $p_k = {level:g}$")
            anims = [FadeIn(caption), FadeOut(self.current_caption)]
            if previous is not None:
                anims.append(previous.animate.set_opacity(SURFACE_OPACITY * 0.25))
            self.play_for(2.0, *(Create(m) for m in meshes), *anims)
            self.current_caption = caption
            self.pause(3.0 if index == len(levels) - 1 else 2.0)
            if previous is not None:
                self.play_for(0.6, FadeOut(previous))
            previous = meshes
        self.iso_meshes = previous

    def show_slices(self) -> None:
        p = self.params
        low, high = p.slice_range
        value = ValueTracker(low)
        first = five_class_slices(p.slice_level, low, p.resolution, self.radius)
        meshes = VGroup(
            *(self.surface(capped, k, SLICE_CAP_ALPHA) for k, capped in enumerate(first))
        )

        def refresh(_mob: Mobject) -> None:
            slices = five_class_slices(p.slice_level, value.get_value(), p.resolution, self.radius)
            for k, (mesh, capped) in enumerate(zip(meshes, slices, strict=True)):
                self.reset_surface(mesh, capped, k, SLICE_CAP_ALPHA)

        caption = self.caption(
            r"5 classes: a 4D space, seen as 3D slices $x_4 = c$; "
            rf"surfaces $p_k = {p.slice_level:g}$"
        )
        readout = LiveReadout("x_4 =", value.get_value, 2, self.theme.body_size)
        self.pin_to(readout, UP + LEFT).shift(DOWN * (self.title_mob.height + 0.3))
        self.add_fixed_in_frame_mobjects(readout)
        self.remove(readout)
        legend = self.class_legend(5)
        self.play_for(
            1.5,
            FadeOut(self.iso_meshes),
            FadeOut(self.walls),
            FadeOut(self.tetrahedron),
            FadeOut(self.vertex_labels),
            FadeOut(self.current_caption),
            FadeIn(caption),
            FadeIn(readout),
            FadeIn(legend),
        )
        self.play_for(1.5, *(FadeIn(m) for m in meshes))
        # The updater sits on a mesh that is in the scene, so it runs every frame.
        meshes[0].add_updater(refresh)
        self.play_for(7.0, value.animate.set_value(high), rate_func=linear)
        meshes[0].clear_updaters()
        self.pause(1.0)
        self.current_caption = caption
        self.slice_meshes = meshes

    def think_in_n(self) -> None:
        size = self.theme.body_size
        note = VGroup(
            MathTex(r"K \text{ classes} \;\to\; K - 1 \text{ dimensions}", font_size=size),
            Tex(r"think of $n$ dimensions, then set $n = 23$", font_size=size),
        ).arrange(DOWN, buff=0.2)
        self.fit(note, width=self.usable_width * 0.9)
        self.to_bottom(note)
        note = self.fixed(note)
        self.play_for(1.5, FadeOut(self.current_caption), FadeIn(note))
        self.pause(4.0)

    def class_legend(self, count: int) -> Mobject:
        """Class names with colour swatches in a column at the left edge, fixed in the frame."""
        legend = ClassLegend(
            [self.class_name(k) for k in range(count)],
            [self.class_color(k) for k in range(count)],
            font_size=self.theme.small_size,
            direction=RIGHT if self.is_portrait else DOWN,
        )
        if self.is_portrait:  # a row over the caption, clear of the body and the axes
            self.fit(legend, width=self.usable_width)
            self.to_bottom(legend).shift(UP * 0.55)
        else:
            self.pin_to(legend, DOWN + LEFT).shift(UP * 0.8)
        return self.fixed(legend)
