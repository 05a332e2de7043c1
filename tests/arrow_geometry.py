"""Test helper: where a floor-arrow field's arrow is actually drawn."""

from __future__ import annotations

import numpy as np
import pytest

from softmax_video.kit.plane_geometry import MAX_GRADIENT


def drawn_arrow(field, index: int) -> tuple[np.ndarray, np.ndarray]:
    """Tail and tip (scene points) of arrow ``index`` of ``field`` as actually drawn."""
    origin, basis = field._plane_map()
    tail = origin + field.positions[index] @ basis
    bin_ = field.bins()[index]
    shafts = field.shafts[bin_].points.reshape(-1, 4, 3)
    tips = field.tips[bin_].points.reshape(-1, 12, 3)
    k = int(np.argmin(np.linalg.norm(shafts[:, 0] - tail, axis=1)))
    assert np.allclose(shafts[k, 0], tail)
    return tail, tips[k, 3]  # the tip triangle's apex (end of its first side)


def check_arrow(field, index: int, expected: np.ndarray, plane) -> None:
    """Arrow ``index`` points along the loss gradient ``expected`` (shown through
    ``plane``, a PlaneMap), and its length over the field's longest is
    ``|expected| / MAX_GRADIENT``."""
    tail, apex = drawn_arrow(field, index)
    drawn = apex - tail
    expected_scene = expected @ plane.matrix[:2]
    cos = drawn @ expected_scene / (np.linalg.norm(drawn) * np.linalg.norm(expected_scene))
    assert cos == pytest.approx(1.0, abs=1e-9)
    assert np.linalg.norm(drawn) / field.max_length == pytest.approx(
        np.linalg.norm(expected) / MAX_GRADIENT, rel=1e-9
    )
