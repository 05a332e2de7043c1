"""Chapter 4, Temperature: softmax(z / T) from a spike on the argmax to uniform.

The temperature sweeps on a log scale; the bars go from a spike on the largest logit
(low T, more predictable) to nearly uniform (high T, less predictable), with a live
entropy readout against its maximum log K. Seeded samples drawn at a low and a high
temperature show the difference as rows of class tokens, as when a language model
samples its next token. A short aside: predictability is not variance.

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
    Create,
    FadeIn,
    FadeOut,
    LaggedStart,
    MathTex,
    NumberLine,
    Tex,
    Triangle,
    ValueTracker,
    VGroup,
    Write,
    linear,
    smooth,
)

from softmax_math import entropy, softmax
from softmax_video.core.chapters import find_chapter
from softmax_video.kit.lecture_scene import LectureScene
from softmax_video.kit.widgets import (
    BarPanel,
    ClassLegend,
    Gauge,
    Readout,
    SampleRow,
    format_number,
)

__all__ = ["Temperature", "die_summary", "draw_samples", "temperature_samples"]

#: Landscape: size of the probability panel and width of the right-hand column.
PANEL_SIZE = (5.0, 2.7)
SIDE_WIDTH = 5.2
#: Share of the height the upper part keeps once the samples are shown, and how much
#: larger than that it may be drawn before.
COMPACT_SHARE = 0.55
#: Portrait: the tall stack of panel, slider and gauge gets more (the samples are wide).
PORTRAIT_COMPACT_SHARE = 0.64
#: Square frames: panel width and height, slider and gauge width.
SQUARE_SIZES = (3.9, 2.7, 2.7)
MAX_ENLARGE = 1.5
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
        p = self.params
        self.logits = np.array(p.logits, dtype=float)
        self.count = len(self.logits)
        self.t_low, self.t_high = p.temperature_range
        # The temperature is tracked as log10(T), so the sweep is uniform on a log scale.
        self.log_t = ValueTracker(0.0)
        self.zero_temperature = False
        self._build()
        self._story()

    # -- state ---------------------------------------------------------------- #

    def temperature(self) -> float:
        return 0.0 if self.zero_temperature else 10 ** self.log_t.get_value()

    def probs(self) -> np.ndarray:
        return softmax(self.logits, temperature=self.temperature())

    def entropy_now(self) -> float:
        return float(entropy(self.probs()))

    # -- building ------------------------------------------------------------- #

    def _build(self) -> None:
        t = self.theme
        colors = t.class_colors_for(self.count)
        names = [self.class_name(k) for k in range(self.count)]
        muted, accent = t.color("muted"), t.color("accent")
        width, height = PANEL_SIZE
        side_width = SIDE_WIDTH
        if self.is_portrait:
            width, height, side_width = self.usable_width * 0.85, 1.8, self.usable_width * 0.85
        elif self.is_narrow:  # square: the landscape row, narrowed to the frame
            width, height, side_width = SQUARE_SIZES
        self.title_mob = self.title(find_chapter(self.params.SECTION).title)

        self.panel = BarPanel(
            self.probs(),
            colors=colors,
            labels=names,
            width=width,
            height=height,
            value_range=(0, 1),
            axis_color=muted,
            text_color=t.color("text"),
            label_size=t.label_size,
            value_size=t.small_size * 0.9,
        )
        self.formula = MathTex(
            r"p_i = \frac{e^{z_i / T}}{\sum_j e^{z_j / T}}", font_size=t.body_size * 0.9
        )
        self.formula.next_to(self.panel.box, UP, buff=0.5)
        logits_text = ",\\ ".join(format_number(v) for v in self.logits)
        self.logit_note = MathTex(rf"z = ({logits_text})", font_size=t.small_size, color=muted)
        self.panel_block = VGroup(self.panel, self.formula)

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
            label = MathTex(format_number(value), font_size=t.small_size * 0.9, color=muted)
            label.next_to(self.slider.n2p(math.log10(value)), DOWN, buff=0.15)
            ticks.add(label)
        self.slider_ticks = ticks
        self.marker = Triangle(color=accent, fill_opacity=1, stroke_width=0).scale(0.1)
        self.marker.rotate(math.pi)
        self.t_readout = Readout(
            "T =", self.temperature, font_size=t.body_size * 0.85, color=accent
        )
        self.t_readout.label.set_color(accent)
        scale_note = Tex("log scale", font_size=t.small_size * 0.8, color=muted)
        scale_note.next_to(self.slider, RIGHT, buff=0.15)
        self.t_readout.next_to(self.slider, UP, buff=0.45)
        self.slider_block = VGroup(self.slider, ticks, self.marker, self.t_readout, scale_note)

        # The entropy readout and gauge, full at log K.
        max_entropy = math.log(self.count)
        self.gauge = Gauge(
            max_entropy, width=side_width, height=0.28, color=accent, track_color=muted
        )
        self.h_readout = Readout(
            "H(p) =", self.entropy_now, decimals=3, font_size=t.body_size * 0.85
        )
        self.h_max = MathTex(
            rf"\max H = \log {self.count} = {max_entropy:.3f}",
            font_size=t.small_size,
            color=muted,
        )
        self.h_readout.next_to(self.gauge, UP, buff=0.25).align_to(self.gauge, LEFT)
        self.h_max.next_to(self.gauge, DOWN, buff=0.15).align_to(self.gauge, RIGHT)
        self.entropy_block = VGroup(self.gauge, self.h_readout, self.h_max)
        side = VGroup(self.slider_block, self.entropy_block).arrange(DOWN, buff=0.7)

        if self.is_portrait:
            upper = VGroup(self.panel_block, self.logit_note, side).arrange(DOWN, buff=0.35)
        else:
            gap = 0.6 if self.is_narrow else 1.0
            VGroup(self.panel_block, side).arrange(RIGHT, buff=gap, aligned_edge=DOWN)
            self.logit_note.next_to(self.panel.class_labels, DOWN, buff=0.2)
            upper = VGroup(self.panel_block, side, self.logit_note)
        self.upper = upper

        self.samples_block = self._samples_block(colors, names)
        self.aside = self._aside()

        top = self.title_mob.get_bottom()[1] - 0.25
        bottom = self.layout_bottom
        # Compact: the upper part in the top share, the samples / the aside below it.
        share = PORTRAIT_COMPACT_SHARE if self.is_portrait else COMPACT_SHARE
        self.fit(upper, self.usable_width, (top - bottom) * share)
        upper.move_to([0, top - upper.height / 2, 0])
        room = upper.get_bottom()[1] - 0.35 - bottom
        for group in (self.samples_block, self.aside):
            self.fit(group, self.usable_width, room)
            group.move_to([0, bottom + room / 2, 0])
        # Until the samples arrive the upper part gets the whole frame.
        self.compact_center = upper.get_center()
        self.enlarge = min(
            MAX_ENLARGE, self.usable_width / upper.width, (top - bottom - 0.3) / upper.height
        )
        upper.scale(self.enlarge).move_to([0, (top + bottom) / 2, 0])

        self.panel.track(self.probs)
        self.gauge.add_updater(lambda m: m.set_value(self.entropy_now()))

        def place_marker(marker: Triangle) -> None:
            x = min(max(math.log10(max(self.temperature(), 1e-300)), lo), hi)
            marker.move_to(self.slider.n2p(x) + 0.16 * UP)

        self.marker.add_updater(place_marker)
        place_marker(self.marker)

    def _samples_block(self, colors: list, names: list[str]) -> VGroup:
        t = self.theme
        p = self.params
        low_samples, high_samples = temperature_samples(
            self.logits, p.low_temperature, p.high_temperature, p.samples, p.seed
        )
        self.sample_classes = (low_samples, high_samples)
        token = 0.32 if p.samples <= 24 else 0.22
        rows = VGroup()
        for temperature, samples, verdict in (
            (p.low_temperature, low_samples, "more predictable"),
            (p.high_temperature, high_samples, "less predictable"),
        ):
            label = MathTex(rf"T = {format_number(temperature)}", font_size=t.label_size)
            row = SampleRow(samples, colors, size=token, buff=token * 0.25)
            words = Tex(verdict, font_size=t.label_size, color=t.color("muted"))
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
        legend = ClassLegend(names, colors, font_size=t.small_size)
        self.fit(legend, self.usable_width)
        note = Tex(
            r"A language model picks each next token by such a draw;"
            + (r" \\ " if self.is_portrait else " ")
            + r"its temperature sets how predictable the text is.",
            font_size=t.small_size,
            color=t.color("muted"),
        )
        heading = Tex(f"{p.samples} draws at each temperature", font_size=t.label_size)
        block = VGroup(heading, legend, rows, note).arrange(DOWN, buff=0.25)
        self.sample_rows = rows
        self.sample_heading, self.legend, self.sample_note = heading, legend, note
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
                colors=[accent] * 6,
                labels=[str(face) for face in range(1, 7)],
                width=3.0,
                height=1.2,
                value_range=(0, 0.6),
                show_values=False,
                axis_color=muted,
                label_size=t.small_size,
            )
            caption = Tex(title, font_size=t.label_size)
            caption.next_to(panel.box, UP, buff=0.2)
            numbers = MathTex(
                rf"\mathrm{{Var}} = {variance:.2f} \qquad H = {h:.2f}",
                font_size=t.label_size,
                color=accent,
            )
            numbers.next_to(panel.class_labels, DOWN, buff=0.2)
            dice.add(VGroup(caption, panel, numbers))
        # The panel boxes side by side, at one height (narrower apart in portrait).
        dice[1].next_to(dice[0], RIGHT, buff=0.6 if self.is_portrait else 1.2)
        dice[1].shift((dice[0][1].box.get_y() - dice[1][1].box.get_y()) * UP)
        heading = Tex(
            r"Predictable is not the same"
            + (r" \\ " if self.is_portrait else " ")
            + "as low variance:",
            font_size=t.body_size * 0.85,
        )
        verdict = Tex(
            r"the first die varies more, yet its entropy is lower:"
            + (r" \\ " if self.is_portrait else " ")
            + "it is more predictable.",
            font_size=t.label_size,
            color=muted,
        )
        group = VGroup(heading, dice, verdict).arrange(DOWN, buff=0.3)
        for mob in (heading, verdict):
            self.fit(mob, self.usable_width)
        return group

    # -- story ---------------------------------------------------------------- #

    def _story(self) -> None:
        p = self.params
        lo, hi = math.log10(self.t_low), math.log10(self.t_high)
        with self.beat(
            "formula",
            "Dividing the logits by a temperature T before the softmax reshapes the "
            "distribution but never changes the order of the classes.",
        ):
            self.play_for(1.0, Write(self.title_mob))
            self.add(self.panel)
            self.play_for(
                2.0,
                FadeIn(self.panel),
                Write(self.formula),
                FadeIn(self.logit_note),
                Create(self.slider),
                FadeIn(self.slider_ticks),
                FadeIn(self.slider_block[4]),
                FadeIn(self.marker),
                FadeIn(self.t_readout),
            )
            self.play_for(1.0, FadeIn(self.entropy_block))
            self.pause(2.0)

        with self.beat(
            "cool",
            "Cool it down and the largest logit takes nearly all the probability; the "
            "entropy falls toward zero, and the outcome is more predictable.",
        ):
            self.play_for(4.0, self.log_t.animate.set_value(lo), rate_func=smooth)
            self.pause(2.5)

        with self.beat(
            "heat",
            "Heat it up and the bars level out toward one over K; the entropy climbs toward "
            "its maximum, log K, and the outcome is less predictable.",
        ):
            self.play_for(6.0, self.log_t.animate.set_value(hi), rate_func=linear)
            self.pause(2.0)

        low_row, high_row = self.sample_rows
        with self.beat(
            "samples",
            "Draw samples to feel it: at low temperature nearly every draw is the same class, "
            "at high temperature they mix, as when a language model picks its next token.",
        ):
            self.play_for(
                1.2, self.upper.animate.scale(1 / self.enlarge).move_to(self.compact_center)
            )
            self._go_to(p.low_temperature, 1.6)
            self.play_for(1.0, FadeIn(self.sample_heading), FadeIn(self.legend))
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
            self.pause(1.5)

        with self.beat(
            "not-variance",
            "One caution: predictability is not variance. A die showing one or six half the "
            "time each has more variance than a fair die, yet it is the more predictable one.",
        ):
            self.play_for(1.0, FadeOut(self.samples_block))
            self.play_for(1.5, FadeIn(self.aside))
            self.pause(5.0)

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
