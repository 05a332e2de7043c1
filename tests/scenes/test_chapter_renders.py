"""Every chapter renders with the real manim CLI at tiny size; the video is decoded and checked."""

from __future__ import annotations

import itertools

import pytest
import srt

from softmax_video.core.chapters import CHAPTERS
from videotools import (
    TINY_FPS,
    TINY_HEIGHT,
    TINY_WIDTH,
    is_blank,
    last_frame,
    mean_abs_difference,
    probe,
    sample_frames,
)

pytestmark = pytest.mark.render

#: The issue's bounds on a chapter's running time at the default pace.
MIN_SECONDS, MAX_SECONDS = 20, 60


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.name)
def test_chapter_video_is_real(chapter, rendered_chapter):
    result = rendered_chapter(chapter.name)
    info = probe(result.video)
    assert (info.width, info.height) == (TINY_WIDTH, TINY_HEIGHT)
    assert info.fps == TINY_FPS
    assert MIN_SECONDS <= info.duration <= MAX_SECONDS, info
    # The listed running time is honest: within 20% of the real one.
    assert abs(info.duration - chapter.nominal_seconds) <= 0.2 * chapter.nominal_seconds, info
    for frame in sample_frames(result.video, 6)[1:]:
        assert not is_blank(frame)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.name)
def test_chapter_beats_have_sections_and_subtitles(chapter, rendered_chapter):
    result = rendered_chapter(chapter.name)
    beats = [s for s in result.sections if float(s["duration"]) > 0]
    assert len(beats) >= 3, [s["name"] for s in result.sections]
    subtitles = list(srt.parse(result.subtitles.read_text(encoding="utf-8")))
    # Each beat's sentence is captioned in cues of at most two lines of 42 characters,
    # inside the beat; silent, they tile it.
    start = 0.0
    for beat in beats:
        end = start + float(beat["duration"])
        cues = [s for s in subtitles if start - 1e-3 <= s.start.total_seconds() < end - 1e-3]
        assert cues, beat["name"]
        assert all(c.content.strip() for c in cues)
        for cue in cues:
            lines = cue.content.splitlines()
            assert 1 <= len(lines) <= 2 and all(len(line) <= 42 for line in lines), cue.content
            assert cue.end.total_seconds() <= end + 1e-3
        assert abs(cues[0].start.total_seconds() - start) < 1e-3
        assert abs(cues[-1].end.total_seconds() - end) < 1e-3
        for before, after in itertools.pairwise(cues):
            assert abs((after.start - before.end).total_seconds()) < 1e-3
        start = end
    # Consecutive beats end on visibly different pictures.
    ends = [last_frame(result.section_dir / s["video"]) for s in beats]
    for a, b in itertools.pairwise(ends):
        # At 256x144 a beat that adds one formula changes the frame by about 0.25 levels.
        assert mean_abs_difference(a, b) > 0.15
