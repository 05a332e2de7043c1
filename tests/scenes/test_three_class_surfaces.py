"""ThreeClassSurfaces: its last frame against control data, and the geometry it draws
(surfaces crossing along grid lines, the wedges, the side walls) against softmax."""

from __future__ import annotations

import numpy as np
import pytest
from manim import Scene
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.three_class_surfaces import ThreeClassSurfaces, class_wedge, rim_curtain, surface_grid
from softmax_math import dominant_class, from_plane, softmax
from softmax_video.kit.plane_geometry import boundary_reach, polar_grid

__module_test__ = "three_class_surfaces"


@frames_comparison(base_scene=ThreeClassSurfaces)
def test_three_class_surfaces(scene: Scene) -> None:
    ThreeClassSurfaces.construct(scene)


def test_three_class_surfaces_cross_along_grid_lines() -> None:
    x, y, p = surface_grid(3.5, 8)
    assert np.allclose(p.sum(axis=0), 1.0)
    # Some rays of the grid are tie lines: two probabilities are equal along the whole ray.
    ties = [
        j
        for j in range(x.shape[1])
        if any(np.allclose(p[a, :, j], p[b, :, j]) for a, b in ((0, 1), (0, 2), (1, 2)))
    ]
    assert len(ties) >= 6
    # The rays end on the hexagon of radius 3.5: its corners are on the tie lines.
    assert np.allclose(
        np.hypot(x[-1], y[-1]), boundary_reach(np.arctan2(y[-1], x[-1]), 3.5, "hexagon")
    )
    assert np.hypot(x[-1], y[-1]).max() == pytest.approx(3.5)
    square_x, square_y = polar_grid(2.0, 3, 5)
    assert square_x.shape == (4, 25)
    assert np.allclose(np.maximum(np.abs(square_x[-1]), np.abs(square_y[-1])), 2.0)


@pytest.mark.parametrize("k", [0, 1, 2])
def test_wedges_are_where_their_class_wins_and_span_120_degrees(k: int) -> None:
    corners = class_wedge(k, 4.0)
    rng = np.random.default_rng(k)
    inside = rng.dirichlet(np.ones(len(corners)), size=300) @ corners
    assert np.all(dominant_class(from_plane(inside)) == k)
    # The two rim ends are tie points (p_k equals another class there) 120 degrees apart.
    a, b = corners[1], corners[-1]
    angle = np.degrees(np.arccos(a @ b / np.linalg.norm(a) / np.linalg.norm(b)))
    assert angle == pytest.approx(120.0)
    for end in (a, b):
        p = np.sort(softmax(from_plane(end)))
        assert p[2] == pytest.approx(p[1])


def test_centre_is_one_third_each() -> None:
    assert np.allclose(softmax(from_plane([0.0, 0.0])), 1 / 3)
    _, _, p = surface_grid(4.0, 12)
    assert np.allclose(p[:, 0, :], 1 / 3)  # the grid's first ring is the centre
    # and the centre is the lowest point of the surfaces' upper envelope
    assert p.max(axis=0).min() == pytest.approx(1 / 3)


@pytest.mark.parametrize("k", [0, 1, 2])
def test_walls_rise_to_their_surface_on_their_own_rim(k: int) -> None:
    x, y, h = rim_curtain(k, 4.0, 24)
    assert np.allclose(h[0], 0.0)
    rim = np.stack([x[-1], y[-1]], -1) / 1.006  # the wall stands just outside the rim
    p = softmax(from_plane(rim))
    assert np.allclose(h[-1], p[:, k])
    assert np.all(p[:, k] >= p.max(axis=1) - 1e-12)  # its class leads all along that rim
