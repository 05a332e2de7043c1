"""The 2D widgets of softmax_video.kit.widgets: bar panels, readouts, gauges, sample rows."""

from __future__ import annotations

import math

import pytest

from softmax_math import softmax
from softmax_math.rounding import round_to_total
from softmax_video.kit.widgets import (
    BarPanel,
    ClassLegend,
    Gauge,
    NumberReadout,
    SampleRow,
    logit_range,
)

# --------------------------------------------------------------------------- #
# Widgets
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("style", ["bar", "stem"])
def test_bar_panel_draws_its_values(style):
    colors = ["#4C9BE8", "#F28E2B", "#3FB37F"]
    panel = BarPanel(
        [0.5, -1.0, 2.0], colors=colors, labels=["a", "b", "c"], value_range=(-2, 3), style=style
    )
    assert panel.displayed_values() == pytest.approx([0.5, -1.0, 2.0])
    panel.scale(0.5).shift([1.0, -2.0, 0.0])  # moving the panel keeps the scale honest
    panel.set_values([1.5, 0.0, -2.0])
    assert panel.displayed_values() == pytest.approx([1.5, 0.0, -2.0], abs=1e-9)
    panel.set_range(-4, 4)
    assert panel.displayed_values() == pytest.approx([1.5, 0.0, -2.0], abs=1e-9)


def test_bar_panel_clips_infinite_values_and_labels_them():
    panel = BarPanel([-math.inf, 1.0], colors=["#000000"] * 2, labels=["a", "b"], style="stem")
    assert panel.displayed_values()[0] == pytest.approx(0.0)  # clipped to the box edge
    assert panel.value_labels[0].text == "-i"  # shown as minus infinity


def test_bar_panel_family_is_stable_under_updates():
    """Updaters may run during animations only if no mobject is added or removed."""
    panel = BarPanel([0.2, 0.8], colors=["#000000"] * 2, labels=["a", "b"])
    before = len(panel.get_family())
    for values in ([0.0, 1.0], [0.123456, 0.876544], [1e5, -math.inf]):
        panel.set_values(values)
        assert len(panel.get_family()) == before


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0, "0.00"),
        (-0.001, "0.00"),
        (2.5, "2.50"),
        (-12.345, "-12.35"),
        (123.45, "123.5"),
        (54321.0, "54321"),
        (math.inf, "i"),
        (-math.inf, "-i"),
    ],
)
def test_number_readout_text(value, text):
    assert NumberReadout(value).text == text


def test_number_readout_glyphs_match_mathtex_width():
    from manim import MathTex

    readout = NumberReadout(-12.5, decimals=2, font_size=48)
    typeset = MathTex("-12.50", font_size=48)
    assert readout.slots.width == pytest.approx(typeset.width, rel=0.03)


def test_gauge_and_sample_row():
    gauge = Gauge(2.0, width=4.0)
    gauge.set_value(0.5)
    assert gauge.fill.width == pytest.approx(1.0)
    gauge.set_value(9.0)
    assert gauge.fill.width == pytest.approx(4.0)
    row = SampleRow([0, 1, 1], ["#FF0000", "#00FF00"])
    row.set_classes([1, 0, 0])
    assert row[0].get_fill_color().to_hex() == "#00FF00"


def test_logit_range_keeps_zero_unless_far():
    assert logit_range([1.0, 2.0])[0] < 0 < logit_range([1.0, 2.0])[1]
    low, high = logit_range([998.0, 1000.0, -math.inf])
    assert 990 < low < 998 and high > 1000


def test_bar_panel_total_column_stacks_the_bars():
    values = [2.0, 0.5, 1.5]
    panel = BarPanel(
        values, colors=["#000000"] * 3, labels=["a", "b", "c"], value_range=(0, 5), total=True
    )
    assert panel.stack_values() == pytest.approx(values)
    # The pieces sit end to end from the baseline, in class order.
    assert panel.stack[0].get_bottom()[1] == pytest.approx(panel.baseline_y())
    for below, above in zip(panel.stack[:-1], panel.stack[1:], strict=True):
        assert above.get_bottom()[1] == pytest.approx(below.get_top()[1])
    assert panel.stack[-1].get_top()[1] == pytest.approx(panel.value_to_y(4.0))
    assert panel.total_value.get_value() == pytest.approx(4.0)
    # One more column: the total's name sits under it, right of every class.
    assert panel.total_name.get_x() > max(lab.get_x() for lab in panel.class_labels)
    before = len(panel.get_family())
    panel.set_values([0.0, 3.0, -math.inf])  # -inf draws as an empty piece
    assert len(panel.get_family()) == before
    assert panel.stack_values() == pytest.approx([0.0, 3.0, 0.0], abs=1e-12)


def test_bar_panel_label_values_keep_the_sum():
    p = softmax([1.0, 2.5, -0.5, 0.5])
    panel = BarPanel(
        p,
        colors=["#000000"] * 4,
        labels=list("abcd"),
        total=True,
        label_values=lambda v: round_to_total(v, 2),
    )
    shown = [float(label.text) for label in panel.value_labels]
    assert shown == pytest.approx(round_to_total(p, 2).tolist())
    assert sum(shown) == pytest.approx(1.0)
    assert panel.total_value.text == "1.00"
    assert panel.displayed_values() == pytest.approx(p.tolist())  # bars keep exact heights


def test_sample_row_and_legend_marks_tell_classes_apart_without_colour():
    row = SampleRow([0, 1, 1], ["#FF0000", "#00FF00"], marks=["A", "B"])
    tile, mark = row[1]
    assert mark.get_center() == pytest.approx(tile.get_center())
    assert mark.width < tile.width and mark.height < tile.height
    before = len(row.get_family())
    row.set_classes([1, 0, 0])
    assert len(row.get_family()) == before
    assert row[0][0].get_fill_color().to_hex() == "#00FF00"
    assert row[0][1].width == pytest.approx(row.marks[1].width)
    legend = ClassLegend(["a&b", "c"], ["#FF0000", "#00FF00"], marks=["A", "C"])
    swatch = legend[0][0]
    assert swatch[1].get_center() == pytest.approx(swatch[0].get_center(), abs=1e-6)
