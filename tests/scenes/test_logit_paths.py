"""LogitPaths: the training run comes from the params' seed; the views show what the
narration says about it.

Graphical regression of the chapter's last frame (854x480, dry run) against
``control_data/logit_paths/`` (``pytest --set_test`` rewrites it), then numeric checks:
the runs against their seed, the mean-logit drift (zero under SGD, measured under
Adam) against an independent projection, the cameras (down (1, 1, 1), edge-on to the
sum-zero plane, the input view that separates the blobs) against manim's camera.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from manim import Scene, ThreeDCamera
from manim.renderer.cairo_renderer import CairoRenderer
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.logit_paths import (
    BLOB_OFFSET,
    INPUT_END_THETA,
    OVERVIEW,
    SHELL_RADIUS,
    LogitPaths,
    camera_rotation,
    flat_view_angles,
    logit_paths_data,
    side_view_angles,
)
from softmax_math import from_plane
from softmax_math.training import make_dataset
from softmax_video.core.params import LectureParams, LogitPathsParams
from softmax_video.engine.mesh import MeshCamera
from softmax_video.kit.paths import FacingMarkers, class_marker

__module_test__ = "logit_paths"

SMALL_RUN = {"steps": 40, "frames": 8, "points_per_class": 5, "hidden": 8}


@frames_comparison(base_scene=LogitPaths)
def test_logit_paths(scene: Scene) -> None:
    LogitPaths.construct(scene)


def test_harness_draws_with_the_mesh_camera() -> None:
    scene = LogitPaths(renderer=CairoRenderer())
    assert isinstance(scene.renderer.camera, MeshCamera)


# --------------------------------------------------------------------------- #
# The runs
# --------------------------------------------------------------------------- #


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


def test_the_drawn_shell_and_blobs_match_the_data():
    inputs, labels = make_dataset(points_per_class=50, seed=3)
    np.testing.assert_allclose(np.linalg.norm(inputs[labels == 2], axis=1), SHELL_RADIUS)
    for k, sign in ((0, 1), (1, -1)):
        centre = inputs[labels == k].mean(axis=0)
        assert abs(centre[0] - sign * BLOB_OFFSET) < 0.5  # 50 unit-normal samples


# --------------------------------------------------------------------------- #
# The drift along (1, 1, 1): what the readouts and the side view show
# --------------------------------------------------------------------------- #


@pytest.fixture(scope="module")
def default_data():
    return logit_paths_data(LogitPathsParams())


def test_sgd_keeps_every_logit_vector_on_the_sum_zero_plane(default_data):
    """SGD's last-layer steps are (p - y) h^T and (p - y): their rows sum to zero over the
    classes, so from a zero last layer the logits always sum to zero."""
    sgd = next(run for run in default_data.runs if run.name == "sgd")
    np.testing.assert_allclose(sgd.result.logits.sum(axis=-1), 0.0, atol=1e-9)
    assert not sgd.drifts
    assert sgd.final_drift < 1e-9
    assert LogitPaths.training_sentence(sgd, 0).endswith("stays exactly zero.")


def test_adam_drifts_visibly_along_the_ones_axis(default_data):
    adam = next(run for run in default_data.runs if run.name == "adam")
    assert adam.drifts
    # the mean logit against an independent measure: the component along (1, 1, 1)
    ones = np.ones(3) / math.sqrt(3.0)
    along = adam.trajectories @ ones  # distance along the unit all-ones vector
    np.testing.assert_allclose(adam.mean_logits * math.sqrt(3.0), along, atol=1e-12)
    np.testing.assert_allclose(adam.final_drift, np.abs(along[-1]).max() / math.sqrt(3.0))
    # large enough to be seen: the highest path leaves the plane by over 5% of the
    # plotted extent (the side view zooms in further)
    assert np.abs(along).max() > 0.05 * default_data.logit_extent
    # the readout at the last snapshot is the final drift, and 0 at the start
    last = len(adam.trajectories) - 1
    assert adam.drift_at(last) == pytest.approx(adam.final_drift)
    assert adam.drift_at(0) == 0.0
    # the narration says the measured number
    assert f"{adam.final_drift:.1f}" in LogitPaths.side_sentence(adam)


def test_drift_readout_interpolates_like_the_heads(default_data):
    adam = default_data.runs[-1]
    position = 3.25
    heads = adam.logits_at(position)
    expected = adam.trajectories[3] + 0.25 * (adam.trajectories[4] - adam.trajectories[3])
    np.testing.assert_allclose(heads, expected)
    assert adam.drift_at(position) == pytest.approx(np.abs(expected.mean(axis=-1)).max())


def test_beats_known_before_rendering_include_the_side_view():
    names = LogitPathsParams().beat_names(LectureParams())
    assert names == (
        "inputs",
        "logit-space",
        "why-last-layer",
        "sgd-training",
        "sgd-plane-view",
        "adam-training",
        "adam-side-view",
        "adam-plane-view",
        "takeaway",
    )
    assert "sgd-side-view" not in LogitPathsParams(optimizers=("sgd",)).beat_names(LectureParams())


# --------------------------------------------------------------------------- #
# Cameras
# --------------------------------------------------------------------------- #


def manim_rotation(angles: dict[str, float]) -> np.ndarray:
    camera = ThreeDCamera()
    camera.set_phi(angles["phi"])
    camera.set_theta(angles["theta"])
    camera.set_gamma(angles.get("gamma", 0.0))
    return camera.generate_rotation_matrix()


def test_flat_view_looks_down_the_ones_axis():
    rotation = manim_rotation(flat_view_angles())
    ones = rotation @ (np.ones(3) / np.sqrt(3))
    np.testing.assert_allclose(ones, [0, 0, 1], atol=1e-12)  # straight at the camera
    up = rotation @ from_plane(np.array([0.0, 1.0]))  # class 1's direction
    assert abs(up[0]) < 1e-12 and up[1] > 0


def test_side_view_sees_the_plane_edge_on_with_the_ones_axis_up():
    rotation = manim_rotation(side_view_angles(OVERVIEW["phi"], OVERVIEW["theta"]))
    ones = rotation @ (np.ones(3) / np.sqrt(3))
    np.testing.assert_allclose(ones, [0, 1, 0], atol=1e-12)  # straight up on screen
    # every sum-zero vector lies on one screen line: the plane is seen edge-on
    for plane_point in (from_plane(np.array([1.0, 0.0])), from_plane(np.array([0.3, -2.0]))):
        assert abs((rotation @ plane_point)[1]) < 1e-12


def test_input_view_separates_the_blobs():
    """At the end of the first beat the x_1 axis (the blobs' offset) runs nearly across
    the screen, so the blobs at x_1 = +-2 stand apart."""
    rotation = manim_rotation({"phi": OVERVIEW["phi"], "theta": INPUT_END_THETA})
    across = rotation @ np.array([1.0, 0.0, 0.0])
    assert math.hypot(across[0], across[1]) > 0.95
    assert abs(across[0]) > 0.95


def test_camera_rotation_matches_manims_camera():
    phi, theta, gamma = 1.1, -0.7, 0.3
    np.testing.assert_allclose(
        manim_rotation({"phi": phi, "theta": theta, "gamma": gamma}),
        camera_rotation(phi, theta, gamma),
        atol=1e-12,
    )


def test_markers_face_the_camera_from_every_view():
    """Path heads keep their flat shape on screen: after facing, each marker's outline
    has no depth for the camera, so it is never seen edge-on."""
    for angles in (flat_view_angles(), side_view_angles(1.2, -0.7), {"phi": 1.5, "theta": 0.2}):
        rotation = manim_rotation(angles)
        for k in range(3):
            marks = FacingMarkers(class_marker(k, 0.1, "#ffffff"), [[1, 2, 3], [0, 0, 0]])
            marks.face(rotation)
            outline = marks.points.reshape(2, -1, 3)[0] - marks.get_centers()[0]
            on_screen = outline @ rotation.T
            np.testing.assert_allclose(on_screen[:, 2], 0.0, atol=1e-12)
            assert np.ptp(on_screen[:, 0]) > 0.15 and np.ptp(on_screen[:, 1]) > 0.15
            np.testing.assert_allclose(marks.get_centers(), [[1, 2, 3], [0, 0, 0]], atol=1e-12)
