"""ThreeClassGradients: its last frame against control data, and the numbers it shows:
the two pulls and the descent paths (softmax_math.descent, itself tested against finite
differences in tests/math/test_descent.py) at the chapter's own parameters."""

from __future__ import annotations

import numpy as np
import pytest
from manim import Scene
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.three_class_gradients import ThreeClassGradients
from softmax_math import (
    class_vertices,
    descent_path,
    dominant_class,
    from_plane,
    nll_gradient,
    softmax,
    split_descent,
    to_plane,
    turning_angle,
)
from softmax_video.core.params import ThreeClassGradientsParams

__module_test__ = "three_class_gradients"

PARAMS = ThreeClassGradientsParams()


@frames_comparison(base_scene=ThreeClassGradients)
def test_three_class_gradients(scene: Scene) -> None:
    ThreeClassGradients.construct(scene)


@pytest.mark.parametrize("target", [0, 1, 2])
def test_descent_splits_into_two_pulls(target: int) -> None:
    point = np.array(PARAMS.start_point)
    descent, toward_target, toward_tie = split_descent(point, target)
    p = softmax(from_plane(point))
    j, k = (c for c in range(3) if c != target)
    assert np.allclose(descent, toward_target + toward_tie)
    axis = class_vertices(3)[target] / np.linalg.norm(class_vertices(3)[target])
    # One pull straight toward the target's vertex direction, sized (1 - p_t) sqrt(3/2).
    assert toward_target @ axis == pytest.approx((1 - p[target]) * np.sqrt(1.5))
    # The other pull points at the line z_j = z_k, sized |p_j - p_k| / sqrt 2.
    assert np.linalg.norm(toward_tie) == pytest.approx(abs(p[j] - p[k]) / np.sqrt(2))
    across = point - (point @ axis) * axis  # from the tie line to the point
    assert toward_tie @ across <= 0


@pytest.mark.parametrize("target", [t - 1 for t in PARAMS.target_classes])
def test_every_shown_path_starts_elsewhere_and_visibly_bends(target: int) -> None:
    start = np.array(PARAMS.start_point)
    # The start lies in a region that is none of the targets', so each path must turn.
    targets = {t - 1 for t in PARAMS.target_classes}
    assert int(dominant_class(from_plane(start))) not in targets
    path = descent_path(start, target, PARAMS.descent_steps, PARAMS.step_size)
    first_step = -PARAMS.step_size * to_plane(nll_gradient(from_plane(start), target))
    assert np.allclose(path[1] - path[0], first_step)
    losses = -np.log(softmax(from_plane(path))[:, target])
    assert np.all(np.diff(losses) < 0)
    assert dominant_class(from_plane(path[-1])) == target
    assert turning_angle(path) > 12.0
    # It stays on the drawn square.
    assert np.abs(path).max() <= PARAMS.extent
