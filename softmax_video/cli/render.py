"""Render chapters with manim in isolated, parallel processes and publish them atomically.

Each chapter render runs ``python -m manim`` in a folder of its own run,
``<output>/.cache/<profile>/<Chapter>/run-XXXX/`` (partial movies, LaTeX and
manim's cache are never shared between processes or runs), which is removed when
the render ends, however it ends: a finished run's files become the chapter's
last-render record (``<Chapter>/videos``, ``<Chapter>/share-1``, ``render.log``...),
a failed run leaves its log as ``<Chapter>/render.log``, an interrupted one leaves
nothing, and a run killed outright leaves a folder that a later render of the
chapter removes.
Compiled LaTeX is shared through ``<output>/.cache/tex``.

Publishing. A finished render lands in ``<output>/<profile>/NN-Chapter.<ext>``
with its ``.srt``, its section videos and its *render key* file (a hash of the
project's code, the chapter's resolved parameters and the render settings). All
of them are first copied beside their targets under temporary names; then, holding
the folder's publish lock (``fcntl.flock`` on ``<output>/<profile>/.publish.lock``,
:func:`softmax_video.cli.assemble.folder_lock`), the old key is removed, every file is renamed
into place and the new key is renamed in last. The decision to reuse a clip (its
stored key equals the run's key) is taken under the same lock. So two runs into
one folder never leave a file whose key names the other's settings; an interrupted
or failed render never leaves a truncated file and never destroys the previous good
one. While holding the lock, the run also hard-links the file and its subtitles
into its own pin folder (``<output>/.cache/pins-XXXX/``, removed when the process
exits): a lecture joins those links (:func:`softmax_video.cli.assemble.pin_clip`), that is,
exactly the clips its own run rendered or reused. A run that finds the lock held
by another process prints ``waiting for another render into <folder>`` and waits
(publish steps take well under a second), at most two minutes, then stops with
a "busy" error.

Before anything renders, :func:`render_chapters` checks that the programs manim
calls are on the PATH and that the output folder can be written, and stops with
one line otherwise (:mod:`softmax_video.core.errors`). A full disk stops the run
with one line naming the log. Ctrl-C stops every manim process (with its children),
publishes nothing that is not finished, removes the run folders and raises
``KeyboardInterrupt`` (exit status 130 from the command line). The manim processes
stay in the command's process group, so a terminal's Ctrl-C or hang-up, or a kill
of the group, reaches them even if the command itself is gone; and the command
kills each of them and its children (found in ``/proc``) when it alone is
interrupted.

Stills. A png render is one frame drawn by one process with manim's ``-s``: every
play is skipped, its state computed. ``RenderSettings.beat`` / ``.at`` end the scene
at the end of a beat or at a moment (:mod:`softmax_video.kit.lecture_scene`'s stop variables), so
any moment costs about what the last frame costs; each has its own file
(``NN-Chapter.beat-NAME.png``, ``NN-Chapter.at-2.5s.png``) and render key.

Progress. With an ``on_progress`` listener, each process's output goes through a
pipe: manim's progress bars are counted and kept out of the log, finished partial
movies are counted from their index (:class:`_ManimOutput`), and the total is the
frame count of the last render with the same key, else an estimate
(:class:`FrameProgress`, ``<output>/.cache/frames.json``).
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import errno
import fcntl
import hashlib
import importlib.metadata
import importlib.util
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from softmax_video.cli.assemble import (
    LOCK_NAME,
    disk_error_in_log,
    environment_error,
    folder_lock,
    pin_clip,
    uninterrupted,
)
from softmax_video.core.captions import cues_from_srt, transcript_text, vtt_text
from softmax_video.core.chapters import Chapter
from softmax_video.core.errors import EnvironmentFailure, SoftmaxVideoError
from softmax_video.core.files import (
    stage_copy,
    stage_text,
    temporary_name,
    write_atomic,
)
from softmax_video.core.params import (
    CONFIG_ENV_VAR,
    ChapterParams,
    ConfigError,
    LectureConfig,
    dump_toml,
)
from softmax_video.core.shares import SHARE_ENV_VAR, Share
from softmax_video.core.tex_store import STORED_PATTERNS

__all__ = [
    "ChapterRender",
    "FrameProgress",
    "RenderSettings",
    "cancel_renders",
    "check_still",
    "parse_at",
    "preflight",
    "render_chapters",
]

PROJECT_ROOT = Path(__file__).resolve().parents[2]

#: (width, height, fps) of each quality at 16:9.
QUALITY_PRESETS: dict[str, tuple[int, int, int]] = {
    "preview": (854, 480, 15),
    "medium": (1280, 720, 30),
    "high": (1920, 1080, 60),
    "4k": (3840, 2160, 60),
}

#: libx264 options: ``veryfast`` and no sliced threads took 10-45% off
#: encode-bound renders at similar quality (benchmarks/RESULTS.md).
H264_OPTIONS: tuple[str, ...] = ("preset=veryfast", "x264-params=sliced-threads=0")

VIDEO_FORMATS = ("mp4", "webm", "gif", "mov")

#: Environment variables that make a chapter scene end at the end of a beat or at a
#: time (:mod:`softmax_video.kit.lecture_scene`, ``STOP_AFTER_BEAT_ENV`` and ``STOP_AT_ENV``);
#: with manim's ``-s`` every play before is skipped, its state still computed.
STOP_AFTER_BEAT_ENV = "SOFTMAX_VIDEO_STOP_AFTER_BEAT"
STOP_AT_ENV = "SOFTMAX_VIDEO_STOP_AT"
#: Decides what ``voice.engine = "auto"`` means, so it is part of the render key.
VOICE_ENV_VAR = "SOFTMAX_VIDEO_VOICE"


@dataclass(frozen=True)
class RenderSettings:
    """How to render: pixel size, frame rate and file format.

    Examples
    --------
    >>> RenderSettings.from_options("preview", aspect="9:16").size
    (480, 854)
    >>> RenderSettings.from_options("high").profile
    '1080p60'
    >>> RenderSettings.from_options("preview", resolution="640x360", fps=24).profile
    '360p24'
    >>> RenderSettings.from_options("preview", resolution="640x480", fps=24).profile
    '640x480p24'
    """

    width: int
    height: int
    fps: int
    format: str = "mp4"
    theme: str = "dark"
    #: libx264 options of mp4 and mov renders (tests add ``crf=0``: lossless).
    encoder_options: tuple[str, ...] = H264_OPTIONS
    #: A png still shows the end of this beat (None: of the chapter)...
    beat: str | None = None
    #: ... or this moment, in seconds from the start.
    at: float | None = None

    @classmethod
    def from_options(
        cls,
        quality: str = "preview",
        *,
        aspect: str = "16:9",
        fps: int | None = None,
        resolution: str | None = None,
        format: str = "mp4",
        theme: str = "dark",
        beat: str | None = None,
        at: float | None = None,
    ) -> RenderSettings:
        width, height, preset_fps = QUALITY_PRESETS[quality]
        if resolution:
            width, height = _parse_resolution(resolution)
        elif aspect == "9:16":
            width, height = height, width
        elif aspect == "1:1":
            width = height
        if (beat is not None or at is not None) and format != "png":
            option = "--beat" if beat is not None else "--at"
            raise ConfigError(
                "--format", f"{option} makes a still; allowed: png (or leave --format out)", format
            )
        if beat is not None and at is not None:
            raise ConfigError("--at", "give --beat or --at, not both", at)
        return cls(width, height, fps or preset_fps, format, theme, beat=beat, at=at)

    @property
    def size(self) -> tuple[int, int]:
        return (self.width, self.height)

    @property
    def profile(self) -> str:
        """Folder name of this render's outputs, e.g. ``480p15`` or ``480x854p15-light``."""
        # 854x480 counts as 16:9 (manim's own 480p size).
        standard = abs(self.width * 9 - self.height * 16) <= 0.01 * self.height * 16
        base = f"{self.height}p{self.fps}" if standard else f"{self.width}x{self.height}p{self.fps}"
        return base if self.theme == "dark" else f"{base}-{self.theme}"

    @property
    def extension(self) -> str:
        return self.format

    @property
    def still_name(self) -> str:
        """What a still shows, for its file name: ``""`` (the last frame),
        ``.beat-<name>`` or ``.at-<seconds>s``.

        Examples
        --------
        >>> RenderSettings(256, 144, 5, "png", beat="switch-to-a/b").still_name
        '.beat-switch-to-a_b'
        >>> RenderSettings(256, 144, 5, "png", at=2.5).still_name
        '.at-2.5s'
        """
        if self.beat is not None:
            # Beat names may hold class names (any printable character).
            return ".beat-" + re.sub(r"[^A-Za-z0-9_-]", "_", self.beat)
        if self.at is not None:
            return f".at-{self.at:g}s"
        return ""

    def stop_env(self) -> dict[str, str]:
        """Environment variables that end the scene at the moment this still shows."""
        if self.beat is not None:
            return {STOP_AFTER_BEAT_ENV: self.beat}
        if self.at is not None:
            return {STOP_AT_ENV: repr(self.at)}
        return {}

    def manim_args(self) -> list[str]:
        # The render key (``render_key``) decides reuse for whole chapters; manim's own
        # per-animation cache would only add its hashing, about a quarter of a 2D render.
        args = ["-r", f"{self.width},{self.height}", "--fps", str(self.fps), "--disable_caching"]
        if self.format == "png":
            return [*args, "-s"]
        args += ["--format", self.format, "--save_sections"]
        if self.format in ("mp4", "mov"):
            for option in self.encoder_options:
                args += ["--encoder-option", option]
        return args


