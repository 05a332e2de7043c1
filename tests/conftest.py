"""Shared fixtures: renders are cached per test session, so several tests can
inspect one render of a chapter without paying for it twice."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from videotools import Rendered, render_chapter


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
