"""Fixtures shared by the softmax_math tests."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest


@pytest.fixture
def strict_floating_point() -> Iterator[None]:
    """Make NumPy raise on overflow, division by zero and invalid operations.

    Stronger than turning RuntimeWarnings into errors: it catches floating-point
    trouble anywhere in the computation (underflow to 0 stays allowed, it is harmless).
    Any ``np.errstate`` inside softmax_math overrides this locally, deliberately.
    """
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        yield
