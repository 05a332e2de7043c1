"""Tests of :mod:`softmax_video.engine.face_raster`, against Cairo and against closed-form areas."""

from __future__ import annotations

import cairo
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from softmax_video.engine.face_raster import paint_quads

#: Mean absolute difference (0-255 scale, over all pixels and channels) allowed
#: between faces painted by paint_quads and by Cairo. Measured: 0.03 to 0.08 for
#: 300 random translucent faces of 4 to 45 px on a 320x240 frame. Only pixels that
#: an edge crosses differ (fully covered ones are equal, see below): Cairo estimates
#: their coverage on a grid of samples, paint_quads computes it exactly.
MAX_MEAN_DIFF_FROM_CAIRO = 0.15

#: Largest difference allowed in one channel of one pixel. Measured: 11 to 14, where
#: Cairo's sampled coverage is furthest from the exact one (pixels with a corner).
MAX_PIXEL_DIFF_FROM_CAIRO = 24

#: The same mean for outlines 0.5 to 3 px wide, whose pixels are nearly all edge
#: pixels. Measured: 0.13 (over fills) and 0.19 (wire frames).
MAX_MEAN_DIFF_OUTLINES = 0.3

#: Largest difference allowed between a pixel's coverage and the share of a 32x32
#: grid of sample points in it that lie inside the face. Measured: 0.003 to 0.008
#: (the sampling's own error, and rounding to 8 bits).
MAX_COVERAGE_ERROR = 0.02


def _background(height: int = 240, width: int = 320) -> np.ndarray:
    pixels = np.zeros((height, width, 4), dtype=np.uint8)
    pixels[..., :3] = (20, 30, 40)
    pixels[..., 3] = 255
    return pixels


def _cairo_quads(
    pixels: np.ndarray,
    quads: np.ndarray,
    colors: np.ndarray,
    stroke_colors: np.ndarray | None = None,
    stroke_widths: np.ndarray | None = None,
) -> None:
    """What MeshCamera paints with Cairo: one closed path, one fill and one stroke per face."""
    height, width = pixels.shape[:2]
    surface = cairo.ImageSurface.create_for_data(pixels.data, cairo.FORMAT_ARGB32, width, height)
    ctx = cairo.Context(surface)
    ctx.set_line_join(cairo.LINE_JOIN_MITER)
    if stroke_widths is None:
        stroke_widths = np.zeros(len(quads))
        stroke_colors = np.zeros_like(colors)
    for (x0, y0, x1, y1, x2, y2, x3, y3), (r, g, b, a), (sr, sg, sb, sa), width in zip(
        quads.tolist(), colors.tolist(), stroke_colors.tolist(), stroke_widths.tolist(), strict=True
    ):
        ctx.move_to(x0, y0)
        ctx.line_to(x1, y1)
        ctx.line_to(x2, y2)
        ctx.line_to(x3, y3)
        ctx.close_path()
        ctx.set_source_rgba(b, g, r, a)  # Cairo's ARGB32 under manim's RGBA order
        ctx.fill_preserve()
        if width > 0:
            ctx.set_line_width(width)
            ctx.set_source_rgba(sb, sg, sr, sa)
            ctx.stroke()
        ctx.new_path()
    surface.finish()


