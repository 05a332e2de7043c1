"""Tests for softmax_math.training: the NumPy training run whose logit paths the lecture shows."""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from softmax_math.core import softmax
from softmax_math.training import (
    SGD,
    Adam,
    TrainingResult,
    forward,
    init_params,
    loss_and_gradients,
    make_dataset,
    train_logit_paths,
)

LOG3 = math.log(3.0)


@pytest.fixture(scope="module")
def sgd_run() -> TrainingResult:
    return train_logit_paths("sgd")


@pytest.fixture(scope="module")
def adam_run() -> TrainingResult:
    return train_logit_paths("adam")


@pytest.fixture(scope="module", params=["sgd", "adam"])
def default_run(request, sgd_run, adam_run) -> TrainingResult:
    return {"sgd": sgd_run, "adam": adam_run}[request.param]


def random_net(rng: np.random.Generator, sizes: list[int]) -> list[tuple[np.ndarray, np.ndarray]]:
    """A net with every layer (including the last) random, so all gradients are non-trivial."""
    return [
        (rng.normal(size=(fan_out, fan_in)), rng.normal(size=fan_out))
        for fan_in, fan_out in itertools.pairwise(sizes)
    ]


# --------------------------------------------------------------------------------------------
# data
# --------------------------------------------------------------------------------------------
def test_dataset_layout_and_dtypes():
    inputs, labels = make_dataset()
    assert inputs.shape == (60, 3) and inputs.dtype == np.float64
    assert labels.shape == (60,) and labels.dtype == np.int64
    np.testing.assert_array_equal(labels, np.repeat([0, 1, 2], 20))  # classes in blocks


def test_dataset_geometry():
    inputs, labels = make_dataset(points_per_class=2000, seed=3)
    # Gaussian blobs at (+-2, 0, 0) with unit covariance.
    np.testing.assert_allclose(inputs[labels == 0].mean(axis=0), [2, 0, 0], atol=0.1)
    np.testing.assert_allclose(inputs[labels == 1].mean(axis=0), [-2, 0, 0], atol=0.1)
    np.testing.assert_allclose(np.cov(inputs[labels == 0].T), np.eye(3), atol=0.1)
    # Shell: exactly on the sphere of radius 4, centred on the origin.
    np.testing.assert_allclose(np.linalg.norm(inputs[labels == 2], axis=1), 4.0, rtol=1e-12)
    np.testing.assert_allclose(inputs[labels == 2].mean(axis=0), 0.0, atol=0.2)


def test_dataset_is_configurable():
    inputs, labels = make_dataset(points_per_class=5, seed=1, offset=3.0, shell_radius=7.0)
    assert inputs.shape == (15, 3)
    np.testing.assert_allclose(np.linalg.norm(inputs[labels == 2], axis=1), 7.0)


def test_dataset_seed_streams():
    a, la = make_dataset(seed=4)
    b, lb = make_dataset(seed=4)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(la, lb)
    assert not np.array_equal(a, make_dataset(seed=5)[0])
    # The documented stream: default_rng([seed, 0]), class 0 drawn first.
    expected = np.random.default_rng([4, 0]).standard_normal((20, 3)) + np.array([2.0, 0.0, 0.0])
    np.testing.assert_array_equal(a[:20], expected)


# --------------------------------------------------------------------------------------------
# initialisation
# --------------------------------------------------------------------------------------------
def test_init_matches_pytorch_default_linear_init():
    params = init_params(seed=0, hidden=32)
    assert [(W.shape, b.shape) for W, b in params] == [
        ((32, 3), (32,)),
        ((32, 32), (32,)),
        ((3, 32), (3,)),
    ]
    for (W, b), fan_in in zip(params[:2], (3, 32), strict=True):
        bound = 1 / math.sqrt(fan_in)
        assert np.all(np.abs(W) <= bound) and np.all(np.abs(b) <= bound)
        # Uniform on the whole interval, not squeezed into part of it.
        assert np.abs(W).max() > 0.8 * bound
    assert np.all(params[2][0] == 0) and np.all(params[2][1] == 0)
    # The documented stream: default_rng([seed, 1]), weight before bias.
    rng = np.random.default_rng([0, 1])
    np.testing.assert_array_equal(params[0][0], rng.uniform(-1 / 3**0.5, 1 / 3**0.5, (32, 3)))
    np.testing.assert_array_equal(params[0][1], rng.uniform(-1 / 3**0.5, 1 / 3**0.5, 32))


