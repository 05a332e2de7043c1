"""Per-beat clips and chapter thumbnails, cut from a render's published files.

Nothing here renders: a chapter render publishes ``NN-Chapter.<ext>``, its
``.srt`` and one section video per story beat (``sections/<Chapter>/`` with
manim's JSON index), and these functions reuse them.

Clips
    ``<output>/<profile>/clips/NN-Chapter-BB-beat.<ext>``: ``NN`` is the
    chapter's number in the lecture, ``BB`` the beat's number within its chapter
    (both from 1), ``beat`` the beat's name, e.g.
    ``02-SoftmaxBars-03-normalise.mp4``. Sorting the names gives lecture order.
    ``clips/clips.json`` lists every clip of the folder: ``file``, ``chapter``,
    ``chapter_number``, ``title``, ``beat``, ``beat_number``, ``start`` and
    ``duration`` (s, decoded with PyAV) and ``narration``, the subtitle shown
    during the beat (empty when subtitles are off). A clip of a chapter with
    sound speaks its beat (gif clips have no sound).

Thumbnails
    ``NN-Chapter.poster.png`` next to the video: the last frame of the chapter's
    ``poster_beat`` (empty: the last frame of the video), at the render's size.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
import srt

from softmax_video.cli.assemble import clip_duration, folder_lock
from softmax_video.cli.render import ChapterRender
from softmax_video.core.chapters import Chapter
from softmax_video.core.files import copy_atomic, temporary_name, write_atomic
from softmax_video.core.params import ConfigError, LectureConfig
from softmax_video.engine.audio_mux import audio_codec, mux_with_audio, read_audio

__all__ = [
    "CLIPS_DIR",
    "INDEX_NAME",
    "BeatVideo",
    "beat_outputs",
    "beat_videos",
    "clip_name",
    "last_frame",
    "thumbnail_path",
    "write_clips",
    "write_thumbnail",
]

CLIPS_DIR = "clips"
INDEX_NAME = "clips.json"


@dataclass(frozen=True)
class BeatVideo:
    """One story beat of a rendered chapter: its section video and narration."""

    number: int
    name: str
    video: Path
    start: float
    duration: float
    narration: str

    @property
    def end(self) -> float:
        """When the beat ends in the chapter, in seconds."""
        return self.start + self.duration


def sections_dir(video: Path, chapter: Chapter) -> Path:
    """Where a render's section videos are published (see :mod:`softmax_video.cli.render`)."""
    return video.parent / "sections" / chapter.name


def beat_videos(video: Path, chapter: Chapter) -> list[BeatVideo]:
    """The beats of rendered chapter ``video``, in order, from its published sections.

    Each beat's narration is its caption cues (those whose middle falls within the
    beat), read in order as one line.

    Raises
    ------
    FileNotFoundError
        When the render has no section videos (a png render, or files removed).
    """
    folder = sections_dir(video, chapter)
    index = folder / f"{chapter.name}.json"
    if not index.exists():
        raise FileNotFoundError(
            f"{chapter.name} has no beat videos in {folder}; render it as a video first"
        )
    subtitles_file = video.with_suffix(".srt")
    subtitles = (
        list(srt.parse(subtitles_file.read_text(encoding="utf-8")))
        if subtitles_file.exists()
        else []
    )
    middles = [((s.start + s.end) / 2).total_seconds() for s in subtitles]
    beats: list[BeatVideo] = []
    start = 0.0
    for number, entry in enumerate(json.loads(index.read_text(encoding="utf-8")), start=1):
        path = folder / entry["video"]
        duration = clip_duration(path)
        end = start + duration
        narration = " ".join(
            " ".join(s.content.split())
            for s, middle in zip(subtitles, middles, strict=True)
            if start <= middle < end
        )
        beats.append(BeatVideo(number, entry["name"], path, start, duration, narration))
        start = end
    return beats


def clip_name(chapter: Chapter, beat: BeatVideo, extension: str) -> str:
    """File name of a beat's clip.

    Examples
    --------
    >>> from softmax_video.core.chapters import find_chapter
    >>> beat = BeatVideo(3, "normalise", Path("SoftmaxBars_0002_normalise.mp4"), 11.8, 8.0, "")
    >>> clip_name(find_chapter("SoftmaxBars"), beat, ".mp4")
    '02-SoftmaxBars-03-normalise.mp4'
    """
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", beat.name).strip("-") or "beat"
    return f"{chapter.number:02d}-{chapter.name}-{beat.number:02d}-{slug}{extension}"


