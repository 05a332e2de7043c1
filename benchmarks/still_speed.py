"""Time a still against the whole video of the same chapter, in one run: the ratio.

Usage::

    .venv/bin/python benchmarks/still_speed.py [--only CHAPTER ...] [--quality preview]

Why: a lecturer customising looks at stills; ``render --format png`` (and ``--beat``,
``--at``) skips every play before the frame it shows, so a still should cost a small
part of the video (target: at most a fifth at 480p). Seconds move with the machine's
load; the ratio of two renders made one after the other moves much less.

For each chapter (default: SoftmaxBars, 2D, and TwoClassSurfaces, 3D), in a fresh
temporary output folder, with ``--force --jobs 1 --quiet`` (one manim process each)
and a silent voice (``voice.engine = "none"``, so speech synthesis is not timed):
the video (mp4), the still of the last frame (png), and the still of the middle beat
(``--beat``), each timed ``--repeat`` times in turns (the video one time fewer) and
the median kept. Prints a markdown table: seconds of each and still / video, and the
start-up floor every render pays whatever it draws: starting the command line plus
starting a manim process with the chapter's module imported.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))

DEFAULT_CHAPTERS = ("SoftmaxBars", "TwoClassSurfaces")


def timed_render(chapter: str, output: Path, config: Path, quality: str, *extra: str) -> float:
    """Wall seconds of ``softmax-video render CHAPTER`` with ``extra`` options."""
    command = [
        sys.executable, "-m", "softmax_video", "render", chapter, "--quality", quality,
        "--config", str(config), "--output", str(output), "--force", "--jobs", "1", "--quiet",
        *extra,
    ]  # fmt: skip
    started = time.monotonic()
    result = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True)
    seconds = time.monotonic() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr}")
    return seconds


def startup_seconds(chapter_module: str) -> float:
    """Wall seconds of the two Python start-ups of a render (front end, manim process)."""
    total = 0.0
    for code in ("import softmax_video.cli.main", f"import manim, {chapter_module}"):
        started = time.monotonic()
        subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, check=True)
        total += time.monotonic() - started
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", default=list(DEFAULT_CHAPTERS), metavar="CHAPTER")
    parser.add_argument("--quality", default="preview")
    parser.add_argument("--repeat", type=int, default=3, help="stills per kind (videos: one fewer)")
    args = parser.parse_args()

    from softmax_video.core.chapters import find_chapter
    from softmax_video.core.params import load_config

    config = load_config()
    load = f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "?"
    rows = []
    with tempfile.TemporaryDirectory(prefix="still-speed-") as folder:
        settings = Path(folder) / "config.toml"
        settings.write_text('[voice]\nengine = "none"\n', encoding="utf-8")
        for chapter in args.only:
            beats = config.chapter(chapter).beat_names(config.lecture)
            middle = beats[len(beats) // 2]
            output = Path(folder) / chapter
            # Compiled LaTeX is shared within an output folder: a first still warms it,
            # so no render below pays for typesetting the others did not.
            timed_render(chapter, output, settings, args.quality, "--format", "png")
            # Medians of several renders, taken in turns, so one busy moment on a
            # shared machine moves no figure much.
            videos, lasts, beats_ = [], [], []
            for turn in range(args.repeat):
                if turn < max(1, args.repeat - 1):  # videos are long: one fewer
                    videos.append(timed_render(chapter, output, settings, args.quality))
                lasts.append(
                    timed_render(chapter, output, settings, args.quality, "--format", "png")
                )
                beats_.append(
                    timed_render(chapter, output, settings, args.quality, "--beat", middle)
                )
            video, last, beat = (statistics.median(t) for t in (videos, lasts, beats_))
            startup = startup_seconds(find_chapter(chapter).module)
            rows.append((chapter, middle, video, last, beat, startup))

    print(f"load average (1 min) at the start: {load}")
    print(
        "| chapter | video s | last-frame still s | still / video | beat | beat still s "
        "| beat still / video | start-up s | (still - start-up) / video |"
    )
    print("|---|---:|---:|---:|---|---:|---:|---:|---:|")
    for chapter, middle, video, last, beat, startup in rows:
        print(
            f"| {chapter} | {video:.1f} | {last:.1f} | **{last / video:.2f}** | {middle} "
            f"| {beat:.1f} | {beat / video:.2f} | {startup:.1f} "
            f"| {(last - startup) / video:.2f} |"
        )


if __name__ == "__main__":
    main()
