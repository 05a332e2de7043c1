"""Reusable 2D widgets: bar/stem panels over classes, legends, live readouts, sample rows.

The widgets take their colours and sizes as arguments (scenes pass them from the
active theme) and update in place: a panel driven by a ValueTracker moves the
points of its existing bars and relabels its existing numbers instead of
rebuilding mobjects every frame.

Examples
--------
>>> from manim import BLUE, ORANGE
>>> panel = BarPanel([0.25, 0.75], colors=[BLUE, ORANGE], labels=["cat", "dog"])
>>> [round(v, 6) for v in panel.displayed_values()]
[0.25, 0.75]
>>> _ = panel.set_values([0.5, -0.1])  # below the range: drawn clipped at the baseline
>>> [round(v, 6) for v in panel.displayed_values()]
[0.5, 0.0]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from functools import partialmethod
from typing import Any

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    WHITE,
    DashedVMobject,
    Dot,
    Line,
    ManimColor,
    MathTex,
    Rectangle,
    RoundedRectangle,
    Tex,
    VGroup,
    VMobject,
)

from softmax_video.core.text import tex_escape

__all__ = [
    "BarPanel",
    "ClassLegend",
    "Gauge",
    "LiveFraction",
    "MarkerSet",
    "NumberReadout",
    "Readout",
    "SampleRow",
    "backed",
    "default_text_color",
    "edge_y_labels",
    "format_number",
    "logit_range",
]


#: Share of a class column taken by its bar.
BAR_WIDTH_SHARE = 0.56
#: Gap between a bar end and its value label, in units of the label height.
LABEL_GAP = 0.35


def format_number(value: float, decimals: int = 2) -> str:
    """A number as LaTeX: integers without decimals, infinities as ``\\infty``.

    Examples
    --------
    >>> [format_number(v) for v in (2.0, -0.5, 1000.0, float("-inf"), 2.345)]
    ['2', '-0.5', '1000', '-\\\\infty', '2.35']
    """
    if math.isinf(value):
        return r"\infty" if value > 0 else r"-\infty"
    if math.isnan(value):
        return r"\mathrm{NaN}"
    if float(value).is_integer():
        return str(int(value))
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def logit_range(values: Iterable[float], pad: float = 0.15) -> tuple[float, float]:
    """A vertical range holding every finite value, padded by ``pad`` of its span.

    It holds 0 too (so stems grow from a zero baseline) unless 0 is so far away that
    it would squeeze the differences between the logits, the only thing that matters.

    Examples
    --------
    >>> logit_range([1.0, -0.5])
    (-0.725, 1.225)
    >>> logit_range([998.0, 1000.0])
    (997.7, 1000.3)
    """
    finite = [v for v in values if math.isfinite(v)] or [0.0]
    low, high = min(finite), max(finite)
    span = max(high - low, 1.0)
    if low - span <= 0.0 <= high + span:
        low, high = min(low, 0.0), max(high, 0.0)
        span = high - low
    return low - pad * span, high + pad * span


def edge_y_labels(
    axes: Any, values: Sequence[float], *, font_size: float, color: ManimColor | str
) -> VGroup:
    """Labels (with short ticks) for ``values`` at the left edge of ``axes``.

    Used when the y axis stands mid-plot at x = 0, where its own numbers would sit on
    the curves.
    """
    x_min = axes.x_range[0]
    labels = VGroup()
    for y in values:
        point = axes.c2p(x_min, y)
        label = MathTex(format_number(y), font_size=font_size, color=color)
        label.next_to(point, LEFT, buff=0.12)
        tick = Line(point, point + 0.1 * RIGHT, color=color, stroke_width=2)
        labels.add(VGroup(label, tick))
    return labels


def default_text_color() -> ManimColor:
    """The colour ``MathTex`` currently uses by default (scenes set it from the theme)."""
    init = MathTex.__dict__.get("__init__")
    if isinstance(init, partialmethod) and "color" in init.keywords:
        return ManimColor(init.keywords["color"])
    return ManimColor(WHITE)


def _decimals_for(value: float, decimals: int) -> int:
    """Fewer decimals for large magnitudes, so labels keep about 3-4 significant digits."""
    magnitude = abs(value)
    if magnitude >= 1000:
        return 0
    if magnitude >= 100:
        return min(decimals, 1)
    return decimals


class _GlyphAtlas:
    """Outlines of the characters a number needs, measured once from LaTeX.

    Each glyph's points are stored relative to its anchor: the centre of its advance
    cell horizontally and the centre of a "0" vertically, at font size 48. Advances
    between anchors are measured from short LaTeX strings, so numbers laid out from
    the atlas look like the same number typeset by ``MathTex``.
    """

    FONT_SIZE = 48.0

    def __init__(self) -> None:
        self.points: dict[str, np.ndarray] = {}
        digits = MathTex("0123456789")[0]
        pair = MathTex("00")[0]
        self.digit_advance = pair[1].get_x() - pair[0].get_x()
        x0, y0 = digits[0].get_x(), digits[0].get_y()
        for i, (char, glyph) in enumerate(zip("0123456789", digits, strict=True)):
            self.points[char] = glyph.points - np.array([x0 + i * self.digit_advance, y0, 0])
        zero, dot, zero_b = MathTex("0.0")[0]
        self.points["."] = dot.points - np.array([dot.get_x(), zero.get_y(), 0])
        self.advance = {
            ("d", "d"): self.digit_advance,
            ("d", "."): dot.get_x() - zero.get_x(),
            (".", "d"): zero_b.get_x() - dot.get_x(),
        }
        minus, zero = MathTex("-0")[0]
        self.points["-"] = minus.points - np.array([minus.get_x(), zero.get_y(), 0])
        self.advance[("-", "d")] = zero.get_x() - minus.get_x()
        minus_dy = minus.get_y() - zero.get_y()
        #: Height of the math axis (the centre of - and =) above a digit's centre.
        self.axis_dy = minus_dy
        minus_b, infinity = MathTex(r"-\infty")[0]
        inf_y = infinity.get_y() - minus_b.get_y() + minus_dy  # relative to a "0" centre
        self.points["i"] = infinity.points - np.array([infinity.get_x(), inf_y, 0])
        self.advance[("-", "i")] = infinity.get_x() - minus_b.get_x()
        plus, zero = MathTex("+0")[0]
        self.points["+"] = plus.points - np.array([plus.get_x(), zero.get_y(), 0])
        self.advance[("+", "d")] = zero.get_x() - plus.get_x()
        # "+" and "-" have the same advance width in TeX's fonts and are anchored at
        # their centres, so the infinity follows a "+" as it follows a "-".
        self.advance[("+", "i")] = self.advance[("-", "i")]

    @staticmethod
    def kind(char: str) -> str:
        return "d" if char.isdigit() else char

    def layout(self, text: str) -> list[tuple[np.ndarray, float]]:
        """``(glyph points, anchor x)`` per character of ``text`` (``i`` = infinity)."""
        placed = []
        x = 0.0
        for i, char in enumerate(text):
            if i:
                x += self.advance[(self.kind(text[i - 1]), self.kind(char))]
            placed.append((self.points[char], x))
        return placed


_ATLAS: _GlyphAtlas | None = None


def _atlas() -> _GlyphAtlas:
    global _ATLAS
    if _ATLAS is None:
        _ATLAS = _GlyphAtlas()
    return _ATLAS


class NumberReadout(VGroup):
    """A number (``-inf``/``+inf`` shown as the symbol) that is cheap to update every frame.

    Unlike ``DecimalNumber``, which copies LaTeX glyph mobjects on every change, the
    readout owns a fixed row of character slots and only overwrites their points from
    a glyph atlas; the family never changes, so updaters and animations mix freely.

    Parameters
    ----------
    value
        The initial value.
    decimals
        Decimal places for magnitudes below 100 (fewer for larger numbers when ``adaptive``).
    font_size
        Font size of the digits.
    color
        Fill colour of the digits.
    adaptive
        Drop decimals for large magnitudes (1234 rather than 1234.00).
    max_chars
        Number of character slots; a value needing more raises ``ValueError``.
    include_sign
        Write a ``+`` before positive values and zero (``+0.50``, ``+0.00``, ``-0.50``),
        as ``DecimalNumber(include_sign=True)`` does.
    """

    def __init__(
        self,
        value: float = 0.0,
        *,
        decimals: int = 2,
        font_size: float = 24,
        color: ManimColor | str | None = None,
        adaptive: bool = True,
        max_chars: int = 12,
        include_sign: bool = False,
    ) -> None:
        super().__init__()
        self.decimals = decimals
        self.adaptive = adaptive
        self.include_sign = include_sign
        self.max_chars = max_chars
        self.value = float("nan")
        self.text = ""
        # A tiny invisible segment: its start is the first anchor and its length records
        # the current scale, so the readout can be moved and scaled like any mobject.
        self._ref_length = 0.01 * font_size / _GlyphAtlas.FONT_SIZE
        self.ref = VMobject(stroke_width=0, stroke_opacity=0, fill_opacity=0)
        self.ref.set_points_as_corners([np.zeros(3), self._ref_length * RIGHT])
        color = color if color is not None else default_text_color()
        self.slots = VGroup(
            *(
                VMobject(stroke_width=0, fill_color=color, fill_opacity=1.0)
                for _ in range(max_chars)
            )
        )
        self.add(self.ref, self.slots)
        self.set_value(value)

    def format(self, value: float) -> str:
        """The characters shown for ``value`` (``i`` stands for infinity)."""
        if math.isnan(value):
            raise ValueError("NumberReadout cannot show NaN")
        sign = "+" if self.include_sign else ""
        if math.isinf(value):
            return sign + "i" if value > 0 else "-i"
        places = _decimals_for(value, self.decimals) if self.adaptive else self.decimals
        text = f"{round(value, places) + 0.0:{sign}.{places}f}"  # + 0.0: no "-0.00"
        if len(text) > self.max_chars:
            raise ValueError(f"{text} needs more than {self.max_chars} characters")
        return text

    def set_value(self, value: float) -> NumberReadout:
        """Show ``value``; the first character's anchor stays where it was."""
        value = float(value)
        text = self.format(value)
        self.value = value
        if text == self.text:
            return self
        self.text = text
        start, end = self.ref.points[0], self.ref.points[-1]
        scale = np.linalg.norm(end - start) / 0.01  # template size -> current size
        placed = _atlas().layout(text)
        for slot, (points, x) in zip(self.slots, placed, strict=False):
            slot.points = start + scale * (points + np.array([x, 0.0, 0.0]))
        empty = np.repeat(start[None, :], 4, axis=0)
        # The submobject list, not the VGroup: slicing a VGroup builds a new VGroup.
        for slot in self.slots.submobjects[len(placed) :]:
            slot.points = empty.copy()
        return self

    def get_value(self) -> float:
        return self.value

    def scale_factor(self) -> float:
        """Current size relative to the font-size-48 glyph templates."""
        return float(np.linalg.norm(self.ref.points[-1] - self.ref.points[0]) / 0.01)

    def axis_y(self) -> float:
        """y of the math axis (where a ``=`` or ``-`` sign is centred) for these digits."""
        return float(self.ref.points[0][1] + _atlas().axis_dy * self.scale_factor())

    def align_axis_to(self, mobject_or_y: VMobject | float) -> NumberReadout:
        """Shift vertically so the digits sit as if typeset next to ``=`` (a mobject centred
        on the math axis, e.g. the ``=`` glyph itself, or the axis height)."""
        y = mobject_or_y if isinstance(mobject_or_y, float | int) else mobject_or_y.get_y()
        self.shift((float(y) - self.axis_y()) * UP)
        return self


