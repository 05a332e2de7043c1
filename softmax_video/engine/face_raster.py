"""Anti-aliased painting of many flat quadrilaterals straight into a frame's pixels.

Mesh surfaces paint thousands of small translucent faces per frame. Cairo blends
a see-through anti-aliased fill row by row through its general span machinery
(about 20 µs for a 55x55 px face at 1080p); this module paints the same faces
with compiled loops that write straight into manim's pixel array.

Each face is scan-converted by signed-area accumulation (the method of font
rasterisers such as font-rs): every edge adds, to each pixel it crosses, the
exact area it sweeps there and, to the next pixel, the rest of its height; a
running sum along each row then gives every pixel's exact coverage, and the
row's pixels are blended in the same pass. So

* every pixel gets the exact area of the face inside it (corners, sharp tips and
  slivers of faces seen edge-on included); Cairo's rasteriser estimates the same
  area on a grid of samples;
* the colour arithmetic is pixman's (premultiplied 8-bit channels, ``OVER``,
  the same rounding of ``x * a / 255``), so a fully covered pixel comes out
  exactly as Cairo paints it;
* two faces that share an edge give that edge's pixels coverages that add up
  to one, as Cairo's do, so meshes keep the look of manim's surfaces;
* a face that folds over (its corners seen in a crossed order, at a silhouette)
  covers both of its lobes, as Cairo's non-zero fill does.

An outline is the face grown by half the stroke width, with mitred corners
(bevelled past Cairo's miter limit), less the face shrunk by as much: both go
into one accumulation with opposite windings, so the band between them is
painted in one pass.

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

import threading
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


#: Cairo's default: a corner whose miter would reach further than this many line
#: widths (half-angle under about 5.7 degrees) is bevelled instead.
MITER_LIMIT = 10.0

#: Faces with a corner further than this many pixels from the origin are skipped:
#: Cairo's own coordinates end near 8 million pixels, and past this the arithmetic
#: of the accumulation would lose the pixel.
MAX_COORDINATE = 1e9

_NO_ROW = 1 << 30  # an empty span of a row's cells: (_NO_ROW, -1)


@njit(cache=True, nogil=True, inline="always")
def _touch(spans: np.ndarray, line: int, lo: int, hi: int, side: int) -> None:
    """Widen row ``line``'s span of accumulator cells touched by edges going ``side``
    (0: down, 1: up) to include ``lo:hi``."""
    if lo < spans[line, 2 * side]:
        spans[line, 2 * side] = lo
    if hi > spans[line, 2 * side + 1]:
        spans[line, 2 * side + 1] = hi


@njit(cache=True, nogil=True)
def _deposit(
    acc: np.ndarray,
    spans: np.ndarray,
    top: int,
    bottom: int,
    width: int,
    x0: float,
    y0: float,
    x1: float,
    y1: float,
) -> None:
    """Add edge ``(x0, y0) -> (x1, y1)``'s signed area to the accumulator rows ``top:bottom``.

    In each pixel row the edge crosses, the piece of the edge in that row adds to
    each cell it passes the area between it and the cell's right side, and the rest
    of its height to the next cell, so that a running sum along the row is the
    winding-weighted coverage. Left of the frame an edge acts as if at its left
    side; right of the frame it changes nothing that is painted.
    """
    if not y0 != y1:  # horizontal: no area to add
        return
    direction, side = 1.0, 0
    if y0 > y1:
        x0, y0, x1, y1 = x1, y1, x0, y0
        direction, side = -1.0, 1
    if y1 <= top or y0 >= bottom:
        return
    dxdy = (x1 - x0) / (y1 - y0)
    right = float(width)
    for row in range(max(int(np.floor(y0)), top), min(int(np.ceil(y1)), bottom)):
        ya = max(float(row), y0)
        yb = min(float(row + 1), y1)
        if yb <= ya:
            continue
        d = (yb - ya) * direction
        xa = x0 + (ya - y0) * dxdy
        xb = x0 + (yb - y0) * dxdy
        if xa > xb:
            xa, xb = xb, xa
        line = row - top
        if xa < 0.0 or xb > right:
            if xb > right:
                # Beyond the frame's right side nothing is painted, but the row is
                # painted up to it.
                _touch(spans, line, width, width + 1, side)
            if xa >= right:
                continue
            if xb <= 0.0:
                acc[line, 0] += d
                _touch(spans, line, 0, 1, side)
                continue
            # The share of the piece left of the frame acts at its left side.
            run = xb - xa
            lo, hi = max(xa, 0.0), min(xb, right)
            acc[line, 0] += d * (lo - xa) / run
            _touch(spans, line, 0, 1, side)
            d *= (hi - lo) / run
            xa, xb = lo, hi
        first = int(xa)
        last = int(np.ceil(xb))
        if last <= first + 1:  # within one cell
            middle = 0.5 * (xa + xb) - first
            acc[line, first] += d * (1.0 - middle)
            acc[line, first + 1] += d * middle
            _touch(spans, line, first, first + 2, side)
            continue
        slope = 1.0 / (xb - xa)
        head = xa - first
        area_first = 0.5 * slope * (1.0 - head) * (1.0 - head)
        tail = xb - last + 1.0
        area_last = 0.5 * slope * tail * tail
        acc[line, first] += d * area_first
        if last == first + 2:
            acc[line, first + 1] += d * (1.0 - area_first - area_last)
        else:
            area_second = slope * (1.5 - head)
            acc[line, first + 1] += d * (area_second - area_first)
            step = d * slope
            for column in range(first + 2, last - 1):
                acc[line, column] += step
            area_before_last = area_second + (last - first - 3) * slope
            acc[line, last - 1] += d * (1.0 - area_before_last - area_last)
        acc[line, last] += d * area_last
        _touch(spans, line, first, last + 1, side)


@njit(cache=True, nogil=True)
def _deposit_polygon(
    acc: np.ndarray,
    spans: np.ndarray,
    top: int,
    bottom: int,
    xs: np.ndarray,
    ys: np.ndarray,
    count: int,
    width: int,
) -> None:
    """Add the closed polygon ``(xs, ys)[:count]``'s edges to the accumulator."""
    for i in range(count):
        j = i + 1 if i + 1 < count else 0
        _deposit(acc, spans, top, bottom, width, xs[i], ys[i], xs[j], ys[j])