def write_clips(video: Path, chapter: Chapter) -> Path:
    """Copy each beat of rendered chapter ``video`` to ``clips/`` and update the index.

    The section videos have no sound: when ``video`` has audio, each clip gets its
    beat's span of it (from the beat's start to its end in the chapter), encoded in
    the chapter's codec family beside the copied picture. Clips of this chapter
    (same file type) from an earlier render that no longer exist as beats are
    removed; other chapters' entries stay. Returns the index.
    """
    folder = video.parent / CLIPS_DIR
    extension = video.suffix
    audio = read_audio(video) if audio_codec(extension) is not None else None
    entries = []
    for beat in beat_videos(video, chapter):
        name = clip_name(chapter, beat, extension)
        if audio is None:
            copy_atomic(beat.video, folder / name)
        else:
            folder.mkdir(parents=True, exist_ok=True)
            mux_with_audio(beat.video, folder / name, audio.span(beat.start, beat.end))
        entries.append(
            {
                "file": name,
                "chapter": chapter.name,
                "chapter_number": chapter.number,
                "title": chapter.title,
                "beat": beat.name,
                "beat_number": beat.number,
                "start": round(beat.start, 6),
                "duration": round(beat.duration, 6),
                "narration": beat.narration,
            }
        )
    kept = {entry["file"] for entry in entries}
    own = re.compile(
        rf"{chapter.number:02d}-{re.escape(chapter.name)}-\d+-.*{re.escape(extension)}"
    )
    for old in folder.iterdir():
        if own.fullmatch(old.name) and old.name not in kept:
            old.unlink()

    index = folder / INDEX_NAME
    previous = json.loads(index.read_text(encoding="utf-8")) if index.exists() else []
    merged = [
        entry
        for entry in previous
        if not own.fullmatch(entry.get("file", "")) and (folder / entry.get("file", "")).is_file()
    ]
    merged = sorted([*merged, *entries], key=lambda entry: entry["file"])
    write_atomic(index, json.dumps(merged, indent=2, ensure_ascii=False) + "\n")
    return index


def last_frame(video: Path) -> np.ndarray:
    """The last frame of ``video`` as an RGB array (decoding only its last second or so)."""
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        frame = None
        if container.duration and container.duration > 2 * av.time_base:
            # Seek to a keyframe shortly before the end, then decode to the end.
            container.seek(container.duration - 2 * av.time_base, backward=True, any_frame=False)
            for frame in container.decode(stream):  # noqa: B007
                pass
        if frame is None:
            container.seek(0)
            for frame in container.decode(stream):  # noqa: B007
                pass
        if frame is None:
            raise ValueError(f"{video} has no video frames")
        return frame.to_ndarray(format="rgb24")


def write_png(frame: np.ndarray, target: Path) -> Path:
    """Write an RGB frame as a PNG, atomically."""
    from PIL import Image

    temporary = temporary_name(target)
    try:
        Image.fromarray(frame).save(temporary, format="PNG")
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target


def poster_frame(video: Path, chapter: Chapter, poster_beat: str = "") -> np.ndarray:
    """The last frame of beat ``poster_beat`` of rendered ``video`` (empty: of the video).

    Raises
    ------
    softmax_video.core.params.ConfigError
        For a beat name the chapter does not have, listing the ones it has.
    """
    if not poster_beat:
        return last_frame(video)
    beats = beat_videos(video, chapter)
    for beat in beats:
        if beat.name == poster_beat:
            return last_frame(beat.video)
    names = ", ".join(beat.name for beat in beats)
    raise ConfigError(f"{chapter.name}.poster_beat", f"no such beat; allowed: {names}", poster_beat)


def thumbnail_path(video: Path) -> Path:
    """``NN-Chapter.poster.png`` beside ``video`` (``NN-Chapter.png`` is a png render)."""
    return video.with_name(f"{video.stem}.poster.png")


def write_thumbnail(video: Path, chapter: Chapter, poster_beat: str = "") -> Path:
    """Write :func:`thumbnail_path` of ``video``: the poster beat's last frame."""
    return write_png(poster_frame(video, chapter, poster_beat), thumbnail_path(video))


def beat_outputs(
    results: Sequence[ChapterRender], config: LectureConfig, *, clips: bool, thumbnail: bool
) -> Iterator[Path]:
    """Clips and/or thumbnails of the successful renders; yields the paths written.

    Each chapter's are cut under its folder's publish lock
    (:func:`softmax_video.cli.assemble.folder_lock`), so the video, sections and subtitles they
    are cut from belong to one render even while another run publishes into the
    folder, and two runs never lose each other's entries in ``clips.json``.
    The clip index is yielded once, after the last chapter's clips.
    """
    index = None
    for result in results:
        if not result.ok or result.output is None:
            continue
        written = []
        with folder_lock(result.output.parent):
            if thumbnail:
                poster_beat = config.chapter(result.chapter.name).poster_beat
                written.append(write_thumbnail(result.output, result.chapter, poster_beat))
            if clips:
                index = write_clips(result.output, result.chapter)
        yield from written
    if index is not None:
        yield index
