"""The narration voice with the real engines (Piper and espeak-ng), no mocks.

Sentences are short so that each test takes a second or two; Piper's model load
(about a second) dominates.
"""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import av
import numpy as np
import pytest

from softmax_video.core.captions import make_cues
from softmax_video.core.errors import EnvironmentFailure, SoftmaxVideoError
from softmax_video.core.spoken import spoken_text
from softmax_video.engine.voice import (
    TRACK_RATE,
    Speaker,
    estimate_word_times,
    join_speeches,
    measure_loudness,
    normalize_loudness,
    place_speeches,
    read_wav,
    require_program,
    resolve_engine,
    synthesize,
    synthesize_many,
)

ROOT = Path(__file__).resolve().parents[2]
SENTENCE = spoken_text("Take a few logits, and T = 0.5.")
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's own Python: no piper-tts in it


def decode(path: Path) -> tuple[np.ndarray, int, int]:
    """Samples (float, first channel), sample rate and channel count, read with PyAV."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        rate, channels = stream.codec_context.sample_rate, stream.codec_context.channels
        chunks = [frame.to_ndarray() for frame in container.decode(stream)]
    data = np.concatenate(chunks, axis=1)[0].astype(float) / 32768
    return data, rate, channels


def check_speech(speech, engine: str) -> None:
    samples, rate, channels = decode(speech.wav)
    assert speech.engine == engine
    assert (rate, channels) == (22050, 1) == (speech.sample_rate, 1)
    assert speech.duration == pytest.approx(samples.size / rate)
    assert 0.5 < speech.duration < 10
    # Speech energy: the loud tenth of 20 ms frames is far above the quiet tenth.
    frames = samples[: samples.size // 441 * 441].reshape(-1, 441)
    rms = np.sqrt(np.mean(frames**2, axis=1))
    assert np.sqrt(np.mean(samples**2)) > 0.02
    assert np.percentile(rms, 90) > 30 * max(np.percentile(rms, 5), 1e-5)
    # Word timings: one per word, in order, inside the audio.
    assert [w for w, _, _ in speech.words] == speech.text.split()
    edges = [t for _, a, b in speech.words for t in (a, b)]
    assert edges == sorted(edges)
    assert 0 <= edges[0] and edges[-1] <= speech.duration
    assert all(b > a for _, a, b in speech.words)
    assert speech.timing == "estimated"


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("voice-cache")


@pytest.fixture(scope="module")
def piper_speech(cache):
    return synthesize(SENTENCE, engine="piper", cache_dir=cache)


@pytest.fixture(scope="module")
def espeak_speech(cache):
    return synthesize(SENTENCE, engine="espeak-ng", cache_dir=cache)


def test_piper_says_a_sentence(piper_speech):
    check_speech(piper_speech, "piper")
    assert piper_speech.voice == "joe"


def test_espeak_says_a_sentence(espeak_speech):
    check_speech(espeak_speech, "espeak-ng")
    assert espeak_speech.voice == "en-us"


@pytest.mark.parametrize("engine", ["piper", "espeak-ng"])
def test_cache_hit_runs_no_engine(engine, cache, piper_speech, espeak_speech):
    first = piper_speech if engine == "piper" else espeak_speech
    data, mtime = first.wav.read_bytes(), first.wav.stat().st_mtime_ns
    start = time.perf_counter()
    again = synthesize(SENTENCE, engine=engine, cache_dir=cache)
    elapsed = time.perf_counter() - start
    assert again == first
    assert again.wav.read_bytes() == data
    assert again.wav.stat().st_mtime_ns == mtime  # not written again
    assert elapsed < 0.2  # an engine run takes far longer (Piper: its model load)
    assert [p.name for p in cache.glob(".*")] == [".lock"]  # no temporary files left


def test_changed_text_is_said_again(cache, espeak_speech):
    other = synthesize(SENTENCE + " Again.", engine="espeak-ng", cache_dir=cache)
    assert other.key != espeak_speech.key and other.wav != espeak_speech.wav
    assert other.duration > espeak_speech.duration
    slower = synthesize(SENTENCE, engine="espeak-ng", speed=0.7, cache_dir=cache)
    assert slower.key != espeak_speech.key
    assert slower.duration > 1.2 * espeak_speech.duration


def test_piper_is_deterministic(piper_speech, tmp_path):
    # Piper's noise is off by default (PIPER_NOISE): a fresh cache gives the same bytes.
    fresh = synthesize(SENTENCE, engine="piper", cache_dir=tmp_path)
    assert fresh.wav.read_bytes() == piper_speech.wav.read_bytes()
    assert fresh.key == piper_speech.key


def test_piper_with_its_own_noise_varies(tmp_path):
    # The voice's own noise settings draw new random numbers on every run.
    runs = [
        synthesize("Softmax.", engine="piper", cache_dir=tmp_path / str(k), piper_noise=None)
        for k in range(2)
    ]
    assert runs[0].key == runs[1].key
    assert runs[0].wav.read_bytes() != runs[1].wav.read_bytes()


def test_many_texts_in_one_run(cache, piper_speech):
    texts = ["One third.", SENTENCE, "Minus one."]
    speeches = synthesize_many(texts, engine="piper", cache_dir=cache)
    assert [s.text for s in speeches] == texts
    assert speeches[1] == piper_speech  # from the cache
    assert speeches[0].duration < speeches[1].duration
    for speech in speeches:
        check_speech(speech, "piper")


@pytest.mark.parametrize("engine", ["piper", "espeak-ng"])
def test_a_speaker_says_texts_as_they_come(engine, tmp_path):
    """One engine process for several texts, the same files as one run for all of them."""
    texts = ["One third.", "Minus one, and e to the z."]
    batch = synthesize_many(texts, engine=engine, cache_dir=tmp_path / "batch")
    with Speaker(engine=engine, cache_dir=tmp_path / "speaker") as speaker:
        said = [speaker.say(t) for t in texts]
        assert speaker.say(texts[0]) == said[0]  # from the cache
        if engine == "piper":
            process = speaker._process
            assert process is not None and process.poll() is None  # kept for the next text
    assert [s.wav.read_bytes() for s in said] == [s.wav.read_bytes() for s in batch]
    for speech in said:
        check_speech(speech, engine)
    assert [p.name for p in (tmp_path / "speaker").glob(".*")] == [".lock"]  # work folder gone


def test_engine_choice(cache):
    assert resolve_engine("auto") == "piper"
    # An interpreter without piper-tts: "auto" falls back to espeak-ng ...
    if not Path(SYSTEM_PYTHON).exists():
        pytest.skip(f"{SYSTEM_PYTHON} is not there")
    assert resolve_engine("auto", piper_python=SYSTEM_PYTHON) == "espeak-ng"
    speech = synthesize("Fallback.", cache_dir=cache, piper_python=SYSTEM_PYTHON)
    assert speech.engine == "espeak-ng"
    # ... while asking for Piper there names the set-up command.
    with pytest.raises(EnvironmentFailure, match=r"piper .* is not installed: run `make video`"):
        resolve_engine("piper", piper_python=SYSTEM_PYTHON)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"text": "  "}, "text = '  ': must contain words to say"),
        (
            {"text": "Hi.", "engine": "festival"},
            "engine = 'festival': must be one of auto, piper, espeak-ng",
        ),
        (
            {"text": "Hi.", "engine": "piper", "voice": "amy"},
            "voice = 'amy': must be one of joe (engine piper)",
        ),
        (
            {"text": "Hi.", "engine": "espeak-ng", "voice": "joe"},
            "voice = 'joe': must be one of en-gb, ",
        ),
        ({"text": "Hi.", "speed": 3}, "speed = 3: must be between 0.5 and 2"),
    ],
)
def test_bad_input_is_a_one_line_error(kwargs, message, tmp_path):
    with pytest.raises(SoftmaxVideoError) as info:
        synthesize(**kwargs, cache_dir=tmp_path)
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)
    assert info.value.exit_status == 2
    assert not isinstance(info.value, EnvironmentFailure)


def test_missing_program_names_the_setup():
    with pytest.raises(EnvironmentFailure) as info:
        require_program("espeak-ng-not-installed")
    assert str(info.value) == (
        "espeak-ng-not-installed is not installed: "
        "run `make video` or `bash tools/bootstrap.sh` to set it up"
    )
    assert info.value.exit_status == 1


@pytest.mark.parametrize("engine", ["piper", "espeak-ng"])
def test_loudness_normalisation(engine, piper_speech, espeak_speech, tmp_path):
    speech = piper_speech if engine == "piper" else espeak_speech
    out = normalize_loudness(speech.wav, out=tmp_path / "loud.wav")
    loudness, peak = measure_loudness(out)
    assert loudness == pytest.approx(-16, abs=1.0)
    assert peak <= -1.0
    samples, rate = read_wav(out)
    assert rate == speech.sample_rate and samples.size == read_wav(speech.wav)[0].size
    assert 20 * np.log10(np.max(np.abs(samples))) <= -1.0
    # A loud input is brought down, peaks limited, too.
    quiet, _ = measure_loudness(speech.wav)
    again = normalize_loudness(out, target_lufs=-12, out=tmp_path / "louder.wav")
    loudness, peak = measure_loudness(again)
    assert loudness == pytest.approx(-12, abs=1.0) and peak <= -1.0 and quiet < -12


def test_join_speeches(piper_speech, espeak_speech, tmp_path):
    track = join_speeches(
        [piper_speech, espeak_speech], tmp_path / "t.wav", gap=0.5, lead=0.25, tail=1.0
    )
    samples, rate, channels = decode(track.wav)
    assert (rate, channels) == (TRACK_RATE, 1)
    total = 0.25 + piper_speech.duration + 0.5 + espeak_speech.duration + 1.0
    assert track.duration == pytest.approx(total, abs=2e-3)
    assert samples.size / rate == pytest.approx(total, abs=2e-3)
    assert track.starts == pytest.approx((0.25, 0.25 + piper_speech.duration + 0.5), abs=1e-3)
    gap = samples[int((track.starts[1] - 0.45) * rate) : int((track.starts[1] - 0.05) * rate)]
    assert np.max(np.abs(gap)) < 0.01  # silence between
    lead = samples[: int(0.25 * rate)]
    assert np.max(np.abs(lead)) == 0
    speech = samples[int(0.25 * rate) : int((0.25 + piper_speech.duration) * rate)]
    assert np.sqrt(np.mean(speech**2)) > 0.02
    placed = place_speeches(
        [(1.0, espeak_speech.wav), (9.0, piper_speech)], tmp_path / "p.wav", duration=20.0
    )
    assert placed.duration == pytest.approx(20.0) and placed.starts == (1.0, 9.0)
    with pytest.raises(SoftmaxVideoError, match=r"speech 2 starts at 1.5 s, before speech 1 ends"):
        place_speeches([(1.0, espeak_speech), (1.5, piper_speech)], tmp_path / "x.wav")


@pytest.mark.parametrize("engine", ["piper", "espeak-ng"])
def test_word_times_put_punctuation_pauses_between_words(engine, cache):
    speech = synthesize(
        "Softmax. Sigmoid. Logits, and probabilities.", engine=engine, cache_dir=cache
    )
    samples, rate = read_wav(speech.wav)
    for (word, _, end), (_, start, _) in itertools.pairwise(speech.words):
        if word[-1] in ".,":
            # The engine's pause after the punctuation lies between the two words.
            assert start - end >= 0.1, (word, end, start)
            pause = samples[int(end * rate) : int(start * rate)]
            assert np.sqrt(np.mean(pause**2)) < 0.01, word


def test_speech_to_caption_cues(piper_speech):
    shown = "Take a few logits, and T = 0.5."
    cues = make_cues([piper_speech.caption(shown, 12.0, 20.0)])
    assert " ".join(c.text for c in cues) == shown
    assert 12.0 <= cues[0].start < 12.0 + piper_speech.words[0][2]
    assert cues[-1].end <= 20.0


def test_word_time_estimate_finds_pauses():
    rate = 16000
    t = np.arange(int(0.6 * rate)) / rate
    burst = 0.3 * np.sin(2 * np.pi * 180 * t)
    silence = np.zeros(int(0.3 * rate))
    x = np.concatenate([silence, burst, silence, burst, burst, silence])
    words = ["Softmax,", "then", "probabilities."]
    times = estimate_word_times(x, rate, words)
    # The pause after "Softmax," ends it; the other two words share the second stretch.
    assert times[0][1] == pytest.approx(0.3, abs=0.02)
    assert times[0][2] == pytest.approx(0.9, abs=0.02)
    assert times[1][1] == pytest.approx(1.2, abs=0.02)
    assert times[2][2] == pytest.approx(2.4, abs=0.02)
    assert estimate_word_times(np.zeros(1000), rate, ["a", "b"])[1][2] == pytest.approx(1000 / rate)
    assert estimate_word_times(x, rate, []) == []