class Readout(VGroup):
    """``label`` followed by a live number, e.g. ``H = 0.52``.

    Parameters
    ----------
    label
        LaTeX for the left part (``"H ="``).
    getter
        Called every frame to get the value; ``None`` for a readout set by hand
        (:meth:`set_value`).
    value
        The value shown first when there is no ``getter``.
    decimals, font_size, color, adaptive, include_sign
        As in :class:`NumberReadout`.
    """

    def __init__(
        self,
        label: str,
        getter: Callable[[], float] | None = None,
        *,
        value: float = 0.0,
        decimals: int = 2,
        font_size: float = 28,
        color: ManimColor | str | None = None,
        adaptive: bool = True,
        include_sign: bool = False,
    ) -> None:
        super().__init__()
        kwargs: dict[str, Any] = {"font_size": font_size}
        if color is not None:
            kwargs["color"] = color
        self.label = MathTex(label, **kwargs)
        first = getter() if getter is not None else value
        self.number = NumberReadout(
            first,
            decimals=decimals,
            font_size=font_size,
            color=color,
            adaptive=adaptive,
            include_sign=include_sign,
        )
        self.place_number()
        self.add(self.label, self.number)
        if getter is not None:
            self.number.add_updater(lambda m: m.set_value(getter()))

    def place_number(self, buff: float = 0.15) -> Readout:
        """Put the number ``buff`` right of the label, its digits on the label's baseline
        (as if typeset after the label's closing ``=`` or similar)."""
        self.number.next_to(self.label, RIGHT, buff=buff)
        self.number.align_axis_to(self.label[0][-1])
        return self

    def set_value(self, value: float) -> Readout:
        self.number.set_value(value)
        return self


