"""Rounding shares so the rounded numbers add up to the rounded total.

A row of probabilities rounded one by one can add up to 1.01 or 0.99 beside a
"sum = 1.00". Largest-remainder (Hamilton) rounding rounds every value down to the
grid, then gives the missing grid steps to the values that lost the most.
"""

from __future__ import annotations

import numpy as np

__all__ = ["round_to_total"]


def round_to_total(values, decimals: int = 2) -> np.ndarray:
    """Round ``values`` to ``decimals`` places so that they add up to their rounded sum.

    Largest-remainder rounding: each value is floored to a multiple of
    ``10**-decimals``; the steps still missing to reach ``round(sum(values), decimals)``
    go, one each, to the values with the largest remainders (ties: the earlier value).
    Every result is within one step of its value, and equals the plain rounding when
    that already adds up.

    Parameters
    ----------
    values : array_like
        Finite numbers, one dimension (e.g. probabilities summing to 1).
    decimals : int
        Decimal places kept, ``>= 0``.

    Returns
    -------
    numpy.ndarray
        The rounded values (float64), summing to the rounded total up to float error.

    Examples
    --------
    >>> p = [0.1584, 0.7098, 0.0353, 0.0965]  # each rounded alone: they add up to 1.01
    >>> round_to_total(p, 2).tolist()
    [0.16, 0.71, 0.03, 0.1]
    >>> round_to_total([0.125, 0.125, 0.75], 1).tolist()
    [0.1, 0.1, 0.8]
    >>> round_to_total([0.333, 0.333, 0.334], 2).tolist()
    [0.33, 0.33, 0.34]
    """
    x = np.asarray(values, dtype=float)
    if x.ndim != 1:
        raise ValueError(f"expected one dimension, got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError("values must be finite")
    if decimals < 0:
        raise ValueError(f"decimals must be >= 0, got {decimals}")
    scale = 10.0**decimals
    scaled = x * scale
    # A hair of tolerance so 0.29 * 100 = 28.999999999999996 floors to 29.
    floors = np.floor(scaled + 1e-9)
    target = round(float(np.sum(x)) * scale)
    missing = target - int(np.sum(floors))
    order = np.argsort(-(scaled - floors), kind="stable")
    steps = np.zeros_like(floors)
    if missing > 0:
        steps[order[:missing]] = 1.0
    elif missing < 0:  # negative values can floor too far: take steps back from the least
        steps[order[::-1][:-missing]] = -1.0
    return (floors + steps) / scale
