"""Stills of a beat or a moment: the frame a full render shows there, bit for bit.

The reference frames are written losslessly by manim itself (``--format
png-sequence``), with the scene stopped at the end of the beat
(``$SOFTMAX_VIDEO_STOP_AFTER_BEAT`` without ``-s``): manim draws frames in order and a
scene cannot know where it will be stopped, so these are the first frames of a full
render, and the last of them is the beat's last frame. The still comes from the
command line (``render --beat`` / ``--at``), which skips every play before.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from softmax_video.cli import render
from softmax_video.cli.main import main
from softmax_video.core.chapters import find_chapter

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FPS = 5
TINY = ("--resolution", "256x144", "--fps", str(FPS))
#: Silent: the beats' lengths do not depend on a speech engine being installed.
CONFIG = '[voice]\nengine = "none"\n'


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "softmax_video", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def reference_frames(chapter: str, beat: str, folder: Path, config: Path) -> list[Path]:
    """Every frame of a render up to the end of ``beat``, as png files in order."""
    env = dict(os.environ, SOFTMAX_VIDEO_CONFIG=str(config))
    env[render.STOP_AFTER_BEAT_ENV] = beat
    command = [
        sys.executable, "-m", "manim", "render", find_chapter(chapter).source_file, chapter,
        "--format", "png-sequence", "-r", "256,144", "--fps", str(FPS), "--disable_caching",
        "--media_dir", str(folder), "--progress_bar", "none", "-v", "WARNING",
    ]  # fmt: skip
    result = subprocess.run(
        command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-3000:]
    frames = sorted((folder / "images").rglob("[0-9]*.png"))
    assert len(frames) > 10
    return frames


def pixels(path: Path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGB")).astype(int)


def still(chapter: str, folder: Path, config: Path, *option: str) -> Path:
    result = run_cli(
        "render", chapter, *option, *TINY, "--config", str(config),
        "--output", str(folder), "--quiet",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return Path(result.stdout.strip().splitlines()[-1])


#: (chapter, beat, a frame in the middle of a play of that beat or before it).
CASES = {
    "2D": ("SoftmaxBars", "exponentiate", 17),  # the bars growing
    "3D": ("TwoClassSurfaces", "diagonal", 40),  # the camera moving to the overview
}


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory):
    """``reference(case)``: (frames up to the beat's end, config file), rendered once."""
    made: dict[str, tuple[list[Path], Path]] = {}

    def get(case: str) -> tuple[list[Path], Path]:
        if case not in made:
            folder = tmp_path_factory.mktemp(case)
            config = folder / "config.toml"
            config.write_text(CONFIG, encoding="utf-8")
            chapter, beat, _ = CASES[case]
            made[case] = reference_frames(chapter, beat, folder / "reference", config), config
        return made[case]

    return get


@pytest.mark.render
@pytest.mark.parametrize("case", ["2D", "3D"])
def test_still_of_a_beat_equals_the_full_render(case, reference, tmp_path):
    chapter, beat, _ = CASES[case]
    frames, config = reference(case)
    at_beat = still(chapter, tmp_path, config, "--beat", beat)
    assert at_beat.name == f"{find_chapter(chapter).number:02d}-{chapter}.beat-{beat}.png"
    assert np.array_equal(pixels(at_beat), pixels(frames[-1]))


@pytest.mark.render
@pytest.mark.parametrize("case", ["2D", "3D"])
def test_still_of_a_moment_equals_the_full_render(case, reference, tmp_path):
    chapter, _, inside = CASES[case]
    frames, config = reference(case)
    expected = pixels(frames[inside])
    assert not np.array_equal(expected, pixels(frames[inside + 1])), "pick a moving frame"
    at_moment = still(chapter, tmp_path, config, "--at", str(inside / FPS))
    assert at_moment.name.endswith(f".at-{inside / FPS:g}s.png")
    assert np.array_equal(pixels(at_moment), expected)


def test_a_still_key_names_its_moment():
    """Stills of different moments have their own files and keys; a video has neither."""
    from softmax_video.core.params import load_config

    chapter, config = find_chapter("SoftmaxBars"), load_config()
    stills = [
        render.RenderSettings.from_options("preview", format="png", **moment)
        for moment in ({}, {"beat": "logits"}, {"beat": "lower"}, {"at": 1.0}, {"at": 1.5})
    ]
    keys = {render.render_key(chapter, config, s, "code") for s in stills}
    names = {render.output_path(Path("media"), chapter, s).name for s in stills}
    assert len(keys) == len(names) == len(stills)
    assert "02-SoftmaxBars.png" in names


def one_line_error(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_:
        main(list(args))
    assert exit_.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("softmax-video: error: ")
    return lines[0]


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--beat", "nope"], ['--beat = "nope"', "SoftmaxBars", "allowed: logits, exponentiate"]),
        (["--beat", "Logits"], ['--beat = "Logits"', "allowed: logits"]),
        (["--at", "-1"], ['--at = "-1"', ">= 0"]),
        (["--at", "nan"], ['--at = "nan"', ">= 0"]),
        (["--at", "inf"], ['--at = "inf"', ">= 0"]),
        (["--at", "soon"], ['--at = "soon"', "seconds"]),
        (["--at", "1", "--beat", "logits"], ["--at", "not both"]),
        (["--beat", "logits", "--format", "mp4"], ['--format = "mp4"', "allowed: png"]),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else None,
)
def test_bad_beat_or_moment_is_one_line_and_exit_2(capsys, tmp_path, args, fragments):
    line = one_line_error(capsys, "render", "SoftmaxBars", *args, "--output", str(tmp_path))
    for fragment in fragments:
        assert fragment in line, line
    assert not any(tmp_path.iterdir()), "nothing renders"


def test_a_beat_must_exist_in_every_chapter(capsys, tmp_path):
    args = ["SoftmaxBars", "Temperature", "--beat", "logits", "--output", str(tmp_path)]
    line = one_line_error(capsys, "render", *args)
    assert "no such beat in Temperature" in line


def test_still_names_and_stop_variables():
    settings = render.RenderSettings.from_options("preview", format="png", at=2.0)
    assert settings.stop_env() == {render.STOP_AT_ENV: "2.0"}
    assert settings.manim_args()[-1] == "-s"
    beat = render.RenderSettings.from_options("preview", format="png", beat="a b")
    assert beat.stop_env() == {render.STOP_AFTER_BEAT_ENV: "a b"}
    assert beat.still_name == ".beat-a_b"
    assert render.RenderSettings.from_options("preview").stop_env() == {}


def test_stop_variables_are_the_scenes():
    from softmax_video.kit import lecture_scene

    assert render.STOP_AFTER_BEAT_ENV == lecture_scene.STOP_AFTER_BEAT_ENV
    assert render.STOP_AT_ENV == lecture_scene.STOP_AT_ENV
