"""Tests for softmax_math.core: softmax and friends, against scipy and by properties."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
import scipy.special
import scipy.stats
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from softmax_math import (
    entropy,
    log_softmax,
    logit,
    logsumexp,
    nll_gradient,
    nll_loss,
    one_hot,
    sigmoid,
    sigmoid_derivative,
    softmax,
    softmax_jacobian,
)

INF = math.inf
NAN = math.nan
PROPERTY = settings(deadline=None, max_examples=100)

finite_logits = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
wide_logits = st.floats(-1e300, 1e300, allow_nan=False, allow_infinity=False)


def logit_arrays(elements=finite_logits, min_classes: int = 1, max_classes: int = 8):
    """Arrays of 1 to 3 dimensions; the last axis is the class axis."""
    shapes = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5).flatmap(
        lambda shape: st.integers(min_classes, max_classes).map(lambda k: (*shape[:-1], k))
    )
    return hnp.arrays(np.float64, shapes, elements=elements)


RANDOM = np.random.default_rng(20240611)
RANDOM_LOGITS = RANDOM.normal(scale=5.0, size=(50, 7))
EXTREME_LOGITS = np.array(
    [
        [1000.0, 1001.0, 1003.0],
        [-1e4, 0.0, 1e4],
        [-1e308, 0.0, 1e308],
        [-745.0, 0.0, 745.0],
        [1e-300, -1e-300, 0.0],
        [-INF, 0.0, 1.0],
        [-INF, -INF, 5.0],
        [7.0, 7.0, 7.0],
    ]
)


# ---------------------------------------------------------------------------
# softmax / log_softmax / logsumexp against scipy
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("logits", [RANDOM_LOGITS, EXTREME_LOGITS], ids=["random", "extreme"])
def test_matches_scipy(logits: np.ndarray, strict_floating_point: None) -> None:
    with np.errstate(all="ignore"):  # scipy's own computation is not under test
        expected_p = scipy.special.softmax(logits, axis=-1)
        expected_log_p = scipy.special.log_softmax(logits, axis=-1)
        expected_lse = scipy.special.logsumexp(logits, axis=-1)
    np.testing.assert_allclose(softmax(logits), expected_p, rtol=1e-13, atol=1e-300)
    np.testing.assert_allclose(log_softmax(logits), expected_log_p, rtol=1e-13, atol=1e-12)
    np.testing.assert_allclose(logsumexp(logits), expected_lse, rtol=1e-13)


@pytest.mark.parametrize("axis", [0, 1, (0, 1), None])
def test_matches_scipy_along_other_axes(axis) -> None:
    np.testing.assert_allclose(
        softmax(RANDOM_LOGITS, axis=axis), scipy.special.softmax(RANDOM_LOGITS, axis=axis)
    )
    np.testing.assert_allclose(
        log_softmax(RANDOM_LOGITS, axis=axis),
        scipy.special.log_softmax(RANDOM_LOGITS, axis=axis),
    )
    for keepdims in (False, True):
        np.testing.assert_allclose(
            logsumexp(RANDOM_LOGITS, axis=axis, keepdims=keepdims),
            scipy.special.logsumexp(RANDOM_LOGITS, axis=axis, keepdims=keepdims),
        )


def test_large_logits_give_exactly_the_shifted_result(strict_floating_point: None) -> None:
    assert np.array_equal(softmax([1000.0, 1001.0, 1003.0]), softmax([0.0, 1.0, 3.0]))
    assert np.array_equal(log_softmax([1000.0, 1001.0, 1003.0]), log_softmax([0.0, 1.0, 3.0]))
    assert softmax([-1e4, 0.0, 1e4]).tolist() == [0.0, 0.0, 1.0]
    assert softmax([1e308, -1e308]).tolist() == [1.0, 0.0]
    assert log_softmax([-1e4, 0.0, 1e4]).tolist() == [-2e4, -1e4, 0.0]


def test_minus_infinity_and_nan_rows(strict_floating_point: None) -> None:
    logits = np.array(
        [[-INF, 0.0, 0.0], [-INF, -INF, -INF], [NAN, 0.0, 1.0], [1.0, 2.0, 3.0]],
    )
    p = softmax(logits)
    assert p[0].tolist() == [0.0, 0.5, 0.5]
    assert np.isnan(p[1]).all() and np.isnan(p[2]).all()  # as scipy: undefined rows
    np.testing.assert_allclose(p[3], softmax([1.0, 2.0, 3.0]))  # other rows untouched
    log_p = log_softmax(logits)
    assert log_p[0, 0] == -INF and np.isnan(log_p[1]).all() and np.isnan(log_p[2]).all()
    lse = logsumexp(logits)
    assert lse[1] == -INF and np.isnan(lse[2])
    with np.errstate(all="ignore"):
        np.testing.assert_array_equal(p, scipy.special.softmax(logits, axis=-1))


def test_plus_infinity_shares_the_row(strict_floating_point: None) -> None:
    assert softmax([INF, 0.0, 3.0]).tolist() == [1.0, 0.0, 0.0]
    assert softmax([INF, INF, -INF]).tolist() == [0.5, 0.5, 0.0]
    assert log_softmax([INF, 0.0]).tolist() == [0.0, -INF]
    assert logsumexp([INF, 0.0]) == INF
    assert softmax([INF, NAN]).tolist() != softmax([INF, NAN]).tolist()  # NaN wins


@given(logit_arrays(wide_logits), st.sampled_from([1.0, 0.5, 3.0, 1e-3]))
@PROPERTY
def test_rows_sum_to_one(logits: np.ndarray, temperature: float) -> None:
    total = softmax(logits, temperature=temperature).sum(axis=-1)
    np.testing.assert_allclose(total, 1.0, rtol=0, atol=1e-14 * logits.shape[-1])


@given(logit_arrays(), st.floats(-1e3, 1e3))
@PROPERTY
def test_shift_invariance(logits: np.ndarray, shift: float) -> None:
    np.testing.assert_allclose(softmax(logits + shift), softmax(logits), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(
        log_softmax(logits + shift), log_softmax(logits), rtol=1e-9, atol=1e-9
    )


@given(finite_logits, finite_logits)
@PROPERTY
def test_two_classes_are_a_sigmoid_of_the_difference(first: float, second: float) -> None:
    np.testing.assert_allclose(softmax([first, second])[0], sigmoid(first - second), atol=1e-13)


@given(st.floats(allow_nan=True, allow_infinity=True))
@PROPERTY
def test_sigmoid_is_exactly_the_two_class_softmax(x: float) -> None:
    assert np.array_equal(sigmoid(x), softmax([x, 0.0])[0], equal_nan=True)


@given(logit_arrays(wide_logits))
@PROPERTY
def test_log_softmax_is_log_of_softmax(logits: np.ndarray) -> None:
    p = softmax(logits)
    comparable = p > 1e-290  # below that softmax underflows (and log loses precision)
    np.testing.assert_allclose(
        log_softmax(logits)[comparable], np.log(p[comparable]), rtol=1e-12, atol=1e-12
    )


@given(logit_arrays(wide_logits))
@example(np.array([0.0, -21.0]))  # a small rest beside the maximum: log1p, not log
@PROPERTY
def test_logsumexp_matches_scipy(logits: np.ndarray) -> None:
    np.testing.assert_allclose(logsumexp(logits), scipy.special.logsumexp(logits, axis=-1))


# ---------------------------------------------------------------------------
# temperature
# ---------------------------------------------------------------------------
def test_zero_temperature_shares_the_tied_maxima(strict_floating_point: None) -> None:
    assert softmax([1.0, 2.0, 2.0], temperature=0).tolist() == [0.0, 0.5, 0.5]
    assert softmax([[3.0, 1.0], [-INF, -INF]], temperature=0.0)[0].tolist() == [1.0, 0.0]
    assert np.isnan(softmax([-INF, -INF], temperature=0)).all()
    assert np.isnan(softmax([NAN, 1.0], temperature=0)).all()
    assert log_softmax([1.0, 2.0, 2.0], temperature=0).tolist() == [
        -INF,
        -math.log(2),
        -math.log(2),
    ]
    assert log_softmax([5.0, 2.0, 2.0], temperature=0).tolist() == [0.0, -INF, -INF]


def test_tiny_temperature_is_the_zero_temperature_limit(strict_floating_point: None) -> None:
    logits = np.array([[1.0, 2.0, 2.0], [1000.0, -1e300, 1e300], [0.0, 1e-10, -1.0]])
    for temperature in (1e-300, 5e-324):
        p = softmax(logits, temperature=temperature)
        assert not np.isnan(p).any()
        np.testing.assert_array_equal(p, softmax(logits, temperature=0))
        # log p of a non-maximum is -(gap) / T: finite but huge, exp() of it is 0
        np.testing.assert_array_equal(
            np.exp(log_softmax(logits, temperature=temperature)), softmax(logits, temperature=0)
        )


@given(hnp.arrays(np.float64, st.integers(2, 6), elements=st.integers(-5, 5).map(float)))
@PROPERTY
def test_small_temperature_approaches_zero_temperature(logits: np.ndarray) -> None:
    # integer logits: gaps are 0 or >= 1, so the error is about K * exp(-1/T)
    limit = softmax(logits, temperature=0)
    errors = [np.abs(softmax(logits, temperature=t) - limit).max() for t in (0.5, 0.1, 0.01)]
    assert errors[0] >= errors[1] >= errors[2]
    assert errors[2] <= 6 * math.exp(-100)


@given(logit_arrays())
@PROPERTY
def test_large_temperature_approaches_uniform(logits: np.ndarray) -> None:
    uniform = 1.0 / logits.shape[-1]
    for temperature, tolerance in ((1e6, 1e-2), (1e12, 1e-8)):
        np.testing.assert_allclose(
            softmax(logits, temperature=temperature), uniform, atol=tolerance
        )


@given(logit_arrays(), st.floats(0.05, 20.0))
@PROPERTY
def test_temperature_divides_the_logits(logits: np.ndarray, temperature: float) -> None:
    np.testing.assert_allclose(
        softmax(logits, temperature=temperature), softmax(logits / temperature), atol=1e-12
    )
    np.testing.assert_allclose(
        log_softmax(logits, temperature=temperature),
        log_softmax(logits / temperature),
        rtol=1e-10,
        atol=1e-10,
    )


@pytest.mark.parametrize("temperature", [-1.0, -1e-300, NAN, INF, -INF, "hot", None])
@pytest.mark.parametrize("function", [softmax, log_softmax])
def test_bad_temperature_raises(function, temperature) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(temperature))):
        function([1.0, 2.0], temperature=temperature)


# ---------------------------------------------------------------------------
# sigmoid, its derivative, logit
# ---------------------------------------------------------------------------
def test_sigmoid_matches_scipy_without_overflow(strict_floating_point: None) -> None:
    x = np.concatenate([np.linspace(-50, 50, 1001), [-1000.0, 1000.0, -1e308, 1e308, -INF, INF]])
    np.testing.assert_allclose(sigmoid(x), scipy.special.expit(x), rtol=1e-15, atol=0)
    assert sigmoid(1000.0) == 1.0 and sigmoid(-1000.0) == 0.0
    assert np.isnan(sigmoid(NAN))


def test_sigmoid_derivative_by_finite_differences(strict_floating_point: None) -> None:
    x = np.linspace(-20.0, 20.0, 161)
    step = 1e-5
    numeric = (sigmoid(x + step) - sigmoid(x - step)) / (2 * step)
    # near sigmoid = 1 the difference quotient itself is only good to ~eps / step
    np.testing.assert_allclose(sigmoid_derivative(x), numeric, rtol=1e-6, atol=1e-10)
    reference = scipy.special.expit(x) * scipy.special.expit(-x)  # no 1 - expit cancellation
    np.testing.assert_allclose(sigmoid_derivative(x), reference, rtol=1e-13)
    assert sigmoid_derivative([-INF, INF, 1e308]).tolist() == [0.0, 0.0, 0.0]
    assert sigmoid_derivative(700.0) > 0.0  # no cancellation in 1 - sigmoid


def test_logit(strict_floating_point: None) -> None:
    p = np.array([0.0, 1e-300, 0.1, 0.5, 0.9, 1 - 1e-16, 1.0, -0.5, 1.5, NAN])
    with np.errstate(all="ignore"):
        expected = scipy.special.logit(p)
    np.testing.assert_allclose(logit(p), expected, rtol=1e-12)
    x = np.linspace(-30.0, 10.0, 41)  # beyond that sigmoid(x) rounds towards 1
    np.testing.assert_allclose(logit(sigmoid(x)), x, rtol=1e-9, atol=1e-12)


# ---------------------------------------------------------------------------
# entropy
# ---------------------------------------------------------------------------
@given(logit_arrays(wide_logits, min_classes=1))
@PROPERTY
def test_entropy_is_between_zero_and_log_k(logits: np.ndarray) -> None:
    h = entropy(softmax(logits))
    assert np.all(h >= 0.0)
    assert np.all(h <= math.log(logits.shape[-1]) + 1e-12)


def test_entropy_values(strict_floating_point: None) -> None:
    assert entropy([1.0, 0.0, 0.0]) == 0.0
    assert math.copysign(1.0, entropy([0.0, 1.0])) == 1.0  # +0.0, not -0.0
    assert entropy([0.5, 0.5]) == pytest.approx(math.log(2))
    p = RANDOM.dirichlet(np.ones(6), size=20)
    p[:, 0] = 0.0
    p /= p.sum(axis=-1, keepdims=True)
    np.testing.assert_allclose(entropy(p), scipy.stats.entropy(p, axis=-1), rtol=1e-12)
    np.testing.assert_allclose(entropy(p.T, axis=0), entropy(p))
    assert np.isnan(entropy([[-0.1, 1.1], [0.5, 0.5]])[0])


# ---------------------------------------------------------------------------
# Jacobian
# ---------------------------------------------------------------------------
@given(logit_arrays(finite_logits, min_classes=1), st.sampled_from([1.0, 0.3, 7.0]))
@PROPERTY
def test_jacobian_is_symmetric_with_zero_row_sums(logits: np.ndarray, temperature: float) -> None:
    jacobian = softmax_jacobian(logits, temperature=temperature)
    assert jacobian.shape == (*logits.shape, logits.shape[-1])
    np.testing.assert_array_equal(jacobian, np.swapaxes(jacobian, -1, -2))
    np.testing.assert_allclose(jacobian.sum(axis=-1), 0.0, atol=1e-15 / temperature)


@pytest.mark.parametrize("temperature", [1.0, 0.5, 4.0])
def test_jacobian_by_finite_differences(temperature: float) -> None:
    logits = RANDOM.normal(scale=2.0, size=(6, 5))
    step = 1e-6
    columns = [
        (
            softmax(logits + step * np.eye(5)[j], temperature=temperature)
            - softmax(logits - step * np.eye(5)[j], temperature=temperature)
        )
        / (2 * step)
        for j in range(5)
    ]
    numeric = np.stack(columns, axis=-1)  # [..., i, j] = d p_i / d z_j
    np.testing.assert_allclose(
        softmax_jacobian(logits, temperature=temperature), numeric, atol=1e-8
    )


def test_jacobian_rejects_zero_temperature() -> None:
    with pytest.raises(ValueError, match="temperature"):
        softmax_jacobian([1.0, 2.0], temperature=0.0)


# ---------------------------------------------------------------------------
# negative log-likelihood
# ---------------------------------------------------------------------------
def test_nll_loss_values_and_broadcasting(strict_floating_point: None) -> None:
    logits = RANDOM.normal(size=(4, 3, 5))
    targets = RANDOM.integers(0, 5, size=(4, 3))
    expected = -np.take_along_axis(log_softmax(logits), targets[..., None], axis=-1)[..., 0]
    np.testing.assert_allclose(nll_loss(logits, targets), expected)
    np.testing.assert_allclose(nll_loss(logits, 2), -log_softmax(logits)[..., 2])
    broadcast = -np.take_along_axis(
        log_softmax(logits), np.broadcast_to(targets[0], (4, 3))[..., None], axis=-1
    )[..., 0]
    np.testing.assert_allclose(nll_loss(logits, targets[0]), broadcast)  # target (3,)
    moved = np.moveaxis(logits, -1, 0)
    np.testing.assert_allclose(nll_loss(moved, targets, axis=0), expected)
    # one logit vector against several targets
    assert nll_loss([0.0, 1.0, 3.0], [0, 1, 2]).shape == (3,)
    assert nll_loss([-1e4, 0.0, 1e4], 2) == 0.0
    assert nll_loss([-1e4, 0.0, 1e4], 0) == pytest.approx(2e4)
    assert nll_loss([-INF, 0.0], 0) == INF
    assert isinstance(nll_loss([1.0, 2.0], 1), float)


@pytest.mark.parametrize(
    ("target", "error"),
    [(3, ValueError), (-1, ValueError), ([0, 5], ValueError), (1.0, TypeError), (True, TypeError)],
)
def test_bad_targets_raise(target, error) -> None:
    with pytest.raises(error, match="target"):
        nll_loss([0.0, 1.0, 2.0], target)
    with pytest.raises(error, match="target"):
        nll_gradient([0.0, 1.0, 2.0], target)


def test_nll_gradient_by_finite_differences() -> None:
    logits = RANDOM.normal(scale=3.0, size=(8, 4))
    targets = RANDOM.integers(0, 4, size=8)
    step = 1e-6
    numeric = np.stack(
        [
            (
                nll_loss(logits + step * np.eye(4)[j], targets)
                - nll_loss(logits - step * np.eye(4)[j], targets)
            )
            / (2 * step)
            for j in range(4)
        ],
        axis=-1,
    )
    gradient = nll_gradient(logits, targets)
    np.testing.assert_allclose(gradient, numeric, atol=1e-8)
    np.testing.assert_allclose(gradient, softmax(logits) - one_hot(targets, 4), atol=0)
    np.testing.assert_allclose(gradient.sum(axis=-1), 0.0, atol=1e-15)
    moved = nll_gradient(logits.T, targets, axis=0)
    np.testing.assert_array_equal(moved, gradient.T)


def test_one_hot() -> None:
    assert one_hot(1, 3).tolist() == [0.0, 1.0, 0.0]
    assert one_hot(np.array([[0], [2]]), 3).shape == (2, 1, 3)
    assert one_hot([0], 2).dtype == np.float64


# ---------------------------------------------------------------------------
# input handling
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "function",
    [softmax, log_softmax, logsumexp, sigmoid, sigmoid_derivative, entropy, softmax_jacobian],
)
def test_lists_ints_and_float32_give_float64(function) -> None:
    for values in ([1, 2, 3], np.array([1.0, 2.0, 3.0], dtype=np.float32), [[0, 1], [2, 3]]):
        assert np.asarray(function(values)).dtype == np.float64
    assert np.asarray(logit([0.25, 0.5])).dtype == np.float64
    assert np.asarray(nll_loss([1, 2], 0)).dtype == np.float64
    assert np.asarray(nll_gradient([1, 2], 0)).dtype == np.float64


def test_inputs_are_not_modified() -> None:
    logits = RANDOM_LOGITS.copy()
    for function in (softmax, log_softmax, logsumexp):
        function(logits, axis=-1)
    softmax(logits, temperature=0.5)
    np.testing.assert_array_equal(logits, RANDOM_LOGITS)


def test_large_arrays_give_the_same_results_as_small_ones(strict_floating_point: None) -> None:
    # big arrays with short rows take a faster row-maximum path; it must agree exactly
    logits = RANDOM.normal(scale=4.0, size=(20_000, 6))
    logits[::97, 2] = NAN
    logits[5::89] = -INF
    logits[7::83, 1] = INF
    logits[9::79, 4] = -INF
    chunks = np.array_split(logits, 400)  # 50 x 6 each: the plain np.max path
    for function in (softmax, log_softmax, logsumexp):
        expected = np.concatenate([function(chunk) for chunk in chunks])
        np.testing.assert_array_equal(function(logits), expected)
    np.testing.assert_array_equal(
        softmax(np.asfortranarray(logits)), np.concatenate([softmax(c) for c in chunks])
    )
    np.testing.assert_array_equal(
        softmax(logits, temperature=0.3),
        np.concatenate([softmax(chunk, temperature=0.3) for chunk in chunks]),
    )