def _random_faces(count: int, seed: int, size: tuple[float, float]) -> tuple[np.ndarray, ...]:
    """Convex quads (jittered squares, turned at random) and translucent colours."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform([20, 20], [300, 220], (count, 2))
    half = rng.uniform(*size, count)[:, None] / 2
    angle = rng.uniform(0, np.pi, count)[:, None]
    corner_angles = angle + np.array([0.25, 0.75, 1.25, 1.75]) * np.pi
    corner_angles += rng.uniform(-0.15, 0.15, corner_angles.shape)
    xs = centres[:, :1] + half * np.sqrt(2) * np.cos(corner_angles)
    ys = centres[:, 1:] + half * np.sqrt(2) * np.sin(corner_angles)
    quads = np.stack([xs, ys], axis=-1).reshape(count, 8)
    colors = np.column_stack([rng.uniform(0, 1, (count, 3)), rng.uniform(0.2, 1, count)])
    return quads, colors


def _painted_area(quad: list[float]) -> float:
    """Area covered by one face, read back from the alpha it leaves on a clear frame."""
    pixels = np.zeros((64, 64, 4), dtype=np.uint8)
    paint_quads(pixels, [quad], [[1.0, 1.0, 1.0, 1.0]])
    return pixels[..., 3].sum() / 255


def _shoelace(quad: list[float]) -> float:
    x, y = np.asarray(quad[0::2]), np.asarray(quad[1::2])
    return 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


@pytest.mark.parametrize("size", [(4, 8), (10, 20), (30, 45)])
def test_faces_look_as_cairo_paints_them(size: tuple[float, float]) -> None:
    quads, colors = _random_faces(300, seed=int(size[0]), size=size)
    ours, theirs = _background(), _background()
    paint_quads(ours, quads, colors)
    _cairo_quads(theirs, quads, colors)
    diff = np.abs(ours.astype(int) - theirs.astype(int))
    assert diff.mean() < MAX_MEAN_DIFF_FROM_CAIRO
    assert diff.max() <= MAX_PIXEL_DIFF_FROM_CAIRO


@pytest.mark.parametrize("fill_alpha", [0.0, 0.6])
def test_outlines_look_as_cairo_strokes_them(fill_alpha: float) -> None:
    # A wire frame (no fill) and outlined faces, as MeshSurface strokes them.
    quads, colors = _random_faces(200, seed=11, size=(8, 40))
    colors[:, 3] = fill_alpha
    rng = np.random.default_rng(12)
    strokes = np.column_stack([rng.uniform(0, 1, (200, 3)), rng.uniform(0.3, 1, 200)])
    widths = rng.uniform(0.5, 3.0, 200)
    ours, theirs = _background(), _background()
    paint_quads(ours, quads, colors, stroke_colors=strokes, stroke_widths=widths)
    _cairo_quads(theirs, quads, colors, strokes, widths)
    diff = np.abs(ours.astype(int) - theirs.astype(int))
    assert diff.mean() < MAX_MEAN_DIFF_OUTLINES
    assert diff.max() <= MAX_PIXEL_DIFF_FROM_CAIRO


@pytest.mark.parametrize("repeated", [0, 1, 2, 3])
def test_outlines_of_faces_with_a_repeated_corner(repeated: int) -> None:
    # Faces at the centre of a polar grid are triangles with one corner twice. Their
    # outlines' miters belong to the corners their edges start from: numbering them
    # by the quad's corners cut pieces off the outline.
    corners = [[20.0, 20.0], [100.0, 30.0], [40.0, 90.0]]
    corners.insert(repeated, corners[repeated % 3])
    quads = np.array([np.ravel(corners)])
    clear, white, width = np.zeros((1, 4)), np.ones((1, 4)), np.array([2.0])
    ours, theirs = _background(), _background()
    paint_quads(ours, quads, clear, stroke_colors=white, stroke_widths=width)
    _cairo_quads(theirs, quads, clear, white, width)
    diff = np.abs(ours.astype(int) - theirs.astype(int))
    assert diff.max() <= MAX_PIXEL_DIFF_FROM_CAIRO
    assert diff.mean() < MAX_MEAN_DIFF_OUTLINES


def test_whole_pixels_are_blended_exactly_as_cairo_blends_them() -> None:
    # Corners on pixel boundaries: no partial coverage, so every pixel must match.
    rng = np.random.default_rng(3)
    corners = rng.integers(0, 200, (60, 2)).astype(float)
    sizes = rng.integers(5, 80, (60, 2)).astype(float)
    x0, y0 = corners.T
    x1, y1 = (corners + sizes).T
    quads = np.column_stack([x0, y0, x1, y0, x1, y1, x0, y1])
    colors = np.column_stack([rng.uniform(0, 1, (60, 3)), rng.uniform(0.05, 1, 60)])
    ours, theirs = _background(), _background()
    paint_quads(ours, quads, colors)
    _cairo_quads(theirs, quads, colors)
    assert np.array_equal(ours, theirs)


@pytest.mark.parametrize(
    ("column", "expected"), [(0.5, 128), (0.25, 191), (0.75, 64), (0.0, 255), (1.0, 0)]
)
def test_a_straight_edge_covers_its_share_of_a_pixel(column: float, expected: int) -> None:
    pixels = np.zeros((4, 4, 4), dtype=np.uint8)
    paint_quads(pixels, [[column, 0, 4, 0, 4, 4, column, 4]], [[1.0, 1.0, 1.0, 1.0]])
    assert pixels[2, 0, 3] == expected
    assert (pixels[:, 1:, 3] == 255).all()


@settings(max_examples=60, deadline=None)
@given(
    centre=st.tuples(st.floats(24, 40), st.floats(24, 40)),
    radius=st.floats(2, 18),
    turn=st.floats(0, np.pi / 2),
    squash=st.floats(0.3, 1.0),
)
def test_painted_area_is_the_polygons_area(
    centre: tuple[float, float], radius: float, turn: float, squash: float
) -> None:
    # A turned rectangle: the alpha it leaves adds up to its area, up to rounding
    # each edge pixel's coverage to 8 bits (half of 1/255 at most).
    angles = turn + np.array([0.0, 0.5, 1.0, 1.5]) * np.pi
    u = np.column_stack([np.cos(angles), np.sin(angles)])
    corners = np.array(centre) + radius * np.column_stack([u[:, 0], squash * u[:, 1]])
    quad = corners.ravel().tolist()
    perimeter = np.linalg.norm(np.diff(np.vstack([corners, corners[:1]]), axis=0), axis=1).sum()
    assert _painted_area(quad) == pytest.approx(_shoelace(quad), abs=0.02 + 0.004 * perimeter)


def _sampled_coverage(quad: list[float], size: int = 40, samples: int = 32) -> np.ndarray:
    """Share of each pixel inside a convex quad, counted on a grid of sample points."""
    xs, ys = np.asarray(quad[0::2], float), np.asarray(quad[1::2], float)
    offsets = (np.arange(samples) + 0.5) / samples
    grid = (np.arange(size)[:, None] + offsets).ravel()
    px, py = np.meshgrid(grid, grid)
    orientation = np.sign(np.dot(xs, np.roll(ys, -1)) - np.dot(ys, np.roll(xs, -1)))
    inside = np.ones(px.shape, dtype=bool)
    for i in range(4):
        j = (i + 1) % 4
        cross = (xs[j] - xs[i]) * (py - ys[i]) - (ys[j] - ys[i]) * (px - xs[i])
        inside &= cross * orientation >= 0
    return inside.reshape(size, samples, size, samples).mean(axis=(1, 3))


@pytest.mark.parametrize(
    "quad",
    [
        [3.2, 5.1, 36.7, 30.4, 37.9, 31.8, 4.0, 5.9],  # a sliver, under a pixel wide
        [2.5, 20.2, 37.1, 17.6, 37.4, 19.9, 36.9, 21.3],  # a sharp tip (about 7 degrees)
        [5.3, 4.8, 33.1, 9.7, 28.4, 35.2, 8.8, 30.6],  # corners of 70 to 110 degrees
    ],
)
def test_slivers_and_sharp_corners_get_their_area(quad: list[float]) -> None:
    # Faces seen edge-on are slivers with sharp tips: each pixel gets its share of
    # the face (a product of its edges' shares painted a quarter of a pixel or more
    # past a tip).
    pixels = np.zeros((40, 40, 4), dtype=np.uint8)
    paint_quads(pixels, [quad], [[1.0, 1.0, 1.0, 1.0]])
    error = np.abs(pixels[..., 3] / 255 - _sampled_coverage(quad))
    assert error.max() < MAX_COVERAGE_ERROR


def test_neighbouring_faces_share_their_edges_pixels() -> None:
    # Two faces of a mesh with a slanted shared edge: their coverages add up to one.
    left = [[2, 2, 20.3, 2, 13.7, 30, 2, 30]]
    right = [[20.3, 2, 30, 2, 30, 30, 13.7, 30]]
    white = [[1.0, 1.0, 1.0, 1.0]]
    one, other = np.zeros((32, 32, 4), np.uint8), np.zeros((32, 32, 4), np.uint8)
    paint_quads(one, left, white)
    paint_quads(other, right, white)
    total = one[..., 3].astype(int) + other[..., 3]
    assert (np.abs(total[3:29, 3:29] - 255) <= 1).all()


def test_a_concave_face_is_painted_once_everywhere() -> None:
    # An arrowhead: no gap and no doubly painted line inside it (either would show
    # on a see-through face).
    arrow = [[4, 4, 40, 20, 4, 36, 14, 20.3]]
    pixels = _background(48, 48)
    paint_quads(pixels, arrow, [[1.0, 0.0, 0.0, 0.5]])
    inside = pixels[18:23, 16:30]  # a patch around the diagonal, well inside the face
    assert (inside == inside[0, 0]).all()
    theirs = _background(48, 48)
    _cairo_quads(theirs, np.array(arrow, float), np.array([[1.0, 0.0, 0.0, 0.5]]))
    assert np.abs(pixels.astype(int) - theirs).mean() < MAX_MEAN_DIFF_FROM_CAIRO


@pytest.mark.parametrize(
    "quad",
    [
        [30.0, 10.0, 10.0, 40.0, 40.0, 38.0, 12.0, 12.0],  # corners in crossed order
        [28.6, 21.5, 26.7, 23.8, 5.6, 30.8, 8.7, 31.8],  # a sliver crossing itself
    ],
)
def test_a_folded_face_covers_both_lobes_as_cairo_fills_them(quad: list[float]) -> None:
    # At a silhouette a face's corners can be seen in crossed order; Cairo's non-zero
    # fill covers both triangles that meet where the edges cross, and nothing else
    # (cutting such a face along a diagonal painted a hard-edged triangle past them).
    ours, theirs = _background(48, 48), _background(48, 48)
    color = np.array([[1.0, 0.8, 0.2, 0.75]])
    paint_quads(ours, [quad], color)
    _cairo_quads(theirs, np.array([quad]), color)
    diff = np.abs(ours.astype(int) - theirs.astype(int))
    assert diff.max() <= MAX_PIXEL_DIFF_FROM_CAIRO
    assert diff.mean() < MAX_MEAN_DIFF_FROM_CAIRO


def test_faces_across_the_frames_sides() -> None:
    # Faces that reach past the left, right, top or bottom of the frame are painted
    # up to it, as Cairo paints them.
    quads = np.array(
        [
            [-30.5, 10.2, 40.3, 5.1, 35.7, 60.4, -20.1, 55.8],
            [290.4, 100.2, 355.6, 80.9, 340.2, 150.3, 300.7, 160.1],
            [-50.0, 170.0, 400.0, 180.5, 390.0, 200.0, -40.0, 210.3],
            [120.3, -40.0, 180.1, -35.0, 170.8, 30.2, 110.4, 25.5],
            [200.2, 220.1, 250.7, 215.3, 260.1, 300.0, 190.5, 290.4],
        ]
    )
    colors = np.array(
        [[1, 0, 0, 0.7], [0, 1, 0, 0.7], [0, 0, 1, 0.5], [1, 1, 0, 0.7], [0, 1, 1, 1]]
    )
    ours, theirs = _background(), _background()
    paint_quads(ours, quads, colors)
    _cairo_quads(theirs, quads, colors)
    diff = np.abs(ours.astype(int) - theirs.astype(int))
    assert diff.max() <= MAX_PIXEL_DIFF_FROM_CAIRO
    assert diff.mean() < MAX_MEAN_DIFF_FROM_CAIRO


def test_sharp_corners_of_outlines_are_bevelled_as_cairo_bevels_them() -> None:
    # Past Cairo's miter limit (corners under about 11 degrees) a corner is bevelled;
    # a mitred tip would reach ten widths out.
    quads = np.array([[5.0, 20.0, 44.0, 18.5, 44.5, 21.0, 44.0, 22.2]])
    clear, white, width = np.zeros((1, 4)), np.ones((1, 4)), np.array([2.0])
    ours, theirs = _background(48, 48), _background(48, 48)
    paint_quads(ours, quads, clear, stroke_colors=white, stroke_widths=width)
    _cairo_quads(theirs, quads, clear, white, width)
    diff = np.abs(ours.astype(int) - theirs.astype(int))
    assert diff.max() <= MAX_PIXEL_DIFF_FROM_CAIRO
    assert (ours[:, :3, :3] == theirs[:, :3, :3]).all()  # nothing reaches past the bevel


def test_painting_leaves_the_accumulator_cleared() -> None:
    # Each thread keeps one accumulator between calls, and the next call starts from
    # it: faces of every kind (folded, across the frame's sides, outlined with sharp
    # corners) must leave it as they found it.
    from softmax_video.engine import face_raster

    quads = np.array(
        [
            [30.0, 10.0, 10.0, 40.0, 40.0, 38.0, 12.0, 12.0],
            [-30.5, 10.2, 40.3, 5.1, 35.7, 60.4, -20.1, 55.8],
            [290.4, 100.2, 355.6, 80.9, 340.2, 150.3, 300.7, 160.1],
            [5.0, 200.0, 44.0, 198.5, 44.5, 201.0, 44.0, 202.2],
            [100.0, 100.0, 140.0, 105.0, 135.0, 150.0, 98.0, 140.0],
        ]
    )
    colors = np.full((5, 4), 0.6)
    widths = np.array([1.5, 0.0, 2.0, 2.0, 0.7])
    paint_quads(_background(), quads, colors, stroke_colors=colors, stroke_widths=widths)
    acc, spans = face_raster._SCRATCH.held
    assert not acc.any()
    assert (spans[:, 0::2] == face_raster._NO_ROW).all() and (spans[:, 1::2] == -1).all()


def test_bands_paint_what_one_pass_paints() -> None:
    quads, colors = _random_faces(200, seed=7, size=(10, 40))
    whole, banded = _background(), _background()
    paint_quads(whole, quads, colors)
    for rows in [(0, 77), (77, 150), (150, 240)]:
        paint_quads(banded, quads, colors, rows=rows)
    assert np.array_equal(whole, banded)


def test_bad_and_extreme_faces() -> None:
    pixels = _background(20, 30)
    before = pixels.copy()
    nothing = [
        [np.nan, 0, 10, 0, 10, 10, 0, 10],  # NaN corner
        [0, 0, 10, 0, np.inf, 10, 0, 10],  # infinite corner
        [0, 0, 10, 10, 20, 20, 30, 30],  # flat
        [0, 0, 10, 0, 10, 10, 0, 10],  # transparent
    ]
    colors = [[1, 0, 0, 1]] * 3 + [[1, 0, 0, 0]]
    paint_quads(pixels, nothing, colors)
    assert np.array_equal(pixels, before)
    # Far bigger than the frame: covers it exactly.
    paint_quads(pixels, [[-1e9, -1e9, 1e9, -1e9, 1e9, 1e9, -1e9, 1e9]], [[0, 1, 0, 1]])
    assert (pixels[..., 1] == 255).all() and (pixels[..., 0] == 0).all()
    with pytest.raises(ValueError, match="uint8"):
        paint_quads(pixels.astype(float), [], [])
    with pytest.raises(ValueError, match="2 quads but 1"):
        paint_quads(pixels, np.zeros((2, 8)), np.zeros((1, 4)))
