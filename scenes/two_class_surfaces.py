"""Chapter 6: the two probability surfaces over the plane of two logits.

Beats
-----
1. ``two-surfaces``: axes ``z_1``, ``z_2`` (numbered) and ``p``; the surfaces ``p_1``
   and ``p_2`` rise in their class colours; at one point their two heights, stacked,
   reach exactly 1.
2. ``diagonal``: a dot slides along ``(1, 1)``: the logits change, ``p_1`` does not;
   the line ``z_1 = z_2`` where both surfaces sit at ``1/2`` is drawn.
3. ``sigmoid-cut``: the cut across the diagonal, seen edge-on along ``(1, 1)`` with
   its own axis ``z_1 - z_2``, is the sigmoid of ``z_1 - z_2``.
4. ``ramp``: the camera turns back and the cut slides along ``(1, 1)`` unchanged: one
   sigmoid ramp, extruded along the direction softmax ignores.
5. ``takeaway``: the closing card over the overview.

Every height comes from :func:`softmax_math.logit_square_field` (the whole grid in
one call) or :func:`softmax_math.softmax`.
"""

from __future__ import annotations

from itertools import pairwise

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
    MathTex,
    Mobject,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
)

from softmax_math import logit_square_field, softmax
from softmax_video.core.text import tick_step
from softmax_video.engine.mesh import MeshSurface
from softmax_video.kit.lecture_scene import LectureThreeDScene
from softmax_video.kit.plane_geometry import (
    InvariantArrow,
    LogitAxes,
    PiecewiseCurve,
    diagonal_grid,
    difference_axis,
    floor_numbers,
    merged,
    mesh_sphere,
    on_floor,
)
from softmax_video.kit.widgets import Readout

__all__ = ["TwoClassSurfaces", "cross_section", "stacked_shares"]

# -- layout (scene units, before the camera zoom) --------------------------- #
#: Scene length of the floor square's side.
FLOOR_SIDE = 6.0
#: Scene height of p = 1.
P_HEIGHT = 3.0
#: Camera: the opening view, the overview, and the
#: edge-on view looking along (1, 1), so that (1, -1) runs left to right.
OPENING = {"phi": 70 * DEGREES, "theta": -150 * DEGREES}
OVERVIEW = {"phi": 66 * DEGREES, "theta": -112 * DEGREES}
EDGE_ON = {"phi": 84 * DEGREES, "theta": -135 * DEGREES}
#: Faces along the diagonal (the surfaces are constant that way).
FACES_ALONG = 8
#: Samples along the cross-section curve.
CUT_SAMPLES = 121
#: How far the cut slides each way along (1, 1), as a share of the extent.
RAMP_REACH = 0.6
#: Surface opacity while the cut is looked at edge-on.
DIMMED = 0.35


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


def stacked_shares(point: np.ndarray) -> tuple[str, str]:
    """``p_1`` and ``p_2`` at ``point`` to two decimals, rounded so that they add up to 1
    as written (``p_2`` shown as ``1 - p_1`` rounded, within 0.005 of its value).

    >>> stacked_shares(np.array([1.5, 0.5]))
    ('0.73', '0.27')
    """
    p1 = round(float(softmax(np.asarray(point, dtype=float))[0]), 2)
    return f"{p1:.2f}", f"{1 - p1:.2f}"