class LiveFraction(VGroup):
    """A fraction of two live numbers whose bar stretches to the wider one.

    Parameters
    ----------
    numerator, denominator
        Initial values.
    decimals, font_size, color
        As in :class:`NumberReadout`.
    bar_color
        Colour of the fraction bar (default: ``color``).
    """

    def __init__(
        self,
        numerator: float = 1.0,
        denominator: float = 1.0,
        *,
        decimals: int = 2,
        font_size: float = 28,
        color: ManimColor | str | None = None,
        bar_color: ManimColor | str | None = None,
    ) -> None:
        super().__init__()
        self.top = NumberReadout(numerator, decimals=decimals, font_size=font_size, color=color)
        self.bottom = NumberReadout(
            denominator, decimals=decimals, font_size=font_size, color=color
        )
        self.bar = Line(LEFT, RIGHT, stroke_width=2)
        if bar_color is not None or color is not None:
            self.bar.set_color(bar_color if bar_color is not None else color)
        self.add(self.top, self.bar, self.bottom)
        self.gap = self.top.height * 0.35
        self._arrange()

    def _arrange(self) -> None:
        center = self.bar.get_center()
        width = max(self.top.width, self.bottom.width) + 2 * self.gap
        # The same points as put_start_and_end_on, without its rotate-and-scale.
        self.bar.set_points_as_corners([center + width / 2 * LEFT, center + width / 2 * RIGHT])
        self.top.next_to(self.bar, UP, buff=self.gap)
        self.bottom.next_to(self.bar, DOWN, buff=self.gap)

    def set_values(self, numerator: float, denominator: float) -> LiveFraction:
        shown = (self.top.text, self.bottom.text)
        self.top.set_value(numerator)
        self.bottom.set_value(denominator)
        if (self.top.text, self.bottom.text) != shown:  # same digits: same layout
            self._arrange()
        return self


