"""Reliability of the command line on a real machine: concurrent runs into one folder,
impossible or read-only output places, a full disk, missing programs and Ctrl-C.

Every test runs ``softmax-video`` as a real subprocess with real manim renders at
tiny size (no mocks); file-system limits are real too (a small tmpfs, a read-only
mount, ``RLIMIT_FSIZE``). Tests that need ``mount`` skip with the reason where it is
not permitted.
"""

from __future__ import annotations

import fcntl
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import srt

from softmax_video.cli.assemble import LOCK_NAME, LectureClip, assemble_lecture
from softmax_video.cli.render import (
    RenderSettings,
    code_fingerprint,
    key_file,
    output_path,
    render_chapters,
    render_key,
)
from softmax_video.core.chapters import find_chapter
from softmax_video.core.params import load_config
from videotools import is_blank, mean_abs_difference, sample_frames

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TINY = ("--resolution", "256x144", "--fps", "5")
SETTINGS = RenderSettings(256, 144, 5)
CHAPTER = find_chapter("SoftmaxBars")

#: Two configurations whose frames differ clearly.
LOGITS = {
    "x": "SoftmaxBars.logits=[3, -1, 0.5, 2]",
    "y": "SoftmaxBars.logits=[-2, 4, 1, 0]",
}

#: A published frame matches its configuration's reference within coding noise, and
#: differs from the other configuration's by much more.
SAME_FRAME = 0.5
OTHER_FRAME = 2.0


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "softmax_video", *args]


def start_cli(*args: str, **options) -> subprocess.Popen:
    return subprocess.Popen(
        command(*args), cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, **options,
    )  # fmt: skip


def run_cli(*args: str, env: dict | None = None, timeout: int = 600, **options):
    return subprocess.run(
        command(*args), cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=timeout,
        env=env, **options,
    )  # fmt: skip


def error_lines(stderr: str) -> list[str]:
    """The lines the command wrote about errors (not progress, not waiting for a lock)."""
    return [
        line
        for line in stderr.splitlines()
        if line.startswith("softmax-video: ") and not line.startswith("softmax-video: waiting")
    ]


def assert_one_line(result, status: int, *fragments: str) -> str:
    """``result`` exited ``status`` with one error line (plus at most its log line)."""
    assert result.returncode == status, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    lines = error_lines(result.stderr)
    assert lines and lines[0].startswith("softmax-video: error: "), result.stderr
    assert len(lines) == 1 or (len(lines) == 2 and lines[1].startswith("softmax-video: full log:"))
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def logged_path(stderr: str) -> Path | None:
    for line in error_lines(stderr):
        if line.startswith("softmax-video: full log: "):
            return Path(line.removeprefix("softmax-video: full log: ").strip())
    return None


def leftovers(output: Path) -> list[Path]:
    """Run folders, pin folders and temporary files a finished command must not leave."""
    cache = output / ".cache"
    found = [*cache.glob("*/*/run-*"), *cache.glob("pins-*")] if cache.is_dir() else []
    return found + [p for p in output.rglob(".*.tmp*")]


def processes_mentioning(text: str) -> list[int]:
    """Processes whose command line contains ``text`` (e.g. an output folder)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            line = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if text in line:
            found.append(int(entry.name))
    return found


def telling_frame(video: Path) -> np.ndarray:
    """A frame in the middle of the video, where the logits' bars fill the picture (the last
    frame shows the takeaway card over dimmed bars)."""
    frames = sample_frames(video, 3)
    return frames[len(frames) // 2]


def keys() -> dict[str, str]:
    """The render key of each configuration of :data:`LOGITS`, as the CLI computes it."""
    code = code_fingerprint()
    return {
        name: render_key(CHAPTER, load_config(None, [override]), SETTINGS, code)
        for name, override in LOGITS.items()
    }


@pytest.fixture(scope="module")
def references(tmp_path_factory):
    """Each configuration of :data:`LOGITS` rendered alone: {name: published video}."""
    base = tmp_path_factory.mktemp("references")
    outputs = {name: base / name for name in LOGITS}
    processes = [
        start_cli(
            "render",
            "SoftmaxBars",
            *TINY,
            "--jobs",
            "1",
            "--quiet",
            "--set",
            LOGITS[name],
            "--output",
            str(outputs[name]),
        )
        for name in LOGITS
    ]
    for process in processes:
        _, err = process.communicate(timeout=600)
        assert process.returncode == 0, err
    videos = {name: output_path(outputs[name], CHAPTER, SETTINGS) for name in LOGITS}
    frames = {name: telling_frame(video) for name, video in videos.items()}
    assert not is_blank(frames["x"])
    assert mean_abs_difference(frames["x"], frames["y"]) > 2 * OTHER_FRAME
    return videos


def configuration_of(video: Path, references: dict[str, Path]) -> str:
    """Which configuration's frames ``video`` shows (asserting it is clearly one)."""
    frame = telling_frame(video)
    distance = {
        name: mean_abs_difference(frame, telling_frame(ref)) for name, ref in references.items()
    }
    name = min(distance, key=distance.get)
    others = [d for n, d in distance.items() if n != name]
    assert distance[name] < SAME_FRAME and min(others) > OTHER_FRAME, distance
    return name