def test_hidden_width_is_configurable_and_does_not_change_the_data():
    result = train_logit_paths("sgd", steps=3, hidden=5)
    assert [W.shape for W, _ in result.initial_params] == [(5, 3), (5, 5), (3, 5)]
    assert result.logits.shape == (3, 60, 3)
    np.testing.assert_array_equal(result.inputs, make_dataset(seed=0)[0])


# --------------------------------------------------------------------------------------------
# gradients
# --------------------------------------------------------------------------------------------
def numerical_gradients(params, inputs, labels, h=1e-6):
    grads = []
    for W, b in params:
        layer_grads = []
        for p in (W, b):
            g = np.zeros_like(p)
            for idx in np.ndindex(p.shape):
                original = p[idx]
                p[idx] = original + h
                up = loss_and_gradients(params, inputs, labels)[0]
                p[idx] = original - h
                down = loss_and_gradients(params, inputs, labels)[0]
                p[idx] = original
                g[idx] = (up - down) / (2 * h)
            layer_grads.append(g)
        grads.append(tuple(layer_grads))
    return grads


@pytest.mark.parametrize(
    ("seed", "sizes"),
    [(0, [3, 5, 4, 3]), (1, [3, 6, 6, 3]), (2, [2, 4, 3]), (3, [3, 4, 4, 4, 3])],
)
def test_backprop_matches_central_differences(seed, sizes):
    rng = np.random.default_rng(seed)
    params = random_net(rng, sizes)
    inputs = rng.normal(size=(7, sizes[0]))
    labels = rng.integers(0, sizes[-1], size=7)
    # Finite differences are only valid away from ReLU kinks; make sure none is within reach.
    activation = inputs
    for W, b in params[:-1]:
        z = activation @ W.T + b
        assert np.abs(z).min() > 1e-4
        activation = np.maximum(z, 0)

    loss, grads, logits = loss_and_gradients(params, inputs, labels)
    np.testing.assert_allclose(logits, forward(params, inputs))
    assert loss == pytest.approx(-np.mean(np.log(softmax(logits))[np.arange(7), labels]), rel=1e-12)
    numeric = numerical_gradients(params, inputs, labels)
    for (dW, db), (nW, nb) in zip(grads, numeric, strict=True):
        for analytic, approx in ((dW, nW), (db, nb)):
            assert analytic.shape == approx.shape
            error = np.linalg.norm(analytic - approx) / np.linalg.norm(analytic + approx)
            assert error < 1e-6


def test_zero_last_layer_blocks_gradient_to_earlier_layers_at_start():
    inputs, labels = make_dataset()
    loss, grads, logits = loss_and_gradients(init_params(), inputs, labels)
    assert loss == pytest.approx(LOG3, rel=1e-15)
    assert np.all(logits == 0)
    for dW, db in grads[:-1]:
        assert np.all(dW == 0) and np.all(db == 0)
    assert np.abs(grads[-1][0]).max() > 0


# --------------------------------------------------------------------------------------------
# optimisers, checked against the published update rules
# --------------------------------------------------------------------------------------------
def test_sgd_step_by_hand():
    W, b = np.array([[0.5, -1.0], [2.0, 0.0]]), np.array([0.25, -0.75])
    gW, gb = np.array([[1.0, -2.0], [0.5, 4.0]]), np.array([-1.0, 3.0])
    SGD(lr=0.1).step([(W, b)], [(gW, gb)])
    # p <- p - lr * g
    np.testing.assert_allclose(W, [[0.4, -0.8], [1.95, -0.4]], rtol=1e-15)
    np.testing.assert_allclose(b, [0.35, -1.05], rtol=1e-15)