def _parse_resolution(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().replace(",", "x").split("x"))
    except ValueError:
        raise ConfigError("--resolution", "expected WIDTHxHEIGHT, e.g. 1280x720", text) from None
    if not (16 <= width <= 7680 and 16 <= height <= 4320) or width % 2 or height % 2:
        raise ConfigError("--resolution", "expected even sizes from 16x16 to 7680x4320", text)
    return width, height


@dataclass(frozen=True)
class ChapterRender:
    """Outcome of one chapter's render."""

    chapter: Chapter
    output: Path | None
    cached: bool
    seconds: float
    error: str | None = None
    log: Path | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def subtitles(self) -> Path | None:
        return self.output.with_suffix(".srt") if self.output else None

    @property
    def sections_dir(self) -> Path | None:
        return self.output.parent / "sections" / self.chapter.name if self.output else None


def parse_at(text: str) -> float:
    """Seconds of ``--at``: a finite number, at least 0 (a moment past the chapter's
    end shows its last frame).

    Examples
    --------
    >>> parse_at("2.5")
    2.5
    >>> parse_at("-1")
    Traceback (most recent call last):
    ...
    softmax_video.core.params.ConfigError: --at = "-1": expected seconds from the start, ... >= 0
    """
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 0:
        raise ConfigError("--at", "expected seconds from the start, a number >= 0", text)
    return seconds


def check_still(chapters: Iterable[Chapter], config: LectureConfig, beat: str | None) -> None:
    """``beat`` must name a beat of every chapter in ``chapters`` (before rendering).

    Raises :class:`~softmax_video.core.params.ConfigError` naming ``--beat``, the value and the
    chapter's beats.
    """
    if beat is None:
        return
    for chapter in chapters:
        names = config.chapter(chapter.name).beat_names(config.lecture)
        if beat not in names:
            raise ConfigError(
                "--beat", f"no such beat in {chapter.name}; allowed: {', '.join(names)}", beat
            )


def module_file(chapter: Chapter) -> Path:
    spec = importlib.util.find_spec(chapter.module)
    if spec is None or spec.origin is None:
        raise FileNotFoundError(f"module {chapter.module} of chapter {chapter.name} is missing")
    return Path(spec.origin)


#: Packages whose Python files shape frames or sound: every layer but the front end
#: (``softmax_video/cli``), whose modules only start renders and handle finished files.
FRAME_PACKAGES = (
    "scenes",
    "softmax_math",
    "softmax_video/core",
    "softmax_video/engine",
    "softmax_video/kit",
)


