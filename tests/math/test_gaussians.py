"""Tests for softmax_math.gaussians: densities and the softmax-shaped class posterior."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from softmax_math import (
    gaussian_density,
    gaussian_log_density,
    gaussian_logits,
    gaussian_posterior,
    softmax,
)

PROPERTY = settings(deadline=None, max_examples=50)
RANDOM = np.random.default_rng(7)


def posterior_the_long_way(x, means, sigma, priors):
    """Densities times priors, normalised, with scipy's multivariate normal."""
    weighted = np.stack(
        [
            prior * scipy.stats.multivariate_normal(mean, sigma**2 * np.eye(len(mean))).pdf(x)
            for mean, prior in zip(means, priors, strict=True)
        ],
        axis=-1,
    )
    return weighted / weighted.sum(axis=-1, keepdims=True)


@pytest.mark.parametrize("dimension", [1, 2, 3, 5])
def test_density_matches_scipy(dimension: int) -> None:
    mean = RANDOM.normal(size=dimension)
    x = RANDOM.normal(scale=2.0, size=(4, 6, dimension))
    sigma = 0.7
    reference = scipy.stats.multivariate_normal(mean, sigma**2 * np.eye(dimension))
    np.testing.assert_allclose(gaussian_density(x, mean, sigma), reference.pdf(x), rtol=1e-12)
    np.testing.assert_allclose(
        gaussian_log_density(x, mean, sigma), reference.logpdf(x), rtol=1e-12
    )


def test_scalar_mean_means_one_dimension() -> None:
    x = np.linspace(-4.0, 4.0, 17)
    np.testing.assert_allclose(
        gaussian_density(x, 0.5, 1.3), scipy.stats.norm(0.5, 1.3).pdf(x), rtol=1e-13
    )
    assert gaussian_density(0.0, 0.0, 1.0) == pytest.approx(1 / math.sqrt(2 * math.pi))


def test_density_far_away_underflows_quietly(strict_floating_point: None) -> None:
    assert gaussian_density([1e3, 0.0], [0.0, 0.0], 1.0) == 0.0
    assert gaussian_log_density([1e3, 0.0], [0.0, 0.0], 1.0) == pytest.approx(-5e5, rel=1e-4)


@given(
    means=hnp.arrays(
        np.float64, st.tuples(st.integers(2, 5), st.integers(1, 3)), elements=st.floats(-3.0, 3.0)
    ),
    sigma=st.floats(0.5, 3.0),
    data=st.data(),
)
@PROPERTY
def test_posterior_equals_softmax_of_linear_logits(means, sigma, data) -> None:
    n_classes, dimension = means.shape
    x = data.draw(hnp.arrays(np.float64, (6, dimension), elements=st.floats(-4.0, 4.0)))
    priors = data.draw(
        st.one_of(
            st.none(),
            hnp.arrays(np.float64, n_classes, elements=st.floats(0.05, 1.0)),
        )
    )
    uniform = np.full(n_classes, 1.0 / n_classes)
    normalised = uniform if priors is None else priors / priors.sum()
    expected = posterior_the_long_way(x, means, sigma, normalised)
    weights, biases = gaussian_logits(means, sigma, priors)
    np.testing.assert_allclose(softmax(x @ weights.T + biases), expected, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(
        gaussian_posterior(x, means, sigma, priors), expected, rtol=1e-9, atol=1e-12
    )


def test_logit_formula() -> None:
    means = np.array([[1.0, 2.0], [-1.0, 0.5], [0.0, 0.0]])
    priors = np.array([0.2, 0.3, 0.5])
    weights, biases = gaussian_logits(means, 2.0, priors)
    np.testing.assert_allclose(weights, means / 4.0)
    np.testing.assert_allclose(biases, -np.sum(means**2, axis=1) / 8.0 + np.log(priors))


def test_priors_are_normalised_and_zero_priors_never_win(strict_floating_point: None) -> None:
    means = [[0.0], [1.0], [2.0]]
    np.testing.assert_allclose(
        gaussian_posterior([[0.3]], means, 1.0, priors=[2.0, 2.0, 4.0]),
        gaussian_posterior([[0.3]], means, 1.0, priors=[0.25, 0.25, 0.5]),
    )
    _, biases = gaussian_logits(means, 1.0, priors=[0.5, 0.0, 0.5])
    assert biases[1] == -math.inf
    posterior = gaussian_posterior([[1.0], [5.0]], means, 1.0, priors=[0.5, 0.0, 0.5])
    assert posterior[:, 1].tolist() == [0.0, 0.0]


def test_posterior_is_stable_far_from_the_means(strict_floating_point: None) -> None:
    posterior = gaussian_posterior([[1e4, 0.0], [-1e4, 3.0]], [[1.0, 0.0], [-1.0, 0.0]], 0.5)
    assert posterior.tolist() == [[1.0, 0.0], [0.0, 1.0]]


def test_one_dimensional_means_take_plain_numbers() -> None:
    x = np.linspace(-2.0, 2.0, 5)
    posterior = gaussian_posterior(x, [-1.0, 1.0], 1.0)
    assert posterior.shape == (5, 2)
    np.testing.assert_allclose(posterior, gaussian_posterior(x[:, None], [[-1.0], [1.0]], 1.0))
    np.testing.assert_allclose(posterior[:, 1], 1 / (1 + np.exp(-2 * x)))  # sigmoid(2 x / s^2)


@pytest.mark.parametrize("sigma", [0.0, -1.0, math.inf, math.nan])
def test_bad_sigma_raises(sigma: float) -> None:
    with pytest.raises(ValueError, match="sigma"):
        gaussian_posterior([0.0], [0.0, 1.0], sigma)
    with pytest.raises(ValueError, match="sigma"):
        gaussian_density([0.0], [0.0], sigma)


@pytest.mark.parametrize(
    "priors", [[0.5, 0.5, 0.0], [-0.5, 1.5], [0.0, 0.0], [math.nan, 1.0], [[0.5, 0.5]]]
)
def test_bad_priors_raise(priors) -> None:
    with pytest.raises(ValueError, match="priors"):
        gaussian_logits([0.0, 1.0], 1.0, priors)


def test_mismatched_shapes_raise() -> None:
    with pytest.raises(ValueError, match="do not match"):
        gaussian_posterior(np.zeros((4, 3)), np.zeros((2, 2)), 1.0)
    with pytest.raises(ValueError, match="means"):
        gaussian_logits(np.zeros((2, 2, 2)), 1.0)
