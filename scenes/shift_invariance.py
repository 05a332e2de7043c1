"""Chapter 3, ShiftInvariance: adding one constant to every logit changes nothing.

The logits move together by c (both signs) while the probabilities stand still; the
algebra shows e^c factoring out of the numerator and the sum and cancelling; the
numeric example e^2/(e^2+e^3+e^5) = e^1002/(e^1002+e^1003+e^1005) is evaluated stably
(subtracting the largest logit first), with a note on why the naive way fails.

Render: ``.venv/bin/manim -ql scenes/shift_invariance.py ShiftInvariance``
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Create,
    FadeIn,
    FadeOut,
    LaggedStart,
    Line,
    MathTex,
    Tex,
    ValueTracker,
    VGroup,
    Write,
    smooth,
)

from softmax_math import softmax
from softmax_video.core.chapters import find_chapter
from softmax_video.kit.lecture_scene import LectureScene
from softmax_video.kit.widgets import Readout, format_number, logit_range

__all__ = ["ShiftInvariance", "exp_sum_tex", "float_exponent_limits"]

#: Landscape: size of each panel box (scene units).
PANEL_SIZE = (4.0, 2.5)
#: How much larger the panels may be drawn before the algebra needs the room.
MAX_ENLARGE = 1.5
#: Probability decimals in the numeric example.
EXAMPLE_DECIMALS = 4


def float_exponent_limits() -> tuple[float, float]:
    """``(low, high)``: e^x underflows to 0 below ``low`` and overflows above ``high`` in float64.

    Examples
    --------
    >>> low, high = float_exponent_limits()
    >>> round(low, 1), round(high, 1)
    (-744.4, 709.8)
    """
    info = np.finfo(np.float64)
    return math.log(float(info.smallest_subnormal)), math.log(float(info.max))


def exp_sum_tex(exponents: Sequence[float], decimals: int = 2) -> str:
    """``e^{a}+e^{b}+...`` for the given exponents.

    Examples
    --------
    >>> exp_sum_tex([2.0, 3.0, float("-inf")])
    'e^{2}+e^{3}+e^{-\\\\infty}'
    """
    return "+".join(f"e^{{{format_number(v, decimals)}}}" for v in exponents)


def fraction_tex(numerator_exponent: str, denominator: str, size: float, color) -> MathTex:
    """``e^{a} / denominator`` with the numerator in ``color``."""
    tex = MathTex(r"\frac{", f"e^{{{numerator_exponent}}}", "}{", denominator, "}", font_size=size)
    tex[1].set_color(color)
    return tex


class ShiftInvariance(LectureScene):
    """All logits shifted by one constant: the softmax output does not move."""

    def construct(self) -> None:
        p = self.params
        self.logits = np.array(p.logits, dtype=float)
        self.count = len(self.logits)
        self.c = ValueTracker(0.0)
        self._build()
        self._story()

    def shifted(self) -> np.ndarray:
        """The logits plus the tracked constant (``-inf`` stays ``-inf``)."""
        return self.logits + self.c.get_value()

    # -- building ------------------------------------------------------------- #

    def _build(self) -> None:
        t = self.theme
        p = self.params
        width, height = PANEL_SIZE
        if self.is_portrait:
            width, height = self.usable_width * 0.95, 1.2
        size = {"width": width, "height": height}
        low, high = p.shift_range
        every = [v + c for v in self.logits for c in (low, 0.0, high)]
        self.logit_panel = self.class_bar_panel(
            self.logits, self.count, value_range=logit_range(every), style="stem", **size
        )
        self.prob_panel = self.class_bar_panel(
            softmax(self.logits), self.count, value_range=(0, 1), decimals=3, **size
        )
        self.title_mob = self.title(find_chapter(p.SECTION).title)

        size = t.body_size * 0.85
        self.logit_header = MathTex(r"z_i + c", font_size=size)
        self.c_readout = Readout(
            "c =", lambda: self.c.get_value(), font_size=t.label_size, color=t.color("accent")
        )
        self.c_readout.label.set_color(t.color("accent"))
        prob_header = MathTex(r"\mathrm{softmax}(z + c)_i", font_size=size)
        self.logit_block = VGroup(
            self.logit_panel,
            VGroup(self.logit_header, self.c_readout)
            .arrange(RIGHT, buff=0.5)
            .next_to(self.logit_panel.box, UP, buff=0.45),
        )
        self.prob_block = VGroup(
            self.prob_panel, prob_header.next_to(self.prob_panel.box, UP, buff=0.45)
        )
        blocks = VGroup(self.logit_block, self.prob_block)
        if self.is_portrait:
            blocks.arrange(DOWN, buff=0.6)
        else:
            blocks.arrange(RIGHT, buff=1.4, aligned_edge=DOWN)
        self.arrow = self._arrow()

        self.algebra = self._algebra()
        self.example = self._example()

        top = self.title_mob.get_bottom()[1] - 0.25
        bottom = self.layout_bottom
        upper = VGroup(blocks, self.arrow)
        share = 0.47 if self.is_portrait else 0.58
        self.fit(upper, self.usable_width, (top - bottom) * share)
        upper.move_to([0, top - upper.height / 2, 0])
        room = upper.get_bottom()[1] - 0.3 - bottom
        for group in (self.algebra, self.example):
            self.fit(group, self.usable_width, room)
            group.move_to([0, bottom + room / 2, 0])
        # Until the algebra arrives the panels get the whole frame.
        self.upper = upper
        self.compact_center = upper.get_center()
        self.enlarge = min(
            MAX_ENLARGE, self.usable_width / upper.width, (top - bottom - 0.3) / upper.height
        )
        upper.scale(self.enlarge).move_to([0, (top + bottom) / 2, 0])

        self.logit_panel.track(self.shifted)
        self.prob_panel.track(lambda: softmax(self.shifted()))

    def _arrow(self) -> VGroup:
        muted = self.theme.color("muted")
        source, target = self.logit_panel.box, self.prob_panel.box
        label = MathTex(r"\mathrm{softmax}", font_size=self.theme.small_size, color=muted)
        if self.is_portrait:
            x = source.get_left()[0] + 0.15
            start = [x, self.logit_panel.class_labels.get_bottom()[1] - 0.05, 0]
            end = [x, self.prob_block[1].get_top()[1] + 0.05, 0]
            arrow = Arrow(start, end, buff=0, color=muted, stroke_width=3)
            label.next_to(arrow, RIGHT, buff=0.1)
        else:
            y = source.get_center()[1]
            arrow = Arrow(
                [source.get_right()[0] + 0.15, y, 0],
                [target.get_left()[0] - 0.15, y, 0],
                buff=0,
                color=muted,
                stroke_width=3,
            )
            label.next_to(arrow, UP, buff=0.1)
        return VGroup(arrow, label)

    def _algebra(self) -> VGroup:
        """softmax(z+c)_i = e^{z_i+c}/sum = e^c e^{z_i} / (e^c sum) = softmax(z)_i."""
        t = self.theme
        size = t.body_size
        accent = t.color("accent")
        lhs = MathTex(r"\mathrm{softmax}(z + c)_i", "=", font_size=size)
        first = MathTex(r"\frac{e^{z_i + c}}{\sum_j e^{z_j + c}}", "=", font_size=size)
        factored = MathTex(
            r"\frac{",
            r"e^{c}",
            r"\, e^{z_i}}{",
            r"e^{c}",
            r"\, \sum_j e^{z_j}}",
            "=",
            font_size=size,
        )
        factored[1].set_color(accent)
        factored[3].set_color(accent)
        rhs = MathTex(
            r"\frac{e^{z_i}}{\sum_j e^{z_j}}", "=", r"\mathrm{softmax}(z)_i", font_size=size
        )
        pieces = [lhs, first, factored, rhs]
        if self.is_narrow:  # two rows
            rows = VGroup(VGroup(lhs, first), VGroup(factored, rhs))
            for row in rows:
                row.arrange(RIGHT, buff=0.2)
            group = rows.arrange(DOWN, buff=0.3, aligned_edge=LEFT)
        else:
            group = VGroup(*pieces).arrange(RIGHT, buff=0.2)
        crosses = VGroup()
        for part in (factored[1], factored[3]):
            crosses.add(
                Line(
                    part.get_corner(DOWN + LEFT),
                    part.get_corner(UP + RIGHT),
                    color=t.color("highlight"),
                    stroke_width=3,
                )
            )
        note = Tex(
            r"$e^{a+b} = e^a e^b$: the factor $e^c$ is in every term,"
            + self._break()
            + "so it cancels.",
            font_size=t.label_size,
            color=t.color("muted"),
        )
        note.next_to(group, DOWN, buff=0.35)
        self.fit(note, self.usable_width)
        self.algebra_parts = (lhs, first, factored, rhs, crosses, note)
        return VGroup(group, crosses, note)

    def _example(self) -> VGroup:
        """The storyboard's numeric example, from the params, evaluated stably."""
        t = self.theme
        size = t.body_size
        shift = self.params.shift_example
        z = self.logits
        big = z + shift
        top_logit = float(np.max(big))
        stable = big - top_logit
        p_small = float(softmax(z)[0])
        p_big = float(softmax(big)[0])  # softmax_math subtracts the max itself
        color = self.class_color(0)
        plain = VGroup(
            fraction_tex(format_number(z[0]), exp_sum_tex(z), size, color),
            MathTex("=", font_size=size),
            fraction_tex(format_number(big[0]), exp_sum_tex(big), size, color),
            MathTex("=", font_size=size),
            MathTex(f"{p_big:.{EXAMPLE_DECIMALS}f}", font_size=size, color=t.color("accent")),
        ).arrange(RIGHT, buff=0.2)
        low, high = float_exponent_limits()
        if top_logit > high:
            problem = (
                rf"$e^{{{format_number(top_logit)}}}$ overflows a float64 "
                rf"(above $e^{{{high:.1f}}}$)," + self._break() + "so code subtracts the "
                "largest logit first:"
            )
        elif top_logit < low:
            problem = (
                rf"$e^{{{format_number(top_logit)}}}$ underflows to 0 in a float64,"
                + self._break()
                + "so code subtracts the largest logit first:"
            )
        else:
            problem = "Stable code subtracts the largest logit first:"
        note = Tex(problem, font_size=t.label_size, color=t.color("muted"))
        shifted = VGroup(
            fraction_tex(format_number(stable[0]), exp_sum_tex(stable), size, color),
            MathTex("=", font_size=size),
            MathTex(f"{p_small:.{EXAMPLE_DECIMALS}f}", font_size=size, color=t.color("accent")),
        ).arrange(RIGHT, buff=0.2)
        if self.is_portrait:
            plain.arrange(DOWN, buff=0.2)
        group = VGroup(plain, note, shifted).arrange(DOWN, buff=0.35)
        for mob in group:
            self.fit(mob, self.usable_width)
        self.example_parts = (plain, note, shifted)
        return group

    def _break(self) -> str:
        """A line break in portrait (narrow frames), a space otherwise."""
        return r" \\ " if self.is_portrait else " "

    # -- story ---------------------------------------------------------------- #

    def _story(self) -> None:
        low, high = self.params.shift_range
        with self.beat(
            "setup",
            "Take a few logits and their softmax probabilities.",
        ):
            self.play_for(1.0, Write(self.title_mob))
            self.add(self.logit_block, self.prob_block)
            self.play_for(
                2.0,
                LaggedStart(
                    FadeIn(self.logit_block, shift=0.2 * UP),
                    Create(self.arrow[0]),
                    FadeIn(self.arrow[1]),
                    FadeIn(self.prob_block, shift=0.2 * UP),
                    lag_ratio=0.3,
                ),
            )
            self.pause(2.5)

        with self.beat(
            "shift",
            "Now add the same constant c to every logit, up or down: the probabilities do "
            "not move at all.",
        ):
            self.play_for(3.0, self.c.animate.set_value(high), rate_func=smooth)
            self.pause(0.8)
            self.play_for(4.5, self.c.animate.set_value(low), rate_func=smooth)
            self.pause(1.0)

        lhs, first, factored, rhs, crosses, note = self.algebra_parts
        with self.beat(
            "algebra",
            "The reason: e to the z plus c is e to the c times e to the z, so the same factor "
            "sits in the numerator and in every term of the sum, and cancels.",
        ):
            self.play_for(
                1.0, self.upper.animate.scale(1 / self.enlarge).move_to(self.compact_center)
            )
            self.play_for(2.0, Write(lhs), Write(first))
            self.play_for(2.0, Write(factored))
            self.play_for(1.2, Create(crosses[0]), Create(crosses[1]))
            self.play_for(1.5, Write(rhs))
            self.play_for(1.0, FadeIn(note))
            self.pause(1.3)

        plain, problem, shifted = self.example_parts
        exponents = ", ".join(format_number(v) for v in self.logits)
        with self.beat(
            "numeric",
            f"So the fraction with exponents {exponents} equals the one with "
            f"{format_number(self.params.shift_example)} added to every exponent, and stable "
            "code relies on exactly this.",
        ):
            self.play_for(1.0, FadeOut(self.algebra))
            self.play_for(2.5, Write(plain))
            self.pause(1.5)
            self.play_for(1.0, FadeIn(problem))
            self.play_for(2.0, Write(shifted))
            self.pause(2.5)
