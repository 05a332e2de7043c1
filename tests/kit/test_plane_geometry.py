"""The logit-plane pieces of the kit (softmax_video.kit.plane_geometry) the 3D chapters share.

Numeric checks: drawn arrows against :func:`softmax_math.nll_gradient` at their base
points, tie boundaries against ``p_i = p_j``, class regions, and the geometry helpers.
(Each chapter's own tests live in ``test_<chapter module>.py``.)
"""

from __future__ import annotations

import numpy as np
import pytest
from arrow_geometry import check_arrow

from softmax_math import (
    descent_field,
    dominant_class,
    from_plane,
    nll_gradient,
    plane_grid,
    softmax,
    to_plane,
)
from softmax_video.kit.plane_geometry import (
    LogitAxes,
    PlaneMap,
    TieBoundaries,
    class_region,
    floor_arrows,
    plane_rotation,
    rotation_axis_angle,
    tie_directions,
)
from softmax_video.kit.theme import build_theme

THEME = build_theme("dark")


# --------------------------------------------------------------------------- #
# Arrows against nll_gradient
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("target", [0, 1, 2])
def test_three_class_descent_arrow_matches_nll_gradient(target: int) -> None:
    X, Y = plane_grid(3.0, 7)
    plane = PlaneMap.scaled(0.9, 0.4, center=[-2.0, 0.5, 0.0])
    field = floor_arrows(THEME, plane, np.stack([X, Y], -1), descent_field(3, target, X, Y), 1.0)
    flat = np.stack([X, Y], -1).reshape(-1, 2)
    for index in (0, 10, 30, 48):
        expected = -to_plane(nll_gradient(from_plane(flat[index]), target))
        check_arrow(field, index, expected, plane)


# --------------------------------------------------------------------------- #
# Curves and boundaries
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("shape", ["square", "hexagon"])
def test_tie_boundaries_are_where_two_classes_tie(shape: str) -> None:
    plane = PlaneMap.scaled(1.0, 1.0)
    rays = TieBoundaries(THEME, plane, extent=3.5, shape=shape)
    for (i, j), end in rays.ends.items():
        (k,) = {0, 1, 2} - {i, j}
        t = np.linspace(0.05, 1.0, 20)[:, None]
        p = softmax(from_plane(t * end))
        assert np.allclose(p[:, i], p[:, j], atol=1e-12)
        assert np.all(p[:, i] > p[:, k])  # the two tied classes lead
        # The ray ends on the square's side, or on a corner of the hexagon.
        if shape == "square":
            assert np.max(np.abs(end)) == pytest.approx(3.5)
        else:
            assert np.linalg.norm(end) == pytest.approx(3.5)
        # And the drawn line runs from the centre to that end (just under the floor).
        line = rays.rays[(i, j)]
        assert np.allclose(line.points[0][:2], [0, 0], atol=1e-9)
        assert np.allclose(line.points[-1][:2], end, atol=1e-9)
    directions = np.array(list(tie_directions().values()))
    angles = np.sort(np.degrees(np.arctan2(directions[:, 1], directions[:, 0])) % 360)
    assert np.allclose(np.diff(angles), 120.0)


def test_class_regions_hold_their_dominant_class() -> None:
    rng = np.random.default_rng(0)
    for k in range(3):
        corners = class_region(k, 3.5)
        weights = rng.dirichlet(np.ones(len(corners)), size=200)
        inside = weights @ corners  # convex combinations lie inside the convex region
        assert np.all(dominant_class(from_plane(inside)) == k)


# --------------------------------------------------------------------------- #
# Geometry helpers
# --------------------------------------------------------------------------- #


def test_plane_rotation_flattens_the_sum_zero_plane() -> None:
    rotation = plane_rotation()
    assert np.allclose(rotation @ rotation.T, np.eye(3))
    assert np.linalg.det(rotation) == pytest.approx(1.0)
    z = np.array([1.2, 0.4, -0.6])
    rotated = rotation @ z
    assert np.allclose(rotated[:2], to_plane(z))
    assert rotated[2] == pytest.approx(z.sum() / np.sqrt(3))
    axis, angle = rotation_axis_angle(rotation)
    # Rodrigues' formula gives the same matrix back.
    k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    rebuilt = np.eye(3) + np.sin(angle) * k + (1 - np.cos(angle)) * k @ k
    assert np.allclose(rebuilt, rotation)


def test_logit_axes_map_follows_the_axes() -> None:
    axes = LogitAxes(THEME, extent=4.0, unit=0.75, value_range=(0, 1, 0.5), value_length=3.0)
    assert np.allclose(axes.to_scene(1.0, 2.0, 0.5), [0.75, 1.5, 1.5])
    axes.shift([1.0, 0.0, 0.0])
    assert np.allclose(axes.to_scene(0.0, 0.0, 1.0), [1.0, 0.0, 3.0])