def code_fingerprint() -> str:
    """Hash of the Python files that shape frames and sound (:data:`FRAME_PACKAGES`)
    and manim's version."""
    digest = hashlib.sha256(importlib.metadata.version("manim").encode())
    for package in FRAME_PACKAGES:
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            digest.update(str(path.relative_to(PROJECT_ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def render_key(chapter: Chapter, config: LectureConfig, settings: RenderSettings, code: str) -> str:
    """Identity of a render: same key, same frames and sound.

    The whole ``voice`` table and the chapter's narration overrides count (when the
    configuration has them), and ``$SOFTMAX_VIDEO_VOICE``, which decides what
    ``voice.engine = "auto"`` means.
    """
    tables = config.as_dict()
    narration = (tables.get("narration") or {}).get(chapter.name, {})
    payload = {
        "code": code,
        "chapter": chapter.name,
        "lecture": tables["lecture"],
        "params": frame_params(config.chapter(chapter.name)),
        "settings": settings.__dict__,
        "voice": tables.get("voice"),
        "narration": narration,
        "voice_env": os.environ.get(VOICE_ENV_VAR, ""),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def frame_params(params: ChapterParams) -> dict[str, Any]:
    """The chapter parameters that change frames (``poster_beat`` only picks a thumbnail)."""
    return {
        f.name: getattr(params, f.name)
        for f in dataclasses.fields(params)
        if f.metadata.get("frames", True)
    }


def key_file(target: Path) -> Path:
    """The render key stored beside ``target`` (one per output file, so mp4 and png keep theirs)."""
    return target.with_name(f"{target.name}.key")


def output_path(output_dir: Path, chapter: Chapter, settings: RenderSettings) -> Path:
    """Where chapter ``chapter``'s file lands, e.g. ``media/480p15/02-SoftmaxBars.mp4``
    (a still of a beat: ``02-SoftmaxBars.beat-exponentiate.png``)."""
    name = f"{chapter.number:02d}-{chapter.name}{settings.still_name}.{settings.extension}"
    return output_dir / settings.profile / name


def _find_manim_output(staging: Path, chapter: Chapter, settings: RenderSettings) -> Path:
    if settings.format == "png":
        candidates = sorted((staging / "images").rglob(f"{chapter.name}*.png"))
    else:
        # Manim names a gif after its version too (``Chapter_ManimCE_v0.22.0.gif``).
        stem = f"{chapter.name}*" if settings.format == "gif" else chapter.name
        candidates = [
            p
            for p in (staging / "videos").rglob(f"{stem}.{settings.extension}")
            if "partial_movie_files" not in p.parts and "sections" not in p.parts
        ]
    if not candidates:
        raise FileNotFoundError(f"manim wrote no {settings.extension} file for {chapter.name}")
    return max(candidates, key=lambda p: p.stat().st_mtime)


def _publish(produced: Path, target: Path, chapter: Chapter, key: str, output_dir: Path) -> None:
    """Publish a finished render, its subtitles, sections and key beside ``target``.

    Everything is copied under temporary names first (a full disk fails here and
    leaves the published files as they were); then, under the folder's publish
    lock, the old key goes, the files are renamed into place and the new key comes
    last, and the result is pinned for this process (:func:`_pin`).
    """
    staged: list[tuple[Path, Path]] = []
    try:
        srt = produced.with_suffix(".srt")
        if srt.exists():
            staged.append((stage_copy(srt, target.with_suffix(".srt")), target.with_suffix(".srt")))
            for final, text in caption_companions(srt, target, chapter.title).items():
                staged.append((stage_text(final, text), final))
        sections = produced.parent / "sections"
        index = sections / f"{chapter.name}.json"
        if index.exists():
            destination = target.parent / "sections" / chapter.name
            for entry in json.loads(index.read_text()):
                final = destination / entry["video"]
                staged.append((stage_copy(sections / entry["video"], final), final))
            staged.append((stage_copy(index, destination / index.name), destination / index.name))
        staged.append((stage_copy(produced, target), target))
        staged.append((stage_text(key_file(target), key), key_file(target)))
        with folder_lock(target.parent, abort=CANCELLED), uninterrupted():
            if CANCELLED.is_set():
                raise KeyboardInterrupt
            # The key goes first and comes back last: a target without a matching key
            # is never reused, whatever stops this step.
            key_file(target).unlink(missing_ok=True)
            if not srt.exists() and target.suffix != ".png":  # a still has no subtitles
                for companion in (target.with_suffix(".srt"), *companion_paths(target)):
                    companion.unlink(missing_ok=True)
            for temporary, final in staged:
                os.replace(temporary, final)
            _pin(target, output_dir)
            _prune_temporaries(target.parent)
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)


def companion_paths(video: Path) -> tuple[Path, Path]:
    """The WebVTT captions and the plain transcript written beside ``video``."""
    return video.with_suffix(".vtt"), video.with_suffix(".transcript.txt")


def caption_companions(srt_file: Path, video: Path, title: str) -> dict[Path, str]:
    """``.vtt`` and ``.transcript.txt`` texts for ``video`` from its ``.srt``."""
    cues = cues_from_srt(srt_file.read_text(encoding="utf-8"))
    vtt, transcript = companion_paths(video)
    sentences = [" ".join(cue.lines) for cue in cues]
    return {vtt: vtt_text(cues), transcript: transcript_text([(title, sentences)])}


def _prune_temporaries(folder: Path) -> None:
    """Remove temporary files in ``folder`` left by processes that no longer run.

    Temporary names carry their process's id (:func:`softmax_video.cli.assemble.temporary_name`);
    a run killed outright between copying and renaming leaves its copies behind.
    """
    for path in folder.glob(".*.tmp*"):
        try:
            pid = int(path.name.rsplit(".tmp", 1)[0].rsplit(".", 1)[1].split("-")[0])
        except (IndexError, ValueError):
            continue
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            path.unlink(missing_ok=True)
        except PermissionError:
            pass


def _is_current(target: Path, key: str) -> bool:
    stored = key_file(target)
    try:
        return target.exists() and stored.read_text() == key
    except OSError:
        return False


# --------------------------------------------------------------------------- #
# Pins: hard links of what this process published or reused (for the lecture)
# --------------------------------------------------------------------------- #

_PIN_FOLDERS: dict[Path, Path] = {}
_PIN_GUARD = threading.Lock()


def pin_folder(output_dir: Path) -> Path:
    """This process's pin folder in ``output_dir``, locked while the process lives."""
    cache = Path(os.path.abspath(output_dir / ".cache"))
    with _PIN_GUARD:
        folder = _PIN_FOLDERS.get(cache)
        if folder is None:
            cache.mkdir(parents=True, exist_ok=True)
            folder = Path(tempfile.mkdtemp(prefix="pins-", dir=cache))
            descriptor = _lock_folder(folder)
            atexit.register(_remove_locked, folder, descriptor)
            _PIN_FOLDERS[cache] = folder
    return folder


def _pin(target: Path, output_dir: Path) -> None:
    """Hard-link ``target`` and its subtitles into the pin folder (called under the lock)."""
    folder = pin_folder(output_dir)
    stem = f"{target.parent.name}-{target.name}"
    video = link_or_copy(target, folder / stem)
    srt = target.with_suffix(".srt")
    subtitles = link_or_copy(srt, folder / f"{stem}.srt") if srt.exists() else None
    pin_clip(target, video, subtitles)


def link_or_copy(source: Path, destination: Path) -> Path:
    """``destination`` as a hard link of ``source`` (a copy where links are not allowed)."""
    temporary = temporary_name(destination)
    try:
        try:
            os.link(source, temporary)
        except OSError:
            shutil.copyfile(source, temporary)
        os.replace(temporary, destination)
    finally:
        temporary.unlink(missing_ok=True)
    return destination


# --------------------------------------------------------------------------- #
# Run folders: one per render, removed when it ends
# --------------------------------------------------------------------------- #

#: A run folder unlocked for this long belongs to a run that was killed outright.
STALE_SECONDS = 60.0


def _lock_folder(folder: Path) -> int:
    """Take ``flock`` on ``folder`` itself; the descriptor holds it until closed."""
    descriptor = os.open(folder, os.O_RDONLY | os.O_CLOEXEC)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    return descriptor


def _remove_locked(folder: Path, descriptor: int) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    with contextlib.suppress(OSError):
        os.close(descriptor)


def _prune_stale(parent: Path, prefix: str) -> None:
    """Remove ``parent/<prefix>*`` folders of runs that no longer exist.

    A live run holds ``flock`` on its folder; one that is unlocked and older than
    :data:`STALE_SECONDS` was left by a run that was killed outright.
    """
    if not parent.is_dir():
        return
    for folder in parent.glob(f"{prefix}*"):
        try:
            if time.time() - folder.stat().st_mtime < STALE_SECONDS:
                continue
            descriptor = os.open(folder, os.O_RDONLY | os.O_CLOEXEC)
        except OSError:
            continue
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            continue
        _remove_locked(folder, descriptor)


@contextlib.contextmanager
def run_folder(chapter_dir: Path) -> Iterator[Path]:
    """A fresh ``chapter_dir/run-XXXX`` folder for one render, removed afterwards."""
    chapter_dir.mkdir(parents=True, exist_ok=True)
    _prune_stale(chapter_dir, "run-")
    folder = Path(tempfile.mkdtemp(prefix="run-", dir=chapter_dir))
    descriptor = _lock_folder(folder)
    try:
        yield folder
    finally:
        _remove_locked(folder, descriptor)


def _keep_record(staging: Path, log: Path, chapter_dir: Path) -> Path:
    """Leave a finished run's working files in ``chapter_dir`` as the chapter's last
    render (manim's media folder, each share's folder with its partial movies, the
    logs), in place of the previous one; returns where ``log`` went.

    Best effort, under the chapter folder's lock: nothing reads these files but a
    person (or a test) looking into a render; the run folder, with whatever could
    not be moved, is removed afterwards.
    """
    previous = staging / ".previous"
    with folder_lock(chapter_dir, abort=CANCELLED):
        with contextlib.suppress(OSError):
            previous.mkdir()
            for entry in chapter_dir.iterdir():
                if entry.name not in ("Tex", LOCK_NAME) and not entry.name.startswith("run-"):
                    os.replace(entry, previous / entry.name)
            for entry in staging.iterdir():
                if entry.name not in ("Tex", previous.name):
                    os.replace(entry, chapter_dir / entry.name)
    kept = chapter_dir / log.relative_to(staging)
    return kept if kept.exists() else log


def keep_log(log: Path, chapter_dir: Path) -> Path:
    """Move a run's log out of its folder (which is removed) to ``chapter_dir/render.log``.

    The chapter's last render, failed or not, leaves its log there (with shares:
    the log of the share that failed, else share 0's).
    """
    kept = chapter_dir / "render.log"
    try:
        os.replace(log, kept)
    except OSError:
        return log
    return kept


def tex_store(output_dir: Path) -> Path:
    """Compiled LaTeX shared by every chapter, quality and format rendered into ``output_dir``."""
    return output_dir / ".cache" / "tex"


def _share_tex(source: Path, target: Path) -> None:
    """Hard-link the files of compiled LaTeX from ``source`` that ``target`` lacks (SVGs
    and their parsed glyphs, ``STORED_PATTERNS``) into ``target``, copying where links
    are not allowed.

    Links cost no room on a full disk (seeding a render no longer needs space for a copy
    of the store) and are safe: nothing rewrites these files in place. Each file lands
    under a temporary name and is renamed into place, so a process reading ``target``
    never sees half a file.
    """
    if not source.is_dir():
        return
    target.mkdir(parents=True, exist_ok=True)
    for pattern in STORED_PATTERNS:
        for stored in source.glob(pattern):
            destination = target / stored.name
            if not destination.exists():
                link_or_copy(stored, destination)


# --------------------------------------------------------------------------- #
# Manim processes, and stopping them all on Ctrl-C
# --------------------------------------------------------------------------- #

#: Set when the renders are cancelled (Ctrl-C, or a failure that stops the run).
CANCELLED = threading.Event()
_LIVE: set[subprocess.Popen[bytes]] = set()
_LIVE_GUARD = threading.Lock()


def _start(command: list[str], **options: Any) -> subprocess.Popen[bytes]:
    """Start a manim process, unless the renders are being cancelled."""
    with _LIVE_GUARD:
        if CANCELLED.is_set():
            raise KeyboardInterrupt
        process = subprocess.Popen(command, **options)
        _LIVE.add(process)
    return process


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (its LaTeX runs, say), from ``/proc``."""
    children: dict[int, list[int]] = {}
    try:
        entries = list(Path("/proc").iterdir())
    except OSError:  # no /proc: only the process itself is stopped
        return []
    for entry in entries:
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found: list[int] = []
    stack = [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Kill ``process`` and everything it started, and reap it."""
    if process.poll() is None:
        for pid in [process.pid, *_descendants(process.pid)]:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
    process.wait()
    with _LIVE_GUARD:
        _LIVE.discard(process)


def cancel_renders() -> None:
    """Stop every running manim process; renders in progress publish nothing."""
    with _LIVE_GUARD:
        CANCELLED.set()
        live = list(_LIVE)
    for process in live:
        _stop(process)


def run_manim(
    program: str,
    module_file: Path,
    scene: str,
    staging: Path,
    config: LectureConfig,
    settings: RenderSettings,
    *,
    verbose: bool = False,
    shared_tex: Path | None = None,
    shares: int = 1,
    on_frames: Callable[[int], None] | None = None,
) -> tuple[int, Path]:
    """Run ``python -m <program> render`` for ``scene`` in its own media folder ``staging``.

    The configuration reaches the scene through a TOML file and ``$SOFTMAX_VIDEO_CONFIG``;
    manim's output goes to ``staging/render.log``. Returns (exit status, log path).
    A still of a beat or a moment (``settings.beat``, ``settings.at``) sets the
    variables that end the scene there (:meth:`RenderSettings.stop_env`).

    With ``shared_tex``, LaTeX another render already compiled is copied into
    ``staging/Tex`` first (manim skips any expression whose SVG exists; a LaTeX
    run costs about 0.25 s and a chapter has 20-40 of them), and what this render
    compiled is added to ``shared_tex`` afterwards. Each process still writes only
    its own folder, so parallel renders never race on a half-written file.

    With ``shares`` above 1, that many processes render the scene together, each
    drawing a share of its plays (:mod:`softmax_video.core.shares`); share ``k > 0`` works in
    ``staging/share-k``, and share 0 joins the result in ``staging``. If one fails,
    the others are stopped and its status and log are returned.

    With ``on_frames``, manim prints its progress bars into a pipe read here: they
    are counted (:class:`_ManimOutput`) and left out of the log, which gets every
    other line as before; ``on_frames`` is called with the frames drawn so far by
    all processes together, a few times a second.

    Raises ``KeyboardInterrupt``, with every process stopped, when the renders are
    cancelled (:func:`cancel_renders`) or a process was stopped by Ctrl-C.
    """
    config_file = staging / "config.toml"
    config_file.write_text(dump_toml(config, comments=False), encoding="utf-8")
    folder = staging / "shares"
    shutil.rmtree(folder, ignore_errors=True)  # lists of an earlier render
    processes: list[tuple[subprocess.Popen[bytes], Path, Path]] = []
    outputs: list[_ManimOutput] = []
    try:
        for index in range(shares):
            media = staging if index == 0 else staging / f"share-{index}"
            media.mkdir(parents=True, exist_ok=True)
            if shared_tex is not None:
                _share_tex(shared_tex, media / "Tex")
            env = dict(os.environ, **{CONFIG_ENV_VAR: str(config_file)})
            # An inherited stop would cut a video short without a word.
            for name in (STOP_AFTER_BEAT_ENV, STOP_AT_ENV, PROGRESS_ENV_VAR):
                env.pop(name, None)
            env.update(settings.stop_env())
            # One string-hash order in every process: manim's TransformMatchingTex pairs
            # parts through sets of strings, and that order is the order its moving parts
            # are drawn in (where they overlap, the pixels differ).
            env["PYTHONHASHSEED"] = "0"
            if shares > 1:
                env[SHARE_ENV_VAR] = str(Share(index, shares, folder))
            log = media / "render.log"
            if on_frames is not None:
                env[PROGRESS_ENV_VAR] = str(media / "progress.json")
            command = [
                sys.executable, "-m", program, "render", str(module_file), scene,
                "--media_dir", str(media),
                "--progress_bar", "none" if on_frames is None else "display",
                "-v", "INFO" if verbose else "WARNING",
                *settings.manim_args(),
            ]  # fmt: skip
            if on_frames is None:
                with log.open("w", encoding="utf-8") as log_stream:
                    process = _start(
                        command, cwd=PROJECT_ROOT, env=env,
                        stdout=log_stream, stderr=subprocess.STDOUT,
                    )  # fmt: skip
            else:
                process = _start(
                    command, cwd=PROJECT_ROOT, env=env,
                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                )  # fmt: skip
                assert process.stdout is not None
                outputs.append(
                    _ManimOutput(process.stdout, log, Path(env[PROGRESS_ENV_VAR]), media)
                )
            processes.append((process, media, log))

        def tick() -> None:
            if on_frames is not None:
                on_frames(sum(output.frames for output in outputs))

        status, log = _wait_all(processes, tick)
    finally:
        for process, _, _ in processes:
            _stop(process)
        for output in outputs:
            output.close()
    if CANCELLED.is_set() or status in (-signal.SIGINT, 128 + signal.SIGINT):
        raise KeyboardInterrupt
    if verbose:
        for _, _, share_log in processes:
            sys.stderr.write(share_log.read_text(encoding="utf-8", errors="replace"))
    if shared_tex is not None:
        for _, media, _ in processes:
            _share_tex(media / "Tex", shared_tex)
    return status, log


def _wait_all(
    processes: Sequence[tuple[subprocess.Popen[bytes], Path, Path]],
    tick: Callable[[], None] | None = None,
) -> tuple[int, Path]:
    """Wait for every process; the first failure (status, log) ends the wait, else share 0's.

    ``tick`` is called every :data:`PROGRESS_SECONDS` while they run.
    """
    running = list(processes)
    ticked = 0.0
    while running:
        if CANCELLED.is_set():
            raise KeyboardInterrupt
        for entry in list(running):
            process, _, log = entry
            status = process.poll()
            if status is None:
                continue
            if status != 0:
                return status, log
            running.remove(entry)
        if tick is not None and time.monotonic() - ticked >= PROGRESS_SECONDS:
            ticked = time.monotonic()
            tick()
        if running:
            time.sleep(0.05)
    return 0, processes[0][2]


# --------------------------------------------------------------------------- #
# Progress by frames
# --------------------------------------------------------------------------- #

#: Seconds between progress reports of a running chapter.
PROGRESS_SECONDS = 0.25

#: Names a file in which a scene may keep ``{"frames": N}``, the frames it has handed
#: to the encoder so far (repeats of a still wait included). Manim's progress bars
#: miss the frames of a wait that shows one still frame and of a play that
#: :mod:`softmax_video.core.shares` cuts into runs; a scene that keeps this file counts them too.
PROGRESS_ENV_VAR = "SOFTMAX_VIDEO_PROGRESS"

#: One of manim's progress bars (tqdm), e.g.
#: ``Animation 3: Create(Axes):  40%|####      | 4/10 [00:01<00:01,  3.9it/s]``.
_PROGRESS_LINE = re.compile(rb"^Animation (\d+):.*\|\s*(\d+)/(\d+)\s*\[")


class _ManimOutput:
    """Copies one manim process's output into its log, leaving out manim's progress
    bars, and counts the frames the process has drawn.

    A progress bar redraws itself after a carriage return and, when its play ends,
    blanks itself out: those pieces of the stream are all dropped, so the log holds
    what it holds without progress bars.

    Frames of play ``N`` are the larger of what its progress bar last said and the
    frames of its finished partial movie (``uncached_0000N.*``, read from the file's
    index once it can be opened): a wait that shows one still frame has no progress
    bar, nor does a play that :mod:`softmax_video.core.shares` cuts into runs, but both leave a
    partial movie when they end. A progress bar of a single step is not counted: a
    share that only follows a play shows one for each play it skips.
    """

    def __init__(self, stream: Any, log: Path, hook: Path, media: Path) -> None:
        self._stream = stream
        self._log = log.open("wb")
        self._hook = hook
        self._media = media
        self._plays: dict[int, int] = {}
        #: Frames of each finished partial movie, by play.
        self._movies: dict[int, int] = {}
        #: (size, mtime) of partial movies that could not be read yet.
        self._unreadable: dict[Path, tuple[int, int]] = {}
        self._thread = threading.Thread(target=self._pump, daemon=True)
        self._thread.start()

    @property
    def frames(self) -> int:
        """Frames drawn so far (see the class's description)."""
        self._read_movies()
        plays = self._plays.copy()
        counted = sum(max(plays.get(n, 0), self._movies.get(n, 0)) for n in {*plays, *self._movies})
        try:
            reported = int(json.loads(self._hook.read_text())["frames"])
        except (OSError, ValueError, KeyError, TypeError):
            reported = 0
        return max(counted, reported)

    def _read_movies(self) -> None:
        for movie in self._media.glob("videos/*/*/partial_movie_files/*/uncached_*.*"):
            try:
                play = int(movie.stem.rsplit("_", 1)[1])
                stat = movie.stat()
            except (ValueError, OSError):
                continue
            if play in self._movies:
                continue
            # A movie still being written cannot be opened; try again once it has grown.
            if self._unreadable.get(movie) == (stat.st_size, stat.st_mtime_ns):
                continue
            try:
                self._movies[play] = count_frames(movie)
            except Exception:  # any decoder error means "not finished yet"
                self._unreadable[movie] = (stat.st_size, stat.st_mtime_ns)

    def _pump(self) -> None:
        pending = b""
        while True:
            try:
                chunk = os.read(self._stream.fileno(), 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                break
            pending += chunk
            start = 0
            for match in re.finditer(rb"[\r\n]", pending):
                self._piece(pending[start : match.start()], pending[match.start() : match.end()])
                start = match.end()
            pending = pending[start:]
        if pending:
            self._piece(pending, b"")

    def _piece(self, text: bytes, end: bytes) -> None:
        match = _PROGRESS_LINE.match(text)
        if match is not None:
            done, total = int(match[2]), int(match[3])
            if total > 1:
                self._plays[int(match[1])] = done
            return
        if end == b"\r" and not text.strip():
            return  # a progress bar blanked out
        # A full disk must not stop the pipe from draining (manim would block).
        with contextlib.suppress(OSError, ValueError):
            self._log.write(text + end)

    def close(self) -> None:
        """Wait for the end of the output (the process has ended) and close the log."""
        self._thread.join(timeout=10)
        with contextlib.suppress(OSError):
            self._stream.close()
        with contextlib.suppress(OSError):
            self._log.close()


@dataclass(frozen=True)
class FrameProgress:
    """How far a chapter's render is: ``done`` of ``total`` frames.

    ``exact`` says whether ``total`` is known (an earlier render with the same key,
    or this one finished) or estimated (the chapter's length at this pace and frame
    rate, from its last render at any settings, else its nominal length).
    """

    chapter: Chapter
    done: int
    total: int
    exact: bool


#: Frame counts of finished renders, by render key, and seconds of each chapter at
#: pace 1 (``<output>/.cache/frames.json``).
FRAMES_CACHE = "frames.json"
#: Render keys kept in the cache (the oldest are dropped).
FRAMES_CACHE_KEYS = 500


def _frames_cache(output_dir: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads((output_dir / ".cache" / FRAMES_CACHE).read_text())
        if isinstance(data.get("keys"), dict) and isinstance(data.get("chapters"), dict):
            return data
    except (OSError, ValueError, AttributeError):
        pass
    return {"keys": {}, "chapters": {}}


def expected_frames(
    output_dir: Path, chapter: Chapter, config: LectureConfig, settings: RenderSettings, key: str
) -> tuple[int, bool]:
    """(frames, exact) of a render: its count when a render with ``key`` finished
    before, else an estimate (see :class:`FrameProgress`)."""
    cache = _frames_cache(output_dir)
    known = cache["keys"].get(key)
    if isinstance(known, int) and known > 0:
        return known, True
    seconds = cache["chapters"].get(chapter.name)
    if not isinstance(seconds, (int, float)) or seconds <= 0:
        seconds = chapter.nominal_seconds
    return max(1, round(seconds * config.pace(chapter.name) * settings.fps)), False


def _remember_frames(
    output_dir: Path,
    chapter: Chapter,
    config: LectureConfig,
    settings: RenderSettings,
    key: str,
    frames: int,
) -> None:
    """Keep a finished render's frame count for the next render's progress (best effort:
    two renders finishing at once may each keep only their own)."""
    cache = _frames_cache(output_dir)
    keys = cache["keys"]
    keys.pop(key, None)
    keys[key] = frames
    for old in list(keys)[:-FRAMES_CACHE_KEYS]:
        del keys[old]
    cache["chapters"][chapter.name] = frames / settings.fps / config.pace(chapter.name)
    with contextlib.suppress(OSError):
        write_atomic(output_dir / ".cache" / FRAMES_CACHE, json.dumps(cache))


def count_frames(video: Path) -> int:
    """Frames of ``video``, from its index where it has one, else by reading its packets
    (no decoding)."""
    import av

    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        if stream.frames:
            return int(stream.frames)
        return sum(1 for packet in container.demux(stream) if packet.size)


def render_one(
    chapter: Chapter,
    config: LectureConfig,
    settings: RenderSettings,
    output_dir: Path,
    code: str,
    *,
    verbose: bool = False,
    force: bool = False,
    shares: int = 1,
    on_progress: Callable[[FrameProgress], None] | None = None,
) -> ChapterRender:
    """Render one chapter (or reuse its clip) and publish it.

    A failed manim run is a result with its error and log, not an exception. A full
    disk, a folder that cannot be written and a busy folder raise
    :class:`~softmax_video.core.errors.SoftmaxVideoError` (they stop every chapter);
    cancelling raises ``KeyboardInterrupt``.

    ``shares`` processes render a video together (:mod:`softmax_video.core.shares`; a still
    image is one frame, drawn by one process).

    ``on_progress`` hears how far a video's render is (:class:`FrameProgress`), a few
    times a second, and last with the frame count of the finished video.
    """
    started = time.monotonic()
    target = output_path(output_dir, chapter, settings)
    key = render_key(chapter, config, settings, code)
    chapter_dir = output_dir / ".cache" / settings.profile / chapter.name
    log: Path | None = None
    try:
        if not force:
            with folder_lock(target.parent, abort=CANCELLED):
                if _is_current(target, key):
                    _pin(target, output_dir)
                    return ChapterRender(chapter, target, True, time.monotonic() - started)
        on_frames = None
        if on_progress is not None and settings.format != "png":
            total, exact = expected_frames(output_dir, chapter, config, settings, key)

            def on_frames(done: int) -> None:
                # An estimate grows to what is already drawn; a known count bounds it.
                shown = min(done, total) if exact else done
                on_progress(FrameProgress(chapter, shown, max(total, shown), exact))

            on_frames(0)
        with run_folder(chapter_dir) as staging:
            status, log = run_manim(
                "manim", module_file(chapter), chapter.name, staging, config, settings,
                verbose=verbose, shared_tex=tex_store(output_dir),
                shares=1 if settings.format == "png" else shares, on_frames=on_frames,
            )  # fmt: skip
            # The chapter keeps its compiled LaTeX beside its runs.
            for media in (staging, *sorted(staging.glob("share-*"))):
                _share_tex(media / "Tex", chapter_dir / "Tex")
            if status != 0:
                log = keep_log(log, chapter_dir)
                full = _disk_failure(status, log, staging)
                if full is not None:
                    raise OSError(full, os.strerror(full), str(staging))
                return ChapterRender(
                    chapter, None, False, time.monotonic() - started,
                    error=f"manim exited with status {status}", log=log,
                )  # fmt: skip
            try:
                produced = _find_manim_output(staging, chapter, settings)
            except FileNotFoundError as error:
                log = keep_log(log, chapter_dir)
                return ChapterRender(
                    chapter, None, False, time.monotonic() - started, str(error), log
                )
            if settings.format != "png":
                frames = count_frames(produced)
                _remember_frames(output_dir, chapter, config, settings, key, frames)
                if on_progress is not None:
                    on_progress(FrameProgress(chapter, frames, frames, True))
            _publish(produced, target, chapter, key, output_dir)
            log = _keep_record(staging, log, chapter_dir)
    except OSError as error:
        if log is not None and log.parent != chapter_dir:
            log = keep_log(log, chapter_dir)
        failure = environment_error(error, target, log=log)
        if failure is not None:
            raise failure from error
        return ChapterRender(chapter, None, False, time.monotonic() - started, str(error), log)
    except ValueError as error:
        return ChapterRender(chapter, None, False, time.monotonic() - started, str(error), log)
    return ChapterRender(chapter, target, False, time.monotonic() - started, log=log)


#: A file system with less free space than this after a failed render was filled by it.
NEARLY_FULL_BYTES = 1 << 20


def _disk_failure(status: int, log: Path, staging: Path) -> int | None:
    """errno of a full disk or file size limit that stopped manim, else None.

    From the log's own words, from the status of a process killed by SIGXFSZ, or
    from the space left where it wrote: on a full disk the log itself may have lost
    its last lines.
    """
    number = disk_error_in_log(log)
    if number is None and status == -signal.SIGXFSZ:
        number = errno.EFBIG
    if number is None:
        try:
            stats = os.statvfs(staging)
        except OSError:
            return None
        if stats.f_bavail * stats.f_frsize < NEARLY_FULL_BYTES:
            number = errno.ENOSPC
    return number


#: Programs manim runs for the lecture (every chapter typesets formulas).
REQUIRED_PROGRAMS: dict[str, str] = {
    "latex": "typesets the formulas",
    "dvisvgm": "turns typeset formulas into SVG",
}


def check_programs() -> None:
    """Raise :class:`~softmax_video.core.errors.EnvironmentFailure` naming any program
    of :data:`REQUIRED_PROGRAMS` that is not on the PATH, and the set-up command."""
    missing = [name for name in REQUIRED_PROGRAMS if shutil.which(name) is None]
    if missing:
        what = "; ".join(f"{name} {REQUIRED_PROGRAMS[name]}" for name in missing)
        raise EnvironmentFailure(
            f"{' and '.join(missing)} not found on the PATH ({what}); install them with "
            "`make video` or `bash tools/bootstrap.sh` (Debian packages texlive-latex-base, "
            "texlive-latex-extra, dvisvgm)"
        )


def check_voice(config: LectureConfig) -> str:
    """The engine the configuration's voice resolves to (``"none"``: silent), checked
    before anything renders: Piper asked for but missing, or a voice the engine does
    not have, is one line (exit 1 and 2)."""
    from softmax_video.engine import voice as engine
    from softmax_video.kit.narrator import chosen_engine

    chosen = chosen_engine(config.voice.engine)
    if chosen == "none":
        return chosen
    name = engine.resolve_engine(chosen)
    try:
        engine.check_voice(name, config.voice.voice or None)
    except SoftmaxVideoError as error:
        raise ConfigError(
            "voice.voice", str(error).partition(": ")[2], config.voice.voice
        ) from None
    return name


def preflight(output_dir: Path) -> None:
    """Stop with one line before anything renders: a program manim needs is missing
    (:func:`check_programs`), or ``output_dir`` cannot be written (:func:`prepare_output`).

    :func:`render_chapters` runs it; a front end may run it earlier, before it
    prints anything else.
    """
    check_programs()
    prepare_output(output_dir)


def prepare_output(output_dir: Path) -> None:
    """Make sure files can be written into ``output_dir`` (its ``.cache`` folder).

    Raises :class:`~softmax_video.core.errors.SoftmaxVideoError` (exit 2) for a path
    that runs through a regular file, and
    :class:`~softmax_video.core.errors.EnvironmentFailure` for a read-only, forbidden
    or full file system.
    """
    cache = output_dir / ".cache"
    try:
        cache.mkdir(parents=True, exist_ok=True)
        descriptor, probe = tempfile.mkstemp(prefix=".probe-", dir=cache)
        os.close(descriptor)
        os.unlink(probe)
    except OSError as error:
        # Named after the folder the user gave, not the cache inside it.
        named = OSError(error.errno, error.strerror, str(output_dir))
        failure = environment_error(named if error.errno != errno.ENOSPC else error, cache)
        if failure is not None:
            raise failure from error
        raise


def unique_chapters(chapters: Iterable[Chapter]) -> list[Chapter]:
    """``chapters`` in lecture order, each once (a scene asked for twice renders once)."""
    from softmax_video.core.chapters import CHAPTERS

    wanted = set(chapters)
    return [c for c in CHAPTERS if c in wanted]


def render_chapters(
    chapters: Sequence[Chapter],
    config: LectureConfig,
    settings: RenderSettings,
    output_dir: Path,
    *,
    jobs: int = 1,
    verbose: bool = False,
    force: bool = False,
    on_done: Callable[[ChapterRender], None] | None = None,
    render_chapter: Callable[..., ChapterRender] | None = None,
    on_progress: Callable[[FrameProgress], None] | None = None,
) -> list[ChapterRender]:
    """Render ``chapters`` with up to ``jobs`` manim processes; results in lecture order.

    A failing chapter does not stop the others; its result carries the error and log.
    ``render_chapter`` renders one chapter (default :func:`render_one`; the slides
    use their own) with :func:`render_one`'s signature. With fewer chapters than
    jobs, :func:`render_one` splits each chapter's plays between
    ``jobs // len(chapters)`` processes (:mod:`softmax_video.core.shares`), so that one
    chapter uses every core too. ``on_progress`` hears each running chapter's frames
    (:class:`FrameProgress`; passed on to ``render_chapter`` only when given).

    Raises :class:`~softmax_video.core.errors.SoftmaxVideoError` before rendering
    for a missing program or an output folder that cannot be written, and while
    rendering for a full disk or a busy folder; ``KeyboardInterrupt`` on Ctrl-C.
    Either way every manim process is stopped and every run folder removed first.
    """
    ordered = unique_chapters(chapters)
    preflight(output_dir)
    _prune_stale(output_dir / ".cache", "pins-")
    code = code_fingerprint()
    options: dict[str, Any] = {"verbose": verbose, "force": force}
    if on_progress is not None:
        options["on_progress"] = on_progress
    if render_chapter is None:
        render_chapter = render_one
        options["shares"] = max(1, jobs // max(1, len(ordered)))

    def work(chapter: Chapter) -> ChapterRender:
        if CANCELLED.is_set():
            raise KeyboardInterrupt
        result = render_chapter(chapter, config, settings, output_dir, code, **options)
        if on_done is not None:
            on_done(result)
        return result

    CANCELLED.clear()
    # Longest chapters first keeps both workers busy to the end.
    by_length = sorted(ordered, key=lambda c: -c.nominal_seconds)
    pool = ThreadPoolExecutor(max_workers=max(1, jobs))
    futures: list[Future[ChapterRender]] = []
    try:
        futures = [pool.submit(work, chapter) for chapter in by_length]
        pending = set(futures)
        while pending:
            # A short timeout keeps the main thread where Ctrl-C reaches it promptly.
            done, pending = wait(pending, timeout=0.25, return_when=FIRST_EXCEPTION)
            for future in done:
                error = future.exception()
                if error is not None:
                    raise error
    except BaseException:
        cancel_renders()
        pool.shutdown(wait=True, cancel_futures=True)
        CANCELLED.clear()  # every worker has stopped; later renders may start processes
        raise
    pool.shutdown()
    results = {f.result().chapter.name: f.result() for f in futures}
    return [results[c.name] for c in ordered]
