"""Join rendered chapter clips into one lecture file without re-encoding the picture.

The clips come from one render profile (same codec, size and rate), so their
video packets are copied into one container with shifted timestamps. Chapters
with narration give the lecture one continuous audio track: their audio is
decoded, laid end to end to the sample (each chapter exactly as long as its
video, silence for a chapter without sound) and encoded once, so joins have no
gap or click (:mod:`softmax_video.engine.audio_mux`). The result gets
one chapter marker per clip (title in the metadata, readable by ffprobe and
PyAV), a merged ``.srt`` whose entries are shifted by each clip's offset, and a
chapters text file in the form video sites read from a description.

The files are written under temporary names and renamed into place together
while holding the lecture folder's publish lock (:func:`folder_lock`), with a
*lecture key* beside the video (``softmax-lecture.mp4.key``: a hash of the bytes
of every clip and subtitle file joined, their titles, the container and the
joining code) removed first and renamed in last, as chapter renders publish
theirs. So two ``lecture`` runs into one folder never leave a video with the
other's subtitles or a key that names the other's clips, and a later run whose
clips are the same reuses the lecture (decided under the lock) instead of joining
again. A clip that :mod:`softmax_video.cli.render` pinned for this process
(:func:`pin_clip`: a hard link to the exact file its run published or reused)
is joined from that link, so a lecture holds the clips its own run resolved,
even if another run has since published different ones under the same names.

This module also holds the small file-system helpers the front end shares:
:func:`write_atomic`, :func:`folder_lock` and :func:`environment_error`.
"""

from __future__ import annotations

import contextlib
import datetime
import errno
import fcntl
import hashlib
import json
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import srt

from softmax_video.core.captions import cues_from_srt, transcript_text, vtt_text
from softmax_video.core.errors import EnvironmentFailure, SoftmaxVideoError
from softmax_video.core.files import stage_text, temporary_name
from softmax_video.engine.audio_mux import (
    JoinedAudio,
    copy_video_packets,
    mux_interleaved,
    video_duration,
    video_stream_like,
)

__all__ = [
    "LectureClip",
    "LectureFiles",
    "assemble_lecture",
    "clip_duration",
    "environment_error",
    "folder_lock",
    "lecture_key",
    "lecture_key_file",
    "pin_clip",
]

#: Name of the lock file in every folder files are published into.
LOCK_NAME = ".publish.lock"

#: How long to wait for another run's publish step before giving up. A publish
#: step only renames finished files (well under a second); a run that holds the
#: lock this long is stopped or stuck. ``$SOFTMAX_VIDEO_LOCK_WAIT`` (seconds)
#: overrides it.
LOCK_WAIT_SECONDS = 120.0
LOCK_WAIT_ENV = "SOFTMAX_VIDEO_LOCK_WAIT"


@dataclass(frozen=True)
class LectureClip:
    """One chapter's clip and what the lecture says about it."""

    title: str
    video: Path
    subtitles: Path | None = None


@dataclass(frozen=True)
class LectureFiles:
    video: Path
    subtitles: Path
    chapters: Path
    offsets: tuple[float, ...]
    duration: float


def clip_duration(path: Path) -> float:
    """Duration of a clip's video stream in seconds, from its last packet's end."""
    return float(video_duration(path))


def _timestamp(seconds: float) -> str:
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def _join_video(
    clips: Sequence[LectureClip], temporary: Path, titles: Sequence[str]
) -> list[float]:
    """Join ``clips`` into ``temporary``; returns each clip's offset and the total length.

    Video packets are copied. When any clip has audio, the lecture gets one audio
    track: every clip's audio (silence for a clip without) cut or padded to its
    video's length and encoded once (:class:`~softmax_video.engine.audio_mux.JoinedAudio`).
    """
    offsets: list[float] = []
    with av.open(str(temporary), "w") as output:
        with av.open(str(clips[0].video)) as first:
            out_stream = video_stream_like(output, first.streams.video[0])
        audio = JoinedAudio.of(output, [clip.video for clip in clips], temporary.suffix)
        offset = Fraction(0)
        for clip in clips:
            offsets.append(float(offset))
            duration = video_duration(clip.video)
            packets = audio.append(clip.video, duration) if audio is not None else []
            with av.open(str(clip.video)) as source:
                in_stream = source.streams.video[0]
                shift = int(offset / in_stream.time_base)
                mux_interleaved(
                    output, copy_video_packets(source, in_stream, out_stream, shift), packets
                )
            offset += duration
        if audio is not None:
            for packet in audio.finish():
                output.mux(packet)
        ms = Fraction(1, 1000)
        bounds = [*offsets, float(offset)]
        output.set_chapters(
            [
                {
                    "id": i + 1,
                    "start": round(bounds[i] * 1000),
                    "end": round(bounds[i + 1] * 1000),
                    "time_base": ms,
                    "metadata": {"title": title},
                }
                for i, title in enumerate(titles)
            ]
        )
    offsets.append(float(offset))
    return offsets


