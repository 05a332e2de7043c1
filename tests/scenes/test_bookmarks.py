"""Bookmarks: an animation placed at a spoken word starts when the voice says it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import av

from softmax_video.core.params import CONFIG_ENV_VAR
from softmax_video.kit.narrator import CACHE_ENV, VOICE_ENV

ROOT = Path(__file__).resolve().parents[2]
FPS = 10
SENTENCE = "One two three four <mark:five> five six seven eight."

SCENE = f"""
from manim import WHITE, Square
from softmax_video.kit.lecture_scene import LectureScene


class Marked(LectureScene):
    chapter_name = "SoftmaxBars"

    def construct(self):
        with self.beat("logits", {SENTENCE!r}):
            self.wait(0.1)
            self.at_mark("five")
            self.add(Square(color=WHITE, fill_opacity=1).scale(2))
            self.wait(0.3)
"""


def render_marked(tmp_path: Path, settings: str, scene: str = SCENE):
    """Render the marked scene with ``settings`` (TOML) in a manim process: its result,
    and when it succeeded, when the square first shows (s) and the video's path."""
    module = tmp_path / "marked.py"
    module.write_text(scene)
    config = tmp_path / "settings.toml"
    config.write_text(settings)
    env = {**os.environ, CONFIG_ENV_VAR: str(config), CACHE_ENV: str(tmp_path / "cache")}
    env.pop(VOICE_ENV, None)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    command = [sys.executable, "-m", "manim", "-r", "128,72", "--fps", str(FPS)]
    command += ["--media_dir", str(tmp_path / "media"), str(module), "Marked"]
    result = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True)
    if result.returncode:
        return result, None, None
    (video,) = (tmp_path / "media").rglob("Marked.mp4")
    with av.open(str(video)) as container:
        frames = container.decode(video=0)
        shown = [(f.to_ndarray(format="gray") > 200).mean() > 0.05 for f in frames]
    return result, shown.index(True) / FPS, video


def test_a_mark_holds_the_animation_until_its_word(tmp_path):
    result, appears, video = render_marked(tmp_path, '[voice]\nengine = "espeak-ng"\n')
    assert result.returncode == 0, result.stderr[-3000:]
    (entry,) = (json.loads(p.read_text()) for p in (tmp_path / "cache").glob("*.json"))
    words = [w for w, _, _ in entry["words"]]
    assert words[4] == "five"
    said_at = entry["words"][4][1]
    assert said_at > 0.5  # the mark is well into the sentence
    assert abs(appears - said_at) <= 1 / FPS + 1e-6, (appears, said_at)
    # The mark is neither said nor captioned.
    assert "mark" not in " ".join(words)
    assert "mark" not in video.with_suffix(".srt").read_text()


def test_a_configured_sentence_without_the_mark_still_renders(tmp_path):
    # A lecturer rewriting a beat's sentence cannot know the chapter's marks: the
    # animation then follows the one before it instead of failing the render.
    settings = '[voice]\nengine = "espeak-ng"\n[narration.SoftmaxBars]\nlogits = "My own words."\n'
    result, appears, video = render_marked(tmp_path, settings)
    assert result.returncode == 0, result.stderr[-3000:]
    assert abs(appears - 0.1) <= 1 / FPS + 1e-6
    assert "My own words." in video.with_suffix(".srt").read_text()


def test_a_chapter_asking_for_a_mark_its_own_sentence_lacks_fails(tmp_path):
    # A typo in a chapter's own mark is the author's bug: it must not pass silently.
    typo = SCENE.replace('self.at_mark("five")', 'self.at_mark("fiev")')
    result, _, _ = render_marked(tmp_path, '[voice]\nengine = "none"\n', typo)
    assert result.returncode != 0
    assert "no bookmark 'fiev'" in result.stderr + result.stdout
