"""The chapter's narrator: speaks each beat's sentence and joins the speeches into one track.

A chapter asks for a beat's speech when the beat starts; the engine runs in a
background thread while the beat's animations are built and drawn, and the scene
waits for the result only at the beat's end, when it needs the duration (the beat
lasts at least as long as its speech plus a breath). At the chapter's end the
speeches are placed at their beats' starts in one 48 kHz track, padded with
silence to the video's length and brought to -16 LUFS.
"""

from __future__ import annotations

import atexit
import os
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from softmax_video.core.spoken import spoken_text
from softmax_video.engine import voice as engine

__all__ = ["CACHE_ENV", "VOICE_ENV", "Narrator", "default_cache_dir"]

#: Names what ``voice.engine = "auto"`` means (``none``, ``piper`` or ``espeak-ng``);
#: the test suite sets ``none`` so that only the tests about narration speak.
VOICE_ENV = "SOFTMAX_VIDEO_VOICE"
#: Folder of the speech cache (default: ``$XDG_CACHE_HOME/softmax-video/voice``).
CACHE_ENV = "SOFTMAX_VIDEO_VOICE_CACHE"


def default_cache_dir() -> Path:
    """Where speeches are cached: one folder for every render, so a re-render says nothing again."""
    if folder := os.environ.get(CACHE_ENV):
        return Path(folder)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "softmax-video" / "voice"


def chosen_engine(engine_setting: str) -> str:
    """The engine ``voice.engine`` asks for, with ``auto`` read through :data:`VOICE_ENV`."""
    if engine_setting == "auto":
        return os.environ.get(VOICE_ENV) or "auto"
    return engine_setting


class Narrator:
    """Says sentences in the background and remembers where each speech goes.

    Parameters
    ----------
    engine_setting
        ``voice.engine``: ``auto``, ``piper``, ``espeak-ng`` or ``none``.
    voice
        Voice name (empty: the engine's default).
    speed
        Speaking rate, times normal.
    cache_dir
        Speech cache (default: :func:`default_cache_dir`).
    """

    def __init__(
        self,
        engine_setting: str,
        voice: str = "",
        speed: float = 1.0,
        cache_dir: Path | None = None,
    ) -> None:
        chosen = chosen_engine(engine_setting)
        self.enabled = chosen != "none"
        self.cache_dir = cache_dir or default_cache_dir()
        self._speaker = (
            engine.Speaker(
                engine=chosen, voice=voice or None, speed=speed, cache_dir=self.cache_dir
            )
            if self.enabled
            else None
        )
        self._pool: ThreadPoolExecutor | None = None
        self.placed: list[tuple[float, engine.Speech]] = []

    def say(self, sentence: str) -> Future[engine.Speech] | None:
        """Start saying ``sentence`` (as written on screen; spoken in words); ``None`` if silent."""
        if self._speaker is None:
            return None
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="narrator")
        return self._pool.submit(self._speaker.say, spoken_text(sentence))

    def place(self, start: float, speech: engine.Speech) -> None:
        """Put ``speech`` in the track at ``start`` (s, the video's clock)."""
        self.placed.append((start, speech))

    def write_track(self, duration: float) -> Path | None:
        """The chapter's narration as one ``.wav`` of ``duration`` seconds (``None``: nothing said).

        The file is temporary (removed when the process ends): manim reads it
        when it writes the video.
        """
        if not self.placed:
            return None
        fd, name = tempfile.mkstemp(prefix="softmax-video-narration-", suffix=".wav")
        os.close(fd)
        path = Path(name)
        atexit.register(path.unlink, missing_ok=True)
        engine.place_speeches(self.placed, path, duration=duration)
        return engine.normalize_loudness(path)

    def close(self) -> None:
        """Wait for speech under way, then stop the engine."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        if self._speaker is not None:
            self._speaker.close()


def beat_seconds(animation: float, speech: float | None, breath: float) -> float:
    """How long a beat lasts: its animations, or its speech and a breath if longer.

    Examples
    --------
    >>> beat_seconds(3.0, 4.2, 0.6)
    4.8
    >>> beat_seconds(6.0, 4.2, 0.6)
    6.0
    >>> beat_seconds(2.0, None, 0.6)
    2.0
    """
    if speech is None:
        return animation
    return max(animation, round(speech + breath, 6))