@njit(cache=True, nogil=True)
def _sweep(
    pixels: np.ndarray,
    acc: np.ndarray,
    spans: np.ndarray,
    top: int,
    first_row: int,
    end_row: int,
    full: np.uint32,
) -> None:
    """Blend the packed colour ``full`` into rows ``first_row:end_row`` by the accumulated
    coverage (non-zero winding), clearing the accumulator behind it."""
    width = pixels.shape[1]
    for row in range(first_row, end_row):
        line = row - top
        lo_a, hi_a, lo_b, hi_b = spans[line, 0], spans[line, 1], spans[line, 2], spans[line, 3]
        if hi_a <= lo_a and hi_b <= lo_b:
            continue
        spans[line, 0], spans[line, 1], spans[line, 2], spans[line, 3] = _NO_ROW, -1, _NO_ROW, -1
        cells = acc[line]
        out = pixels[row]
        if hi_a <= lo_a or hi_b <= lo_b or (hi_a > lo_b and hi_b > lo_a):
            # One side only, or the sides' cells interleave (an outline's band).
            _blend_cells(out, cells, min(lo_a, lo_b), max(hi_a, hi_b), 0.0, full, width)
            continue
        if lo_b < lo_a:
            lo_a, hi_a, lo_b, hi_b = lo_b, hi_b, lo_a, hi_a
        # Edges going down on one side, up on the other: no cell between them was
        # touched, so the coverage there is what the first side left.
        total = _blend_cells(out, cells, lo_a, hi_a, 0.0, full, width)
        _blend_run(out, hi_a, min(lo_b, width), abs(total), full)
        _blend_cells(out, cells, lo_b, hi_b, total, full, width)


@njit(cache=True, nogil=True, inline="always")
def _blend_run(out: np.ndarray, start: int, stop: int, coverage: float, full: np.uint32) -> None:
    """Blend ``full`` at ``coverage`` into ``out[start:stop]``."""
    if coverage < 0.5 / 255.0 or stop <= start:
        return
    color = full
    if coverage < 254.5 / 255.0:
        # Like pixman: the colour in 8 bits, times the coverage in 8 bits, then over.
        color = _scaled(full, np.uint32(int(coverage * 255.0 + 0.5)))
    run = out[start:stop]  # a slice of its own: the loop compiles to vector code
    for x in range(run.shape[0]):
        run[x] = _over(run[x], color)


