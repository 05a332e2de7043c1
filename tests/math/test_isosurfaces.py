"""Tests for softmax_math.isosurfaces: points lie on the level set, and the rays without a
root are exactly the documented ones."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from softmax_math import (
    IsoSurface,
    from_plane,
    iso_probability_slice,
    iso_probability_slices,
    iso_probability_surface,
    log_softmax,
    softmax,
    sum_zero_basis,
)

LEVELS = [0.1, 0.3, 0.5, 0.8, 0.99]


def class_probability(surface: IsoSurface, plane_points: np.ndarray) -> np.ndarray:
    return softmax(from_plane(plane_points))[..., surface.class_index]


def check_surface(surface: IsoSurface, n_theta: int, n_phi: int) -> None:
    k, i, level = surface.n_classes, surface.class_index, surface.level
    assert surface.points.shape == (n_theta, n_phi, 3)
    assert surface.plane_points.shape == (n_theta, n_phi, k - 1)
    assert surface.valid.shape == surface.has_root.shape == surface.radius.shape
    assert surface.valid.any()

    # every returned point is on the level set
    on_surface = class_probability(surface, surface.plane_points[surface.valid])
    np.testing.assert_allclose(on_surface, level, rtol=0, atol=1e-9)
    # NaN exactly where invalid, valid implies has_root
    assert np.isnan(surface.points[~surface.valid]).all()
    assert not np.isnan(surface.points[surface.valid]).any()
    assert not (surface.valid & ~surface.has_root).any()

    # the center is inside; the directions are unit vectors
    assert class_probability(surface, surface.plane_coordinates(surface.center)) > level
    np.testing.assert_allclose(np.linalg.norm(surface.directions, axis=-1), 1.0)

    # documented classification: no root iff class i's logit grows at least as fast
    # as every other along the ray
    free_basis = sum_zero_basis(k)[list(surface.free_axes)]
    velocity = surface.directions @ free_basis
    leads = velocity[..., i] >= np.delete(velocity, i, axis=-1).max(axis=-1)
    np.testing.assert_array_equal(surface.has_root, ~leads)

    radii = np.array([0.0, 0.5, 2.0, 10.0, 100.0, 1e4])
    along = surface.center + radii[:, None, None] * surface.directions[~surface.has_root]
    p_along = class_probability(surface, surface.plane_coordinates(along))
    assert (p_along > level).all()  # rays without a root never come down to the level

    # rays with a root: above the level before it, below after it (one crossing)
    directions = surface.directions[surface.valid]
    radius = surface.radius[surface.valid]
    fractions = np.array([0.0, 0.25, 0.5, 0.9, 0.999])
    before = surface.center + (fractions[:, None] * radius)[..., None] * directions
    assert (class_probability(surface, surface.plane_coordinates(before)) > level).all()
    after = surface.center + ((1.001 + 4 * fractions[:, None]) * radius)[..., None] * directions
    assert (class_probability(surface, surface.plane_coordinates(after)) < level).all()

    # rays with a root beyond max_radius are still above the level there
    beyond = surface.has_root & ~surface.valid
    far = surface.center + surface.max_radius * surface.directions[beyond]
    assert (class_probability(surface, surface.plane_coordinates(far)) >= level).all()


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("class_index", range(4))
def test_four_class_surfaces(class_index: int, level: float) -> None:
    surface = iso_probability_surface(class_index, level, n_theta=21, n_phi=32)
    check_surface(surface, 21, 32)
    assert surface.n_classes == 4 and surface.class_index == class_index
    np.testing.assert_array_equal(surface.points, surface.plane_points)


@pytest.mark.parametrize(("class_index", "level"), [(0, 0.6), (1, 0.4), (4, 0.9), (2, 0.2)])
@pytest.mark.parametrize("fixed_value", [-1.0, 0.0, 2.0])
def test_five_class_slices(class_index: int, level: float, fixed_value: float) -> None:
    try:
        surface = iso_probability_slice(class_index, level, fixed_value, n_theta=15, n_phi=24)
    except ValueError as error:
        # class 0 in an x4 slice peaks at the slice origin; only there may it fail
        assert class_index == 0
        peak = softmax(from_plane([0.0, 0.0, 0.0, fixed_value]))[0]
        assert peak <= level, error
        return
    check_surface(surface, 15, 24)
    np.testing.assert_allclose(surface.plane_points[surface.valid][:, 3], fixed_value)
    if class_index == 0:
        assert surface.valid.all()  # bounded region: every ray finds the surface


@pytest.mark.parametrize(
    ("fixed_axis", "class_index"), [(0, 0), (1, 0), (2, 0), (0, 1), (1, 1), (0, 2)]
)
def test_other_fixed_axes(fixed_axis: int, class_index: int) -> None:
    surface = iso_probability_slice(
        class_index, 0.5, 0.3, n_theta=11, n_phi=16, fixed_axis=fixed_axis
    )
    check_surface(surface, 11, 16)
    np.testing.assert_allclose(surface.plane_points[surface.valid][:, fixed_axis], 0.3)


@settings(max_examples=30, deadline=None)
@given(
    level=st.floats(0.05, 0.95),
    fixed_value=st.floats(-3.0, 3.0),
    fixed_axis=st.integers(0, 3),
)
def test_all_classes_of_a_slice_at_once_match_one_at_a_time(
    level: float, fixed_value: float, fixed_axis: int
) -> None:
    together = iso_probability_slices(level, fixed_value, 9, 14, fixed_axis=fixed_axis)
    assert len(together) == 5
    for class_index, surface in enumerate(together):
        try:
            alone = iso_probability_slice(
                class_index, level, fixed_value, 9, 14, fixed_axis=fixed_axis
            )
        except ValueError:
            assert surface is None, class_index
            continue
        assert surface is not None and surface.class_index == class_index
        check_surface(surface, 9, 14)
        np.testing.assert_array_equal(surface.valid, alone.valid)
        np.testing.assert_array_equal(surface.has_root, alone.has_root)
        np.testing.assert_array_equal(surface.center, alone.center)
        # the same arithmetic per ray; only a product's rounding may differ
        np.testing.assert_allclose(surface.points, alone.points, rtol=0, atol=1e-12)
        np.testing.assert_allclose(surface.plane_points, alone.plane_points, rtol=0, atol=1e-12)


def test_unreachable_level_in_a_slice_raises() -> None:
    # with x1 fixed, classes 3 and 4 move together (their basis columns differ only in x1),
    # so p_3 <= 1 / (1 + exp(sqrt(2) * 0.3)) < 0.5 everywhere in the slice
    with pytest.raises(ValueError, match="never exceeds"):
        iso_probability_slice(3, 0.5, 0.3, fixed_axis=0)
    together = iso_probability_slices(0.5, 0.3, 5, 8, fixed_axis=0)
    assert together[3] is None and together[4] is not None


def test_class_zero_slice_is_empty_above_its_peak() -> None:
    peak = softmax(from_plane([0.0, 0.0, 0.0, 0.5]))[0]
    with pytest.raises(ValueError, match="never exceeds"):
        iso_probability_slice(0, peak + 0.01, 0.5)
    iso_probability_slice(0, peak - 0.01, 0.5, n_theta=5, n_phi=8)


def test_custom_center_and_max_radius() -> None:
    center = 6.0 * sum_zero_basis(4)[:, 0]  # deep inside class 0's region
    surface = iso_probability_surface(0, 0.7, n_theta=13, n_phi=20, center=center, max_radius=5)
    check_surface(surface, 13, 20)
    np.testing.assert_array_equal(surface.center, center)
    assert np.nanmax(surface.radius) <= 5.0
    with pytest.raises(ValueError, match="center"):
        iso_probability_surface(0, 0.7, center=[0.0, 0.0, 0.0])


def test_pole_points_into_the_class_and_the_tip_is_found() -> None:
    surface = iso_probability_surface(2, 0.8, n_theta=9, n_phi=12)
    assert not surface.has_root[0].any()  # theta = 0: into class 2's cone
    assert surface.valid[-1].all()  # theta = pi: back towards the rounded tip
    tip = surface.points[-1, 0]
    np.testing.assert_allclose(surface.points[-1], np.broadcast_to(tip, (12, 3)))


def test_surfaces_of_different_classes_are_congruent() -> None:
    # the simplex is regular: same distance from the origin to each center and to each tip
    surfaces = [iso_probability_surface(i, 0.6, n_theta=9, n_phi=12) for i in range(4)]
    center_norms = [np.linalg.norm(surface.center) for surface in surfaces]
    tip_norms = [np.linalg.norm(surface.points[-1, 0]) for surface in surfaces]
    np.testing.assert_allclose(center_norms, center_norms[0], rtol=1e-12)
    np.testing.assert_allclose(tip_norms, tip_norms[0], rtol=1e-12)


@pytest.mark.parametrize("level", [0.0, 1.0, -0.2, 1.5, float("nan")])
def test_bad_level_raises(level: float) -> None:
    with pytest.raises(ValueError, match="level"):
        iso_probability_surface(0, level)


@pytest.mark.parametrize("class_index", [-1, 4, 1.0])
def test_bad_class_raises(class_index) -> None:
    with pytest.raises(ValueError, match="class_index"):
        iso_probability_surface(class_index, 0.5)


def test_bad_arguments_raise() -> None:
    with pytest.raises(ValueError, match="fixed_axis"):
        iso_probability_slice(1, 0.5, 0.0, fixed_axis=4)
    with pytest.raises(ValueError, match="max_radius"):
        iso_probability_surface(1, 0.5, max_radius=float("inf"))


def test_log_probability_matches_level_to_full_precision() -> None:
    surface = iso_probability_surface(1, 0.3, n_theta=7, n_phi=10)
    log_p = log_softmax(from_plane(surface.plane_points[surface.valid]))[:, 1]
    np.testing.assert_allclose(log_p, np.log(0.3), rtol=0, atol=1e-13)
