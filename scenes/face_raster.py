"""Anti-aliased painting of many flat quadrilaterals straight into a frame's pixels.

Mesh surfaces paint thousands of small translucent faces per frame. Cairo blends
a see-through anti-aliased fill row by row through its general span machinery
(about 20 µs for a 55x55 px face at 1080p); this module paints the same faces
with one compiled loop per face: whole spans inside the face are blended with a
single packed-integer formula, and only the pixels its edges cross get a
coverage of their own.

The result is Cairo's within anti-aliasing rounding:

* the colour arithmetic is pixman's (premultiplied 8-bit channels, ``OVER``,
  the same rounding of ``x * a / 255``), so a fully covered pixel comes out
  exactly as Cairo paints it;
* a pixel that one edge crosses gets the exact area of the pixel on the inner
  side of that edge (Cairo's rasteriser samples a grid to estimate the same
  area); one that two edges at nearly a right angle cross gets the product of
  their shares, and any other that several edges cross (a sharp tip, a sliver of
  a face seen edge-on) is clipped to the face exactly.

Two faces that share an edge give that edge's pixels coverages that add up to
one, as Cairo's do, so meshes keep the look of manim's surfaces. A quadrilateral
that is not convex (a face seen edge-on at a fold) is split along the diagonal
through its reflex corner, and that diagonal is hard-edged (pixel-centre rule)
so the two halves tile without a seam.

The loops are compiled by numba and release the GIL, so horizontal bands of one
frame can be painted by several threads at once.

Examples
--------
>>> import numpy as np
>>> pixels = np.zeros((4, 6, 4), dtype=np.uint8)
>>> pixels[..., 3] = 255  # an opaque black background
>>> square = np.array([[1.0, 1.0, 5.0, 1.0, 5.0, 3.0, 1.0, 3.0]])
>>> half_red = np.array([[1.0, 0.0, 0.0, 0.5]])
>>> paint_quads(pixels, square, half_red)
>>> pixels[2, 3].tolist(), pixels[0, 0].tolist()
([128, 0, 0, 255], [0, 0, 0, 255])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from numba import njit

__all__ = ["PreparedQuads", "paint_quads"]

_LOW = np.uint32(0x00FF00FF)  # channels 0 and 2 of a packed pixel
_HIGH = np.uint32(0xFF00FF00)  # channels 1 and 3, in place
_HALF = np.uint32(0x00800080)
_EIGHT = np.uint32(8)


@njit(cache=True, nogil=True, inline="always")
def _scaled(pixel: np.uint32, factor: np.uint32) -> np.uint32:
    """``pixel * factor / 255`` on four packed 8-bit channels, rounded as pixman rounds."""
    even = (pixel & _LOW) * factor + _HALF
    even = ((even + ((even >> _EIGHT) & _LOW)) >> _EIGHT) & _LOW
    odd = ((pixel >> _EIGHT) & _LOW) * factor + _HALF
    odd = (odd + ((odd >> _EIGHT) & _LOW)) & _HIGH
    return even | odd


@njit(cache=True, nogil=True, inline="always")
def _over(pixel: np.uint32, source: np.uint32) -> np.uint32:
    """Premultiplied ``source`` over ``pixel`` (pixman's ``OVER``)."""
    return source + _scaled(pixel, np.uint32(255) - (source >> np.uint32(24)))


@njit(cache=True, nogil=True, inline="always")
def _channel(value: float) -> np.uint32:
    # Cairo keeps a colour as 16-bit premultiplied channels; pixman takes their top byte.
    return np.uint32(int(value * 65535.0 + 0.5)) >> np.uint32(8)


@njit(cache=True, nogil=True)
def _packed(r: float, g: float, b: float, a: float) -> np.uint32:
    """Premultiplied, packed 8-bit ``(r, g, b, a)`` of a straight colour, as Cairo paints it."""
    return (
        _channel(r * a)
        | (_channel(g * a) << np.uint32(8))
        | (_channel(b * a) << np.uint32(16))
        | (_channel(a) << np.uint32(24))
    )


@njit(cache=True, nogil=True, inline="always")
def _edge_coverage(distance: float, half_width: float, half_gap: float, area_scale: float) -> float:
    """Area of a unit pixel on the inner side of an edge whose line is ``distance`` from its centre.

    ``half_width`` is ``(|a| + |b|) / 2`` and ``half_gap`` is ``||a| - |b|| / 2`` for the
    edge's unit normal ``(a, b)``; ``area_scale`` is ``1 / (2 |a| |b|)`` (unused when
    the edge is axis-parallel, where ``half_gap`` equals ``half_width``).
    """
    if distance >= half_width:
        return 1.0
    if distance <= -half_width:
        return 0.0
    if distance >= half_gap:
        rest = half_width - distance
        return 1.0 - rest * rest * area_scale
    if distance <= -half_gap:
        rest = half_width + distance
        return rest * rest * area_scale
    return 0.5 + distance / (half_width + half_gap)


#: Columns of a half-plane row: the signed distance of a pixel centre ``(x, y)`` from
#: the plane's line is ``A * x + B * y + C`` (positive inside); RULE is 0 for an
#: anti-aliased edge and 1 or 2 for a hard one (see :func:`_polygon_planes`);
#: HALF_WIDTH, HALF_GAP and AREA_SCALE are :func:`_edge_coverage`'s arguments;
#: START_X and START_Y are the corner a polygon's edge starts from (for its miters).
A, B, C, RULE, HALF_WIDTH, HALF_GAP, AREA_SCALE, START_X, START_Y = range(9)
PLANE_COLUMNS = 9

#: Where two edges meet at close to a right angle (the cosine between them under
#: this, corners of 70 to 110 degrees), a pixel that both cross gets the product of
#: their shares: within 0.04 of its exact area (measured), and far cheaper than
#: clipping. Most corners of a mesh's faces are such corners.
SQUARE_CORNER_COSINE = 0.34

#: Cairo's default: a mitred corner reaching further than this many line widths is
#: bevelled; here it is cut at that reach (the same for all but the sharpest corners).
MITER_LIMIT = 10.0


@njit(cache=True, nogil=True)
def _set_plane(planes: np.ndarray, k: int, a: float, b: float, c: float, rule: int) -> None:
    planes[k, A], planes[k, B], planes[k, C], planes[k, RULE] = a, b, c, rule
    if rule:
        planes[k, HALF_WIDTH] = planes[k, HALF_GAP] = planes[k, AREA_SCALE] = 0.0
        return
    ua, ub = abs(a), abs(b)
    planes[k, HALF_WIDTH] = 0.5 * (ua + ub)
    planes[k, HALF_GAP] = 0.5 * abs(ua - ub)
    planes[k, AREA_SCALE] = 0.5 / (ua * ub) if ua * ub > 1e-12 else 0.0


@njit(cache=True, nogil=True)
def _polygon_planes(
    xs: np.ndarray, ys: np.ndarray, hard: np.ndarray, grow: float, planes: np.ndarray
) -> int:
    """Write the edges of the convex polygon ``(xs, ys)`` as half-planes; return their count.

    Each edge moves ``grow`` pixels outwards (inwards if negative). ``hard[i]`` marks
    edge ``i -> i+1`` as hard (the inner diagonal of a split face): a pixel is on its
    inner side or not, by its centre, with no partial coverage; a centre exactly on
    the line counts as inside for 1 and outside for 2, so the two halves of a face
    never both paint it. Returns 0 for a degenerate, NaN or infinite polygon.
    """
    count = xs.shape[0]
    area = 0.0
    for i in range(count):
        j = (i + 1) % count
        area += xs[i] * ys[j] - xs[j] * ys[i]
    if not (abs(area) > 0.0 and np.isfinite(area)):
        return 0
    orientation = 1.0 if area > 0.0 else -1.0
    edges = 0
    for i in range(count):
        j = (i + 1) % count
        dx = xs[j] - xs[i]
        dy = ys[j] - ys[i]
        length = np.sqrt(dx * dx + dy * dy)
        if length == 0.0:
            continue
        a = -dy / length * orientation
        b = dx / length * orientation
        _set_plane(planes, edges, a, b, grow - (a * xs[i] + b * ys[i]), hard[i])
        planes[edges, START_X], planes[edges, START_Y] = xs[i], ys[i]
        edges += 1
    return edges


@njit(cache=True, nogil=True)
def _miter_planes(planes: np.ndarray, count: int, reach: float) -> int:
    """Cut every corner of the grown convex polygon in ``planes[:count]`` ``reach``
    pixels out from the corner, with half-planes written after its edges; return
    their count. A corner is where its edge starts (not the polygon's vertex of the
    same number: an edge of length zero has no plane)."""
    added = 0
    for i in range(count):
        h = (i + count - 1) % count
        bx = -(planes[h, A] + planes[i, A])
        by = -(planes[h, B] + planes[i, B])
        length = np.sqrt(bx * bx + by * by)
        if length < 1e-12:
            continue
        bx, by = bx / length, by / length  # outwards along the corner's bisector
        corner = bx * planes[i, START_X] + by * planes[i, START_Y]
        _set_plane(planes, count + added, -bx, -by, reach + corner, 0)
        added += 1
    return added


@njit(cache=True, nogil=True)
def _clipped_area(
    planes: np.ndarray, crossing: np.ndarray, count: int, x: float, y: float, work: np.ndarray
) -> float:
    """Exact area of the pixel centred at ``(x, y)`` inside the half-planes ``crossing``.

    The pixel's square is clipped by each half-plane in turn (Sutherland-Hodgman)
    and the area of what is left is measured with the shoelace formula. ``work``
    is scratch space: 4 rows of at least ``4 + count`` floats.
    """
    xs, ys, next_xs, next_ys = work[0], work[1], work[2], work[3]
    xs[0], ys[0] = x - 0.5, y - 0.5
    xs[1], ys[1] = x + 0.5, y - 0.5
    xs[2], ys[2] = x + 0.5, y + 0.5
    xs[3], ys[3] = x - 0.5, y + 0.5
    corners = 4
    for n in range(count):
        k = crossing[n]
        a, b, c = planes[k, A], planes[k, B], planes[k, C]
        kept = 0
        px, py = xs[corners - 1], ys[corners - 1]
        dp = a * px + b * py + c
        for i in range(corners):
            qx, qy = xs[i], ys[i]
            dq = a * qx + b * qy + c
            if (dp >= 0.0) != (dq >= 0.0):  # the edge p -> q crosses the line
                t = dp / (dp - dq)
                next_xs[kept] = px + t * (qx - px)
                next_ys[kept] = py + t * (qy - py)
                kept += 1
            if dq >= 0.0:
                next_xs[kept], next_ys[kept] = qx, qy
                kept += 1
            px, py, dp = qx, qy, dq
        if kept < 3:
            return 0.0
        xs, next_xs = next_xs, xs
        ys, next_ys = next_ys, ys
        corners = kept
    area = 0.0
    px, py = xs[corners - 1], ys[corners - 1]
    for i in range(corners):
        area += px * ys[i] - xs[i] * py
        px, py = xs[i], ys[i]
    return min(1.0, abs(0.5 * area))


@njit(cache=True, nogil=True)
def _coverage(
    planes: np.ndarray, count: int, x: float, y: float, crossing: np.ndarray, work: np.ndarray
) -> float:
    """Share of the pixel centred at ``(x, y)`` inside all ``count`` half-planes.

    A pixel that one edge crosses gets that edge's exact share in closed form; one
    that two edges at nearly a right angle cross gets the product of their shares
    (see ``SQUARE_CORNER_COSINE``); any other (a sharp corner, a sliver of a face
    seen edge-on) is clipped exactly (:func:`_clipped_area`). ``crossing`` and
    ``work`` are scratch.
    """
    share = 1.0
    product = 1.0
    crossed = 0
    for k in range(count):
        distance = planes[k, A] * x + planes[k, B] * y + planes[k, C]
        rule = planes[k, RULE]
        if rule:
            if distance < 0.0 or (distance == 0.0 and rule == 2):
                return 0.0
            continue
        half_width = planes[k, HALF_WIDTH]
        if distance >= half_width:
            continue
        if distance <= -half_width:
            return 0.0
        crossing[crossed] = k
        crossed += 1
        share = _edge_coverage(distance, half_width, planes[k, HALF_GAP], planes[k, AREA_SCALE])
        product *= share
    if crossed <= 1:
        return share
    if crossed == 2:
        first, second = crossing[0], crossing[1]
        cosine = planes[first, A] * planes[second, A] + planes[first, B] * planes[second, B]
        if abs(cosine) < SQUARE_CORNER_COSINE:
            return product
    return _clipped_area(planes, crossing, crossed, x, y, work)


@njit(cache=True, nogil=True)
def _row_spans(
    planes: np.ndarray, count: int, y: float, lo: float, hi: float
) -> tuple[float, float, float, float]:
    """Pixel centres of row ``y`` with any coverage lie in ``(lo, hi)``, fully covered
    ones in ``[inner_lo, inner_hi]`` (both within the given ``lo, hi``)."""
    inner_lo, inner_hi = lo, hi
    for k in range(count):
        base = planes[k, B] * y + planes[k, C]
        # Centres on a hard edge's line go through the exact test of _coverage.
        nudge = 1e-7 if planes[k, RULE] else 0.0
        outer = -planes[k, HALF_WIDTH] - nudge
        inner = planes[k, HALF_WIDTH] + nudge
        a = planes[k, A]
        if a > 1e-9:
            lo = max(lo, (outer - base) / a)
            inner_lo = max(inner_lo, (inner - base) / a)
        elif a < -1e-9:
            hi = min(hi, (outer - base) / a)
            inner_hi = min(inner_hi, (inner - base) / a)
        else:
            if base <= outer:
                hi = lo - 1.0
            if base < inner:
                inner_hi = inner_lo - 1.0
    return lo, hi, inner_lo, inner_hi


@njit(cache=True, nogil=True)
def _paint_region(
    pixels: np.ndarray,
    top: int,
    bottom: int,
    planes: np.ndarray,
    count: int,
    holes: np.ndarray,
    hole_count: int,
    box: tuple[float, float, float, float],
    scratch: tuple[np.ndarray, np.ndarray],
    r: float,
    g: float,
    b: float,
    a: float,
) -> None:
    """Paint the region inside ``planes`` and, if ``hole_count``, outside ``holes``.

    ``box`` (left, top, right, bottom, in pixels) encloses the region. The hole must
    lie inside the region (a stroke: a grown polygon less the shrunk one), so the
    coverage of a pixel is the region's less the hole's.
    """
    width = pixels.shape[1]
    first_row = int(max(float(top), np.floor(box[1] - 1.0)))
    end_row = int(min(float(bottom), np.ceil(box[3] + 1.0)))
    left = max(0.0, box[0] - 1.0) - 0.5
    right = min(float(width), box[2] + 1.0) - 0.5
    full = _packed(r, g, b, a)
    crossing, work = scratch
    for row in range(first_row, end_row):
        y = row + 0.5
        lo, hi, inner_lo, inner_hi = _row_spans(planes, count, y, left, right)
        if hi < lo:
            continue
        start = max(0, int(np.floor(lo - 0.5)))
        stop = min(width, int(np.ceil(hi - 0.5)) + 1)
        if hole_count:
            # Pixels fully inside the hole are skipped; every other one is measured.
            empty = _row_spans(holes, hole_count, y, left, right)
            empty_lo, empty_hi = empty[2], empty[3]
            skip_start = max(start, int(np.ceil(empty_lo - 0.5)))
            skip_stop = min(stop, int(np.floor(empty_hi - 0.5)) + 1)
            inner_start = inner_stop = stop
        else:
            inner_start = max(start, int(np.ceil(inner_lo - 0.5)))
            inner_stop = min(stop, int(np.floor(inner_hi - 0.5)) + 1)
            if inner_stop <= inner_start:
                inner_start = inner_stop = stop
            skip_start, skip_stop = inner_start, inner_stop
        line = pixels[row]
        span = line[inner_start:inner_stop]
        for x in range(span.shape[0]):
            span[x] = _over(span[x], full)
        for x in range(start, stop):
            if skip_start <= x < skip_stop:
                continue
            centre = x + 0.5
            coverage = _coverage(planes, count, centre, y, crossing, work)
            if hole_count and coverage > 0.0:
                coverage -= _coverage(holes, hole_count, centre, y, crossing, work)
            if coverage <= 0.0:
                continue
            # Like pixman: the colour in 8 bits, times the coverage in 8 bits, then over.
            line[x] = _over(line[x], _scaled(full, np.uint32(int(coverage * 255.0 + 0.5))))


@njit(cache=True, nogil=True)
def _paint_quads(
    pixels: np.ndarray,
    top: int,
    bottom: int,
    quads: np.ndarray,
    colors: np.ndarray,
    stroke_colors: np.ndarray,
    half_widths: np.ndarray,
    order: np.ndarray,
) -> None:
    xs = np.empty(4)
    ys = np.empty(4)
    tri_x = np.empty(3)
    tri_y = np.empty(3)
    soft = np.zeros(4, dtype=np.int8)
    tri_hard = np.zeros(3, dtype=np.int8)
    turns = np.empty(4)
    planes = np.empty((8, PLANE_COLUMNS))
    holes = np.empty((4, PLANE_COLUMNS))
    scratch = (np.empty(8, dtype=np.int64), np.empty((4, 4 + 8)))  # for _coverage
    for face in order:
        for i in range(4):
            xs[i] = quads[face, 2 * i]
            ys[i] = quads[face, 2 * i + 1]
        box = (xs.min(), ys.min(), xs.max(), ys.max())
        positive = 0
        negative = 0
        for i in range(4):
            p, q = (i + 3) % 4, (i + 1) % 4
            turns[i] = (xs[i] - xs[p]) * (ys[q] - ys[i]) - (ys[i] - ys[p]) * (xs[q] - xs[i])
            if turns[i] > 0.0:
                positive += 1
            elif turns[i] < 0.0:
                negative += 1
        convex = positive == 0 or negative == 0
        r, g, b, a = colors[face, 0], colors[face, 1], colors[face, 2], colors[face, 3]
        if a > 0.0 and convex:
            count = _polygon_planes(xs, ys, soft, 0.0, planes)
            if count:
                _paint_region(
                    pixels, top, bottom, planes, count, holes, 0, box, scratch, r, g, b, a
                )
        elif a > 0.0:
            # Not convex: cut along the diagonal from the corner that turns against
            # the others (for a self-crossing face, from corner 0).
            minority = 1.0 if positive < negative else -1.0
            corner = 0
            if positive != negative:
                for i in range(4):
                    if turns[i] * minority > 0.0:
                        corner = i
            for half in range(2):
                # Triangles (corner, corner+1, corner+2) and (corner+2, corner+3,
                # corner); their last edge is the shared diagonal.
                for k in range(3):
                    index = (corner + 2 * half + k) % 4
                    tri_x[k] = xs[index]
                    tri_y[k] = ys[index]
                tri_hard[2] = 1 + half
                count = _polygon_planes(tri_x, tri_y, tri_hard, 0.0, planes)
                if count:
                    _paint_region(
                        pixels, top, bottom, planes, count, holes, 0, box, scratch, r, g, b, a
                    )
        grow = half_widths[face]
        sr, sg, sb, sa = (
            stroke_colors[face, 0],
            stroke_colors[face, 1],
            stroke_colors[face, 2],
            stroke_colors[face, 3],
        )
        if not (grow > 0.0 and sa > 0.0):
            continue
        stroke_box = (
            box[0] - grow * MITER_LIMIT,
            box[1] - grow * MITER_LIMIT,
            box[2] + grow * MITER_LIMIT,
            box[3] + grow * MITER_LIMIT,
        )
        if convex:
            # The outline as a band: the face grown by half the width (mitred corners,
            # cut as Cairo's miter limit cuts them) less the face shrunk by as much.
            count = _polygon_planes(xs, ys, soft, grow, planes)
            if count:
                count += _miter_planes(planes, count, grow * MITER_LIMIT)
                hole_count = _polygon_planes(xs, ys, soft, -grow, holes)
                _paint_region(
                    pixels,
                    top,
                    bottom,
                    planes,
                    count,
                    holes,
                    hole_count,
                    stroke_box,
                    scratch,
                    sr,
                    sg,
                    sb,
                    sa,
                )
            continue
        # A folded face: each edge as its own bar, without joins.
        for i in range(4):
            j = (i + 1) % 4
            dx, dy = xs[j] - xs[i], ys[j] - ys[i]
            length = np.sqrt(dx * dx + dy * dy)
            if not length > 0.0:
                continue
            ox, oy = -dy / length * grow, dx / length * grow
            tri_x4 = np.array([xs[i] + ox, xs[j] + ox, xs[j] - ox, xs[i] - ox])
            tri_y4 = np.array([ys[i] + oy, ys[j] + oy, ys[j] - oy, ys[i] - oy])
            count = _polygon_planes(tri_x4, tri_y4, soft, 0.0, planes)
            if count:
                bar_box = (tri_x4.min(), tri_y4.min(), tri_x4.max(), tri_y4.max())
                _paint_region(
                    pixels, top, bottom, planes, count, holes, 0, bar_box, scratch, sr, sg, sb, sa
                )


def paint_quads(
    pixels: npt.NDArray[np.uint8],
    quads: npt.ArrayLike,
    colors: npt.ArrayLike,
    rows: tuple[int, int] | None = None,
    stroke_colors: npt.ArrayLike | None = None,
    stroke_widths: npt.ArrayLike | None = None,
) -> None:
    """Paint filled (and outlined) quadrilaterals over ``pixels`` in order, anti-aliased.

    Parameters
    ----------
    pixels
        A C-contiguous ``(height, width, 4)`` uint8 array of premultiplied colours,
        channels in manim's order (red, green, blue, alpha), painted in place.
    quads
        ``(n, 8)`` corner coordinates ``x0, y0, ..., x3, y3`` in pixels (x to the
        right, y down; a pixel's centre is at ``(column + 0.5, row + 0.5)``).
    colors
        ``(n, 4)`` straight (not premultiplied) ``(red, green, blue, alpha)`` fill
        colours in [0, 1]. Fills with alpha 0 are skipped, and so are faces with a
        NaN or infinite corner.
    rows
        Paint only pixel rows ``rows[0]:rows[1]`` (default: all), so that bands of
        one frame can be painted by different threads.
    stroke_colors, stroke_widths
        ``(n, 4)`` outline colours and ``(n,)`` outline widths in pixels (default: no
        outlines). A face's outline is painted over its fill, centred on its edges,
        with mitred corners as Cairo strokes a closed path.

    Examples
    --------
    An opaque green square whose left edge halves the first column of pixels:

    >>> import numpy as np
    >>> pixels = np.zeros((4, 4, 4), dtype=np.uint8)
    >>> pixels[..., 3] = 255
    >>> paint_quads(pixels, [[0.5, 0, 4, 0, 4, 4, 0.5, 4]], [[0.0, 1.0, 0.0, 1.0]])
    >>> pixels[1, :, 1].tolist()
    [128, 255, 255, 255]

    Only an outline, 2 px wide, of the square from (2, 2) to (8, 8):

    >>> pixels = np.zeros((10, 10, 4), dtype=np.uint8)
    >>> square = [[2, 2, 8, 2, 8, 8, 2, 8]]
    >>> paint_quads(pixels, square, [[0, 0, 0, 0]], stroke_colors=[[1, 1, 1, 1]],
    ...             stroke_widths=[2.0])
    >>> pixels[5, :, 3].tolist()
    [0, 255, 255, 0, 0, 0, 0, 255, 255, 0]
    """
    PreparedQuads.of(quads, colors, stroke_colors, stroke_widths).paint(pixels, rows)


@dataclass(frozen=True)
class PreparedQuads:
    """Faces checked and converted once, to be painted in several calls (bands, subsets).

    Examples
    --------
    >>> import numpy as np
    >>> faces = PreparedQuads.of([[0, 0, 2, 0, 2, 2, 0, 2], [2, 0, 4, 0, 4, 2, 2, 2]],
    ...                          [[1, 0, 0, 1], [0, 0, 1, 1]])
    >>> pixels = np.zeros((2, 4, 4), dtype=np.uint8)
    >>> faces.paint(pixels, chosen=np.array([1]))  # only the second face
    >>> pixels[0, :, 2].tolist()
    [0, 0, 255, 255]
    """

    quads: np.ndarray
    colors: np.ndarray
    stroke_colors: np.ndarray
    half_widths: np.ndarray

    @classmethod
    def of(
        cls,
        quads: npt.ArrayLike,
        colors: npt.ArrayLike,
        stroke_colors: npt.ArrayLike | None = None,
        stroke_widths: npt.ArrayLike | None = None,
    ) -> PreparedQuads:
        """Check and convert the arguments of :func:`paint_quads`."""
        quads = np.ascontiguousarray(quads, dtype=np.float64).reshape(-1, 8)
        colors = _unit_colors(colors)
        if len(quads) != len(colors):
            raise ValueError(f"{len(quads)} quads but {len(colors)} colours")
        if stroke_widths is None:
            halves = np.zeros(len(quads))
            strokes = np.zeros_like(colors)
        else:
            halves = 0.5 * np.nan_to_num(np.asarray(stroke_widths, dtype=np.float64).reshape(-1))
            strokes = _unit_colors(stroke_colors)
            if not len(halves) == len(strokes) == len(quads):
                raise ValueError(
                    f"{len(quads)} quads but {len(strokes)} stroke colours and {len(halves)} widths"
                )
        return cls(quads, colors, strokes, halves)

    def paint(
        self,
        pixels: npt.NDArray[np.uint8],
        rows: tuple[int, int] | None = None,
        chosen: npt.NDArray[np.integer] | None = None,
    ) -> None:
        """Paint faces ``chosen`` (indices, in painting order; default: all) into ``rows``."""
        if pixels.dtype != np.uint8 or pixels.ndim != 3 or pixels.shape[2] != 4:
            raise ValueError(
                f"pixels must be a (height, width, 4) uint8 array, not {pixels.dtype}{pixels.shape}"
            )
        if not pixels.flags.c_contiguous:
            raise ValueError("pixels must be C-contiguous (painted in place)")
        top, bottom = (0, pixels.shape[0]) if rows is None else rows
        order = np.arange(len(self.quads)) if chosen is None else np.asarray(chosen, np.int64)
        packed = pixels.view(np.uint32).reshape(pixels.shape[:2])
        _paint_quads(
            packed,
            int(top),
            int(bottom),
            self.quads,
            self.colors,
            self.stroke_colors,
            self.half_widths,
            order,
        )


def _unit_colors(colors: npt.ArrayLike) -> np.ndarray:
    colors = np.asarray(colors, dtype=np.float64).reshape(-1, 4)
    return np.ascontiguousarray(np.nan_to_num(np.clip(colors, 0.0, 1.0)))
