"""ShiftInvariance: the last frame against control data, and what is drawn against softmax_math."""

from __future__ import annotations

import functools
import itertools
import math

import numpy as np
import pytest
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.shift_invariance import (
    ShiftInvariance,
    exp_offset,
    exp_sum_tex,
    float_exponent_limits,
)
from softmax_math import softmax
from videotools import dry_run_still, is_blank

__module_test__ = "shift_invariance"


@frames_comparison(base_scene=ShiftInvariance)
def test_shift_invariance(scene):
    ShiftInvariance.construct(scene)


render_still = functools.partial(dry_run_still, ShiftInvariance)


def update(scene):
    for mobject in (scene.logit_panel, scene.exp_panel, scene.prob_panel, scene.factor_readout):
        mobject.update()


def test_shift_multiplies_every_exponential_by_e_to_the_c(tmp_path, monkeypatch):
    scene, frame = render_still(tmp_path, monkeypatch)
    z = np.array(scene.params.logits)
    base = np.exp(z)
    for c in (*scene.params.shift_range, 0.0, 0.37):
        scene.c.set_value(c)
        update(scene)
        exps = np.array(scene.exp_panel.displayed_values())
        assert exps == pytest.approx(base * math.exp(c), rel=1e-9)
        assert exps / exps.sum() == pytest.approx(softmax(z), rel=1e-9)  # e^c cancels
        assert scene.prob_panel.displayed_values() == pytest.approx(softmax(z).tolist())
        assert scene.logit_panel.displayed_values() == pytest.approx((z + c).tolist())
        assert scene.factor_readout.number.get_value() == pytest.approx(math.exp(c))
    assert not is_blank(frame)


def test_panels_end_on_the_worked_example_logits(tmp_path, monkeypatch):
    """The left panel shows the same numbers as the fraction written below it."""
    scene, _ = render_still(tmp_path, monkeypatch)
    assert scene.c.get_value() == 0.0
    shown = [float(label.text) for label in scene.logit_panel.value_labels]
    assert shown == pytest.approx(list(scene.params.logits))


def test_probability_labels_add_up_to_one(tmp_path, monkeypatch):
    scene, _ = render_still(tmp_path, monkeypatch)
    shown = [float(label.text) for label in scene.prob_panel.value_labels]
    assert sum(shown) == pytest.approx(1.0)


def test_algebra_steps_keep_their_matching_parts(tmp_path, monkeypatch):
    """Each morph moves the parts both steps share (TransformMatchingTex matches by TeX)."""
    scene, _ = render_still(tmp_path, monkeypatch)
    steps = [{part.tex_string for part in step} for step in scene.algebra_steps]
    assert r"e^{c}" in steps[1] and r"e^{c}" in steps[2] and r"e^{c}" not in steps[3]
    for before, after in itertools.pairwise(steps):
        assert {r"\mathrm{softmax}(z + c)_i", "="} <= before & after


def test_huge_logits_use_a_relative_exponential_scale(tmp_path, monkeypatch):
    toml = "[ShiftInvariance]\nlogits = [1000.0, 998.0, -inf]\n"
    scene, frame = render_still(tmp_path, monkeypatch, toml)
    assert scene.offset == exp_offset([1000.0, 998.0, -math.inf], scene.params.shift_range)
    assert np.all(np.isfinite(scene.exp_panel.displayed_values()))
    assert not is_blank(frame)


def test_shift_example_is_evaluated_stably():
    low, high = float_exponent_limits()
    assert math.exp(high * 0.999) < math.inf and low < -700
    assert exp_sum_tex([1002.0, 1003.0, 1005.0]) == "e^{1002}+e^{1003}+e^{1005}"
    with np.errstate(over="ignore"):
        assert not np.isfinite(np.exp(1005.0))  # why the scene subtracts the max
    assert softmax([1002.0, 1003.0, 1005.0])[0] == pytest.approx(softmax([2.0, 3.0, 5.0])[0])
