"""Shared fixtures: renders are cached per test session, so several tests can
inspect one render of a chapter without paying for it twice."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import cairo
import pytest
from manim.utils.testing import frames_comparison as _frames_comparison

sys.path.insert(0, str(Path(__file__).parent))

# Renders are silent unless a test asks for a voice (voice.engine = "auto" reads this,
# in this process and in the manim processes it starts): speech would lengthen every
# render, and only the narration tests are about it.
os.environ.setdefault("SOFTMAX_VIDEO_VOICE", "none")

from videotools import Rendered, render_chapter

# manim's frames_comparison skips every Cairo test below Cairo 1.18 because manim's
# own control data was drawn with 1.18. Our control data is drawn by the Cairo of
# this machine kind (Debian 12 ships 1.16, and no newer build is installable), so
# the comparison is valid here: set the floor to the Cairo in use instead of skipping.
_frames_comparison.MIN_CAIRO_VERSION = min(
    _frames_comparison.MIN_CAIRO_VERSION, cairo.cairo_version()
)


def pytest_addoption(parser: pytest.Parser) -> None:
    # The two flags manim's frames_comparison reads (manim registers them only in its own repo).
    parser.addoption("--set_test", action="store_true", help="write frames_comparison control data")
    parser.addoption("--show_diff", action="store_true", help="show frames_comparison differences")


@pytest.fixture(scope="session")
def rendered_chapter(tmp_path_factory: pytest.TempPathFactory):
    """``rendered_chapter(name)`` renders chapter ``name`` once per session at tiny size."""
    cache: dict[str, Rendered] = {}

    def render(name: str) -> Rendered:
        if name not in cache:
            cache[name] = render_chapter(name, tmp_path_factory.mktemp(name))
        return cache[name]

    return render