class BarPanel(VGroup):
    """Bars (or stems with dots) over class labels, with a baseline at 0, updatable in place.

    Values are drawn on a linear scale from ``value_range[0]`` (bottom of the panel box)
    to ``value_range[1]`` (top). The baseline sits at 0 when 0 is in the range, so
    negative values hang below it. Values outside the range (``-inf`` included) are drawn
    clipped to the box edge; their labels still show the true value.

    Parameters
    ----------
    values
        One value per class.
    colors
        One colour per class.
    labels
        Class names written under the columns (plain text, set with ``Tex``).
    width, height
        Size of the plotting box in scene units.
    value_range
        ``(low, high)`` of the vertical scale; ``low`` may be negative.
    style
        ``"bar"`` for filled bars, ``"stem"`` for a line and a dot.
    decimals
        Decimal places of the value labels.
    show_values
        Write each value next to its bar end (below 0: just above the baseline).
    axis_color, text_color
        Colours of the baseline and of the value labels.
    label_size, value_size
        Font sizes of the class labels and of the value labels.
    total
        Add a last column holding every bar stacked end to end (class-coloured pieces,
        bottom to top in class order), labelled ``total_label``, with the total written
        on top: the sum the bars add up to, as a height.
    total_label
        LaTeX (math mode) under the total column.
    label_values
        Maps the values to the numbers their labels show (e.g. rounding that keeps a
        sum, :func:`softmax_math.rounding.round_to_total`); the total column's label
        shows their sum. Default: the values themselves.
    """

    def __init__(
        self,
        values: Sequence[float],
        *,
        colors: Sequence[ManimColor | str],
        labels: Sequence[str],
        width: float = 4.0,
        height: float = 3.0,
        value_range: tuple[float, float] = (0.0, 1.0),
        style: str = "bar",
        decimals: int = 2,
        show_values: bool = True,
        axis_color: ManimColor | str | None = None,
        text_color: ManimColor | str | None = None,
        label_size: float = 26,
        value_size: float = 22,
        fill_opacity: float = 0.85,
        total: bool = False,
        total_label: str = r"\Sigma",
        label_values: Callable[[np.ndarray], Sequence[float]] | None = None,
    ) -> None:
        super().__init__()
        if style not in ("bar", "stem"):
            raise ValueError(f"style must be 'bar' or 'stem', got {style!r}")
        count = len(values)
        if not len(colors) >= count or len(labels) < count:
            raise ValueError("need one colour and one label per value")
        self.count = count
        self.has_total = total
        self.columns = count + (1 if total else 0)
        self.label_values = label_values
        self.style = style
        self.value_range = (float(value_range[0]), float(value_range[1]))
        self.values = np.zeros(count)

        self.box = Rectangle(width=width, height=height, stroke_opacity=0, fill_opacity=0)
        axis_kwargs: dict[str, Any] = {"stroke_width": 2}
        if axis_color is not None:
            axis_kwargs["color"] = axis_color
        self.baseline = Line(LEFT, RIGHT, **axis_kwargs)

        column = width / self.columns
        self.bars = VGroup()
        for k in range(count):
            if style == "bar":
                bar = VMobject(
                    fill_color=colors[k],
                    fill_opacity=fill_opacity,
                    stroke_color=colors[k],
                    stroke_width=1.5,
                )
                bar.set_points_as_corners([np.zeros(3)] * 5)
            else:
                stem = VMobject(stroke_color=colors[k], stroke_width=4)
                stem.set_points_as_corners([np.zeros(3)] * 2)
                dot = Dot(radius=min(0.11, column * 0.12), color=colors[k])
                bar = VGroup(stem, dot)
            self.bars.add(bar)

        text_kwargs: dict[str, Any] = {}
        if text_color is not None:
            text_kwargs["color"] = text_color
        self.value_labels = VGroup(
            *(
                NumberReadout(0.0, decimals=decimals, font_size=value_size, **text_kwargs)
                for _ in range(count)
            )
        )
        self.show_values = show_values
        if not show_values:
            self.value_labels.set_opacity(0)

        self.class_labels = VGroup(
            *(
                Tex(tex_escape(labels[k]), font_size=label_size, color=colors[k])
                for k in range(count)
            )
        )
        # Long names: two staggered rows (each name may then span almost two columns),
        # and only then shrink.
        widest = max(label.width for label in self.class_labels)
        self.staggered = count > 2 and widest > column * 0.95
        room = column * (1.9 if self.staggered else 0.95)
        for label in self.class_labels:
            if label.width > room:
                label.scale_to_fit_width(room)
        self.add(self.box, self.baseline, self.bars, self.value_labels, self.class_labels)
        if total:
            self.stack = VGroup()
            for k in range(count):
                piece = VMobject(
                    fill_color=colors[k],
                    fill_opacity=fill_opacity,
                    stroke_color=colors[k],
                    stroke_width=1.5,
                )
                piece.set_points_as_corners([np.zeros(3)] * 5)
                self.stack.add(piece)
            self.total_value = NumberReadout(
                0.0, decimals=decimals, font_size=value_size, **text_kwargs
            )
            self.total_name = MathTex(total_label, font_size=label_size, **text_kwargs)
            if not show_values:
                self.total_value.set_opacity(0)
            self.add(self.stack, self.total_value, self.total_name)
        self._place_class_labels()
        self.set_values(values)

    # -- geometry ------------------------------------------------------------ #

    def _box_edges(self) -> tuple[float, float, float, float]:
        """(left, right, bottom, top) of the plotting box."""
        points = self.box.points
        (left, bottom), (right, top) = points[:, :2].min(axis=0), points[:, :2].max(axis=0)
        return float(left), float(right), float(bottom), float(top)

    def column_x(self, k: int) -> float:
        """x of the centre of column ``k``."""
        left, right, _, _ = self._box_edges()
        return self._column_x(k, left, right)

    def _column_x(self, k: int, left: float, right: float) -> float:
        return left + (k + 0.5) * (right - left) / self.columns

    def value_to_y(self, value: float) -> float:
        """y of ``value`` on the panel's scale, clipped to the box."""
        _, _, bottom, top = self._box_edges()
        return self._value_to_y(value, bottom, top)

    def _value_to_y(self, value: float, bottom: float, top: float) -> float:
        low, high = self.value_range
        if math.isnan(value):
            value = low
        value = min(max(value, low), high)
        return bottom + (value - low) / (high - low) * (top - bottom)

    def baseline_y(self) -> float:
        """y of the baseline: 0 if 0 is in the range, else the bottom of the box."""
        return self.value_to_y(0.0)

    def _place_class_labels(self) -> None:
        bottom = self.box.get_bottom()[1]
        gap = 0.18 * self.box.height / 3 + 0.06
        row_height = max(label.height for label in self.class_labels) * 1.25
        for k, label in enumerate(self.class_labels):
            label.move_to([self.column_x(k), 0, 0])
            label.set_y(bottom - gap - label.height / 2)
        # Descenders differ between names: align their tops instead of their centres.
        top = max(label.get_top()[1] for label in self.class_labels)
        for k, label in enumerate(self.class_labels):
            row = k % 2 if self.staggered else 0
            label.shift((top - label.get_top()[1] - row * row_height) * UP)
        if self.has_total:
            self.total_name.move_to([self.column_x(self.count), 0, 0])
            self.total_name.set_y(top - self.total_name.height / 2)

    # -- updating ------------------------------------------------------------ #

    def set_range(self, low: float, high: float) -> BarPanel:
        """Change the vertical scale (``low < high``) and redraw."""
        return self.set_values(self.values, (low, high))

    def set_values(
        self, values: Sequence[float], value_range: tuple[float, float] | None = None
    ) -> BarPanel:
        """Redraw every bar and label for ``values`` (and a new ``value_range``, if given),
        moving existing points only."""
        if value_range is not None:
            low, high = value_range
            if not low < high:
                raise ValueError(f"need low < high, got ({low}, {high})")
            self.value_range = (float(low), float(high))
        values = np.asarray(values, dtype=float)
        if values.shape != (self.count,):
            raise ValueError(f"expected {self.count} values, got shape {values.shape}")
        self.values = values.copy()
        # The box's edges once per call: manim measures a bounding box for each query.
        left, right, bottom, top = self._box_edges()
        y0 = self._value_to_y(0.0, bottom, top)
        # The same points as put_start_and_end_on, without its rotate-and-scale.
        self.baseline.set_points_as_corners([[left, y0, 0], [right, y0, 0]])
        half = BAR_WIDTH_SHARE * (right - left) / self.columns / 2
        for k, (bar, value) in enumerate(zip(self.bars, values, strict=True)):
            x = self._column_x(k, left, right)
            y = self._value_to_y(value, bottom, top)
            if self.style == "bar":
                bar.set_points_as_corners(
                    [
                        [x - half, y0, 0],
                        [x + half, y0, 0],
                        [x + half, y, 0],
                        [x - half, y, 0],
                        [x - half, y0, 0],
                    ]
                )
            else:
                stem, dot = bar
                stem.set_points_as_corners([[x, y0, 0], [x, y, 0]])
                dot.move_to([x, y, 0])
        shown = values
        if self.label_values is not None:
            try:
                shown = np.asarray(self.label_values(values), dtype=float)
            except ValueError:  # e.g. rounding that needs finite values: the values as they are
                shown = values
        for k, value in enumerate(values):
            x = self._column_x(k, left, right)
            y = self._value_to_y(value, bottom, top)
            self._place_value_label(k, x, y, y0, value, shown[k])
        if self.has_total:
            self._draw_stack(left, right, bottom, top, y0, float(np.sum(shown)))
        return self

    def _draw_stack(
        self, left: float, right: float, bottom: float, top: float, y0: float, shown: float
    ) -> None:
        """The total column: the bars end to end from the baseline, the total on top."""
        x = self._column_x(self.count, left, right)
        half = BAR_WIDTH_SHARE * (right - left) / self.columns / 2
        heights = np.clip(np.nan_to_num(self.values, nan=0.0, neginf=0.0), 0.0, None)
        low = 0.0
        y_low = y0
        for piece, height in zip(self.stack, heights, strict=True):
            y_high = self._value_to_y(low + height, bottom, top)
            piece.set_points_as_corners(
                [
                    [x - half, y_low, 0],
                    [x + half, y_low, 0],
                    [x + half, y_high, 0],
                    [x - half, y_high, 0],
                    [x - half, y_low, 0],
                ]
            )
            low, y_low = low + height, y_high
        label = self.total_value
        label.set_value(shown)
        points = label.get_all_points()
        lo, hi = points.min(axis=0), points.max(axis=0)
        height = hi[1] - lo[1]
        target = np.array([x, y_low + LABEL_GAP * height + height / 2, 0])
        label.shift(target - (lo + hi) / 2)

    def stack_values(self) -> list[float]:
        """The heights of the total column's pieces, read back in the panel's units."""
        low, high = self.value_range
        _, _, bottom, top = self._box_edges()
        per_unit = (top - bottom) / (high - low)
        return [float(piece.height / per_unit) for piece in self.stack]

    def _place_value_label(
        self, k: int, x: float, y: float, y0: float, value: float, shown: float | None = None
    ) -> None:
        label = self.value_labels[k]
        label.set_value(value if shown is None else shown)
        points = label.get_all_points()
        low, high = points.min(axis=0), points.max(axis=0)
        height = high[1] - low[1]
        gap = LABEL_GAP * height + (self.bars[k][1].height / 2 if self.style == "stem" else 0)
        if value >= 0 or math.isnan(value):
            target = [x, y + gap + height / 2, 0]
        else:  # below zero: write it on the other side of the baseline
            target = [x, y0 + LABEL_GAP * height + height / 2, 0]
        label.shift(np.array(target) - (low + high) / 2)

    def ghost(self, color: ManimColor | str | None = None, opacity: float = 0.7) -> VGroup:
        """Outlines of the bars as they are now (a static reference for later changes)."""
        outlines = VGroup()
        for bar in self.bars:
            shape = bar.copy() if self.style == "bar" else bar[0].copy()
            shape.clear_updaters()
            shape.set_fill(opacity=0)
            shape.set_stroke(color=color, width=2, opacity=opacity)
            outlines.add(DashedVMobject(shape, num_dashes=24, dashed_ratio=0.55))
        return outlines

    def track(self, getter: Callable[[], Sequence[float]]) -> BarPanel:
        """Keep the panel showing ``getter()`` (an updater; remove with ``clear_updaters``)."""
        self.add_updater(lambda m: m.set_values(getter()))
        return self

    # -- reading back (tests, and arrows that point at bars) ---------------- #

    def bar_top(self, k: int) -> np.ndarray:
        """The point at the end of bar ``k`` (the dot centre for stems)."""
        x = self.column_x(k)
        return np.array([x, self.value_to_y(self.values[k]), 0.0])

    def displayed_values(self) -> list[float]:
        """The values the drawn bars stand for, read back from their geometry."""
        low, high = self.value_range
        bottom, top = self.box.get_bottom()[1], self.box.get_top()[1]
        shown = []
        for bar in self.bars:
            if self.style == "bar":
                ys = bar.get_all_points()[:, 1]
                end = ys.max() if ys.max() - self.baseline_y() > 1e-9 else ys.min()
            else:
                end = bar[1].get_center()[1]
            shown.append(float(low + (end - bottom) / (top - bottom) * (high - low)))
        return shown


