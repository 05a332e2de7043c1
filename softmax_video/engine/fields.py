"""Fast arrow fields: a whole field computed in one numpy call, drawn as a few VMobjects.

Stock :class:`~manim.ArrowVectorField` builds one ``Arrow`` (a shaft and a tip
mobject) per grid point, and rebuilding it each frame (``always_redraw``) is the
slow part of a changing field. :class:`VectorFieldArrows` keeps the arrows in
numpy arrays and draws them as ``2 * n_bins`` VMobjects: per colour bin, one
VMobject whose subpaths are all the shafts of that bin (stroked) and one whose
subpaths are all the tips (filled triangles). :meth:`VectorFieldArrows.set_vectors`
recomputes everything in place, so an updater can morph the field every frame.

Length and colour
-----------------
Each arrow's magnitude ``m`` (in the coordinates the vectors are given in) is
normalised to ``t`` in [0, 1] over ``magnitude_range = (lo, hi)``:

* ``scale="linear"`` (default): ``t = clip((m - lo) / (hi - lo), 0, 1)``;
* ``scale="log"``: ``t = clip(log(m / lo) / log(hi / lo), 0, 1)`` (``lo > 0``), for
  fields whose magnitudes span decades.

The drawn length is ``min_length + (max_length - min_length) * t`` (scene units):
tiny vectors keep a short visible arrow showing their direction, huge ones are
clamped to ``max_length`` so they never leave their cell. Vectors with
``m <= hide_below`` are not drawn. The colour is that of bin
``min(floor(t * n_bins), n_bins - 1)``, the bins evenly splitting the colour scale
``colors`` (first colour = weakest). Directions are exact: the arrow points along the
vector as mapped into the scene.

Placement
---------
Positions and vectors are 2D, in the coordinates of a plane. By default that is the
scene's xy-plane; pass ``axes`` (any manim ``Axes``/``NumberPlane``/``ThreeDAxes``
with linear axes) to use its coordinates, or ``origin`` and ``basis`` (2 x 3: scene
vectors of the plane's unit x and y) for any plane in a ThreeDScene. Arrows lie in
that plane. In a ``ThreeDScene`` the arrows are ordinary unshaded VMobjects, so
(as in stock manim) they are drawn after the depth-sorted 3D mobjects.

Usage
-----
.. code-block:: python

    import numpy as np
    from softmax_math import descent_field, plane_grid
    from softmax_video.engine.fields import VectorFieldArrows

    X, Y = plane_grid(3.0, 15)
    field = VectorFieldArrows(
        np.stack([X, Y], -1), descent_field(3, 0, X, Y),
        colors=[theme.color("muted"), theme.color("gradient")],
        magnitude_range=(0.0, 1.5), axes=plane,
    )
    target = ValueTracker(0)
    field.add_updater(lambda f: f.set_vectors(*descent_field(3, int(target.get_value()), X, Y)))
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from manim import ORIGIN, ParsableManimColor, VGroup, VMobject, color_to_rgb, rgb_to_color

__all__ = ["VectorFieldArrows"]

FloatArray = npt.NDArray[np.float64]

_SCALES = ("linear", "log")
_ANCHORS = ("tail", "center")


class VectorFieldArrows(VGroup):
    """A 2D arrow field in one mobject, colour- and length-coded by magnitude.

    Parameters
    ----------
    positions
        Arrow anchor points in plane coordinates, shape ``(..., 2)`` (e.g.
        ``np.stack([X, Y], -1)`` for a meshgrid); flattened in C order.
    vectors
        The vectors: an array ``(..., 2)`` with the same leading shape, or a
        tuple ``(u, v)`` of component arrays (as returned by
        :func:`softmax_math.descent_field`).
    colors
        Colour scale from weakest to strongest (one colour gives a plain field).
    n_bins
        Number of colour bins (one shaft and one tip VMobject each).
    magnitude_range
        ``(lo, hi)`` normalising magnitudes for length and colour; defaults to
        ``(0, max magnitude)`` of the first vectors (``(min, max)`` of the
        positive ones for ``scale="log"``). Give it explicitly for a field that
        changes, so lengths and colours stay comparable over time.
    scale
        ``"linear"`` or ``"log"`` (see the module docstring).
    max_length, min_length
        Drawn lengths (scene units) at ``t = 1`` and ``t = 0``.
    hide_below
        Vectors with magnitude at or below this are not drawn.
    anchor
        ``"tail"`` (the arrow starts at its position, like ``ArrowVectorField``)
        or ``"center"`` (centred on it).
    stroke_width
        Shaft width (manim stroke units).
    tip_ratio, max_tip_length, min_tip_length, tip_width_ratio
        Tip length is ``tip_ratio * length``, at least ``min_tip_length`` (but at
        most half the arrow) and at most ``max_tip_length``; tip width is
        ``tip_width_ratio`` times the tip length.
    opacity
        Opacity of shafts and tips.
    axes
        Map plane coordinates through these axes (linear axes assumed).
    origin, basis
        Otherwise: scene point of the plane origin and scene vectors (2 x 3) of the
        plane's unit axes (default: the scene's xy-plane).
    """

    def __init__(
        self,
        positions: npt.ArrayLike,
        vectors: npt.ArrayLike | Sequence[npt.ArrayLike],
        *,
        colors: Sequence[ParsableManimColor],
        n_bins: int = 8,
        magnitude_range: tuple[float, float] | None = None,
        scale: str = "linear",
        max_length: float = 0.45,
        min_length: float = 0.12,
        hide_below: float = 1e-9,
        anchor: str = "tail",
        stroke_width: float = 2.5,
        tip_ratio: float = 0.35,
        max_tip_length: float = 0.16,
        min_tip_length: float = 0.07,
        tip_width_ratio: float = 0.9,
        opacity: float = 1.0,
        axes: Any | None = None,
        origin: npt.ArrayLike = ORIGIN,
        basis: npt.ArrayLike | None = None,
        **kwargs: Any,
    ) -> None:
        if scale not in _SCALES:
            raise ValueError(f"scale must be one of {_SCALES}; got {scale!r}")
        if anchor not in _ANCHORS:
            raise ValueError(f"anchor must be one of {_ANCHORS}; got {anchor!r}")
        if not colors:
            raise ValueError("colors needs at least one colour")
        if not 0 <= min_length <= max_length:
            raise ValueError("need 0 <= min_length <= max_length")
        n_bins = 1 if len(colors) == 1 else int(n_bins)
        if n_bins < 1:
            raise ValueError("n_bins must be >= 1")
        super().__init__(**kwargs)
        self.scale_mode = scale
        self.max_length = float(max_length)
        self.min_length = float(min_length)
        self.hide_below = float(hide_below)
        self.anchor = anchor
        self.tip_ratio = float(tip_ratio)
        self.max_tip_length = float(max_tip_length)
        self.min_tip_length = float(min_tip_length)
        self.tip_width_ratio = float(tip_width_ratio)
        self.axes = axes
        self._origin = np.asarray(origin, dtype=float)
        self._basis = np.array([[1.0, 0, 0], [0, 1.0, 0]]) if basis is None else np.asarray(basis)
        if self._basis.shape != (2, 3):
            raise ValueError(f"basis must be 2 x 3; got {self._basis.shape}")
        self.bin_colors = self._bin_colors(colors, n_bins)
        self.shafts = [
            VMobject(stroke_color=c, stroke_width=stroke_width, stroke_opacity=opacity).set_fill(
                opacity=0
            )
            for c in self.bin_colors
        ]
        self.tips = [
            VMobject(fill_color=c, fill_opacity=opacity, stroke_width=0) for c in self.bin_colors
        ]
        self.add(*self.shafts, *self.tips)
        self.positions = self._as_pairs(positions)
        first = self._vector_array(vectors)
        self.magnitude_range = (
            self._default_range(first)
            if magnitude_range is None
            else (
                float(magnitude_range[0]),
                float(magnitude_range[1]),
            )
        )
        self._check_range()
        self.set_vectors(first)

    # -- public ---------------------------------------------------------------- #

    def set_vectors(
        self, vectors: npt.ArrayLike | Sequence[npt.ArrayLike], v: npt.ArrayLike | None = None
    ) -> VectorFieldArrows:
        """Replace the vectors and rebuild every arrow in place (cheap; updater-safe).

        Call as ``set_vectors(vectors)`` with an ``(..., 2)`` array or a ``(u, v)``
        tuple, or as ``set_vectors(u, v)``.
        """
        vec = self._vector_array(vectors if v is None else (vectors, v))
        if len(vec) != len(self.positions):
            raise ValueError(f"expected {len(self.positions)} vectors; got {len(vec)}")
        self.vectors = vec
        self._rebuild()
        return self

    def set_positions(self, positions: npt.ArrayLike) -> VectorFieldArrows:
        """Move the arrow anchors (same count) and rebuild."""
        pos = self._as_pairs(positions)
        if len(pos) != len(self.vectors):
            raise ValueError(f"expected {len(self.vectors)} positions; got {len(pos)}")
        self.positions = pos
        self._rebuild()
        return self

    @property
    def magnitudes(self) -> FloatArray:
        """Magnitude of every vector, in the coordinates the vectors were given in."""
        return np.hypot(self.vectors[:, 0], self.vectors[:, 1])

    def normalized_magnitudes(self) -> FloatArray:
        """``t`` in [0, 1] for every vector (see the module docstring)."""
        m = self.magnitudes
        lo, hi = self.magnitude_range
        if self.scale_mode == "log":
            with np.errstate(divide="ignore"):
                t = np.log(np.maximum(m, 1e-300) / lo) / np.log(hi / lo)
        else:
            t = (m - lo) / (hi - lo)
        return np.clip(t, 0.0, 1.0)

    def bins(self) -> npt.NDArray[np.intp]:
        """Colour bin of every vector."""
        n = len(self.bin_colors)
        return np.minimum((self.normalized_magnitudes() * n).astype(np.intp), n - 1)

    def visible(self) -> npt.NDArray[np.bool_]:
        """Which vectors are drawn (magnitude above ``hide_below``)."""
        return self.magnitudes > self.hide_below

    def drawn_lengths(self) -> FloatArray:
        """Drawn length (scene units) of every arrow, 0 for hidden ones."""
        lengths = (
            self.min_length + (self.max_length - self.min_length) * self.normalized_magnitudes()
        )
        return np.where(self.visible(), lengths, 0.0)

    # -- geometry -------------------------------------------------------------- #

    def _plane_map(self) -> tuple[FloatArray, FloatArray]:
        """Scene origin (3,) and basis (2, 3) of the plane coordinates."""
        if self.axes is None:
            return self._origin, self._basis
        origin = np.asarray(self.axes.c2p(0, 0), dtype=float)
        ex = np.asarray(self.axes.c2p(1, 0), dtype=float) - origin
        ey = np.asarray(self.axes.c2p(0, 1), dtype=float) - origin
        return origin, np.array([ex, ey])

    def _rebuild(self) -> None:
        origin, basis = self._plane_map()
        normal = np.cross(basis[0], basis[1])
        normal /= max(np.linalg.norm(normal), 1e-12)
        base = origin + self.positions @ basis
        direction = self.vectors @ basis
        norm = np.linalg.norm(direction, axis=1, keepdims=True)
        visible = self.visible() & (norm[:, 0] > 0)
        direction = direction / np.where(norm > 0, norm, 1.0)
        length = self.drawn_lengths()[:, None]
        tail = base - 0.5 * length * direction if self.anchor == "center" else base
        head = tail + length * direction
        tip_len = np.minimum(
            np.maximum(self.tip_ratio * length, np.minimum(self.min_tip_length, 0.5 * length)),
            self.max_tip_length,
        )
        tip_base = head - tip_len * direction
        side = np.cross(normal, direction) * (0.5 * self.tip_width_ratio * tip_len)
        shafts = _line_curves(tail, tip_base)
        tips = _triangle_curves(tip_base + side, head, tip_base - side)
        bins = self.bins()
        for k, (shaft, tip) in enumerate(zip(self.shafts, self.tips, strict=True)):
            idx = np.flatnonzero(visible & (bins == k))
            shaft.points = shafts[idx].reshape(-1, 3)
            tip.points = tips[idx].reshape(-1, 3)

    # -- helpers --------------------------------------------------------------- #

    @staticmethod
    def _as_pairs(values: npt.ArrayLike) -> FloatArray:
        arr = np.asarray(values, dtype=float)
        if arr.shape[-1] != 2:
            raise ValueError(f"expected an array of shape (..., 2); got {arr.shape}")
        return arr.reshape(-1, 2)

    def _vector_array(self, vectors: npt.ArrayLike | Sequence[npt.ArrayLike]) -> FloatArray:
        # A tuple is a (u, v) pair of component arrays; anything else is (..., 2).
        if isinstance(vectors, tuple):
            if len(vectors) != 2:
                raise ValueError("a tuple of vectors must be a (u, v) pair")
            u, v = np.broadcast_arrays(*(np.asarray(c, dtype=float) for c in vectors))
            return np.stack([u.ravel(), v.ravel()], axis=1)
        return self._as_pairs(vectors)

    def _default_range(self, vectors: FloatArray) -> tuple[float, float]:
        m = np.hypot(vectors[:, 0], vectors[:, 1])
        if self.scale_mode == "log":
            positive = m[m > self.hide_below]
            if not positive.size:
                return (1e-3, 1.0)
            return (float(positive.min()), float(positive.max()))
        return (0.0, float(m.max()) if m.size and m.max() > 0 else 1.0)

    def _check_range(self) -> None:
        lo, hi = self.magnitude_range
        if not hi > lo:
            raise ValueError(f"magnitude_range needs lo < hi; got {self.magnitude_range}")
        if self.scale_mode == "log" and lo <= 0:
            raise ValueError("scale='log' needs magnitude_range with lo > 0")

    @staticmethod
    def _bin_colors(colors: Sequence[ParsableManimColor], n_bins: int) -> list:
        stops = np.array([color_to_rgb(c) for c in colors])
        if n_bins == 1 or len(stops) == 1:
            return [rgb_to_color(stops[-1])]
        centres = (np.arange(n_bins) + 0.5) / n_bins * (len(stops) - 1)
        k = np.minimum(centres.astype(int), len(stops) - 2)
        frac = (centres - k)[:, None]
        rgbs = stops[k] * (1 - frac) + stops[k + 1] * frac
        return [rgb_to_color(rgb) for rgb in rgbs]


class _Subpaths(VMobject):
    """A VMobject made of equal-sized, separate subpaths (all shafts or all tips of a bin).

    Knowing the layout, it tells the camera where the subpaths split, and checks
    closure by exact equality instead of ``VMobject``'s tolerance test (same
    drawing, less Python work per frame).
    """

    def __init__(self, points_per_subpath: int, **kwargs: Any) -> None:
        self.points_per_subpath = points_per_subpath
        super().__init__(**kwargs)

    def get_subpath_split_indices_from_points(
        self, points: npt.ArrayLike, n_dims: int = 3
    ) -> npt.NDArray[np.int_]:
        if len(points) % self.points_per_subpath:  # not our layout (e.g. mid-Create)
            return super().get_subpath_split_indices_from_points(points, n_dims)
        n = len(points) // self.points_per_subpath
        starts = np.arange(n) * self.points_per_subpath
        return np.stack([starts, starts + self.points_per_subpath], axis=1)

    def consider_points_equals_2d(self, p0: npt.ArrayLike, p1: npt.ArrayLike) -> bool:
        # The points are built exactly (a closed tip ends on its first point), so
        # exact equality is enough and much cheaper than a tolerance check.
        return bool(p0[0] == p1[0] and p0[1] == p1[1])


def _line_curves(a: FloatArray, b: FloatArray) -> FloatArray:
    """Straight cubic Bezier curves ``a -> b``: shape ``(N, 4, 3)``."""
    d = b - a
    return np.stack([a, a + d / 3, a + 2 * d / 3, b], axis=1)


def _triangle_curves(p0: FloatArray, p1: FloatArray, p2: FloatArray) -> FloatArray:
    """Closed triangles ``p0 -> p1 -> p2 -> p0`` as 3 straight curves: ``(N, 12, 3)``."""
    return np.concatenate(
        [_line_curves(p0, p1), _line_curves(p1, p2), _line_curves(p2, p0)], axis=1
    )
