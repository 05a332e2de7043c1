"""Render one chapter in several processes at once, each drawing a share of its plays.

A chapter is a row of ``play`` calls (waits included). With ``n`` shares, ``n``
manim processes run the same scene side by side, and every process deals the
plays alike (:class:`PlayDealer`; the plays and their lengths are the same in
each): a long play is cut into ``n`` runs of frames, one per share in order; a
short one goes whole to the share with the fewest seconds so far. Each process
draws and encodes its frames and only follows the others: the scene still
advances through them exactly as drawing them would
(:meth:`softmax_video.kit.lecture_scene.LectureSceneMixin.play_internal`), so every process
draws the frames a single process would draw.

When its plays are encoded, share ``k > 0`` publishes its list of partial movie
files (:func:`publish_segments`). Share 0 waits for those lists
(:func:`gather_segments`), merges them into its own in frame order, and lets
manim join the partial movies into the chapter's video, sections and subtitles
as usual (:class:`softmax_video.engine.video_writer.LectureFileWriter`). Nothing is encoded twice.

The render front end (:func:`softmax_video.cli.render.render_one`) starts the processes and
tells each its share through ``$SOFTMAX_VIDEO_SHARE``; a plain ``manim`` run has
no share and draws every play.

Examples
--------
>>> share = Share.parse("1/2:/tmp/x")
>>> (share.index, share.count, share.folder)
(1, 2, PosixPath('/tmp/x'))
>>> dealer = PlayDealer(2)
>>> [dealer.deal(s) for s in (2.0, 1.0, 1.0, 5.0, 1.0, 2.5)]
[0, 1, 1, None, 0, 1]
>>> dealer.deal(5.0, splittable=False)
0
>>> [share_frames(k, 2, 91) for k in range(2)]
[(0, 45), (45, 91)]
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from softmax_video.core.files import write_atomic

__all__ = [
    "SHARE_ENV_VAR",
    "PlayDealer",
    "Share",
    "gather_segments",
    "publish_segments",
    "share_frames",
]

#: Environment variable naming a process's share: ``"k/n:folder"``.
SHARE_ENV_VAR = "SOFTMAX_VIDEO_SHARE"

#: Plays at least this long are cut into runs of frames, one per share. Shorter
#: ones are dealt whole: each run is a partial movie of its own (an encoder
#: started and drained, a key frame).
SPLIT_SECONDS = 3.0

#: Seconds between looks for the other shares' lists.
POLL_SECONDS = 0.05

#: Partial movie files of one share, per play (None where another share drew it),
#: and per section.
Segments = tuple[list[str | None], list[list[str | None]]]


@dataclass(frozen=True)
class Share:
    """Which share of a chapter's plays this process draws, of how many.

    ``folder`` is where the shares leave their lists of partial movie files.
    """

    index: int
    count: int
    folder: Path

    def __post_init__(self) -> None:
        if not 0 <= self.index < self.count:
            raise ValueError(f"share {self.index} of {self.count} does not exist")

    @classmethod
    def parse(cls, text: str) -> Share:
        """Read ``"k/n:folder"`` (``$SOFTMAX_VIDEO_SHARE``)."""
        try:
            fraction, folder = text.split(":", 1)
            index, count = (int(v) for v in fraction.split("/"))
        except ValueError:
            raise ValueError(f"{SHARE_ENV_VAR}={text!r}: expected 'k/n:folder'") from None
        return cls(index, count, Path(folder))

    def __str__(self) -> str:
        return f"{self.index}/{self.count}:{self.folder}"

    def list_file(self, index: int) -> Path:
        """Where share ``index`` publishes its partial movie files."""
        return self.folder / f"share-{index}.json"


class PlayDealer:
    """Deals plays to shares, so that each draws about as many seconds.

    A play of at least :data:`SPLIT_SECONDS` that can be cut is cut into one run
    of frames per share (:func:`share_frames`). Any other play goes whole to the
    share with the fewest seconds so far (ties: the lower share). Every process
    deals the same plays in the same order, so all agree on who draws what.
    """

    def __init__(self, count: int) -> None:
        self.seconds = [0.0] * count

    def deal(self, seconds: float, *, splittable: bool = True) -> int | None:
        """The share that draws a play of ``seconds`` whole, or None: every share draws a run."""
        count = len(self.seconds)
        if splittable and count > 1 and seconds >= SPLIT_SECONDS:
            self.seconds = [s + seconds / count for s in self.seconds]
            return None
        share = min(range(count), key=lambda k: (self.seconds[k], k))
        self.seconds[share] += seconds
        return share


def share_frames(index: int, count: int, frames: int) -> tuple[int, int]:
    """The run ``[first, stop)`` of a cut play's ``frames`` that share ``index`` draws."""
    return index * frames // count, (index + 1) * frames // count


def publish_segments(share: Share, segments: Segments) -> None:
    """Leave this share's partial movie files for share 0 (atomically: all or nothing)."""
    plays, sections = segments
    target = share.list_file(share.index)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, json.dumps({"plays": plays, "sections": sections}))


def gather_segments(share: Share, segments: Segments) -> Segments:
    """Every share's partial movie files in frame order, given share 0's ``segments``.

    For each play, the files of the shares that drew part of it, in share order
    (a cut play's runs follow each other in that order). Waits until each other
    share has published its list (the render front end stops this process if
    another share fails). Raises ``RuntimeError`` if the shares do not agree on the
    plays (a scene that does not play the same way every time).
    """
    lists = [segments]
    for index in range(1, share.count):
        path = share.list_file(index)
        while not path.exists():
            time.sleep(POLL_SECONDS)
        other = json.loads(path.read_text())
        lists.append((other["plays"], other["sections"]))
    shape = (len(segments[0]), [len(files) for files in segments[1]])
    for index, (plays, sections) in enumerate(lists):
        if (len(plays), [len(files) for files in sections]) != shape:
            raise RuntimeError(f"share {index} played a different scene (plays per section differ)")

    def merged(rows: list[list[str | None]]) -> list[str | None]:
        return [file for files in zip(*rows, strict=True) for file in files if file is not None]

    plays = merged([plays for plays, _ in lists])
    per_section = zip(*(sections for _, sections in lists), strict=True)
    sections = [merged(list(rows)) for rows in per_section]
    return plays, sections
