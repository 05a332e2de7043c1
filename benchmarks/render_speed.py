"""Render speed of the lecture: real-time factor per chapter and its encode floor.

For each chapter and quality this renders the chapter with caching off through the
project's own pipeline (``softmax-video render --force``, one chapter at a time, on
every core as a user's render of one chapter runs: its plays shared among one manim
process per core, ``softmax_video/core/shares.py``; the same encoder settings as real renders)
and reports

- video seconds, render wall seconds and RTF = wall / video;
- the encode floor: the same frames, decoded into memory first, encoded alone
  with the same codec settings (libx264 crf 23 + the project's options), as RTF;
- RTF / floor: how close drawing gets to the encoder's own cost.

Then it renders the whole lecture as a user does (``softmax-video lecture``, every
core, from an empty folder) and times a re-render with nothing changed (a chapter,
and the lecture's join). It also renders, in the same run, the engine benchmark's
stock reference scenes (three ``Surface``s; ``always_redraw(ArrowVectorField)``)
against the project's equivalents, and reports the speed-up (see
``benchmarks/engine_speed.py``).

Writes a markdown table to ``benchmarks/RESULTS.md`` (with core count and date).

Usage::

    .venv/bin/python benchmarks/render_speed.py                      # all, 480p15 + 1080p60
    .venv/bin/python benchmarks/render_speed.py --quality preview --only SoftmaxBars Temperature
    .venv/bin/python benchmarks/render_speed.py --no-engine          # skip the reference scenes
    .venv/bin/python benchmarks/render_speed.py --lecture preview    # whole lecture at 480p15 only
"""

from __future__ import annotations

import argparse
import datetime
import itertools as it
import os
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import av

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from softmax_video.cli.render import H264_OPTIONS, QUALITY_PRESETS, RenderSettings, output_path  # noqa: E402
from softmax_video.core.chapters import CHAPTERS, find_chapter  # noqa: E402
from softmax_video.engine.video_writer import rgba_video_frame  # noqa: E402

RESULTS = ROOT / "benchmarks" / "RESULTS.md"


def render_wall_seconds(chapter: str, quality: str, output: Path) -> float:
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "softmax_video", "render", chapter, "--quality", quality,
         "--force", "--quiet", "--jobs", str(os.cpu_count() or 1), "--output", str(output)],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return time.monotonic() - started


def lecture_wall_seconds(
    quality: str, output: Path, chapters: list[str] | None
) -> tuple[float, Path]:
    """Wall seconds of ``softmax-video lecture`` from an empty output folder, on every core.

    Nothing is reused: no clips, no compiled LaTeX. Returns (seconds, joined video).
    """
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "softmax_video", "lecture", *(chapters or []), "--quality", quality,
         "--quiet", "--jobs", str(os.cpu_count() or 1), "--output", str(output)],
        cwd=ROOT, check=True, capture_output=True, text=True,
    )  # fmt: skip
    seconds = time.monotonic() - started
    joined = Path(result.stdout.strip().splitlines()[0])
    return seconds, joined


def reuse_seconds(command: list[str]) -> float:
    """Wall seconds of a CLI call that should find every clip up to date."""
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "softmax_video", *command],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return time.monotonic() - started


def duration_seconds(video: Path) -> float:
    with av.open(str(video)) as container:
        return float(container.duration) / av.time_base


#: Frames decoded ahead of each timed stretch of encoding (about 5 GB at 1080p).
FLOOR_CHUNK = 600


def encode_floor_seconds(video: Path) -> tuple[float, float]:
    """(video seconds, seconds to encode its frames alone with the render's settings).

    Frames are decoded to RGBA (as manim hands them over; the conversion is part of
    the floor) a chunk at a time, outside the timed stretches, so a long 1080p60
    chapter never has to fit in memory at once. They reach the encoder the way a
    render's frames do (:func:`softmax_video.engine.video_writer.rgba_video_frame`, no copy).
    """
    options = {"crf": "23"} | dict(option.split("=", 1) for option in H264_OPTIONS)
    seconds = 0.0
    count = 0
    with tempfile.TemporaryDirectory() as scratch, av.open(str(video)) as source:
        stream = source.streams.video[0]
        rate = Fraction(stream.average_rate)
        frames = source.decode(stream)
        with av.open(str(Path(scratch) / "floor.mp4"), "w") as out:
            encoder = out.add_stream("libx264", rate=rate, options=options)
            encoder.width, encoder.height = stream.width, stream.height
            encoder.pix_fmt = "yuv420p"
            while chunk := [f.to_ndarray(format="rgba") for f in it.islice(frames, FLOOR_CHUNK)]:
                count += len(chunk)
                started = time.monotonic()
                for array in chunk:
                    for packet in encoder.encode(rgba_video_frame(array)):
                        out.mux(packet)
                seconds += time.monotonic() - started
            started = time.monotonic()
            for packet in encoder.encode(None):
                out.mux(packet)
            seconds += time.monotonic() - started
    return count / float(rate), seconds


