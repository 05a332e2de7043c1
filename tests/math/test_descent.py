"""Tests for softmax_math.descent against independent references: finite differences of
the loss written out by hand, and the closed-form sizes of the two pulls."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from softmax_math import descent_path, split_descent, turning_angle

# The sum-zero plane's basis written out (rows: plane x, plane y), independent of
# softmax_math.geometry.
BASIS = np.array([[0.0, -1.0, 1.0], [2.0, -1.0, -1.0]]) / np.sqrt([[2.0], [6.0]])


def loss(point: np.ndarray, target: int) -> float:
    """-log p_target at plane point ``point``, by hand."""
    z = point @ BASIS
    return float(np.log(np.exp(z).sum()) - z[target])


def numeric_descent(point: np.ndarray, target: int, h: float = 1e-6) -> np.ndarray:
    """-grad of the loss in plane coordinates, by central differences."""
    return -np.array(
        [(loss(point + h * e, target) - loss(point - h * e, target)) / (2 * h) for e in np.eye(2)]
    )


POINTS = [np.array(p) for p in [(0.0, 0.0), (1.75, -1.0), (-1.5, -1.2), (0.3, 2.1), (-2.4, 1.0)]]


@pytest.mark.parametrize("target", [0, 1, 2])
@pytest.mark.parametrize("point", POINTS, ids=str)
def test_split_descent_is_minus_the_gradient_in_two_pulls(point: np.ndarray, target: int) -> None:
    descent, toward_target, toward_tie = split_descent(point, target)
    np.testing.assert_allclose(descent, numeric_descent(point, target), atol=1e-7)
    np.testing.assert_allclose(descent, toward_target + toward_tie, atol=1e-12)
    assert abs(toward_target @ toward_tie) < 1e-12
    z = point @ BASIS
    p = np.exp(z) / np.exp(z).sum()
    j, k = (c for c in range(3) if c != target)
    # Closed forms of the two sizes.
    assert np.linalg.norm(toward_target) == pytest.approx((1 - p[target]) * np.sqrt(1.5))
    assert np.linalg.norm(toward_tie) == pytest.approx(abs(p[j] - p[k]) / np.sqrt(2), abs=1e-12)
    # The target pull points at the target's vertex; the tie pull at the line z_j = z_k
    # (it shrinks |z_j - z_k| to first order).
    vertex = BASIS[:, target]
    assert toward_target @ vertex >= 0
    gap = BASIS[:, j] - BASIS[:, k]  # d(z_j - z_k) / d(point)
    assert np.sign(toward_tie @ gap) == -np.sign(z[j] - z[k]) or abs(z[j] - z[k]) < 1e-12


def test_descent_path_steps_along_the_numeric_gradient() -> None:
    start = np.array([1.75, -1.0])
    path = descent_path(start, 0, 14, 0.8)
    assert path.shape == (15, 2)
    np.testing.assert_allclose(path[0], start)
    for a, b in itertools.pairwise(path):
        np.testing.assert_allclose(b - a, 0.8 * numeric_descent(a, 0), atol=1e-6)
    losses = [loss(q, 0) for q in path]
    assert all(b < a for a, b in itertools.pairwise(losses))


def test_turning_angle_of_known_paths() -> None:
    assert turning_angle([[0, 0], [1, 0], [2, 0]]) == pytest.approx(0.0)
    assert turning_angle([[0, 0], [1, 0], [1, 1]]) == pytest.approx(90.0)
    assert turning_angle([[0, 0], [1, 0], [2, 1], [3, 1 + np.sqrt(3)]]) == pytest.approx(60.0)
    with pytest.raises(ValueError):
        turning_angle([[0, 0], [1, 0]])


def test_descent_path_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError):
        descent_path([0.0, 0.0], 0, -1, 0.5)
    with pytest.raises(ValueError):
        descent_path([0.0, 0.0], 0, 3, 0.0)
    with pytest.raises(ValueError):
        descent_path([0.0, 0.0, 0.0], 0, 3, 0.5)
