"""Chapter 2, SoftmaxBars: logits -> exponentials -> probabilities, and one logit raised.

Three aligned panels show the logits (stems, may be negative), their exponentials
(bars, all positive) and the normalised values (bars summing to 1). Then one class's
logit is raised and lowered with a ValueTracker: its exponential grows alone, while the
normalised panel squashes every other class.

The exponential panel keeps one honest scale per phase: an axis whose top value is
written on it. When the largest logit is too big for readable numbers (beyond
``EXP_ABSOLUTE_MAX_LOGIT``) it shows ``e^{z_i - m}`` with ``m`` the largest logit,
which is what stable code computes anyway, and says so in its header.

Render: ``.venv/bin/manim -ql scenes/softmax_bars.py SoftmaxBars``
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Create,
    DashedLine,
    FadeIn,
    GrowArrow,
    Indicate,
    LaggedStart,
    MathTex,
    ValueTracker,
    VGroup,
    Write,
    linear,
    smooth,
)

from softmax_math import softmax
from softmax_video.core.chapters import find_chapter
from softmax_video.kit.lecture_scene import LectureScene
from softmax_video.kit.widgets import (
    BarPanel,
    LiveFraction,
    NumberReadout,
    Readout,
    format_number,
    logit_range,
)

__all__ = ["ExpScale", "SoftmaxBars", "exp_scale"]

#: Above this largest logit the exponential panel shows e^{z - max} (numbers stay short).
EXP_ABSOLUTE_MAX_LOGIT = 9.0
#: Landscape: panel box size (scene units) and the gap holding the arrows between panels.
PANEL_SIZE = (3.5, 3.1)
ARROW_GAP = 1.0
#: Portrait and square: panel box size before the layout is fitted to the frame.
NARROW_PANEL_SIZE = {"portrait": (2.5, 1.6), "square": (3.1, 1.9)}
#: Portrait and square: vertical gap between the two rows of panels (holds an arrow).
NARROW_ROW_GAP = 0.7


@dataclass(frozen=True)
class ExpScale:
    """How the exponential panel draws ``e^z``: bars of ``e^{z - offset}`` up to ``top``."""

    offset: float
    top: float

    @property
    def relative(self) -> bool:
        return self.offset != 0.0

    def display(self, logits: np.ndarray) -> np.ndarray:
        """``e^{z - offset}`` per class (``-inf`` gives 0), never overflowing."""
        return np.exp(np.asarray(logits, dtype=float) - self.offset)


def exp_scale(logit_sets: Iterable[Iterable[float]]) -> ExpScale:
    """The exponential panel's scale covering every logit vector in ``logit_sets``.

    Examples
    --------
    >>> s = exp_scale([[1.0, 2.5], [4.0, 2.5]])
    >>> (s.offset, round(s.top, 3))
    (0.0, 54.598)
    >>> exp_scale([[1000.0, 2.0, float("-inf")]])
    ExpScale(offset=1000.0, top=1.0)
    """
    finite = [v for logits in logit_sets for v in logits if math.isfinite(v)]
    largest = max(finite) if finite else 0.0
    offset = largest if largest > EXP_ABSOLUTE_MAX_LOGIT else 0.0
    return ExpScale(offset=float(offset), top=float(math.exp(largest - offset)))


class SoftmaxBars(LectureScene):
    """Logits, their exponentials and the normalised probabilities; one logit varied."""

    def construct(self) -> None:
        p = self.params
        self.logits0 = np.array(p.logits, dtype=float)
        self.count = len(self.logits0)
        self.varied = p.varied_class - 1
        self.z_varied = ValueTracker(self.logits0[self.varied])
        self.grow_exp = ValueTracker(0.0)
        self.grow_prob = ValueTracker(0.0)

        low, high = p.vary_range
        start = self.logits0[self.varied]
        sweep_sets = [self._with_varied(v) for v in (low, high)]
        if math.isfinite(start):
            sweep_sets.append(self.logits0)
        every = [self.logits0, *sweep_sets]
        # One offset for the chapter (formula text depends on it); top per phase.
        self.scale = exp_scale(every)
        self.sweep_top = self.scale_top_for(sweep_sets)
        self.exp_top = ValueTracker(self.scale_top_for([self.logits0]))

        self._build(logit_range([v for s in every for v in s]))
        self._story(low, high, start)

    # -- state ---------------------------------------------------------------- #

    def _with_varied(self, value: float) -> np.ndarray:
        z = self.logits0.copy()
        z[self.varied] = value
        return z

    def current_logits(self) -> np.ndarray:
        """The logits now on screen (the varied one read from its tracker)."""
        return self._with_varied(self.z_varied.get_value())

    def current_exps(self) -> np.ndarray:
        """The exponential panel's values now: ``e^{z - offset}``."""
        return self.scale.display(self.current_logits())

    def current_probs(self) -> np.ndarray:
        return softmax(self.current_logits())

    def scale_top_for(self, logit_sets: list[np.ndarray]) -> float:
        """Axis top (in the panel's units) that fits ``logit_sets``, at the chapter's offset."""
        finite = [v for s in logit_sets for v in s if math.isfinite(v)]
        return math.exp(max(finite) - self.scale.offset) if finite else 1.0

    # -- building ------------------------------------------------------------- #

    def _build(self, z_range: tuple[float, float]) -> None:
        t = self.theme
        if self.is_narrow:
            # Two rows (logits and exponentials, then probabilities), scaled to fit later.
            width, height = NARROW_PANEL_SIZE["portrait" if self.is_portrait else "square"]
        else:
            width = min(PANEL_SIZE[0], (self.usable_width - 2 * ARROW_GAP) / 3)
            height = PANEL_SIZE[1]
        size = {"width": width, "height": height}
        n = self.count
        self.logit_panel = self.class_bar_panel(
            self.logits0, n, value_range=z_range, style="stem", **size
        )
        self.exp_panel = self.class_bar_panel(
            self.current_exps() * 0, n, value_range=(0, self.exp_top.get_value()), **size
        )
        self.prob_panel = self.class_bar_panel(
            self.current_probs() * 0, n, value_range=(0, 1), **size
        )

        self.title_mob = self.title(find_chapter(self.params.SECTION).title)
        k = self.varied + 1
        offset = format_number(self.scale.offset)
        exp_header = rf"e^{{z_i - {offset}}}" if self.scale.relative else r"e^{z_i}"
        self.logit_block = self._block(self.logit_panel, r"\text{logits } z_i")
        self.exp_block = self._block(self.exp_panel, exp_header)
        self.prob_block = self._block(self.prob_panel, r"p_i = \mathrm{softmax}(z)_i")

        # Axis of the exponential panel: its top value is written on it, so rescaling is honest.
        self.exp_axis = self._exp_axis()
        self.exp_block.add(self.exp_axis)

        sum_size = t.small_size
        self.exp_sum = Readout(
            r"\textstyle\sum_j " + exp_header.replace("_i", "_j") + " =",
            lambda: float(np.sum(self.current_exps() * self.grow_exp.get_value())),
            font_size=sum_size,
            color=t.color("accent"),
        )
        self.prob_sum = Readout(
            r"\textstyle\sum_i p_i =",
            lambda: float(np.sum(self.current_probs() * self.grow_prob.get_value())),
            font_size=sum_size,
            color=t.color("accent"),
        )
        self.exp_block.add(self.exp_sum.next_to(self.exp_panel.class_labels, DOWN, buff=0.2))
        self.prob_block.add(self.prob_sum.next_to(self.prob_panel.class_labels, DOWN, buff=0.2))
        self.exp_sum.set_x(self.exp_panel.box.get_x())
        self.prob_sum.set_x(self.prob_panel.box.get_x())

        blocks = VGroup(self.logit_block, self.exp_block, self.prob_block)
        row = blocks if not self.is_narrow else VGroup(self.logit_block, self.exp_block)
        row.arrange(RIGHT, buff=ARROW_GAP, aligned_edge=UP)
        for block in row:  # align the panel boxes, not the headers
            block.shift((self.logit_panel.box.get_top()[1] - block[0].box.get_top()[1]) * UP)
        # Portrait: probabilities centred under the row; square: under the exponentials,
        # with the formula beside them (under the logits).
        square = self.is_narrow and not self.is_portrait
        if self.is_narrow:
            self.prob_block.next_to(row, DOWN, buff=NARROW_ROW_GAP)
        if square:
            self.prob_block.shift(
                (self.exp_panel.box.get_x() - self.prob_panel.box.get_x()) * RIGHT
            )
        self.arrows = VGroup(
            self._arrow(self.logit_block, self.exp_block, r"\exp"),
            self._arrow(self.exp_block, self.prob_block, r"\div \textstyle\sum", self.is_narrow),
        )

        # The formula, general then with live numbers for the varied class.
        color = self.class_color(self.varied)
        num = rf"e^{{z_{k} - {offset}}}" if self.scale.relative else rf"e^{{z_{k}}}"
        den = rf"\sum_j e^{{z_j - {offset}}}" if self.scale.relative else r"\sum_j e^{z_j}"
        general = MathTex(
            r"\mathrm{softmax}(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}", font_size=t.body_size
        )
        instance = MathTex(rf"p_{k}", "=", rf"\frac{{{num}}}{{{den}}}", "=", font_size=t.body_size)
        instance[0].set_color(color)
        self.fraction = LiveFraction(
            self.current_exps()[self.varied],
            float(np.sum(self.current_exps())),
            decimals=3 if self.scale.relative else 2,
            font_size=t.body_size * 0.85,
            color=t.color("text"),
        )
        self.fraction.top.set_color(color)
        self.p_value = NumberReadout(
            self.current_probs()[self.varied],
            decimals=3,
            font_size=t.body_size * 0.85,
            color=color,
        )
        equals = MathTex("=", font_size=t.body_size)
        live = VGroup(instance, self.fraction, equals, self.p_value)
        live.arrange(RIGHT, buff=0.2)
        self.p_value.align_axis_to(equals)
        self.formula = VGroup(general, live).arrange(
            DOWN if self.is_narrow else RIGHT, buff=0.3 if self.is_narrow else 0.9
        )
        top = self.title_mob.get_bottom()[1] - 0.3
        if square:
            self.formula.arrange(DOWN, buff=0.45)
            left = self.logit_block.get_left()[0]
            room = self.prob_block.get_left()[0] - 0.4 - left
            self.fit(self.formula, room)
            self.formula.move_to([left + room / 2, self.prob_panel.box.get_y(), 0])
            content = VGroup(blocks, self.arrows, self.formula)
            bottom = self.layout_bottom
        else:
            self.fit(self.formula, self.usable_width * (0.75 if self.is_portrait else 1.0))
            content = VGroup(blocks, self.arrows)
            self.to_bottom(self.formula)
            bottom = self.formula.get_top()[1] + 0.35
        self.fit(content, self.usable_width, top - bottom)
        content.move_to([0, (top + bottom) / 2, 0])
        self._live_updaters()

    def _block(self, panel: BarPanel, header: str) -> VGroup:
        label = MathTex(header, font_size=self.theme.body_size * 0.9)
        self.fit(label, panel.box.width * 1.1)
        label.next_to(panel.box, UP, buff=0.5)
        return VGroup(panel, label)

    def _exp_axis(self) -> VGroup:
        box = self.exp_panel.box
        muted = self.theme.color("muted")
        top_line = DashedLine(
            box.get_corner(UP + LEFT),
            box.get_corner(UP + RIGHT),
            stroke_width=1.5,
            color=muted,
            dash_length=0.08,
        )
        label = NumberReadout(
            self.exp_top.get_value(),
            decimals=2,
            font_size=self.theme.small_size * 0.8,
            color=muted,
        )
        label.next_to(top_line, LEFT, buff=0.08)
        axis = VGroup(top_line, label)

        def follow(group: VGroup) -> None:
            line, number = group
            top = self.exp_panel.value_to_y(self.exp_panel.value_range[1])
            line.set_y(top)
            number.set_value(self.exp_top.get_value())
            number.next_to(line, LEFT, buff=0.08)

        axis.add_updater(follow)
        return axis

    def _arrow(self, source: VGroup, target: VGroup, tex: str, down: bool = False) -> VGroup:
        """The arrow from one panel block to the next (``down``: to the next row), with
        what the step does."""
        muted = self.theme.color("muted")
        label = MathTex(tex, font_size=self.theme.small_size, color=muted)
        source_box, target_box = source[0].box, target[0].box
        if down:
            # From under the exponentials down to the probabilities' row, beside its header.
            x = source_box.get_center()[0]
            start = [x, source.get_bottom()[1] - 0.06, 0]
            if abs(target_box.get_center()[0] - x) < 0.1:  # the same column: to its header
                end = [x, target[1].get_top()[1] + 0.06, 0]
            else:
                end = [x, target[1].get_center()[1], 0]
            arrow = Arrow(
                start, end, buff=0, color=muted, stroke_width=3, max_tip_length_to_length_ratio=0.35
            )
            label.next_to(arrow, RIGHT, buff=0.1)
        else:
            y = source_box.get_center()[1]
            arrow = Arrow(
                [source_box.get_right()[0] + 0.1, y, 0],
                [target_box.get_left()[0] - 0.1, y, 0],
                buff=0,
                color=muted,
                stroke_width=3,
                max_tip_length_to_length_ratio=0.3,
            )
            label.next_to(arrow, UP, buff=0.1)
        return VGroup(arrow, label)

    def _live_updaters(self) -> None:
        """Updaters of everything but the logit panel (that one is tracked from the sweep on)."""
        self.exp_panel.add_updater(
            lambda m: m.set_values(
                self.current_exps() * self.grow_exp.get_value(), (0, self.exp_top.get_value())
            )
        )
        self.prob_panel.track(lambda: self.current_probs() * self.grow_prob.get_value())
        self.fraction.add_updater(
            lambda m: m.set_values(
                self.current_exps()[self.varied], float(np.sum(self.current_exps()))
            )
        )
        self.p_value.add_updater(lambda m: m.set_value(self.current_probs()[self.varied]))

    # -- story ---------------------------------------------------------------- #

    def _story(self, low: float, high: float, start: float) -> None:
        k = self.varied + 1
        with self.beat(
            "logits",
            "A classifier ends with one score per class, a logit, and a logit can be any "
            "real number, negative ones included.",
        ):
            panel = self.logit_panel
            self.play_for(1.0, Write(self.title_mob))
            # The block is added whole; each part is animated in from nothing in one play.
            self.add(self.logit_block)
            self.play_for(
                2.7,
                FadeIn(self.logit_block[1]),
                Create(panel.baseline),
                LaggedStart(
                    *(FadeIn(lab, shift=0.2 * UP) for lab in panel.class_labels), lag_ratio=0.15
                ),
                LaggedStart(*(Create(bar) for bar in panel.bars), lag_ratio=0.2),
                LaggedStart(*(FadeIn(lab) for lab in panel.value_labels), lag_ratio=0.2),
            )
            self.pause(2.3)

        with self.beat(
            "exponentiate",
            "Exponentiating turns every logit into a positive number and stretches the gaps "
            "between them.",
        ):
            self.play_for(0.8, GrowArrow(self.arrows[0][0]), FadeIn(self.arrows[0][1]))
            self.play_for(0.8, FadeIn(self.exp_block))
            self.play_for(2.0, self.grow_exp.animate.set_value(1.0))
            self.pause(2.4)

        with self.beat(
            "normalise",
            "Dividing each exponential by their sum gives probabilities, and they add up to "
            "exactly one.",
        ):
            self.play_for(0.8, GrowArrow(self.arrows[1][0]), FadeIn(self.arrows[1][1]))
            self.play_for(0.8, FadeIn(self.prob_block))
            self.play_for(2.0, self.grow_prob.animate.set_value(1.0))
            self.play_for(1.5, Write(self.formula[0]))
            self.play_for(1.2, FadeIn(self.formula[1]))
            self.pause(1.7)

        with self.beat(
            "raise",
            f"Raise logit {k}: only its exponential grows, yet in the normalised panel "
            "every other class gets squashed.",
        ):
            self.logit_panel.track(self.current_logits)
            if not math.isfinite(start):
                self.z_varied.set_value(low)
            color = self.class_color(self.varied)
            self.play_for(
                0.8, *(Indicate(p.class_labels[self.varied], color=color) for p in self._panels())
            )
            # Dashed outlines keep the probabilities from before, so the squash is visible.
            self.ghosts = self.prob_panel.ghost(self.theme.color("muted"))
            self.play_for(0.6, FadeIn(self.ghosts))
            # Bars in front: an outline shows only where a probability used to be higher.
            self.bring_to_front(self.prob_block)
            new_top = max(self.exp_top.get_value(), self.sweep_top)
            if new_top > self.exp_top.get_value() * 1.001:
                # Make room first: every bar shrinks by the same factor; the top value says so.
                self.play_for(1.2, self.exp_top.animate.set_value(new_top))
            else:
                self.pause(1.2)
            self.play_for(4.0, self.z_varied.animate.set_value(high), rate_func=smooth)
            self.pause(1.9)

        with self.beat(
            "lower",
            "Lower it and the other classes win the probability back; the total is always one.",
        ):
            self.play_for(4.0, self.z_varied.animate.set_value(low), rate_func=smooth)
            self.pause(1.5)
            back = start if math.isfinite(start) else low
            self.play_for(2.5, self.z_varied.animate.set_value(back), rate_func=linear)
            self.pause(2.0)

    def _panels(self) -> list[BarPanel]:
        return [self.logit_panel, self.exp_panel, self.prob_panel]
