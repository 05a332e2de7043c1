"""Chapter 8: three classes: the logit space, its sum-zero plane, three surfaces.

Beats
-----
1. ``logit-space``: the 3D space of ``(z_1, z_2, z_3)``; a logit vector slides
   along ``(1, 1, 1)`` while its probabilities stay fixed.
2. ``sum-zero-plane``: the plane ``z_1 + z_2 + z_3 = 0``; the one-hot corners
   ``e_1, e_2, e_3`` and their triangle slide along ``(1, 1, 1)`` onto it, and so
   does the example vector.
3. ``flatten``: the plane is turned flat (the rotation whose rows are the
   sum-zero basis and the all-ones direction) and the camera looks down on it:
   the floor, with plane coordinates ``u_1, u_2`` (:func:`softmax_math.to_plane`).
4. ``regions``: seen from above, the floor coloured by the winning class; the
   dashed tie rays, the 120 degree wedge, the centre where every ``p`` is 1/3.
5. ``surfaces``: the camera tilts; the three probability surfaces rise one at a
   time, opaque and lit by their normals, crossing above the tie rays.
6. ``centre``: the camera turns a third of a turn (the same picture, classes passed
   round); the point where all three surfaces meet at 1/3 is marked.
7. ``takeaway``: the closing card over the tilted view.

Every height comes from :func:`softmax_math.softmax_surfaces` (one call for the
whole grid); every position in logit space from :func:`softmax_math.from_plane`.
"""

from __future__ import annotations

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
    Polygon,
    ReplacementTransform,
    Rotate,
    Tex,
    ValueTracker,
    VGroup,
    VMobject,
)

from softmax_math import from_plane, softmax, softmax_surfaces, to_plane
from softmax_video.engine.mesh import Lighting, MeshSurface
from softmax_video.kit.lecture_scene import LectureThreeDScene
from softmax_video.kit.plane_geometry import (
    ClassTriangle,
    InvariantArrow,
    LogitAxes,
    PlaneMap,
    RegionLabels,
    SumZeroPlanePatch,
    TieBoundaries,
    boundary_reach,
    merged,
    mesh_sphere,
    on_floor,
    plane_rotation,
    polar_grid,
    rotation_axis_angle,
)
from softmax_video.kit.widgets import Readout, backed

__all__ = ["ThreeClassSurfaces", "class_wedge", "rim_curtain", "surface_grid"]

# -- layout (scene units, before the camera zoom) --------------------------- #
#: Scene length of one logit unit in the 3D logit space of beats 1 and 2.
LOGIT_UNIT = 1.25
#: The logit axes run over [-LOGIT_EXTENT, LOGIT_EXTENT].
LOGIT_EXTENT = 2.5
#: Scene width of the floor (the hexagon's corner-to-corner span) once the plane is flat.
FLOOR_SIDE = 6.4
#: Scene height of p = 1.
P_HEIGHT = 2.4
#: Class names float at this height (p), just over their own plateau, and this far out
#: (share of the extent): when the turn brings a plateau to the front, its name stays
#: below the centre's p = 1/3 mark instead of covering it.
LABEL_HEIGHT = 1.06
LABEL_RADIUS = 0.86
#: Opacity of the plate behind each class name: the name, in its class colour, reads
#: over its own surface or wedge (the same hue) and over the others.
#: The floor axes run over [-AXES_EXTENT, AXES_EXTENT] plane units (ticks at integers).
AXES_EXTENT = 3.5
#: Plane coordinates of the sum-zero plane (one name in every chapter showing it).
PLANE_NAMES = ("u_1", "u_2")

LOGIT_VIEW = {"phi": 68 * DEGREES, "theta": -25 * DEGREES}
#: Straight down on the floor: the view for the regions.
TOP_VIEW = {"phi": 0 * DEGREES, "theta": -90 * DEGREES}
#: Tilted, between class 2's and class 3's plateaus with class 1's at the back; the
#: orbit turns a third of a turn, to the same picture with the classes passed round.
SURFACE_VIEW = {"phi": 50 * DEGREES, "theta": -75 * DEGREES}
END_VIEW = {"phi": 50 * DEGREES, "theta": 45 * DEGREES}
#: The surfaces cover a regular hexagon: the three classes' regions are identical.
SHAPE = "hexagon"
#: The side walls stand this share of the radius outside the surfaces' rim.
RIM_OUT = 1.006
#: The walls' near faces are painted over surface faces up to this much nearer (scene
#: units): their tall faces' centres lie below the surface faces just behind them.
WALL_BIAS = 1.0
#: The p ruler stands left of the hexagon (plane coordinates, times the extent).
RULER_AT = (1.22, 0.3)
#: Normal lighting of the surfaces: lit from the upper left, so each plateau's
#: slope shows as a shade.
LIGHT = Lighting(direction=(-0.5, 0.35, 1.0), ambient=0.55, diffuse=0.55)


