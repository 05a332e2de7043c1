"""Tests for softmax_math.grids: grid evaluations agree with the pointwise functions."""

from __future__ import annotations

import math

import numpy as np
import pytest

from softmax_math import (
    descent_field,
    from_plane,
    grid_logits,
    logit_square_field,
    loss_surface,
    nll_gradient,
    nll_loss,
    plane_field,
    plane_grid,
    sigmoid,
    softmax,
    softmax_surfaces,
    sum_zero_basis,
    to_plane,
)

X, Y = plane_grid((-3.0, 4.0, -2.5, 3.5), (23, 17))


def pointwise_logits(k: int, x: np.ndarray, y: np.ndarray | None, rest=()) -> np.ndarray:
    """Logits of every grid point, one point at a time (the slow, obvious way)."""
    points = [
        [x_value] if y is None else [x_value, y_value, *rest]
        for x_value, y_value in zip(x.ravel(), (x if y is None else y).ravel(), strict=True)
    ]
    return np.array([from_plane(point) for point in points]).reshape(*x.shape, k)


def test_plane_grid() -> None:
    assert X.shape == Y.shape == (17, 23)
    assert X[0, 0] == -3.0 and X[0, -1] == 4.0 and Y[0, 0] == -2.5 and Y[-1, 0] == 3.5
    np.testing.assert_array_equal(X[0], X[-1])
    square_x, square_y = plane_grid(2.0, 5)
    assert square_x.shape == (5, 5) and square_y.min() == -2.0 and square_y.max() == 2.0


@pytest.mark.parametrize(("k", "rest"), [(3, None), (4, [0.7]), (5, [0.3, -1.2])])
def test_grid_logits_match_from_plane(k: int, rest) -> None:
    expected = pointwise_logits(k, X, Y, rest or ())
    np.testing.assert_allclose(grid_logits(k, X, Y, rest), expected, atol=1e-14)


@pytest.mark.parametrize(("k", "rest"), [(3, None), (4, [0.7]), (5, [0.3, -1.2])])
@pytest.mark.parametrize("target", [0, 1, 2])
def test_surfaces_loss_and_descent_match_pointwise(k: int, rest, target: int) -> None:
    logits = pointwise_logits(k, X, Y, rest or ())
    surfaces = softmax_surfaces(k, X, Y, rest=rest)
    assert surfaces.shape == (k, *X.shape)
    np.testing.assert_allclose(np.moveaxis(surfaces, 0, -1), softmax(logits), atol=1e-15)
    np.testing.assert_allclose(loss_surface(k, target, X, Y, rest), nll_loss(logits, target))
    gradient_in_plane = to_plane(nll_gradient(logits, target))[..., :2]
    u, v = descent_field(k, target, X, Y, rest)
    np.testing.assert_allclose(u, -gradient_in_plane[..., 0], atol=1e-15)
    np.testing.assert_allclose(v, -gradient_in_plane[..., 1], atol=1e-15)
    field = plane_field(k, target, X, Y, rest)
    np.testing.assert_allclose(field.probabilities, surfaces, atol=1e-15)
    np.testing.assert_allclose(field.loss, loss_surface(k, target, X, Y, rest))
    np.testing.assert_allclose(field.descent, np.stack([u, v]), atol=1e-15)
    np.testing.assert_array_equal(field.descent, -field.gradient)


def test_three_class_descent_is_the_whole_gradient() -> None:
    # p - onehot sums to zero, so its two plane coordinates lose nothing
    u, v = descent_field(3, 1, X, Y)
    logits = grid_logits(3, X, Y)
    np.testing.assert_allclose(
        from_plane(np.stack([u, v], axis=-1)), -nll_gradient(logits, 1), atol=1e-15
    )