def test_adam_two_steps_by_hand():
    # One scalar parameter, lr 0.1, PyTorch defaults betas (0.9, 0.999), eps 1e-8.
    p, b = np.array([[1.0]]), np.array([0.0])
    adam = Adam(lr=0.1)
    adam.step([(p, b)], [(np.array([[2.0]]), np.array([0.0]))])
    # t=1: m = 0.1*2 = 0.2, v = 0.001*4 = 0.004; m_hat = 0.2/0.1 = 2, sqrt(v_hat) = 2.
    expected = 1.0 - 0.1 * 2.0 / (2.0 + 1e-8)
    assert p[0, 0] == pytest.approx(expected, rel=1e-14)
    assert b[0] == 0.0  # zero gradient, zero moments: no movement
    adam.step([(p, b)], [(np.array([[-1.0]]), np.array([0.0]))])
    # t=2: m = 0.9*0.2 - 0.1 = 0.08, v = 0.999*0.004 + 0.001 = 0.004996,
    # bias corrections 1 - 0.9**2 = 0.19 and 1 - 0.999**2 = 0.001999.
    expected -= (0.1 / 0.19) * 0.08 / (math.sqrt(0.004996) / math.sqrt(0.001999) + 1e-8)
    assert p[0, 0] == pytest.approx(expected, rel=1e-14)
    assert adam.t == 2


def test_adam_eps_dominates_tiny_gradients():
    # With |g| << eps the first step is ~ lr * g / eps, not lr * sign(g): eps is in the formula.
    p, b = np.array([[0.0]]), np.array([0.0])
    Adam(lr=1.0).step([(p, b)], [(np.array([[1e-12]]), np.array([0.0]))])
    assert p[0, 0] == pytest.approx(-1e-12 / (1e-12 + 1e-8), rel=1e-9)


def tiny_problem():
    rng = np.random.default_rng(7)
    inputs = rng.normal(size=(4, 3))
    labels = np.array([0, 1, 2, 1])
    params = random_net(rng, [3, 2, 2, 3])
    return inputs, labels, params


def test_first_sgd_step_in_training_loop_by_hand():
    inputs, labels, params = tiny_problem()
    result = train_logit_paths(
        "sgd", steps=2, learning_rate=0.5, inputs=inputs, labels=labels, initial_params=params
    )
    _, grads, _ = loss_and_gradients(params, inputs, labels)
    updated = [(W - 0.5 * dW, b - 0.5 * db) for (W, b), (dW, db) in zip(params, grads, strict=True)]
    np.testing.assert_allclose(result.logits[0], forward(params, inputs), rtol=1e-14)
    np.testing.assert_allclose(result.logits[1], forward(updated, inputs), rtol=1e-12)


def test_first_adam_step_in_training_loop_by_hand():
    inputs, labels, params = tiny_problem()
    lr, eps = 0.01, 1e-8
    result = train_logit_paths(
        "adam", steps=2, learning_rate=lr, inputs=inputs, labels=labels, initial_params=params
    )
    _, grads, _ = loss_and_gradients(params, inputs, labels)

    def first_step(p, g):
        m_hat = (0.1 * g) / (1 - 0.9)  # bias-corrected first moment = g
        v_hat = (0.001 * g**2) / (1 - 0.999)  # bias-corrected second moment = g**2
        return p - lr * m_hat / (np.sqrt(v_hat) + eps)

    updated = [
        (first_step(W, dW), first_step(b, db))
        for (W, b), (dW, db) in zip(params, grads, strict=True)
    ]
    np.testing.assert_allclose(result.logits[1], forward(updated, inputs), rtol=1e-12)


