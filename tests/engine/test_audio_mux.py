"""Audio cut, joined and muxed beside copied video, checked by decoding real files.

Small synthetic videos (64x36, 10 fps) with band-limited noise as their sound
stand in for rendered chapters, so these tests need no render and no voice.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import av
import numpy as np
import pytest

from softmax_video.engine.audio_mux import (
    AudioEncoder,
    JoinedAudio,
    Track,
    has_audio,
    mux_interleaved,
    mux_with_audio,
    read_audio,
    sample_index,
    video_duration,
)
from videotools import make_video

RATE = 48_000
FPS = 10


def voice_like(seconds: float, seed: int = 0, rate: int = RATE) -> np.ndarray:
    """Noise between 150 Hz and 3.5 kHz: every slice differs, and AAC and Opus keep it."""
    count = round(seconds * rate)
    spectrum = np.fft.rfft(np.random.default_rng(seed).standard_normal(count))
    freqs = np.fft.rfftfreq(count, 1 / rate)
    spectrum[(freqs < 150) | (freqs > 3500)] = 0
    signal = np.fft.irfft(spectrum, count)
    return (0.3 * signal / np.abs(signal).max()).astype(np.float32)


def lag_and_correlation(reference: np.ndarray, decoded: np.ndarray, search: int = 200):
    """The shift of ``decoded`` against ``reference`` that matches best, and how well (0-1)."""
    count = min(len(reference), len(decoded)) - 2 * search
    ref = reference[search : search + count]
    best = max(
        range(-search, search + 1),
        key=lambda k: float(np.dot(ref, decoded[search + k : search + k + count])),
    )
    got = decoded[search + best : search + best + count]
    return best, float(np.dot(ref, got) / np.sqrt(np.dot(ref, ref) * np.dot(got, got)))


@pytest.mark.parametrize(
    ("suffix", "codec", "name"),
    [(".mp4", "aac", "aac"), (".webm", "libopus", "opus"), (".mov", "pcm_s16le", "pcm_s16le")],
)
def test_read_audio_is_on_the_videos_clock(tmp_path, suffix, codec, name):
    sound = voice_like(1.0)
    video = make_video(tmp_path / f"a{suffix}", 10, sound, codec)
    track = read_audio(video)
    assert track is not None
    assert (track.rate, track.layout, track.codec) == (RATE, "mono", name)
    assert track.samples.shape[0] == 1
    assert track.samples.shape[1] >= len(sound)
    lag, correlation = lag_and_correlation(sound, track.samples[0])
    assert lag == 0
    assert correlation > 0.97


def test_a_video_without_sound_has_no_track(tmp_path):
    video = make_video(tmp_path / "silent.mp4", 5)
    assert not has_audio(video)
    assert read_audio(video) is None


def test_spans_cut_at_the_same_times_meet_exactly():
    rate = 48_000
    track = Track(voice_like(2.0)[None, :], rate)
    cuts = [Fraction(0), Fraction(7, 15), Fraction(11, 10), Fraction(4, 3), Fraction(2)]
    pieces = [track.span(a, b).samples for a, b in itertools.pairwise(cuts)]
    assert np.array_equal(np.concatenate(pieces, axis=1), track.samples)
    # Beyond the track: silence, so a span always has its full length.
    tail = track.span(Fraction(19, 10), Fraction(5, 2))
    assert tail.samples.shape[1] == sample_index(Fraction(6, 10), rate)
    assert not tail.samples[:, sample_index(Fraction(1, 10), rate) :].any()


@pytest.mark.parametrize("codec", ["aac", "libopus"])
def test_encoding_in_pieces_is_encoding_whole(codec):
    """Pieces are re-cut into the encoder's frames: no padding at piece boundaries."""
    sound = voice_like(0.5)[None, :]

    def encoded(pieces):
        output = av.open("/dev/null", "w", format="webm" if codec == "libopus" else "mp4")
        try:
            encoder = AudioEncoder(output, codec, RATE)
            packets = [p for piece in pieces for p in encoder.encode(piece)]
            return [bytes(p) for p in [*packets, *encoder.flush()]]
        finally:
            output.close()

    cuts = [0, 1, 700, 701, 5000, 12345, sound.shape[1]]
    pieces = [sound[:, a:b] for a, b in itertools.pairwise(cuts)]
    assert encoded(pieces) == encoded([sound])