class MarkerSet(VMobject):
    """Copies of one marker (a dot, a ring) drawn as one path, placed by their centres.

    A path of many sub-paths is one draw call a frame instead of one per marker, and
    moving every marker is one numpy operation instead of a ``move_to`` each (which
    measures the marker first). Markers that overlap are filled as their union, so
    where two overlap the outline is anti-aliased once rather than twice. Move the
    markers through :meth:`set_centers` (also as ``.animate.set_centers``), not by
    scaling or rotating the set.

    Parameters
    ----------
    marker
        The look of every marker: its outline around its centre and its style.
    centers
        Where the markers are, shape ``(n, 3)``.

    Examples
    --------
    >>> from manim import Dot
    >>> dots = MarkerSet(Dot(radius=0.1), [[0, 0, 0], [1, 2, 0]])
    >>> dots.get_centers().round(6).tolist()
    [[0.0, 0.0, 0.0], [1.0, 2.0, 0.0]]
    >>> [piece.get_center().round(6).tolist() for piece in dots.pieces()]
    [[0.0, 0.0, 0.0], [1.0, 2.0, 0.0]]
    """

    def __init__(self, marker: VMobject, centers: Sequence[Sequence[float]] | np.ndarray) -> None:
        super().__init__()
        self.match_style(marker)
        self.outline = marker.points - marker.get_center()
        self.set_centers(centers)

    def set_centers(self, centers: Sequence[Sequence[float]] | np.ndarray) -> MarkerSet:
        """Put the markers' centres at ``centers``, shape ``(n, 3)``."""
        centers = np.asarray(centers, dtype=float).reshape(-1, 3)
        self.points = (centers[:, None, :] + self.outline[None]).reshape(-1, 3)
        return self

    def _outlines(self) -> np.ndarray:
        return self.points.reshape(-1, len(self.outline), 3)

    def get_centers(self) -> np.ndarray:
        """The markers' centres as drawn now, shape ``(n, 3)`` (after an animation too:
        each marker is its outline shifted, so one point gives its centre)."""
        return self._outlines()[:, 0, :] - self.outline[0]

    def pieces(self) -> VGroup:
        """The markers as separate mobjects where they are now, for animations that
        treat them one by one (a ``FadeIn`` with a ``lag_ratio``; a fade of markers
        stacked on one spot, whose opacities compound)."""
        return VGroup(
            *(VMobject().match_style(self).set_points(outline) for outline in self._outlines())
        )