# --------------------------------------------------------------------------------------------
# the default runs
# --------------------------------------------------------------------------------------------
def test_default_run_shapes_and_start(default_run):
    assert default_run.logits.shape == (1000, 60, 3)
    assert default_run.losses.shape == default_run.accuracy.shape == (1000,)
    assert np.all(default_run.logits[0] == 0)
    assert default_run.losses[0] == pytest.approx(LOG3, rel=1e-15)
    assert default_run.accuracy[0] == pytest.approx(1 / 3)  # argmax ties go to class 0
    np.testing.assert_allclose(default_run.probabilities[0], 1 / 3, rtol=1e-15)


def test_default_learning_rates(sgd_run, adam_run):
    assert (sgd_run.optimizer, sgd_run.learning_rate) == ("sgd", 0.1)
    assert (adam_run.optimizer, adam_run.learning_rate) == ("adam", 1e-3)


def test_loss_decreases_over_the_run(default_run):
    losses = default_run.losses
    assert losses[-1] < 0.05 * losses[0]
    block_means = losses.reshape(10, 100).mean(axis=1)
    assert np.all(np.diff(block_means) < 0)


def test_final_accuracy_on_default_data(default_run):
    assert default_run.accuracy[-1] >= 0.95


def test_recorded_losses_and_accuracy_match_recorded_logits(default_run):
    for t in (0, 1, 500, 999):
        logits = default_run.logits[t]
        p = softmax(logits)[np.arange(60), default_run.labels]
        assert default_run.losses[t] == pytest.approx(-np.log(p).mean(), rel=1e-12)
        assert default_run.accuracy[t] == np.mean(logits.argmax(axis=1) == default_run.labels)


def test_final_params_give_one_step_past_last_logits():
    result = train_logit_paths("adam", steps=4)
    next_run = train_logit_paths("adam", steps=5)
    np.testing.assert_array_equal(result.logits, next_run.logits[:4])
    np.testing.assert_allclose(forward(result.final_params, result.inputs), next_run.logits[4])


def test_same_seed_gives_identical_arrays(sgd_run):
    again = train_logit_paths("sgd")
    for name in ("logits", "losses", "accuracy", "inputs", "labels"):
        np.testing.assert_array_equal(getattr(again, name), getattr(sgd_run, name))
    for (W1, b1), (W2, b2) in zip(again.initial_params, sgd_run.initial_params, strict=True):
        np.testing.assert_array_equal(W1, W2)
        np.testing.assert_array_equal(b1, b2)


def test_different_seeds_give_different_data_and_init():
    a = train_logit_paths("adam", steps=2, seed=0)
    b = train_logit_paths("adam", steps=2, seed=1)
    assert not np.array_equal(a.inputs, b.inputs)
    assert not np.array_equal(a.initial_params[0][0], b.initial_params[0][0])
    assert not np.array_equal(a.logits[1], b.logits[1])


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_replay_from_recorded_start_is_exact(optimizer):
    run = train_logit_paths(optimizer, steps=30, seed=3, hidden=8)
    replay = train_logit_paths(
        optimizer,
        steps=30,
        seed=99,  # ignored: data and init both come from the run
        inputs=run.inputs,
        labels=run.labels,
        initial_params=run.initial_params,
    )
    np.testing.assert_array_equal(replay.logits, run.logits)
    np.testing.assert_array_equal(replay.losses, run.losses)


def test_caller_arrays_are_copied_not_mutated():
    inputs, labels, params = tiny_problem()
    before = [(W.copy(), b.copy()) for W, b in params]
    result = train_logit_paths("adam", steps=3, inputs=inputs, labels=labels, initial_params=params)
    for (W, b), (W0, b0) in zip(params, before, strict=True):
        np.testing.assert_array_equal(W, W0)
        np.testing.assert_array_equal(b, b0)
    assert not np.shares_memory(result.inputs, inputs)
    assert not np.shares_memory(result.initial_params[0][0], params[0][0])


def test_custom_data_of_other_dimension_trains():
    rng = np.random.default_rng(0)
    inputs = rng.normal(size=(12, 2))
    labels = (inputs[:, 0] > 0).astype(np.int32)
    result = train_logit_paths("sgd", steps=20, hidden=4, inputs=inputs, labels=labels)
    assert result.logits.shape == (20, 12, 3)
    assert result.labels.dtype == np.int64
    assert result.initial_params[0][0].shape == (4, 2)


