"""GaussiansThreeClass: its last frame, and every number and claim on screen.

Graphical regression: manim's ``@frames_comparison`` on the chapter's last frame
(854x480, dry run), control data in ``control_data/gaussians_three_class/``;
regenerate with ``--set_test``. Numeric checks: normalised Gaussians against the
softmax of the linear logits (and the package's posterior), the logits' closed form
``W_k = mu_k / sigma^2``, the top-down map (which class wins where, straight borders
at 120 degrees, from the logits), the grid and the face shading.
"""

from __future__ import annotations

import numpy as np
import pytest
from manim import Scene
from manim.renderer.cairo_renderer import CairoRenderer
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.gaussians_three_class import (
    GaussiansThreeClass,
    boundary_angle_degrees,
    class_means,
    difference_tex,
    edge_fade,
    region_corners,
    three_class_data,
    warped_grid,
    winner,
)
from softmax_math import gaussian_posterior, plane_grid, softmax
from softmax_video.core.params import GaussiansThreeClassParams
from softmax_video.engine.mesh import MeshCamera
from softmax_video.kit.solids import face_normals, lambert_rgba, light_direction

__module_test__ = "gaussians_three_class"


@frames_comparison(base_scene=GaussiansThreeClass)
def test_gaussians_three_class(scene: Scene) -> None:
    GaussiansThreeClass.construct(scene)


def test_harness_draws_the_chapter_with_the_mesh_camera() -> None:
    scene = GaussiansThreeClass(renderer=CairoRenderer())
    assert isinstance(scene.renderer.camera, MeshCamera)


@pytest.mark.parametrize("sigma", [0.6, 1.0, 1.6])
def test_three_class_gaussians_match_softmax(sigma):
    params = GaussiansThreeClassParams()
    x, y = plane_grid(params.extent, params.resolution + 1)
    means = class_means(params.spread)
    data = three_class_data(means, sigma, x, y)
    assert data.max_difference < 1e-9
    # also against the package's posterior
    points = np.stack([x, y], axis=-1)
    posterior = gaussian_posterior(points, means, sigma)
    np.testing.assert_allclose(np.moveaxis(data.normalised, 0, -1), posterior, atol=1e-12)
    np.testing.assert_allclose(data.normalised.sum(axis=0), 1.0, atol=1e-12)
    # the panel's formulas: W_k = mu_k / sigma^2, b_k = -|mu_k|^2 / (2 sigma^2); the
    # package's biases add the log prior log(1/3), the same for every class, which
    # softmax ignores (shift invariance)
    np.testing.assert_allclose(data.weights, means / sigma**2, atol=1e-12)
    shown = -np.sum(means**2, axis=1) / (2 * sigma**2)
    np.testing.assert_allclose(data.biases - shown, np.log(1 / 3), atol=1e-12)
    logits = points @ data.weights.T + shown
    np.testing.assert_allclose(softmax(logits, axis=-1), posterior, atol=1e-12)


def test_three_class_means_sit_on_vertex_directions():
    means = class_means(2.5)
    np.testing.assert_allclose(np.linalg.norm(means, axis=1), 2.5)
    # class 1 straight up, as on the 3-class plane
    assert means[0][0] == pytest.approx(0.0, abs=1e-12) and means[0][1] > 0


def test_difference_readout_text():
    assert difference_tex(0.0) == "0"
    assert difference_tex(3.3e-16) == r"3.3 \times 10^{-16}"


@pytest.mark.parametrize("sigma", [0.6, 1.0, 1.6])
def test_the_borders_meet_at_120_degrees(sigma):
    """The angle drawn on the map comes from the logits and is 120 degrees for every
    width (equal spreads: the borders are the tie rays of the 3-class plane)."""
    data = three_class_data(class_means(2.0), sigma, np.zeros((2, 2)), np.zeros((2, 2)))
    assert boundary_angle_degrees(data.weights) == pytest.approx(120.0, abs=1e-9)


@pytest.mark.parametrize("sigma", [0.6, 1.0])
def test_the_map_tiles_are_where_each_class_wins(sigma):
    """Points inside class k's rhombus on the map have class k as the most probable."""
    params = GaussiansThreeClassParams()
    rng = np.random.default_rng(0)
    means = class_means(params.spread)
    for k in range(3):
        corners = region_corners(k, params.extent)
        # random points inside the rhombus (two triangles)
        a, b = rng.random((2, 400, 1))
        flip = (a + b) > 1
        a, b = np.where(flip, 1 - a, a), np.where(flip, 1 - b, b)
        tri = rng.integers(0, 2, (400, 1)).astype(bool)
        far = np.where(tri, corners[3], corners[1])
        pts = corners[0] + a * (corners[2] - corners[0]) + b * (far - corners[0])
        data = three_class_data(means, sigma, pts[:, :1], pts[:, 1:])
        assert np.all(winner(data) == k)


def test_warped_grid_covers_the_hexagon_and_crowds_at_tie_lines():
    x, y = warped_grid(3.5, 24, 10)
    assert x.shape == (25, 61)
    np.testing.assert_allclose(x[:, 0], x[:, -1], atol=1e-12)
    np.testing.assert_allclose(y[:, 0], y[:, -1], atol=1e-12)
    angles = np.degrees(np.arctan2(y[-1], x[-1])) % 360
    steps = np.abs(np.diff(np.unwrap(np.radians(angles))))
    # finest next to a tie line (30 degrees), coarsest next to a class direction (90)
    cls = int(np.argmin(np.abs(angles - 90.0)))
    assert np.isclose(angles[0], 30.0)
    assert steps[0] < 0.5 * steps[cls - 1]
    assert np.isclose(angles, 150).any() and np.isclose(angles, 270).any()


def test_edge_fade_runs_from_one_to_almost_zero():
    fade = edge_fade(24)
    assert fade[0, 0] == 1.0 and fade[-1, 0] < 0.05
    assert np.all(np.diff(fade[:, 0]) <= 0)


def test_lambert_shading_of_a_tilted_face():
    """A face at 60 degrees to the light gets ambient + diffuse * cos(60)."""
    x, y = np.meshgrid([0.0, 1.0], [0.0, 1.0], indexing="ij")
    flat = np.stack([x, y, 0 * x], axis=-1)
    light = np.array([np.sin(np.pi / 3), 0.0, np.cos(np.pi / 3)])
    rgba = lambert_rgba(flat, [0.4, 0.6, 0.8], light, alpha=0.5, ambient=0.5, diffuse=0.6)
    np.testing.assert_allclose(rgba[0, 0, :3], np.array([0.4, 0.6, 0.8]) * 0.8)
    assert rgba[0, 0, 3] == 0.5
    np.testing.assert_allclose(np.linalg.norm(face_normals(flat), axis=-1), 1.0)
    np.testing.assert_allclose(np.linalg.norm(light_direction(1.0, -1.7)), 1.0)
