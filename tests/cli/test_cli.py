"""The command line, run as a user runs it: a real subprocess of ``softmax-video``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

import av
import pytest
import srt

from softmax_video.cli.main import main
from softmax_video.core.chapters import CHAPTERS, find_chapter
from softmax_video.core.params import load_config
from videotools import is_blank, mean_abs_difference, probe

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TINY = ("--resolution", "256x144", "--fps", "5")


def run_cli(*args: str, cwd: Path = PROJECT_ROOT, env: dict | None = None, timeout: int = 900):
    return subprocess.run(
        [sys.executable, "-m", "softmax_video", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


@dataclass(frozen=True)
class Outcome:
    """Exit status and output of one in-process run of ``softmax-video``."""

    status: int
    stdout: str
    stderr: str


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> Outcome:
    """Run the real entry point in this process (faster than a subprocess for errors)."""
    capsys.readouterr()
    try:
        main(list(args))
        status = 0
    except SystemExit as exit_:
        status = exit_.code if isinstance(exit_.code, int) else 1
    captured = capsys.readouterr()
    return Outcome(status, captured.out, captured.err)


def assert_one_line_error(outcome: Outcome, *fragments: str, status: int = 2) -> str:
    """The run failed with ``status`` and one error line holding every fragment."""
    assert outcome.status == status, outcome.stderr
    lines = outcome.stderr.strip().splitlines()
    assert len(lines) == 1, outcome.stderr
    assert lines[0].startswith("softmax-video: error: "), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


# --------------------------------------------------------------------------- #
# Bad input: one line naming the key and what is allowed, exit 2, nothing written
# --------------------------------------------------------------------------- #

BAD_INPUTS = [
    (["render", "softmaxbar"], ["softmaxbar", "did you mean 'SoftmaxBars'"]),
    (["render"], ["name one or more chapters"]),
    (["render", "SoftmaxBars", "--set", "SoftmaxBars.logitz=[1,2]"], ["logitz", "logits"]),
    (["render", "SoftmaxBars", "--set", "Nope.x=1"], ["Nope", "unknown table"]),
    (["render", "SoftmaxBars", "--set", "SoftmaxBars.logits=[1,nan,2]"], ["logits[1]", "NaN"]),
    (["render", "SoftmaxBars", "--set", "SoftmaxBars.logits=[1,inf]"], ["logits[1]", "-inf"]),
    (["render", "SoftmaxBars", "--set", 'SoftmaxBars.logits="high"'], ["logits", "list"]),
    (["render", "SoftmaxBars", "--set", "SoftmaxBars.varied_class=9"], ["varied_class", "1 to 4"]),
    (
        ["render", "Temperature", "--set", "Temperature.low_temperature=-0.5"],
        ["low_temperature", ">= 0"],
    ),
    (["render", "Temperature", "--set", "Temperature.seed=1.5"], ["seed", "integer"]),
    (["render", "SoftmaxBars", "--set", "lecture.theme=blue"], ["lecture.theme", "dark, light"]),
    (["render", "SoftmaxBars", "--quality", "ultra"], ["--quality", "preview"]),
    (["render", "SoftmaxBars", "--resolution", "12xabc"], ["--resolution", "WIDTHxHEIGHT"]),
    (["render", "SoftmaxBars", "--config", "/no/such.toml"], ["--config", "cannot read"]),
    (["lecture", "--format", "png"], ["--format", "'mp4', 'webm', 'mov'"]),
    (["slides", "--all", "--format", "webm"], ["--format", "'mp4'"]),
    (["lecture", "--set", "render.format=png"], ["render.format", "mp4, webm, mov"]),
    (["render", "SoftmaxBars", "--set", "SoftmaxBars.logits=[1,2,3,4,5,6]"], ["2 to 5 items"]),
]


@pytest.mark.parametrize(("args", "expected"), BAD_INPUTS, ids=[" ".join(a) for a, _ in BAD_INPUTS])
def test_bad_input_is_one_line_and_exit_2(args, expected, tmp_path):
    result = run_cli(*args, "--output", str(tmp_path))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("softmax-video: error: ")
    for fragment in expected:
        assert fragment in lines[0]
    assert not any(tmp_path.iterdir()), "nothing may be written for bad input"


def test_unreadable_toml_names_the_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[SoftmaxBars]\nlogits = [1, 2]\npace = = 3\n")
    result = run_cli("render", "SoftmaxBars", "--config", str(bad))
    assert result.returncode == 2
    assert "line 3" in result.stderr and "bad.toml" in result.stderr


def test_list_shows_every_chapter_in_order():
    result = run_cli("list")
    assert result.returncode == 0, result.stderr
    positions = [result.stdout.index(f" {c.name} ") for c in CHAPTERS]
    assert positions == sorted(positions)
    for chapter in CHAPTERS:
        assert chapter.title in result.stdout


def test_config_round_trip(tmp_path):
    result = run_cli("config")
    assert result.returncode == 0, result.stderr
    assert load_config(data=tomllib.loads(result.stdout)) == load_config()
    saved = tmp_path / "my.toml"
    saved.write_text(result.stdout.replace("seed = 0", "seed = 7", 1))
    assert load_config(saved).chapter("Temperature").seed == 7


def test_config_shows_overrides():
    result = run_cli("config", "--set", "SoftmaxBars.logits=[0, 1000, -inf]")
    assert result.returncode == 0, result.stderr
    table = tomllib.loads(result.stdout)["SoftmaxBars"]
    assert table["logits"] == [0.0, 1000.0, float("-inf")]


# --------------------------------------------------------------------------- #
# Real renders at tiny size
# --------------------------------------------------------------------------- #


@pytest.mark.render
def test_set_override_changes_the_rendered_still(tmp_path):
    default = run_cli(
        "render", "SoftmaxBars", "--format", "png", *TINY, "--output", str(tmp_path / "a")
    )
    assert default.returncode == 0, default.stderr
    changed = run_cli(
        "render", "SoftmaxBars", "--format", "png", *TINY, "--output", str(tmp_path / "b"),
        "--set", "SoftmaxBars.logits=[3, -1, 0.5, 1000]",
    )  # fmt: skip
    assert changed.returncode == 0, changed.stderr
    still_a, still_b = (Path(r.stdout.strip().splitlines()[-1]) for r in (default, changed))
    frame_a, frame_b = (
        next(av.open(str(p)).decode(video=0)).to_ndarray(format="rgb24") for p in (still_a, still_b)
    )
    assert frame_a.shape == (144, 256, 3)
    assert not is_blank(frame_b)
    assert mean_abs_difference(frame_a, frame_b) > 1.0


@pytest.mark.render
def test_lecture_joins_chapters_with_markers_and_subtitles(tmp_path):
    names = ["SigmoidRecap", "ShiftInvariance"]
    result = run_cli("lecture", *names, *TINY, "--output", str(tmp_path), "--jobs", "2")
    assert result.returncode == 0, result.stderr
    video, subtitles, _, _, chapter_list = (Path(p) for p in result.stdout.split())
    clips = [tmp_path / "144p5" / f"{find_chapter(n).number:02d}-{n}.mp4" for n in names]
    clip_seconds = [probe(c).duration for c in clips]
    lecture = probe(video)
    assert abs(lecture.duration - sum(clip_seconds)) <= len(clips) / 5 + 1e-6
    with av.open(str(video)) as container:
        chapters = container.chapters()
    assert [c["metadata"]["title"] for c in chapters] == [
        f"{i}. {find_chapter(n).title}" for i, n in enumerate(names, 1)
    ]
    starts = [float(c["start"] * c["time_base"]) for c in chapters]
    assert starts[0] == 0 and abs(starts[1] - clip_seconds[0]) < 0.01
    # Subtitles of the second chapter are shifted by the first chapter's length.
    merged = list(srt.parse(subtitles.read_text()))
    second = list(srt.parse(clips[1].with_suffix(".srt").read_text()))
    first_count = len(merged) - len(second)
    shift = merged[first_count].start.total_seconds() - second[0].start.total_seconds()
    assert abs(shift - clip_seconds[0]) < 0.01
    assert chapter_list.read_text().splitlines()[0].startswith("00:00 1. ")
    # Both chapters' compiled LaTeX went to the shared store for later renders.
    shared = {p.name for p in (tmp_path / ".cache" / "tex").glob("*.svg")}
    for name in names:
        compiled = {p.name for p in (tmp_path / ".cache" / "144p5" / name / "Tex").glob("*.svg")}
        assert compiled and compiled <= shared


def test_shared_latex_copies_new_svgs_and_parsed_glyphs_only(tmp_path):
    from softmax_video.cli.render import _share_tex

    store, staging = tmp_path / "store", tmp_path / "staging" / "Tex"
    staging.mkdir(parents=True)
    (staging / "a.svg").write_text("<svg>a</svg>")
    (staging / "a.0123456789abcdef.parsed").write_bytes(b"glyphs")
    (staging / "a.tex").write_text("tex sources stay behind")
    _share_tex(staging, store)
    assert sorted(p.name for p in store.iterdir()) == ["a.0123456789abcdef.parsed", "a.svg"]
    (store / "b.svg").write_text("<svg>b</svg>")
    (staging / "a.svg").write_text("<svg>changed</svg>")
    _share_tex(store, staging)  # seeding a render: only what it lacks
    assert (staging / "b.svg").read_text() == "<svg>b</svg>"
    assert (staging / "a.svg").read_text() == "<svg>changed</svg>"
    _share_tex(tmp_path / "missing", store)  # a render that compiled nothing
    assert sorted(p.name for p in store.iterdir()) == [
        "a.0123456789abcdef.parsed", "a.svg", "b.svg",
    ]  # fmt: skip


@pytest.mark.render
def test_rerender_of_unchanged_chapter_is_reused(tmp_path):
    first = run_cli("render", "SigmoidRecap", *TINY, "--output", str(tmp_path))
    assert first.returncode == 0, first.stderr
    clip = Path(first.stdout.split()[0])
    before = clip.stat()
    again = run_cli("render", "sigmoid_recap", "SigmoidRecap", *TINY, "--output", str(tmp_path))
    assert again.returncode == 0, again.stderr
    assert "reused" in again.stderr
    assert again.stdout.split() == first.stdout.split()  # asked twice, rendered once
    after = clip.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)  # untouched


@pytest.mark.render
def test_interrupted_render_keeps_previous_output(tmp_path):
    first = run_cli("render", "SigmoidRecap", *TINY, "--output", str(tmp_path))
    assert first.returncode == 0, first.stderr
    video = Path(first.stdout.split()[0])
    before = video.read_bytes()
    started = time.time()
    process = subprocess.Popen(
        [sys.executable, "-m", "softmax_video", "render", "SigmoidRecap", *TINY, "--force",
         "--output", str(tmp_path)],
        cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    # Interrupt once the render is under way (its first new animation clip is written),
    # not after a fixed time: renders have become fast enough to finish in one.
    partial_clips = tmp_path / ".cache"
    deadline = started + 120
    while process.poll() is None and time.time() < deadline:
        if any(
            clip.stat().st_mtime > started
            for clip in partial_clips.rglob("partial_movie_files/**/*.mp4")
        ):
            break
        time.sleep(0.02)
    assert process.poll() is None, "the render finished before it could be interrupted"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert video.read_bytes() == before
    assert not list(video.parent.glob(".*.tmp*"))


# --------------------------------------------------------------------------- #
# --voice, and what the render key covers
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("command", ["render", "lecture", "slides"])
def test_voice_option_is_the_voice_engine_override(command, capsys, monkeypatch):
    import softmax_video.cli.main

    seen = {}

    def stop(chapters, config, settings, renderer=None, **options):
        seen["engine"] = config.voice.engine
        raise SystemExit(0)

    monkeypatch.setattr(softmax_video.cli.main, "_run_renders", stop)
    outcome = run_main(capsys, command, "SoftmaxBars", "--voice", "espeak-ng")
    assert outcome.status == 0, outcome.stderr
    assert seen["engine"] == "espeak-ng"
    bad = run_main(capsys, command, "SoftmaxBars", "--voice", "loud")
    assert_one_line_error(bad, "--voice", "auto", "piper", "espeak-ng", "none")


def test_render_key_covers_voice_narration_and_the_voice_variable(monkeypatch):
    from softmax_video.cli.render import RenderSettings, render_key

    chapter, settings = find_chapter("SoftmaxBars"), RenderSettings(256, 144, 5)
    base = render_key(chapter, load_config(), settings, "code")
    beat = load_config().chapter("SoftmaxBars").beat_names(load_config().lecture)[0]
    changed = [
        load_config(None, ["voice.engine=none"]),
        load_config(None, ["voice.speed=1.5"]),
        load_config(None, [f"narration.SoftmaxBars.{beat}=Another sentence."]),
    ]
    keys = {render_key(chapter, config, settings, "code") for config in changed}
    assert base not in keys and len(keys) == len(changed)
    # Another chapter's narration does not touch this chapter's key.
    other = load_config(None, ["narration.SigmoidRecap.curve=Another sentence."])
    assert render_key(chapter, other, settings, "code") == base
    monkeypatch.setenv("SOFTMAX_VIDEO_VOICE", "espeak-ng")
    assert render_key(chapter, load_config(), settings, "code") != base


def test_code_fingerprint_covers_softmax_video_but_its_cli(tmp_path, monkeypatch):
    import softmax_video.cli.render

    root = tmp_path / "project"
    for relative in ("scenes/a.py", "softmax_math/b.py", "softmax_video/engine/c.py",
                     "softmax_video/cli/d.py", "softmax_video/cli/main.py"):  # fmt: skip
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text("x = 1\n")
    monkeypatch.setattr(softmax_video.cli.render, "PROJECT_ROOT", root)
    base = softmax_video.cli.render.code_fingerprint()
    for relative, counts in [
        ("softmax_video/engine/c.py", True),
        ("softmax_math/b.py", True),
        ("softmax_video/cli/d.py", False),
        ("softmax_video/cli/main.py", False),
    ]:
        (root / relative).write_text("x = 2\n")
        assert (softmax_video.cli.render.code_fingerprint() != base) is counts, relative
        (root / relative).write_text("x = 1\n")
