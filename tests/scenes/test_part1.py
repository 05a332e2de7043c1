"""Part 1 chapters (sigmoid to softmax, 2D): graphical regression and logic tests.

The graphical tests compare each chapter's last frame with committed control data
(``--set_test`` rewrites it). The logic tests render scenes in-process with manim's
dry run (animations skipped, final state kept) and check what is drawn against
:mod:`softmax_math`.
"""

from __future__ import annotations

import numpy as np
import pytest
from manim import tempconfig
from manim.utils.testing.frames_comparison import frames_comparison

from scenes.sigmoid_recap import SigmoidRecap
from scenes.sigmoid_to_softmax import SigmoidToSoftmax, two_class_curves
from softmax_math import sigmoid, sigmoid_derivative
from softmax_video.core.params import CONFIG_ENV_VAR
from videotools import is_blank

__module_test__ = "part1"

#: In-process still size for the logic tests.
STILL = {"pixel_width": 427, "pixel_height": 240, "frame_rate": 5}


# --------------------------------------------------------------------------- #
# Graphical regression: the last frame of each chapter
# --------------------------------------------------------------------------- #


@pytest.fixture(autouse=True)
def default_config(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts from the default configuration (no user TOML)."""
    monkeypatch.delenv(CONFIG_ENV_VAR, raising=False)


@frames_comparison(base_scene=SigmoidRecap)
def test_sigmoid_recap(scene):
    SigmoidRecap.construct(scene)


@frames_comparison(base_scene=SigmoidToSoftmax)
def test_sigmoid_to_softmax(scene):
    SigmoidToSoftmax.construct(scene)


# --------------------------------------------------------------------------- #
# In-process renders
# --------------------------------------------------------------------------- #


def render_still(scene_class, tmp_path, monkeypatch, toml: str = "", **size):
    """Run ``scene_class`` with the dry run (final state) and return it and its last frame."""
    if toml:
        path = tmp_path / "config.toml"
        path.write_text(toml, encoding="utf-8")
        monkeypatch.setenv(CONFIG_ENV_VAR, str(path))
    with tempconfig({"dry_run": True, "disable_caching": True, **STILL, **size}):
        scene = scene_class(skip_animations=True)
        scene.render()
        scene.renderer.update_frame(scene)
        frame = np.array(scene.renderer.get_frame())[..., :3]
    return scene, frame


# --------------------------------------------------------------------------- #
# SigmoidRecap and SigmoidToSoftmax
# --------------------------------------------------------------------------- #


def test_sigmoid_recap_bars_and_tangent(tmp_path, monkeypatch):
    scene, frame = render_still(SigmoidRecap, tmp_path, monkeypatch)
    x = scene.x_shown()
    s = float(sigmoid(x))
    assert scene.bars.displayed_values() == pytest.approx([s, 1 - s])
    start, end = (scene.axes.p2c(pt) for pt in (scene.tangent.get_start(), scene.tangent.get_end()))
    slope = (end[1] - start[1]) / (end[0] - start[0])
    assert slope == pytest.approx(float(sigmoid_derivative(x)), rel=1e-6)
    assert not is_blank(frame)


def test_two_class_softmax_curve_lies_on_the_shifted_sigmoid(tmp_path, monkeypatch):
    scene, _ = render_still(SigmoidToSoftmax, tmp_path, monkeypatch)
    z2 = scene.params.fixed_logit
    points = scene.soft_curve.get_anchors()
    coords = np.array([scene.axes.p2c(pt) for pt in points])
    assert coords[:, 1] == pytest.approx(sigmoid(coords[:, 0] - z2), abs=1e-9)
    soft, sig = two_class_curves(np.linspace(-30, 30, 61), z2)
    assert soft == pytest.approx(sig, abs=1e-15)