def assert_published_set_matches_key(output: Path, references: dict[str, Path]) -> str:
    """The published video, subtitles and sections all belong to the key stored with them."""
    video = output_path(output, CHAPTER, SETTINGS)
    stored = key_file(video).read_text()
    by_key = {key: name for name, key in keys().items()}
    assert stored in by_key, "the stored key names neither configuration"
    name = by_key[stored]
    assert configuration_of(video, references) == name, "video and key disagree"
    reference = references[name]
    assert video.with_suffix(".srt").read_text() == reference.with_suffix(".srt").read_text()
    sections = video.parent / "sections" / CHAPTER.name
    reference_sections = reference.parent / "sections" / CHAPTER.name
    index = f"{CHAPTER.name}.json"
    assert (sections / index).read_text() == (reference_sections / index).read_text()
    return name


# --------------------------------------------------------------------------- #
# 1. Concurrent runs into one output folder
# --------------------------------------------------------------------------- #


def run_pairs(pairs: int, output: Path, references) -> list[str]:
    """Run ``pairs`` pairs of renders with different logits into ``output`` at once."""
    published = []
    for _ in range(pairs):
        runs = [
            start_cli(
                "render",
                "SoftmaxBars",
                *TINY,
                "--jobs",
                "1",
                "--force",
                "--set",
                override,
                "--output",
                str(output),
            )
            for override in LOGITS.values()
        ]
        results = [(run, *run.communicate(timeout=600)) for run in runs]
        for run, stdout, stderr in results:
            assert run.returncode == 0, stderr
            assert stdout.split()[-1] == str(output_path(output, CHAPTER, SETTINGS))
        published.append(assert_published_set_matches_key(output, references))
        assert not leftovers(output), leftovers(output)
        # A later render of the published configuration reuses the file (it is its own).
        again = run_cli(
            "render", "SoftmaxBars", *TINY, "--jobs", "1", "--set", LOGITS[published[-1]],
            "--output", str(output),
        )  # fmt: skip
        assert again.returncode == 0, again.stderr
        assert "reused" in again.stderr, again.stderr
    return published


@pytest.mark.render
def test_concurrent_renders_publish_files_that_match_their_key(references, tmp_path):
    run_pairs(2, tmp_path, references)


@pytest.mark.slow
def test_many_concurrent_renders_publish_files_that_match_their_key(references, tmp_path):
    run_pairs(8, tmp_path, references)


@pytest.mark.render
def test_lecture_joins_the_clips_its_own_run_resolved(references, tmp_path):
    """Another run publishes different frames under the clip's name after this run
    resolved it; the lecture still holds this run's clip."""
    shutil.copytree(references["x"].parent.parent, tmp_path, dirs_exist_ok=True)
    config = load_config(None, [LOGITS["x"]])
    results = render_chapters([CHAPTER], config, SETTINGS, tmp_path)
    assert results[0].ok, results[0].error  # reused (or rendered again if the code changed)
    other = run_cli(
        "render", "SoftmaxBars", *TINY, "--jobs", "1", "--set", LOGITS["y"],
        "--output", str(tmp_path),
    )  # fmt: skip
    assert other.returncode == 0, other.stderr
    assert configuration_of(results[0].output, references) == "y"  # replaced under its name
    target = tmp_path / "lecture" / "own.mp4"
    files = assemble_lecture(
        [LectureClip(CHAPTER.title, results[0].output, results[0].subtitles)], target
    )
    assert configuration_of(files.video, references) == "x"
    own = list(srt.parse(references["x"].with_suffix(".srt").read_text()))
    joined = list(srt.parse(files.subtitles.read_text()))
    assert [s.content for s in joined] == [s.content for s in own]


