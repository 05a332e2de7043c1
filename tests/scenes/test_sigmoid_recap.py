"""SigmoidRecap: graphical regression of the last frame, and what the chapter shows
checked against :mod:`softmax_math` and independent references (closed forms, finite
differences, scipy)."""

from __future__ import annotations

import functools
import re

import numpy as np
import pytest
from manim.utils.testing.frames_comparison import frames_comparison
from scipy.special import expit

from scenes.sigmoid_recap import SigmoidRecap
from softmax_math import sigmoid, sigmoid_derivative
from softmax_video.core.params import CONFIG_ENV_VAR
from videotools import dry_run_still, is_blank

__module_test__ = "sigmoid_recap"


@frames_comparison(base_scene=SigmoidRecap)
def test_sigmoid_recap(scene):
    SigmoidRecap.construct(scene)


render_still = functools.partial(dry_run_still, SigmoidRecap)


@pytest.fixture(scope="module")
def still(tmp_path_factory):
    with pytest.MonkeyPatch.context() as monkeypatch:  # module scope: no function fixture
        monkeypatch.delenv(CONFIG_ENV_VAR, raising=False)
        yield render_still(tmp_path_factory.mktemp("recap"), monkeypatch)


def test_bars_tangent_and_derivative_point(still):
    scene, frame = still
    z = scene.z_shown()
    s = float(expit(z))
    assert scene.sigma() == pytest.approx(s, rel=1e-12)
    # The two bars are P(class 1) = sigma and P(class 2) = 1 - sigma: they sum to 1.
    assert scene.bars.displayed_values() == pytest.approx([s, 1 - s])
    assert sum(scene.bars.displayed_values()) == pytest.approx(1.0)
    axes = scene.axes
    start, end = (axes.p2c(pt) for pt in (scene.tangent.get_start(), scene.tangent.get_end()))
    slope = (end[1] - start[1]) / (end[0] - start[0])
    h = 1e-5
    finite_difference = (expit(z + h) - expit(z - h)) / (2 * h)
    assert slope == pytest.approx(finite_difference, rel=1e-6)
    d_point = scene.d_frame.axes.p2c(scene.d_dot.get_center())
    assert d_point == pytest.approx([z, finite_difference], abs=1e-6)
    assert not is_blank(frame)


def test_the_moving_point_sits_on_the_drawn_curve(still):
    scene, _ = still
    z, s = scene.axes.p2c(scene.s_dot.get_center())
    assert s == pytest.approx(float(expit(z)), abs=1e-6)
    # The curve drawn is the sigmoid, sampled along its length.
    coords = np.array([scene.axes.p2c(p) for p in scene.plot.curve.get_anchors()[::7]])
    assert coords[:, 1] == pytest.approx(expit(coords[:, 0]), abs=2e-3)


@pytest.mark.parametrize("z", [-6.0, -1.5, 0.0, 0.7, 4.0])
def test_slope_is_the_product_of_the_two_probabilities(z):
    # sigma' = sigma (1 - sigma) = P(class 1) P(class 2), against a finite difference.
    h = 1e-5
    finite_difference = (expit(z + h) - expit(z - h)) / (2 * h)
    product = float(sigmoid(z)) * (1 - float(sigmoid(z)))
    assert float(sigmoid_derivative(z)) == pytest.approx(finite_difference, rel=1e-7)
    assert product == pytest.approx(finite_difference, rel=1e-7)


def test_slope_peaks_at_a_quarter_at_zero():
    grid = np.linspace(-6, 6, 1201)
    slopes = sigmoid_derivative(grid)
    assert grid[np.argmax(slopes)] == pytest.approx(0.0, abs=1e-9)
    assert float(slopes.max()) == pytest.approx(0.25)
    assert float(sigmoid_derivative(0.0)) == 0.25


def test_colour_roles_and_the_logit_is_called_z(still):
    scene, _ = still
    theme = scene.theme
    assert scene.plot.curve.get_color() == theme.color("probability")
    assert scene.d_curve.get_color() == theme.color("gradient")
    assert scene.tangent.get_color() == theme.color("gradient")
    assert scene.formula[0].get_color() == theme.color("probability")
    said = " ".join(beat.narration for beat in scene.beats)
    assert not re.search(r"\bx\b", said), "the input is the logit z, never x"
    assert [beat.name for beat in scene.beats] == list(scene.params.BEATS)


def test_first_plot_and_the_two_later_plots_share_their_place_and_z_scale(still):
    scene, _ = still
    pair = scene.plot_small.get_family() + scene.d_plot.get_family()
    assert scene.plot_small.frame.c2p(0, 0)[0] == pytest.approx(scene.d_frame.c2p(0, 0)[0])
    assert scene.layout_bottom <= min(m.get_bottom()[1] for m in pair if m.points.size)


@pytest.mark.parametrize("size", [(240, 427), (240, 240)], ids=["9:16", "1:1"])
def test_shapes_keep_the_caption_band_free(size, tmp_path, monkeypatch):
    width, height = size
    scene, frame = render_still(
        tmp_path, monkeypatch, pixel_width=width, pixel_height=height,
        frame_width=8.0 * width / height, frame_height=8.0,
    )  # fmt: skip
    band = round(frame.shape[0] * (scene.bottom_buff / scene.frame_height))
    background = frame[0, 0].astype(int)
    assert (np.abs(frame[-band:].astype(int) - background).max(axis=-1) <= 40).all()
    assert not is_blank(frame)
