"""Part 3 chapters: Gaussians with 3 classes, 4 and 5 classes (GaussiansTwoClass and
LogitPaths have their own test modules).

Graphical regression: the last frame of each chapter against committed control data in
``control_data/part3`` (``pytest --set_test`` rewrites it), with manim's own frame-testing
machinery, assembled as in ``test_part2.py`` (see the comment above ``test_final_frame``).

Numeric checks run on the scenes' data-building functions: the plotted 2-class posterior
against ``sigmoid(w x + b)``, normalised Gaussians against the softmax of linear logits,
the training run against its seed, and the iso-surface and tie-wall geometry.
"""

from __future__ import annotations

import numpy as np
import pytest
from manim import Scene
from manim.renderer.cairo_renderer import CairoRenderer
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.gaussians_three_class import (
    GaussiansThreeClass,
    class_means,
    difference_tex,
    three_class_data,
)
from scenes.input_space_shapes import (
    InputSpaceShapes,
    cap_with_ball,
    five_class_slices,
    four_class_surfaces,
    tie_walls,
)
from softmax_math import (
    from_plane,
    gaussian_posterior,
    iso_probability_surface,
    plane_grid,
    softmax,
)
from softmax_video.core.params import CONFIG_ENV_VAR, GaussiansThreeClassParams
from softmax_video.engine.mesh import MeshCamera

__module_test__ = "part3"


@pytest.fixture(autouse=True)
def default_config(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts from the default configuration (no user TOML)."""
    monkeypatch.delenv(CONFIG_ENV_VAR, raising=False)


# --------------------------------------------------------------------------- #
# Final frames
# --------------------------------------------------------------------------- #
#
# manim's own ``@frames_comparison`` on each chapter's last frame (854x480, dry run),
# control data in control_data/part3/<chapter>.npz; regenerate with ``--set_test``.
# The harness hands 3D chapters a plain 2D camera; ``LectureThreeDScene.__init__``
# swaps in a :class:`softmax_video.engine.mesh.MeshCamera` (checked below). tests/conftest.py
# explains why the comparison runs on this machine's Cairo 1.16.


@frames_comparison(base_scene=GaussiansThreeClass)
def test_gaussians_three_class(scene: Scene) -> None:
    GaussiansThreeClass.construct(scene)


@frames_comparison(base_scene=InputSpaceShapes)
def test_input_space_shapes(scene: Scene) -> None:
    InputSpaceShapes.construct(scene)


@pytest.mark.parametrize("chapter", [GaussiansThreeClass, InputSpaceShapes])
def test_harness_draws_3d_chapters_with_the_mesh_camera(chapter: type[Scene]) -> None:
    scene = chapter(renderer=CairoRenderer())
    assert isinstance(scene.renderer.camera, MeshCamera)


# --------------------------------------------------------------------------- #
# GaussiansThreeClass: normalised Gaussians == softmax of linear logits
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("sigma", [0.6, 1.0, 1.6])
def test_three_class_gaussians_match_softmax(sigma):
    params = GaussiansThreeClassParams()
    x, y = plane_grid(params.extent, params.resolution + 1)
    data = three_class_data(class_means(params.spread), sigma, x, y)
    assert data.max_difference < 1e-9
    # also against the package's posterior
    points = np.stack([x, y], axis=-1)
    posterior = gaussian_posterior(points, class_means(params.spread), sigma)
    np.testing.assert_allclose(np.moveaxis(data.normalised, 0, -1), posterior, atol=1e-12)
    np.testing.assert_allclose(data.normalised.sum(axis=0), 1.0, atol=1e-12)


def test_three_class_means_sit_on_vertex_directions():
    means = class_means(2.5)
    np.testing.assert_allclose(np.linalg.norm(means, axis=1), 2.5)
    # class 1 straight up, as on the 3-class plane
    assert means[0][0] == pytest.approx(0.0, abs=1e-12) and means[0][1] > 0


def test_difference_readout_text():
    assert difference_tex(0.0) == "0"
    assert difference_tex(3.3e-16) == r"3.3 \times 10^{-16}"


# --------------------------------------------------------------------------- #
# InputSpaceShapes: iso-surfaces, the ball cut and the tie walls
# --------------------------------------------------------------------------- #


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
