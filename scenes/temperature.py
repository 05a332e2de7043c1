"""Chapter 4, Temperature: softmax(z / T) from a spike on the argmax to uniform.

The temperature sweeps on a log scale. The logits divided by T are drawn beside the
probabilities, so the cause is visible: a small T spreads the scaled logits far apart
and the bars become a spike on the largest logit (more predictable); a large T squeezes
them toward 0 and the bars level out toward uniform (less predictable). A live entropy
readout runs against its maximum log K. Seeded samples drawn at a low and a high
temperature show the difference as rows of class tokens, as when a language model
samples its next token; for them the scaled logits and the formula step aside and the
probabilities, slider and entropy regroup, large, above the rows. An aside with the
stage to itself: predictability is not variance.

Render: ``.venv/bin/manim -ql scenes/temperature.py Temperature``
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
    FadeIn,
    FadeOut,
    LaggedStart,
    MathTex,
    NumberLine,
    Tex,
    TransformMatchingTex,
    Triangle,
    ValueTracker,
    VGroup,
    Write,
    linear,
    smooth,
)

from softmax_math import entropy, softmax
from softmax_math.rounding import round_to_total
from softmax_video.kit.lecture_scene import LectureScene
from softmax_video.kit.widgets import (
    BarPanel,
    ClassLegend,
    Gauge,
    Readout,
    SampleRow,
    format_number,
    logit_range,
)

__all__ = [
    "Temperature",
    "class_marks",
    "die_summary",
    "draw_samples",
    "scaled_logits",
    "temperature_samples",
]

#: Landscape: size of each panel (scaled logits, probabilities) and width of the
#: right-hand column (slider, entropy).
PANEL_SIZE = (3.2, 2.9)
SIDE_WIDTH = 3.3
#: Share of the height kept above the samples, and how much larger than that share
#: the upper part may be drawn before them.
COMPACT_SHARE = 0.55
#: Portrait: the tall stack of panel, slider and gauge gets more (the samples are wide).
PORTRAIT_COMPACT_SHARE = 0.64
#: Square frames: panel width and height, slider and gauge width.
SQUARE_SIZES = (3.4, 2.4, 3.2)
MAX_ENLARGE = 2.0
#: Largest |z / T| a stem's label writes out in digits.
LABEL_LIMIT = 1e8
#: The aside's two dice: one that shows 1 or 6 half the time each, and a fair one.
TWO_FACED_DIE = (0.5, 0.0, 0.0, 0.0, 0.0, 0.5)
FAIR_DIE = (1 / 6,) * 6


def draw_samples(
    logits: Sequence[float], temperature: float, count: int, rng: np.random.Generator
) -> np.ndarray:
    """``count`` class indices (0-based) drawn from ``softmax(logits / temperature)``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> draw_samples([0.0, 5.0], 0.0, 4, rng).tolist()
    [1, 1, 1, 1]
    """
    p = softmax(logits, temperature=temperature)
    return rng.choice(len(p), size=count, p=p)


def temperature_samples(
    logits: Sequence[float], low: float, high: float, count: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """The two sample rows of the chapter: ``count`` draws at ``low`` then at ``high``,
    from one ``np.random.default_rng(seed)`` stream (so a seed reproduces both rows)."""
    rng = np.random.default_rng(seed)
    return draw_samples(logits, low, count, rng), draw_samples(logits, high, count, rng)


def scaled_logits(logits: Sequence[float], temperature: float) -> np.ndarray:
    """``z / T``, and for ``T = 0`` its limit: ``+inf`` / ``-inf`` for positive / negative
    logits, 0 for 0 (``-inf`` logits stay ``-inf``).

    Examples
    --------
    >>> scaled_logits([1.0, -0.5, 0.0], 0.5).tolist()
    [2.0, -1.0, 0.0]
    >>> scaled_logits([1.0, -0.5, 0.0], 0.0).tolist()
    [inf, -inf, 0.0]
    """
    z = np.asarray(logits, dtype=float)
    if temperature > 0:
        return z / temperature
    return np.where(z > 0, np.inf, np.where(z < 0, -np.inf, 0.0))


def readable(values: np.ndarray) -> np.ndarray:
    """Labels of the z/T stems: beyond ``LABEL_LIMIT`` in size the digits would not fit
    (a tiny T in the configuration), so the label shows the sign and infinity.

    Examples
    --------
    >>> readable(np.array([2.5, -3e12])).tolist()
    [2.5, -inf]
    """
    values = np.asarray(values, dtype=float)
    return np.where(np.abs(values) > LABEL_LIMIT, np.sign(values) * np.inf, values)


def class_marks(names: Sequence[str]) -> list[str]:
    """A short mark per class for its sample tokens: the capitalised initials when they
    tell the classes apart, else the class numbers.

    Examples
    --------
    >>> class_marks(["cat", "dog", "bird"])
    ['C', 'D', 'B']
    >>> class_marks(["cat", "cow"])
    ['1', '2']
    """
    initials = [name[:1].upper() for name in names]
    if all(initials) and len(set(initials)) == len(initials):
        return initials
    return [str(k + 1) for k in range(len(names))]


def die_summary(p: Sequence[float]) -> tuple[float, float]:
    """``(variance of the face value, entropy in nats)`` for face probabilities ``p``.

    Examples
    --------
    >>> [round(v, 3) for v in die_summary(TWO_FACED_DIE)]
    [6.25, 0.693]
    >>> [round(v, 3) for v in die_summary(FAIR_DIE)]
    [2.917, 1.792]
    """
    p = np.asarray(p, dtype=float)
    faces = np.arange(1, len(p) + 1)
    mean = float(np.sum(p * faces))
    return float(np.sum(p * (faces - mean) ** 2)), float(entropy(p))


class Temperature(LectureScene):
    """Temperature reshapes the softmax: more predictable when low, less when high."""

    def construct(self) -> None:
        self.setup_stage()
        self.show_formula()
        self.cool()
        self.heat()
        self.draw_samples()
        self.not_variance()
        self.takeaway()

    # -- state ---------------------------------------------------------------- #

    def temperature(self) -> float:
        return 0.0 if self.zero_temperature else 10 ** self.log_t.get_value()

    def scaled_logits(self) -> np.ndarray:
        """``z / T`` now (the ``T -> 0`` limit: +-inf away from 0)."""
        return scaled_logits(self.logits, self.temperature())

    def probs(self) -> np.ndarray:
        return softmax(self.logits, temperature=self.temperature())

    def entropy_now(self) -> float:
        return float(entropy(self.probs()))

    # -- building ------------------------------------------------------------- #

    def setup_stage(self) -> None:
        p = self.params
        self.logits = np.array(p.logits, dtype=float)
        self.count = len(self.logits)
        self.t_low, self.t_high = p.temperature_range
        # The temperature is tracked as log10(T), so the sweep is uniform on a log scale.
        self.log_t = ValueTracker(0.0)
        self.zero_temperature = False
        self._build()

    def _build(self) -> None:
        t = self.theme
        colors = t.class_colors_for(self.count)
        names = [self.class_name(k) for k in range(self.count)]
        muted, accent = t.color("muted"), t.color("accent")
        width, height = PANEL_SIZE
        side_width = SIDE_WIDTH
        if self.is_portrait:
            width, height, side_width = 4.2, 1.5, 4.2
        elif self.is_narrow:  # square: the panels in a row, slider and entropy under them
            width, height, side_width = SQUARE_SIZES
        self.title_mob = self.title()

        # The logits divided by T: an honest fixed axis over the whole sweep.
        temperatures = [self.t_low, 1.0, self.t_high, self.params.low_temperature]
        sweep = [v for temp in temperatures if temp > 0 for v in self.logits / temp]
        self.z_panel = self.class_bar_panel(
            self.scaled_logits(),
            self.count,
            value_range=logit_range(sweep),
            style="stem",
            label_values=readable,
            width=width,
            height=height,
        )
        self.panel = self.class_bar_panel(
            self.probs(),
            self.count,
            value_range=(0, 1),
            label_values=lambda v: round_to_total(v, 2),
            width=width,
            height=height,
        )
        size = t.body_size
        self.z_header = MathTex(r"z_i", "/", "T", font_size=size)
        self.p_header = MathTex(r"p_i", font_size=size)
        self.z_header[2].set_color(accent)
        for header, panel in ((self.z_header, self.z_panel), (self.p_header, self.panel)):
            header.next_to(panel.box, UP, buff=0.35)
        self.z_block = VGroup(self.z_panel, self.z_header)
        self.p_block = VGroup(self.panel, self.p_header)
        self.plain_formula = MathTex(
            r"p_i", "=", r"{e^{z_i}", r"\over", r"\sum_j e^{z_j}}", font_size=size
        )
        self.formula = MathTex(
            r"p_i", "=", r"{e^{z_i / T}", r"\over", r"\sum_j e^{z_j / T}}", font_size=size
        )

        # The temperature slider (log scale) and its readout.
        lo, hi = math.log10(self.t_low), math.log10(self.t_high)
        self.slider = NumberLine(
            x_range=[lo, hi, (hi - lo) / 2],
            length=side_width,
            color=muted,
            stroke_width=3,
            include_ticks=False,
        )
        ticks = VGroup()
        for value in sorted(
            {self.t_low, self.t_high} | ({1.0} if self.t_low < 1 < self.t_high else set())
        ):
            label = MathTex(format_number(value), font_size=t.label_size, color=muted)
            label.next_to(self.slider.n2p(math.log10(value)), DOWN, buff=0.15)
            ticks.add(label)
        self.slider_ticks = ticks
        self.marker = Triangle(color=accent, fill_opacity=1, stroke_width=0).scale(0.12)
        self.marker.rotate(math.pi)
        self.t_readout = Readout("T =", self.temperature, font_size=size, color=accent)
        self.t_readout.label.set_color(accent)
        scale_note = Tex("(log scale)", font_size=t.small_size, color=muted)
        self.t_readout.next_to(self.slider, UP, buff=0.45)
        scale_note.next_to(ticks, DOWN, buff=0.1)
        self.slider_block = VGroup(self.slider, ticks, self.marker, self.t_readout, scale_note)

        # The entropy readout and gauge, full at log K.
        max_entropy = math.log(self.count)
        self.gauge = Gauge(
            max_entropy, width=side_width, height=0.3, color=accent, track_color=muted
        )
        self.h_readout = Readout("H(p) =", self.entropy_now, decimals=3, font_size=size)
        self.h_max = MathTex(
            rf"\max H = \log {self.count} = {max_entropy:.3f}",
            font_size=t.label_size,
            color=muted,
        )
        self.h_readout.next_to(self.gauge, UP, buff=0.25).align_to(self.gauge, LEFT)
        self.h_max.next_to(self.gauge, DOWN, buff=0.15).align_to(self.gauge, RIGHT)
        self.entropy_block = VGroup(self.gauge, self.h_readout, self.h_max)

        panels = VGroup(self.z_block, self.p_block)
        if self.is_portrait:
            panels.arrange(DOWN, buff=0.45)
            side = VGroup(self.slider_block, self.entropy_block).arrange(DOWN, buff=0.5)
            body = VGroup(panels, side).arrange(DOWN, buff=0.5)
        elif self.is_narrow:
            panels.arrange(RIGHT, buff=0.6, aligned_edge=DOWN)
            side = VGroup(self.slider_block, self.entropy_block).arrange(RIGHT, buff=0.8)
            body = VGroup(panels, side).arrange(DOWN, buff=0.5)
        else:
            panels.arrange(RIGHT, buff=0.7, aligned_edge=DOWN)
            side = VGroup(self.slider_block, self.entropy_block).arrange(DOWN, buff=0.7)
            body = VGroup(panels, side).arrange(RIGHT, buff=0.9)
        self.formula.next_to(body, UP, buff=0.4)
        self.plain_formula.move_to(self.formula)
        upper = VGroup(self.formula, body)
        self.upper = upper

        self.samples_block = self._samples_block(colors, names)
        self.aside = self._aside()

        top = self.top_under_title(0.25)
        bottom = self.layout_bottom
        # The samples in the frame's lower part (the upper share is the room their
        # beat's row of probabilities, slider and entropy takes).
        share = PORTRAIT_COMPACT_SHARE if self.is_portrait else COMPACT_SHARE
        both = VGroup(upper, self.plain_formula)
        self.fit(both, self.usable_width, (top - bottom) * share)
        both.move_to([0, top - upper.height / 2, 0])
        room = upper.get_bottom()[1] - 0.35 - bottom
        self.fit(self.samples_block, self.usable_width, room)
        self.samples_block.move_to([0, bottom + room / 2, 0])
        # The aside has the stage to itself.
        self.fit(self.aside, self.usable_width, top - bottom)
        self.aside.move_to([0, (top + bottom) / 2, 0])
        # Until the samples arrive the upper part gets the whole frame.
        self.enlarge = min(
            MAX_ENLARGE, self.usable_width / upper.width, (top - bottom - 0.3) / upper.height
        )
        self.full_center = np.array([0, (top + bottom) / 2, 0])
        both.scale(self.enlarge, about_point=upper.get_center()).shift(
            self.full_center - upper.get_center()
        )

        self.z_panel.track(self.scaled_logits)
        self.panel.track(self.probs)
        self.gauge.add_updater(lambda m: m.set_value(self.entropy_now()))

        def place_marker(marker: Triangle) -> None:
            x = min(max(math.log10(max(self.temperature(), 1e-300)), lo), hi)
            marker.move_to(self.slider.n2p(x) + 0.18 * UP)

        self.marker.add_updater(place_marker)
        place_marker(self.marker)

    def _samples_block(self, colors: list, names: list[str]) -> VGroup:
        t = self.theme
        p = self.params
        low_samples, high_samples = temperature_samples(
            self.logits, p.low_temperature, p.high_temperature, p.samples, p.seed
        )
        self.sample_classes = (low_samples, high_samples)
        token = 0.36 if p.samples <= 24 else 0.24
        # Each token carries its class's mark, as the legend does: not colour alone.
        marks, ink = class_marks(names), t.color("background")
        rows = VGroup()
        for temperature, samples, verdict in (
            (p.low_temperature, low_samples, "more predictable"),
            (p.high_temperature, high_samples, "less predictable"),
        ):
            label = MathTex(rf"T = {format_number(temperature)}", font_size=t.body_size)
            row = SampleRow(
                samples, colors, size=token, buff=token * 0.25, marks=marks, mark_color=ink
            )
            words = Tex(verdict, font_size=t.body_size, color=t.color("muted"))
            rows.add(VGroup(label, row, words))
        label_width = max(r[0].width for r in rows)
        for r in rows:
            r[1].next_to(r[0], RIGHT, buff=0.3 + label_width - r[0].width)
            r[2].next_to(r[1], RIGHT, buff=0.35)
        rows.arrange(DOWN, buff=0.3, aligned_edge=LEFT)
        if self.is_portrait:
            for r in rows:  # the verdict goes under the tokens
                r[2].next_to(r[1], DOWN, buff=0.1).align_to(r[1], LEFT)
            rows.arrange(DOWN, buff=0.25, aligned_edge=LEFT)
        legend = ClassLegend(names, colors, font_size=t.label_size, marks=marks, mark_color=ink)
        self.fit(legend, self.usable_width)
        note = Tex(
            r"A language model picks each next token by such a draw;"
            + (r" \\ " if self.is_narrow else " ")
            + r"its temperature sets how predictable the text is.",
            font_size=t.label_size,
            color=t.color("muted"),
        )
        block = VGroup(legend, rows, note).arrange(DOWN, buff=0.3)
        self.sample_rows = rows
        self.legend, self.sample_note = legend, note
        return block

    def _aside(self) -> VGroup:
        t = self.theme
        muted, accent = t.color("muted"), t.color("accent")
        dice = VGroup()
        for probabilities, title in (
            (TWO_FACED_DIE, r"1 or 6, half the time each"),
            (FAIR_DIE, r"a fair die"),
        ):
            variance, h = die_summary(probabilities)
            panel = BarPanel(
                probabilities,
                colors=[t.color("probability")] * 6,
                labels=[str(face) for face in range(1, 7)],
                width=3.4,
                height=1.3 if self.is_portrait else 1.8,
                value_range=(0, 0.6),
                show_values=False,
                axis_color=muted,
                label_size=t.label_size,
            )
            caption = Tex(title, font_size=t.body_size)
            caption.next_to(panel.box, UP, buff=0.25)
            variance_tex = MathTex(rf"\mathrm{{Var}} = {variance:.2f}", font_size=t.body_size)
            entropy_tex = MathTex(rf"H = {h:.2f}", font_size=t.body_size, color=accent)
            numbers = VGroup(variance_tex, entropy_tex)
            # 9:16: on one line, so the two dice stacked leave the aside larger.
            if self.is_portrait:
                numbers.arrange(RIGHT, buff=0.6)
            else:
                numbers.arrange(DOWN, buff=0.2)
            numbers.next_to(panel.class_labels, DOWN, buff=0.3)
            dice.add(VGroup(caption, panel, numbers))
        # Side by side at one height (narrow frames: one above the other).
        if self.is_portrait:
            dice[1].next_to(dice[0], DOWN, buff=0.6)
        else:
            dice[1].next_to(dice[0], RIGHT, buff=1.4)
            dice[1].shift((dice[0][1].box.get_y() - dice[1][1].box.get_y()) * UP)
        heading = Tex(
            r"Predictable is not the same"
            + (r" \\ " if self.is_narrow else " ")
            + "as low variance",
            font_size=t.body_size * 1.1,
        )
        verdict = Tex(
            r"The first die varies more,"
            + (r" \\ " if self.is_portrait else " ")
            + r"yet its entropy is lower: \\ it is the more predictable one.",
            font_size=t.body_size,
            color=muted,
        )
        group = VGroup(heading, dice, verdict).arrange(DOWN, buff=0.45)
        for mob in (heading, verdict):
            self.fit(mob, self.usable_width)
        self.dice, self.aside_heading, self.aside_verdict = dice, heading, verdict
        return group

    # -- story ---------------------------------------------------------------- #

    def show_formula(self) -> None:
        with self.beat(
            "formula",
            "Divide the logits by a temperature T <mark:before>before the softmax: the "
            "shape changes, <mark:order>but never the order of the classes.",
        ):
            self.play_for(1.0, Write(self.title_mob))
            self.play_for(1.2, Write(self.plain_formula))
            self.at_mark("before")
            self.play_for(1.2, TransformMatchingTex(self.plain_formula, self.formula))
            self.play_for(0.8, FadeIn(self.slider_block))
            self.play_for(0.9, FadeIn(self.z_block, shift=0.2 * UP))
            self.highlight(self.z_header)
            self.at_mark("order")
            self.play_for(0.9, FadeIn(self.p_block, shift=0.2 * UP))
            self.play_for(0.8, FadeIn(self.entropy_block))
            self.pause(0.5)

    def cool(self) -> None:
        lo = math.log10(self.t_low)
        with self.beat(
            "cool",
            "Cool it down: dividing by a small T spreads the logits far apart, "
            "<mark:spike>so the largest takes nearly all the probability; the entropy "
            "falls toward zero, and the outcome is more predictable.",
        ):
            self.play_for(4.0, self.log_t.animate.set_value(lo), rate_func=smooth)
            self.highlight(self.z_panel.bars)
            self.at_mark("spike")
            top = int(np.argmax(self.logits))
            self.highlight(self.panel.bars[top], self.panel.value_labels[top])
            self.highlight(self.h_readout, self.gauge)
            self.pause(0.5)

    def heat(self) -> None:
        hi = math.log10(self.t_high)
        with self.beat(
            "heat",
            "Heat it up: a large T squeezes the logits toward zero, <mark:level>so the bars "
            "level out toward one over K; the entropy climbs toward log K, and the outcome "
            "is less predictable.",
        ):
            self.play_for(6.0, self.log_t.animate.set_value(hi), rate_func=linear)
            self.highlight(self.z_panel.bars)
            self.at_mark("level")
            self.highlight(self.panel.bars)
            self.highlight(self.h_readout, self.gauge)
            self.pause(0.5)

    def draw_samples(self) -> None:
        p = self.params
        low_row, high_row = self.sample_rows
        with self.beat(
            "samples",
            "Draw samples to feel it: at low temperature nearly every draw is the same class, "
            "at high temperature they mix, as when a language model picks its next token.",
        ):
            # The scaled logits and the formula have made their point: they leave, and
            # the probabilities, slider and entropy line up in a row, large enough to
            # read above the samples.
            self.play_for(0.8, FadeOut(self.z_block), FadeOut(self.formula))
            self.play_for(1.2, *self._to_row())
            self.play_for(0.8, FadeIn(self.legend))
            self._go_to(p.low_temperature, 1.6)
            self.play_for(
                2.0,
                FadeIn(low_row[0]),
                LaggedStart(*(FadeIn(tok, scale=0.5) for tok in low_row[1]), lag_ratio=0.08),
            )
            self.play_for(0.6, FadeIn(low_row[2]))
            self._go_to(p.high_temperature, 1.6)
            self.play_for(
                2.0,
                FadeIn(high_row[0]),
                LaggedStart(*(FadeIn(tok, scale=0.5) for tok in high_row[1]), lag_ratio=0.08),
            )
            self.play_for(0.6, FadeIn(high_row[2]))
            self.play_for(1.0, FadeIn(self.sample_note))
            self.pause(1.0)

    def not_variance(self) -> None:
        with self.beat(
            "not-variance",
            "One caution: predictable is not the same as low variance. <mark:dice>A die "
            "that shows one or six, half the time each, varies more than a fair die, "
            "<mark:verdict>yet its entropy is lower: it is the more predictable one.",
        ):
            # The aside gets the stage to itself.
            self.play_for(1.0, FadeOut(self.upper), FadeOut(self.samples_block))
            self.play_for(1.0, FadeIn(self.aside_heading))
            self.at_mark("dice")
            for die in self.dice:
                self.play_for(1.0, FadeIn(die[0]), FadeIn(die[1]))
            for die in self.dice:
                self.play_for(0.6, FadeIn(die[2][0]))
            self.highlight(*(die[2][0] for die in self.dice))
            self.at_mark("verdict")
            for die in self.dice:
                self.play_for(0.6, FadeIn(die[2][1]))
            self.highlight(self.dice[0][2][1])
            self.play_for(1.0, FadeIn(self.aside_verdict))
            self.pause(1.5)

    def takeaway(self) -> None:
        with self.beat(
            "takeaway",
            "Temperature sets how predictable the draws are, and nothing else about the ranking.",
        ):
            self.play_for(0.8, FadeOut(self.aside))
            self.log_t.set_value(0.0)
            self.zero_temperature = False
            self.p_header.clear_updaters()
            for piece, (factor, center) in self.row_moves.items():
                piece.scale(1 / factor).move_to(center)
            self.p_header.next_to(self.panel.box, UP, buff=0.35)
            self.play_for(1.0, FadeIn(self.upper))
            self.close_with(
                r"Softmax of $z/T$: a low $T$ gives a predictable spike on the largest logit, "
                r"a high $T$ a less predictable, nearly uniform spread. The order of the "
                r"classes never changes.",
                keep=[],
            )

    def _to_row(self) -> list:
        """Animations that put the probabilities, the slider and the entropy in one row
        over the samples, as large as the room there allows (``self.row_moves`` keeps
        each piece's scale factor and former centre, to undo it)."""
        pieces = [self.panel, self.slider_block, self.entropy_block]
        row = VGroup(*(piece.copy().clear_updaters() for piece in pieces))
        # The header rides on its panel, at its own size.
        self.p_header.add_updater(lambda m: m.next_to(self.panel.box, UP, buff=0.2))
        if self.is_portrait:  # one above the other
            row.arrange(DOWN, buff=0.4)
        elif self.is_narrow:  # the slider over the entropy, beside the probabilities
            VGroup(row[0], VGroup(row[1], row[2]).arrange(DOWN, buff=0.4)).arrange(RIGHT, buff=0.6)
        else:
            row.arrange(RIGHT, buff=0.6, aligned_edge=DOWN)
        top = self.top_under_title(0.35) - self.p_header.height
        room = top - self.samples_block.get_top()[1] - 0.35
        row.scale(min(self.usable_width / row.width, room / row.height))
        row.move_to([0, top - row.height / 2, 0])
        self.row_moves = {}
        animations = []
        for piece, target in zip(pieces, row, strict=True):
            factor = target.width / piece.width
            self.row_moves[piece] = (factor, piece.get_center())
            animations.append(piece.animate.scale(factor).move_to(target))
        return animations

    def _go_to(self, temperature: float, seconds: float) -> None:
        """Move the slider to ``temperature`` (0 means the T -> 0 limit: argmax)."""
        if temperature <= 0:
            lo = math.log10(self.t_low)
            self.play_for(seconds, self.log_t.animate.set_value(lo), rate_func=smooth)
            self.zero_temperature = True
            return
        self.zero_temperature = False
        self.play_for(
            seconds, self.log_t.animate.set_value(math.log10(temperature)), rate_func=smooth
        )
