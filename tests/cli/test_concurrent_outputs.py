"""Two ``lecture`` runs, or two ``slides`` runs, with different settings into one output.

Each run joins or converts exactly what its own run resolved, and what is left
published is one consistent set: the lecture and its key name the same clips (a later
run with that configuration reuses it, the other configuration joins its own), and a
slide deck's page, videos and the chapter's published slides all show one
configuration. Real subprocesses, real renders at 128x72 and 2 frames per second,
decoded afterwards; nothing is mocked.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from softmax_video.cli.assemble import lecture_key_file
from softmax_video.cli.clips import last_frame
from softmax_video.cli.render import RenderSettings, code_fingerprint, render_key
from softmax_video.core.chapters import find_chapter
from softmax_video.core.params import load_config
from videotools import is_blank, mean_abs_difference

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TINY = ("--resolution", "128x72", "--fps", "2", "--voice", "none", "--jobs", "1")
SETTINGS = RenderSettings(128, 72, 2)
LECTURE = ("SigmoidRecap", "SoftmaxBars")
SLIDES_CHAPTER = find_chapter("SoftmaxBars")

#: Two configurations whose last frames differ clearly.
LOGITS = {
    "x": "SoftmaxBars.logits=[3, -1, 0.5, 2]",
    "y": "SoftmaxBars.logits=[-2, 4, 1, 0]",
}


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "softmax_video", *args],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> str:
    """Wait for ``process``; it must succeed. Returns its standard output."""
    out, err = process.communicate(timeout=900)
    assert process.returncode == 0, err[-3000:]
    assert "Traceback" not in err, err[-3000:]
    return out


def lecture_run(name: str, output: Path) -> subprocess.Popen[str]:
    return start("lecture", *LECTURE, *TINY, "--set", LOGITS[name], "--output", str(output))


def slides_run(name: str, output: Path) -> subprocess.Popen[str]:
    return start(
        "slides", SLIDES_CHAPTER.name, "--no-embed", *TINY, "--set", LOGITS[name],
        "--output", str(output),
    )  # fmt: skip


def lecture_file(output: Path) -> Path:
    return output / "lecture" / SETTINGS.profile / "softmax-lecture.mp4"


def leftovers(output: Path) -> list[Path]:
    """Run, pin and conversion folders and temporary files a finished run must not leave."""
    cache = output / ".cache"
    found = [*cache.glob("*/*/run-*"), *cache.glob("*/slides/*/run-*"), *cache.glob("pins-*")]
    found += [*cache.glob("*/slides/convert-*")]
    return found + list(output.rglob(".*.tmp*"))


def which(frame, references: dict[str, object]) -> str:
    """The configuration whose reference frame ``frame`` shows (clearly one of them)."""
    distance = {name: mean_abs_difference(frame, ref) for name, ref in references.items()}
    name = min(distance, key=distance.get)
    other = max(distance.values())
    assert distance[name] < other / 4, distance
    return name


@pytest.fixture(scope="module")
def code():
    """The code's fingerprint when the references were made."""
    return code_fingerprint()


def same_code(code: str) -> bool:
    """Whether the code is still ``code``: others edit this checkout, and a key compared
    with one made before an edit may differ for that reason alone."""
    return code_fingerprint() == code


@pytest.fixture(scope="module")
def lectures(tmp_path_factory):
    """Each configuration's lecture made alone: {name: (lecture, key, subtitles, last frame)}."""
    base = tmp_path_factory.mktemp("lectures")
    runs = {name: lecture_run(name, base / name) for name in LOGITS}
    found = {}
    for name, run in runs.items():
        finish(run)
        video = lecture_file(base / name)
        found[name] = (
            video,
            lecture_key_file(video).read_text(),
            video.with_suffix(".srt").read_text(),
            last_frame(video),
        )
    assert not is_blank(found["x"][3])
    assert mean_abs_difference(found["x"][3], found["y"][3]) > 1.0
    return found


