"""Contact sheets: render chapters at given sizes and tile each beat's last frame.

Usage (from the project root, in the venv)::

    python tools/contact_sheet.py SoftmaxBars Temperature --size 1080x1920 --size 1080x1080
    python tools/contact_sheet.py --all --size 270x480 --fps 5 --out docs/contact

Each chapter and size gives ``<out>/<Chapter>-<W>x<H>.png``: the last frame of every
beat (manim section), labelled with the beat name, in story order.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import av
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from softmax_video.core.chapters import CHAPTERS, find_chapter  # noqa: E402


def render_sections(name: str, width: int, height: int, fps: int, work: Path) -> list[Path]:
    """Render chapter ``name`` with the plain manim CLI; the section videos in story order."""
    chapter = find_chapter(name)
    env = dict(os.environ)
    command = [
        sys.executable, "-m", "manim", "render", "--media_dir", str(work), "--disable_caching",
        "--save_sections", "-r", f"{width},{height}", "--fps", str(fps),
        "--progress_bar", "none", "-v", "WARNING", chapter.source_file, chapter.name,
    ]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{name} {width}x{height} failed:\n{result.stderr[-3000:]}")
    index = next(work.rglob(f"sections/{chapter.name}.json"))
    entries = json.loads(index.read_text())
    return [index.parent / e["video"] for e in entries if e.get("video")], [
        e["name"] for e in entries if e.get("video")
    ]


def last_frame(video: Path) -> Image.Image:
    with av.open(str(video)) as container:
        *_, frame = container.decode(video=0)
    return frame.to_image()


def sheet(frames: list[Image.Image], labels: list[str], columns: int) -> Image.Image:
    w, h = frames[0].size
    scale = min(1.0, 480 / max(w, h))
    tw, th = int(w * scale), int(h * scale)
    rows = (len(frames) + columns - 1) // columns
    out = Image.new("RGB", (columns * (tw + 8) + 8, rows * (th + 28) + 8), "#606060")
    draw = ImageDraw.Draw(out)
    for i, (frame, label) in enumerate(zip(frames, labels, strict=True)):
        x, y = 8 + (i % columns) * (tw + 8), 8 + (i // columns) * (th + 28)
        out.paste(frame.resize((tw, th), Image.LANCZOS), (x, y + 20))
        draw.text((x, y + 4), f"{i + 1}. {label}", fill="white")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapters", nargs="*")
    parser.add_argument("--all", action="store_true")
    parser.add_argument("--size", action="append", default=[], help="WxH, repeatable")
    parser.add_argument("--fps", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path("media/contact"))
    parser.add_argument("--columns", type=int, default=4)
    args = parser.parse_args()
    names = [c.name for c in CHAPTERS] if args.all else args.chapters
    sizes = [tuple(int(v) for v in s.split("x")) for s in args.size or ["480x270"]]
    args.out.mkdir(parents=True, exist_ok=True)
    failed = False
    for name in names:
        for width, height in sizes:
            with tempfile.TemporaryDirectory() as tmp:
                try:
                    videos, labels = render_sections(name, width, height, args.fps, Path(tmp))
                except RuntimeError as error:
                    failed = True
                    print(error, file=sys.stderr)
                    continue
                frames = [last_frame(v) for v in videos]
            target = args.out / f"{name}-{width}x{height}.png"
            sheet(frames, labels, args.columns).save(target)
            print(target)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
