"""TwoClassSurfaces: its last frame against control data, and every number it shows.

Graphical regression with manim's ``frames_comparison`` (854x480, dry run), control data
in ``control_data/two_class_surfaces/``; regenerate with ``--set_test``. The harness hands
the scene a plain 2D camera; ``LectureThreeDScene.__init__`` swaps in a
:class:`softmax_video.engine.mesh.MeshCamera` (checked below).
"""

from __future__ import annotations

import numpy as np
import pytest
from manim import Scene
from manim.renderer.cairo_renderer import CairoRenderer
from manim.utils.testing.frames_comparison import frames_comparison
from scipy.special import expit

from scenes.two_class_surfaces import TwoClassSurfaces, cross_section, stacked_shares
from softmax_math import sigmoid, softmax
from softmax_video.core.params import TwoClassSurfacesParams
from softmax_video.engine.mesh import MeshCamera
from softmax_video.kit.plane_geometry import (
    LogitAxes,
    diagonal_grid,
    difference_axis,
    difference_ticks,
    floor_numbers,
)
from softmax_video.kit.theme import build_theme

__module_test__ = "two_class_surfaces"

THEME = build_theme("dark")


@frames_comparison(base_scene=TwoClassSurfaces)
def test_two_class_surfaces(scene: Scene) -> None:
    TwoClassSurfaces.construct(scene)


def test_harness_draws_with_the_mesh_camera() -> None:
    """The renderer the harness passes in (plain ``Camera``) is given a MeshCamera."""
    renderer = CairoRenderer()
    scene = TwoClassSurfaces(renderer=renderer)
    assert isinstance(scene.renderer.camera, MeshCamera)


def test_cross_section_is_the_sigmoid() -> None:
    z1, z2, p1 = cross_section(4.0)
    assert np.allclose(z2, -z1)
    assert np.allclose(p1, sigmoid(z1 - z2), atol=1e-15)
    assert np.allclose(p1, expit(z1 - z2), atol=1e-15)  # an independent sigmoid


def test_two_class_surfaces_are_constant_along_the_diagonal() -> None:
    z1, z2 = diagonal_grid(4.0, 10, 6)
    # Grid lines along j run along (1, 1): z1 - z2 is constant on each row.
    assert np.allclose(np.ptp(z1 - z2, axis=1), 0.0)
    # The grid covers the square and reaches its corners.
    assert np.abs(z1).max() == pytest.approx(4.0) and np.abs(z2).max() == pytest.approx(4.0)
    assert np.all(np.abs(z1) <= 4.0 + 1e-12) and np.all(np.abs(z2) <= 4.0 + 1e-12)


@pytest.mark.parametrize("point", [(1.5, 0.5), (0.005, 0.0), (3.9, -3.9), (-0.3, 0.2)])
def test_stacked_shares_add_up_to_one_as_written(point) -> None:
    p1, p2 = stacked_shares(np.array(point))
    assert float(p1) + float(p2) == pytest.approx(1.0, abs=1e-12)
    true = expit(point[0] - point[1])
    assert abs(float(p1) - true) <= 0.005 + 1e-12
    assert abs(float(p2) - (1 - true)) <= 0.005 + 1e-12


def test_default_stack_and_slide() -> None:
    params = TwoClassSurfacesParams()
    assert stacked_shares(np.array(params.slide_point)) == ("0.73", "0.27")
    # Sliding along (1, 1) changes the logits and not p_1 (the live readout).
    start = np.array(params.slide_point)
    shifts = np.linspace(*params.slide_range, 9)
    p1 = softmax(start + shifts[:, None])[:, 0]
    assert np.allclose(p1, p1[0], atol=1e-15)
    # The tie line: p_1 = p_2 = 1/2 wherever z_1 = z_2.
    assert np.allclose(softmax(np.stack([shifts, shifts], axis=-1)), 0.5)


def test_cut_axis_numbers_sit_at_their_difference() -> None:
    axes = LogitAxes(THEME, extent=4.0, unit=0.75, value_range=(0, 1, 0.5), value_length=3.0)
    values = difference_ticks(4.0)
    assert values.tolist() == [-8.0, -6.0, -4.0, -2.0, 2.0, 4.0, 6.0, 8.0]
    _, name, numbers = difference_axis(THEME, axes.map, 4.0, 24, 34)
    assert name.get_tex_string() == "z_1 - z_2"
    for d, label in zip(values, numbers, strict=True):
        z1, z2 = d / 2, -d / 2
        assert z1 - z2 == d
        x, y = label.get_center()[:2]
        assert np.allclose([x, y], axes.map.floor(z1, z2)[:2])
        assert label.get_tex_string() == f"{d:g}"


def test_floor_numbers_sit_beside_their_ticks() -> None:
    axes = LogitAxes(THEME, extent=4.0, unit=0.75, value_range=(0, 1, 0.5), value_length=3.0)
    z1_numbers, z2_numbers = floor_numbers(THEME, axes, 2.0, 24, offset=0.3)
    assert [m.get_tex_string() for m in z1_numbers] == ["-4", "-2", "2", "4"]
    for value, label in zip((-4, -2, 2, 4), z1_numbers, strict=True):
        assert np.allclose(
            label.get_center()[:2], axes.map.floor(value, 0)[:2] + np.array([0, -0.3])
        )
    for value, label in zip((-4, -2, 2, 4), z2_numbers, strict=True):
        assert np.allclose(
            label.get_center()[:2], axes.map.floor(0, value)[:2] + np.array([-0.3, 0])
        )
