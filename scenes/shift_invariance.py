"""Chapter 3, ShiftInvariance: adding one constant to every logit changes nothing.

The logits move together by c (both signs); every exponential bar is multiplied by the
same e^c (all grow or shrink together, on a fixed axis) while the probabilities stand
still. The algebra, one formula morphing step by step (matching parts move), shows e^c
factoring out of the numerator and the sum and cancelling; the numeric example
e^2/(e^2+e^3+e^5) = e^1002/(e^1002+e^1003+e^1005), on the same logits as the panels, is
evaluated stably (subtracting the largest logit first), with a note on why the naive
way fails.

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
    Line,
    MathTex,
    Tex,
    TransformMatchingTex,
    ValueTracker,
    VGroup,
    Write,
    smooth,
)

from softmax_math import softmax
from softmax_math.rounding import round_to_total
from softmax_video.kit.lecture_scene import LectureScene
from softmax_video.kit.widgets import Readout, format_number, logit_range

__all__ = ["ShiftInvariance", "exp_offset", "exp_sum_tex", "float_exponent_limits"]

#: Landscape: size of each panel box (scene units).
PANEL_SIZE = (3.4, 2.6)
#: Portrait: panel box width and height before fitting.
PORTRAIT_PANEL_SIZE = (4.2, 1.25)
#: How much larger the panels may be drawn before the algebra needs the room.
MAX_ENLARGE = 1.5
#: Probability decimals in the panel and in the numeric example.
PANEL_DECIMALS = 3
EXAMPLE_DECIMALS = 4
#: Largest c whose e^c the readout writes out in digits.
READOUT_MAX_EXPONENT = 13.0
#: Above this exponent the exponential panel draws e^{z + c - m} (numbers stay short).
EXP_ABSOLUTE_MAX = 9.0


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


def exp_offset(logits: Sequence[float], shift_range: tuple[float, float]) -> float:
    """What the exponential panel subtracts from every exponent: 0 while ``e^{z + c}``
    stays readable over the whole sweep, else the largest ``z + c`` of the sweep.

    Examples
    --------
    >>> exp_offset([2.0, 3.0, 5.0], (-1.0, 1.0))
    0.0
    >>> exp_offset([2.0, 1000.0, float("-inf")], (-3.0, 3.0))
    1003.0
    """
    finite = [v for v in logits if math.isfinite(v)] or [0.0]
    top = max(finite) + shift_range[1]
    return float(top) if top > EXP_ABSOLUTE_MAX else 0.0


def fraction_tex(numerator_exponent: str, denominator: str, size: float, color) -> MathTex:
    """``e^{a} / denominator`` with the numerator in ``color``."""
    tex = MathTex(r"\frac{", f"e^{{{numerator_exponent}}}", "}{", denominator, "}", font_size=size)
    tex[1].set_color(color)
    return tex


class ShiftInvariance(LectureScene):
    """All logits shifted by one constant: the softmax output does not move."""

    def construct(self) -> None:
        self.setup_stage()
        self.show_setup()
        self.shift_all()
        self.show_algebra()
        self.show_numbers()
        self.takeaway()

    def shifted(self) -> np.ndarray:
        """The logits plus the tracked constant (``-inf`` stays ``-inf``)."""
        return self.logits + self.c.get_value()

    def factor(self) -> float:
        """``e^c`` as its readout shows it (beyond ``e^13`` the digits would not fit: inf)."""
        c = self.c.get_value()
        return math.exp(c) if c <= READOUT_MAX_EXPONENT else math.inf

    def exps(self) -> np.ndarray:
        """The exponential panel's values: ``e^{z + c - offset}``."""
        return np.exp(self.shifted() - self.offset)

    # -- building ------------------------------------------------------------- #

    def setup_stage(self) -> None:
        p = self.params
        self.logits = np.array(p.logits, dtype=float)
        self.count = len(self.logits)
        self.c = ValueTracker(0.0)
        self.offset = exp_offset(self.logits, p.shift_range)
        self._build()

    def _build(self) -> None:
        t = self.theme
        p = self.params
        width, height = PORTRAIT_PANEL_SIZE if self.is_portrait else PANEL_SIZE
        size = {"width": width, "height": height}
        low, high = p.shift_range
        every = [v + c for v in self.logits for c in (low, 0.0, high)]
        self.logit_panel = self.class_bar_panel(
            self.logits, self.count, value_range=logit_range(every), style="stem", **size
        )
        finite = [v for v in self.logits if math.isfinite(v)] or [0.0]
        exp_top = math.exp(max(finite) + high - self.offset)
        self.exp_panel = self.class_bar_panel(
            self.exps(), self.count, value_range=(0, exp_top), **size
        )
        self.prob_panel = self.class_bar_panel(
            softmax(self.logits),
            self.count,
            value_range=(0, 1),
            decimals=PANEL_DECIMALS,
            label_values=lambda v: round_to_total(v, PANEL_DECIMALS),
            **size,
        )
        self.title_mob = self.title()

        accent = t.color("accent")
        self.c_readout = Readout(
            "c =", lambda: self.c.get_value(), font_size=t.label_size, color=accent
        )
        self.c_readout.label.set_color(accent)
        self.factor_readout = Readout(
            r"e^{c} =",
            self.factor,
            font_size=t.label_size,
            color=accent,
        )
        self.factor_readout.label.set_color(accent)
        shift = rf" - {format_number(self.offset)}" if self.offset else ""
        self.logit_block = self._block(self.logit_panel, r"z_i + c", self.c_readout)
        self.exp_block = self._block(self.exp_panel, rf"e^{{z_i + c{shift}}}", self.factor_readout)
        self.prob_block = self._block(self.prob_panel, r"\mathrm{softmax}(z + c)_i", None)
        blocks = VGroup(self.logit_block, self.exp_block, self.prob_block)
        square = self.is_narrow and not self.is_portrait
        if self.is_portrait:
            blocks.arrange(DOWN, buff=0.55)
        elif square:  # logits and exponentials in a row, the probabilities under the latter
            VGroup(self.logit_block, self.exp_block).arrange(RIGHT, buff=0.9, aligned_edge=DOWN)
            self.prob_block.next_to(self.exp_block, DOWN, buff=0.6)
        else:
            blocks.arrange(RIGHT, buff=0.9, aligned_edge=DOWN)
        self.arrows = VGroup(
            self._arrow(self.logit_block, self.exp_block, r"\exp", self.is_portrait),
            self._arrow(self.exp_block, self.prob_block, r"\times 1/\Sigma", self.is_narrow),
        )

        self.algebra = self._algebra()
        self.example = self._example()

        top = self.top_under_title(0.25)
        bottom = self.layout_bottom
        upper = VGroup(blocks, self.arrows)
        share = 0.56
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
        self.exp_panel.track(self.exps)
        self.prob_panel.track(lambda: softmax(self.shifted()))

    def _block(self, panel, header: str, readout) -> VGroup:
        label = MathTex(header, font_size=self.theme.body_size)
        top = VGroup(label) if readout is None else VGroup(label, readout)
        if self.is_portrait:  # one line: the column of panels is tall already
            top.arrange(RIGHT, buff=0.4)
        else:
            top.arrange(DOWN, buff=0.2)
        self.fit(top, panel.box.width * 1.15)
        top.next_to(panel.box, UP, buff=0.3 if self.is_portrait else 0.45)
        return VGroup(panel, top)

    def _arrow(self, source: VGroup, target: VGroup, tex: str, down: bool) -> VGroup:
        muted = self.theme.color("muted")
        source_box, target_box = source[0].box, target[0].box
        label = MathTex(tex, font_size=self.theme.label_size, color=muted)
        if down:
            x = source_box.get_right()[0] - 0.1
            start = [x, source[0].class_labels.get_bottom()[1] - 0.05, 0]
            end = [x, target[1].get_top()[1] + 0.05, 0]
            arrow = Arrow(start, end, buff=0, color=muted, stroke_width=3)
            label.next_to(arrow, LEFT, buff=0.1)
        else:
            y = source_box.get_center()[1]
            arrow = Arrow(
                [source_box.get_right()[0] + 0.1, y, 0],
                [target_box.get_left()[0] - 0.1, y, 0],
                buff=0,
                color=muted,
                stroke_width=3,
            )
            label.next_to(arrow, UP, buff=0.1)
        return VGroup(arrow, label)

    def _algebra(self) -> VGroup:
        """One formula, morphed step by step: e^{z+c} = e^c e^z, e^c out of the sum, cancel."""
        t = self.theme
        size = t.body_size * 1.1
        accent = t.color("accent")
        lhs = r"\mathrm{softmax}(z + c)_i"

        def line(*parts: str) -> MathTex:
            tex = MathTex(lhs, "=", *parts, font_size=size)
            for part in tex:
                if part.tex_string == r"e^{c}":
                    part.set_color(accent)
            return tex

        steps = [
            line(r"\frac{", r"e^{z_i + c}", "}{", r"\sum_j", r"e^{z_j + c}", "}"),
            line(r"\frac{", r"e^{c}", r"e^{z_i}", "}{", r"\sum_j", r"e^{c}", r"e^{z_j}", "}"),
            line(r"\frac{", r"e^{c}", r"e^{z_i}", "}{", r"e^{c}", r"\sum_j", r"e^{z_j}", "}"),
            line(
                r"\frac{",
                r"e^{z_i}",
                "}{",
                r"\sum_j",
                r"e^{z_j}",
                "}",
                "=",
                r"\mathrm{softmax}(z)_i",
            ),
        ]
        for step in steps:
            self.fit(step, self.usable_width * 0.9)  # room for the highlight box
            step.move_to(steps[0])  # centred: a wider step stays in the frame
        note = Tex(
            r"$e^{a+b} = e^a e^b$: the same factor $e^c$ is in every term,"
            + self._break()
            + "so it cancels.",
            font_size=t.label_size,
            color=t.color("muted"),
        )
        note.next_to(steps[0], DOWN, buff=0.4)
        self.fit(note, self.usable_width)
        self.algebra_steps = steps
        self.algebra_note = note
        # Every step in the group, so they are placed and scaled together.
        return VGroup(*steps, note)

    def _crosses(self) -> VGroup:
        """Strokes through both factors e^c of the third step (where it is now)."""
        crosses = VGroup()
        for part in self.algebra_steps[2]:
            if part.tex_string == r"e^{c}":
                crosses.add(
                    Line(
                        part.get_corner(DOWN + LEFT),
                        part.get_corner(UP + RIGHT),
                        color=self.theme.color("highlight"),
                        stroke_width=4,
                    )
                )
        return crosses

    def _example(self) -> VGroup:
        """The storyboard's numeric example on the chapter's logits, evaluated stably."""
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
        return r" \\ " if self.is_narrow else " "

    # -- story ---------------------------------------------------------------- #

    def show_setup(self) -> None:
        with self.beat(
            "setup",
            "Take a few logits, their exponentials and their softmax probabilities.",
        ):
            self.play_for(1.0, Write(self.title_mob))
            blocks = (self.logit_block, self.exp_block, self.prob_block)
            for k, block in enumerate(blocks):
                if k:
                    arrow = self.arrows[k - 1]
                    self.play_for(0.5, Create(arrow[0]), FadeIn(arrow[1]))
                self.play_for(0.9, FadeIn(block, shift=0.2 * UP))
            self.pause(0.8)

    def shift_all(self) -> None:
        low, high = self.params.shift_range
        with self.beat(
            "shift",
            "Add the same constant c to every logit: every exponential is multiplied by the "
            "same e to the c, <mark:still>yet the probabilities do not move at all.",
        ):
            self.play_for(2.5, self.c.animate.set_value(high), rate_func=smooth)
            self.highlight(self.exp_panel.bars, self.factor_readout)
            self.at_mark("still")
            box = self.emphasis(VGroup(self.prob_panel.bars, self.prob_panel.value_labels))
            self.play_for(0.5, Create(box))
            self.play_for(3.5, self.c.animate.set_value(low), rate_func=smooth)
            # Back to the logits themselves: the numbers of the worked example.
            self.play_for(2.0, self.c.animate.set_value(0.0), rate_func=smooth)
            self.play_for(0.5, FadeOut(box))
            self.pause(0.5)

    def show_algebra(self) -> None:
        steps = self.algebra_steps
        with self.beat(
            "algebra",
            "Why: e to the z plus c is e to the c times e to the z, <mark:out>so the same "
            "factor sits in the numerator and in every term of the sum, <mark:cancel>and "
            "cancels.",
        ):
            self.play_for(
                1.0, self.upper.animate.scale(1 / self.enlarge).move_to(self.compact_center)
            )
            self.play_for(1.8, Write(steps[0]))
            self.play_for(
                1.5,
                TransformMatchingTex(steps[0], steps[1]),
            )
            self.at_mark("out")
            self.play_for(1.5, TransformMatchingTex(steps[1], steps[2]))
            self.at_mark("cancel")
            crosses = self._crosses()
            self.play_for(0.8, *(Create(line) for line in crosses))
            self.play_for(1.5, TransformMatchingTex(steps[2], steps[3]), FadeOut(crosses))
            self.highlight(steps[3][-1])
            self.play_for(0.8, FadeIn(self.algebra_note))
            self.pause(1.0)

    def show_numbers(self) -> None:
        plain, problem, shifted = self.example_parts
        exponents = ", ".join(format_number(v) for v in self.logits)
        with self.beat(
            "numeric",
            f"With the logits on screen, {exponents}: adding "
            f"{format_number(self.params.shift_example)} to every exponent gives the same "
            "fraction, <mark:stable>and stable code relies on exactly this.",
        ):
            self.play_for(1.0, FadeOut(self.algebra_steps[3]), FadeOut(self.algebra_note))
            self.play_for(2.5, Write(plain))
            self.highlight(plain[-1], self.prob_panel.value_labels[0])
            self.at_mark("stable")
            self.play_for(1.0, FadeIn(problem))
            self.play_for(2.0, Write(shifted))
            self.pause(1.0)

    def takeaway(self) -> None:
        with self.beat(
            "takeaway",
            "So softmax only cares about the differences between logits.",
        ):
            self.close_with(
                r"Adding the same $c$ to every logit multiplies every $e^{z_i}$ by $e^c$, "
                r"which cancels: $\mathrm{softmax}(z + c)$ equals $\mathrm{softmax}(z)$.",
                keep=[],
            )