@pytest.mark.parametrize(("suffix", "name"), [(".mp4", "aac"), (".webm", "opus"), (".mov", "aac")])
def test_mux_with_audio_fits_the_sound_to_the_picture(tmp_path, suffix, name):
    picture = make_video(tmp_path / f"picture{suffix}", 7)  # 0.7 s, no sound
    sound = voice_like(1.5)
    target = mux_with_audio(
        picture, tmp_path / f"out{suffix}", Track(sound[None, :], RATE, codec="aac")
    )
    with av.open(str(target)) as container:
        assert len(container.streams.video) == 1
        (stream,) = container.streams.audio
        assert (stream.codec_context.name, stream.sample_rate, stream.channels) == (name, RATE, 1)
        assert stream.codec_context.layout.name == "mono"
    track = read_audio(target)
    duration = float(video_duration(target))
    assert duration == pytest.approx(0.7)
    # Encoders round up to whole frames: at most one video frame over, never under.
    assert duration - 1e-9 <= track.duration <= duration + 1 / FPS
    lag, correlation = lag_and_correlation(sound[: round(0.7 * RATE)], track.samples[0])
    assert lag == 0
    assert correlation > 0.97
    # The picture is copied, not re-encoded.
    with av.open(str(picture)) as a, av.open(str(target)) as b:
        assert [bytes(p) for p in a.demux(video=0) if p.size] == [
            bytes(p) for p in b.demux(video=0) if p.size
        ]


def test_mux_without_audio_writes_the_picture_alone(tmp_path):
    picture = make_video(tmp_path / "picture.mp4", 4)
    target = mux_with_audio(picture, tmp_path / "out.mp4", None)
    assert not has_audio(target)
    assert video_duration(target) == video_duration(picture)
    assert not list(tmp_path.glob(".*tmp*")), "no temporary file is left"


def test_joined_audio_is_sample_exact_and_silent_where_a_video_is(tmp_path):
    """Three videos (the middle one silent) make one track as long as the three pictures."""
    sound = voice_like(3.0, seed=3)
    lengths = [7, 4, 9]  # frames at 10 fps
    videos = []
    start = 0
    for i, frames in enumerate(lengths):
        part = sound[start : start + frames * RATE // FPS]
        videos.append(make_video(tmp_path / f"{i}.mp4", frames, None if i == 1 else part))
        start += frames * RATE // FPS
    target = tmp_path / "joined.m4a"
    with av.open(str(target), "w", format="mp4") as output:
        joined = JoinedAudio.of(output, videos, ".mp4")
        assert joined is not None
        packets = []
        for video in videos:
            packets += joined.append(video, video_duration(video))
        mux_interleaved(output, [], [*packets, *joined.finish()])
    track = read_audio(target)
    total = sum(lengths) * RATE // FPS
    assert track.samples.shape[1] - total in range(0, 1024)
    decoded = track.samples[0]
    first, second = 7 * RATE // FPS, 11 * RATE // FPS
    assert lag_and_correlation(sound[:first], decoded[:first])[1] > 0.97
    assert lag_and_correlation(sound[second:total], decoded[second:total])[1] > 0.97
    # The silent video's span is silent (a few ms of coder ringing at its edges aside).
    assert np.abs(decoded[first + 480 : second - 480]).max() < 1e-3


def test_nothing_to_join_without_sound(tmp_path):
    videos = [make_video(tmp_path / f"{i}.mp4", 3) for i in range(2)]
    with av.open(str(tmp_path / "x.mp4"), "w") as output:
        assert JoinedAudio.of(output, videos, ".mp4") is None
