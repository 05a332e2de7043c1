"""Any class name that validates renders as typed, in every chapter that shows names.

Each chapter is rendered with the plain manim CLI as a still (``-s``: manim skips the
animations but builds every mobject, so every name goes through LaTeX), with names
that carry each TeX special, accented letters and the schema's longest length.
"""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from softmax_video.core.chapters import CHAPTERS, find_chapter
from softmax_video.core.text import MAX_NAME_LENGTH, drawable_problem
from videotools import PROJECT_ROOT, is_blank

pytestmark = pytest.mark.render

NAMES = (
    "spam_mail & R&D 50%",
    "$5 #1 {set}",
    "tilde~ hat^ back\\slash",
    "café über Ærø",
    "L" * MAX_NAME_LENGTH,
)


def test_names_validate():
    assert all(drawable_problem(name) is None for name in NAMES)


@pytest.mark.parametrize("name", [chapter.name for chapter in CHAPTERS])
def test_chapter_draws_any_valid_class_name(name, tmp_path):
    chapter = find_chapter(name)
    listed = ", ".join('"' + n.replace("\\", "\\\\") + '"' for n in NAMES)
    config = tmp_path / "names.toml"
    config.write_text(f"[lecture]\nclass_names = [{listed}]\n", encoding="utf-8")
    env = {**os.environ, "SOFTMAX_VIDEO_CONFIG": str(config)}
    command = [
        sys.executable, "-m", "manim", "render", "-s", "--media_dir", str(tmp_path),
        "--disable_caching", "-r", "256,144", "--progress_bar", "none", "-v", "WARNING",
        chapter.source_file, chapter.name,
    ]  # fmt: skip
    result = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    [still] = list(tmp_path.rglob("*.png"))
    assert not is_blank(np.asarray(Image.open(still).convert("RGB")))