def check_lecture(output: Path, lectures, code: str) -> str:
    """The published lecture, its key and its companions are one configuration's."""
    video = lecture_file(output)
    name = which(last_frame(video), {n: ref[3] for n, ref in lectures.items()})
    key = lecture_key_file(video).read_text()
    assert key == lectures[name][1] or not same_code(code), "lecture and key disagree"
    assert key not in {ref[1] for n, ref in lectures.items() if n != name}
    assert video.with_suffix(".srt").read_text() == lectures[name][2]
    assert not leftovers(output), leftovers(output)
    return name


def lecture_pairs(pairs: int, output: Path, lectures, code: str) -> None:
    for _ in range(pairs):
        runs = [lecture_run(name, output) for name in LOGITS]
        outs = [finish(run) for run in runs]
        for out in outs:
            assert str(lecture_file(output)) in out.split()
        published = check_lecture(output, lectures, code)
        # The same configuration again: the published lecture is its own, so it is reused.
        before = lecture_file(output).stat()
        finish(lecture_run(published, output))
        after = lecture_file(output).stat()
        if same_code(code):  # else its chapters render again, and may differ
            assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
        assert check_lecture(output, lectures, code) == published
        # The other configuration never takes it as its own: it joins its chapters.
        other = next(name for name in LOGITS if name != published)
        finish(lecture_run(other, output))
        assert check_lecture(output, lectures, code) == other


@pytest.mark.render
def test_two_lectures_at_once_leave_one_consistent_lecture(lectures, code, tmp_path):
    lecture_pairs(1, tmp_path, lectures, code)


@pytest.mark.slow
def test_many_lecture_pairs_leave_consistent_lectures(lectures, code, tmp_path):
    lecture_pairs(4, tmp_path, lectures, code)


# --------------------------------------------------------------------------- #
# Slides
# --------------------------------------------------------------------------- #


def slide_videos(output: Path) -> list[Path]:
    """The videos the published page plays, in slide order (each must exist)."""
    page = output / "slides" / SETTINGS.profile / "softmax-slides.html"
    sources = re.findall(r'data-background-video="([^"]+)"', page.read_text(encoding="utf-8"))
    videos = [page.parent / source for source in sources]
    assert videos and all(video.is_file() for video in videos), sources
    return videos


def slides_keys(code: str) -> dict[str, str]:
    return {
        name: render_key(
            SLIDES_CHAPTER, load_config(None, [override, "voice.engine=none"]), SETTINGS, code
        )
        for name, override in LOGITS.items()
    }


@pytest.mark.render
def test_two_slide_builds_at_once_publish_one_consistent_deck(lectures, code, tmp_path):
    runs = [slides_run(name, tmp_path) for name in LOGITS]
    for run in runs:
        finish(run)
    references = {name: ref[3] for name, ref in lectures.items()}
    # The page plays videos that were all published with it.
    assert which(last_frame(slide_videos(tmp_path)[-1]), references) in LOGITS
    # The chapter's published slides and their key agree with each other.
    chapter_dir = tmp_path / ".cache" / SETTINGS.profile / "slides" / SLIDES_CHAPTER.name
    by_key = {key: name for name, key in slides_keys(code_fingerprint()).items()}
    if (chapter_dir / "slides.key").read_text() not in by_key:
        pytest.skip("the project's code changed during the test (another session edits it)")
    stored = by_key[(chapter_dir / "slides.key").read_text()]
    deck = json.loads((chapter_dir / "deck" / f"{SLIDES_CHAPTER.name}Slides.json").read_text())
    assert which(last_frame(Path(deck["slides"][-1]["file"])), references) == stored
    assert not leftovers(tmp_path), leftovers(tmp_path)
    # A later build of the published chapter's configuration reuses its slides, and its
    # page shows them; the other configuration builds its own.
    for name in (stored, next(n for n in LOGITS if n != stored)):
        finish(slides_run(name, tmp_path))
        assert which(last_frame(slide_videos(tmp_path)[-1]), references) == name
        keys = {key: n for n, key in slides_keys(code_fingerprint()).items()}
        assert keys.get((chapter_dir / "slides.key").read_text(), name) == name
