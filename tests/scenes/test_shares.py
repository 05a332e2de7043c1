"""A chapter that several processes render together (softmax_video.core.shares) is the one
process's chapter.

The render tests encode losslessly (``crf=0``), so equal decoded frames mean equal
drawn frames: lossy encoding of a play cut into runs would differ from one of the
whole play even where the pictures are the same.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import threading
import time
from pathlib import Path

import av
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from softmax_video.cli.render import (
    H264_OPTIONS,
    RenderSettings,
    code_fingerprint,
    render_chapters,
    render_one,
    run_manim,
)
from softmax_video.core.chapters import CHAPTERS, find_chapter
from softmax_video.core.params import load_config
from softmax_video.core.shares import (
    SPLIT_SECONDS,
    PlayDealer,
    Share,
    gather_segments,
    publish_segments,
    share_frames,
)

LOSSLESS = dataclasses.replace(
    RenderSettings.from_options("preview", resolution="256x144", fps=10),
    encoder_options=(*H264_OPTIONS, "crf=0"),
)


# -- dealing ------------------------------------------------------------------ #


@given(
    st.integers(1, 4),
    st.lists(st.tuples(st.floats(0.1, 12.0), st.booleans()), min_size=1, max_size=40),
    st.sampled_from([5, 15, 60]),
)
def test_every_frame_is_drawn_by_exactly_one_share(count, plays, fps):
    dealers = [PlayDealer(count) for _ in range(count)]
    drawn = np.zeros(count)
    for seconds, splittable in plays:
        frames = int(np.ceil(seconds * fps))
        owners = {dealer.deal(seconds, splittable=splittable) for dealer in dealers}
        assert len(owners) == 1, "every process deals alike"
        (owner,) = owners
        if owner is None:
            runs = [share_frames(k, count, frames) for k in range(count)]
            assert runs[0][0] == 0 and runs[-1][1] == frames
            assert all(a[1] == b[0] for a, b in itertools.pairwise(runs))
            drawn += [stop - first for first, stop in runs]
        else:
            assert 0 <= owner < count
            drawn[owner] += frames
    assert drawn.sum() == sum(int(np.ceil(s * fps)) for s, _ in plays)


@given(st.integers(2, 4), st.lists(st.floats(0.1, 12.0), min_size=1, max_size=40))
def test_shares_draw_about_as_many_seconds(count, lengths):
    dealer = PlayDealer(count)
    for seconds in lengths:
        dealer.deal(seconds)
    # Greedy dealing of the plays that are not cut keeps every share within one of them.
    assert max(dealer.seconds) - min(dealer.seconds) <= SPLIT_SECONDS + 1e-9


def test_long_plays_are_cut_and_static_waits_are_not():
    dealer = PlayDealer(2)
    assert dealer.deal(SPLIT_SECONDS) is None
    assert dealer.deal(10.0, splittable=False) == 0
    assert dealer.deal(1.0) == 1


def test_share_is_read_from_the_environment(monkeypatch, tmp_path):
    from softmax_video.kit.lecture_scene import current_share

    monkeypatch.delenv("SOFTMAX_VIDEO_SHARE", raising=False)
    assert current_share() is None
    monkeypatch.setenv("SOFTMAX_VIDEO_SHARE", f"1/3:{tmp_path}")
    assert current_share() == Share(1, 3, tmp_path)
    assert Share.parse(str(Share(1, 3, tmp_path))) == Share(1, 3, tmp_path)


@pytest.mark.parametrize("text", ["", "1/2", "a/2:/x", "2/2:/x", "-1/2:/x"])
def test_bad_share_is_refused_with_the_variable_named(text):
    with pytest.raises(ValueError, match=r"share|SOFTMAX_VIDEO_SHARE"):
        Share.parse(text)


# -- gathering ----------------------------------------------------------------- #


def test_gathered_files_follow_frame_order(tmp_path):
    first, second = Share(0, 2, tmp_path), Share(1, 2, tmp_path)
    # Play 0: share 0; play 1: cut in two; play 2: share 1. Two sections.
    publish_segments(second, ([None, "b1", "b2"], [[None, "b1"], ["b2"]]))
    plays, sections = gather_segments(first, (["a0", "a1", None], [["a0", "a1"], [None]]))
    assert plays == ["a0", "a1", "b1", "b2"]
    assert sections == [["a0", "a1", "b1"], ["b2"]]


def test_share_zero_waits_for_the_others(tmp_path):
    first, second = Share(0, 2, tmp_path), Share(1, 2, tmp_path)
    later = threading.Timer(0.3, publish_segments, (second, ([None, "b"], [[None, "b"]])))
    started = time.monotonic()
    later.start()
    plays, _ = gather_segments(first, (["a", None], [["a", None]]))
    assert plays == ["a", "b"]
    assert time.monotonic() - started >= 0.3


def test_shares_that_played_different_scenes_are_refused(tmp_path):
    first, second = Share(0, 2, tmp_path), Share(1, 2, tmp_path)
    publish_segments(second, ([None, "b", None], [[None, "b", None]]))
    with pytest.raises(RuntimeError, match="share 1 played a different scene"):
        gather_segments(first, (["a", None], [["a", None]]))


def test_published_list_is_written_whole(tmp_path):
    share = Share(1, 2, tmp_path)
    publish_segments(share, (["x"], [["x"]]))
    assert json.loads(share.list_file(1).read_text()) == {"plays": ["x"], "sections": [["x"]]}
    assert [p.name for p in tmp_path.iterdir()] == ["share-1.json"]


# -- rendering ----------------------------------------------------------------- #


def decoded(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]


def assert_same_render(one: Path, several: Path) -> None:
    """Same frames (decoded), same subtitles, same sections."""
    a, b = decoded(one), decoded(several)
    assert len(a) == len(b)
    differing = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if not np.array_equal(x, y)]
    assert differing == []
    assert one.with_suffix(".srt").read_text() == several.with_suffix(".srt").read_text()
    name = one.stem.split("-", 1)[1]
    index = Path("sections") / name / f"{name}.json"
    sections_one = json.loads((one.parent / index).read_text())
    sections_several = json.loads((several.parent / index).read_text())
    assert sections_one == sections_several
    for section in sections_several:
        video = several.parent / "sections" / name / section["video"]
        assert video.exists()


@pytest.mark.render
def test_a_3d_chapter_in_two_shares_is_the_same_video(tmp_path):
    """InputSpaceShapes: a turning camera (an updater with dt), an updater that
    rebuilds meshes every frame, static waits, and plays long enough to be cut."""
    chapter = find_chapter("InputSpaceShapes")
    config, code = load_config(), code_fingerprint()
    one = render_one(chapter, config, LOSSLESS, tmp_path / "one", code, shares=1)
    two = render_one(chapter, config, LOSSLESS, tmp_path / "two", code, shares=2)
    assert one.ok and two.ok, (one.error, two.error)
    assert_same_render(one.output, two.output)
    # Both shares drew: share 1 left partial movies of its own.
    share_dir = tmp_path / "two" / ".cache" / LOSSLESS.profile / chapter.name / "share-1"
    assert list(share_dir.rglob("partial_movie_files/**/*.mp4"))


@pytest.mark.render
def test_a_single_chapter_uses_every_job_as_a_share(tmp_path):
    """SoftmaxBars (2D, updaters without dt) through render_chapters with two jobs."""
    chapter = find_chapter("SoftmaxBars")
    config = load_config()
    (one,) = render_chapters([chapter], config, LOSSLESS, tmp_path / "one", jobs=1)
    (two,) = render_chapters([chapter], config, LOSSLESS, tmp_path / "two", jobs=2)
    assert one.ok and two.ok, (one.error, two.error)
    assert (tmp_path / "two" / ".cache" / LOSSLESS.profile / chapter.name / "share-1").is_dir()
    assert not (tmp_path / "one" / ".cache" / LOSSLESS.profile / chapter.name / "share-1").exists()
    assert_same_render(one.output, two.output)


@pytest.mark.slow
@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.name)
def test_every_chapter_in_two_shares_is_the_same_video(chapter, tmp_path):
    config, code = load_config(), code_fingerprint()
    one = render_one(chapter, config, LOSSLESS, tmp_path / "one", code, shares=1)
    two = render_one(chapter, config, LOSSLESS, tmp_path / "two", code, shares=2)
    assert one.ok and two.ok, (one.error, two.error)
    assert_same_render(one.output, two.output)


FAILING_SCENE = """
from manim import FadeIn, Square
from softmax_video.kit.lecture_scene import LectureScene


