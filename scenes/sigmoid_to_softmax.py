"""Chapter 5, SigmoidToSoftmax: the 2-class softmax is the sigmoid of the difference.

e^{z1}/(e^{z1}+e^{z2}) is rewritten piece by piece (index-matched transforms): divide
top and bottom by e^{z1}, combine the exponents, pull out the minus sign, and read off
sigma(z1 - z2). Then p1 is plotted against z1 for a fixed z2, computed with the
softmax, and the shifted sigmoid is drawn over it: the two curves coincide.

Render: ``.venv/bin/manim -ql scenes/sigmoid_to_softmax.py SigmoidToSoftmax``
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import (
    DOWN,
    LEFT,
    ORIGIN,
    RIGHT,
    UP,
    Animation,
    Axes,
    Create,
    DashedLine,
    DashedVMobject,
    Dot,
    FadeIn,
    FadeOut,
    Line,
    MathTex,
    ReplacementTransform,
    Tex,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    smooth,
)

from softmax_math import sigmoid, softmax
from softmax_video.core.chapters import find_chapter
from softmax_video.core.text import tick_step
from softmax_video.kit.lecture_scene import LectureScene
from softmax_video.kit.widgets import Readout, edge_y_labels, format_number

__all__ = ["SigmoidToSoftmax", "StackedFraction", "minus_tex", "two_class_curves"]

#: Points per plotted curve.
CURVE_SAMPLES = 241
#: Landscape plot size (scene units).
PLOT_SIZE = (8.0, 3.6)
#: How much larger the derivation is drawn before the plot needs the room.
DERIVATION_ENLARGE = 1.35


def two_class_curves(z1: np.ndarray, z2: float) -> tuple[np.ndarray, np.ndarray]:
    """``(softmax([z1, z2])_1, sigmoid(z1 - z2))`` for every ``z1``; equal up to rounding.

    Examples
    --------
    >>> a, b = two_class_curves(np.linspace(-5, 7, 5), 1.0)
    >>> bool(np.allclose(a, b, rtol=0, atol=1e-15))
    True
    """
    z1 = np.asarray(z1, dtype=float)
    logits = np.stack([z1, np.full_like(z1, z2)], axis=-1)
    return softmax(logits)[:, 0], sigmoid(z1 - z2)


def minus_tex(symbol: str, value: float) -> str:
    """``symbol - value`` as LaTeX with the sign folded in.

    Examples
    --------
    >>> [minus_tex("z_1", v) for v in (1.0, -10.0, 0.0)]
    ['z_1 - 1', 'z_1 + 10', 'z_1']
    """
    if value == 0:
        return symbol
    sign = "-" if value > 0 else "+"
    return f"{symbol} {sign} {format_number(abs(value))}"


class StackedFraction(VGroup):
    """``prefix`` then a built-up fraction of two ``MathTex`` rows (pieces addressable).

    The numerator and denominator are ``MathTex`` objects made of several tex strings,
    so a derivation can transform piece ``i`` of one step into piece ``j`` of the next.

    Parameters
    ----------
    prefix
        Tex strings left of the fraction (e.g. ``["p_1", "="]``).
    numerator, denominator
        Tex strings of the numerator and denominator pieces.
    font_size
        Font size of everything.
    """

    def __init__(
        self,
        prefix: Sequence[str],
        numerator: Sequence[str],
        denominator: Sequence[str],
        *,
        font_size: float = 40,
    ) -> None:
        super().__init__()
        self.prefix = MathTex(*prefix, font_size=font_size)
        self.numerator = MathTex(*numerator, font_size=font_size)
        self.denominator = MathTex(*denominator, font_size=font_size)
        width = max(self.numerator.width, self.denominator.width) + 0.2
        self.bar = Line(LEFT * width / 2, RIGHT * width / 2, stroke_width=2.5)
        self.bar.set_color(self.prefix.get_color())
        gap = 0.1 * font_size / 40
        self.numerator.next_to(self.bar, UP, buff=gap)
        self.denominator.next_to(self.bar, DOWN, buff=gap)
        self.prefix.next_to(self.bar, LEFT, buff=0.2)
        # The "=" sits on the math axis, which is the fraction bar's height.
        self.prefix.shift((self.bar.get_y() - self.prefix[-1].get_y()) * UP)
        self.add(self.prefix, self.numerator, self.bar, self.denominator)


def piece_transforms(
    source: MathTex, target: MathTex, mapping: Sequence[tuple[Sequence[int], int]]
) -> list[Animation]:
    """Transforms of source pieces into target pieces; unmapped target pieces fade in.

    ``mapping`` holds ``(source indices, target index)`` pairs; unmapped source pieces
    fade out.
    """
    animations: list[Animation] = []
    used_source: set[int] = set()
    used_target: set[int] = set()
    for indices, j in mapping:
        parts = VGroup(*(source[i] for i in indices))
        animations.append(ReplacementTransform(parts, target[j]))
        used_source.update(indices)
        used_target.add(j)
    animations += [FadeOut(source[i]) for i in range(len(source)) if i not in used_source]
    animations += [
        FadeIn(target[j], shift=0.1 * DOWN) for j in range(len(target)) if j not in used_target
    ]
    return animations


class SigmoidToSoftmax(LectureScene):
    """Derivation: 2-class softmax = sigmoid of the difference; then both curves coincide."""

    def construct(self) -> None:
        p = self.params
        self.z2 = p.fixed_logit
        self.extent = p.z1_extent
        self.z1 = ValueTracker(self.z2 - 0.6 * self.extent)
        self._build()
        self._story()

    # -- building ------------------------------------------------------------- #

    def _steps(self) -> list[StackedFraction]:
        size = self.theme.body_size * 1.15
        z1, z2 = r"e^{z_1}", r"e^{z_2}"
        over = r"\,/\,"
        steps = [
            StackedFraction(["p_1", "="], [z1], [z1, "+", z2], font_size=size),
            StackedFraction(
                ["p_1", "="], [z1, over, z1], [z1, over, z1, "+", z2, over, z1], font_size=size
            ),
            StackedFraction(["p_1", "="], ["1"], ["1", "+", r"e^{z_2 - z_1}"], font_size=size),
            StackedFraction(["p_1", "="], ["1"], ["1", "+", r"e^{-(z_1 - z_2)}"], font_size=size),
        ]
        c1, c2, accent = self.class_color(0), self.class_color(1), self.theme.color("accent")
        steps[0].numerator[0].set_color(c1)
        steps[0].denominator[0].set_color(c1)
        steps[0].denominator[2].set_color(c2)
        steps[0].prefix[0].set_color(c1)
        one = steps[1]
        for piece in (one.numerator[0], one.denominator[0]):
            piece.set_color(c1)
        one.denominator[4].set_color(c2)
        for piece in (one.numerator[1:], one.denominator[1:3], one.denominator[5:]):
            piece.set_color(accent)
        for step in steps[1:]:
            step.prefix[0].set_color(c1)
        # Every step keeps its "p_1 =" where the first one has it.
        anchor = steps[0].prefix.get_center()
        for step in steps[1:]:
            step.shift(anchor - step.prefix.get_center())
        return steps

    def _build(self) -> None:
        t = self.theme
        muted, accent = t.color("muted"), t.color("accent")
        c1 = self.class_color(0)
        self.title_mob = self.title(find_chapter(self.params.SECTION).title)
        self.steps = self._steps()
        self.sigma_tail = MathTex("=", r"\sigma(z_1 - z_2)", font_size=t.body_size * 1.15)
        self.sigma_tail[1].set_color(accent)
        final = self.steps[-1]
        self.sigma_tail.next_to(final.bar, RIGHT, buff=0.25)
        self.sigma_tail.shift((final.bar.get_y() - self.sigma_tail[0].get_y()) * UP)
        notes = [
            r"divide the top and the bottom by $e^{z_1}$",
            r"combine the exponents: $e^{a} / e^{b} = e^{a - b}$",
            r"take out the minus sign: the sigmoid of $z_1 - z_2$",
        ]
        self.notes = [Tex(n, font_size=t.label_size, color=muted) for n in notes]

        # Derivation block at the top: all steps share one place, fitted to the widest.
        derivation = VGroup(*self.steps, self.sigma_tail)
        top = self.title_mob.get_bottom()[1] - 0.3
        self.fit(derivation, self.usable_width, 2.2)
        derivation.next_to([0, top, 0], DOWN, buff=0)
        derivation.set_x(0)
        for note in self.notes:
            self.fit(note, self.usable_width)
            note.next_to(derivation, DOWN, buff=0.3)

        # The plot: p_1 from the softmax against z_1, and the shifted sigmoid over it.
        lo, hi = self.z2 - self.extent, self.z2 + self.extent
        width, height = PLOT_SIZE
        if self.is_portrait:
            width, height = self.usable_width * 0.9, 2.6
        step = tick_step(2 * self.extent, 12, smallest=1.0)
        first_tick = np.ceil(lo / step) * step
        self.axes = Axes(
            x_range=[lo, hi, step],
            y_range=[0, 1, 0.5],
            x_length=width,
            y_length=height,
            tips=False,
            axis_config={"color": muted, "stroke_width": 2},
        )
        size = t.small_size * 0.85
        self.axes.x_axis.add_numbers(
            [v for v in np.arange(first_tick, hi + 1e-9, step) if abs(v) > 1e-9],
            font_size=size,
            num_decimal_places=0 if float(step).is_integer() else 1,
        )
        y_labels = edge_y_labels(self.axes, (0.5, 1.0), font_size=size, color=muted)
        x_label = MathTex("z_1", font_size=t.label_size, color=muted)
        x_label.next_to(self.axes.c2p(hi, 0), UP + LEFT, buff=0.12)
        z1 = np.linspace(lo, hi, CURVE_SAMPLES)
        p_soft, p_sig = two_class_curves(z1, self.z2)
        self.soft_curve = VMobject(stroke_color=c1, stroke_width=7)
        self.soft_curve.set_points_as_corners(self._pts(z1, p_soft))
        sig_line = VMobject(stroke_color=accent, stroke_width=3)
        sig_line.set_points_as_corners(self._pts(z1, p_sig))
        self.sig_curve = DashedVMobject(sig_line, num_dashes=48, dashed_ratio=0.55)
        self.half_line = DashedLine(
            self.axes.c2p(self.z2, 0),
            self.axes.c2p(self.z2, 1),
            color=muted,
            stroke_width=1.5,
            dash_length=0.08,
        )
        half_label = MathTex(
            rf"z_1 = z_2 = {format_number(self.z2)}", font_size=t.small_size, color=muted
        )
        half_label.next_to(self.axes.c2p(self.z2, 1), UP + RIGHT, buff=0.08)
        self.half = VGroup(self.half_line, half_label)
        self.plot = VGroup(self.axes, y_labels, x_label)

        legend_size = t.label_size
        self.legend = VGroup(
            VGroup(
                Line(ORIGIN, 0.5 * RIGHT, color=c1, stroke_width=7),
                MathTex(
                    rf"\mathrm{{softmax}}(z_1, {format_number(self.z2)})_1",
                    font_size=legend_size,
                ),
            ).arrange(RIGHT, buff=0.15),
            VGroup(
                DashedLine(ORIGIN, 0.5 * RIGHT, color=accent, stroke_width=3, dash_length=0.08),
                MathTex(rf"\sigma({minus_tex('z_1', self.z2)})", font_size=legend_size),
            ).arrange(RIGHT, buff=0.15),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)

        # The moving check: both values computed separately, shown side by side.
        self.dot = Dot(radius=0.09, color=t.color("text"))
        self.soft_readout = Readout(
            r"\mathrm{softmax} =",
            lambda: float(two_class_curves(np.array([self.z1.get_value()]), self.z2)[0][0]),
            decimals=4,
            font_size=legend_size,
            color=c1,
        )
        self.sig_readout = Readout(
            r"\sigma =",
            lambda: float(sigmoid(self.z1.get_value() - self.z2)),
            decimals=4,
            font_size=legend_size,
            color=accent,
        )
        self.z1_readout = Readout("z_1 =", self.z1.get_value, font_size=legend_size)
        readouts = VGroup(self.z1_readout, self.soft_readout, self.sig_readout).arrange(
            DOWN, aligned_edge=LEFT, buff=0.15
        )
        side = VGroup(self.legend, readouts)
        if self.is_portrait:  # legend and readouts side by side: the plot gets the height
            side.arrange(RIGHT, aligned_edge=UP, buff=0.5)
        else:
            side.arrange(DOWN, aligned_edge=LEFT, buff=0.45)
        graph = VGroup(self.plot, self.half, self.soft_curve, self.sig_curve)
        if self.is_portrait:
            body = VGroup(graph, side).arrange(DOWN, buff=0.4)
        else:
            body = VGroup(graph, side).arrange(RIGHT, buff=0.6)
        bottom = self.layout_bottom
        room_top = self.notes[0].get_bottom()[1] - 0.35
        self.fit(body, self.usable_width, room_top - bottom)
        body.move_to([0, (room_top + bottom) / 2, 0])
        self.side = side

        def place(dot: Dot) -> None:
            x = self.z1.get_value()
            p1 = float(two_class_curves(np.array([x]), self.z2)[0][0])
            dot.move_to(self.axes.c2p(x, p1))

        self.dot.add_updater(place)
        place(self.dot)

        # Until the plot arrives the derivation is drawn larger, in the middle of the frame.
        everything = VGroup(derivation, *self.notes)
        self.compact_center = everything.get_center()
        self.enlarge = min(
            DERIVATION_ENLARGE, self.usable_width / everything.width, 3.0 / everything.height
        )
        middle = (top + self.layout_bottom) / 2
        everything.scale(self.enlarge).move_to([0, middle, 0])
        self.big_center = everything.get_center()

    def _pts(self, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        return np.array([self.axes.c2p(x, y) for x, y in zip(xs, ys, strict=True)])

    # -- story ---------------------------------------------------------------- #

    def _story(self) -> None:
        s0, s1, s2, s3 = self.steps
        with self.beat(
            "two-classes",
            "With two classes, the softmax gives class one the share e to the z one over "
            "e to the z one plus e to the z two.",
        ):
            self.play_for(1.0, Write(self.title_mob))
            self.play_for(2.0, Write(s0))
            self.pause(2.5)

        with self.beat(
            "divide",
            "Divide the top and the bottom by e to the z one; the value does not change.",
        ):
            self.play_for(
                2.0,
                *piece_transforms(s0.numerator, s1.numerator, [([0], 0)]),
                *piece_transforms(s0.denominator, s1.denominator, [([0], 0), ([1], 3), ([2], 4)]),
                ReplacementTransform(s0.bar, s1.bar),
                ReplacementTransform(s0.prefix, s1.prefix),
                FadeIn(self.notes[0]),
            )
            self.pause(2.5)

        with self.beat(
            "combine",
            "The exponents combine, and what is left is the sigmoid of the difference, "
            "z one minus z two.",
        ):
            self.play_for(
                2.0,
                *piece_transforms(s1.numerator, s2.numerator, [([0, 1, 2], 0)]),
                *piece_transforms(
                    s1.denominator, s2.denominator, [([0, 1, 2], 0), ([3], 1), ([4, 5, 6], 2)]
                ),
                ReplacementTransform(s1.bar, s2.bar),
                ReplacementTransform(s1.prefix, s2.prefix),
                ReplacementTransform(self.notes[0], self.notes[1]),
            )
            self.pause(1.5)
            self.play_for(
                1.5,
                *piece_transforms(s2.numerator, s3.numerator, [([0], 0)]),
                *piece_transforms(s2.denominator, s3.denominator, [([0], 0), ([1], 1), ([2], 2)]),
                ReplacementTransform(s2.bar, s3.bar),
                ReplacementTransform(s2.prefix, s3.prefix),
                ReplacementTransform(self.notes[1], self.notes[2]),
            )
            self.play_for(1.2, Write(self.sigma_tail))
            self.pause(1.8)

        z2 = format_number(self.z2)
        with self.beat(
            "plot",
            f"Plot p one against z one with z two held at {z2}: the softmax curve lies "
            "exactly on the sigmoid shifted to where z one equals z two.",
        ):
            shown = VGroup(s3, self.sigma_tail, self.notes[2])
            self.play_for(
                1.2,
                shown.animate.shift(self.compact_center - self.big_center).scale(
                    1 / self.enlarge, about_point=self.compact_center
                ),
            )
            self.play_for(1.5, Create(self.plot[0]), FadeIn(self.plot[1:]))
            self.play_for(2.0, Create(self.soft_curve), FadeIn(self.legend[0]))
            self.play_for(2.0, Create(self.sig_curve), FadeIn(self.legend[1]))
            self.play_for(1.0, FadeIn(self.half))
            self.add(self.dot)
            self.play_for(0.6, FadeIn(self.dot), FadeIn(self.side[1]))
            self.play_for(
                4.0,
                self.z1.animate.set_value(self.z2 + 0.5 * self.extent),
                rate_func=smooth,
            )
            self.pause(1.0)