def surface_grid(extent: float, resolution: int) -> tuple[np.ndarray, ...]:
    """Plane coordinates over the hexagon of radius ``extent`` and the three surfaces there.

    Returns
    -------
    x, y, p
        Grids ``(nr, na)`` from :func:`softmax_video.kit.plane_geometry.polar_grid` and
        ``p`` of shape ``(3, nr, na)`` from :func:`softmax_math.softmax_surfaces`.
    """
    x, y = polar_grid(extent, resolution, 2 * resolution, SHAPE)
    return x, y, softmax_surfaces(3, x, y)


def class_wedge(k: int, extent: float) -> np.ndarray:
    """Corners (plane coordinates) of class ``k``'s region of the hexagon of radius ``extent``.

    Class ``k`` leads between the two tie rays on either side of its vertex
    direction (at 90, 210 and 330 degrees for classes 0, 1, 2): the centre, the
    two rays' ends and the hexagon corner between them (a 120 degree wedge).
    """
    middle = np.radians(90.0 + 120.0 * k)
    angles = middle + np.radians([-60.0, 0.0, 60.0])
    reach = boundary_reach(angles, extent, SHAPE)
    rim = np.stack([np.cos(angles), np.sin(angles)], axis=-1) * np.asarray(reach)[:, None]
    return np.vstack([[0.0, 0.0], rim])


def rim_curtain(k: int, extent: float, resolution: int, rows: int = 6) -> tuple[np.ndarray, ...]:
    """The side wall under surface ``k`` along the rim of class ``k``'s wedge.

    Seen tilted, an open-sided surface shows what lies beneath its edge; with
    a wall from the floor up to ``p_k`` along its own wedge's rim (where ``p_k``
    is the largest, so the three walls close the block without overlapping),
    the surfaces read as one solid shape.

    Returns
    -------
    x, y, h
        Grids ``(rows + 1, n)``: plane coordinates on the rim and heights from 0
        (first row) up to ``p_k`` there (last row).
    """
    middle = np.radians(90.0 + 120.0 * k)
    n = 2 * resolution // 3 + 1  # as dense around the rim as the surface grid
    # Clockwise, so that the faces' normals point out of the block (back faces culled).
    angles = middle + np.radians(np.linspace(60.0, -60.0, n))
    reach = boundary_reach(angles, extent, SHAPE)
    rim_x, rim_y = np.cos(angles) * reach, np.sin(angles) * reach
    top = softmax_surfaces(3, rim_x, rim_y)[k]
    # Just outside the rim: the wall sorts in front of the surfaces' lowest faces there.
    rim_x, rim_y = rim_x * RIM_OUT, rim_y * RIM_OUT
    share = np.linspace(0.0, 1.0, rows + 1)[:, None]
    x = np.broadcast_to(rim_x, (rows + 1, n))
    y = np.broadcast_to(rim_y, (rows + 1, n))
    return x, y, share * top


