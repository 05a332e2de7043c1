"""Caption cues from timed speech, written as ``.srt``, ``.vtt`` and a transcript.

A beat's narration sentence is said over a time span; for the screen it is cut
into cues of at most :data:`MAX_LINES` lines of at most :data:`MAX_LINE_CHARS`
characters (the usual broadcast limits), at word boundaries, preferring breaks
after punctuation. Each cue is timed from the speech's word timings when there
are some, else by its share of the sentence's characters, and is then held long
enough to be read at :data:`MAX_CHARS_PER_SECOND` where the span leaves room
(cues never leave their sentence's span, never overlap, and keep their order).

Input is a sequence of :class:`TimedText` (or plain tuples ``(text, start, end)``
/ ``(text, start, end, words)``), times in seconds on the video's clock; word
timings ``(word, start, end)`` are on the same clock.
"""

from __future__ import annotations

import itertools
import os
import tempfile
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import numpy as np
import srt

from softmax_video.core.errors import SoftmaxVideoError

__all__ = [
    "MAX_CHARS_PER_SECOND",
    "MAX_LINES",
    "MAX_LINE_CHARS",
    "MIN_CUE_SECONDS",
    "Cue",
    "TimedText",
    "cues_from_srt",
    "make_cues",
    "split_lines",
    "srt_text",
    "transcript_text",
    "vtt_text",
    "write_srt",
    "write_transcript",
    "write_vtt",
]

#: Lines per cue.
MAX_LINES = 2
#: Characters per line (spaces included).
MAX_LINE_CHARS = 42
#: Reading speed a cue is held for, where the sentence's span leaves room.
MAX_CHARS_PER_SECOND = 17.0
#: Shortest time a cue stays up, where the span leaves room.
MIN_CUE_SECONDS = 1.0

_STRONG_STOPS = ".!?;:"
_WEAK_STOPS = ",)"

WordTiming = tuple[str, float, float]


@dataclass(frozen=True)
class TimedText:
    """A sentence said between ``start`` and ``end`` (s), with optional word timings."""

    text: str
    start: float
    end: float
    words: tuple[WordTiming, ...] | None = None


@dataclass(frozen=True)
class Cue:
    """One caption on screen from ``start`` to ``end`` (s)."""

    start: float
    end: float
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        """The cue's words on one line."""
        return " ".join(self.lines)

    @property
    def chars_per_second(self) -> float:
        """Reading speed the cue asks for."""
        return len(self.text) / max(self.end - self.start, 1e-9)


def _stop_strength(token: str) -> float:
    """How good a place the end of ``token`` is for a break: 1 strong, 0.6 weak, 0 none."""
    last = token.rstrip("\"'")[-1:] if token else ""
    if last in _STRONG_STOPS:
        return 1.0
    if last in _WEAK_STOPS:
        return 0.6
    return 0.0


def split_lines(
    tokens: Sequence[str], max_chars: int = MAX_LINE_CHARS, max_lines: int = MAX_LINES
) -> tuple[str, ...] | None:
    """The words ``tokens`` as at most ``max_lines`` balanced lines of ``max_chars``.

    Returns ``None`` when they do not fit. A single word longer than a line is
    the one exception: it is returned alone on its line.

    Examples
    --------
    >>> split_lines("Dividing each exponential by their sum gives probabilities".split())
    ('Dividing each exponential by', 'their sum gives probabilities')
    >>> split_lines("Take a few logits.".split())
    ('Take a few logits.',)
    >>> split_lines(["word"] * 30) is None
    True
    """
    tokens = list(tokens)
    if not tokens:
        return ()
    whole = " ".join(tokens)
    if len(whole) <= max_chars or len(tokens) == 1:
        return (whole,)
    if max_lines <= 1:
        return None
    best: tuple[float, tuple[str, ...]] | None = None
    for k in range(1, len(tokens)):
        head = " ".join(tokens[:k])
        if len(head) > max_chars:
            break
        rest = split_lines(tokens[k:], max_chars, max_lines - 1)
        if rest is None:
            continue
        lines = (head, *rest)
        # Balanced lines first; a break after punctuation is worth a few characters.
        score = max(len(line) for line in lines) - 4 * _stop_strength(tokens[k - 1])
        if best is None or score < best[0]:
            best = (score, lines)
    return None if best is None else best[1]


def _group(tokens: Sequence[str], max_chars: int, max_lines: int) -> list[tuple[int, int]]:
    """Token ranges of the cues: fewest cues, breaks after punctuation, no tiny cues."""
    n = len(tokens)
    full = max_chars * max_lines
    cost = [0.0] + [float("inf")] * n
    back = [0] * (n + 1)
    for j in range(1, n + 1):
        length = -1
        for i in range(j - 1, -1, -1):
            length += len(tokens[i]) + 1
            if length > full + 1 and j - i > 1:
                break
            if j - i > 1 and split_lines(tokens[i:j], max_chars, max_lines) is None:
                continue
            penalty = 1.0
            if j < n:
                penalty += 0.6 * (1.0 - _stop_strength(tokens[j - 1]))
            penalty += 0.5 * max(0.0, 1.0 - length / 30.0)
            if cost[i] + penalty < cost[j]:
                cost[j] = cost[i] + penalty
                back[j] = i
    ranges = []
    j = n
    while j > 0:
        ranges.append((back[j], j))
        j = back[j]
    return ranges[::-1]


