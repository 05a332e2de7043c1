"""Every chapter is laid out for its frame shape: 9:16 and 1:1 fill the frame as 16:9 does.

Measured on decoded frames of tiny renders with the plain manim CLI (``-r W,H``), as a
user's portrait render would be. A pixel is drawn when any channel differs from the
background by more than ``INK`` levels; the content box is the union of drawn pixels
over every frame of the chapter.

Thresholds: the content box spans at least ``MIN_SPAN`` of the frame's width and height
(in portrait 80% of that of the height, whose bottom ``CAPTION_BAND`` is kept free), the
title's first row lies in the top ``TITLE_TOP`` of the frame, nothing is drawn in the
outer ``SAFE_EDGE`` of any side (the title-safe area: 5% of the width at the sides and
of the height at the top and bottom; the layouts keep 6%,
``softmax_video.kit.lecture_scene.SAFE_MARGIN``,
as strokes reach past the outlines they place), and the bottom ``CAPTION_BAND`` (15%)
of a portrait frame, ``LANDSCAPE_CAPTION_BAND`` (12%) of a 16:9 or 1:1 frame, stays free
for captions. 16:9 keeps 4% margins (``LANDSCAPE_EDGE`` with strokes) and spans 65%.

Measured when the shapes were laid out (144x256 and 256x256, 2 fps, every chapter):
9:16 boxes span 0.88 to 0.89 of the width and 0.71 to 0.73 of the height (bottom at
0.77 to 0.79), 1:1 boxes 0.77 to 0.88 of either; every title starts 5.9% down and no
box comes nearer than 5.6% to an edge. Before the layouts a 9:16 render spanned 29%
of the frame and its title started 35% down.
"""

from __future__ import annotations

import av
import numpy as np
import pytest

from softmax_video.core.chapters import CHAPTERS
from videotools import render_chapter

pytestmark = pytest.mark.render

INK = 40
MIN_SPAN = 0.7
TITLE_TOP = 0.12
SAFE_EDGE = 0.05
#: 16:9 layouts keep 4% margins; strokes and anti-aliasing may reach 1% past them.
LANDSCAPE_EDGE = 0.03
CAPTION_BAND = 0.15
LANDSCAPE_CAPTION_BAND = 0.12

SHAPES = {"9:16": (144, 256), "1:1": (256, 256)}


def drawn_mask(frame: np.ndarray) -> np.ndarray:
    """Pixels that differ from the frame's background (its most common corner colour)."""
    corners = np.array([frame[0, 0], frame[0, -1], frame[-1, 0], frame[-1, -1]], dtype=int)
    background = np.median(corners, axis=0)
    return np.abs(frame.astype(int) - background).max(axis=-1) > INK


def content_box(frames: list[np.ndarray]) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of all drawn pixels, as shares of the frame size."""
    mask = np.zeros(frames[0].shape[:2], dtype=bool)
    for frame in frames:
        mask |= drawn_mask(frame)
    rows, cols = np.nonzero(mask.any(axis=1))[0], np.nonzero(mask.any(axis=0))[0]
    height, width = mask.shape
    return cols[0] / width, rows[0] / height, (cols[-1] + 1) / width, (rows[-1] + 1) / height


def frames_of(video, step: int = 1) -> list[np.ndarray]:
    with av.open(str(video)) as container:
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    return frames[::step]


def check_layout(
    frames: list[np.ndarray],
    *,
    portrait: bool,
    min_span: float = MIN_SPAN,
    safe_edge: float = SAFE_EDGE,
) -> str:
    """Assert the thresholds; returns the content box as text (``pytest -s`` prints it)."""
    left, top, right, bottom = content_box(frames)
    box = f"content box l={left:.3f} t={top:.3f} r={right:.3f} b={bottom:.3f}"
    assert right - left >= min_span, f"too narrow: {box}"
    assert bottom - top >= min_span * (0.8 if portrait else 1), f"too short: {box}"
    assert top <= TITLE_TOP, f"title too low: {box}"
    edge = min(left, top, 1 - right, 1 - bottom)
    assert edge >= safe_edge, f"outside the safe area: {box}"
    band = CAPTION_BAND if portrait else LANDSCAPE_CAPTION_BAND
    assert bottom <= 1 - band, f"caption band not free: {box}"
    return box


@pytest.mark.parametrize("shape", list(SHAPES))
@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.name)
def test_chapter_fills_portrait_and_square_frames(chapter, shape, tmp_path):
    width, height = SHAPES[shape]
    result = render_chapter(chapter.name, tmp_path, width=width, height=height, fps=2)
    box = check_layout(frames_of(result.video), portrait=shape == "9:16")
    print(f"{chapter.name} {shape}: {box}")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.name)
def test_landscape_control(chapter, rendered_chapter):
    # 16:9: span at least 65%, the title at the top, nothing in the outer 3% and the
    # bottom 12% free for captions.
    video = rendered_chapter(chapter.name).video
    check_layout(frames_of(video), portrait=False, min_span=0.65, safe_edge=LANDSCAPE_EDGE)