class ThreeClassSurfaces(LectureThreeDScene):
    """The sum-zero plane of three logits and the three probability surfaces over it."""

    def construct(self) -> None:
        self.setup_stage()
        self.logit_space()
        self.sum_zero_plane()
        self.flatten()
        self.regions()
        self.surfaces()
        self.centre()
        self.takeaway()

    # -- stage ----------------------------------------------------------------- #

    def setup_stage(self) -> None:
        """Build the pieces the beats share; draws nothing."""
        params = self.params
        theme = self.theme
        self.extent = params.extent
        self.title_mob = self.fixed_in_frame(self.title())
        band_top = self.top_under_title(0.15)
        band_bottom = self.layout_bottom
        # The logit axes and their names, seen at LOGIT_VIEW, span about 11 x 6.8 units.
        self.logit_zoom = min(1.0, self.frame_width / 11.0, (band_top - band_bottom) / 6.8)
        self.set_camera_orientation(**LOGIT_VIEW, zoom=self.logit_zoom, frame_center=0.7 * OUT)
        self.band = (band_top, band_bottom)
        # Seen from above, the hexagon and the names around it fill the band.
        unit = FLOOR_SIDE / (2 * self.extent)
        self.unit = unit
        # The floor axes end just past the hexagon's flat sides (AXES_EXTENT), their
        # names a little beyond: that square, seen from above, is what must fit.
        span_x = span_y = 2 * (AXES_EXTENT * unit + 1.0)
        room_x = self.usable_width * (1.0 if self.is_narrow else 0.62)
        room_y = band_top - band_bottom
        if self.is_portrait:
            room_y -= 1.6  # notes under the picture
        self.top_zoom = min(room_x / span_x, room_y / span_y)
        # (a little low: the u_2 axis name reaches above the hexagon, nothing below it)
        middle = (band_top + band_bottom + (1.6 if self.is_portrait else 0.0)) / 2 - 0.2
        # The floor's centre sits where the band's middle is when seen from above.
        self.floor_center = np.array([0.0, middle / self.top_zoom, 0.0])
        self.plane_axes = LogitAxes(
            theme,
            min(AXES_EXTENT, self.extent),
            unit,
            value_range=(0, 1, 1 / 3),
            value_length=P_HEIGHT,
            names=(*PLANE_NAMES, "p"),
            label_size=theme.body_size,
            center=self.floor_center,
        )
        self.floor = self.plane_axes.map

    def _note(self, mob: Mobject, side: np.ndarray) -> Mobject:
        """A note fixed in the frame beside the picture (landscape) or under it (narrow)."""
        flat = merged(mob)
        if self.is_narrow:  # centred under the picture
            self.fit(flat, width=self.usable_width)
            self.pin_to(flat, DOWN).set_x(0.0)
        else:
            self.fit(flat, width=self.usable_width * 0.3)
            self.pin_to(flat, DOWN + side)
        self.add_fixed_in_frame_mobjects(flat)
        self.remove(flat)
        return flat

    # -- beat 1 ---------------------------------------------------------------- #

    def logit_space(self) -> None:
        params = self.params
        theme = self.theme
        self.logit_axes = LogitAxes(
            theme,
            LOGIT_EXTENT,
            LOGIT_UNIT,
            value_range=(-LOGIT_EXTENT, LOGIT_EXTENT, 1),
            value_length=2 * LOGIT_EXTENT * LOGIT_UNIT,
            names=("z_1", "z_2", "z_3"),
            label_size=theme.body_size,
        )
        example = np.array(params.example_logits, dtype=float)
        self.example = example
        low, high = params.slide_range
        self.shift = shift = ValueTracker(0.0)

        def logits() -> np.ndarray:
            return example + shift.get_value()

        self.point = mesh_sphere(example * LOGIT_UNIT, 0.09, theme.color("accent"))
        self.point.add_updater(lambda m: m.move_to(logits() * LOGIT_UNIT))
        ones = np.ones(3)
        self.line = merged(
            DashedLine(
                (example + (low - 0.6) * ones) * LOGIT_UNIT,
                (example + (high + 0.6) * ones) * LOGIT_UNIT,
                color=theme.color("accent"),
                stroke_width=2,
                dash_length=0.1,
            )
        )
        self.arrow = InvariantArrow(
            theme, ORIGIN, 1.2 * ones * LOGIT_UNIT, label="(1, 1, 1)", label_size=theme.label_size
        )
        # Both columns are recomputed every frame: the logits move, softmax does not.
        logit_column = VGroup(
            *(
                Readout(
                    f"z_{k + 1} =", lambda k=k: logits()[k], decimals=2, font_size=theme.label_size
                )
                for k in range(3)
            )
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        probability_column = VGroup(
            *(
                Readout(
                    f"p_{k + 1} =",
                    lambda k=k: softmax(logits())[k],
                    decimals=3,
                    font_size=theme.label_size,
                    color=self.class_color(k),
                )
                for k in range(3)
            )
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        self.readout = VGroup(logit_column, probability_column).arrange(
            RIGHT, buff=0.5, aligned_edge=UP
        )
        self.corner_note(self.readout, LEFT)
        if self.is_narrow:  # under the title, clear of the axes below
            self.readout.next_to(self.title_mob, DOWN, buff=0.25)
            self.readout.set_x(-self.frame_width / 2 + self.margin_x + self.readout.width / 2)

        with self.beat(
            "logit-space",
            "With three classes the logits form a point in 3D space, and sliding that point "
            "along the (1, 1, 1) direction leaves all three probabilities unchanged.",
        ):
            axes = self.logit_axes
            self.add_fixed_orientation_mobjects(*axes.labels)
            self.play_for(1.5, Create(axes), FadeIn(axes.labels), FadeIn(self.title_mob))
            self.play_for(1.0, FadeIn(self.point), FadeIn(self.readout))
            self.add_fixed_orientation_mobjects(self.arrow.label)
            self.play_for(
                1.2, Create(self.line), Create(self.arrow.arrow), FadeIn(self.arrow.label)
            )
            self.play_for(2.0, shift.animate.set_value(high))
            self.play_for(2.5, shift.animate.set_value(low))
            self.play_for(1.2, shift.animate.set_value(0.0))

    # -- beat 2 ---------------------------------------------------------------- #

    def sum_zero_plane(self) -> None:
        theme = self.theme
        ones = np.ones(3)
        plane_in_space = PlaneMap(
            ORIGIN,
            from_plane([1.0, 0.0]) * LOGIT_UNIT,
            from_plane([0.0, 1.0]) * LOGIT_UNIT,
            ones / np.sqrt(3.0) * LOGIT_UNIT,
        )
        self.patch = SumZeroPlanePatch(theme, LOGIT_UNIT, radius=2.2, opacity=0.12)
        on_floor(self.patch, down=-ones)
        one_hot_height = 1.0 / np.sqrt(3.0)  # e_i sits 1/sqrt(3) above the plane
        self.triangle = ClassTriangle(
            theme,
            PlaneMap(
                plane_in_space.point(0, 0, one_hot_height),
                plane_in_space.matrix[0],
                plane_in_space.matrix[1],
                plane_in_space.matrix[2],
            ),
        )
        corner_labels = VGroup(
            *(
                MathTex(f"e_{k + 1}", font_size=theme.body_size, color=self.class_color(k))
                for k in range(3)
            )
        )
        for k, label in enumerate(corner_labels):
            corner = np.eye(3)[k] * LOGIT_UNIT
            label.move_to(corner + 0.35 * OUT + 0.2 * corner)
        drop = -ones / 3.0 * LOGIT_UNIT  # from the plane sum = 1 down to sum = 0
        self.plane_label = self.corner_note(
            MathTex(r"z_1 + z_2 + z_3 = 0", font_size=theme.body_size, color=theme.color("accent")),
            RIGHT,
        )

        with self.beat(
            "sum-zero-plane",
            "So every logit vector can slide along that direction onto the plane where the "
            "logits sum to zero; the one-hot corners e1, e2, e3 land on a triangle there.",
        ):
            self.play_for(1.0, FadeOut(self.readout), FadeOut(self.line))
            self.play_for(1.5, FadeIn(self.patch), FadeIn(self.plane_label))
            self.add_fixed_orientation_mobjects(*corner_labels)
            self.play_for(1.5, Create(self.triangle), FadeIn(corner_labels))
            self.play_for(
                2.0,
                self.triangle.animate.shift(drop),
                # Slide the example along (1, 1, 1) by minus its mean: onto the plane.
                self.shift.animate.set_value(-self.example.mean()),
                FadeOut(corner_labels),
            )
            self.pause(1.0)

    # -- beat 3 ---------------------------------------------------------------- #

    def flatten(self) -> None:
        theme = self.theme
        self.point.clear_updaters()
        axis, angle = rotation_axis_angle(plane_rotation())
        axes = self.plane_axes
        floor = self.floor
        self.flat_triangle = on_floor(ClassTriangle(theme, floor, scale=1.0))
        self.flat_point = mesh_sphere(
            floor.floor(*to_plane(self.example)), 0.09, theme.color("accent")
        )
        spinning = VGroup(self.logit_axes, self.patch, self.triangle, self.point, self.arrow.arrow)
        plane_names = VGroup(*axes.names[:2])
        coordinates = self._note(
            Tex(
                rf"plane coordinates ${PLANE_NAMES[0]}, {PLANE_NAMES[1]}$",
                font_size=theme.body_size,
                color=theme.color("muted"),
            ),
            RIGHT,
        )
        self.coordinates = coordinates

        with self.beat(
            "flatten",
            "Turn that plane flat and look straight down at it: each point of this floor is "
            "one distinct way of sharing probability among the three classes.",
        ):
            self.play_for(
                0.8,
                FadeOut(self.logit_axes.labels),
                FadeOut(self.arrow.label),
                FadeOut(self.plane_label),
            )
            # While the plane turns, its axes sweep lower than the logit view: the camera
            # backs off a little and looks lower, so they stay above the caption band.
            self.move_camera(
                **LOGIT_VIEW,
                zoom=0.92 * self.logit_zoom,
                frame_center=0.25 * OUT,
                run_time=self.seconds(3.0),
                added_anims=[Rotate(spinning, angle=angle, axis=axis, about_point=ORIGIN)],
            )
            self.move_camera(
                **TOP_VIEW, zoom=self.top_zoom, frame_center=ORIGIN, run_time=self.seconds(2.0)
            )
            self.add_fixed_orientation_mobjects(*plane_names)
            self.play_for(
                1.5,
                FadeOut(self.logit_axes),
                FadeOut(self.patch),
                FadeOut(self.arrow.arrow),
                FadeIn(axes.floor_axes),
                FadeIn(plane_names),
                FadeIn(coordinates),
                ReplacementTransform(self.triangle, self.flat_triangle),
                ReplacementTransform(self.point, self.flat_point),
            )

    # -- beat 4 ---------------------------------------------------------------- #

    def regions(self) -> None:
        theme = self.theme
        floor = self.floor
        extent = self.extent
        accent = theme.color("accent")
        self.wedges = VGroup()
        for k in range(3):
            corners = class_wedge(k, extent)
            wedge = Polygon(*floor.floor(corners[:, 0], corners[:, 1]), stroke_width=0)
            wedge.set_fill(self.class_color(k), opacity=0.32)
            self.wedges.add(wedge)
        on_floor(self.wedges)
        self.rays = on_floor(TieBoundaries(theme, floor, extent, stroke_width=5, shape=SHAPE))
        self.rays.set_stroke(accent)
        names = [rf"\textbf{{{self.class_tex(k)}}}" for k in range(3)]
        self.floor_names = backed(
            RegionLabels(theme, floor, names, radius=0.68 * extent, label_size=theme.body_size),
            theme.color("background"),
        )
        # The 120 degree wedge of class 1: an arc between its two tie rays.
        radius = 0.3 * extent
        angles = np.radians(np.linspace(30.0, 150.0, 25))
        arc = VMobject(stroke_color=accent, stroke_width=5)
        arc.set_points_smoothly(
            [floor.floor(radius * np.cos(a), radius * np.sin(a)) for a in angles]
        )
        arc_label = MathTex(r"120^\circ", font_size=theme.body_size, color=accent)
        arc_label.move_to(floor.floor(0.0, radius + 0.45 / self.unit))
        self.arc = VGroup(on_floor(arc), arc_label)
        self.centre_dot = mesh_sphere(floor.floor(0.0, 0.0) + 0.02 * OUT, 0.1, accent)
        centre_label = MathTex(
            r"p_1 = p_2 = p_3 = \tfrac{1}{3}", font_size=theme.body_size, color=accent
        )
        self.centre_note = self._note(centre_label, LEFT)
        if self.is_narrow:  # above the plane coordinates' note
            self.centre_note.next_to(self.coordinates, UP, buff=0.2)

        with self.beat(
            "regions",
            "From above, each class wins one wedge of the floor. <mark:ties>The dashed rays "
            "are where two classes tie, <mark:angle>each wedge spans 120 degrees, and "
            "<mark:centre>at the centre all three probabilities equal one third.",
        ):
            self.add_fixed_orientation_mobjects(*self.floor_names)
            self.play_for(
                1.5,
                FadeOut(self.flat_point),
                FadeOut(self.flat_triangle),
                FadeIn(self.wedges),
                FadeIn(self.floor_names),
            )
            self.at_mark("ties")
            self.play_for(1.2, Create(self.rays))
            self.at_mark("angle")
            self.add_fixed_orientation_mobjects(arc_label)
            self.play_for(1.0, Create(self.arc[0]), FadeIn(arc_label))
            self.at_mark("centre")
            self.play_for(1.0, FadeIn(self.centre_dot), FadeIn(self.centre_note))
            self.pause(0.8)

    # -- beat 5 ---------------------------------------------------------------- #

    def surfaces(self) -> None:
        params = self.params
        theme = self.theme
        axes = self.plane_axes
        floor = self.floor
        x, y, p = surface_grid(self.extent, params.resolution)
        self.meshes = []
        flats = []
        for k in range(3):
            mesh = MeshSurface(
                axes.to_scene(x, y, p[k]),
                fill_color=self.class_color(k),
                fill_opacity=1.0,
                lighting=LIGHT,
            )
            flat = MeshSurface(
                axes.to_scene(x, y, np.full_like(p[k], 0.004)),
                fill_color=self.class_color(k),
                fill_opacity=1.0,
                lighting=LIGHT,
            )
            cx, cy, ch = rim_curtain(k, self.extent, params.resolution)
            wall_style = {
                "fill_color": self.class_color(k),
                "fill_opacity": 1.0,
                "lighting": LIGHT,
                "cull_back_faces": True,
                "depth_bias": WALL_BIAS,
            }
            wall = MeshSurface(axes.to_scene(cx, cy, ch), **wall_style)
            flat_wall = MeshSurface(
                axes.to_scene(cx, cy, 0.004 * np.ones_like(ch) * (ch > 0)), **wall_style
            )
            self.meshes.append(VGroup(mesh, wall))
            flats.append(VGroup(flat, flat_wall))
        names = [rf"\textbf{{{self.class_tex(k)}}}" for k in range(3)]
        self.plateau_names = backed(
            RegionLabels(
                theme,
                floor,
                names,
                radius=LABEL_RADIUS * self.extent,
                label_size=theme.body_size,
                height=LABEL_HEIGHT,
            ),
            theme.color("background"),
        )
        ruler = self._ruler()
        sum_note = self._note(MathTex(r"p_1 + p_2 + p_3 = 1", font_size=theme.body_size), RIGHT)
        # Tilted, the block and the p ruler beside it are wider than the hexagon from above.
        surface_zoom = self.top_zoom * (0.86 if self.is_narrow else 1.02)
        self.surface_zoom = surface_zoom
        lift = 0.25 * P_HEIGHT
        self.surface_center = self.floor_center + lift * OUT

        with self.beat(
            "surfaces",
            "Tilt the view and raise the three probability surfaces one at a time: each is "
            "a plateau near one over its own wedge, and two surfaces cross right above each "
            "tie ray.",
        ):
            self.move_camera(
                **SURFACE_VIEW,
                zoom=surface_zoom,
                frame_center=self.surface_center,
                run_time=self.seconds(2.0),
                added_anims=[
                    FadeOut(self.floor_names),
                    FadeOut(self.arc),
                    FadeOut(self.centre_note),
                    FadeOut(self.coordinates),
                ],
            )
            # Portrait: no room beside the block for the p scale; the plateau names, the
            # sum note and the centre's 1/3 carry the heights.
            shown_ruler = [] if self.is_portrait else [FadeIn(ruler), FadeIn(ruler.labels)]
            if shown_ruler:
                self.add_fixed_orientation_mobjects(*ruler.labels)
            self.play_for(
                0.8,
                FadeOut(axes.floor_axes),
                FadeOut(VGroup(*axes.names[:2])),
                *shown_ruler,
            )
            self.ruler = ruler
            for k in range(3):
                # (Adding a fixed-orientation label shows it: one at a time, with its surface.)
                self.add_fixed_orientation_mobjects(self.plateau_names[k])
                self.add(flats[k])
                self.play_for(
                    1.8,
                    ReplacementTransform(flats[k], self.meshes[k]),
                    FadeIn(self.plateau_names[k]),
                )
            self.play_for(0.8, FadeIn(sum_note))
            self.sum_note = sum_note

    def _ruler(self) -> VGroup:
        """A vertical p scale beside the hexagon (the centre is inside the surfaces), ticks
        at 0, 1/3, 2/3 and 1 with labels readable at 480p (``.labels``, face the camera)."""
        theme = self.theme
        floor = self.floor
        color = theme.color("muted")
        x, y = np.array(RULER_AT) * self.extent
        line = VMobject(stroke_color=color, stroke_width=3)
        line.set_points_as_corners([floor.point(x, y, 0.0), floor.point(x, y, 1.0)])
        marks = VGroup()
        labels = VGroup()
        across = 0.09 / self.unit
        for value, tex in ((0, "0"), (1 / 3, r"\tfrac{1}{3}"), (2 / 3, r"\tfrac{2}{3}"), (1, "1")):
            mark = VMobject(stroke_color=color, stroke_width=3)
            mark.set_points_as_corners(
                [floor.point(x - across, y, value), floor.point(x + across, y, value)]
            )
            marks.add(mark)
            label = MathTex(tex, font_size=theme.body_size, color=theme.color("text"))
            label.move_to(floor.point(x + 3.4 * across, y, value))
            labels.add(label)
        name = MathTex("p", font_size=theme.body_size, color=theme.color("text"))
        name.move_to(floor.point(x, y, 1.0) + 0.4 * OUT)
        labels.add(name)
        ruler = VGroup(line, marks)
        for member in ruler.get_family():
            member.shade_in_3d = True
        ruler.labels = labels
        return ruler

    # -- beat 6 ---------------------------------------------------------------- #

    def centre(self) -> None:
        theme = self.theme
        accent = theme.color("accent")
        floor = self.floor
        meet = mesh_sphere(floor.point(0.0, 0.0, 1 / 3) + 0.05 * OUT, 0.11, accent)
        level = MathTex(r"p = \tfrac{1}{3}", font_size=theme.body_size, color=accent)
        # Above the meeting point, clear of its dot: a label facing the camera keeps its
        # size while the picture is zoomed, so the lift is set on screen.
        lift = (level.height / 2 + 0.3) / (self.surface_zoom * np.sin(SURFACE_VIEW["phi"]))
        level.move_to(floor.point(0.0, 0.0, 1 / 3) + lift * OUT)
        level = backed(VGroup(level), theme.color("background"))[0]
        self.meet = VGroup(meet, level)

        with self.beat(
            "centre",
            "Turn around the picture and every class looks the same, and at the centre all "
            "three surfaces meet at one third: there no class is favoured.",
        ):
            self.add_fixed_orientation_mobjects(level)
            self.play_for(
                1.0,
                FadeOut(self.centre_dot),
                FadeIn(meet),
                FadeIn(level),
                FadeOut(self.sum_note),
                FadeIn(self.centre_note),
                *([] if self.is_portrait else [FadeOut(self.ruler), FadeOut(self.ruler.labels)]),
            )
            # Portrait: the turn also raises the block into the room under the title, so
            # the closing card below it leaves the meeting point in view.
            center = self.surface_center
            if self.is_portrait:
                rise = 0.12 * self.frame_height
                center = center - rise / (self.surface_zoom * np.sin(END_VIEW["phi"])) * OUT
            self.move_camera(**END_VIEW, frame_center=center, run_time=self.seconds(7.0))

    # -- beat 7 ---------------------------------------------------------------- #

    def takeaway(self) -> None:
        with self.beat(
            "takeaway",
            "Three logits reduce to one plane, split into three equal wedges that meet "
            "where every probability is one third.",
        ):
            lines = (
                [r"Softmax of 3 logits", r"lives on one plane:", r"three equal $120^\circ$",
                 r"wedges, all meeting", r"at $p = (\tfrac13, \tfrac13, \tfrac13)$."]
                if self.is_portrait
                else [r"Softmax of 3 logits lives on one",
                      r"plane: three equal $120^\circ$ wedges,",
                      r"all meeting at $p = (\tfrac13, \tfrac13, \tfrac13)$."]
                if self.is_narrow
                else [r"Softmax of 3 logits lives on one plane:",
                      r"three equal $120^\circ$ wedges, all meeting",
                      r"at $p = (\tfrac13, \tfrac13, \tfrac13)$."]
            )  # fmt: skip
            self.close_with(
                r"\\ ".join(lines),
                keep=[*self.meshes, *self.plateau_names, *self.meet],
                clear_of=[*self.meshes, *self.plateau_names, *self.meet],
            )
