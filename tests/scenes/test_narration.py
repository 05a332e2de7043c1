"""Narrated chapters: real speech engines, real renders, the audio decoded and measured.

Speech is checked without understanding it: energy inside every caption cue and
silence between sentences, cue onsets against the audio, loudness, the audio's
length against the video's, and that a sentence given in the configuration changes
both the audio and the captions.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pyloudnorm
import pytest
import srt

from softmax_video.cli.render import RenderSettings, render_chapters
from softmax_video.core.chapters import find_chapter
from softmax_video.core.params import CONFIG_ENV_VAR, load_config
from softmax_video.kit.lecture_scene import STOP_AFTER_BEAT_ENV
from softmax_video.kit.narrator import CACHE_ENV, VOICE_ENV

ROOT = Path(__file__).resolve().parents[2]
MANIM = [sys.executable, "-m", "manim"]
FPS = 5
#: Level (dBFS) of a 20 ms window that counts as speech; between sentences the
#: track is digital silence, which AAC leaves far below this.
SPEECH_DB = -40.0
SILENCE_DB = -55.0
WINDOW = 0.02


@pytest.fixture(scope="module")
def voice_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("voice-cache")


def render(
    out: Path,
    cache: Path,
    toml: str,
    *,
    stop_after: str | None,
    scene: str = "SoftmaxBars",
    file_format: str = "mp4",
) -> tuple[Path, Path]:
    """Render ``scene`` at 256x144, FPS, with the configuration ``toml``; (video, srt)."""
    out.mkdir(parents=True, exist_ok=True)
    config = out / "config.toml"
    config.write_text(toml)
    env = {**os.environ, CONFIG_ENV_VAR: str(config), CACHE_ENV: str(cache)}
    env.pop(VOICE_ENV, None)  # the configuration decides
    env.pop(STOP_AFTER_BEAT_ENV, None)
    if stop_after:
        env[STOP_AFTER_BEAT_ENV] = stop_after
    chapter = find_chapter(scene)
    module = ROOT / "scenes" / f"{chapter.module.rpartition('.')[2]}.py"
    command = [*MANIM, "-r", "256,144", "--fps", str(FPS), "--media_dir", str(out)]
    command += ["--format", file_format]
    result = subprocess.run(
        [*command, str(module), scene], env=env, cwd=out, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    found = out.rglob(f"{scene}.{file_format}")
    (video,) = (p for p in found if "partial_movie_files" not in p.parts)
    return video, video.with_suffix(".srt")


def decode_channels(video: Path) -> tuple[np.ndarray, int] | None:
    """The video's audio as float samples (channels x samples) and its rate; ``None``: no audio."""
    with av.open(str(video)) as container:
        if not container.streams.audio:
            return None
        stream = container.streams.audio[0]
        rate = stream.codec_context.sample_rate
        chunks = [
            frame.to_ndarray().astype(np.float64).reshape(frame.layout.nb_channels, -1)
            if frame.format.is_planar
            else frame.to_ndarray().astype(np.float64).reshape(-1, frame.layout.nb_channels).T
            for frame in container.decode(stream)
        ]
    return np.concatenate(chunks, axis=1), rate


def decode_audio(video: Path) -> tuple[np.ndarray, int] | None:
    """The video's audio as mono float samples (the channels' mean) and its rate."""
    decoded = decode_channels(video)
    return None if decoded is None else (decoded[0].mean(axis=0), decoded[1])


def video_seconds(video: Path) -> float:
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        return stream.frames / FPS


def levels(samples: np.ndarray, rate: int) -> np.ndarray:
    """dBFS of each WINDOW-second window."""
    size = round(WINDOW * rate)
    count = samples.size // size
    windows = samples[: count * size].reshape(count, size)
    return 20 * np.log10(np.sqrt((windows**2).mean(axis=1)) + 1e-12)


def span(db: np.ndarray, start: float, end: float) -> np.ndarray:
    return db[int(start / WINDOW) : int(end / WINDOW)]


def cues(subtitles: Path) -> list[srt.Subtitle]:
    return list(srt.parse(subtitles.read_text(encoding="utf-8")))


NARRATED = '[voice]\nengine = "espeak-ng"\n'


@pytest.fixture(scope="module")
def narrated(tmp_path_factory: pytest.TempPathFactory, voice_cache: Path):
    """SoftmaxBars' first three beats spoken by espeak-ng."""
    video, subtitles = render(
        tmp_path_factory.mktemp("narrated"), voice_cache, NARRATED, stop_after="normalise"
    )
    audio = decode_audio(video)
    assert audio is not None, "a narrated chapter has an audio stream"
    return video, subtitles, *audio


def test_audio_stream_matches_the_video(narrated):
    video, _, samples, rate = narrated
    assert rate == 48_000
    with av.open(str(video)) as container:
        assert container.streams.audio[0].codec_context.name == "aac"
    assert abs(samples.size / rate - video_seconds(video)) <= 1 / FPS


def test_speech_inside_every_cue_and_silence_between_sentences(narrated):
    _, subtitles, samples, rate = narrated
    db = levels(samples, rate)
    shown = cues(subtitles)
    assert len(shown) >= 4
    for cue in shown:
        inside = span(db, cue.start.total_seconds(), cue.end.total_seconds())
        assert (inside > SPEECH_DB).mean() > 0.3, cue.content
    # Each sentence ends with a breath of silence before the next beat's speech.
    for before, after in itertools.pairwise(shown):
        gap = after.start.total_seconds() - before.end.total_seconds()
        if gap > 0.3:
            quiet = span(db, before.end.total_seconds() + 0.1, after.start.total_seconds() - 0.1)
            assert quiet.size and (quiet < SILENCE_DB).all(), (before.content, after.content)
    assert (span(db, shown[-1].end.total_seconds() + 0.1, 1e9) < SILENCE_DB).all()