# --------------------------------------------------------------------------------------------
# the result object
# --------------------------------------------------------------------------------------------
def test_result_is_frozen_and_read_only():
    result = train_logit_paths("sgd", steps=3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.logits = np.zeros(1)  # type: ignore[misc]
    arrays = [result.logits, result.losses, result.accuracy, result.inputs, result.labels]
    arrays += [a for layer in result.initial_params + result.final_params for a in layer]
    arrays.append(result.probabilities)
    for array in arrays:
        assert not array.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            array[...] = 0


def test_result_conveniences():
    result = train_logit_paths("adam", steps=6, hidden=4)
    assert (result.steps, result.num_points, result.num_classes) == (6, 60, 3)
    np.testing.assert_allclose(result.probabilities, softmax(result.logits, axis=-1))
    np.testing.assert_allclose(result.probabilities.sum(axis=-1), 1.0)
    assert "adam" in repr(result) and len(repr(result)) < 200


def test_subsample_on_default_run(sgd_run):
    frames = sgd_run.subsample(60)
    assert len(frames) == 60 and frames[0] == 0 and frames[-1] == 999
    assert np.all(np.diff(frames) > 0)
    # Log spacing: the first tenth of the run gets more frames than the last tenth.
    assert np.sum(frames < 100) > np.sum(frames >= 900)
    linear = sgd_run.subsample(11, spacing="linear")
    np.testing.assert_array_equal(linear, np.linspace(0, 999, 11).round().astype(int))


def _result_with_steps(steps: int) -> TrainingResult:
    zeros = np.zeros((steps, 1, 3))
    return TrainingResult(
        optimizer="sgd",
        learning_rate=0.1,
        logits=zeros,
        losses=zeros[:, 0, 0],
        accuracy=zeros[:, 0, 0],
        inputs=np.zeros((1, 3)),
        labels=np.zeros(1, dtype=np.int64),
        initial_params=(),
        final_params=(),
    )


@settings(max_examples=200, deadline=None)
@given(
    steps=st.integers(1, 3000),
    n_frames=st.integers(2, 400),
    spacing=st.sampled_from(["log", "linear"]),
)
def test_subsample_properties(steps, n_frames, spacing):
    frames = _result_with_steps(steps).subsample(n_frames, spacing=spacing)
    assert frames.dtype == np.int64
    assert len(frames) == min(n_frames, steps)
    assert frames[0] == 0 and frames[-1] == steps - 1
    assert np.all(np.diff(frames) > 0)


def test_subsample_single_step_run():
    np.testing.assert_array_equal(_result_with_steps(1).subsample(1), [0])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_frames": 1}, "n_frames must be an integer >= 2, got 1"),
        ({"n_frames": 2.5}, "n_frames"),
        ({"n_frames": 10, "spacing": "cubic"}, "spacing must be one of 'log', 'linear'.*cubic"),
    ],
)
def test_subsample_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        _result_with_steps(10).subsample(**kwargs)


# --------------------------------------------------------------------------------------------
# argument validation
# --------------------------------------------------------------------------------------------
def test_optimizer_name_is_case_insensitive():
    assert train_logit_paths("Adam", steps=1).optimizer == "adam"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"optimizer": "rmsprop"}, r"optimizer must be one of sgd, adam; got 'rmsprop'"),
        ({"optimizer": None}, r"optimizer must be one of sgd, adam; got None"),
        ({"steps": 0}, r"steps must be an integer >= 1, got 0"),
        ({"steps": -5}, r"steps must be an integer >= 1, got -5"),
        ({"steps": 2.5}, r"steps must be an integer >= 1, got 2.5"),
        ({"steps": True}, r"steps must be an integer >= 1, got True"),
        ({"learning_rate": 0.0}, r"learning_rate must be a positive finite number, got 0.0"),
        ({"learning_rate": -0.1}, r"learning_rate must be a positive finite number, got -0.1"),
        ({"learning_rate": float("nan")}, r"learning_rate must be .*, got nan"),
        ({"learning_rate": float("inf")}, r"learning_rate must be .*, got inf"),
        ({"learning_rate": "fast"}, r"learning_rate must be .*, got 'fast'"),
        ({"hidden": 0}, r"hidden must be an integer >= 1, got 0"),
        ({"seed": -1}, r"seed must be an integer >= 0, got -1"),
    ],
)
def test_invalid_scalar_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        train_logit_paths(**{"steps": 2, **kwargs})


