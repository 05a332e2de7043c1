"""Join rendered chapter clips into one lecture file without re-encoding.

The clips come from one render profile (same codec, size and rate), so their
packets are copied into one container with shifted timestamps. The result gets
one chapter marker per clip (title in the metadata, readable by ffprobe and
PyAV), a merged ``.srt`` whose entries are shifted by each clip's offset, and a
chapters text file in the form video sites read from a description.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import srt

__all__ = ["LectureClip", "LectureFiles", "assemble_lecture", "clip_duration"]


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
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        end = 0
        for packet in container.demux(stream):
            if packet.pts is not None and packet.duration is not None:
                end = max(end, packet.pts + packet.duration)
        return float(end * stream.time_base)


def _timestamp(seconds: float) -> str:
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def _join_video(clips: Sequence[LectureClip], target: Path, titles: Sequence[str]) -> list[float]:
    offsets: list[float] = []
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp{target.suffix}")
    try:
        with av.open(str(temporary), "w") as output:
            out_stream = None
            offset = Fraction(0)
            for clip in clips:
                offsets.append(float(offset))
                with av.open(str(clip.video)) as source:
                    in_stream = source.streams.video[0]
                    if out_stream is None:
                        out_stream = output.add_stream_from_template(in_stream)
                    shift = int(offset / in_stream.time_base)
                    end = 0
                    for packet in source.demux(in_stream):
                        if packet.dts is None:  # demuxer's flush packet
                            continue
                        end = max(end, packet.pts + (packet.duration or 0))
                        packet.pts += shift
                        packet.dts += shift
                        packet.stream = out_stream
                        output.mux(packet)
                    offset += end * in_stream.time_base
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
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    offsets.append(float(offset))
    return offsets


def assemble_lecture(clips: Sequence[LectureClip], target: Path) -> LectureFiles:
    """Join ``clips`` into ``target`` and write ``target``'s ``.srt`` and ``.chapters.txt``.

    Parameters
    ----------
    clips
        Clips in lecture order, all from one render profile.
    target
        The lecture file, e.g. ``media/lecture/480p15/softmax-lecture.mp4``.
    """
    if not clips:
        raise ValueError("no clips to join")
    target.parent.mkdir(parents=True, exist_ok=True)
    titles = [f"{i}. {clip.title}" for i, clip in enumerate(clips, start=1)]
    bounds = _join_video(clips, target, titles)
    offsets, total = bounds[:-1], bounds[-1]

    entries: list[srt.Subtitle] = []
    for clip, offset in zip(clips, offsets, strict=True):
        if clip.subtitles is None or not clip.subtitles.exists():
            continue
        shift = datetime.timedelta(seconds=offset)
        for sub in srt.parse(clip.subtitles.read_text(encoding="utf-8")):
            entries.append(
                srt.Subtitle(len(entries) + 1, sub.start + shift, sub.end + shift, sub.content)
            )
    subtitles = target.with_suffix(".srt")
    _write_atomic(subtitles, srt.compose(entries, reindex=True))

    chapters = target.with_suffix(".chapters.txt")
    lines = [f"{_timestamp(o)} {t}" for o, t in zip(offsets, titles, strict=True)]
    _write_atomic(chapters, "\n".join(lines) + "\n")
    return LectureFiles(target, subtitles, chapters, tuple(offsets), total)


def _write_atomic(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
