"""Listen to rendered chapters by decoding them: speech, silences, loudness, captions.

Usage::

    .venv/bin/python tools/audio_report.py media/480p15 [--chapters 02 07]

For each ``NN-Chapter.mp4`` in the folder (beside its ``.srt``): the picture's and the
sound's length, how much of the sound is speech (50 ms windows louder than -45 dBFS),
the speech's loudness (RMS over speech windows, dBFS) and its peak, the longest pause
inside the narration, the silence after the last word, and how the captions agree with
the voice: the share of speech heard while a caption is shown, and the share of caption
time with speech in it (a cue shown over silence, or words heard with no cue, lower
these); the pace (caption words per minute of narration) and the captions' largest
reading speed (characters a second), longest line and most lines. Prints a markdown
table, one row per chapter.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import av
import numpy as np
import srt

WINDOW = 0.05  # seconds per loudness window
SPEECH_DBFS = -45.0  # a window louder than this is speech (Piper's pauses are near -90)


def decode_audio(path: Path) -> tuple[np.ndarray, int, float]:
    """Mono samples in [-1, 1], the sample rate, and the picture's length in seconds."""
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        picture = float(video.frames / video.average_rate) if video.frames else 0.0
        if not container.streams.audio:
            return np.zeros(0), 1, picture
        stream = container.streams.audio[0]
        rate = stream.rate
        chunks = []
        for frame in container.decode(stream):
            samples = frame.to_ndarray().astype(np.float64)
            if samples.dtype.kind == "i" or np.abs(samples).max(initial=0) > 1.5:
                samples = samples / 32768.0
            chunks.append(samples.mean(axis=0) if samples.ndim == 2 else samples)
    return np.concatenate(chunks) if chunks else np.zeros(0), rate, picture


def window_levels(samples: np.ndarray, rate: int) -> np.ndarray:
    """RMS level (dBFS) of each :data:`WINDOW`-long window."""
    size = max(1, int(rate * WINDOW))
    whole = len(samples) // size * size
    if not whole:
        return np.zeros(0)
    rms = np.sqrt(np.mean(samples[:whole].reshape(-1, size) ** 2, axis=1))
    return 20 * np.log10(np.maximum(rms, 1e-9))


def longest_run(mask: np.ndarray) -> int:
    """Length of the longest run of True in ``mask``."""
    best = run = 0
    for value in mask:
        run = run + 1 if value else 0
        best = max(best, run)
    return best


def report(video: Path) -> dict[str, float | str]:
    samples, rate, picture = decode_audio(video)
    row: dict[str, float | str] = {"chapter": video.stem, "picture s": picture}
    row["sound s"] = len(samples) / rate if len(samples) else 0.0
    levels = window_levels(samples, rate)
    speech = levels > SPEECH_DBFS
    if not speech.any():
        row["speech %"] = 0.0
        return row
    first, last = np.flatnonzero(speech)[[0, -1]]
    row["speech %"] = 100 * speech.mean()
    row["speech dBFS"] = 20 * np.log10(np.sqrt(np.mean(10 ** (levels[speech] / 10))))
    row["peak dBFS"] = 20 * np.log10(max(np.abs(samples).max(), 1e-9))
    row["first word s"] = first * WINDOW
    row["longest pause s"] = longest_run(~speech[first : last + 1]) * WINDOW
    row["after last word s"] = picture - (last + 1) * WINDOW
    subtitles = video.with_suffix(".srt")
    if subtitles.exists():
        shown = np.zeros(len(speech), dtype=bool)
        cues = list(srt.parse(subtitles.read_text(encoding="utf-8")))
        for cue in cues:
            a = int(cue.start.total_seconds() / WINDOW)
            b = int(np.ceil(cue.end.total_seconds() / WINDOW))
            shown[a:b] = True
        row["speech under a cue %"] = 100 * (speech & shown).sum() / speech.sum()
        row["cue time with speech %"] = 100 * (speech & shown).sum() / max(shown.sum(), 1)
        words = sum(len(cue.content.split()) for cue in cues)
        row["words / min"] = words / max((last + 1 - first) * WINDOW / 60, 1e-9)
        row["cue chars / s (max)"] = max(
            len(cue.content.replace("\n", " ")) / max((cue.end - cue.start).total_seconds(), 1e-3)
            for cue in cues
        )
        row["longest cue line"] = max(len(line) for cue in cues for line in cue.content.split("\n"))
        row["most cue lines"] = max(len(cue.content.split("\n")) for cue in cues)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--chapters", nargs="*", default=[], help="numbers or names to keep")
    args = parser.parse_args()
    videos = sorted(p for p in args.folder.glob("[0-9][0-9]-*.mp4") if p.stem.count(".") == 0)
    if args.chapters:
        videos = [v for v in videos if any(c.lower() in v.stem.lower() for c in args.chapters)]
    if not videos:
        sys.exit(f"audio_report: no NN-Chapter.mp4 in {args.folder}")
    rows = [report(video) for video in videos]
    columns = list(dict.fromkeys(key for row in rows for key in row))
    print("| " + " | ".join(columns) + " |")
    print("|" + "|".join("---" if c == "chapter" else "---:" for c in columns) + "|")
    for row in rows:
        cells = [
            row[c] if isinstance(row.get(c), str) else f"{row[c]:.1f}" if c in row else ""
            for c in columns
        ]
        print("| " + " | ".join(str(cell) for cell in cells) + " |")


if __name__ == "__main__":
    main()
