"""2D pieces for the curve chapters (the sigmoid recap, sigmoid-to-softmax).

- :func:`curve_axes`: axes for a function of one logit, with the y axis at the left end
  of the x range and its numbers attached to it (not floating mid-plot), numbers on the
  x axis and a name on each axis.
- :func:`keyed_tex`: a formula built from pieces, each with a matching key, so
  :class:`~manim.TransformMatchingTex` moves exactly the pieces meant to move from one
  step of a derivation to the next (the same glyphs in different roles get different
  keys), and each piece keeps its own colour through every step.

Examples
--------
>>> formula = keyed_tex([("p_1", "p"), ("=", "eq"), ("z_1", "z1")], font_size=30)
>>> [part.tex_string for part in formula.submobjects]
['p', 'eq', 'z1']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from manim import LEFT, RIGHT, UP, Axes, Line, ManimColor, MathTex, VGroup

from softmax_video.core.text import tick_step
from softmax_video.kit.widgets import format_number

__all__ = ["CurveAxes", "align_axes_x", "curve_axes", "keyed_tex"]


def keyed_tex(
    pieces: Sequence[tuple[str, str]],
    *,
    font_size: float,
    colors: Mapping[str, ManimColor | str] | None = None,
) -> MathTex:
    """A ``MathTex`` of ``(tex, key)`` pieces whose parts match by ``key``.

    :class:`~manim.TransformMatchingTex` pairs the parts of two formulas by their
    ``tex_string``; here every part's ``tex_string`` is set to its key, so a derivation
    names which piece becomes which (several source parts with one key move together
    into the target part of that key; parts without a partner fade). ``colors`` maps a
    key's prefix before the first ``.`` (e.g. ``"z1"`` for ``"z1.num"``) or the key
    itself to a colour.
    """
    formula = MathTex(*(tex for tex, _ in pieces), font_size=font_size)
    colors = colors or {}
    for part, (_, key) in zip(formula.submobjects, pieces, strict=True):
        part.tex_string = key
        color = colors.get(key, colors.get(key.split(".")[0]))
        if color is not None:
            part.set_color(color)
    return formula


class CurveAxes(VGroup):
    """Axes of a function of one variable (see :func:`curve_axes`).

    ``axes`` is the manim :class:`~manim.Axes` (use its ``c2p``); ``y_axis_line`` the
    drawn y axis at the left; ``y_numbers`` and ``x_name``/``y_name`` the labels.
    """

    def __init__(self, axes: Axes, y_axis_line: Line, y_numbers: VGroup, names: VGroup) -> None:
        super().__init__(axes, y_axis_line, y_numbers, names)
        self.axes = axes
        self.y_axis_line = y_axis_line
        self.y_numbers = y_numbers
        self.x_name, self.y_name = names

    def c2p(self, x: float, y: float) -> np.ndarray:
        return self.axes.c2p(x, y)


def curve_axes(
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    y_values: Sequence[float],
    *,
    width: float,
    height: float,
    x_name: str,
    y_name: str,
    color: ManimColor | str,
    font_size: float,
    y_name_color: ManimColor | str | None = None,
    max_x_ticks: int = 12,
) -> CurveAxes:
    """Axes for ``y = f(x)``: the y axis on the left with ``y_values`` written at it.

    Manim's :class:`~manim.Axes` puts the y axis through ``x = 0``, mid-plot for a
    symmetric range, where its numbers sit on the curve; here it is drawn at the left
    end of the x range instead, ticks and numbers attached to it, and the x axis is
    numbered at every tick (0 included). ``x_name`` is written under the right end of
    the x axis, ``y_name`` above the top of the y axis.
    """
    lo, hi = x_range
    step = tick_step(hi - lo, max_x_ticks, smallest=1.0)
    axes = Axes(
        x_range=[lo, hi, step],
        y_range=[y_range[0], y_range[1], y_range[1] - y_range[0]],
        x_length=width,
        y_length=height,
        tips=False,
        axis_config={"color": color, "stroke_width": 2, "font_size": font_size},
    )
    first = np.ceil(lo / step - 1e-9) * step
    ticks = [float(v) for v in np.arange(first, hi + 1e-9, step)]
    decimals = 0 if float(step).is_integer() else 1
    axes.x_axis.add_numbers(
        [0.0 if abs(v) < 1e-9 else v for v in ticks],
        font_size=font_size,
        num_decimal_places=decimals,
        excluding=[],
    )
    axes.y_axis.set_opacity(0)
    bottom, top = axes.c2p(lo, y_range[0]), axes.c2p(lo, y_range[1])
    y_line = Line(bottom, top, color=color, stroke_width=2)
    y_numbers = VGroup()
    for value in y_values:
        point = axes.c2p(lo, value)
        tick = Line(point + 0.07 * LEFT, point + 0.07 * RIGHT, color=color, stroke_width=2)
        number = MathTex(format_number(value), font_size=font_size, color=color)
        number.next_to(tick, LEFT, buff=0.08)
        y_numbers.add(VGroup(tick, number))
    x_label = MathTex(x_name, font_size=font_size * 1.15, color=color)
    x_label.next_to(axes.c2p(hi, y_range[0]), RIGHT, buff=0.15)
    y_label = MathTex(y_name, font_size=font_size * 1.15, color=y_name_color or color)
    y_label.next_to(top, UP, buff=0.15)
    return CurveAxes(axes, y_line, y_numbers, VGroup(x_label, y_label))


def align_axes_x(mobject: Any, axes: CurveAxes, reference: CurveAxes) -> None:
    """Shift ``mobject`` (which holds ``axes``) sideways so that ``axes``' x = 0 lines
    up with ``reference``'s: plots stacked on one x scale."""
    mobject.shift((reference.c2p(0, 0)[0] - axes.c2p(0, 0)[0]) * RIGHT)