#: Heading of the lecture's transcript.
LECTURE_TITLE = "Softmax, the whole story"


def assemble_lecture(
    clips: Sequence[LectureClip],
    target: Path,
    on_published: Callable[[LectureFiles], None] | None = None,
) -> LectureFiles:
    """Join ``clips`` into ``target`` and write its ``.srt``, ``.vtt``, ``.chapters.txt``
    and ``.transcript.txt`` (a heading per chapter, its narration below).

    The files replace the previous ones together (under the folder's publish
    lock), or not at all: on a full disk the old lecture stays and the partial
    files are removed (:class:`~softmax_video.core.errors.EnvironmentFailure`).
    The lecture key (:func:`lecture_key`) is published last beside ``target``; when
    the key there already names these clips, the published lecture is reused.

    Parameters
    ----------
    clips
        Clips in lecture order, all from one render profile. A clip pinned by
        :func:`pin_clip` is read from its pinned copy.
    target
        The lecture file, e.g. ``media/lecture/480p15/softmax-lecture.mp4``.
    on_published
        Called with the files while the folder's lock is still held, so what it
        reports (or links) is this run's lecture, not one a concurrent run
        publishes a moment later.
    """
    if not clips:
        raise ValueError("no clips to join")
    clips = [pinned_clip(clip) for clip in clips]
    key = lecture_key(clips, target.suffix)
    titles = [f"{i}. {clip.title}" for i, clip in enumerate(clips, start=1)]
    subtitles = target.with_suffix(".srt")
    chapters = target.with_suffix(".chapters.txt")
    captions, transcript = target.with_suffix(".vtt"), target.with_suffix(".transcript.txt")
    finals = (target, subtitles, chapters, captions, transcript)
    stored = lecture_key_file(target)
    staged: list[Path] = []
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with folder_lock(target.parent):
            if _holds_key(stored, key) and all(path.exists() for path in finals):
                offsets = _offsets(clips)
                files = LectureFiles(target, subtitles, chapters, tuple(offsets[:-1]), offsets[-1])
                if on_published is not None:
                    on_published(files)
                return files
        video_temporary = temporary_name(target, suffix=target.suffix)
        staged.append(video_temporary)
        bounds = _join_video(clips, video_temporary, titles)
        offsets, total = bounds[:-1], bounds[-1]

        entries: list[srt.Subtitle] = []
        said: list[tuple[str, list[str]]] = []
        for clip, offset in zip(clips, offsets, strict=True):
            said.append((clip.title, []))
            if clip.subtitles is None or not clip.subtitles.exists():
                continue
            shift = datetime.timedelta(seconds=offset)
            for sub in srt.parse(clip.subtitles.read_text(encoding="utf-8")):
                entries.append(
                    srt.Subtitle(len(entries) + 1, sub.start + shift, sub.end + shift, sub.content)
                )
                said[-1][1].append(" ".join(sub.content.split()))
        merged = srt.compose(entries, reindex=True)
        staged.append(stage_text(subtitles, merged))
        lines = [f"{_timestamp(o)} {t}" for o, t in zip(offsets, titles, strict=True)]
        staged.append(stage_text(chapters, "\n".join(lines) + "\n"))
        staged.append(stage_text(captions, vtt_text(cues_from_srt(merged))))
        staged.append(stage_text(transcript, transcript_text(said, title=LECTURE_TITLE)))
        staged.append(stage_text(stored, key))
        with folder_lock(target.parent), uninterrupted():
            # The key goes first and comes back last: a lecture without a matching key
            # is never reused, whatever stops this step.
            stored.unlink(missing_ok=True)
            for temporary, final in zip(staged, (*finals, stored), strict=True):
                os.replace(temporary, final)
            files = LectureFiles(target, subtitles, chapters, tuple(offsets), total)
            if on_published is not None:
                on_published(files)
    except OSError as error:
        failure = environment_error(error, target)
        if failure is not None:
            raise failure from error
        raise
    finally:
        for temporary in staged:
            temporary.unlink(missing_ok=True)
    return files