def engine_rows(quality: str) -> list[str]:
    """Rows from benchmarks/engine_speed.py (stock vs project drawing), same run."""
    script = ROOT / "benchmarks" / "engine_speed.py"
    if not script.exists():
        return ["(benchmarks/engine_speed.py missing)"]
    flag = "low" if quality == "preview" else "high"
    result = subprocess.run(
        [sys.executable, str(script), "--quality", flag, "--fast-encoder"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return result.stdout.strip().splitlines()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quality", choices=["preview", "high", "both"], default="both")
    parser.add_argument("--only", nargs="+", metavar="CHAPTER", help="a subset of chapters")
    parser.add_argument("--no-engine", action="store_true", help="skip the reference scenes")
    parser.add_argument("--output", type=Path, default=None, help="where renders go (temp)")
    parser.add_argument(
        "--lecture",
        choices=["preview", "high", "both", "none"],
        default="both",
        help="qualities of the whole-lecture run on every core (default: both)",
    )
    args = parser.parse_args()

    chapters = [find_chapter(n) for n in args.only] if args.only else list(CHAPTERS)
    qualities = ["preview", "high"] if args.quality == "both" else [args.quality]
    output = args.output or Path(tempfile.mkdtemp(prefix="render-speed-"))
    lines = [
        f"# Render speed ({datetime.date.today()}, {os.cpu_count()} cores, "
        f"python {sys.version.split()[0]})",
        "",
        "RTF = render wall seconds / video seconds (process start-up included, caching off).",
        f"Each chapter renders alone on every core (`softmax-video render --jobs {os.cpu_count()}`:"
        " its plays shared among that many manim processes).",
        "Floor = the same frames encoded alone with the same settings, as RTF.",
        "",
    ]
    for quality in qualities:
        width, height, fps = QUALITY_PRESETS[quality]
        settings = RenderSettings(width, height, fps)
        lines += [
            f"## {quality}: {height}p{fps}",
            "",
            "| chapter | video s | wall s | RTF | floor RTF | RTF / floor |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        total_video = total_wall = 0.0
        for chapter in chapters:
            wall = render_wall_seconds(chapter.name, quality, output)
            video_seconds, floor = encode_floor_seconds(output_path(output, chapter, settings))
            total_video += video_seconds
            total_wall += wall
            rtf, floor_rtf = wall / video_seconds, floor / video_seconds
            row = (
                f"| {chapter.name} | {video_seconds:.1f} | {wall:.1f} | {rtf:.2f} | "
                f"{floor_rtf:.2f} | {rtf / floor_rtf:.2f} |"
            )
            print(row, flush=True)
            lines.append(row)
        lines += [
            f"| **all, one at a time** | {total_video:.1f} | {total_wall:.1f} | "
            f"**{total_wall / total_video:.2f}** | | |",
            "",
        ]
        if args.lecture in (quality, "both"):
            names = [c.name for c in chapters] if args.only else None
            fresh = Path(tempfile.mkdtemp(prefix=f"lecture-{quality}-"))
            wall, joined = lecture_wall_seconds(quality, fresh, names)
            seconds = duration_seconds(joined)
            cached_chapter = reuse_seconds(
                ["render", chapters[0].name, "--quality", quality, "--output", str(fresh)]
            )
            cached_lecture = reuse_seconds(
                ["lecture", *(names or []), "--quality", quality, "--quiet", "--output", str(fresh)]
            )
            row = (
                f"Whole lecture, `softmax-video lecture --jobs {os.cpu_count()}` from an empty "
                f"folder (no clips, no compiled LaTeX): {seconds:.1f} s of video in {wall:.1f} s, "
                f"**RTF {wall / seconds:.2f}**. Again with nothing changed: one chapter "
                f"{cached_chapter:.1f} s, the whole lecture (clips reused, joined without "
                f"re-encoding) {cached_lecture:.1f} s."
            )
            print(row, flush=True)
            lines += [row, ""]
        if not args.no_engine:
            lines += [f"### Stock drawing vs the project's engine ({quality})", ""]
            lines += engine_rows(quality)
            lines.append("")
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
