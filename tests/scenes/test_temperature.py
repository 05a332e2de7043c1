"""Temperature: the last frame against control data, and what is drawn against softmax_math."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.temperature import (
    Temperature,
    die_summary,
    draw_samples,
    scaled_logits,
    temperature_samples,
)
from softmax_math import entropy, softmax
from videotools import dry_run_still, is_blank

__module_test__ = "temperature"


@frames_comparison(base_scene=Temperature)
def test_temperature(scene):
    Temperature.construct(scene)


render_still = functools.partial(dry_run_still, Temperature)


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


def test_scene_shows_seeded_samples_and_entropy(tmp_path, monkeypatch):
    scene, frame = render_still(tmp_path, monkeypatch)
    p = scene.params
    low, high = temperature_samples(
        p.logits, p.low_temperature, p.high_temperature, p.samples, p.seed
    )
    assert scene.sample_rows[0][1].classes == low.tolist()
    assert scene.sample_rows[1][1].classes == high.tolist()
    # The closing picture is back at T = 1.
    assert scene.temperature() == pytest.approx(1.0)
    expected = softmax(p.logits)
    assert scene.panel.displayed_values() == pytest.approx(expected.tolist(), abs=1e-9)
    assert scene.gauge.get_value() == pytest.approx(float(entropy(expected)))
    assert not is_blank(frame)


@pytest.mark.parametrize("temperature", [0.1, 0.3, 1.0, 3.0, 10.0])
def test_scaled_logits_panel_shows_z_over_t(temperature, tmp_path, monkeypatch):
    scene, _ = render_still(tmp_path, monkeypatch)
    scene.log_t.set_value(np.log10(temperature))
    scene.z_panel.update()
    scene.panel.update()
    z = np.array(scene.params.logits)
    assert scene.z_panel.displayed_values() == pytest.approx((z / temperature).tolist())
    # softmax(z / T) from the scaled logits is the temperature softmax.
    assert scene.panel.displayed_values() == pytest.approx(
        softmax(z / temperature).tolist(), abs=1e-9
    )
    shown = [float(label.text) for label in scene.panel.value_labels]
    assert sum(shown) == pytest.approx(1.0)


def test_scaled_logits_limit():
    assert scaled_logits([2.0, -1.0], 0.5).tolist() == [4.0, -2.0]
    assert scaled_logits([2.0, -1.0, 0.0], 0.0).tolist() == [np.inf, -np.inf, 0.0]


def test_die_aside_numbers():
    var_two, h_two = die_summary((0.5, 0, 0, 0, 0, 0.5))
    var_fair, h_fair = die_summary((1 / 6,) * 6)
    assert var_two == pytest.approx(6.25)  # faces 1 and 6 around a mean of 3.5
    assert var_fair == pytest.approx(35 / 12)
    assert h_two == pytest.approx(np.log(2)) and h_fair == pytest.approx(np.log(6))
    assert var_two > var_fair and h_two < h_fair