def _as_timed(item: TimedText | Sequence) -> TimedText:
    if isinstance(item, TimedText):
        return item
    text, start, end, *rest = item
    words = rest[0] if rest else None
    return TimedText(
        str(text),
        float(start),
        float(end),
        None if words is None else tuple((str(w), float(a), float(b)) for w, a, b in words),
    )


def _ideal_times(
    item: TimedText, tokens: list[str], ranges: list[tuple[int, int]]
) -> list[tuple[float, float]]:
    """Where each cue's words are said: from the word timings, else by characters."""
    offsets = np.cumsum([0] + [len(t) + 1 for t in tokens])  # token i starts at offsets[i]
    total = float(offsets[-1])
    span = item.end - item.start
    words = item.words
    if not words:
        return [
            (item.start + span * offsets[i] / total, item.start + span * offsets[j] / total)
            for i, j in ranges
        ]
    clamp = np.clip
    if len(words) == len(tokens):
        return [
            (
                float(clamp(words[i][1], item.start, item.end)),
                float(clamp(words[j - 1][2], item.start, item.end)),
            )
            for i, j in ranges
        ]
    # The words said differ from the words shown ("p one" for "p1"): map the shown
    # text's character fractions onto the said words' character fractions.
    said = np.cumsum([0] + [len(w) + 1 for w, _, _ in words]).astype(float)
    knots_x = np.concatenate([[x, y - 1] for x, y in itertools.pairwise(said)])
    knots_t = np.concatenate([[a, b] for _, a, b in words])
    knots_x /= said[-1] - 1
    knots_t = np.maximum.accumulate(clamp(knots_t, item.start, item.end))

    def at(offset: float) -> float:
        return float(np.interp(offset / (total - 1), knots_x, knots_t))

    return [(at(offsets[i]), at(offsets[j] - 1)) for i, j in ranges]


def _relax(
    ideal: list[tuple[float, float]], needs: list[float], start: float, end: float
) -> list[tuple[float, float]]:
    """Cue times near ``ideal``, each at least its need long, ordered, inside [start, end]."""
    span = end - start
    if sum(needs) > span:
        needs = [n * span / sum(needs) for n in needs]
    times = []
    previous = start
    for (a, z), need in zip(ideal, needs, strict=True):
        a = max(a, previous, start)
        z = max(z, a + need)
        times.append([a, z])
        previous = z
    limit = end
    for t, need in zip(reversed(times), reversed(needs), strict=True):
        t[1] = min(t[1], limit)
        t[0] = min(t[0], t[1] - need)
        limit = t[0]
    return [(a, z) for a, z in times]


def make_cues(
    items: Iterable[TimedText | Sequence],
    *,
    max_lines: int = MAX_LINES,
    max_line_chars: int = MAX_LINE_CHARS,
    max_chars_per_second: float = MAX_CHARS_PER_SECOND,
    min_seconds: float = MIN_CUE_SECONDS,
) -> list[Cue]:
    """Caption cues for timed sentences.

    Parameters
    ----------
    items
        Sentences in time order, as :class:`TimedText` or ``(text, start, end[,
        words])`` tuples; ``words`` is a list of ``(word, start, end)`` of the
        speech (the said words, which may differ from the shown ones: "p one"
        for "p1"). Spans must not overlap; empty texts are skipped.
    max_lines, max_line_chars
        Size of a cue.
    max_chars_per_second, min_seconds
        How long a cue is held at least, where its sentence's span leaves room
        (a sentence too fast for it gets cues in proportion to their length).

    Returns
    -------
    list of Cue
        In order, not overlapping; the cues' texts joined by spaces give back the
        sentences' texts (whitespace collapsed). Times rounded to milliseconds.

    Examples
    --------
    >>> cues = make_cues([("Take a few logits and their softmax probabilities.", 0.0, 4.0)])
    >>> [(c.start, c.end, c.lines) for c in cues]
    [(0.0, 4.0, ('Take a few logits and their', 'softmax probabilities.'))]
    >>> words = [("one", 1.0, 1.3), ("two", 1.5, 1.8)]
    >>> [(c.start, c.end, c.text) for c in make_cues([("one two", 0.5, 5.0, words)])]
    [(1.0, 2.0, 'one two')]
    """
    cues: list[Cue] = []
    previous_end = -np.inf
    for number, raw in enumerate(items, start=1):
        item = _as_timed(raw)
        if not item.end > item.start:
            raise SoftmaxVideoError(
                f"caption {number}: end {item.end:g} s is not after start {item.start:g} s"
            )
        if item.start < previous_end - 1e-6:
            raise SoftmaxVideoError(
                f"caption {number}: starts at {item.start:g} s, before caption "
                f"{number - 1} ends at {previous_end:g} s"
            )
        previous_end = item.end
        tokens = item.text.split()
        if not tokens:
            continue
        ranges = _group(tokens, max_line_chars, max_lines)
        texts = [" ".join(tokens[i:j]) for i, j in ranges]
        ideal = _ideal_times(item, tokens, ranges)
        span = item.end - item.start
        needs = [max(len(t) / max_chars_per_second, min_seconds) for t in texts]
        if sum(needs) > span:
            needs = [len(t) / max_chars_per_second for t in texts]
        for (i, j), (a, z) in zip(ranges, _relax(ideal, needs, item.start, item.end), strict=True):
            lines = split_lines(tokens[i:j], max_line_chars, max_lines) or (" ".join(tokens[i:j]),)
            cues.append(Cue(round(float(a), 3), round(float(z), 3), lines))
    return cues