@njit(cache=True, nogil=True, inline="always")
def _blend_cells(
    out: np.ndarray,
    cells: np.ndarray,
    lo: int,
    hi: int,
    total: float,
    full: np.uint32,
    width: int,
) -> float:
    """Sum cells ``lo:hi`` from ``total`` on, blending each pixel by the running sum and
    clearing the cells; return the sum."""
    column = lo
    while column < hi:
        total += cells[column]
        cells[column] = 0.0
        # Cells that no edge touched keep the coverage: blend their run in one go.
        run_end = column + 1
        while run_end < hi and cells[run_end] == 0.0:
            run_end += 1
        _blend_run(out, column, min(run_end, width), abs(total), full)
        column = run_end
    return total


@njit(cache=True, nogil=True)
def _paint_polygons(
    pixels: np.ndarray,
    acc: np.ndarray,
    spans: np.ndarray,
    top: int,
    bottom: int,
    xs: np.ndarray,
    ys: np.ndarray,
    count: int,
    second_xs: np.ndarray,
    second_ys: np.ndarray,
    second_count: int,
    full: np.uint32,
) -> None:
    """Paint the polygon ``(xs, ys)[:count]`` and the second one together: their windings
    add, so a second one inside the first and turning the other way is a hole."""
    low, high = ys[0], ys[0]
    for i in range(1, count):
        low, high = min(low, ys[i]), max(high, ys[i])
    for i in range(second_count):
        low, high = min(low, second_ys[i]), max(high, second_ys[i])
    first_row, end_row = max(top, int(np.floor(low))), min(bottom, int(np.ceil(high)))
    if end_row <= first_row:
        return
    width = pixels.shape[1]
    _deposit_polygon(acc, spans, top, bottom, xs, ys, count, width)
    _deposit_polygon(acc, spans, top, bottom, second_xs, second_ys, second_count, width)
    _sweep(pixels, acc, spans, top, first_row, end_row, full)


