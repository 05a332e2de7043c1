"""GaussiansTwoClass: the plotted posterior is a sigmoid of a line, laid out per shape.

Graphical regression of the chapter's last frame (854x480, dry run) against
``control_data/gaussians_two_class/`` (``pytest --set_test`` rewrites it), then numeric
checks: the posterior, the sigmoid markers and the w and b readouts against closed
forms and softmax_math, and the two plots' shared x axis in every frame shape.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from manim import Scene, tempconfig
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.gaussians_two_class import GaussiansTwoClass, two_class_curves
from softmax_math import sigmoid, softmax

__module_test__ = "gaussians_two_class"

#: (pixel width, pixel height) of the three frame shapes.
SHAPES = {"16:9": (854, 480), "9:16": (270, 480), "1:1": (480, 480)}


@frames_comparison(base_scene=GaussiansTwoClass)
def test_gaussians_two_class(scene: Scene) -> None:
    GaussiansTwoClass.construct(scene)


@settings(max_examples=60, deadline=None)
@given(
    mu1=st.floats(-4, 4),
    gap=st.floats(0.2, 4),
    sigma=st.floats(0.3, 3),
    prior=st.floats(0.02, 0.98),
)
def test_two_class_posterior_is_sigmoid_of_line(mu1, gap, sigma, prior):
    x = np.linspace(-6, 6, 41)
    curves = two_class_curves((mu1, mu1 - gap), sigma, prior, x)
    # w and b as the chapter states them
    mu2 = mu1 - gap
    assert curves.slope == pytest.approx((mu1 - mu2) / sigma**2, rel=1e-12)
    expected_bias = (mu2**2 - mu1**2) / (2 * sigma**2) + np.log(prior / (1 - prior))
    assert curves.bias == pytest.approx(expected_bias, rel=1e-9, abs=1e-9)
    np.testing.assert_allclose(
        curves.posterior, sigmoid(curves.slope * x + curves.bias), atol=1e-12
    )
    # the posterior is the ratio of the weighted densities that are drawn
    ratio = curves.weighted_density[0] / curves.weighted_density.sum(axis=0)
    np.testing.assert_allclose(curves.posterior, ratio, atol=1e-12)
    # and the softmax of the two linear logits shown in the last beat
    np.testing.assert_allclose(curves.posterior, softmax(curves.logits, axis=0)[0], atol=1e-12)


def test_logits_are_the_log_densities_less_the_shared_terms():
    """z_k(x) = log(pi_k N_k) + x^2/2 sigma^2 + log(2 pi sigma^2)/2, as the last beat writes."""
    x = np.linspace(-5, 5, 21)
    means, sigma, prior = (1.5, -1.5), 0.8, 0.7
    curves = two_class_curves(means, sigma, prior, x)
    shared = x**2 / (2 * sigma**2) + 0.5 * np.log(2 * np.pi * sigma**2)
    np.testing.assert_allclose(curves.logits, np.log(curves.weighted_density) + shared, atol=1e-9)
    for k, (mu, pi) in enumerate(zip(means, (prior, 1 - prior), strict=True)):
        line = mu / sigma**2 * x - mu**2 / (2 * sigma**2) + np.log(pi)
        np.testing.assert_allclose(curves.logits[k], line, atol=1e-12)


def test_two_class_scene_curve_points_match_sigmoid():
    """The drawn posterior curve passes through sigmoid(w x + b) at every sample."""
    scene = GaussiansTwoClass()
    scene.setup()
    scene.prepare_state()
    scene.prior.set_value(scene.params.prior_class1)  # an unequal prior: a bias term
    scene.build_layout()
    axes = scene.posterior_axes
    points = scene.posterior_curve.get_anchors()
    coords = np.array([axes.point_to_coords(pt) for pt in points])
    curves = scene.curves()
    np.testing.assert_allclose(
        coords[:, 1], sigmoid(curves.slope * coords[:, 0] + curves.bias), atol=1e-9
    )
    # the markers sit on the same sigmoid
    for marker, x in zip(scene.markers.pieces(), scene.marker_x, strict=True):
        mx, my = axes.point_to_coords(marker.get_center())
        assert mx == pytest.approx(x, abs=1e-9)
        assert my == pytest.approx(float(sigmoid(curves.slope * x + curves.bias)), abs=1e-9)
    # the w and b readouts show the curve's slope and bias
    assert scene.readouts["w"].number.get_value() == pytest.approx(curves.slope)
    assert scene.readouts["b"].number.get_value() == pytest.approx(curves.bias)
    p = scene.params
    assert curves.slope == pytest.approx((p.means[0] - p.means[1]) / p.sigma**2)


@pytest.mark.parametrize("shape", SHAPES)
def test_the_plots_share_their_x_axis_exactly(shape):
    """Both plots (and the logit plot that replaces the upper one) put every x at the
    same screen x, in every frame shape."""
    width, height = SHAPES[shape]
    frame_width = 8.0 * width / height
    with tempconfig({"pixel_width": width, "pixel_height": height, "frame_width": frame_width}):
        scene = GaussiansTwoClass()
        scene.setup()
        scene.setup_stage()
        for x in (-scene.x_extent, 0.0, 1.3, scene.x_extent):
            top = scene.density_axes.c2p(x, 0)[0]
            bottom = scene.posterior_axes.c2p(x, 0)[0]
            assert top == pytest.approx(bottom, abs=1e-9)
        # everything laid out stays inside the frame, clear of the caption band
        group = [scene.title_mob, scene.legend, scene.density_panel, scene.posterior_panel]
        for mob in [*group, scene.formula]:
            assert mob.get_left()[0] >= -frame_width / 2 + scene.margin_x - 1e-6
            assert mob.get_right()[0] <= frame_width / 2 - scene.margin_x + 1e-6
            assert mob.get_bottom()[1] >= scene.layout_bottom - 1e-6
            assert mob.get_top()[1] <= scene.layout_top + 1e-6


def test_readouts_are_big_enough_in_portrait():
    """On a phone the w and b readouts keep 70% of the label size, the plots 70% of theirs."""
    with tempconfig({"pixel_width": 270, "pixel_height": 480, "frame_width": 4.5}):
        scene = GaussiansTwoClass()
        scene.setup()
        scene.setup_stage()
        digits = scene.readouts["w"].number
        assert digits.scale_factor() * 48 >= 0.7 * scene.theme.label_size  # was 0.4
        assert scene.plot_scale >= 0.7  # was 0.62 before the portrait layout
