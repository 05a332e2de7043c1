"""Chapter 1, SigmoidRecap: the sigmoid squashes the real line into (0, 1).

The plot of sigma(x) = 1 / (1 + e^-x) with its formula; a dot slides along x while its
image creeps toward 0 or 1; the output is read as P(class 1) for two classes (two bars);
finally the derivative sigma(1 - sigma) is drawn below with the tangent's slope.

Render: ``.venv/bin/manim -ql scenes/sigmoid_recap.py SigmoidRecap``
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    Line,
    ManimColor,
    MathTex,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    smooth,
)

from softmax_math import sigmoid, sigmoid_derivative
from softmax_video.core.chapters import find_chapter
from softmax_video.core.text import tick_step
from softmax_video.kit.lecture_scene import LectureScene
from softmax_video.kit.widgets import BarPanel, Readout, edge_y_labels

__all__ = ["SigmoidRecap", "tick_step"]

#: Landscape sizes (scene units) of the sigmoid plot and of the derivative plot below it.
PLOT_SIZE = (7.4, 3.0)
DERIVATIVE_HEIGHT = 1.5
#: Half-width (in x units) of the drawn tangent segment.
TANGENT_HALF_WIDTH = 1.4


def guide(color: ManimColor) -> VMobject:
    """A thin helper line (its points are set by an updater)."""
    line = VMobject(stroke_color=color, stroke_width=1.5, stroke_opacity=0.8)
    line.set_points_as_corners([np.zeros(3), UP])
    return line


class SigmoidRecap(LectureScene):
    """The sigmoid, its reading as a probability for two classes, and its derivative."""

    def construct(self) -> None:
        p = self.params
        self.extent = p.x_extent
        self.x = ValueTracker(p.sweep[0])
        self._build()
        self._story()

    # -- state ---------------------------------------------------------------- #

    def x_shown(self) -> float:
        """The tracked input, kept inside the plotted range."""
        return float(np.clip(self.x.get_value(), -self.extent, self.extent))

    def sigma(self) -> float:
        return float(sigmoid(self.x_shown()))

    def slope(self) -> float:
        return float(sigmoid_derivative(self.x_shown()))

    # -- building ------------------------------------------------------------- #

    def _axes(
        self, y_range: list[float], width: float, height: float, y_numbers: list[float]
    ) -> Axes:
        muted = self.theme.color("muted")
        step = tick_step(2 * self.extent, 12, smallest=1.0)
        axes = Axes(
            x_range=[-self.extent, self.extent, step],
            y_range=y_range,
            x_length=width,
            y_length=height,
            tips=False,
            axis_config={
                "color": muted,
                "stroke_width": 2,
                "font_size": self.theme.small_size * 0.85,
            },
        )
        size = self.theme.small_size * 0.85
        axes.x_axis.add_numbers(
            [v for v in np.arange(-self.extent, self.extent + 1e-9, step) if v != 0],
            font_size=size,
            num_decimal_places=0,
        )
        # y values written at the left edge (the y axis itself stands at x = 0, mid-plot).
        labels = edge_y_labels(axes, y_numbers, font_size=size, color=muted)
        axes.add(labels)
        return axes

    def _build(self) -> None:
        t = self.theme
        c1, c2 = self.class_color(0), self.class_color(1)
        accent, muted = t.color("accent"), t.color("muted")
        width, height = PLOT_SIZE
        d_height = DERIVATIVE_HEIGHT
        if self.is_portrait:
            width, height, d_height = self.usable_width, 2.2, 1.1
        elif self.is_narrow:
            width, height, d_height = self.usable_width * 0.92, 2.6, 1.3

        self.title_mob = self.title(find_chapter(self.params.SECTION).title)
        self.formula = MathTex(r"\sigma(x) = \frac{1}{1 + e^{-x}}", font_size=t.body_size)

        # The sigmoid plot with its asymptotes at 0 and 1.
        self.axes = self._axes([0, 1, 0.5], width, height, [0.5, 1])
        self.curve = self.axes.plot(lambda v: float(sigmoid(v)), color=c1, stroke_width=4)
        self.asymptotes = VGroup(
            *(
                DashedLine(
                    self.axes.c2p(-self.extent, y),
                    self.axes.c2p(self.extent, y),
                    color=muted,
                    stroke_width=1.5,
                    dash_length=0.1,
                )
                for y in (1.0,)
            )
        )
        x_label = MathTex("x", font_size=t.label_size, color=muted)
        x_label.next_to(self.axes.c2p(self.extent, 0), UP + LEFT, buff=0.12)
        self.plot = VGroup(self.axes, self.asymptotes, self.curve, x_label)

        # The derivative plot below, same x scale.
        self.d_axes = self._axes([0, 0.3, 0.25], width, d_height, [0.25])
        self.d_curve = self.d_axes.plot(
            lambda v: float(sigmoid_derivative(v)), color=accent, stroke_width=4
        )
        self.d_formula = MathTex(
            r"\sigma'(x) = \sigma(x)\,\bigl(1 - \sigma(x)\bigr)", font_size=t.body_size * 0.9
        )
        self.d_plot = VGroup(self.d_axes, self.d_curve)

        # The moving point, its guides and readouts.
        self.x_dot = Dot(radius=0.07, color=t.color("text"))
        self.y_dot = Dot(radius=0.09, color=c1)
        self.v_guide = guide(muted)
        self.h_guide = guide(muted)
        self.x_readout = Readout("x =", self.x_shown, font_size=t.label_size)
        self.s_readout = Readout(
            r"\sigma(x) =", self.sigma, decimals=3, font_size=t.label_size, color=c1
        )
        self.s_readout.label.set_color(c1)
        self.readouts = VGroup(self.x_readout, self.s_readout).arrange(DOWN, aligned_edge=LEFT)

        # Two classes: P(class 1) = sigma(x), P(class 2) = 1 - sigma(x).
        names = [self.class_name(0), self.class_name(1)]
        self.bars = BarPanel(
            [self.sigma(), 1 - self.sigma()],
            colors=[c1, c2],
            labels=names,
            width=2.6,
            height=1.1 if self.is_narrow else 1.7,
            value_range=(0, 1),
            axis_color=muted,
            text_color=t.color("text"),
            label_size=t.label_size,
            value_size=t.small_size,
        )
        prob_text = VGroup(
            MathTex(
                rf"P(\text{{{self.class_tex(0)}}}) = \sigma(x)", font_size=t.label_size, color=c1
            ),
            MathTex(
                rf"P(\text{{{self.class_tex(1)}}}) = 1 - \sigma(x)",
                font_size=t.label_size,
                color=c2,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        self.prob = VGroup(prob_text, self.bars).arrange(DOWN, buff=0.3)

        # Tangent on the sigmoid and the matching point on the derivative curve.
        self.tangent = Line(LEFT, RIGHT, color=accent, stroke_width=3)
        self.d_dot = Dot(radius=0.08, color=accent)
        self.d_guide = guide(muted)
        self.d_readout = Readout(
            r"\sigma'(x) =", self.slope, decimals=3, font_size=t.label_size, color=accent
        )
        self.d_readout.label.set_color(accent)

        self._layout()
        self._add_updaters()

    def _layout(self) -> None:
        top = self.title_mob.get_bottom()[1] - 0.3
        bottom = self.layout_bottom
        d_block = VGroup(self.d_formula, self.d_readout).arrange(DOWN, buff=0.25)
        if self.is_narrow:
            # Formula and readouts in a row over the full-width plot; below it one slot,
            # taken by the two-class reading, then (it fades out) by the derivative.
            self.readouts.add(self.d_readout)
            self.readouts.arrange(DOWN, aligned_edge=LEFT, buff=0.12)
            head = VGroup(self.formula, self.readouts).arrange(RIGHT, buff=0.6)
            self.prob[0].arrange(DOWN, aligned_edge=LEFT, buff=0.2)
            self.prob.arrange(RIGHT, buff=0.5)
            lower = VGroup(self.d_plot, self.d_formula).arrange(DOWN, buff=0.3)
            layout = VGroup(head, self.plot, lower).arrange(DOWN, buff=0.4)
            self.d_plot.shift((self.axes.get_origin()[0] - self.d_axes.get_origin()[0]) * RIGHT)
            self.d_formula.set_x(self.d_axes.get_center()[0])
            self.prob.move_to(lower)
            layout.add(self.prob)
        else:
            plots = VGroup(self.plot, self.d_plot).arrange(DOWN, buff=0.55)
            self.d_plot.shift((self.axes.get_origin()[0] - self.d_axes.get_origin()[0]) * RIGHT)
            side = VGroup(self.formula, self.readouts, self.prob).arrange(DOWN, buff=0.4)
            d_block.move_to(self.prob, UP)  # the derivative block replaces the bars later
            layout = VGroup(plots, VGroup(side, d_block)).arrange(RIGHT, buff=0.7, aligned_edge=UP)
        everything = VGroup(layout, self.d_formula, self.d_readout)
        self.fit(everything, self.usable_width, top - bottom)
        everything.move_to([0, (top + bottom) / 2, 0])

    def _add_updaters(self) -> None:
        axes, d_axes = self.axes, self.d_axes

        def place(_: object) -> None:
            x, s = self.x_shown(), self.sigma()
            self.x_dot.move_to(axes.c2p(x, 0))
            self.y_dot.move_to(axes.c2p(x, s))
            self.v_guide.set_points_as_corners([axes.c2p(x, 0), axes.c2p(x, s)])
            self.h_guide.set_points_as_corners([axes.c2p(-self.extent, s), axes.c2p(x, s)])
            slope = self.slope()
            half = TANGENT_HALF_WIDTH
            self.tangent.put_start_and_end_on(
                axes.c2p(x - half, s - half * slope), axes.c2p(x + half, s + half * slope)
            )
            self.d_dot.move_to(d_axes.c2p(x, slope))
            self.d_guide.set_points_as_corners([d_axes.c2p(x, 0), d_axes.c2p(x, slope)])
            self.bars.set_values([s, 1 - s])

        self.tracker_group = VGroup()
        self.tracker_group.add_updater(place)
        place(None)

    # -- story ---------------------------------------------------------------- #

    def _story(self) -> None:
        p = self.params
        low, high = p.sweep
        with self.beat(
            "curve",
            "The sigmoid, one over one plus e to the minus x, takes any real number and "
            "returns a value strictly between zero and one.",
        ):
            self.play_for(1.0, Write(self.title_mob))
            self.play_for(1.2, Create(self.axes), FadeIn(self.plot[3]))
            self.play_for(2.0, Create(self.curve), Write(self.formula))
            self.play_for(0.8, Create(self.asymptotes))
            self.pause(2.0)

        with self.beat(
            "squash",
            "Slide the input along the real line: the output creeps toward zero or one but "
            "never reaches either.",
        ):
            self.add(self.tracker_group)
            self.play_for(
                1.0,
                FadeIn(self.x_dot),
                FadeIn(self.y_dot),
                Create(self.v_guide),
                Create(self.h_guide),
                FadeIn(self.readouts),
            )
            self.add(self.x_dot, self.y_dot, self.v_guide, self.h_guide)
            self.play_for(5.0, self.x.animate.set_value(high), rate_func=smooth)
            self.pause(1.5)

        with self.beat(
            "probability",
            f"With two classes the output is read as the probability of {self.class_name(0)}, "
            f"and one minus it as the probability of {self.class_name(1)}.",
        ):
            self.play_for(1.2, FadeIn(self.prob))
            self.play_for(2.5, self.x.animate.set_value(0.0), rate_func=smooth)
            self.pause(1.0)
            self.play_for(2.0, self.x.animate.set_value(0.4 * high), rate_func=smooth)
            self.pause(1.3)

        with self.beat(
            "derivative",
            "Its slope is sigma times one minus sigma: a quarter at zero, and fading as the "
            "curve flattens out.",
        ):
            self.play_for(0.8, FadeOut(self.prob))
            self.play_for(
                1.5,
                Create(self.d_axes),
                Create(self.d_curve),
                Write(self.d_formula),
                FadeIn(self.d_readout),
                Create(self.tangent),
                FadeIn(self.d_dot),
                Create(self.d_guide),
            )
            self.play_for(3.0, self.x.animate.set_value(low), rate_func=smooth)
            self.play_for(2.5, self.x.animate.set_value(0.0), rate_func=smooth)
            self.pause(1.5)