@pytest.mark.render
def test_a_held_lock_makes_a_run_wait_then_busy(references, tmp_path):
    shutil.copytree(references["x"].parent.parent, tmp_path, dirs_exist_ok=True)
    folder = tmp_path / SETTINGS.profile
    args = ("render", "SoftmaxBars", *TINY, "--set", LOGITS["x"], "--output", str(tmp_path))
    with open(folder / LOCK_NAME, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        busy = run_cli(*args, env=dict(os.environ, SOFTMAX_VIDEO_LOCK_WAIT="1"))
        assert f"waiting for another render into {folder}" in busy.stderr
        assert_one_line(busy, 1, "busy", str(folder))
        process = start_cli(*args)
        time.sleep(3)
        assert process.poll() is None, "the run did not wait for the lock"
    _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "waiting for another render into" in err


# --------------------------------------------------------------------------- #
# 2. Output places that cannot be written
# --------------------------------------------------------------------------- #


def test_output_below_a_regular_file_is_one_line_exit_2(tmp_path):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file, not a folder")
    result = run_cli("render", "SoftmaxBars", *TINY, "--quiet", "--output", str(blocker / "out"))
    assert_one_line(result, 2, str(blocker), "not a folder")
    assert blocker.read_text() == "a file, not a folder"


def test_output_that_is_a_regular_file_is_one_line_exit_2(tmp_path):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file, not a folder")
    result = run_cli("render", "SoftmaxBars", *TINY, "--quiet", "--output", str(blocker))
    assert_one_line(result, 2, "notes.txt")


@pytest.fixture
def mounted(tmp_path):
    """``mounted(options)`` mounts a tmpfs with ``options`` and returns its folder."""
    folders = []

    def mount(options: str) -> Path:
        folder = tmp_path / f"mount{len(folders)}"
        folder.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
            capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip() or done.returncode}")
        folders.append(folder)
        return folder

    yield mount
    for folder in folders:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


@pytest.mark.parametrize("below", [False, True], ids=["folder", "new-subfolder"])
def test_read_only_output_is_one_line_exit_1(mounted, below):
    folder = mounted("size=1m,ro")
    output = folder / "out" if below else folder
    result = run_cli("render", "SoftmaxBars", *TINY, "--quiet", "--output", str(output))
    assert_one_line(result, 1, "read-only", str(folder))


# --------------------------------------------------------------------------- #
# 3. A full disk, a file size limit
# --------------------------------------------------------------------------- #


def fill(folder: Path, leave: int = 0) -> Path:
    """Fill ``folder``'s file system, then give back ``leave`` bytes."""
    filler = folder / "filler"
    block = b"\0" * (1 << 16)
    # Unbuffered: a buffered file would try its unwritten rest again on close and raise there.
    with open(filler, "wb", buffering=0) as stream:
        try:
            while True:
                stream.write(block)
        except OSError:
            pass
    size = filler.stat().st_size
    os.truncate(filler, max(0, size - leave))
    return filler


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.name != LOCK_NAME
    }


@pytest.mark.render
def test_full_disk_keeps_old_files_and_says_so(mounted):
    disk = mounted("size=6m")
    output = disk / "media"
    first = run_cli("lecture", "SoftmaxBars", *TINY, "--jobs", "1", "--output", str(output))
    assert first.returncode == 0, first.stderr
    # Without its key the published lecture is not reused: the next run must join again.
    (output / "lecture" / SETTINGS.profile / "softmax-lecture.mp4.key").unlink()
    published = {name: snapshot(output / name / SETTINGS.profile) for name in (".", "lecture")}

    filler = fill(disk)
    joined = run_cli("lecture", "SoftmaxBars", *TINY, "--jobs", "1", "--output", str(output))
    line = assert_one_line(joined, 1, "disk is full")
    assert "lecture" in line
    assert not leftovers(output), leftovers(output)

    # Room for the render to start, not to finish: manim runs out of space.
    filler.unlink()
    fill(disk, leave=400_000)
    rendered = run_cli(
        "render", "SoftmaxBars", *TINY, "--jobs", "1", "--force", "--output", str(output)
    )
    assert_one_line(rendered, 1, "disk is full")
    log = logged_path(rendered.stderr)
    assert log is not None and log.is_file(), rendered.stderr
    assert not leftovers(output), leftovers(output)
    for name, files in published.items():
        assert snapshot(output / name / SETTINGS.profile) == files, f"{name} changed"