class ClassLegend(VGroup):
    """Colour swatches with class names, in a row (or a column).

    Parameters
    ----------
    names, colors
        One name and one colour per class.
    font_size
        Font size of the names.
    direction
        ``RIGHT`` for a row, ``DOWN`` for a column.
    marks
        One short mark per class (a letter, a number) written on its swatch, the same as
        on :class:`SampleRow` tokens, so classes are told apart without colour.
    mark_color
        Colour of the marks (default: the text colour).
    """

    def __init__(
        self,
        names: Sequence[str],
        colors: Sequence[ManimColor | str],
        *,
        font_size: float = 24,
        direction: np.ndarray = RIGHT,
        marks: Sequence[str] | None = None,
        mark_color: ManimColor | str | None = None,
    ) -> None:
        super().__init__()
        for k, (name, color) in enumerate(zip(names, colors, strict=False)):
            label = Tex(tex_escape(name), font_size=font_size, color=color)
            side = (0.26 if marks is None else 0.36) * font_size / 24  # same for every name
            swatch = RoundedRectangle(
                corner_radius=0.05,
                width=side,
                height=side,
                fill_color=color,
                fill_opacity=0.9,
                stroke_width=0,
            )
            if marks is not None:
                swatch = VGroup(swatch, _token_mark(marks[k], side, mark_color))
            self.add(VGroup(swatch, label).arrange(RIGHT, buff=0.12))
        self.arrange(direction, buff=0.4 if direction is RIGHT else 0.15)
        if direction is not RIGHT:
            for entry in self:
                entry.align_to(self, LEFT)