class TwoClassSurfaces(LectureThreeDScene):
    """``p_1`` and ``p_2`` over ``(z_1, z_2)``: flat along ``(1, 1)``, a sigmoid across it."""

    def construct(self) -> None:
        self.setup_stage()
        self.two_surfaces()
        self.diagonal()
        self.sigmoid_cut()
        self.ramp()
        self.takeaway()

    # -- the stage: built once, nothing drawn -------------------------------- #

    def setup_stage(self) -> None:
        # Labels shrink with the plot in narrow frames (the plot is drawn smaller there).
        scale = 0.6 if self.is_portrait else 0.8 if self.is_narrow else 1.0
        self.body, self.label, self.small = (
            scale * size
            for size in (self.theme.body_size, self.theme.label_size, self.theme.small_size)
        )
        params = self.params
        theme = self.theme
        extent = params.extent
        unit = FLOOR_SIDE / (2 * extent)
        self.set_camera_orientation(**OPENING, zoom=self._zoom(), frame_center=self._centre())

        self.axes = axes = LogitAxes(
            theme,
            extent,
            unit,
            value_range=(0, 1, 0.5),
            value_length=P_HEIGHT,
            names=("z_1", "z_2", "p"),
            value_ticks=(0.5, 1),
            label_size=self.body,
        )
        # The p ticks: larger, in the text colour, outlined, left of the axis, so they
        # read over the surfaces from every view.
        for tick in axes.ticks:
            tick.set_color(theme.color("text")).scale(1.2)
            tick.set_stroke(theme.color("background"), width=3, background=True)
            # Right of the axis and a little down: clear of the line z_1 = z_2 at 1/2.
            tick.shift((tick.width + 0.34) * RIGHT + 0.12 * DOWN)
        for name in axes.names:
            name.set_stroke(theme.color("background"), width=3, background=True)
        self.numbers = floor_numbers(
            theme, axes, tick_step(2 * extent, 5, smallest=1.0), self.small
        )
        z1, z2 = diagonal_grid(extent, params.resolution, FACES_ALONG)
        probabilities = logit_square_field(z1, z2, target=0).probabilities
        self.surfaces = [
            MeshSurface(
                axes.to_scene(z1, z2, probabilities[k]),
                fill_color=self.class_color(k),
                fill_opacity=theme.surface_opacity,
            )
            for k in range(2)
        ]
        tags = VGroup()
        for k in range(2):
            tag = MathTex(f"p_{k + 1}", font_size=self.body, color=self.class_color(k))
            tag.set_stroke(theme.color("background"), width=3, background=True)
            tags.add(tag)
        # Each tag hovers over its surface's high plateau, inside the square.
        tags[0].move_to(axes.to_scene(0.55 * extent, -0.85 * extent, 1.0) + 0.35 * OUT)
        tags[1].move_to(axes.to_scene(-0.85 * extent, 0.55 * extent, 1.0) + 0.35 * OUT)
        self.tags = tags
        # A hair inside the usable width: anti-aliased letters would touch the safe margin.
        self.title_mob = self.fixed_in_frame(
            self.to_top(self.fit(self.title(), self.usable_width * 0.95))
        )

    # -- beats ----------------------------------------------------------------- #

    def two_surfaces(self) -> None:
        axes, theme = self.axes, self.theme
        point = np.array(self.params.slide_point, dtype=float)
        p1, p2 = (float(v) for v in softmax(point))
        shown = stacked_shares(point)
        blue = self._column(point, 0.0, p1, self.class_color(0))
        orange = self._column(point, 0.0, p2, self.class_color(1))
        dot1 = mesh_sphere(axes.to_scene(*point, p1), 0.08, self.class_color(0))
        dot2 = mesh_sphere(axes.to_scene(*point, p2), 0.08, self.class_color(1))
        top = merged(
            DashedLine(
                axes.to_scene(*point, 1.0) + 0.35 * LEFT,
                axes.to_scene(*point, 1.0) + 0.35 * RIGHT,
                color=theme.color("accent"),
                stroke_width=4,
                dash_length=0.08,
            )
        )
        self.column = (blue, orange, dot1, dot2, top)

        with self.beat(
            "two-surfaces",
            "Put the two logits on the floor and probability on the vertical axis: class one "
            "gets a surface, class two another, and above any point <mark:sum> their two "
            "heights stack up to exactly one.",
        ):
            self.add_fixed_orientation_mobjects(*axes.labels, *self.numbers[0], *self.numbers[1])
            self.play_for(
                1.5,
                Create(axes),
                FadeIn(self.title_mob),
                FadeIn(axes.labels),
                FadeIn(self.numbers),
            )
            for k in range(2):
                self.add_fixed_orientation_mobjects(self.tags[k])
                self.play_for(1.8, Create(self.surfaces[k]), FadeIn(self.tags[k]))
            self.move_camera(**OVERVIEW, run_time=self.seconds(2.5))
            self.at_mark("sum")
            self.play_for(1.0, Create(blue), FadeIn(dot1))
            self.play_for(1.0, Create(orange), FadeIn(dot2))
            # Stack p_2's column on top of p_1's: together they reach the height 1.
            self.play_for(
                1.2, orange.animate.shift(axes.to_scene(0, 0, p1) - axes.to_scene(0, 0, 0))
            )
            note = self._near(
                MathTex(
                    rf"p_1 + p_2 = {shown[0]} + {shown[1]} = 1",
                    font_size=self.label,
                    color=theme.color("accent"),
                ),
                axes.to_scene(*point, 1.0),
                RIGHT,
            )
            self.sum_note = note
            self.play_for(0.8, Create(top), FadeIn(note))
            self.highlight(note)

    def diagonal(self) -> None:
        params, axes, theme = self.params, self.axes, self.theme
        extent = params.extent
        start = np.array(params.slide_point, dtype=float)
        low, high = params.slide_range
        shift = ValueTracker(0.0)

        def logits() -> np.ndarray:
            return start + shift.get_value()

        def p1() -> float:
            return float(softmax(logits())[0])

        blue, orange, dot1, dot2, top = self.column
        dot = dot1
        dot.add_updater(lambda m: m.move_to(axes.to_scene(*logits(), p1())))
        drop_points = np.linspace(0.0, 1.0, 9)

        def follow(m: Mobject) -> None:
            column = axes.to_scene(*logits(), p1() * drop_points)
            for piece, (a, b) in zip(m.submobjects, pairwise(column), strict=True):
                piece.set_points_as_corners([a, b])

        track = InvariantArrow(
            theme,
            axes.map.floor(*(start + low)),
            axes.map.floor(*(start + high)),
            label="(1, 1)",
            label_size=self.body,
        )
        on_floor(track.arrow.shaft)
        track.label.set_stroke(theme.color("background"), width=3, background=True)
        self.track = track
        diagonal_floor = on_floor(
            merged(
                DashedLine(
                    axes.map.floor(-extent, -extent),
                    axes.map.floor(extent, extent),
                    color=theme.color("accent"),
                    stroke_width=3,
                    dash_length=0.15,
                )
            )
        )
        # Where the two surfaces cross: drawn on top of both (it lies on both).
        half_line = VMobject(stroke_color=theme.color("accent"), stroke_width=6)
        half_line.set_points_as_corners(
            [axes.to_scene(-extent, -extent, 0.5), axes.to_scene(extent, extent, 0.5)]
        )
        self.half_line, self.diagonal_floor = half_line, diagonal_floor
        readouts = VGroup(
            Readout("z_1 =", lambda: logits()[0], decimals=2, font_size=self.label),
            Readout("z_2 =", lambda: logits()[1], decimals=2, font_size=self.label),
            Readout("p_1 =", p1, decimals=3, font_size=self.label, color=self.class_color(0)),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.15)

        with self.beat(
            "diagonal",
            "Now slide along the one-one diagonal, adding the same amount to both logits: "
            "the logits change, <mark:same> yet p1 stays put, and the surfaces cross at "
            "one half <mark:tie> exactly where z1 equals z2.",
        ):
            self.play_for(0.8, FadeOut(orange), FadeOut(dot2), FadeOut(top), FadeOut(self.sum_note))
            blue.add_updater(follow)
            # Left of where the dot starts: the empty side of the frame, near the dot.
            self._near(readouts, axes.to_scene(*(start + low), p1()), LEFT, buff=1.2)
            if not self.is_narrow:  # at the frame's left edge, clear of the axes' names
                readouts.set_x(-self.frame_width / 2 + self.margin_x + readouts.width / 2)
            self.add_fixed_orientation_mobjects(track.label)
            self.play_for(1.2, Create(track.arrow), FadeIn(track.label), FadeIn(readouts))
            self.play_for(2.5, shift.animate.set_value(high))
            self.at_mark("same")
            self.highlight(readouts[2])
            self.play_for(2.0, shift.animate.set_value(low))
            self.play_for(1.0, shift.animate.set_value(0.0))
            self.at_mark("tie")
            self.play_for(
                1.0,
                FadeOut(readouts),
                FadeOut(dot),
                FadeOut(blue),
                FadeOut(track.arrow),
                FadeOut(track.label),
            )
            dot.clear_updaters()
            blue.clear_updaters()
            self.play_for(1.2, Create(diagonal_floor), Create(half_line))
            tie_note = self._near(
                MathTex(
                    r"z_1 = z_2 \;\Rightarrow\; p_1 = p_2 = \tfrac12",
                    font_size=self.label,
                    color=theme.color("accent"),
                ),
                axes.to_scene(-extent, -extent, 0.5),
                LEFT + 0.5 * UP,
                buff=0.4,
            )
            self.play_for(1.0, Write(tie_note))
            self.highlight(tie_note)
            self.tie_note = tie_note

    def sigmoid_cut(self) -> None:
        params, axes, theme = self.params, self.axes, self.theme
        extent = params.extent
        cut_z1, cut_z2, cut_p1 = cross_section(extent)
        probability = theme.color("probability")
        curve = PiecewiseCurve(
            axes.to_scene(cut_z1, cut_z2, cut_p1), probability, stroke_width=8, pieces=20,
            lift=0.02 * OUT,
        )  # fmt: skip
        self.curve = curve
        # The cut's own axis, d = z_1 - z_2, on the floor along (1, -1).
        cut_axis, name, d_numbers = difference_axis(theme, axes.map, extent, self.small, self.body)
        floor_labels = [*self.numbers[0], *self.numbers[1], self.axes.names[0], self.axes.names[1]]

        with self.beat(
            "sigmoid-cut",
            "Cut straight across that diagonal and look at it edge on: along <mark:axis> "
            "z1 minus z2, the profile of p1 is <mark:sigma> the sigmoid from the start of "
            "the lecture.",
        ):
            # The surfaces step back so the cut, drawn on p_1, stands out.
            self.play_for(
                0.8,
                FadeOut(self.tie_note),
                FadeOut(self.diagonal_floor),
                *(FadeOut(m) for m in floor_labels),
                *(surface.animate.set_fill(opacity=DIMMED) for surface in self.surfaces),
            )
            self.play_for(1.2, Create(curve))
            self.move_camera(**EDGE_ON, zoom=self._edge_zoom(), run_time=self.seconds(3.0))
            self.at_mark("axis")
            self.add_fixed_orientation_mobjects(name, *d_numbers)
            self.play_for(1.2, Create(cut_axis), FadeIn(name), FadeIn(d_numbers))
            self.at_mark("sigma")
            formula = MathTex(
                r"p_1", "=", r"\sigma(", r"z_1 - z_2", ")", font_size=self.body,
                color=probability,
            )  # fmt: skip
            formula.set_stroke(theme.color("background"), width=3, background=True)
            # In the empty space under p_1's plateau, beside the curve it names.
            self._near(formula, axes.to_scene(0.55 * extent, -0.55 * extent, 0.55), RIGHT, 0.0)
            copy = name.copy()
            self.add_fixed_in_frame_mobjects(copy)
            copy.move_to(self.on_screen(np.array([name.get_center()]))[0])
            self.play_for(1.5, self.morph_in_frame(copy, formula))
            self.highlight(formula)
        self.cut_axis, self.cut_name, self.d_numbers, self.formula = (
            cut_axis,
            name,
            d_numbers,
            formula,
        )
        self.floor_labels = floor_labels

    def ramp(self) -> None:
        axes, theme = self.axes, self.theme
        extent = self.params.extent
        slide = ValueTracker(0.0)
        curve = self.curve
        per_piece = 4
        t_unit = np.linspace(-1.0, 1.0, len(curve) * per_piece + 1)

        def slide_cut(m: Mobject) -> None:
            # The cut through (s, s): z_1 = s + t, z_2 = s - t, clipped to the square.
            s = slide.get_value()
            t = t_unit * (extent - abs(s))
            p1 = logit_square_field(s + t, s - t, target=0).probabilities[0]
            points = axes.to_scene(s + t, s - t, p1) + 0.02 * OUT
            for k, piece in enumerate(m.submobjects):
                piece.set_points_as_corners(points[k * per_piece : (k + 1) * per_piece + 1])

        reach = RAMP_REACH * extent
        arrow = InvariantArrow(
            theme,
            axes.map.floor(-reach, -reach),
            axes.map.floor(reach, reach),
            label="(1, 1)",
            label_size=self.body,
        )
        on_floor(arrow.arrow.shaft)
        arrow.label.set_stroke(theme.color("background"), width=3, background=True)
        # Beside the tip, toward (1, -1): clear of the p axis and its ticks.
        arrow.label.shift(0.45 * (RIGHT + DOWN))
        self.ramp_arrow = arrow

        with self.beat(
            "ramp",
            "Now slide that cut along the diagonal: its shape never changes, so the whole "
            "surface is one sigmoid ramp, stretched along the direction softmax ignores.",
        ):
            self.play_for(
                0.8, FadeOut(self.formula), FadeOut(self.cut_name), FadeOut(self.d_numbers),
                FadeOut(self.cut_axis),
            )  # fmt: skip
            self.move_camera(
                **OVERVIEW,
                zoom=self._zoom(),
                run_time=self.seconds(2.5),
                added_anims=[
                    FadeIn(self.diagonal_floor),
                    *(FadeIn(m) for m in self.floor_labels),
                ],
            )
            self.add_fixed_orientation_mobjects(arrow.label)
            self.play_for(1.0, Create(arrow.arrow), FadeIn(arrow.label))
            curve.add_updater(slide_cut)
            self.play_for(2.0, slide.animate.set_value(reach))
            self.play_for(3.0, slide.animate.set_value(-reach))
            self.play_for(1.5, slide.animate.set_value(0.0))
            curve.clear_updaters()
            self.play_for(
                1.0, *(m.animate.set_fill(opacity=theme.surface_opacity) for m in self.surfaces)
            )

    def takeaway(self) -> None:
        with self.beat(
            "takeaway",
            "So with two classes, p1 is the sigmoid of the logit difference: a ramp across "
            "the diagonal, flat along it.",
        ):
            lines = (
                r"$p_1 = \sigma(z_1 - z_2)$:",
                r"a sigmoid across",
                r"the diagonal,",
                r"flat along $(1, 1)$",
            )
            # Narrow frames: short lines, so the card stays inside the margins.
            self.close_with(
                (r"\\" if self.is_narrow else " ").join(lines),
                keep=[*self.surfaces, self.curve, self.half_line, self.ramp_arrow],
            )

    # -- helpers ----------------------------------------------------------------- #

    def _column(self, point: np.ndarray, low: float, high: float, color: object) -> PiecewiseCurve:
        """A vertical bar from height ``low`` to ``high`` above ``point``, sorted by depth
        piece by piece (it pierces the surfaces)."""
        heights = np.linspace(low, high, 9)
        bar = PiecewiseCurve(self.axes.to_scene(*point, heights), color, stroke_width=7, pieces=8)
        return bar

    def _near(
        self, mob: Mobject, point: np.ndarray, direction: np.ndarray, buff: float = 0.3
    ) -> Mobject:
        """:meth:`note_beside` the point where the camera now shows scene ``point``."""
        return self.note_beside(
            mob, self.on_screen(np.array([point], dtype=float))[0], direction, self.title_mob, buff
        )

    def _centre(self) -> np.ndarray:
        """Frame centre: in narrow frames the plot sits lower, under the notes' band."""
        return (0.9 + (2.0 if self.is_portrait else 0.8 if self.is_narrow else 0.0)) * OUT

    def _edge_zoom(self) -> float:
        """Zoom of the edge-on view: the cut's axis and its name ``z_1 - z_2`` span the
        square's diagonal plus about 1.6 units each way; they stay inside the margins."""
        half = (2 * self.params.extent + 0.6) / 2**0.5 * self._unit() + 1.6
        return min(self._zoom(), (self.frame_width / 2 - self.margin_x) / half)

    def _unit(self) -> float:
        return FLOOR_SIDE / (2 * self.params.extent)

    def _zoom(self) -> float:
        """Camera zoom that keeps the plot inside the margins of every frame shape."""
        zoom = min(0.95, self.usable_width / 11.5)
        if self.is_narrow:  # the turning plot reaches 5 units left of the centre
            zoom = min(zoom, (self.frame_width / 2 - self.margin_x) / 5.0)
        return zoom
