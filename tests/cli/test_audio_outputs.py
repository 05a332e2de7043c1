"""Sound in every output made from chapter videos: the joined lecture, beat clips, slides.

Synthetic chapters (64x36, 10 fps, band-limited noise at 48 kHz mono) stand in
for rendered ones, so these tests need no render and no voice; one end-to-end
test renders two tiny chapters with espeak-ng. Everything is checked by decoding.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from softmax_video.cli.assemble import LectureClip, assemble_lecture
from softmax_video.cli.clips import beat_videos, sections_dir, write_clips
from softmax_video.cli.slides import _mute_silent, voice_slides
from softmax_video.core.chapters import find_chapter
from softmax_video.engine.audio_mux import (
    has_audio,
    read_audio,
    video_duration,
)
from videotools import make_video

PROJECT_ROOT = Path(__file__).resolve().parents[2]
RATE = 48_000
FPS = 10


def voice_like(seconds: float, seed: int = 0) -> np.ndarray:
    """Noise between 150 Hz and 3.5 kHz: every slice differs, and AAC and Opus keep it."""
    count = round(seconds * RATE)
    spectrum = np.fft.rfft(np.random.default_rng(seed).standard_normal(count))
    freqs = np.fft.rfftfreq(count, 1 / RATE)
    spectrum[(freqs < 150) | (freqs > 3500)] = 0
    signal = np.fft.irfft(spectrum, count)
    return (0.3 * signal / np.abs(signal).max()).astype(np.float32)


def correlation(a: np.ndarray, b: np.ndarray) -> float:
    count = min(len(a), len(b))
    a, b = a[:count], b[:count]
    return float(np.dot(a, b) / np.sqrt(np.dot(a, a) * np.dot(b, b) + 1e-20))


def audio_stream(path: Path) -> tuple[str, int, int]:
    with av.open(str(path)) as container:
        (stream,) = container.streams.audio
        return stream.codec_context.name, stream.sample_rate, stream.channels


def assert_audio_fits_video(path: Path) -> None:
    """The audio lasts as long as the picture, to within one video frame."""
    track = read_audio(path)
    duration = float(video_duration(path))
    assert abs(track.duration - duration) <= 1 / FPS + 1e-9, (track.duration, duration)


def rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x)))) if len(x) else 0.0


# --------------------------------------------------------------------------- #
# The joined lecture
# --------------------------------------------------------------------------- #


def chapters_of(tmp_path, sound, lengths, suffix=".mp4", silent=()):
    """Chapters cut from one continuous ``sound`` at their video lengths (frames)."""
    clips, start = [], 0
    for i, frames in enumerate(lengths):
        count = frames * RATE // FPS
        part = None if i in silent else sound[start : start + count]
        video = make_video(tmp_path / f"{i:02d}-Chapter{suffix}", frames, part)
        clips.append(LectureClip(f"Chapter {i}", video))
        start += count
    return clips


@pytest.mark.parametrize("suffix", [".mp4", ".webm"])
def test_lecture_audio_is_continuous_across_chapter_joins(tmp_path, suffix):
    lengths = [7, 4, 9]
    sound = voice_like(2.0, seed=1)
    clips = chapters_of(tmp_path, sound, lengths, suffix)
    files = assemble_lecture(clips, tmp_path / "out" / f"lecture{suffix}")
    codec = "opus" if suffix == ".webm" else "aac"
    assert audio_stream(files.video) == (codec, RATE, 1)
    assert_audio_fits_video(files.video)
    assert files.offsets == (0.0, 0.7, 1.1)
    with av.open(str(files.video)) as container:
        starts = [float(c["start"] * c["time_base"]) for c in container.chapters()]
    assert starts == pytest.approx([0.0, 0.7, 1.1])

    decoded = read_audio(files.video).samples[0]
    total = sum(lengths) * RATE // FPS
    assert correlation(sound[:total], decoded[:total]) > 0.97
    step = np.abs(np.diff(sound[:total])).max()
    for join in (round(0.7 * RATE), round(1.1 * RATE)):
        around = slice(join - 480, join + 480)  # 10 ms each side
        # No shift at the join: the decoded audio follows the continuous signal.
        assert correlation(sound[around], decoded[around]) > 0.95
        # No click: the jump across the join is like the signal's own steps.
        assert abs(decoded[join] - decoded[join - 1]) < 1.5 * step
        # No gap: every 2 ms around the join has signal.
        windows = decoded[around].reshape(-1, 96)
        assert min(rms(w) for w in windows) > 0.2 * rms(sound[:total])


def test_lecture_stays_in_sync_over_thirteen_chapters(tmp_path):
    """Chapters whose audio runs long or short: each burst stays where its chapter put it."""
    fps = 7  # 48 000 / 7 samples a frame is not whole: rounding must not add up
    clips, expected = [], []
    offset = Fraction(0)
    for i in range(13):
        frames = 3 + i % 3
        length = Fraction(frames, fps)
        extra = (-0.05, 0.0, 0.12)[i % 3]  # audio shorter, exact, longer than the picture
        audio = np.zeros(round((float(length) + extra) * RATE), np.float32)
        onset = round(0.1 * RATE)
        audio[onset : onset + 2400] = voice_like(0.05, seed=i)
        video = make_video(tmp_path / f"{i:02d}.mp4", frames, audio, fps=fps)
        clips.append(LectureClip(f"C{i}", video))
        expected.append(float(offset) + 0.1)
        offset += length
    files = assemble_lecture(clips, tmp_path / "lecture.mp4")
    decoded = read_audio(files.video).samples[0]
    assert files.duration == pytest.approx(float(offset))
    assert abs(len(decoded) / RATE - float(offset)) <= 1 / fps
    envelope = np.abs(decoded) > 0.05
    for when in expected:
        window = envelope[round((when - 0.04) * RATE) : round((when + 0.04) * RATE)]
        onset = when - 0.04 + np.argmax(window) / RATE
        assert abs(onset - when) < 0.002, (when, onset)


def test_silent_chapters_are_silence_in_a_lecture_with_sound(tmp_path):
    lengths = [6, 5, 6]
    sound = voice_like(1.7, seed=2)
    clips = chapters_of(tmp_path, sound, lengths, silent={1})
    assert not has_audio(clips[1].video)
    files = assemble_lecture(clips, tmp_path / "lecture.mp4")
    assert_audio_fits_video(files.video)
    decoded = read_audio(files.video).samples[0]
    first, second = 6 * RATE // FPS, 11 * RATE // FPS
    assert rms(decoded[: first - 480]) > 0.05
    assert np.abs(decoded[first + 480 : second - 480]).max() < 1e-3
    assert rms(decoded[second + 480 : 17 * RATE // FPS]) > 0.05


def test_lecture_without_sound_has_no_audio_stream(tmp_path):
    clips = chapters_of(tmp_path, voice_like(1.0), [5, 5], silent={0, 1})
    files = assemble_lecture(clips, tmp_path / "lecture.mp4")
    assert not has_audio(files.video)
    assert files.duration == pytest.approx(1.0)


# --------------------------------------------------------------------------- #
# Beat clips
# --------------------------------------------------------------------------- #


def published_chapter(folder: Path, suffix: str, beats: list[int], sound: np.ndarray | None):
    """A chapter as a render publishes it: ``NN-Chapter<suffix>`` and silent section videos."""
    chapter = find_chapter("SoftmaxBars")
    folder.mkdir(parents=True)
    video = make_video(folder / f"{chapter.number:02d}-{chapter.name}{suffix}", sum(beats), sound)
    sections = sections_dir(video, chapter)
    sections.mkdir(parents=True)
    index = []
    for i, frames in enumerate(beats):
        name = f"{chapter.name}_{i:04d}_beat{i}{suffix}"
        make_video(sections / name, frames)
        index.append({"name": f"beat{i}", "video": name})
    (sections / f"{chapter.name}.json").write_text(json.dumps(index), encoding="utf-8")
    return video, chapter


@pytest.mark.parametrize(("suffix", "codec"), [(".mp4", "aac"), (".webm", "opus")])
def test_each_clip_speaks_its_beat(tmp_path, suffix, codec):
    beats = [6, 3, 8]
    sound = voice_like(1.7, seed=4)
    video, chapter = published_chapter(tmp_path / "144p5", suffix, beats, sound)
    index = json.loads(write_clips(video, chapter).read_text(encoding="utf-8"))
    assert [entry["duration"] for entry in index] == pytest.approx([0.6, 0.3, 0.8])
    slices = []
    for entry in index:
        first = round(entry["start"] * RATE)
        slices.append(sound[first : first + round(entry["duration"] * RATE)])
    for entry, expected in zip(index, slices, strict=True):
        clip = video.parent / "clips" / entry["file"]
        assert audio_stream(clip) == (codec, RATE, 1)
        assert_audio_fits_video(clip)
        decoded = read_audio(clip).samples[0]
        own = correlation(expected, decoded)
        assert own > 0.95
        # Its own slice, not a neighbour's or a shifted one.
        assert all(correlation(other, decoded) < 0.3 for other in slices if other is not expected)
        shifted = sound[round((entry["start"] + 0.05) * RATE) :]
        assert correlation(shifted, decoded) < 0.3


def test_clips_of_a_silent_chapter_have_no_sound(tmp_path):
    video, chapter = published_chapter(tmp_path / "144p5", ".mp4", [4, 4], None)
    write_clips(video, chapter)
    clips = sorted((video.parent / "clips").glob("*.mp4"))
    assert len(clips) == 2
    assert not any(has_audio(clip) for clip in clips)
    # Silent clips are the section videos as they are.
    for clip, beat in zip(clips, beat_videos(video, chapter), strict=True):
        assert clip.read_bytes() == beat.video.read_bytes()


# --------------------------------------------------------------------------- #
# Slides
# --------------------------------------------------------------------------- #


def slide_deck(folder: Path, lengths: list[int], sound: np.ndarray | None) -> tuple[Path, Path]:
    """A manim-slides deck JSON with silent slide videos, and the scene's movie."""
    files = folder / "deck" / "files"
    files.mkdir(parents=True)
    slides = []
    for i, frames in enumerate(lengths):
        file = make_video(files / f"{i:016x}.mp4", frames)
        slides.append(
            {"notes": f"beat {i}", "type": "video", "file": str(file), "rev_file": str(file)}
        )
    deck = folder / "deck" / "ChapterSlides.json"
    deck.write_text(json.dumps({"slides": slides}), encoding="utf-8")
    movie = make_video(folder / "ChapterSlides.mp4", sum(lengths), sound)
    return deck, movie