def _token_mark(mark: str, side: float, color: ManimColor | str | None) -> VMobject:
    """``mark`` set in text, fitted inside a square token of side ``side``."""
    kwargs: dict[str, Any] = {} if color is None else {"color": color}
    text = Tex(tex_escape(mark), **kwargs)
    text.scale_to_fit_height(side * 0.55)
    if text.width > side * 0.8:
        text.scale_to_fit_width(side * 0.8)
    return text


class SampleRow(VGroup):
    """A row of coloured tokens, one per drawn class (e.g. samples from a distribution).

    Parameters
    ----------
    classes
        The class index (0-based) of each token.
    colors
        One colour per class.
    size
        Side of a token.
    buff
        Gap between tokens.
    marks
        One short mark per class (a letter, a number) written on each token of that
        class, so the classes are told apart without colour.
    mark_color
        Colour of the marks (default: the text colour).
    """

    def __init__(
        self,
        classes: Sequence[int],
        colors: Sequence[ManimColor | str],
        *,
        size: float = 0.3,
        buff: float = 0.08,
        marks: Sequence[str] | None = None,
        mark_color: ManimColor | str | None = None,
    ) -> None:
        super().__init__()
        self.colors = list(colors)
        self.classes = [int(c) for c in classes]
        self.marks = None
        if marks is not None:  # typeset each mark once, copied onto the tokens
            self.marks = [_token_mark(mark, size, mark_color) for mark in marks]
        for c in self.classes:
            tile = RoundedRectangle(
                corner_radius=size * 0.2,
                width=size,
                height=size,
                fill_color=self.colors[c],
                fill_opacity=0.95,
                stroke_width=0,
            )
            if self.marks is not None:
                tile = VGroup(tile, self.marks[c].copy().move_to(tile))
            self.add(tile)
        self.arrange(RIGHT, buff=buff)

    def set_classes(self, classes: Sequence[int]) -> SampleRow:
        """Recolour the tokens in place (same count)."""
        if len(classes) != len(self):
            raise ValueError(f"expected {len(self)} classes, got {len(classes)}")
        self.classes = [int(c) for c in classes]
        for token, c in zip(self, self.classes, strict=True):
            if self.marks is not None:
                tile, mark = token
                tile.set_fill(self.colors[c], opacity=0.95)
                mark.become(self.marks[c].copy().move_to(tile))
            else:
                token.set_fill(self.colors[c], opacity=0.95)
        return self


