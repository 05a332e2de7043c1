"""The chapter registry is the one list of chapters: everything else is derived from it."""

from __future__ import annotations

import ast
from pathlib import Path

from softmax_video.core.chapters import CHAPTERS
from softmax_video.core.params import CHAPTER_PARAMS

ROOT = Path(__file__).resolve().parents[2]


def test_every_chapter_has_its_parameter_class_and_no_other_exists():
    assert list(CHAPTER_PARAMS) == [chapter.name for chapter in CHAPTERS]
    for chapter in CHAPTERS:
        assert chapter.params.SECTION == chapter.name
        assert chapter.params.__name__ == f"{chapter.name}Params"


def test_every_chapter_module_defines_its_scene_class():
    """Read from the source (no manim import): ``scenes/<module>.py`` defines the class."""
    for chapter in CHAPTERS:
        path = ROOT / chapter.source_file
        classes = {
            node.name
            for node in ast.parse(path.read_text(encoding="utf-8")).body
            if isinstance(node, ast.ClassDef)
        }
        assert chapter.name in classes, f"{path} defines no class {chapter.name}"