def test_each_slide_speaks_its_beat_and_keeps_its_notes(tmp_path):
    lengths = [5, 7, 4]
    sound = voice_like(1.6, seed=5)
    deck, movie = slide_deck(tmp_path, lengths, sound)
    assert voice_slides(deck, movie) == 3
    slides = json.loads(deck.read_text(encoding="utf-8"))["slides"]
    assert [slide["notes"] for slide in slides] == ["beat 0", "beat 1", "beat 2"]
    start = 0
    for slide, frames in zip(slides, lengths, strict=True):
        file = Path(slide["file"])
        assert file.parent == deck.parent / "voiced"
        assert audio_stream(file) == ("aac", RATE, 1)
        assert_audio_fits_video(file)
        expected = sound[start : start + frames * RATE // FPS]
        assert correlation(expected, read_audio(file).samples[0]) > 0.95
        start += frames * RATE // FPS


def test_slides_of_a_silent_scene_stay_as_they_are(tmp_path):
    deck, movie = slide_deck(tmp_path, [3, 3], None)
    before = deck.read_text(encoding="utf-8")
    assert voice_slides(deck, movie) == 0
    assert voice_slides(deck, None) == 0
    assert deck.read_text(encoding="utf-8") == before


def test_only_silent_slides_are_muted(tmp_path):
    page = tmp_path / "deck.html"
    sections = [
        '<section data-background-size=contain data-background-video="a.mp4"\n'
        "          data-background-video-muted\n          >",
        '<section data-background-video="b.mp4" data-background-video-loop>',
        '<section data-background-video="c.mp4">',
        "<section>",
        # As manim-slides' one-file HTML writes it.
        '<section data-background-video="data:video/mp4;base64,AAAA"'
        ' data-background-video-muted="">',
    ]
    page.write_text("\n".join(sections), encoding="utf-8")
    _mute_silent(page, [True, False, True, True])
    tags = re.findall(r"<section\b[^>]*>", page.read_text(encoding="utf-8"))
    muted = ["data-background-video-muted" in tag for tag in tags]
    assert muted == [False, True, False, False, False]
    assert "data-background-video-loop" in tags[1]
    assert 'data-background-video="a.mp4"' in tags[0]


# --------------------------------------------------------------------------- #
# End to end: two tiny chapters spoken by espeak-ng, joined
# --------------------------------------------------------------------------- #


@pytest.mark.render
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_spoken_lecture_end_to_end(tmp_path):
    env = dict(os.environ)
    env.pop("SOFTMAX_VIDEO_VOICE", None)
    tiny = ("--resolution", "64x36", "--fps", "2", "--voice", "espeak-ng")
    names = ("SigmoidRecap", "ShiftInvariance")
    result = subprocess.run(
        [sys.executable, "-m", "softmax_video", "lecture", *names, *tiny,
         "--output", str(tmp_path)],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=1200,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lecture = tmp_path / "lecture" / "36p2" / "softmax-lecture.mp4"
    chapters = [next((tmp_path / "36p2").glob(f"*-{name}.mp4")) for name in names]
    codec, rate, channels = audio_stream(chapters[0])
    assert (codec, rate) == ("aac", RATE)
    for chapter in [*chapters, lecture]:
        assert audio_stream(chapter) == (codec, rate, channels)
        track = read_audio(chapter)
        assert abs(track.duration - float(video_duration(chapter))) <= 0.5  # one frame at 2 fps
    joined = read_audio(lecture).samples[0]
    first = read_audio(chapters[0]).samples[0]
    second = read_audio(chapters[1]).samples[0]
    join = round(float(video_duration(chapters[0])) * RATE)
    # The lecture's audio is each chapter's, in place.
    assert correlation(first[: join - 4800], joined[: join - 4800]) > 0.95
    count = min(len(second), len(joined) - join) - 4800
    assert correlation(second[4800:count], joined[join + 4800 : join + count]) > 0.95
    # Speech in both chapters, and no click at the join (each beat ends with a breath).
    assert rms(joined[:join]) > 0.01 and rms(joined[join:]) > 0.01
    assert np.abs(joined[join - 480 : join + 480]).max() < 0.1