class Gauge(VGroup):
    """A horizontal gauge: an outlined track filled to ``value / maximum``, updatable in place.

    Parameters
    ----------
    maximum
        The value of a full gauge.
    width, height
        Size of the track.
    color
        Fill colour.
    track_color
        Outline colour.
    """

    def __init__(
        self,
        maximum: float,
        *,
        width: float = 3.0,
        height: float = 0.25,
        color: ManimColor | str | None = None,
        track_color: ManimColor | str | None = None,
    ) -> None:
        super().__init__()
        if not maximum > 0:
            raise ValueError(f"maximum must be > 0, got {maximum}")
        self.maximum = float(maximum)
        self.track = Rectangle(width=width, height=height, stroke_width=2, fill_opacity=0)
        if track_color is not None:
            self.track.set_stroke(track_color)
        self.fill = VMobject(stroke_width=0, fill_opacity=0.9)
        if color is not None:
            self.fill.set_fill(color, opacity=0.9)
        self.fill.set_points_as_corners([np.zeros(3)] * 5)
        self.add(self.fill, self.track)
        self.value = 0.0
        self.set_value(0.0)

    def set_value(self, value: float) -> Gauge:
        """Fill the gauge to ``value`` (clipped to ``[0, maximum]``)."""
        self.value = float(value)
        share = min(max(self.value / self.maximum, 0.0), 1.0)
        left, right = self.track.get_left()[0], self.track.get_right()[0]
        bottom, top = self.track.get_bottom()[1], self.track.get_top()[1]
        x = left + share * (right - left)
        self.fill.set_points_as_corners(
            [[left, bottom, 0], [x, bottom, 0], [x, top, 0], [left, top, 0], [left, bottom, 0]]
        )
        return self

    def get_value(self) -> float:
        return self.value


def backed(labels: VGroup, color: object, opacity: float = 0.82) -> VGroup:
    """Each label of ``labels`` on a rounded plate of ``color`` (the background): one
    group per label, plate first, so a label turned to face the camera turns with it;
    the plate keeps a label legible over a busy 3D picture."""
    groups = []
    for label in labels:
        plate = RoundedRectangle(
            width=label.width + 0.28,
            height=label.height + 0.18,
            corner_radius=0.1,
            stroke_width=0,
            fill_color=color,
            fill_opacity=opacity,
        ).move_to(label)
        groups.append(VGroup(plate, label))
    return VGroup(*groups)
