"""Presenting the lecture: slides, per-beat clips, thumbnails and the gallery page.

Everything goes through the real ``softmax-video`` command line at tiny size.
Two short chapters are rendered once for the whole module (with ``--clips
--thumbnail``), and their slides once; the tests read those files.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import av
import numpy as np
import pytest
import srt

from softmax_video.cli.clips import thumbnail_path
from softmax_video.core.chapters import find_chapter
from videotools import is_blank, mean_abs_difference, probe

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TINY = ("--resolution", "256x144", "--fps", "5")
FPS = 5
PROFILE = "144p5"
#: Two short 2D chapters: the first gets clips, thumbnail and gallery checks,
#: both go into the slide deck.
NAMES = ("SigmoidRecap", "ShiftInvariance")
CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def run_cli(*args: str, timeout: int = 1200) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "softmax_video", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def decode_frames(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]


def read_png(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        return next(container.decode(video=0)).to_ndarray(format="rgb24")


# --------------------------------------------------------------------------- #
# Bad input: one line, exit 2, nothing written
# --------------------------------------------------------------------------- #

BAD_INPUTS = [
    (["slides"], ["name one or more chapters"]),
    (["slides", "SoftmaxBars", "--all"], ["not both"]),
    (["slides", "softmaxbar"], ["did you mean 'SoftmaxBars'"]),
    (["slides", "SoftmaxBars", "--format", "webm"], ["--format", "mp4"]),
    (["render", "SoftmaxBars", "--clips", "--format", "png"], ["--clips", "png"]),
    (["render", "SoftmaxBars", "--thumbnail", "--format", "png"], ["--thumbnail", "png"]),
    (["gallery"], ["--output", "no rendered chapters", "softmax-video render"]),
    (["gallery", "--profile", "480p15"], ["--profile", "480p15"]),
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


# --------------------------------------------------------------------------- #
# One render of the chapters, reused by every test below
# --------------------------------------------------------------------------- #


@pytest.fixture(scope="module")
def output(tmp_path_factory) -> Path:
    """The chapters rendered with ``--clips --thumbnail`` into one output folder."""
    folder = tmp_path_factory.mktemp("presenting")
    result = run_cli(
        "render", *NAMES, "--clips", "--thumbnail", *TINY, "--jobs", "2", "--output", str(folder)
    )
    assert result.returncode == 0, result.stderr
    printed = [Path(p) for p in result.stdout.split()]
    for name in NAMES:
        chapter = find_chapter(name)
        video = folder / PROFILE / f"{chapter.number:02d}-{name}.mp4"
        assert video in printed and thumbnail_path(video) in printed
    assert folder / PROFILE / "clips" / "clips.json" in printed
    return folder


def chapter_video(output: Path, name: str) -> Path:
    return output / PROFILE / f"{find_chapter(name).number:02d}-{name}.mp4"


def clip_index(output: Path) -> list[dict]:
    return json.loads((output / PROFILE / "clips" / "clips.json").read_text(encoding="utf-8"))


def beats_of(output: Path, name: str) -> list[dict]:
    return [entry for entry in clip_index(output) if entry["chapter"] == name]


@pytest.mark.render
def test_clips_add_up_to_the_chapter(output):
    clips_dir = output / PROFILE / "clips"
    index = clip_index(output)
    # The index lists exactly the clip files, in lecture order.
    assert sorted(p.name for p in clips_dir.glob("*.mp4")) == [e["file"] for e in index]
    for name in NAMES:
        chapter = find_chapter(name)
        entries = beats_of(output, name)
        assert len(entries) >= 3
        video = probe(chapter_video(output, name))
        total = 0.0
        for number, entry in enumerate(entries, start=1):
            assert entry["beat_number"] == number
            assert entry["file"] == (
                f"{chapter.number:02d}-{name}-{number:02d}-{entry['beat']}.mp4"
            )
            clip = probe(clips_dir / entry["file"])
            assert (clip.width, clip.height) == (256, 144)
            assert clip.frame_count > 0
            assert abs(clip.duration - entry["duration"]) <= 1 / FPS + 1e-6
            assert abs(entry["start"] - total) <= 1e-3
            total += clip.duration
        assert abs(total - video.duration) <= len(entries) / FPS + 1e-6
        # The narration of beat i is subtitle i of the chapter.
        subtitles = list(srt.parse(chapter_video(output, name).with_suffix(".srt").read_text()))
        # The narration of each beat is its subtitle cues, read in order.
        for entry in entries:
            cues = [
                " ".join(s.content.split())
                for s in subtitles
                if entry["start"] - 1e-3
                <= s.start.total_seconds()
                < entry["start"] + entry["duration"] - 1e-3
            ]
            assert " ".join(cues) == " ".join(entry["narration"].split())


@pytest.mark.render
def test_clips_are_the_chapter_cut_at_its_beats(output):
    name = NAMES[0]
    chapter_frames = decode_frames(chapter_video(output, name))
    offset = 0
    for entry in beats_of(output, name):
        frames = decode_frames(output / PROFILE / "clips" / entry["file"])
        first, last = frames[0], frames[-1]
        assert mean_abs_difference(first, chapter_frames[offset]) < 3
        assert mean_abs_difference(last, chapter_frames[offset + len(frames) - 1]) < 3
        offset += len(frames)
    assert offset == len(chapter_frames)


@pytest.mark.render
def test_thumbnail_is_the_last_frame_at_render_size(output):
    for name in NAMES:
        video = chapter_video(output, name)
        thumbnail = read_png(thumbnail_path(video))
        assert thumbnail.shape == (144, 256, 3)
        assert not is_blank(thumbnail)
        assert mean_abs_difference(thumbnail, decode_frames(video)[-1]) < 3


@pytest.mark.render
def test_poster_beat_picks_another_beat(output, tmp_path):
    """A missing thumbnail is made by ``gallery`` from the configured poster beat."""
    name = NAMES[0]
    video = chapter_video(output, name)
    default = read_png(thumbnail_path(video))
    first = beats_of(output, name)[0]
    copy = tmp_path / "out"
    shutil.copytree(output / PROFILE, copy / PROFILE)
    (copy / PROFILE / thumbnail_path(video).name).unlink()
    result = run_cli(
        "gallery", "--output", str(copy), "--set", f"{name}.poster_beat={first['beat']}"
    )
    assert result.returncode == 0, result.stderr
    poster = read_png(copy / PROFILE / thumbnail_path(video).name)
    assert poster.shape == default.shape
    assert not is_blank(poster)
    assert mean_abs_difference(poster, default) > 1.0
    first_clip = decode_frames(output / PROFILE / "clips" / first["file"])[-1]
    assert mean_abs_difference(poster, first_clip) < 3


@pytest.mark.render
def test_unknown_poster_beat_names_the_beats(output):
    from softmax_video.cli.clips import poster_frame
    from softmax_video.core.params import ConfigError

    name = NAMES[0]
    with pytest.raises(ConfigError) as error:
        poster_frame(chapter_video(output, name), find_chapter(name), "no-such-beat")
    message = str(error.value)
    assert f"{name}.poster_beat" in message
    assert all(entry["beat"] in message for entry in beats_of(output, name))


# --------------------------------------------------------------------------- #
# Slides
# --------------------------------------------------------------------------- #


@pytest.fixture(scope="module")
def deck(output) -> tuple[Path, Path, subprocess.CompletedProcess]:
    result = run_cli("slides", *NAMES, "--pptx", *TINY, "--jobs", "2", "--output", str(output))
    assert result.returncode == 0, result.stderr
    html_file, pptx_file = (Path(p) for p in result.stdout.split())
    assert html_file == output / "slides" / PROFILE / "softmax-slides.html"
    assert pptx_file == output / "slides" / PROFILE / "softmax-slides.pptx"
    return html_file, pptx_file, result


def narrations(output: Path) -> list[str]:
    return [entry["narration"] for name in NAMES for entry in beats_of(output, name)]


class _SlideParser(HTMLParser):
    """Collects reveal.js slides (their background video) and their speaker notes."""

    def __init__(self) -> None:
        super().__init__()
        self.videos: list[str] = []
        self.notes: list[str] = []
        self.remote: list[str] = []
        self.muted = 0
        self._in_notes = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "section" and "data-background-video" in values:
            self.videos.append(values["data-background-video"])
            self.muted += "data-background-video-muted" in values
        if tag == "aside" and "notes" in (values.get("class") or "").split():
            self._in_notes = True
            self.notes.append("")
        link = values.get("src") if tag == "script" else values.get("href")
        if tag in ("script", "link") and link and urlparse(link).scheme in ("http", "https"):
            self.remote.append(link)

    def handle_endtag(self, tag):
        if tag == "aside":
            self._in_notes = False

    def handle_data(self, data):
        if self._in_notes:
            self.notes[-1] += data


@pytest.mark.render
def test_slides_html_has_one_video_slide_per_beat_with_notes(output, deck, tmp_path):
    html_file, _, _ = deck
    parser = _SlideParser()
    parser.feed(html_file.read_text(encoding="utf-8"))
    expected = narrations(output)
    assert len(parser.videos) == len(expected)
    # One file: every slide's video is embedded, and decodes.
    for i, source in enumerate(parser.videos):
        assert source.startswith("data:video/mp4;base64,")
        video = tmp_path / f"slide{i}.mp4"
        video.write_bytes(base64.b64decode(source.split(",", 1)[1]))
        assert probe(video).frame_count > 0
    notes = [" ".join(n.split()) for n in parser.notes if n.strip()]
    assert notes == expected
    assert parser.muted == len(expected), "the videos have no sound: every slide is muted"
    if shutil.which("npm"):
        assert parser.remote == [], "reveal.js must be embedded when npm can fetch it"


@pytest.mark.render
def test_slide_videos_are_the_beats(output, deck, tmp_path):
    """Each slide plays its beat: its last frame is the beat's last frame."""
    html_file, _, _ = deck
    parser = _SlideParser()
    parser.feed(html_file.read_text(encoding="utf-8"))
    entries = [entry for name in NAMES for entry in beats_of(output, name)]
    for i, (source, entry) in enumerate(zip(parser.videos, entries, strict=True)):
        video = tmp_path / f"slide{i}.mp4"
        video.write_bytes(base64.b64decode(source.split(",", 1)[1]))
        slide = decode_frames(video)
        beat = decode_frames(output / PROFILE / "clips" / entry["file"])
        # A slide may hold one extra frame, so that it stops on the beat's final state.
        assert len(slide) - len(beat) in (0, 1)
        assert min(mean_abs_difference(frame, beat[-1]) for frame in slide[-2:]) < 3