# -- files --------------------------------------------------------------------- #


def _atomic_write(path: Path, text: str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def srt_text(cues: Sequence[Cue]) -> str:
    """The cues as SubRip (``.srt``) text.

    Examples
    --------
    >>> print(srt_text([Cue(0.5, 2.25, ("Hello", "world"))]), end="")
    1
    00:00:00,500 --> 00:00:02,250
    Hello
    world
    <BLANKLINE>
    """
    subtitles = [
        srt.Subtitle(
            index=k,
            start=timedelta(seconds=cue.start),
            end=timedelta(seconds=cue.end),
            content="\n".join(cue.lines),
        )
        for k, cue in enumerate(cues, start=1)
    ]
    return srt.compose(subtitles, reindex=False)


def cues_from_srt(text: str) -> list[Cue]:
    """The cues of SubRip text (as :func:`srt_text` writes it).

    Examples
    --------
    >>> cues_from_srt(srt_text([Cue(0.5, 2.25, ("Hello", "world"))]))
    [Cue(start=0.5, end=2.25, lines=('Hello', 'world'))]
    """
    return [
        Cue(
            sub.start.total_seconds(),
            sub.end.total_seconds(),
            tuple(line for line in sub.content.splitlines() if line.strip()),
        )
        for sub in srt.parse(text)
    ]


def _vtt_time(seconds: float) -> str:
    ms = round(seconds * 1000)
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    secs, ms = divmod(ms, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{ms:03d}"


def vtt_text(cues: Sequence[Cue]) -> str:
    """The cues as WebVTT (``.vtt``) text; ``&``, ``<`` and ``>`` are escaped.

    Examples
    --------
    >>> print(vtt_text([Cue(0.5, 2.25, ("p1 < p2",))]), end="")
    WEBVTT
    <BLANKLINE>
    00:00:00.500 --> 00:00:02.250
    p1 &lt; p2
    """
    blocks = ["WEBVTT\n"]
    for cue in cues:
        lines = [
            line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            for line in cue.lines
        ]
        blocks.append(
            f"{_vtt_time(cue.start)} --> {_vtt_time(cue.end)}\n" + "\n".join(lines) + "\n"
        )
    return "\n".join(blocks)


def write_srt(cues: Sequence[Cue], path: str | os.PathLike) -> Path:
    """Write the cues to ``path`` as ``.srt`` (atomically); returns the path."""
    return _atomic_write(Path(path), srt_text(cues))


def write_vtt(cues: Sequence[Cue], path: str | os.PathLike) -> Path:
    """Write the cues to ``path`` as ``.vtt`` (atomically); returns the path."""
    return _atomic_write(Path(path), vtt_text(cues))


def transcript_text(
    chapters: Sequence[tuple[str, Sequence[str]]], *, title: str | None = None, width: int = 79
) -> str:
    """A plain transcript: a heading per chapter, its sentences as one wrapped paragraph.

    Examples
    --------
    >>> print(transcript_text([("Sigmoid recap", ["One.", "Two."])], title="Softmax"), end="")
    Softmax
    =======
    <BLANKLINE>
    1. Sigmoid recap
    ----------------
    <BLANKLINE>
    One. Two.
    """
    parts = []
    if title:
        parts.append(f"{title}\n{'=' * len(title)}\n")
    for number, (heading, sentences) in enumerate(chapters, start=1):
        head = f"{number}. {heading}"
        body = " ".join(" ".join(s.split()) for s in sentences if s.strip())
        paragraph = textwrap.fill(body, width=width, break_long_words=False)
        parts.append(f"{head}\n{'-' * len(head)}\n\n{paragraph}\n" if body else f"{head}\n")
    return "\n".join(parts)


def write_transcript(
    chapters: Sequence[tuple[str, Sequence[str]]],
    path: str | os.PathLike,
    *,
    title: str | None = None,
) -> Path:
    """Write :func:`transcript_text` to ``path`` (atomically); returns the path."""
    return _atomic_write(Path(path), transcript_text(chapters, title=title))
