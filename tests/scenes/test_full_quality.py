"""Full-quality renders (1080p60) of every chapter through the CLI: ``make test-slow``.

Too heavy for CI (most of an hour on two cores); the default suite renders the same
chapters at 256x144.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from softmax_video.core.chapters import CHAPTERS
from videotools import is_blank, probe, sample_frames

PROJECT_ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.name)
def test_chapter_renders_at_1080p60(chapter, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "softmax_video", "render", chapter.name, "--quality", "high",
         "--jobs", "1", "--quiet", "--output", str(tmp_path)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=3600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    video = Path(result.stdout.split()[-1])
    info = probe(video)
    assert (info.width, info.height, info.fps) == (1920, 1080, 60)
    assert abs(info.duration - chapter.nominal_seconds) <= 0.2 * chapter.nominal_seconds
    assert not any(is_blank(frame) for frame in sample_frames(video, 6)[1:])
    assert video.with_suffix(".srt").read_text(encoding="utf-8").strip()
