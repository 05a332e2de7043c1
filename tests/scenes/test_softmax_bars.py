"""SoftmaxBars: the last frame against control data, and what is drawn against softmax_math."""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.softmax_bars import SoftmaxBars, exp_scale, shown_probabilities
from softmax_math import softmax
from videotools import dry_run_still, is_blank

__module_test__ = "softmax_bars"


@frames_comparison(base_scene=SoftmaxBars)
def test_softmax_bars(scene):
    SoftmaxBars.construct(scene)


render_still = functools.partial(dry_run_still, SoftmaxBars)


def test_softmax_bars_heights_are_the_softmax(tmp_path, monkeypatch):
    scene, frame = render_still(tmp_path, monkeypatch)
    z = np.array(scene.params.logits)
    p = softmax(z)
    assert scene.prob_panel.displayed_values() == pytest.approx(p.tolist(), abs=1e-9)
    assert scene.exp_panel.displayed_values() == pytest.approx(np.exp(z).tolist(), rel=1e-9)
    assert scene.logit_panel.displayed_values() == pytest.approx(z.tolist(), abs=1e-9)
    v = scene.varied
    assert scene.p_value.get_value() == pytest.approx(p[v])
    assert not is_blank(frame)


def test_normalised_stack_is_the_exponential_stack_scaled_to_one(tmp_path, monkeypatch):
    """The central picture: both total columns hold the same pieces in the same
    proportions; the exponential one is sum(e^z) tall, the normalised one 1 tall."""
    scene, _ = render_still(tmp_path, monkeypatch)
    for value in (*scene.params.vary_range, 0.7):
        scene.z_varied.set_value(value)
        for panel in (scene.exp_panel, scene.prob_panel):
            panel.update()
        z = scene.current_logits()
        exps = np.array(scene.exp_panel.stack_values())
        probs = np.array(scene.prob_panel.stack_values())
        assert exps == pytest.approx(np.exp(z), rel=1e-9)
        assert probs.sum() == pytest.approx(1.0)
        assert probs == pytest.approx(exps / exps.sum(), rel=1e-9)
        assert scene.exp_panel.total_value.get_value() == pytest.approx(np.exp(z).sum())


def test_probability_labels_add_up_to_the_total_shown(tmp_path, monkeypatch):
    scene, _ = render_still(tmp_path, monkeypatch)
    low, high = scene.params.vary_range
    for value in np.linspace(low, high, 41):
        scene.z_varied.set_value(value)
        scene.prob_panel.update()
        shown = [float(label.text) for label in scene.prob_panel.value_labels]
        p = softmax(scene.current_logits())
        assert shown == pytest.approx(shown_probabilities(p).tolist())
        assert round(sum(shown), 2) == 1.0
        assert scene.prob_panel.total_value.text == "1.00"


def test_raised_logit_grows_alone_on_a_fixed_axis(tmp_path, monkeypatch):
    scene, _ = render_still(tmp_path, monkeypatch)
    top = scene.exp_panel.value_range
    z0 = np.array(scene.params.logits)
    before = softmax(z0)
    scene.z_varied.set_value(scene.params.vary_range[1])
    for panel in (scene.exp_panel, scene.prob_panel):
        panel.update()
    others = np.arange(len(z0)) != scene.varied
    after = np.array(scene.prob_panel.displayed_values())
    assert np.all(after[others] < before[others])
    # The exponentials of the other classes, and the axis, do not change.
    assert scene.exp_panel.value_range == top
    assert np.array(scene.exp_panel.displayed_values())[others] == pytest.approx(np.exp(z0)[others])
    # The axis holds the tallest stack of the sweep.
    z_high = z0.copy()
    z_high[scene.varied] = scene.params.vary_range[1]
    assert top[1] == pytest.approx(np.exp(z_high).sum())


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
    scene, frame = render_still(tmp_path, monkeypatch, toml)
    z = np.array(scene.params.logits)
    assert scene.count == len(z)
    assert scene.prob_panel.displayed_values() == pytest.approx(softmax(z).tolist(), abs=1e-9)
    assert not is_blank(frame)


def test_softmax_bars_survives_huge_and_minus_infinite_logits(tmp_path, monkeypatch):
    toml = "[SoftmaxBars]\nlogits = [1000.0, -inf, 998.0, 999.5]\nvaried_class = 2\n"
    scene, frame = render_still(tmp_path, monkeypatch, toml)
    assert scene.scale.relative and scene.scale.offset == 1000.0
    z = np.array(scene.params.logits)
    shown = np.array(scene.exp_panel.displayed_values())
    assert np.all(np.isfinite(shown))
    assert shown[[0, 2, 3]] == pytest.approx(np.exp(z[[0, 2, 3]] - 1000.0))
    assert scene.prob_panel.displayed_values() == pytest.approx(softmax(z).tolist(), abs=1e-9)
    assert not is_blank(frame)


def test_exp_scale_covers_the_total():
    assert exp_scale([[1.0, 2.0]]).offset == 0.0
    assert exp_scale([[1.0, 2.0], [3.0, 2.0]]).top == pytest.approx(math.exp(3) + math.exp(2))
    scale = exp_scale([[1000.0, -math.inf]])
    assert scale.display(np.array([1000.0, -math.inf])).tolist() == [1.0, 0.0]