@njit(cache=True, nogil=True)
def _corners(quad: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> int:
    """Copy a quad's corners, each repeat of the one before dropped; return how many are
    left (0 for a corner that is not finite or too far away)."""
    kept = 0
    for i in range(4):
        x, y = quad[2 * i], quad[2 * i + 1]
        if not (abs(x) <= MAX_COORDINATE and abs(y) <= MAX_COORDINATE):
            return 0
        if kept and x == xs[kept - 1] and y == ys[kept - 1]:
            continue
        xs[kept], ys[kept] = x, y
        kept += 1
    if kept > 1 and xs[kept - 1] == xs[0] and ys[kept - 1] == ys[0]:
        kept -= 1
    return kept


@njit(cache=True, nogil=True)
def _crossing_lobes(
    xs: np.ndarray, ys: np.ndarray, lobes_xs: np.ndarray, lobes_ys: np.ndarray
) -> bool:
    """If two opposite edges of the quad ``(xs, ys)`` cross, write the two triangles that
    meet where they cross (corners 0-2 and 3-5), both turning the same way, and return
    True: summed with opposite turns, the pixel where they meet would lose coverage."""
    for first in range(2):
        a, b, c, d = first, first + 1, first + 2, (first + 3) % 4
        ex, ey = xs[b] - xs[a], ys[b] - ys[a]
        side_c = ex * (ys[c] - ys[a]) - ey * (xs[c] - xs[a])
        side_d = ex * (ys[d] - ys[a]) - ey * (xs[d] - xs[a])
        fx, fy = xs[d] - xs[c], ys[d] - ys[c]
        side_a = fx * (ys[a] - ys[c]) - fy * (xs[a] - xs[c])
        side_b = fx * (ys[b] - ys[c]) - fy * (xs[b] - xs[c])
        if side_c * side_d < 0.0 and side_a * side_b < 0.0:
            t = side_c / (side_c - side_d)
            cross_x, cross_y = xs[c] + t * fx, ys[c] + t * fy
            # The path runs a -> X -> b -> c -> X -> d: lobes (X, b, c) and (X, d, a),
            # the second turning the other way round, so it is written backwards.
            lobes_xs[0], lobes_ys[0] = cross_x, cross_y
            lobes_xs[1], lobes_ys[1] = xs[b], ys[b]
            lobes_xs[2], lobes_ys[2] = xs[c], ys[c]
            lobes_xs[3], lobes_ys[3] = cross_x, cross_y
            lobes_xs[4], lobes_ys[4] = xs[a], ys[a]
            lobes_xs[5], lobes_ys[5] = xs[d], ys[d]
            return True
    return False


@njit(cache=True, nogil=True)
def _outline(
    xs: np.ndarray,
    ys: np.ndarray,
    count: int,
    turn: float,
    grow: float,
    outer_xs: np.ndarray,
    outer_ys: np.ndarray,
    inner_xs: np.ndarray,
    inner_ys: np.ndarray,
    scratch: np.ndarray,
) -> tuple[int, int]:
    """The two sides of the outline of the convex polygon ``(xs, ys)[:count]``.

    The outer side is the polygon grown by ``grow``, each corner mitred (bevelled
    where the miter would pass :data:`MITER_LIMIT`); the inner side is the
    polygon shrunk by ``grow`` (clipped by each edge moved inwards; it may vanish),
    running the other way round. ``turn`` is the sign of the polygon's signed area
    (which way round its corners run). Returns their corner counts.
    """
    # Outward unit normal of each edge i -> i+1.
    normal_x, normal_y = scratch[0], scratch[1]
    for i in range(count):
        j = i + 1 if i + 1 < count else 0
        dx, dy = xs[j] - xs[i], ys[j] - ys[i]
        length = np.sqrt(dx * dx + dy * dy)
        normal_x[i], normal_y[i] = turn * dy / length, -turn * dx / length
    outer = 0
    for i in range(count):
        h = i - 1 if i > 0 else count - 1
        sum_x, sum_y = normal_x[h] + normal_x[i], normal_y[h] + normal_y[i]
        # sin of half the angle between the edges; the miter is 1 / that widths long.
        half_sine = 0.5 * np.sqrt(sum_x * sum_x + sum_y * sum_y)
        if half_sine * MITER_LIMIT >= 1.0:
            reach = grow / (2.0 * half_sine * half_sine)
            outer_xs[outer], outer_ys[outer] = xs[i] + sum_x * reach, ys[i] + sum_y * reach
            outer += 1
        else:
            outer_xs[outer] = xs[i] + grow * normal_x[h]
            outer_ys[outer] = ys[i] + grow * normal_y[h]
            outer_xs[outer + 1] = xs[i] + grow * normal_x[i]
            outer_ys[outer + 1] = ys[i] + grow * normal_y[i]
            outer += 2
    # Inner side: Sutherland-Hodgman clipping by each edge moved inwards.
    kept = count
    for i in range(count):
        inner_xs[i], inner_ys[i] = xs[i], ys[i]
    next_xs, next_ys = scratch[2], scratch[3]
    for e in range(count):
        a, b = -normal_x[e], -normal_y[e]  # inwards
        c = -(a * xs[e] + b * ys[e]) - grow
        made = 0
        px, py = inner_xs[kept - 1], inner_ys[kept - 1]
        dp = a * px + b * py + c
        for k in range(kept):
            qx, qy = inner_xs[k], inner_ys[k]
            dq = a * qx + b * qy + c
            if (dp >= 0.0) != (dq >= 0.0):
                t = dp / (dp - dq)
                next_xs[made], next_ys[made] = px + t * (qx - px), py + t * (qy - py)
                made += 1
            if dq >= 0.0:
                next_xs[made], next_ys[made] = qx, qy
                made += 1
            px, py, dp = qx, qy, dq
        kept = made
        if kept < 3:
            return outer, 0
        for k in range(kept):
            inner_xs[k], inner_ys[k] = next_xs[k], next_ys[k]
    for k in range(kept // 2):  # the other way round
        o = kept - 1 - k
        inner_xs[k], inner_xs[o] = inner_xs[o], inner_xs[k]
        inner_ys[k], inner_ys[o] = inner_ys[o], inner_ys[k]
    return outer, kept


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
    acc: np.ndarray,
    spans: np.ndarray,
) -> None:
    """Paint faces ``order`` into rows ``top:bottom``; ``acc`` and ``spans`` are a cleared
    accumulator (``(bottom - top, width + 2)`` zeros, and ``(bottom - top, 4)`` empty
    spans of the cells that edges going down and up touched), left cleared."""
    xs, ys = np.empty(4), np.empty(4)
    outer_xs, outer_ys = np.empty(8), np.empty(8)
    inner_xs, inner_ys = np.empty(12), np.empty(12)
    bar_xs, bar_ys = np.empty(4), np.empty(4)
    lobes_xs, lobes_ys = np.empty(6), np.empty(6)
    scratch = np.empty((4, 12))
    for face in order:
        count = _corners(quads[face], xs, ys)
        if count < 3:
            continue
        area = 0.0
        positive = negative = 0
        for i in range(count):
            h = i - 1 if i > 0 else count - 1
            j = i + 1 if i + 1 < count else 0
            area += xs[i] * ys[j] - xs[j] * ys[i]
            turn = (xs[i] - xs[h]) * (ys[j] - ys[i]) - (ys[i] - ys[h]) * (xs[j] - xs[i])
            if turn > 0.0:
                positive += 1
            elif turn < 0.0:
                negative += 1
        if area == 0.0:
            continue
        convex = positive == 0 or negative == 0
        if colors[face, 3] > 0.0:
            r, g, b, a = colors[face, 0], colors[face, 1], colors[face, 2], colors[face, 3]
            fill = _packed(r, g, b, a)
            if not convex and count == 4 and _crossing_lobes(xs, ys, lobes_xs, lobes_ys):
                _paint_polygons(
                    pixels,
                    acc,
                    spans,
                    top,
                    bottom,
                    lobes_xs[:3],
                    lobes_ys[:3],
                    3,
                    lobes_xs[3:],
                    lobes_ys[3:],
                    3,
                    fill,
                )
            else:
                _paint_polygons(pixels, acc, spans, top, bottom, xs, ys, count, xs, ys, 0, fill)
        grow = half_widths[face]
        if not (grow > 0.0 and stroke_colors[face, 3] > 0.0):
            continue
        sr, sg, sb = stroke_colors[face, 0], stroke_colors[face, 1], stroke_colors[face, 2]
        full = _packed(sr, sg, sb, stroke_colors[face, 3])
        if convex:
            turn = 1.0 if area > 0.0 else -1.0
            outer, inner = _outline(
                xs, ys, count, turn, grow, outer_xs, outer_ys, inner_xs, inner_ys, scratch
            )
            _paint_polygons(
                pixels,
                acc,
                spans,
                top,
                bottom,
                outer_xs,
                outer_ys,
                outer,
                inner_xs,
                inner_ys,
                inner,
                full,
            )
            continue
        # A folded face: the union of its edges as bars, without joins, in one pass.
        first_row, end_row = bottom, top
        width = pixels.shape[1]
        for i in range(count):
            j = i + 1 if i + 1 < count else 0
            dx, dy = xs[j] - xs[i], ys[j] - ys[i]
            length = np.sqrt(dx * dx + dy * dy)
            ox, oy = -dy / length * grow, dx / length * grow
            bar_xs[0], bar_ys[0] = xs[i] + ox, ys[i] + oy
            bar_xs[1], bar_ys[1] = xs[j] + ox, ys[j] + oy
            bar_xs[2], bar_ys[2] = xs[j] - ox, ys[j] - oy
            bar_xs[3], bar_ys[3] = xs[i] - ox, ys[i] - oy
            first_row = min(first_row, max(top, int(np.floor(bar_ys.min()))))
            end_row = max(end_row, min(bottom, int(np.ceil(bar_ys.max()))))
            _deposit_polygon(acc, spans, top, bottom, bar_xs, bar_ys, 4, width)
        if first_row < end_row:
            _sweep(pixels, acc, spans, top, first_row, end_row, full)


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
        height, width = pixels.shape[:2]
        top, bottom = (0, height) if rows is None else rows
        top, bottom = max(0, int(top)), min(height, int(bottom))
        if bottom <= top:
            return
        order = np.arange(len(self.quads)) if chosen is None else np.asarray(chosen, np.int64)
        packed = pixels.view(np.uint32).reshape(height, width)
        acc, spans = _accumulator(bottom - top, width)
        try:
            _paint_quads(
                packed,
                top,
                bottom,
                self.quads,
                self.colors,
                self.stroke_colors,
                self.half_widths,
                order,
                acc,
                spans,
            )
        except BaseException:
            _SCRATCH.held = None  # possibly left half-used
            raise


_SCRATCH = threading.local()


def _accumulator(rows: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """This thread's cleared accumulator for ``rows`` rows of ``width`` pixels.

    Kept between calls (the painter leaves it cleared): a frame's worth of zeroed
    memory per call would cost more than the faces of a small band. One per thread,
    because bands of a frame are painted by several threads at once.
    """
    held = getattr(_SCRATCH, "held", None)
    if held is None or held[0].shape[0] < rows or held[0].shape[1] != width + 2:
        spans = np.empty((rows, 4), dtype=np.int64)
        spans[:, 0::2], spans[:, 1::2] = _NO_ROW, -1
        held = _SCRATCH.held = (np.zeros((rows, width + 2)), spans)
    return held[0][:rows], held[1][:rows]


def _unit_colors(colors: npt.ArrayLike) -> np.ndarray:
    colors = np.asarray(colors, dtype=np.float64).reshape(-1, 4)
    return np.ascontiguousarray(np.nan_to_num(np.clip(colors, 0.0, 1.0)))