def test_descent_is_the_negative_gradient_of_the_loss_surface() -> None:
    step = 1e-6
    for target in range(3):
        u, v = descent_field(3, target, X, Y)
        d_dx = (loss_surface(3, target, X + step, Y) - loss_surface(3, target, X - step, Y)) / (
            2 * step
        )
        d_dy = (loss_surface(3, target, X, Y + step) - loss_surface(3, target, X, Y - step)) / (
            2 * step
        )
        np.testing.assert_allclose(u, -d_dx, atol=1e-8)
        np.testing.assert_allclose(v, -d_dy, atol=1e-8)


def test_temperature_on_surfaces() -> None:
    cold = softmax_surfaces(3, X, Y, temperature=0.25)
    np.testing.assert_allclose(cold, softmax_surfaces(3, 4 * X, 4 * Y), atol=1e-14)


def test_two_class_line() -> None:
    line = np.linspace(-5.0, 5.0, 41)
    probabilities = softmax_surfaces(2, line)
    assert probabilities.shape == (2, 41)
    np.testing.assert_allclose(probabilities[0], sigmoid(math.sqrt(2) * line), atol=1e-15)
    field = plane_field(2, 0, line)
    assert field.gradient.shape == (1, 41)
    (u,) = descent_field(2, 0, line)
    np.testing.assert_allclose(u, field.descent[0])
    np.testing.assert_allclose(u, math.sqrt(2) * (1 - probabilities[0]), atol=1e-15)
    np.testing.assert_allclose(field.loss, loss_surface(2, 0, line))


def test_logit_square_field_matches_pointwise() -> None:
    z0, z1 = plane_grid(6.0, (31, 29))
    for target in (0, 1):
        field = logit_square_field(z0, z1, target)
        logits = np.stack([z0, z1], axis=-1)
        np.testing.assert_allclose(field.probabilities[0], sigmoid(z0 - z1), atol=1e-15)
        np.testing.assert_allclose(field.probabilities, np.moveaxis(softmax(logits), -1, 0))
        np.testing.assert_allclose(field.loss, nll_loss(logits, target))
        np.testing.assert_allclose(
            field.gradient, np.moveaxis(nll_gradient(logits, target), -1, 0), atol=1e-15
        )
        np.testing.assert_array_equal(field.descent, -field.gradient)
        np.testing.assert_allclose(field.gradient.sum(axis=0), 0.0, atol=1e-15)


def test_logit_square_broadcasts_and_is_stable(strict_floating_point: None) -> None:
    field = logit_square_field(np.array([[-1e4], [1e4]]), np.array([0.0, 1.0, 2.0]), 0)
    assert field.loss.shape == (2, 3)
    assert field.probabilities[0].tolist() == [[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]]
    assert field.loss[1].tolist() == [0.0, 0.0, 0.0]


def test_grids_are_stable_far_out(strict_floating_point: None) -> None:
    far_x, far_y = plane_grid(1e4, 9)
    field = plane_field(3, 2, far_x, far_y)
    assert np.isfinite(field.loss).all() and np.isfinite(field.gradient).all()
    np.testing.assert_allclose(field.probabilities.sum(axis=0), 1.0)


def test_argument_errors() -> None:
    with pytest.raises(ValueError, match="line"):
        softmax_surfaces(2, X, Y)
    with pytest.raises(ValueError, match="x and y"):
        softmax_surfaces(3, X)
    with pytest.raises(ValueError, match="rest"):
        softmax_surfaces(4, X, Y, rest=[1.0, 2.0])
    with pytest.raises(ValueError, match="rest"):
        softmax_surfaces(3, X, Y, rest=[1.0])
    with pytest.raises(TypeError, match="single class"):
        plane_field(3, [0, 1], X, Y)
    with pytest.raises(ValueError, match="target"):
        plane_field(3, 3, X, Y)
    with pytest.raises(ValueError, match="target"):
        logit_square_field(X, Y, 2)


def test_basis_rows_are_the_grid_axes() -> None:
    # moving one unit along x moves the logits by the first basis row
    np.testing.assert_allclose(
        grid_logits(3, 1.0, 0.0) - grid_logits(3, 0.0, 0.0), sum_zero_basis(3)[0]
    )
