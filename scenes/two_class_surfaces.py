"""Chapter 6: the two probability surfaces over the plane of two logits.

Beats
-----
1. ``two-surfaces``: axes ``z_1``, ``z_2``, ``p``; the surfaces ``p_1`` and ``p_2``
   rise in their class colours; at every point their heights add up to 1.
2. ``diagonal``: a dot slides along ``(1, 1)`` while its readout stays fixed; the
   line ``z_1 = z_2`` where both surfaces sit at ``1/2`` is highlighted.
3. ``sigmoid-cut``: the cut across the diagonal, seen edge-on, is the sigmoid of
   ``z_1 - z_2`` (the curve of chapter 1).
4. ``ramp``: the camera swings round: one sigmoid ramp, extruded along the
   direction softmax ignores.

Every height comes from :func:`softmax_math.logit_square_field` (the whole grid in
one call) or :func:`softmax_math.softmax`.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DEGREES,
    DOWN,
    LEFT,
    OUT,
    RIGHT,
    UP,
    Create,
    DashedLine,
    FadeIn,
    FadeOut,
    Line,
    MathTex,
    Tex,
    ValueTracker,
    VGroup,
    Write,
)

from softmax_math import logit_square_field, softmax
from softmax_video.engine.mesh import MeshSurface
from softmax_video.kit.lecture_scene import LectureThreeDScene
from softmax_video.kit.plane_geometry import (
    InvariantArrow,
    LiveReadout,
    LogitAxes,
    PiecewiseCurve,
    diagonal_grid,
    in_depth_order,
    merged,
    mesh_sphere,
    on_floor,
)

__all__ = ["TwoClassSurfaces", "cross_section"]

# -- layout (scene units, before the camera zoom) --------------------------- #
#: Scene length of the floor square's side.
FLOOR_SIDE = 6.0
#: Scene height of p = 1.
P_HEIGHT = 3.0
#: Camera: the oblique overview, a second view for the orbit, and the edge-on
#: view across the diagonal (looking along (1, 1), so (1, -1) runs left to right).
OVERVIEW = {"phi": 66 * DEGREES, "theta": -112 * DEGREES}
OPENING = {"phi": 70 * DEGREES, "theta": -150 * DEGREES}
SWING = {"phi": 58 * DEGREES, "theta": -165 * DEGREES}
EDGE_ON = {"phi": 84 * DEGREES, "theta": -135 * DEGREES}
#: Faces along the diagonal (the surfaces are constant that way).
FACES_ALONG = 8
#: Samples along the cross-section curve.
CUT_SAMPLES = 121


def cross_section(extent: float, samples: int = CUT_SAMPLES) -> tuple[np.ndarray, ...]:
    """The cut of ``p_1`` across the diagonal, through the origin along ``(1, -1)``.

    Returns
    -------
    z1, z2, p1
        Logits of the samples (``z_2 = -z_1``) and ``p_1`` there, from the softmax.
    """
    z1 = np.linspace(-extent, extent, samples)
    z2 = -z1
    p1 = logit_square_field(z1, z2, target=0).probabilities[0]
    return z1, z2, p1


class TwoClassSurfaces(LectureThreeDScene):
    """``p_1`` and ``p_2`` over ``(z_1, z_2)``: flat along ``(1, 1)``, a sigmoid across it."""

    def construct(self) -> None:
        params = self.params
        theme = self.theme
        extent = params.extent
        unit = FLOOR_SIDE / (2 * extent)
        self.set_camera_orientation(**OPENING, zoom=self._zoom(), frame_center=0.9 * OUT)

        axes = LogitAxes(
            theme,
            extent,
            unit,
            value_range=(0, 1, 0.5),
            value_length=P_HEIGHT,
            names=("z_1", "z_2", "p"),
            value_ticks=(0.5, 1),
            label_size=theme.body_size,
        )
        z1, z2 = diagonal_grid(extent, params.resolution, FACES_ALONG)
        probabilities = logit_square_field(z1, z2, target=0).probabilities
        surfaces = [
            MeshSurface(
                axes.to_scene(z1, z2, probabilities[k]),
                fill_color=self.class_color(k),
                fill_opacity=theme.surface_opacity,
            )
            for k in range(2)
        ]
        tags = VGroup(
            *(
                MathTex(f"p_{k + 1}", font_size=theme.body_size, color=self.class_color(k))
                for k in range(2)
            )
        )
        # Each tag hovers over its surface's high corner.
        tags[0].move_to(axes.to_scene(extent, -extent, 1.0) + 0.45 * OUT)
        tags[1].move_to(axes.to_scene(-extent, extent, 1.0) + 0.45 * OUT)

        title = self.fixed_in_frame(
            self.title(r"Two classes: $p_1$ and $p_2$ over the logit plane")
        )
        sum_note = self.corner_note(merged(MathTex(r"p_1 + p_2 = 1", font_size=theme.body_size)))

        with self.beat(
            "two-surfaces",
            "With the two logits on the floor and probability pointing up, each class gets "
            "its own surface, and above every point the two heights add up to one.",
        ):
            self.add_fixed_orientation_mobjects(*axes.labels)
            self.play_for(1.5, Create(axes), FadeIn(title), FadeIn(axes.labels))
            for k in range(2):
                self.add_fixed_orientation_mobjects(tags[k])
                self.play_for(2.0, Create(surfaces[k]), FadeIn(tags[k]))
            self.play_for(1.0, FadeIn(sum_note))
            self.move_camera(**OVERVIEW, run_time=self.seconds(3.5))

        # -- beat 2: the (1, 1) direction changes nothing --------------------- #
        start = np.array(params.slide_point, dtype=float)
        low, high = params.slide_range
        shift = ValueTracker(low)

        def logits() -> np.ndarray:
            return start + shift.get_value()

        def p1() -> float:
            return float(softmax(logits())[0])

        dot = mesh_sphere(axes.to_scene(*logits(), p1()), 0.09, theme.color("accent"))
        dot.add_updater(lambda m: m.move_to(axes.to_scene(*logits(), p1())))
        drop = in_depth_order(Line(color=theme.color("accent"), stroke_width=2))
        drop.add_updater(
            lambda m: m.put_start_and_end_on(
                axes.to_scene(*logits(), 0), axes.to_scene(*logits(), p1())
            )
        )
        track = InvariantArrow(
            theme,
            axes.map.floor(*(start + low)),
            axes.map.floor(*(start + high)),
            label="(1, 1)",
            label_size=theme.label_size,
        )
        on_floor(track.arrow.shaft)
        diagonal_floor = on_floor(
            merged(
                DashedLine(
                    axes.map.floor(-extent, -extent),
                    axes.map.floor(extent, extent),
                    color=theme.color("text"),
                    stroke_width=3,
                    dash_length=0.15,
                )
            )
        )
        # Where the two surfaces cross: drawn on top of both (it lies on both).
        half_line = Line(
            axes.to_scene(-extent, -extent, 0.5),
            axes.to_scene(extent, extent, 0.5),
            color=theme.color("text"),
            stroke_width=5,
        )
        readouts = VGroup(
            LiveReadout("z_1 =", lambda: logits()[0], 2, theme.label_size),
            LiveReadout("z_2 =", lambda: logits()[1], 2, theme.label_size),
            LiveReadout("p_1 =", p1, 3, theme.label_size, self.class_color(0)),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        self.corner_note(readouts, side=LEFT)
        tie_note = merged(
            MathTex(r"z_1 = z_2 \;\Rightarrow\; p_1 = p_2 = \tfrac12", font_size=theme.label_size)
        )
        tie_note.next_to(sum_note, UP, aligned_edge=RIGHT)
        self.add_fixed_in_frame_mobjects(tie_note)
        self.remove(tie_note)

        with self.beat(
            "diagonal",
            "Sliding along the (1, 1) diagonal adds the same amount to both logits, so "
            "nothing changes; the surfaces cross at one half exactly where z1 equals z2.",
        ):
            self.add_fixed_in_frame_mobjects(readouts)
            self.add_fixed_orientation_mobjects(track.label)
            self.play_for(
                1.5,
                FadeIn(dot),
                FadeIn(drop),
                Create(track.arrow),
                FadeIn(track.label),
                FadeIn(readouts),
            )
            self.play_for(3.0, shift.animate.set_value(high))
            self.play_for(2.0, shift.animate.set_value(low))
            self.play_for(1.5, Create(diagonal_floor), Create(half_line))
            self.play_for(1.0, Write(tie_note))
            self.pause(1.0)

        # -- beat 3: the cut across the diagonal is a sigmoid ------------------ #
        cut_z1, cut_z2, cut_p1 = cross_section(extent)
        cut_curve = PiecewiseCurve(
            axes.to_scene(cut_z1, cut_z2, cut_p1),
            theme.color("accent"),
            stroke_width=6,
            pieces=20,
            lift=0.02 * OUT,
        )
        cut_floor = on_floor(
            merged(
                DashedLine(
                    axes.map.floor(-extent, extent),
                    axes.map.floor(extent, -extent),
                    color=theme.color("accent"),
                    stroke_width=3,
                    dash_length=0.15,
                )
            )
        )
        sigmoid_note = merged(
            MathTex(
                r"p_1 = \sigma(z_1 - z_2)", font_size=theme.body_size, color=theme.color("accent")
            )
        )
        self.corner_note(sigmoid_note, side=LEFT)
        self.add_fixed_in_frame_mobjects(sigmoid_note)
        self.remove(sigmoid_note)

        with self.beat(
            "sigmoid-cut",
            "Cut straight across the diagonal and look edge on: the profile of p1 is the "
            "sigmoid of z1 minus z2, the curve from the start of the lecture.",
        ):
            self.play_for(
                1.0,
                FadeOut(dot),
                FadeOut(drop),
                FadeOut(readouts),
                FadeOut(track.label),
                FadeOut(track.arrow),
                FadeOut(tie_note),
            )
            self.play_for(1.5, Create(cut_floor), Create(cut_curve))
            self.move_camera(**EDGE_ON, run_time=self.seconds(3.5))
            self.play_for(1.0, Write(sigmoid_note))
            self.pause(2.0)

        ramp_note = self.corner_note(
            merged(Tex(r"one sigmoid ramp, constant along $(1, 1)$", font_size=theme.label_size)),
            side=LEFT,
        )
        with self.beat(
            "ramp",
            "From any angle it is one sigmoid ramp, stretched without change along the "
            "direction that softmax ignores.",
        ):
            self.play_for(0.8, FadeOut(sigmoid_note))
            self.move_camera(**SWING, run_time=self.seconds(3.5))
            self.play_for(1.0, FadeIn(ramp_note))
            self.move_camera(**OVERVIEW, run_time=self.seconds(3.0))

    # -- helpers ----------------------------------------------------------------- #

    def _zoom(self) -> float:
        """Camera zoom that keeps the plot inside narrow (portrait, square) frames."""
        zoom = min(1.0, self.frame_width / 11.0)
        if self.is_narrow:  # the turning plot reaches 5 units left of the centre
            zoom = min(zoom, (self.frame_width / 2 - self.margin_x) / 5.0)
        return zoom
