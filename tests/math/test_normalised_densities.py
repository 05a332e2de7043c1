"""Tests for softmax_math.normalised_densities: the Gaussian posterior in log space.

Checked against scipy (densities from scipy.stats, normalised by scipy.special) and,
by property tests, against the linear-logit posterior at distances and widths where
the densities themselves are 0 in float64.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from softmax_math import (
    class_vertices,
    gaussian_density,
    gaussian_posterior,
    normalised_densities,
)

PROPERTY = settings(deadline=None, max_examples=60)
RANDOM = np.random.default_rng(28)


def scipy_posterior(x, means, sigma, priors):
    """``log pi_k + log N(x; mean_k)`` from scipy.stats, normalised by scipy.special.softmax."""
    covariance = sigma**2 * np.eye(means.shape[1])
    log_weighted = np.stack(
        [
            np.log(prior) + scipy.stats.multivariate_normal(mean, covariance).logpdf(x)
            for mean, prior in zip(means, priors, strict=True)
        ],
        axis=-1,
    )
    return scipy.special.softmax(log_weighted, axis=-1)


@pytest.mark.parametrize("dimension", [1, 2, 3])
@pytest.mark.parametrize("sigma", [0.05, 0.7, 3.0])
def test_matches_scipy(dimension: int, sigma: float) -> None:
    means = RANDOM.normal(scale=3.0, size=(4, dimension))
    priors = RANDOM.uniform(0.1, 1.0, size=4)
    x = RANDOM.normal(scale=20.0, size=(50, dimension))
    expected = scipy_posterior(x, means, sigma, priors / priors.sum())
    np.testing.assert_allclose(normalised_densities(x, means, sigma, priors), expected, atol=1e-12)


def test_matches_the_densities_divided_by_their_sum_where_they_are_not_zero() -> None:
    means = np.array([[1.0, 0.0], [-1.0, 0.5], [0.0, -1.0]])
    x = RANDOM.normal(size=(30, 2))
    density = np.stack([gaussian_density(x, mean, 0.8) for mean in means], axis=-1)
    np.testing.assert_allclose(
        normalised_densities(x, means, 0.8),
        density / density.sum(axis=-1, keepdims=True),
        rtol=1e-12,
    )


@pytest.mark.usefixtures("strict_floating_point")
def test_the_gaussians_chapter_at_its_widest_and_narrowest() -> None:
    """Means 10 from the centre, a picture 10 wide and sigma 0.05 (the schema's ends):
    the densities divided by their sum are 0/0 at most points; the log-space result is
    exact there and equals the linear-logit posterior the chapter compares it with."""
    vertices = class_vertices(3)
    means = 10.0 * vertices / np.linalg.norm(vertices, axis=1, keepdims=True)
    u = np.linspace(-20.0, 20.0, 41)
    x = np.stack(np.meshgrid(u, u, indexing="ij"), axis=-1)
    density = np.stack([gaussian_density(x, mean, 0.05) for mean in means], axis=-1)
    assert (density.sum(axis=-1) == 0.0).mean() > 0.9
    posterior = normalised_densities(x, means, 0.05)
    assert np.all(np.isfinite(posterior))
    np.testing.assert_allclose(posterior.sum(axis=-1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(posterior, gaussian_posterior(x, means, 0.05), atol=1e-9)


def test_a_class_without_prior_gets_nothing() -> None:
    result = normalised_densities([0.0, 5.0, -50.0], means=[-1.0, 1.0, 3.0], sigma=1.0,
                                  priors=[1.0, 0.0, 1.0])  # fmt: skip
    assert np.all(result[:, 1] == 0.0)
    np.testing.assert_allclose(result.sum(axis=-1), 1.0)


def test_one_dimensional_points_of_any_shape() -> None:
    x = np.linspace(-3.0, 3.0, 12).reshape(3, 4)
    assert normalised_densities(x, [-1.0, 0.0, 2.0], 0.5).shape == (3, 4, 3)


def test_rejects_a_sigma_that_is_not_positive() -> None:
    with pytest.raises(ValueError, match="sigma"):
        normalised_densities([0.0], [-1.0, 1.0], 0.0)


coordinates = st.floats(-1e3, 1e3, allow_nan=False)
sigmas = st.floats(1e-2, 1e2)


@st.composite
def problems(draw):
    """Means, points far and near, a sigma from very narrow to wide, and priors."""
    classes = draw(st.integers(2, 5))
    dimension = draw(st.integers(1, 3))
    means = draw(hnp.arrays(np.float64, (classes, dimension), elements=st.floats(-50, 50)))
    x = draw(hnp.arrays(np.float64, (draw(st.integers(1, 6)), dimension), elements=coordinates))
    priors = draw(hnp.arrays(np.float64, classes, elements=st.floats(0.01, 1.0)))
    return x, means, draw(sigmas), priors


@PROPERTY
@given(problems())
def test_is_a_distribution_at_any_distance_and_width(problem) -> None:
    x, means, sigma, priors = problem
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        posterior = normalised_densities(x, means, sigma, priors)
    assert np.all((posterior >= 0.0) & (posterior <= 1.0))
    np.testing.assert_allclose(posterior.sum(axis=-1), 1.0, rtol=1e-12)


def rounding(x, means, sigma) -> float:
    """The absolute error the log densities' rounding allows: eps * |x - mean|^2 / sigma^2."""
    squared = ((x[:, None, :] - means[None, :, :]) ** 2).sum(axis=-1)
    return 1e-12 + 8 * np.finfo(float).eps * float(squared.max()) / sigma**2


@PROPERTY
@given(problems())
def test_equals_the_softmax_of_linear_logits(problem) -> None:
    x, means, sigma, priors = problem
    np.testing.assert_allclose(
        normalised_densities(x, means, sigma, priors),
        gaussian_posterior(x, means, sigma, priors),
        atol=rounding(x, means, sigma),
    )


@PROPERTY
@given(problems(), hnp.arrays(np.float64, 3, elements=st.floats(-100, 100)))
def test_moving_points_and_means_together_changes_nothing(problem, offset) -> None:
    x, means, sigma, priors = problem
    offset = offset[: means.shape[1]]
    np.testing.assert_allclose(
        normalised_densities(x + offset, means + offset, sigma, priors),
        normalised_densities(x, means, sigma, priors),
        atol=2 * rounding(x + np.abs(offset), means, sigma),
    )
