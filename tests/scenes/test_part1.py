"""Part 1 chapters (sigmoid to softmax, 2D): graphical regression and logic tests.

The graphical tests compare each chapter's last frame with committed control data
(``--set_test`` rewrites it). The logic tests render scenes in-process with manim's
dry run (animations skipped, final state kept) and check what is drawn against
:mod:`softmax_math`.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from manim import tempconfig
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.shift_invariance import ShiftInvariance, exp_sum_tex, float_exponent_limits
from scenes.softmax_bars import SoftmaxBars, exp_scale
from scenes.temperature import Temperature, die_summary, draw_samples, temperature_samples
from softmax_math import entropy, softmax
from softmax_video.core.params import CONFIG_ENV_VAR
from softmax_video.kit.widgets import BarPanel, Gauge, NumberReadout, SampleRow, logit_range
from videotools import is_blank

__module_test__ = "part1"

#: In-process still size for the logic tests.
STILL = {"pixel_width": 427, "pixel_height": 240, "frame_rate": 5}


# --------------------------------------------------------------------------- #
# Graphical regression: the last frame of each chapter
# --------------------------------------------------------------------------- #


@pytest.fixture(autouse=True)
def default_config(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts from the default configuration (no user TOML)."""
    monkeypatch.delenv(CONFIG_ENV_VAR, raising=False)


@frames_comparison(base_scene=SoftmaxBars)
def test_softmax_bars(scene):
    SoftmaxBars.construct(scene)


@frames_comparison(base_scene=ShiftInvariance)
def test_shift_invariance(scene):
    ShiftInvariance.construct(scene)


@frames_comparison(base_scene=Temperature)
def test_temperature(scene):
    Temperature.construct(scene)


# --------------------------------------------------------------------------- #
# In-process renders
# --------------------------------------------------------------------------- #


def render_still(scene_class, tmp_path, monkeypatch, toml: str = "", **size):
    """Run ``scene_class`` with the dry run (final state) and return it and its last frame."""
    if toml:
        path = tmp_path / "config.toml"
        path.write_text(toml, encoding="utf-8")
        monkeypatch.setenv(CONFIG_ENV_VAR, str(path))
    with tempconfig({"dry_run": True, "disable_caching": True, **STILL, **size}):
        scene = scene_class(skip_animations=True)
        scene.render()
        scene.renderer.update_frame(scene)
        frame = np.array(scene.renderer.get_frame())[..., :3]
    return scene, frame


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


# --------------------------------------------------------------------------- #
# SoftmaxBars
# --------------------------------------------------------------------------- #


def test_softmax_bars_heights_are_the_softmax(tmp_path, monkeypatch):
    scene, frame = render_still(SoftmaxBars, tmp_path, monkeypatch)
    z = np.array(scene.params.logits)
    assert scene.prob_panel.displayed_values() == pytest.approx(softmax(z).tolist(), abs=1e-9)
    assert scene.exp_panel.displayed_values() == pytest.approx(np.exp(z).tolist(), rel=1e-9)
    assert scene.logit_panel.displayed_values() == pytest.approx(z.tolist(), abs=1e-9)
    assert scene.prob_sum.number.get_value() == pytest.approx(1.0)
    assert scene.exp_sum.number.get_value() == pytest.approx(np.exp(z).sum())
    v = scene.varied
    assert scene.p_value.get_value() == pytest.approx(softmax(z)[v])
    assert not is_blank(frame)


def test_softmax_bars_raised_logit_squashes_the_others(tmp_path, monkeypatch):
    scene, _ = render_still(SoftmaxBars, tmp_path, monkeypatch)
    before = scene.current_probs()
    scene.z_varied.set_value(scene.params.vary_range[1])
    scene.prob_panel.update()
    after = np.array(scene.prob_panel.displayed_values())
    others = np.arange(len(before)) != scene.varied
    assert np.all(after[others] < before[others])
    assert after.sum() == pytest.approx(1.0)
    # The exponentials of the other classes do not change.
    scene.exp_panel.update()
    assert np.array(scene.exp_panel.displayed_values())[others] == pytest.approx(
        np.exp(np.array(scene.params.logits))[others]
    )


@pytest.mark.parametrize(
    "toml",
    [
        "[SoftmaxBars]\nlogits = [0.5, -1.0]\nvaried_class = 2\n",
        '[lecture]\nclass_names = ["aeroplane", "automobile", "bird", "cat", "deer"]\n'
        "[SoftmaxBars]\nlogits = [1.0, 2.5, -0.5, 0.5, -3.0]\nvaried_class = 5\n",
    ],
    ids=["2-classes", "5-classes"],
)
def test_softmax_bars_renders_2_and_5_classes(toml, tmp_path, monkeypatch):
    scene, frame = render_still(SoftmaxBars, tmp_path, monkeypatch, toml)
    z = np.array(scene.params.logits)
    assert scene.count == len(z)
    assert scene.prob_panel.displayed_values() == pytest.approx(softmax(z).tolist(), abs=1e-9)
    assert not is_blank(frame)


