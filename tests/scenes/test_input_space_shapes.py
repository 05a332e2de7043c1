"""InputSpaceShapes: its last frame, and the geometry and claims behind the pictures.

Graphical regression: manim's ``@frames_comparison`` on the chapter's last frame
(854x480, dry run), control data in ``control_data/input_space_shapes/``; regenerate
with ``--set_test``. Numeric checks: iso-surfaces and their ball cut, the tie walls,
the region cones, and the slice beat's claim that the body seen in the middle is
class 1's (the narrated class), from the camera the chapter uses.
"""

from __future__ import annotations

import numpy as np
import pytest
from manim import Scene, ThreeDCamera
from manim.renderer.cairo_renderer import CairoRenderer
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.input_space_shapes import (
    InputSpaceShapes,
    cap_with_ball,
    five_class_slices,
    four_class_surfaces,
    region_faces,
    slice_appearance,
    slice_view,
    tie_walls,
)
from softmax_math import class_vertices, from_plane, iso_probability_surface, softmax
from softmax_video.core.params import InputSpaceShapesParams
from softmax_video.engine.mesh import MeshCamera

__module_test__ = "input_space_shapes"


@frames_comparison(base_scene=InputSpaceShapes)
def test_input_space_shapes(scene: Scene) -> None:
    InputSpaceShapes.construct(scene)


def test_harness_draws_the_chapter_with_the_mesh_camera() -> None:
    scene = InputSpaceShapes(renderer=CairoRenderer())
    assert isinstance(scene.renderer.camera, MeshCamera)


@pytest.mark.parametrize("level", [0.5, 0.9])
def test_capped_surfaces_lie_on_the_level_or_the_sphere(level):
    radius = 5.0
    for k, capped in enumerate(four_class_surfaces(level, 10, radius)):
        points = capped.points
        assert np.isfinite(points).all()
        norms = np.linalg.norm(points, axis=-1)
        assert np.all(norms <= radius + 1e-9)
        np.testing.assert_allclose(norms[capped.on_sphere], radius, atol=1e-9)
        p = softmax(from_plane(points[~capped.on_sphere]))[:, k]
        np.testing.assert_allclose(p, level, atol=1e-9)


def test_cap_of_surface_far_outside_the_ball_is_empty():
    capped = cap_with_ball(iso_probability_surface(0, 0.99, 4, 6), 1.0)
    assert np.isnan(capped.points).all()


def test_five_class_slices_are_in_the_slice():
    slices = five_class_slices(0.5, 1.5, 8, 5.0)
    assert len(slices) == 5
    for k, capped in enumerate(slices):
        inside = ~capped.on_sphere & np.isfinite(capped.points).all(axis=-1)
        full = np.concatenate(
            [capped.points[inside], np.full((int(inside.sum()), 1), 1.5)], axis=-1
        )
        np.testing.assert_allclose(softmax(from_plane(full))[:, k], 0.5, atol=1e-9)


def test_tie_walls_are_where_two_classes_lead():
    walls = tie_walls(4.0, resolution=6)
    assert len(walls) == 6
    for (i, j), grid in walls.items():
        z = from_plane(grid.reshape(-1, 3))
        np.testing.assert_allclose(z[:, i], z[:, j], atol=1e-12)
        others = [m for m in range(4) if m not in (i, j)]
        assert np.all(z[:, i][:, None] >= z[:, others] - 1e-12)


@pytest.mark.parametrize("k", range(4))
def test_region_cones_are_where_their_class_leads(k):
    """The drawn cone of class k: its walls are ties, its cap is on the sphere, every
    point has class k in the lead, and its tip is the origin."""
    radius = 3.0
    walls, cap = region_faces(k, radius, 6)[:3], region_faces(k, radius, 6)[3]
    for wall in walls:
        z = from_plane(wall.reshape(-1, 3))
        assert np.all(z[:, k] >= z.max(axis=1) - 1e-12)
        # each wall is flat and where class k ties with one other class
        gaps = np.sort(z.max(axis=1, keepdims=True) - z, axis=1)[:, 1]
        np.testing.assert_allclose(gaps, 0.0, atol=1e-12)
        np.testing.assert_allclose(wall[0], 0.0, atol=1e-12)  # the tip
    np.testing.assert_allclose(np.linalg.norm(cap, axis=-1), radius, atol=1e-12)
    z = from_plane(cap.reshape(-1, 3))
    assert np.all(z[:, k] >= z.max(axis=1) - 1e-12)
    # the cone's three edges lie symmetrically around its class's vertex direction
    # (the four cones are alike)
    edges = np.array([wall[-1, 0] for wall in walls])
    vertex = class_vertices(4)[k] / np.linalg.norm(class_vertices(4)[k])
    np.testing.assert_allclose(edges @ vertex, (edges @ vertex)[0], atol=1e-12)
    axis = edges.sum(axis=0)
    np.testing.assert_allclose(axis / np.linalg.norm(axis), vertex, atol=1e-12)


def test_slice_appearance_is_where_class_one_reaches_the_level():
    level = 0.7
    c = slice_appearance(level)
    # closed form along class 1's axis: p_1 = 1 / (1 + 4 exp(-(z_1 - z_j)))
    gap = from_plane(np.array([0.0, 0.0, 0.0, c]))
    gap = gap[0] - gap[1]
    assert 1.0 / (1.0 + 4.0 * np.exp(-gap)) == pytest.approx(level, abs=1e-9)


def test_slices_show_class_one_in_the_middle():
    """What the narration says: while the slice moves, nothing but class 1 reaches the
    drawn level near the line of sight through the middle (within 10 degrees of it,
    in front and behind), and class 1 appears there well inside the sweep."""
    params = InputSpaceShapesParams()
    low, high = params.slice_range
    view = slice_view()
    phi, theta = view["phi"], view["theta"]
    sight = np.array([np.sin(phi) * np.cos(theta), np.sin(phi) * np.sin(theta), np.cos(phi)])
    # directions 10 degrees of the line of sight, both ways
    helper = np.cross(sight, [0.0, 0.0, 1.0])
    helper /= np.linalg.norm(helper)
    other = np.cross(sight, helper)
    spin = np.linspace(0, 2 * np.pi, 24, endpoint=False)[:, None]
    tilt = np.radians(10)
    ring = np.cos(tilt) * sight + np.sin(tilt) * (np.cos(spin) * helper + np.sin(spin) * other)
    directions = np.concatenate([sight[None], ring, -sight[None], -ring])
    r = np.linspace(0.0, params.extent, 41)[:, None, None]
    points = (r * directions[None]).reshape(-1, 3)
    for c in np.linspace(low, high, 25):
        full = np.concatenate([points, np.full((len(points), 1), c)], axis=1)
        p = softmax(from_plane(full))
        assert p[:, 1:].max() < params.slice_level
    appears = slice_appearance(params.slice_level)
    assert low < appears < low + 0.5 * (high - low)
    centre = softmax(from_plane(np.array([0.0, 0.0, 0.0, high])))
    assert centre[0] > params.slice_level


def test_camera_rotation_is_manims():
    """The slice view's angles are manim's phi and theta: its camera looks at the
    centre along -sight."""
    camera = ThreeDCamera()
    view = slice_view()
    camera.set_phi(view["phi"])
    camera.set_theta(view["theta"])
    rotation = camera.generate_rotation_matrix()
    phi, theta = view["phi"], view["theta"]
    sight = np.array([np.sin(phi) * np.cos(theta), np.sin(phi) * np.sin(theta), np.cos(phi)])
    np.testing.assert_allclose(rotation @ sight, [0.0, 0.0, 1.0], atol=1e-12)