@pytest.mark.render
def test_pptx_has_one_slide_per_beat_with_notes(output, deck):
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    _, pptx_file, _ = deck
    presentation = Presentation(str(pptx_file))
    expected = narrations(output)
    slides = list(presentation.slides)
    assert len(slides) == len(expected)
    for slide, narration in zip(slides, expected, strict=True):
        assert [shape.shape_type for shape in slide.shapes] == [MSO_SHAPE_TYPE.MEDIA]
        assert slide.has_notes_slide
        assert slide.notes_slide.notes_text_frame.text == narration
    # The slide has the render's shape.
    assert presentation.slide_width * 144 == presentation.slide_height * 256


@pytest.mark.render
def test_slides_are_reused_when_unchanged(output, deck):
    again = run_cli("slides", *NAMES, *TINY, "--output", str(output))
    assert again.returncode == 0, again.stderr
    assert again.stderr.count("reused") == len(NAMES)
    assert again.stdout.split() == [str(deck[0])]


# --------------------------------------------------------------------------- #
# Gallery
# --------------------------------------------------------------------------- #


class _MediaParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.videos: list[dict] = []
        self.sources: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "video":
            self.videos.append(values)
        if tag == "source":
            self.sources.append(values["src"])
        if tag == "a" and values.get("href") and not values["href"].startswith("#"):
            self.links.append(values["href"])


