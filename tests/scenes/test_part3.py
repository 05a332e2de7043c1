"""Part 3 chapters: Gaussians (2 classes), logit paths in training.

Graphical regression: the last frame of each chapter against committed control data in
``control_data/part3`` (``pytest --set_test`` rewrites it), with manim's own frame-testing
machinery, assembled as in ``test_part2.py`` (see the comment above ``test_final_frame``).

Numeric checks run on the scenes' data-building functions: the plotted 2-class posterior
against ``sigmoid(w x + b)`` and the training run against its seed. GaussiansThreeClass
and InputSpaceShapes have their own test modules.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from manim import Scene, ThreeDCamera
from manim.renderer.cairo_renderer import CairoRenderer
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.gaussians_two_class import GaussiansTwoClass, two_class_curves
from scenes.logit_paths import (
    LogitPaths,
    camera_rotation,
    flat_view_angles,
    logit_paths_data,
)
from softmax_math import (
    from_plane,
    sigmoid,
    softmax,
)
from softmax_video.core.params import CONFIG_ENV_VAR, LogitPathsParams
from softmax_video.engine.mesh import MeshCamera

__module_test__ = "part3"


@pytest.fixture(autouse=True)
def default_config(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts from the default configuration (no user TOML)."""
    monkeypatch.delenv(CONFIG_ENV_VAR, raising=False)


# --------------------------------------------------------------------------- #
# Final frames
# --------------------------------------------------------------------------- #
#
# manim's own ``@frames_comparison`` on each chapter's last frame (854x480, dry run),
# control data in control_data/part3/<chapter>.npz; regenerate with ``--set_test``.
# The harness hands 3D chapters a plain 2D camera; ``LectureThreeDScene.__init__``
# swaps in a :class:`softmax_video.engine.mesh.MeshCamera` (checked below). tests/conftest.py
# explains why the comparison runs on this machine's Cairo 1.16.


@frames_comparison(base_scene=GaussiansTwoClass)
def test_gaussians_two_class(scene: Scene) -> None:
    GaussiansTwoClass.construct(scene)


@frames_comparison(base_scene=LogitPaths)
def test_logit_paths(scene: Scene) -> None:
    LogitPaths.construct(scene)


@pytest.mark.parametrize("chapter", [LogitPaths])
def test_harness_draws_3d_chapters_with_the_mesh_camera(chapter: type[Scene]) -> None:
    scene = chapter(renderer=CairoRenderer())
    assert isinstance(scene.renderer.camera, MeshCamera)


# --------------------------------------------------------------------------- #
# GaussiansTwoClass: the plotted posterior is a sigmoid of a line
# --------------------------------------------------------------------------- #


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


# --------------------------------------------------------------------------- #
# LogitPaths: the training run comes from the params' seed
# --------------------------------------------------------------------------- #

SMALL_RUN = {"steps": 40, "frames": 8, "points_per_class": 5, "hidden": 8}


def test_logit_paths_are_reproducible():
    params = LogitPathsParams(**SMALL_RUN)
    first, second = logit_paths_data(params), logit_paths_data(params)
    for a, b in zip(first.runs, second.runs, strict=True):
        np.testing.assert_array_equal(a.trajectories, b.trajectories)
        np.testing.assert_array_equal(a.result.losses, b.result.losses)
    np.testing.assert_array_equal(first.inputs, second.inputs)


def test_logit_paths_follow_the_seed():
    base = logit_paths_data(LogitPathsParams(**SMALL_RUN, seed=0))
    other = logit_paths_data(LogitPathsParams(**SMALL_RUN, seed=1))
    assert not np.array_equal(base.inputs, other.inputs)
    for a, b in zip(base.runs, other.runs, strict=True):
        assert not np.allclose(a.trajectories[-1], b.trajectories[-1])


def test_logit_paths_start_at_origin_and_use_params():
    params = LogitPathsParams(**SMALL_RUN, optimizers=("adam",), adam_learning_rate=0.01)
    data = logit_paths_data(params)
    (run,) = data.runs
    assert run.name == "adam" and run.result.learning_rate == 0.01
    assert run.trajectories.shape == (8, 15, 3)
    assert np.all(run.trajectories[0] == 0)
    assert run.frames[0] == 0 and run.frames[-1] == params.steps - 1
    np.testing.assert_array_equal(run.trajectories, run.result.logits[run.frames])


def test_flat_view_looks_down_the_ones_axis():
    camera = ThreeDCamera()
    angles = flat_view_angles()
    camera.set_phi(angles["phi"])
    camera.set_theta(angles["theta"])
    camera.set_gamma(angles["gamma"])
    rotation = camera.generate_rotation_matrix()
    ones = rotation @ (np.ones(3) / np.sqrt(3))
    np.testing.assert_allclose(ones, [0, 0, 1], atol=1e-12)  # straight at the camera
    up = rotation @ from_plane(np.array([0.0, 1.0]))  # class 1's direction
    assert abs(up[0]) < 1e-12 and up[1] > 0


def test_camera_rotation_matches_manims_camera():
    camera = ThreeDCamera()
    phi, theta, gamma = 1.1, -0.7, 0.3
    camera.set_phi(phi)
    camera.set_theta(theta)
    camera.set_gamma(gamma)
    np.testing.assert_allclose(
        camera.generate_rotation_matrix(), camera_rotation(phi, theta, gamma), atol=1e-12
    )