def lecture_key_file(target: Path) -> Path:
    """The lecture key stored beside ``target`` (``softmax-lecture.mp4.key``)."""
    return target.with_name(f"{target.name}.key")


#: The modules whose code decides a lecture's bytes from its clips.
_JOINING_CODE = (
    Path(__file__),
    Path(sys.modules[JoinedAudio.__module__].__file__ or ""),
    Path(sys.modules[cues_from_srt.__module__].__file__ or ""),
)


def lecture_key(clips: Sequence[LectureClip], suffix: str) -> str:
    """Identity of a lecture: the same key, the same files.

    A hash of each clip's title and the bytes of its video and subtitles (the files
    this run joins: a reused chapter gives the same bytes, a changed one does not),
    the container's suffix and the code that joins them.
    """
    digest = hashlib.sha256()
    for path in _JOINING_CODE:
        digest.update(path.read_bytes())
    manifest = [
        [clip.title, _file_digest(clip.video), _file_digest(clip.subtitles)] for clip in clips
    ]
    digest.update(json.dumps({"suffix": suffix, "clips": manifest}).encode())
    return digest.hexdigest()


def _file_digest(path: Path | None) -> str:
    if path is None or not path.exists():
        return ""
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _holds_key(stored: Path, key: str) -> bool:
    try:
        return stored.read_text() == key
    except OSError:
        return False


def _offsets(clips: Sequence[LectureClip]) -> list[float]:
    """Each clip's start in the joined lecture, then the lecture's length (as joined)."""
    offset = Fraction(0)
    offsets = []
    for clip in clips:
        offsets.append(float(offset))
        offset += video_duration(clip.video)
    return [*offsets, float(offset)]


# --------------------------------------------------------------------------- #
# Pinned clips: what a run resolved, kept apart from later publishes
# --------------------------------------------------------------------------- #

_PINS: dict[Path, tuple[Path, Path | None]] = {}
_PINS_LOCK = threading.Lock()


def pin_clip(video: Path, pinned_video: Path, pinned_subtitles: Path | None) -> None:
    """Record that this process resolved ``video`` as the file now at ``pinned_video``.

    :func:`softmax_video.cli.render.render_one` calls this under the publish lock with hard
    links of the file (and subtitles) it just published or reused; a lecture joined
    later in the same process reads those, not whatever another run has published
    under ``video``'s name since.
    """
    with _PINS_LOCK:
        _PINS[Path(os.path.abspath(video))] = (pinned_video, pinned_subtitles)


def pinned_clip(clip: LectureClip) -> LectureClip:
    """``clip`` read from its pinned files, if this process pinned its video."""
    with _PINS_LOCK:
        pinned = _PINS.get(Path(os.path.abspath(clip.video)))
    if pinned is None or not pinned[0].exists():
        return clip
    return LectureClip(clip.title, pinned[0], pinned[1])


# --------------------------------------------------------------------------- #
# File-system helpers shared by the front end
# --------------------------------------------------------------------------- #


