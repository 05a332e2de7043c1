"""Chapter 2, SoftmaxBars: logits -> exponentials -> probabilities, and one logit raised.

Three aligned panels show the logits (stems, may be negative), their exponentials
(bars, all positive) and the normalised values (bars summing to 1). The exponential and
probability panels end in a total column: the bars stacked end to end. Normalising is
that stack scaled uniformly to a height of 1, and its pieces are the probabilities.
Then one class's logit is raised and lowered with a ValueTracker: its exponential grows
alone (the exponential axis is fixed for the whole chapter), the stack of exponentials
grows taller, and since the normalised stack stays 1 tall every other class is squashed.

The exponential panel keeps one honest scale: when the largest logit is too big for
readable numbers (beyond ``EXP_ABSOLUTE_MAX_LOGIT``) it shows ``e^{z_i - m}`` with ``m``
the largest logit, which is what stable code computes anyway, and says so in its header.

Render: ``.venv/bin/manim -ql scenes/softmax_bars.py SoftmaxBars``
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    RIGHT,
    UP,
    Arrow,
    Create,
    FadeIn,
    GrowArrow,
    LaggedStart,
    MathTex,
    ReplacementTransform,
    TransformMatchingTex,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    linear,
    smooth,
)

from softmax_math import softmax
from softmax_math.rounding import round_to_total
from softmax_video.kit.lecture_scene import LectureScene
from softmax_video.kit.widgets import (
    BarPanel,
    LiveFraction,
    NumberReadout,
    format_number,
    logit_range,
)

__all__ = ["ExpScale", "SoftmaxBars", "exp_scale", "shown_probabilities"]

#: Above this largest logit the exponential panel shows e^{z - max} (numbers stay short).
EXP_ABSOLUTE_MAX_LOGIT = 9.0
#: Landscape: panel box size (scene units) and the gap holding the arrows between panels.
PANEL_SIZE = (3.5, 3.1)
ARROW_GAP = 1.0
#: Portrait and square: panel box size before the layout is fitted to the frame.
NARROW_PANEL_SIZE = {"portrait": (4.2, 1.3), "square": (3.1, 2.3)}
#: Largest share of the usable height the formula may take (narrow frames: two rows).
FORMULA_SHARE = 0.17
#: How much larger than built the panels may be drawn to fill the frame.
MAX_ENLARGE = 1.6
#: Portrait and square: vertical gap between the two rows of panels (holds an arrow).
NARROW_ROW_GAP = 0.7
#: Decimals of the probability labels (rounded so that they add up to the total shown).
PROB_DECIMALS = 2
#: Fill opacity of the bars (BarPanel's default), restored when hidden parts appear.
BAR_OPACITY = 0.85


def shown_probabilities(p: Iterable[float]) -> np.ndarray:
    """The probability labels as written: rounded to ``PROB_DECIMALS`` places so that they
    add up to the rounded total (1.00), not 0.99 or 1.01.

    Examples
    --------
    >>> shown_probabilities([0.1584, 0.7101, 0.0354, 0.0961]).tolist()
    [0.16, 0.71, 0.03, 0.1]
    """
    return round_to_total(np.asarray(list(p), dtype=float), PROB_DECIMALS)


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
    """The exponential panel's scale covering every logit vector in ``logit_sets``,
    their total included (the panel stacks the bars into one column).

    Examples
    --------
    >>> s = exp_scale([[1.0, 2.5], [4.0, 2.5]])
    >>> (s.offset, round(s.top, 3))
    (0.0, 66.781)
    >>> exp_scale([[1000.0, 2.0, float("-inf")]])
    ExpScale(offset=1000.0, top=1.0)
    """
    sets = [np.asarray(list(logits), dtype=float) for logits in logit_sets]
    finite = [v for logits in sets for v in logits if math.isfinite(v)]
    largest = max(finite) if finite else 0.0
    offset = largest if largest > EXP_ABSOLUTE_MAX_LOGIT else 0.0
    totals = [float(np.sum(np.exp(logits - offset))) for logits in sets]
    return ExpScale(offset=float(offset), top=max([*totals, 1e-300]))


class SoftmaxBars(LectureScene):
    """Logits, their exponentials and the normalised probabilities; one logit varied."""

    def construct(self) -> None:
        self.setup_stage()
        self.show_logits()
        self.exponentiate()
        self.normalise()
        self.raise_logit()
        self.lower_logit()
        self.takeaway()

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

    # -- building ------------------------------------------------------------- #

    def setup_stage(self) -> None:
        """Build every piece (nothing is drawn yet)."""
        p = self.params
        self.logits0 = np.array(p.logits, dtype=float)
        self.count = len(self.logits0)
        self.varied = p.varied_class - 1
        self.low, self.high = p.vary_range
        self.start = float(self.logits0[self.varied])
        self.z_varied = ValueTracker(self.start if math.isfinite(self.start) else self.low)
        self.grow_exp = ValueTracker(0.0)
        sweep = [self._with_varied(v) for v in (self.low, self.high)]
        every = [self.logits0, *sweep] if math.isfinite(self.start) else sweep
        # One scale for the whole chapter: the raised class's bar grows, the rest stay.
        self.scale = exp_scale(every)
        self._build(logit_range([v for s in [self.logits0, *sweep] for v in s]))

    def _build(self, z_range: tuple[float, float]) -> None:
        t = self.theme
        if self.is_narrow:
            # Two rows (logits and exponentials, then probabilities), scaled to fit later.
            width, height = NARROW_PANEL_SIZE["portrait" if self.is_portrait else "square"]
        else:
            width = min(PANEL_SIZE[0], (self.usable_width - 2 * ARROW_GAP) / 3)
            height = PANEL_SIZE[1]
        n = self.count
        # The logits get n columns, the others n + 1 (their total): the same column width.
        logit_width = width * n / (n + 1)
        self.logit_panel = self.class_bar_panel(
            self.logits0, n, value_range=z_range, style="stem", width=logit_width, height=height
        )
        self.exp_panel = self.class_bar_panel(
            self.current_exps() * 0,
            n,
            value_range=(0, self.scale.top),
            total=True,
            width=width,
            height=height,
        )
        self.prob_panel = self.class_bar_panel(
            self.current_probs(),
            n,
            value_range=(0, 1),
            total=True,
            label_values=shown_probabilities,
            width=width,
            height=height,
        )
        accent = t.color("accent")
        for part in (self.prob_panel.total_value, self.prob_panel.total_name):
            part.set_color(accent)

        self.title_mob = self.title()
        offset = format_number(self.scale.offset)
        self.exp_header = rf"e^{{z_i - {offset}}}" if self.scale.relative else r"e^{z_i}"
        self.logit_block = self._block(self.logit_panel, r"\text{logits } z_i")
        self.exp_block = self._block(self.exp_panel, self.exp_header)
        self.prob_block = self._block(self.prob_panel, r"p_i = \mathrm{softmax}(z)_i")

        blocks = VGroup(self.logit_block, self.exp_block, self.prob_block)
        row = blocks if not self.is_narrow else VGroup(self.logit_block, self.exp_block)
        if self.is_portrait:  # one column: logits, exponentials, probabilities
            blocks.arrange(DOWN, buff=NARROW_ROW_GAP)
        else:
            row.arrange(RIGHT, buff=ARROW_GAP, aligned_edge=UP)
            for block in row:  # align the panel boxes, not the headers
                block.shift((self.logit_panel.box.get_top()[1] - block[0].box.get_top()[1]) * UP)
        # Square: the probabilities under the exponentials, with the formula beside them
        # (under the logits).
        square = self.is_narrow and not self.is_portrait
        if square:
            self.prob_block.next_to(row, DOWN, buff=NARROW_ROW_GAP)
        if square:
            self.prob_block.shift(
                (self.exp_panel.box.get_x() - self.prob_panel.box.get_x()) * RIGHT
            )
        self.arrows = VGroup(
            self._arrow(self.logit_block, self.exp_block, r"\exp", self.is_portrait),
            self._arrow(self.exp_block, self.prob_block, r"\times 1/\Sigma", self.is_narrow),
        )

        self._build_formulas()
        formulas = VGroup(self.general, self.live)
        top = self.top_under_title(0.3)
        if square:
            left = self.logit_block.get_left()[0]
            room = self.prob_block.get_left()[0] - 0.4 - left
            self.fit(formulas, room, self.usable_height * 0.4)
            self.live.move_to([left + room / 2, self.prob_panel.box.get_y(), 0])
            content = VGroup(blocks, self.arrows, formulas)
            bottom = self.layout_bottom
        else:
            self.fit(
                formulas,
                self.usable_width * (0.9 if self.is_portrait else 1.0),
                self.usable_height * FORMULA_SHARE,
            )
            self.to_bottom(self.live)
            content = VGroup(blocks, self.arrows)
            bottom = self.live.get_top()[1] + 0.35
        # Fill the room (up or down), the panels no larger than MAX_ENLARGE times built.
        content.scale(
            min(MAX_ENLARGE, self.usable_width / content.width, (top - bottom) / content.height)
        )
        content.move_to([0, (top + bottom) / 2, 0])
        self.general.move_to(self.instance)
        self._live_updaters()
        self._hide_until_shown()

    def _build_formulas(self) -> None:
        """The formula: general, then (as one logit is varied) for that class with numbers."""
        t = self.theme
        k = self.varied + 1
        size = t.body_size
        color = self.class_color(self.varied)
        offset = format_number(self.scale.offset)
        rel = self.scale.relative

        def formula(i: str) -> MathTex:
            num = rf"{{e^{{z_{i} - {offset}}}" if rel else rf"{{e^{{z_{i}}}"
            den = rf"\sum_j e^{{z_j - {offset}}}}}" if rel else r"\sum_j e^{z_j}}"
            return MathTex(rf"p_{i}", "=", num, r"\over", den, font_size=size)

        self.general = formula("i")
        instance = formula(str(k))
        instance[0].set_color(color)
        instance[2].set_color(color)
        self.fraction = LiveFraction(
            self.current_exps()[self.varied],
            float(np.sum(self.current_exps())),
            decimals=3 if rel else 2,
            font_size=size * 0.85,
            color=t.color("text"),
        )
        self.fraction.top.set_color(color)
        self.p_value = NumberReadout(
            self.current_probs()[self.varied], decimals=3, font_size=size * 0.85, color=color
        )
        equals = (MathTex("=", font_size=size), MathTex("=", font_size=size))
        self.numbers = VGroup(equals[0], self.fraction, equals[1], self.p_value)
        self.numbers.arrange(RIGHT, buff=0.2)
        self.p_value.align_axis_to(equals[1])
        self.fraction.shift((equals[0].get_y() - self.fraction.bar.get_y()) * UP)
        # Narrow frames: the numbers on a second row, under the formula.
        self.live = VGroup(instance, self.numbers).arrange(
            DOWN if self.is_narrow else RIGHT, buff=0.3 if self.is_narrow else 0.2
        )
        self.instance = instance

    def _block(self, panel: BarPanel, header: str) -> VGroup:
        label = MathTex(header, font_size=self.theme.body_size)
        self.fit(label, panel.box.width * 1.1)
        label.next_to(panel.box, UP, buff=0.3 if self.is_portrait else 0.55)
        return VGroup(panel, label)

    def _arrow(self, source: VGroup, target: VGroup, tex: str, down: bool = False) -> VGroup:
        """The arrow from one panel block to the next (``down``: to the next row), with
        what the step does."""
        muted = self.theme.color("muted")
        label = MathTex(tex, font_size=self.theme.label_size, color=muted)
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
        """Every panel follows the logits on screen (the exponentials also their growth)."""
        self.logit_panel.track(self.current_logits)
        self.exp_panel.track(lambda: self.current_exps() * self.grow_exp.get_value())
        self.prob_panel.track(self.current_probs)
        self.fraction.add_updater(
            lambda m: m.set_values(
                self.current_exps()[self.varied], float(np.sum(self.current_exps()))
            )
        )
        self.p_value.add_updater(lambda m: m.set_value(self.current_probs()[self.varied]))

    def _hide_until_shown(self) -> None:
        """Parts that come in later start invisible (they are updated all along)."""
        for panel in (self.exp_panel, self.prob_panel):
            panel.value_labels.set_opacity(0)
            panel.total_value.set_opacity(0)
            panel.stack.set_opacity(0)
            panel.total_name.set_opacity(0)
        self.prob_panel.bars.set_opacity(0)

    @staticmethod
    def _solid(mobjects: VGroup | VMobject) -> None:
        """Give hidden bars (or stack pieces) their look back."""
        mobjects.set_fill(opacity=BAR_OPACITY).set_stroke(opacity=1.0)

    # -- story ---------------------------------------------------------------- #

    def show_logits(self) -> None:
        panel = self.logit_panel
        with self.beat(
            "logits",
            "A classifier ends with one score per class, a logit, and a logit can be any "
            "real number, negative ones included.",
        ):
            self.play_for(1.0, Write(self.title_mob))
            # The block is added whole; each part is animated in from nothing.
            self.add(self.logit_block)
            self.play_for(0.8, FadeIn(self.logit_block[1]), Create(panel.baseline))
            self.play_for(
                0.9,
                LaggedStart(
                    *(FadeIn(lab, shift=0.2 * UP) for lab in panel.class_labels), lag_ratio=0.15
                ),
            )
            self.play_for(
                1.6,
                LaggedStart(
                    *(
                        LaggedStart(Create(bar), FadeIn(lab), lag_ratio=0.6)
                        for bar, lab in zip(panel.bars, panel.value_labels, strict=True)
                    ),
                    lag_ratio=0.25,
                ),
            )
            negative = [k for k in range(self.count) if self.logits0[k] < 0]
            if negative:
                k = negative[0]
                self.highlight(panel.bars[k], panel.value_labels[k])
            self.pause(1.0)

    def exponentiate(self) -> None:
        panel = self.exp_panel
        with self.beat(
            "exponentiate",
            "Exponentiating turns every logit into a positive number and stretches the gaps: "
            "the largest logit's bar <mark:towers>towers over the rest.",
        ):
            self.play_for(0.8, GrowArrow(self.arrows[0][0]), FadeIn(self.arrows[0][1]))
            self.add(self.exp_block)
            self.play_for(
                0.9,
                FadeIn(self.exp_block[1]),
                Create(panel.baseline),
                LaggedStart(*(FadeIn(lab) for lab in panel.class_labels), lag_ratio=0.1),
            )
            # The bars grow without numbers (a growing bar's number would mean nothing),
            # then each gets its value.
            self.play_for(2.0, self.grow_exp.animate.set_value(1.0))
            panel.value_labels.set_opacity(1)
            self.play_for(
                0.8, LaggedStart(*(FadeIn(lab) for lab in panel.value_labels), lag_ratio=0.15)
            )
            self.at_mark("towers")
            top = int(np.argmax(self.current_exps()))
            self.highlight(panel.bars[top], panel.value_labels[top])
            self.pause(0.8)

    def normalise(self) -> None:
        exp, prob = self.exp_panel, self.prob_panel
        with self.beat(
            "normalise",
            "Stack the exponentials end to end: that column is their sum. "
            "<mark:scale>Scale the whole column so it stands exactly one tall, and its "
            "pieces are the probabilities: <mark:formula>each exponential over the sum.",
        ):
            # The bars, copied, climb onto one another in the total column.
            pieces = [bar.copy().clear_updaters() for bar in exp.bars]
            landed = [self._solid_copy(piece) for piece in exp.stack]
            self.add(*pieces)
            self.play_for(
                1.8,
                LaggedStart(
                    *(ReplacementTransform(a, b) for a, b in zip(pieces, landed, strict=True)),
                    lag_ratio=0.3,
                ),
                FadeIn(exp.total_name.set_opacity(1)),
            )
            self.remove(*landed)
            self._solid(exp.stack)
            exp.total_value.set_opacity(1)
            self.play_for(0.6, FadeIn(exp.total_value))
            self.highlight(exp.stack, exp.total_value)

            self.at_mark("scale")
            self.play_for(0.6, GrowArrow(self.arrows[1][0]), FadeIn(self.arrows[1][1]))
            self.add(self.prob_block)
            self.play_for(
                0.6,
                FadeIn(self.prob_block[1]),
                Create(prob.baseline),
                LaggedStart(*(FadeIn(lab) for lab in prob.class_labels), lag_ratio=0.1),
                FadeIn(prob.total_name.set_opacity(1)),
            )
            # The same stack, scaled uniformly to height one: the pieces keep their shares.
            column = self._solid_copy(exp.stack)
            target = self._solid_copy(prob.stack)
            self.add(column)
            self.play_for(1.5, ReplacementTransform(column, target))
            self.remove(target)
            self._solid(prob.stack)
            prob.total_value.set_opacity(1)
            self.play_for(0.5, FadeIn(prob.total_value))
            self.highlight(prob.stack, prob.total_value, t=0.8)
            # Each piece steps out into its class's column: the probability bars.
            movers = [self._solid_copy(piece) for piece in prob.stack]
            landed = [self._solid_copy(bar) for bar in prob.bars]
            self.add(*movers)
            self.play_for(
                1.3,
                LaggedStart(
                    *(ReplacementTransform(a, b) for a, b in zip(movers, landed, strict=True)),
                    lag_ratio=0.2,
                ),
            )
            self.remove(*landed)
            self._solid(prob.bars)
            prob.value_labels.set_opacity(1)
            self.play_for(
                0.6, LaggedStart(*(FadeIn(lab) for lab in prob.value_labels), lag_ratio=0.15)
            )
            self.at_mark("formula")
            self.play_for(1.2, Write(self.general))

    def _solid_copy(self, mobject: VMobject) -> VMobject:
        """A still copy of hidden bars or pieces, with their look: a stand-in that moves."""
        copy = mobject.copy().clear_updaters()
        self._solid(copy)
        return copy

    def raise_logit(self) -> None:
        k = self.varied
        with self.beat(
            "raise",
            f"Now raise the logit of {self.class_name(k)}: only its exponential grows, so the "
            "stack grows taller; <mark:squash>scaled back to one, every other class is "
            "squashed.",
        ):
            self.play_for(
                1.2,
                TransformMatchingTex(
                    self.general,
                    self.instance,
                    key_map={self.general[0].tex_string: self.instance[0].tex_string},
                ),
            )
            self.play_for(0.8, FadeIn(self.numbers))
            self.highlight(*(p.class_labels[k] for p in self._panels()))
            self.play_for(4.0, self.z_varied.animate.set_value(self.high), rate_func=smooth)
            self.highlight(self.exp_panel.stack, self.exp_panel.total_value)
            self.at_mark("squash")
            others = [j for j in range(self.count) if j != k]
            self.highlight(*(self.prob_panel.bars[j] for j in others))
            self.pause(1.0)

    def lower_logit(self) -> None:
        with self.beat(
            "lower",
            "Lower it and the others win their share back; the stack of probabilities always "
            "stands exactly one tall.",
        ):
            self.play_for(4.0, self.z_varied.animate.set_value(self.low), rate_func=smooth)
            self.highlight(self.prob_panel.stack, self.prob_panel.total_value)
            back = self.start if math.isfinite(self.start) else self.low
            self.play_for(2.5, self.z_varied.animate.set_value(back), rate_func=linear)
            self.pause(1.0)

    def takeaway(self) -> None:
        with self.beat(
            "takeaway",
            "Softmax exponentiates, then scales every exponential by the same factor so they "
            "sum to one.",
        ):
            self.close_with(
                r"Softmax: exponentiate, then scale every bar by the same $1/\sum_j e^{z_j}$ "
                r"so the bars total 1. Raising one logit squashes every other probability.",
                keep=[],
            )

    def _panels(self) -> list[BarPanel]:
        return [self.logit_panel, self.exp_panel, self.prob_panel]
