"""Largest-remainder rounding (softmax_math.rounding) against an exact reference."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from softmax_math import softmax
from softmax_math.rounding import round_to_total


def hamilton_reference(values, decimals):
    """Hamilton's method in exact rational arithmetic: floor every share, then hand the
    missing units to the largest remainders (earlier first on ties)."""
    unit = Fraction(1, 10**decimals)
    exact = [Fraction(v) for v in values]
    floors = [(v // unit) for v in exact]
    remainders = [v / unit - f for v, f in zip(exact, floors, strict=True)]
    total = round(sum(exact) / unit)
    missing = int(total - sum(floors))
    order = sorted(range(len(exact)), key=lambda i: (-remainders[i], i))
    result = list(floors)
    for i in order[:missing]:
        result[i] += 1
    return [float(r * unit) for r in result]


@pytest.mark.parametrize("seed", range(30))
@pytest.mark.parametrize("decimals", [1, 2, 3])
def test_probabilities_round_to_a_total_of_one(seed, decimals):
    rng = np.random.default_rng(seed)
    p = softmax(rng.normal(scale=2.0, size=rng.integers(2, 8)))
    shown = round_to_total(p, decimals)
    assert round(float(np.sum(shown)), decimals) == 1.0
    assert np.all(np.abs(shown - p) < 10.0**-decimals + 1e-12)
    assert shown == pytest.approx(hamilton_reference(p, decimals), abs=1e-12)


def test_the_chapter_default_that_rounds_to_101():
    p = softmax([1.0, 2.5, -0.5, 0.5])
    assert round(sum(round(float(v), 2) for v in p), 2) == 1.01  # the naive way
    assert round(float(np.sum(round_to_total(p, 2))), 2) == 1.0


def test_plain_rounding_kept_when_it_adds_up():
    assert round_to_total([0.25, 0.25, 0.5], 2).tolist() == [0.25, 0.25, 0.5]


def test_bad_input():
    with pytest.raises(ValueError):
        round_to_total([[0.5, 0.5]])
    with pytest.raises(ValueError):
        round_to_total([np.nan, 1.0])
    with pytest.raises(ValueError):
        round_to_total([0.5], decimals=-1)