@contextlib.contextmanager
def uninterrupted() -> Iterator[None]:
    """Hold back Ctrl-C (SIGINT) in the main thread for a few renames that belong together.

    A signal that arrives meanwhile is delivered when the block ends.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


_THREAD_LOCKS: dict[Path, threading.Lock] = {}
_THREAD_LOCKS_GUARD = threading.Lock()


@contextlib.contextmanager
def folder_lock(
    folder: Path,
    *,
    wait: float | None = None,
    abort: threading.Event | None = None,
) -> Iterator[None]:
    """Hold ``folder``'s publish lock: ``fcntl.flock`` on ``folder/.publish.lock``.

    Every step that publishes files into ``folder``, or decides that a file there
    is current and takes it, runs under this lock, so another process never sees
    half a publish. Threads of one process queue on a thread lock first. When
    another process holds the lock, prints one line, ``softmax-video: waiting for
    another render into <folder>``, and waits up to ``wait`` seconds (default
    :data:`LOCK_WAIT_SECONDS`), then raises
    :class:`~softmax_video.core.errors.EnvironmentFailure` (busy). ``abort`` set
    while waiting raises ``KeyboardInterrupt``. The kernel releases the lock when
    its holder exits, however it exits.
    """
    folder.mkdir(parents=True, exist_ok=True)
    with _THREAD_LOCKS_GUARD:
        thread_lock = _THREAD_LOCKS.setdefault(Path(os.path.abspath(folder)), threading.Lock())
    with thread_lock:
        descriptor = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if wait is None:
                    wait = float(os.environ.get(LOCK_WAIT_ENV, LOCK_WAIT_SECONDS))
                _wait_for_lock(descriptor, folder, wait, abort)
            yield
        finally:
            os.close(descriptor)  # releases the lock


def _wait_for_lock(
    descriptor: int, folder: Path, wait: float, abort: threading.Event | None
) -> None:
    sys.stderr.write(f"softmax-video: waiting for another render into {folder}\n")
    sys.stderr.flush()
    deadline = time.monotonic() + wait
    while True:
        time.sleep(0.05)
        if abort is not None and abort.is_set():
            raise KeyboardInterrupt
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise EnvironmentFailure(
                    f"{folder} is busy: another softmax-video run has held its publish lock "
                    f"for {wait:.0f} s; run again when it has finished"
                ) from None


#: errno values of a full disk, and of a file size limit (``ulimit -f``).
DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})
TOO_LARGE = frozenset({errno.EFBIG})


def environment_error(
    error: OSError, path: Path | None = None, *, log: Path | None = None
) -> SoftmaxVideoError | None:
    """The one-line error for an ``OSError`` the machine or the output path caused, or None.

    A full disk (ENOSPC, EDQUOT), a file size limit (EFBIG), a read-only or
    forbidden folder (EROFS, EACCES, EPERM) are
    :class:`~softmax_video.core.errors.EnvironmentFailure` (exit 1); a path that runs
    through a regular file (ENOTDIR) cannot exist and is a
    :class:`~softmax_video.core.errors.SoftmaxVideoError` (exit 2). ``path`` is the
    file being written when the error does not name one.

    Examples
    --------
    >>> error = OSError(errno.ENOSPC, "No space left on device", "/m/a.mp4")
    >>> str(environment_error(error))
    'the disk is full (no space left on device) writing /m/a.mp4; free some space and run again (the previous files are kept)'
    >>> environment_error(OSError(errno.ENOENT, "No such file")) is None
    True
    """  # noqa: E501
    where = _final_name(Path(error.filename)) if error.filename else path
    shown = where if where is not None else "the output folder"
    logged = str(log) if log is not None else None
    if error.errno in DISK_FULL:
        return EnvironmentFailure(
            f"the disk is full (no space left on device) writing {shown}; "
            "free some space and run again (the previous files are kept)",
            log=logged,
        )
    if error.errno in TOO_LARGE:
        return EnvironmentFailure(
            f"a file grew past the file size limit (EFBIG, see `ulimit -f`) writing {shown}; "
            "raise the limit and run again (the previous files are kept)",
            log=logged,
        )
    folder = where.parent if where is not None and not where.is_dir() else where
    if error.errno == errno.EROFS:
        return EnvironmentFailure(
            f"cannot write into {folder or shown}: read-only file system; choose another --output",
            log=logged,
        )
    if error.errno in (errno.EACCES, errno.EPERM):
        return EnvironmentFailure(
            f"cannot write into {folder or shown}: permission denied; choose another --output",
            log=logged,
        )
    if error.errno in (errno.ENOTDIR, errno.EEXIST) and where is not None:
        blocker = next((p for p in (where, *where.parents) if p.is_file()), None)
        if blocker is not None:
            return SoftmaxVideoError(
                f"cannot write {where}: {blocker} is a file, not a folder; choose another --output",
                log=logged,
            )
    return None


_TEMPORARY = re.compile(r"\.(?P<name>.+)\.\d+-[0-9a-f]+\.tmp.*")


def _final_name(path: Path) -> Path:
    """The file a temporary name of :func:`temporary_name` stands for (else ``path``).

    >>> _final_name(Path("/m/.a.mp4.41-0f3c9a2b.tmp.mp4"))
    PosixPath('/m/a.mp4')
    """
    match = _TEMPORARY.fullmatch(path.name)
    return path.with_name(match["name"]) if match else path


#: Text in a log that says a process stopped on a full disk or a file size limit.
_LOG_SIGNS = {
    "No space left on device": errno.ENOSPC,
    "Disk quota exceeded": errno.EDQUOT,
    "File too large": errno.EFBIG,
}


def disk_error_in_log(log: Path) -> int | None:
    """errno of a full disk or size limit that ``log`` reports, else None."""
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    for sign, number in _LOG_SIGNS.items():
        if sign in text:
            return number
    return None
