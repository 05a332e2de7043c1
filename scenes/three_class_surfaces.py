"""Chapter 8: three classes: the logit space, its sum-zero plane, three surfaces.

Beats
-----
1. ``logit-space``: the 3D space of ``(z_1, z_2, z_3)``; a logit vector slides
   along ``(1, 1, 1)`` while its probabilities stay fixed.
2. ``sum-zero-plane``: the plane ``z_1 + z_2 + z_3 = 0``; the one-hot corners
   ``e_1, e_2, e_3`` and their triangle slide along ``(1, 1, 1)`` onto it, and so
   does the example vector.
3. ``flatten``: the plane is turned flat (the rotation whose rows are the
   sum-zero basis and the all-ones direction) and becomes the floor, with plane
   coordinates ``x, y`` (:func:`softmax_math.to_plane`).
4. ``surfaces``: the three probability surfaces over the plane; the three tie
   boundaries and the class regions on the floor.
5. ``orbit``: the camera circles; all three surfaces meet at ``1/3`` over the centre.

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
    ReplacementTransform,
    Rotate,
    Tex,
    ValueTracker,
    VGroup,
)

from softmax_math import from_plane, softmax, softmax_surfaces, to_plane
from softmax_video.engine.mesh import MeshSurface
from softmax_video.kit.lecture_scene import LectureThreeDScene
from softmax_video.kit.plane_geometry import (
    ClassTriangle,
    InvariantArrow,
    LiveReadout,
    LogitAxes,
    PlaneMap,
    RegionLabels,
    SumZeroPlanePatch,
    TieBoundaries,
    merged,
    mesh_sphere,
    on_floor,
    plane_rotation,
    polar_grid,
    rotation_axis_angle,
)

__all__ = ["ThreeClassSurfaces", "surface_grid"]

# -- layout (scene units, before the camera zoom) --------------------------- #
#: Scene length of one logit unit in the 3D logit space of beats 1 and 2.
LOGIT_UNIT = 1.25
#: The logit axes run over [-LOGIT_EXTENT, LOGIT_EXTENT].
LOGIT_EXTENT = 2.5
#: Scene width of the floor (the hexagon's corner-to-corner span) once the plane is flat.
FLOOR_SIDE = 6.4
#: Scene height of p = 1.
P_HEIGHT = 2.4
#: Class names float just above their own plateau (p = 1).
LABEL_HEIGHT = 1.12

LOGIT_VIEW = {"phi": 68 * DEGREES, "theta": -25 * DEGREES}
#: Over the tie line of classes 2 and 3 (straight down the plane): two classes'
#: plateaus to the sides, the third one's at the back. The orbit turns a third of a
#: turn, to the same picture with the classes' roles passed round.
FLAT_VIEW = {"phi": 55 * DEGREES, "theta": -90 * DEGREES}
END_VIEW = {"phi": 55 * DEGREES, "theta": 30 * DEGREES}
#: The surfaces cover a regular hexagon: the three classes' regions are identical.
SHAPE = "hexagon"


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


class ThreeClassSurfaces(LectureThreeDScene):
    """The sum-zero plane of three logits and the three probability surfaces over it."""

    def construct(self) -> None:
        params = self.params
        theme = self.theme
        extent = params.extent
        zoom = min(1.0, self.frame_width / 11.0)
        self.set_camera_orientation(**LOGIT_VIEW, zoom=zoom, frame_center=0.5 * OUT)

        # -- beat 1: 3D logit space and the direction that changes nothing ---- #
        logit_axes = LogitAxes(
            theme,
            LOGIT_EXTENT,
            LOGIT_UNIT,
            value_range=(-LOGIT_EXTENT, LOGIT_EXTENT, 1),
            value_length=2 * LOGIT_EXTENT * LOGIT_UNIT,
            names=("z_1", "z_2", "z_3"),
            label_size=theme.body_size,
        )
        example = np.array(params.example_logits, dtype=float)
        low, high = params.slide_range
        shift = ValueTracker(0.0)

        def logits() -> np.ndarray:
            return example + shift.get_value()

        def logit_point(z: np.ndarray) -> np.ndarray:
            return np.asarray(z, dtype=float) * LOGIT_UNIT

        point = mesh_sphere(logit_point(example), 0.09, theme.color("accent"))
        point.add_updater(lambda m: m.move_to(logit_point(logits())))
        ones = np.ones(3)
        line = merged(
            DashedLine(
                logit_point(example + (low - 0.6) * ones),
                logit_point(example + (high + 0.6) * ones),
                color=theme.color("accent"),
                stroke_width=2,
                dash_length=0.1,
            )
        )
        arrow = InvariantArrow(
            theme, ORIGIN, logit_point(1.2 * ones), label="(1, 1, 1)", label_size=theme.label_size
        )
        # Both columns are recomputed every frame: the logits move, softmax does not.
        logit_column = VGroup(
            *(
                LiveReadout(f"z_{k + 1} =", lambda k=k: logits()[k], 2, theme.label_size)
                for k in range(3)
            )
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        probability_column = VGroup(
            *(
                LiveReadout(
                    f"p_{k + 1} =",
                    lambda k=k: softmax(logits())[k],
                    3,
                    theme.label_size,
                    self.class_color(k),
                )
                for k in range(3)
            )
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        readout = VGroup(logit_column, probability_column).arrange(RIGHT, buff=0.5, aligned_edge=UP)
        self.corner_note(readout, LEFT)
        title = self.fixed_in_frame(self.title(r"Three classes: logits live in 3D"))

        with self.beat(
            "logit-space",
            "With three classes the logits form a point in 3D space, and sliding that point "
            "along the (1, 1, 1) direction leaves all three probabilities unchanged.",
        ):
            self.add_fixed_orientation_mobjects(*logit_axes.labels)
            self.play_for(1.5, Create(logit_axes), FadeIn(logit_axes.labels), FadeIn(title))
            self.play_for(1.0, FadeIn(point), FadeIn(readout))
            self.add_fixed_orientation_mobjects(arrow.label)
            self.play_for(1.2, Create(line), Create(arrow.arrow), FadeIn(arrow.label))
            self.play_for(2.0, shift.animate.set_value(high))
            self.play_for(2.5, shift.animate.set_value(low))
            self.play_for(1.2, shift.animate.set_value(0.0))

        # -- beat 2: the sum-zero plane and the class triangle ---------------- #
        plane_in_space = PlaneMap(
            ORIGIN,
            from_plane([1.0, 0.0]) * LOGIT_UNIT,
            from_plane([0.0, 1.0]) * LOGIT_UNIT,
            ones / np.sqrt(3.0) * LOGIT_UNIT,
        )
        patch = SumZeroPlanePatch(theme, LOGIT_UNIT, radius=2.2, opacity=0.12)
        on_floor(patch, down=-ones)
        one_hot_height = 1.0 / np.sqrt(3.0)  # e_i sits 1/sqrt(3) above the plane
        triangle = ClassTriangle(
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
                MathTex(f"e_{k + 1}", font_size=theme.label_size, color=self.class_color(k))
                for k in range(3)
            )
        )
        for k, label in enumerate(corner_labels):
            label.move_to(logit_point(np.eye(3)[k]) + 0.35 * OUT + 0.2 * logit_point(np.eye(3)[k]))
        drop = -ones / 3.0 * LOGIT_UNIT  # from the plane sum = 1 down to sum = 0
        plane_label = merged(
            MathTex(r"z_1 + z_2 + z_3 = 0", font_size=theme.label_size, color=theme.color("accent"))
        )
        self.corner_note(plane_label, RIGHT)

        with self.beat(
            "sum-zero-plane",
            "So every logit vector can slide along that direction onto the plane where the "
            "logits sum to zero; the one-hot corners e1, e2, e3 land on a triangle there.",
        ):
            self.play_for(1.0, FadeOut(readout), FadeOut(line))
            self.play_for(1.5, FadeIn(patch), FadeIn(plane_label))
            self.add_fixed_orientation_mobjects(*corner_labels)
            self.play_for(1.5, Create(triangle), FadeIn(corner_labels))
            self.play_for(
                2.0,
                triangle.animate.shift(drop),
                # Slide the example along (1, 1, 1) by minus its mean: onto the plane.
                shift.animate.set_value(-example.mean()),
                FadeOut(corner_labels),
            )
            self.pause(1.0)

        # -- beat 3: turn the plane flat -------------------------------------- #
        point.clear_updaters()
        rotation = plane_rotation()  # logits -> (plane x, plane y, along (1, 1, 1))
        axis, angle = rotation_axis_angle(rotation)
        unit = FLOOR_SIDE / (2 * extent)
        plane_axes = LogitAxes(
            theme,
            extent,
            unit,
            value_range=(0, 1, 0.5),
            value_length=P_HEIGHT,
            names=("x", "y", "p"),
            value_ticks=((1 / 3, r"\tfrac13"), 1),
            label_size=theme.body_size,
        )
        floor = plane_axes.map
        flat_triangle = on_floor(ClassTriangle(theme, floor, scale=1.0))
        flat_point = mesh_sphere(floor.floor(*to_plane(example)), 0.09, theme.color("accent"))
        spinning = VGroup(logit_axes, patch, triangle, point, arrow.arrow)

        with self.beat(
            "flatten",
            "Turn that plane flat and it becomes the floor of the picture: each point on it "
            "is one distinct way of sharing probability among the classes.",
        ):
            self.play_for(
                0.8, FadeOut(logit_axes.labels), FadeOut(arrow.label), FadeOut(plane_label)
            )
            self.play_for(3.0, Rotate(spinning, angle=angle, axis=axis, about_point=ORIGIN))
            self.move_camera(**FLAT_VIEW, frame_center=0.9 * OUT, run_time=self.seconds(1.5))
            self.add_fixed_orientation_mobjects(*plane_axes.labels)
            self.play_for(
                1.5,
                FadeOut(logit_axes),
                FadeOut(patch),
                FadeOut(arrow.arrow),
                FadeIn(plane_axes),
                FadeIn(plane_axes.labels),
                ReplacementTransform(triangle, flat_triangle),
                ReplacementTransform(point, flat_point),
            )

        # -- beat 4: the three probability surfaces --------------------------- #
        x, y, p = surface_grid(extent, params.resolution)
        surfaces = [
            MeshSurface(
                plane_axes.to_scene(x, y, p[k]),
                fill_color=self.class_color(k),
                fill_opacity=theme.surface_opacity,
            )
            for k in range(3)
        ]
        boundaries = on_floor(TieBoundaries(theme, floor, extent, shape=SHAPE))
        names = [rf"\textbf{{{self.class_tex(k)}}}" for k in range(3)]
        regions = RegionLabels(
            theme,
            floor,
            names,
            radius=0.75 * extent,
            label_size=theme.label_size,
            height=LABEL_HEIGHT,
        )
        sum_note = self.corner_note(
            MathTex(r"p_1 + p_2 + p_3 = 1", font_size=theme.body_size), RIGHT
        )
        surfaces_title = self.fixed_in_frame(
            self.title(r"Three classes: $p_1, p_2, p_3$ over the plane")
        )

        with self.beat(
            "surfaces",
            "Above it rise the three probability surfaces, each highest in its own class's "
            "region; the dashed rays on the floor mark where two classes tie.",
        ):
            self.play_for(1.0, FadeOut(flat_point), FadeOut(title), FadeIn(surfaces_title))
            for k in range(3):
                self.play_for(1.6, Create(surfaces[k]))
            self.add_fixed_orientation_mobjects(*regions)
            self.play_for(1.5, Create(boundaries), FadeIn(regions), FadeIn(sum_note))
            self.pause(0.8)

        center_note = self.corner_note(
            Tex(r"at the centre every class has $p = \tfrac13$", font_size=theme.label_size),
            LEFT,
        )
        with self.beat(
            "orbit",
            "Around the plane the three regions are identical wedges, and at the centre all "
            "three surfaces meet at one third: no class is favoured there.",
        ):
            self.play_for(1.0, FadeIn(center_note))
            self.move_camera(**END_VIEW, run_time=self.seconds(8.0))

    # -- helpers ----------------------------------------------------------------- #