def test_softmax_bars_survives_huge_and_minus_infinite_logits(tmp_path, monkeypatch):
    toml = "[SoftmaxBars]\nlogits = [1000.0, -inf, 998.0, 999.5]\nvaried_class = 2\n"
    scene, frame = render_still(SoftmaxBars, tmp_path, monkeypatch, toml)
    assert scene.scale.relative and scene.scale.offset == 1000.0
    z = np.array(scene.params.logits)
    shown = np.array(scene.exp_panel.displayed_values())
    assert np.all(np.isfinite(shown))
    # e^{z - 1000}, with the top of the axis at the largest value of the sweep.
    assert shown[[0, 2, 3]] == pytest.approx(np.exp(z[[0, 2, 3]] - 1000.0))
    assert scene.prob_panel.displayed_values() == pytest.approx(softmax(z).tolist(), abs=1e-9)
    assert not is_blank(frame)


def test_exp_scale_switches_to_relative_for_large_logits():
    assert exp_scale([[1.0, 2.0]]).offset == 0.0
    scale = exp_scale([[1000.0, -math.inf]])
    assert scale.display(np.array([1000.0, -math.inf])).tolist() == [1.0, 0.0]


# --------------------------------------------------------------------------- #
# ShiftInvariance
# --------------------------------------------------------------------------- #


def test_shift_does_not_move_the_probabilities(tmp_path, monkeypatch):
    scene, _ = render_still(ShiftInvariance, tmp_path, monkeypatch)
    z = np.array(scene.params.logits)
    for c in (*scene.params.shift_range, 0.0, 17.5):
        scene.c.set_value(c)
        scene.prob_panel.update()
        scene.logit_panel.update()
        assert scene.prob_panel.displayed_values() == pytest.approx(softmax(z).tolist())
        if c != 17.5:  # beyond the sweep the stems are clipped to the panel
            assert scene.logit_panel.displayed_values() == pytest.approx((z + c).tolist())


def test_shift_example_is_evaluated_stably():
    low, high = float_exponent_limits()
    assert math.exp(high * 0.999) < math.inf and low < -700
    assert exp_sum_tex([1002.0, 1003.0, 1005.0]) == "e^{1002}+e^{1003}+e^{1005}"
    with np.errstate(over="ignore"):
        assert not np.isfinite(np.exp(1005.0))  # why the scene subtracts the max
    assert softmax([1002.0, 1003.0, 1005.0])[0] == pytest.approx(softmax([2.0, 3.0, 5.0])[0])


# --------------------------------------------------------------------------- #
# Temperature
# --------------------------------------------------------------------------- #


def test_samples_are_reproducible_for_a_seed():
    z = [1.0, 2.5, -0.5, 0.5]
    first = temperature_samples(z, 0.3, 3.0, 20, seed=7)
    again = temperature_samples(z, 0.3, 3.0, 20, seed=7)
    other = temperature_samples(z, 0.3, 3.0, 20, seed=8)
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    assert not all(np.array_equal(a, b) for a, b in zip(first, other, strict=True))


def test_low_temperature_samples_are_more_predictable():
    z = [1.0, 2.5, -0.5, 0.5]
    rng = np.random.default_rng(0)
    low = draw_samples(z, 0.3, 4000, rng)
    high = draw_samples(z, 3.0, 4000, rng)

    def empirical_entropy(samples):
        return float(entropy(np.bincount(samples, minlength=4) / len(samples)))

    assert empirical_entropy(low) < empirical_entropy(high)
    assert np.bincount(low, minlength=4).argmax() == int(np.argmax(z))


def test_temperature_scene_shows_seeded_samples_and_entropy(tmp_path, monkeypatch):
    scene, frame = render_still(Temperature, tmp_path, monkeypatch)
    p = scene.params
    low, high = temperature_samples(
        p.logits, p.low_temperature, p.high_temperature, p.samples, p.seed
    )
    assert scene.sample_rows[0][1].classes == low.tolist()
    assert scene.sample_rows[1][1].classes == high.tolist()
    t = scene.temperature()
    assert t == pytest.approx(p.high_temperature)
    expected = softmax(p.logits, temperature=t)
    assert scene.panel.displayed_values() == pytest.approx(expected.tolist(), abs=1e-9)
    assert scene.gauge.get_value() == pytest.approx(float(entropy(expected)))
    assert not is_blank(frame)


def test_die_aside_numbers():
    var_two, h_two = die_summary((0.5, 0, 0, 0, 0, 0.5))
    var_fair, h_fair = die_summary((1 / 6,) * 6)
    assert var_two > var_fair and h_two < h_fair