def test_cues_are_readable_and_start_with_their_words(narrated):
    _, subtitles, samples, rate = narrated
    db = levels(samples, rate)
    shown = cues(subtitles)
    for cue in shown:
        lines = cue.content.splitlines()
        assert 1 <= len(lines) <= 2 and all(len(line) <= 42 for line in lines), cue.content
        seconds = (cue.end - cue.start).total_seconds()
        assert len(" ".join(lines)) / seconds <= 17.5, cue.content
    # A sentence's first cue appears when its first word is heard (within 0.1 s).
    previous_end = 0.0
    for cue in shown:
        start = cue.start.total_seconds()
        if start - previous_end > 0.3:  # a new sentence after a silence
            around = span(db, start - 0.3, start + 0.5)
            onset = start - 0.3 + np.argmax(around > SPEECH_DB) * WINDOW
            assert abs(onset - start) <= 0.1 + WINDOW, (cue.content, onset, start)
        previous_end = cue.end.total_seconds()


def test_loudness_is_normalised(narrated):
    video, _, samples, rate = narrated
    channels, _ = decode_channels(video)
    # Measured as a listener hears the file: every channel (BS.1770 sums their power).
    loudness = pyloudnorm.Meter(rate).integrated_loudness(channels.T)
    assert abs(loudness - (-16.0)) <= 1.0, loudness
    # AAC's rounding may lift peaks a little over the track's -1 dBTP.
    assert 20 * np.log10(np.abs(samples).max()) <= -0.5


def test_a_configured_sentence_changes_audio_and_captions(narrated, tmp_path, voice_cache):
    sentence = "Logits are raw scores, one for each class."
    toml = NARRATED + f'[narration.SoftmaxBars]\nlogits = "{sentence}"\n'
    before = set(voice_cache.glob("*.json"))
    video, subtitles = render(tmp_path, voice_cache, toml, stop_after="logits")
    assert len(set(voice_cache.glob("*.json")) - before) == 1  # only this sentence is said
    said = " ".join(" ".join(c.content.split()) for c in cues(subtitles))
    assert said == sentence
    samples, rate = decode_audio(video)
    _, original_subtitles, original, _ = narrated
    first_beat = [c for c in cues(original_subtitles) if c.start.total_seconds() < 1]
    assert " ".join(c.content for c in first_beat) != sentence
    # A shorter sentence: the speech, and with it the beat, ends sooner.
    spoken = np.flatnonzero(levels(samples, rate) > SPEECH_DB)
    original_spoken = np.flatnonzero(levels(original, rate) > SPEECH_DB)
    original_first = original_spoken[
        original_spoken * WINDOW < cues(original_subtitles)[2].start.total_seconds()
    ]
    assert spoken[-1] < original_first[-1]


@pytest.mark.parametrize(("file_format", "codecs"), [("webm", {"opus", "vorbis"}), ("mov", None)])
def test_webm_and_mov_chapters_speak_too(file_format, codecs, tmp_path, voice_cache):
    video, _ = render(tmp_path, voice_cache, NARRATED, stop_after="logits", file_format=file_format)
    with av.open(str(video)) as container:
        (stream,) = container.streams.audio
        assert codecs is None or stream.codec_context.name in codecs
    samples, rate = decode_audio(video)
    assert (levels(samples, rate) > SPEECH_DB).mean() > 0.2
    with av.open(str(video)) as container:
        frames = sum(1 for _ in container.decode(video=0))
    assert abs(samples.size / rate - frames / FPS) <= 1 / FPS + 0.03


def test_voice_none_is_silent_with_captions(tmp_path, voice_cache):
    video, subtitles = render(
        tmp_path, voice_cache, '[voice]\nengine = "none"\n', stop_after="logits"
    )
    assert decode_audio(video) is None
    assert cues(subtitles)


def test_the_same_configuration_gives_the_same_audio(tmp_path, voice_cache):
    first, _ = render(tmp_path / "a", voice_cache, NARRATED, stop_after="logits")
    second, _ = render(tmp_path / "b", voice_cache, NARRATED, stop_after="logits")
    a, _ = decode_audio(first)
    b, _ = decode_audio(second)
    assert np.array_equal(a, b)


def test_piper_speaks_a_beat(tmp_path):
    """The default engine, once: Piper in its own process, from the installed voice."""
    video, subtitles = render(
        tmp_path / "out", tmp_path / "cache", '[voice]\nengine = "piper"\n', stop_after="logits"
    )
    samples, rate = decode_audio(video)
    db = levels(samples, rate)
    (cue, *_) = cues(subtitles)
    assert (span(db, cue.start.total_seconds(), cue.end.total_seconds()) > SPEECH_DB).mean() > 0.3
    assert any('"engine": "piper"' in p.read_text() for p in (tmp_path / "cache").glob("*.json"))


@pytest.mark.render
def test_a_chapter_in_two_shares_has_the_same_audio(tmp_path, voice_cache, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(voice_cache))
    chapter = find_chapter("SoftmaxBars")
    config = load_config(data={"voice": {"engine": "espeak-ng"}})
    settings = RenderSettings.from_options("preview", resolution="256x144", fps=FPS)
    (one,) = render_chapters([chapter], config, settings, tmp_path / "one", jobs=1)
    (two,) = render_chapters([chapter], config, settings, tmp_path / "two", jobs=2)
    assert one.ok and two.ok, (one.error, two.error)
    a, _ = decode_audio(one.output)
    b, _ = decode_audio(two.output)
    assert np.array_equal(a, b)
    assert one.output.with_suffix(".srt").read_text() == two.output.with_suffix(".srt").read_text()