class FailingShare(LectureScene):
    chapter_name = "SoftmaxBars"

    def construct(self):
        self.play(FadeIn(Square()), run_time=1)
        if self.share.index == 1:
            raise RuntimeError("share one breaks")
        self.wait(1)
"""


@pytest.mark.render
def test_a_failing_share_stops_the_others(tmp_path):
    """Share 0 would wait for share 1's list for ever; the front end stops it."""
    module = tmp_path / "failing_share.py"
    module.write_text(FAILING_SCENE)
    staging = tmp_path / "staging"
    staging.mkdir()
    started = time.monotonic()
    status, log = run_manim(
        "manim", module, "FailingShare", staging, load_config(), LOSSLESS, shares=2
    )
    assert status != 0
    assert log == staging / "share-1" / "render.log"
    assert "share one breaks" in log.read_text()
    assert time.monotonic() - started < 120
    assert not list(staging.rglob("FailingShare.mp4"))


@pytest.mark.render
@pytest.mark.parametrize("file_format", ["gif", "webm"])
def test_other_video_formats_render_in_shares(file_format, tmp_path):
    """Manim joins gif and webm partial movies in its own ways; shares feed both.

    Both are lossy here (only mp4 and mov take ``crf=0``), and a cut play's runs are
    coded apart, so frames may differ by coding noise, not by drawing; a gif's
    palette and dithering then differ pixel by pixel, so 8x8 block means are compared.
    """
    chapter = find_chapter("SigmoidRecap")
    settings = dataclasses.replace(LOSSLESS, fps=5, format=file_format)
    config, code = load_config(), code_fingerprint()
    one = render_one(chapter, config, settings, tmp_path / "one", code, shares=1)
    two = render_one(chapter, config, settings, tmp_path / "two", code, shares=2)
    assert one.ok and two.ok, (one.error, two.error)
    assert one.output.suffix == f".{file_format}"
    a, b = decoded(one.output), decoded(two.output)
    assert len(a) == len(b) > 5 * 20
    noise = [
        float(np.abs(block_means(x) - block_means(y)).mean()) for x, y in zip(a, b, strict=True)
    ]
    assert max(noise) < MAX_CODING_NOISE, max(noise)


#: Largest mean difference (of 255) between 8x8 block means of two lossy codings of
#: the same frame (measured: under 1 for gif, far less for webm).
MAX_CODING_NOISE = 1.5


def block_means(frame: np.ndarray, size: int = 8) -> np.ndarray:
    height, width = (n // size * size for n in frame.shape[:2])
    blocks = frame[:height, :width].reshape(height // size, size, width // size, size, -1)
    return blocks.mean(axis=(1, 3))


def test_a_share_paints_faces_in_one_band_per_core_it_has(monkeypatch):
    from softmax_video.engine import mesh

    monkeypatch.setattr(mesh.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(mesh, "_BANDS", mesh._BANDS)
    mesh.set_paint_bands(1)
    assert mesh._BANDS == 2
    mesh.set_paint_bands(2)  # a chapter shared by two processes: a core each
    assert mesh._BANDS == 1
    monkeypatch.setattr(mesh.os, "cpu_count", lambda: 8)
    mesh.set_paint_bands(2)
    assert mesh._BANDS == 2