def test_invalid_data_arguments():
    inputs, labels = make_dataset(points_per_class=3)
    cases = [
        ({"inputs": inputs}, "inputs and labels must be given together; labels is None"),
        ({"labels": labels}, "inputs and labels must be given together; inputs is None"),
        ({"inputs": inputs[:, 0], "labels": labels}, r"inputs must have shape \(N, D\).*\(9,\)"),
        ({"inputs": np.zeros((0, 3)), "labels": labels[:0]}, r"inputs must have shape \(N, D\)"),
        ({"inputs": inputs, "labels": labels[:-1]}, r"labels must have shape \(N,\) = \(9,\)"),
        ({"inputs": inputs, "labels": labels[:, None]}, r"got shape \(9, 1\)"),
        ({"inputs": inputs, "labels": labels + 0.0}, "labels must be an integer array"),
        ({"inputs": inputs, "labels": labels + 1}, r"labels must lie in \[0, 3\).*from 1 to 3"),
        ({"inputs": inputs, "labels": labels - 1}, r"labels must lie in \[0, 3\)"),
        ({"inputs": np.where(inputs > 1, np.nan, inputs), "labels": labels}, "finite"),
    ]
    for kwargs, match in cases:
        with pytest.raises(ValueError, match=match):
            train_logit_paths(steps=2, **kwargs)


def test_invalid_initial_params():
    inputs, labels = make_dataset(points_per_class=3)
    good = init_params(hidden=4)
    cases = [
        ([], "at least one"),
        (5, "initial_params must be a sequence of"),
        ([(good[0][0],)], r"initial_params\[0\] must be a \(W, b\) pair"),
        ([(np.zeros((4, 2)), np.zeros(4)), *good[1:]], r"initial_params\[0\] W .*\(out, 3\)"),
        ([good[0], (np.zeros((4, 5)), np.zeros(4)), good[2]], r"\[1\] W .*\(out, 4\), got \(4, 5"),
        ([good[0], good[1], (good[2][0], np.zeros(2))], r"\[2\] b must have shape \(3,\)"),
        ([good[0], good[1], (good[2][0][:2], good[2][1][:2])], r"labels must lie in \[0, 2\)"),
        (
            [good[0], good[1], (np.full_like(good[2][0], np.inf), good[2][1])],
            r"\[2\] must be finite",
        ),
    ]
    for params, match in cases:
        with pytest.raises(ValueError, match=match):
            train_logit_paths(steps=2, inputs=inputs, labels=labels, initial_params=params)


def test_make_dataset_and_init_validation():
    with pytest.raises(ValueError, match="points_per_class must be an integer >= 1, got 0"):
        make_dataset(points_per_class=0)
    with pytest.raises(ValueError, match="seed must be an integer >= 0, got -3"):
        make_dataset(seed=-3)
    with pytest.raises(ValueError, match="shell_radius must be a positive finite number"):
        make_dataset(shell_radius=0)
    with pytest.raises(ValueError, match="hidden must be an integer >= 1, got 0"):
        init_params(hidden=0)


def test_optimizer_constructor_validation():
    with pytest.raises(ValueError, match="learning_rate"):
        SGD(lr=0)
    with pytest.raises(ValueError, match=r"betas must be two numbers in \[0, 1\)"):
        Adam(betas=(0.9, 1.0))
    with pytest.raises(ValueError, match="eps must be a positive finite number"):
        Adam(eps=0)
