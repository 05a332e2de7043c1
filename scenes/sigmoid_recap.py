"""Chapter 1, SigmoidRecap: the sigmoid squashes a logit z into (0, 1).

The plot of sigma(z) = 1 / (1 + e^-z) with its formula; a dot slides along z while its
image creeps toward 0 or 1; the output is read as the probability of class 1 and one
minus it as that of class 2 (two named bars that always sum to 1); then the plot makes
room for the derivative sigma(1 - sigma), the product of the two probabilities, drawn
below with the tangent's slope; a closing card states the takeaway.

Render: ``.venv/bin/manim -ql scenes/sigmoid_recap.py SigmoidRecap``
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    Line,
    ManimColor,
    MathTex,
    Tex,
    Transform,
    TransformMatchingTex,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    smooth,
)

from softmax_math import sigmoid, sigmoid_derivative
from softmax_video.core.text import tick_step
from softmax_video.kit.curves import align_axes_x, curve_axes, keyed_tex
from softmax_video.kit.lecture_scene import LectureScene
from softmax_video.kit.widgets import Readout

__all__ = ["SigmoidRecap", "tick_step"]

#: Half-width (in z units) of the drawn tangent segment.
TANGENT_HALF_WIDTH = 1.4
#: Height (scene units) an axes pair loses to its numbers and names, per plot.
PLOT_OVERHEAD = 0.95
#: Vertical gap between the sigmoid plot and the derivative plot.
PLOT_GAP = 0.25
#: Sigmoid plot height : derivative plot height once both are shown.
PLOT_RATIO = 2.0
#: Width (scene units) the 9:16 layout is built at before being scaled to the frame: a
#: portrait width, so text and ticks come out large (not a shrunk landscape layout).
PORTRAIT_WIDTH = 5.4


def guide(color: ManimColor) -> VMobject:
    """A thin helper line (its points are set by an updater)."""
    line = VMobject(stroke_color=color, stroke_width=1.5, stroke_opacity=0.8)
    line.set_points_as_corners([np.zeros(3), UP])
    return line


class SigmoidPlot(VGroup):
    """The sigmoid's axes, its asymptote at 1 and its curve (one size of the plot)."""

    def __init__(self, scene: SigmoidRecap, width: float, height: float) -> None:
        super().__init__()
        t, extent = scene.theme, scene.extent
        muted = t.color("muted")
        self.frame = curve_axes(
            (-extent, extent),
            (0.0, 1.0),
            (0.0, 0.5, 1.0),
            width=width,
            height=height,
            x_name="z",
            y_name=r"\sigma(z)",
            y_name_color=t.color("probability"),
            color=muted,
            font_size=t.small_size * 0.9,
            max_x_ticks=scene.x_ticks,
        )
        self.asymptote = DashedLine(
            self.frame.c2p(-extent, 1.0),
            self.frame.c2p(extent, 1.0),
            color=muted,
            stroke_width=1.5,
            dash_length=0.1,
        )
        self.curve = self.frame.axes.plot(
            lambda v: float(sigmoid(v)), color=t.color("probability"), stroke_width=4
        )
        self.add(self.frame, self.asymptote, self.curve)