def resolve(page: Path, link: str) -> Path:
    parsed = urlparse(link)
    if parsed.scheme == "file":
        return Path(unquote(parsed.path))
    assert not parsed.scheme, f"{link} is not a relative link"
    return (page.parent / unquote(parsed.path)).resolve()


@pytest.mark.render
def test_gallery_in_headless_chromium(output, deck, tmp_path):
    if CHROMIUM is None:
        pytest.skip(
            "chromium is not installed (Debian package chromium; "
            "`bash tools/bootstrap.sh --with-browser` installs it)"
        )
    result = run_cli("gallery", "--output", str(output))
    assert result.returncode == 0, result.stderr
    page = Path(result.stdout.strip())
    assert page == output / "gallery" / "index.html"
    common = [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run(
        [*common, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    parser = _MediaParser()
    parser.feed(dom.stdout)
    assert len(parser.videos) == len(NAMES)
    assert len(parser.sources) == len(NAMES)
    for source in parser.sources:
        assert resolve(page, source).is_file(), source
    for video in parser.videos:
        assert resolve(page, video["poster"]).is_file()
    for link in parser.links:
        assert resolve(page, link).exists(), link
    assert any(link.endswith("softmax-slides.html") for link in parser.links)
    screenshot = output / "gallery-screenshot.png"
    shot = subprocess.run(
        [*common, f"--screenshot={screenshot}", "--window-size=1280,900", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shot.returncode == 0, shot.stderr[-2000:]
    image = read_png(screenshot)
    assert image.shape == (900, 1280, 3)
    assert not is_blank(image)
    if os.environ.get("SOFTMAX_VIDEO_KEEP_SCREENSHOT"):
        shutil.copyfile(screenshot, os.environ["SOFTMAX_VIDEO_KEEP_SCREENSHOT"])


@pytest.mark.render
def test_gallery_escapes_text(output, tmp_path):
    evil = '<em>x"&profile'
    folder = tmp_path / "out"
    video = chapter_video(output, NAMES[0])
    (folder / evil).mkdir(parents=True)
    shutil.copyfile(video, folder / evil / video.name)
    clips = folder / evil / "clips"
    clips.mkdir()
    (clips / "clips.json").write_text(
        json.dumps([{"file": "a.mp4", "chapter": NAMES[0], "beat": "<i>beat</i>",
                     "duration": 1.0, "narration": "p < 1 & q > 0 <script>"}])
    )  # fmt: skip
    (clips / "a.mp4").write_bytes(video.read_bytes())
    result = run_cli("gallery", "--output", str(folder))
    assert result.returncode == 0, result.stderr
    text = (folder / "gallery" / "index.html").read_text(encoding="utf-8")
    assert "<em>" not in text and "<script>" not in text and "<i>beat" not in text
    assert "&lt;em&gt;x&quot;&amp;profile" in text
    assert "p &lt; 1 &amp; q &gt; 0" in text
    # Links to the odd folder are percent-encoded and still point at the file.
    parser = _MediaParser()
    parser.feed(text)
    assert all(resolve(folder / "gallery" / "index.html", s).is_file() for s in parser.sources)
    assert re.search(r'src="\.\./%3Cem%3Ex%22%26profile/', text)


@pytest.mark.render
def test_deck_with_videos_next_to_it_and_without_npm(output, deck, tmp_path, monkeypatch):
    """``embed=False`` keeps one video per slide beside the HTML; without npm,
    reveal.js is loaded from its CDN and a warning says so."""
    import softmax_video.cli.slides as slides
    from softmax_video.cli.render import RenderSettings

    settings = RenderSettings.from_options("preview", resolution="256x144", fps=5)
    jsons = [
        output / ".cache" / PROFILE / "slides" / name / "deck" / f"{name}Slides.json"
        for name in NAMES
    ]
    monkeypatch.setattr(slides.shutil, "which", lambda name: None)
    warnings: list[str] = []
    result = slides.build_deck(jsons, settings, tmp_path, embed=False, warn=warnings.append)
    assert not result.offline and result.pptx is None
    assert len(warnings) == 1 and "reveal.js" in warnings[0]
    parser = _SlideParser()
    parser.feed(result.html.read_text(encoding="utf-8"))
    assert len(parser.videos) == len(narrations(output))
    for source in parser.videos:
        assert (result.html.parent / source).is_file(), source
    assert len(set(parser.videos)) == len(parser.videos)
    assert parser.remote, "without npm the page links reveal.js on its CDN"
    leftovers = [p for p in result.html.parent.glob(".*") if p.name != ".publish.lock"]
    assert not leftovers, "no temporary files are left"
