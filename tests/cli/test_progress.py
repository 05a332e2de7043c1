"""Progress by frames: what the display shows against the frames of the video made."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from softmax_video.cli import render
from softmax_video.cli.render import FrameProgress, RenderSettings, render_chapters
from softmax_video.core.chapters import find_chapter
from softmax_video.core.params import load_config
from videotools import probe

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TINY = ("--resolution", "256x144", "--fps", "5")
CONFIG = '[voice]\nengine = "none"\n'


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "softmax_video", *args],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


@pytest.mark.render
def test_frame_totals_match_the_decoded_video(tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text(CONFIG, encoding="utf-8")
    output = tmp_path / "media"

    # Two processes share the chapter (--jobs 2): their frames are summed.
    shown = run_cli(
        "render", "SoftmaxBars", *TINY, "--jobs", "2", "--config", str(config),
        "--output", str(output),
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    video = Path(shown.stdout.strip())
    frames = probe(video).frame_count
    assert "SoftmaxBars: done (" in shown.stderr
    reported = re.search(r"SoftmaxBars: done \([\d.]+ s, (\d+) frames\)", shown.stderr)
    assert reported is not None, shown.stderr
    assert int(reported[1]) == frames
    log = (output / ".cache" / "144p5" / "SoftmaxBars" / "render.log").read_text()
    assert "it/s]" not in log and "\r" not in log, "the log holds no progress bars"

    # The next render of the same key knows its total from the start. (The code's
    # fingerprint is pinned: others may edit the checkout between two renders.)
    monkeypatch.setattr(render, "code_fingerprint", lambda: "pinned")
    settings = RenderSettings.from_options(resolution="256x144", fps=5)
    chapter = find_chapter("SoftmaxBars")
    runs: list[list[FrameProgress]] = []
    for _ in range(2):
        runs.append([])
        [result] = render_chapters(
            [chapter], load_config(config), settings, output,
            jobs=2, force=True, on_progress=runs[-1].append,
        )  # fmt: skip
        assert result.ok
        frames = probe(result.output).frame_count
        assert runs[-1][-1] == FrameProgress(chapter, frames, frames, True)
    first, second = runs
    assert not first[0].exact, "a new key's total is an estimate"
    assert second[0].exact and second[0].total == frames and second[0].done == 0
    for events in runs:
        dones = [e.done for e in events]
        assert dones == sorted(dones), "frames done never go back"
        assert all(e.done <= e.total for e in events)
        assert len(set(dones)) > 2, "the count moves while rendering"
    assert all(e.total == frames for e in second)


@pytest.mark.render
def test_quiet_prints_no_progress(tmp_path):
    quiet = run_cli("render", "SoftmaxBars", *TINY, "--output", str(tmp_path), "--quiet")
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == ""
    assert quiet.stdout.strip().endswith("02-SoftmaxBars.mp4")