class SigmoidRecap(LectureScene):
    """The sigmoid, its reading as a probability for two classes, and its derivative."""

    def construct(self) -> None:
        self.setup_stage()
        self.show_curve()
        self.squash()
        self.read_as_probability()
        self.show_derivative()
        self.takeaway()

    # -- state ---------------------------------------------------------------- #

    def z_shown(self) -> float:
        """The tracked logit, kept inside the plotted range."""
        return float(np.clip(self.z.get_value(), -self.extent, self.extent))

    def sigma(self) -> float:
        return float(sigmoid(self.z_shown()))

    def slope(self) -> float:
        return float(sigmoid_derivative(self.z_shown()))

    # -- building ------------------------------------------------------------- #

    def setup_stage(self) -> None:
        """Build every piece, laid out for the frame's shape; nothing is drawn yet."""
        p, t = self.params, self.theme
        self.extent = p.z_extent
        self.z = ValueTracker(0.0)
        #: Most ticks on a z axis: fewer where the plots are narrow (1:1, 9:16).
        self.x_ticks = 7 if self.is_narrow else 12
        prob, grad, muted = t.color("probability"), t.color("gradient"), t.color("muted")
        c1, c2 = self.class_color(0), self.class_color(1)
        name1, name2 = self.class_tex(0), self.class_tex(1)

        self.title_mob = self.title()
        self.formula = MathTex(r"\sigma(z)", "=", r"\frac{1}{1 + e^{-z}}", font_size=t.body_size)
        self.formula[0].set_color(prob)

        # Readouts of the moving point.
        size = t.label_size
        self.z_readout = Readout("z =", self.z_shown, font_size=size)
        self.s_readout = Readout(r"\sigma(z) =", self.sigma, decimals=3, font_size=size, color=prob)
        self.d_readout = Readout(
            r"\sigma'(z) =", self.slope, decimals=3, font_size=size, color=grad
        )
        self.readouts = VGroup(self.z_readout, self.s_readout, self.d_readout)
        self.readouts.arrange(DOWN, aligned_edge=LEFT, buff=0.18)

        # Two classes: P(class 1) = sigma(z), P(class 2) = 1 - sigma(z); they sum to 1.
        self.p1_line = keyed_tex(
            [(rf"P(\text{{{name1}}})", "P1"), ("=", "eq"), (r"\sigma(z)", "s1")],
            font_size=size,
            colors={"P1": c1, "s1": prob},
        )
        self.p2_line = keyed_tex(
            [(rf"P(\text{{{name2}}})", "P2"), ("=", "eq"), ("1 -", "one"), (r"\sigma(z)", "s2")],
            font_size=size,
            colors={"P2": c2, "s2": prob},
        )
        self.p_lines = VGroup(self.p1_line, self.p2_line).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        self.p2_line.shift((self.p1_line[1].get_x() - self.p2_line[1].get_x()) * RIGHT)
        self.sum_tag = Tex(r"together: $1$", font_size=t.small_size, color=t.color("accent"))
        self.bars = self.class_bar_panel(
            [0.5, 0.5], 2, width=2.4, height=1.5, value_range=(0, 1), decimals=2
        )
        # sigma' = sigma (1 - sigma), assembled from the two probability lines.
        self.d_formula = keyed_tex(
            [
                (r"\sigma'(z)", "ds"),
                ("=", "eq"),
                (r"\sigma(z)", "s1"),
                (r"\,\bigl(", "lp"),
                ("1 -", "one"),
                (r"\sigma(z)", "s2"),
                (r"\bigr)", "rp"),
            ],
            font_size=size,
            colors={"ds": grad, "s1": prob, "s2": prob},
        )

        # The moving point and its guides; the tangent and its slope below.
        self.z_dot = Dot(radius=0.07, color=t.color("text"))
        self.s_dot = Dot(radius=0.09, color=prob)
        self.v_guide, self.h_guide, self.d_guide = guide(muted), guide(muted), guide(muted)
        self.tangent = Line(LEFT, RIGHT, color=grad, stroke_width=3)
        self.d_dot = Dot(radius=0.08, color=grad)

        if self.is_portrait:
            self._layout_portrait()
        else:
            self._layout_side()
        self.axes = self.plot.frame.axes
        self._add_updaters()

    def _plots(self, width: float, height: float) -> None:
        """The sigmoid plot filling ``height`` (``self.plot``, shown first), the smaller
        one it becomes (``self.plot_small``) and the derivative plot under that, filling
        the same height. Built twice: the first build measures the room the numbers and
        names take."""
        overhead = PLOT_OVERHEAD
        for _ in range(3):
            self._build_plots(width, height, overhead)
            pair = VGroup(self.plot_small, self.d_plot)
            overhead += (pair.height - height) / 2
        # The first plot spans what the pair will span.
        grow = pair.height - self.plot.height
        self.plot = SigmoidPlot(self, width, self.plot.frame.axes.height + grow)
        self.plot.move_to(pair, UP)
        align_axes_x(self.plot, self.plot.frame, self.plot_small.frame)

    def _build_plots(self, width: float, height: float, overhead: float) -> None:
        t = self.theme
        self.plot = SigmoidPlot(self, width, height - overhead)
        shared = height - 2 * overhead - PLOT_GAP
        small = shared * PLOT_RATIO / (1 + PLOT_RATIO)
        self.plot_small = SigmoidPlot(self, width, small)
        self.d_frame = curve_axes(
            (-self.extent, self.extent),
            (0.0, 0.3),
            (0.0, 0.25),
            width=width,
            height=shared - small,
            x_name="z",
            y_name=r"\sigma'(z)",
            y_name_color=t.color("gradient"),
            color=t.color("muted"),
            font_size=t.small_size * 0.9,
            max_x_ticks=self.x_ticks,
        )
        self.d_curve = self.d_frame.axes.plot(
            lambda v: float(sigmoid_derivative(v)), color=t.color("gradient"), stroke_width=4
        )
        self.d_plot = VGroup(self.d_frame, self.d_curve)
        VGroup(self.plot_small, self.d_plot).arrange(DOWN, buff=PLOT_GAP)
        align_axes_x(self.d_plot, self.d_frame, self.plot_small.frame)

    def _layout_side(self) -> None:
        """16:9 and 1:1: the plots on the left, the formula, readouts and bars in a column
        at the right."""
        top = self.top_under_title(0.3)
        bottom = self.layout_bottom
        height = top - bottom
        share = 0.55 if not self.is_narrow else 0.5
        self._plots(self.usable_width * share, height)
        plots = VGroup(self.plot, self.plot_small, self.d_plot)
        self.fit(plots, self.usable_width * (share + 0.07), height)
        probability = VGroup(self.p_lines, self.bars, self.sum_tag).arrange(DOWN, buff=0.25)
        self.sum_tag.next_to(self.bars, DOWN, buff=0.2)
        side = VGroup(self.formula, self.readouts, probability, self.d_formula)
        side.arrange(DOWN, buff=0.45)
        self.fit(side, self.usable_width * (0.89 - share), height)
        layout = VGroup(plots, side).arrange(RIGHT, buff=0.45, aligned_edge=UP)
        layout.move_to([0, (top + bottom) / 2, 0])

    def _place_d_formula(self) -> None:
        """The derivative's formula in the top right corner of its plot, above the
        curve's flat tail."""
        self.fit(self.d_formula, 0.45 * self.d_frame.axes.width)
        corner = self.d_frame.c2p(self.extent, 0.3)
        self.d_formula.next_to(corner, DOWN + LEFT, buff=0)

    def _layout_portrait(self) -> None:
        """9:16: the formula over full-width plots as tall as the frame allows; below
        them the readouts over the probability lines, the bars beside them. Built at a
        portrait width, so the text and ticks stay large."""
        # Room at the sides for the highlight boxes around the readouts and the bars.
        scale = min(1.0, 0.94 * self.usable_width / PORTRAIT_WIDTH)
        top = self.top_under_title(0.25)
        height = (top - self.layout_bottom) / scale
        self.formula.scale(1.25)
        self.sum_tag.next_to(self.p_lines, DOWN, buff=0.2, aligned_edge=LEFT)
        words = VGroup(self.readouts, VGroup(self.p_lines, self.sum_tag))
        words.arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        lower = VGroup(words, self.bars).arrange(RIGHT, buff=0.5)
        self.fit(lower, PORTRAIT_WIDTH)
        room = height - self.formula.height - lower.height - 2 * 0.35
        for _ in range(2):  # the second build takes the height the first left over
            self._plots(PORTRAIT_WIDTH - 0.5, room)
            plots = VGroup(self.plot, self.plot_small, self.d_plot)
            room += height - (plots.height + self.formula.height + lower.height + 2 * 0.35)
        layout = VGroup(self.formula, plots, lower).arrange(DOWN, buff=0.35)
        layout.scale(scale)
        self.fit(layout, 0.94 * self.usable_width, top - self.layout_bottom)
        layout.next_to([0, top, 0], DOWN, buff=0)
        self.d_formula.scale(scale)
        # The plots are wide and low here: the derivative's formula goes in the row of
        # its axis name, above the plot, where it covers no curve.
        name = self.d_frame.y_name
        self.fit(self.d_formula, self.d_frame.axes.get_right()[0] - name.get_right()[0] - 0.3)
        self.d_formula.align_to(self.d_frame.axes, RIGHT).align_to(name, DOWN)

    def _add_updaters(self) -> None:
        d_axes = self.d_frame.axes

        def place(_: object) -> None:
            axes = self.axes
            z, s = self.z_shown(), self.sigma()
            self.z_dot.move_to(axes.c2p(z, 0))
            self.s_dot.move_to(axes.c2p(z, s))
            self.v_guide.set_points_as_corners([axes.c2p(z, 0), axes.c2p(z, s)])
            self.h_guide.set_points_as_corners([axes.c2p(-self.extent, s), axes.c2p(z, s)])
            slope = self.slope()
            half = TANGENT_HALF_WIDTH
            self.tangent.put_start_and_end_on(
                axes.c2p(z - half, s - half * slope), axes.c2p(z + half, s + half * slope)
            )
            self.d_dot.move_to(d_axes.c2p(z, slope))
            self.d_guide.set_points_as_corners([d_axes.c2p(z, 0), d_axes.c2p(z, slope)])
            self.bars.set_values([s, 1 - s])

        self.tracker_group = VGroup()
        self.tracker_group.add_updater(place)
        place(None)

    # -- story ---------------------------------------------------------------- #

    def show_curve(self) -> None:
        plot = self.plot
        with self.beat(
            "curve",
            "Meet the sigmoid. <mark:formula> Sigma of z is one over one plus e to the "
            "minus z: <mark:curve> it takes any logit z, any real number, <mark:bounds> "
            "and returns a value strictly between zero and one.",
        ):
            self.play_for(1.0, Write(self.title_mob))
            self.play_for(1.2, Create(plot.frame))
            self.at_mark("formula")
            self.play_for(1.5, Write(self.formula))
            self.at_mark("curve")
            self.play_for(2.0, Create(plot.curve))
            self.at_mark("bounds")
            self.play_for(0.8, Create(plot.asymptote))
            self.highlight(plot.asymptote, plot.frame.y_numbers)

    def squash(self) -> None:
        p = self.params
        low, high = p.sweep
        with self.beat(
            "squash",
            "Push z to the right <mark:right> and sigma creeps up toward one; "
            "<mark:left> pull it to the left and it sinks toward zero, <mark:never> "
            "but it never reaches either.",
        ):
            self.add(self.tracker_group)
            self.play_for(0.8, FadeIn(self.z_dot), FadeIn(self.s_dot))
            self.play_for(0.8, Create(self.v_guide), Create(self.h_guide))
            self.play_for(0.8, FadeIn(self.readouts[:2]))
            self.at_mark("right")
            self.play_for(2.5, self.z.animate.set_value(high), rate_func=smooth)
            self.at_mark("left")
            self.play_for(3.5, self.z.animate.set_value(low), rate_func=smooth)
            self.at_mark("never")
            self.highlight(self.s_readout)

    def read_as_probability(self) -> None:
        p = self.params
        high = p.sweep[1]
        with self.beat(
            "probability",
            f"With two classes, sigma of z is read as the probability of {self.class_name(0)}, "
            f"<mark:second> one minus sigma as the probability of {self.class_name(1)}, "
            "<mark:sum> and the two always add up to one.",
        ):
            self.play_for(1.2, Write(self.p1_line))
            self.play_for(1.0, FadeIn(self.bars))
            self.at_mark("second")
            second = TransformMatchingTex(self.p1_line.copy(), self.p2_line, key_map={"s1": "s2"})
            self.play_for(1.5, second)
            self.at_mark("sum")
            self.play_for(0.8, FadeIn(self.sum_tag, shift=0.1 * UP))
            self.play_for(2.0, self.z.animate.set_value(0.0), rate_func=smooth)
            self.highlight(self.bars, self.sum_tag)
            self.play_for(2.0, self.z.animate.set_value(0.4 * high), rate_func=smooth)

    def show_derivative(self) -> None:
        low, high = self.params.sweep
        with self.beat(
            "derivative",
            "The slope of the curve is sigma times one minus sigma, <mark:product> the "
            "product of the two probabilities: <mark:peak> a quarter at z equals zero, "
            "<mark:fade> and fading away as the curve flattens out.",
        ):
            # The plot makes room below for the derivative (the point follows it).
            self.play_for(1.2, Transform(self.plot, self.plot_small))
            self.play_for(1.0, Create(self.d_frame))
            self.at_mark("product")
            sources = VGroup(self.p1_line.copy(), self.p2_line.copy())
            self.play_for(1.5, TransformMatchingTex(sources, self.d_formula))
            self.add(self.tangent, self.d_dot, self.d_guide)
            self.play_for(
                1.5,
                Create(self.d_curve),
                FadeIn(self.readouts[2]),
                FadeIn(self.tangent),
                FadeIn(self.d_dot),
            )
            self.at_mark("peak")
            self.play_for(2.0, self.z.animate.set_value(0.0), rate_func=smooth)
            self.highlight(self.d_dot, self.d_readout)
            self.at_mark("fade")
            self.play_for(2.5, self.z.animate.set_value(low), rate_func=smooth)
            self.play_for(2.5, self.z.animate.set_value(0.8 * high), rate_func=smooth)

    def takeaway(self) -> None:
        with self.beat(
            "takeaway",
            "So the sigmoid turns one logit into the probabilities of two classes; the "
            "softmax will do the same for any number of classes.",
        ):
            self.close_with(
                r"The sigmoid squashes any logit $z$ into $(0, 1)$: "
                rf"$P(\text{{{self.class_tex(0)}}}) = \sigma(z)$, and its slope "
                r"$\sigma(1 - \sigma)$ is largest at $z = 0$.",
                keep=[self.formula, self.d_formula],
            )
