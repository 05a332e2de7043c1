"""Tests for softmax_math.geometry: the sum-zero plane, its basis and the class vertices."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from softmax_math import (
    class_vertices,
    dominant_class,
    from_plane,
    softmax,
    sum_zero_basis,
    to_plane,
)

PROPERTY = settings(deadline=None, max_examples=100)
CLASS_COUNTS = range(2, 9)


def logits_with_k_classes(k: int):
    return hnp.arrays(
        np.float64,
        st.tuples(st.integers(1, 4), st.just(k)),
        elements=st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False),
    )


@pytest.mark.parametrize("k", CLASS_COUNTS)
def test_basis_is_orthonormal_and_sums_to_zero(k: int) -> None:
    basis = sum_zero_basis(k)
    assert basis.shape == (k - 1, k) and basis.dtype == np.float64
    np.testing.assert_allclose(basis @ basis.T, np.eye(k - 1), atol=1e-15)
    np.testing.assert_allclose(basis.sum(axis=1), 0.0, atol=1e-15)


def test_documented_basis_choices() -> None:
    np.testing.assert_allclose(sum_zero_basis(2), [[1 / math.sqrt(2), -1 / math.sqrt(2)]])
    np.testing.assert_allclose(
        sum_zero_basis(3),
        [np.array([0.0, -1.0, 1.0]) / math.sqrt(2), np.array([2.0, -1.0, -1.0]) / math.sqrt(6)],
    )
    # class 0 straight up (the last coordinate) for k >= 3, class 1 left of class 2 for k = 3
    for k in range(3, 9):
        vertex = class_vertices(k)[0]
        np.testing.assert_allclose(vertex[:-1], 0.0, atol=1e-15)
        assert vertex[-1] == pytest.approx(math.sqrt(1 - 1 / k))
    triangle = class_vertices(3)
    assert triangle[1, 0] < 0 < triangle[2, 0] and triangle[1, 1] == triangle[2, 1] < 0
    # k = 4: the base triangle (classes 1..3) is the k = 3 picture; k = 5 slices show k = 4
    np.testing.assert_allclose(class_vertices(4)[1:, :2], class_vertices(3))
    np.testing.assert_allclose(class_vertices(5)[1:, :3], class_vertices(4))


def test_basis_is_a_fresh_copy() -> None:
    basis = sum_zero_basis(3)
    basis[:] = 0.0
    assert np.abs(sum_zero_basis(3)).sum() > 0
    vertices = class_vertices(3)
    vertices[:] = 0.0
    assert np.abs(class_vertices(3)).sum() > 0


@pytest.mark.parametrize("k", [2, 3, 4, 5, 8])
def test_vertices_form_a_regular_simplex(k: int) -> None:
    vertices = class_vertices(k)
    assert vertices.shape == (k, k - 1)
    np.testing.assert_allclose(np.linalg.norm(vertices, axis=1), math.sqrt(1 - 1 / k))
    distances = np.linalg.norm(vertices[:, None] - vertices[None, :], axis=-1)
    off_diagonal = distances[~np.eye(k, dtype=bool)]
    np.testing.assert_allclose(off_diagonal, math.sqrt(2))
    np.testing.assert_allclose(vertices, to_plane(np.eye(k)))
    np.testing.assert_allclose(vertices.sum(axis=0), 0.0, atol=1e-15)


@given(st.integers(2, 8).flatmap(logits_with_k_classes))
@PROPERTY
def test_from_plane_inverts_to_plane_up_to_the_mean(logits: np.ndarray) -> None:
    centred = logits - logits.mean(axis=-1, keepdims=True)
    np.testing.assert_allclose(from_plane(to_plane(logits)), centred, atol=1e-10)
    np.testing.assert_allclose(softmax(from_plane(to_plane(logits))), softmax(logits), atol=1e-12)


@given(
    st.integers(1, 7).flatmap(
        lambda d: hnp.arrays(np.float64, (3, d), elements=st.floats(-1e3, 1e3))
    )
)
@PROPERTY
def test_to_plane_inverts_from_plane(coordinates: np.ndarray) -> None:
    logits = from_plane(coordinates)
    np.testing.assert_allclose(logits.sum(axis=-1), 0.0, atol=1e-10)
    np.testing.assert_allclose(to_plane(logits), coordinates, atol=1e-10)


@given(st.integers(2, 8).flatmap(logits_with_k_classes), st.floats(-1e3, 1e3))
@PROPERTY
def test_to_plane_ignores_the_all_ones_direction(logits: np.ndarray, shift: float) -> None:
    np.testing.assert_allclose(to_plane(logits + shift), to_plane(logits), atol=1e-9)


def test_plane_functions_take_lists_and_any_leading_shape() -> None:
    assert to_plane([1, 2, 3]).shape == (2,)
    assert to_plane(np.zeros((2, 5, 4))).shape == (2, 5, 3)
    assert from_plane(np.zeros((2, 5, 3))).shape == (2, 5, 4)
    assert from_plane([0.5]).dtype == np.float64


@pytest.mark.parametrize("k", [0, 1, -3])
def test_too_few_classes_raise(k: int) -> None:
    with pytest.raises(ValueError, match="at least 2 classes"):
        sum_zero_basis(k)
    with pytest.raises(ValueError, match="at least 2 classes"):
        class_vertices(k)


def test_non_integer_class_count_raises() -> None:
    with pytest.raises(TypeError):
        sum_zero_basis(3.0)
    with pytest.raises(ValueError):
        to_plane([1.0])  # a single logit has no plane


def test_dominant_class_ties_go_to_the_lowest_index() -> None:
    assert dominant_class([1.0, 3.0, 3.0]) == 1
    assert dominant_class([[2.0, 2.0, 2.0], [0.0, -1.0, 5.0]]).tolist() == [0, 2]
    assert dominant_class(np.array([[1.0, 4.0], [2.0, 0.0]]), axis=0).tolist() == [1, 0]


@given(st.integers(2, 8).flatmap(logits_with_k_classes))
@PROPERTY
def test_dominant_class_is_the_most_probable(logits: np.ndarray) -> None:
    winners = dominant_class(logits)
    p = softmax(logits)
    np.testing.assert_array_equal(np.take_along_axis(p, winners[:, None], -1)[:, 0], p.max(-1))


def test_each_vertex_is_its_own_class() -> None:
    for k in (2, 3, 4, 5):
        np.testing.assert_array_equal(dominant_class(from_plane(class_vertices(k))), range(k))
