"""Portrait layouts: graphical regression of every chapter's last frame at 144x256.

The same machinery as manim's ``frames_comparison`` (as the chapter tests use for
16:9): the chapter runs in-process with the dry run (animations skipped, final state
kept) and its last frame is compared with committed control data in
``control_data/shapes/<module>_portrait.npz``; ``--set_test`` rewrites it. The decorator
itself takes its frame size from manim's test configuration (854x480), so the test
builds the comparison from its parts with a portrait size. Square frames are covered
by the measured layout test (``test_frame_shapes.py``) only.
"""

from __future__ import annotations

import pytest
from manim import tempconfig
from manim.renderer.cairo_renderer import CairoRenderer
from manim.utils.testing.frames_comparison import (
    _config_test,
    _control_data_path,
    _make_test_comparing_frames,
)

from softmax_video.core.chapters import CHAPTERS
from softmax_video.core.params import CONFIG_ENV_VAR

pytestmark = pytest.mark.render

#: Control data folder (under ``control_data/``) and the portrait size (width, height).
MODULE = "shapes"
SIZE = (144, 256)


@pytest.fixture(scope="module")
def tex_dir(tmp_path_factory: pytest.TempPathFactory):
    """One LaTeX cache for the module's renders (chapters share formulas)."""
    return tmp_path_factory.mktemp("tex")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.name)
def test_portrait_last_frame(chapter, request, tex_dir, monkeypatch):
    monkeypatch.delenv(CONFIG_ENV_VAR, raising=False)
    scene_class = chapter.scene_class()
    setting = request.config.getoption("--set_test")
    name = chapter.module.rsplit(".", 1)[-1] + "_portrait"
    width, height = SIZE
    test = _make_test_comparing_frames(
        file_path=_control_data_path(__file__, MODULE, name, setting),
        base_scene=scene_class,
        construct=scene_class.construct,
        renderer_class=CairoRenderer,
        is_set_test_data_test=setting,
        last_frame=True,
        show_diff=request.config.getoption("--show_diff"),
        size_frame=(height, width),
    )
    config = {
        **_config_test(True),
        "pixel_width": width,
        "pixel_height": height,
        "frame_rate": 1,
        "dry_run": True,
        "text_dir": tex_dir,
        "tex_dir": tex_dir,
    }
    with tempconfig(config):
        test()