@pytest.mark.render
def test_file_size_limit_stops_with_one_line(tmp_path):
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (60_000, 60_000))

    result = run_cli(
        "render", "SoftmaxBars", *TINY, "--jobs", "1", "--output", str(tmp_path),
        preexec_fn=limit,
    )  # fmt: skip
    assert_one_line(result, 1, "file size limit")
    log = logged_path(result.stderr)
    assert log is not None and "File too large" in log.read_text()
    assert not output_path(tmp_path, CHAPTER, SETTINGS).exists()
    assert not leftovers(tmp_path), leftovers(tmp_path)


# --------------------------------------------------------------------------- #
# 4. Missing programs; 6. a failing manim names the chapter and its log
# --------------------------------------------------------------------------- #


def path_with(tmp_path: Path, programs: dict[str, str]) -> str:
    """A PATH of the venv's bin and a folder of ``programs`` (name -> real program)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for name, real in programs.items():
        (folder / name).symlink_to(real)
    return f"{folder}:{Path(sys.executable).parent}"


def test_missing_latex_is_named_with_the_setup_command(tmp_path):
    dvisvgm = shutil.which("dvisvgm")
    assert dvisvgm, "the test machine has dvisvgm (bootstrap installs it)"
    env = dict(os.environ, PATH=path_with(tmp_path, {"dvisvgm": dvisvgm}))
    output = tmp_path / "out"
    started = time.monotonic()
    result = run_cli("render", "SoftmaxBars", *TINY, "--quiet", "--output", str(output), env=env)
    line = assert_one_line(result, 1, "latex not found", "make video", "tools/bootstrap.sh")
    assert "dvisvgm not found" not in line
    assert time.monotonic() - started < 30, "the check runs before any render"
    assert not output_path(output, CHAPTER, SETTINGS).exists()


@pytest.mark.render
def test_broken_latex_fails_naming_the_chapter_and_log(tmp_path):
    env = dict(
        os.environ,
        PATH=path_with(tmp_path, {"latex": "/bin/false", "dvisvgm": shutil.which("dvisvgm")}),
    )
    output = tmp_path / "out"
    result = run_cli("render", "SoftmaxBars", *TINY, "--output", str(output), env=env)
    assert result.returncode == 1, result.stderr
    line = next(line for line in error_lines(result.stderr) if "failed" in line)
    assert line.startswith("softmax-video: SoftmaxBars failed: manim exited with status")
    log = Path(line.split("log: ")[-1].strip())
    assert log.is_file() and "latex" in log.read_text().lower()
    assert not output_path(output, CHAPTER, SETTINGS).exists()
    assert not leftovers(output), leftovers(output)


# --------------------------------------------------------------------------- #
# 5. Ctrl-C
# --------------------------------------------------------------------------- #


def _sigint_as_in_a_terminal() -> None:
    """SIGINT as a command started from a terminal gets it. A suite started in the
    background by a shell inherits SIGINT ignored, and so would the command (Python
    then installs no KeyboardInterrupt handler)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.render
@pytest.mark.parametrize("to", ["process", "group"], ids=["kill-INT-pid", "terminal-ctrl-c"])
def test_ctrl_c_stops_everything_and_publishes_nothing(to, tmp_path):
    """SIGINT to the command alone (``kill -INT``), or to its whole process group as a
    terminal's Ctrl-C does: exit 130 within seconds, nothing published, no run
    folders or temporary files, no manim process left."""
    output = tmp_path / "out"
    process = start_cli(
        "render", "SoftmaxBars", *TINY, "--jobs", "2", "--output", str(output),
        start_new_session=True, preexec_fn=_sigint_as_in_a_terminal,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    manim = []
    while process.poll() is None and time.monotonic() < deadline:
        manim = [p for p in processes_mentioning(str(output)) if p != process.pid]
        if len(manim) >= 2 and list(output.glob(".cache/*/*/run-*/share-1/render.log")):
            break
        time.sleep(0.05)
    assert process.poll() is None and manim, "manim never ran"
    time.sleep(1.0)  # well into the render
    assert process.poll() is None, "the render finished before it could be interrupted"
    interrupted = time.monotonic()
    if to == "group":
        os.killpg(process.pid, signal.SIGINT)
    else:
        os.kill(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert time.monotonic() - interrupted < 10
    assert process.returncode == 130, err
    assert "softmax-video: interrupted" in err and "Traceback" not in err, err
    assert not output_path(output, CHAPTER, SETTINGS).exists()
    assert not leftovers(output), leftovers(output)
    for _ in range(40):
        if not processes_mentioning(str(output)):
            break
        time.sleep(0.05)
    assert not processes_mentioning(str(output)), "manim processes outlived the command"
