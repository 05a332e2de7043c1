"""Contact sheets: each beat's last frame of chapters at given sizes, tiled.

Usage (from the project root, in the venv)::

    python tools/contact_sheet.py SoftmaxBars Temperature --size 1080x1920 --size 1080x1080
    python tools/contact_sheet.py --all --size 1920x1080 --out docs/contact

Each chapter and size gives ``<out>/<Chapter>-<W>x<H>.png``: the last frame of every
beat, labelled with the beat name, in story order. Each frame is a beat still
(``softmax-video render CHAPTER --beat NAME``: the frames before it are skipped, and
it equals the video's frame, as tests/cli/test_stills.py checks), silent, with the
settings of ``--config`` if given.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from softmax_video.core.chapters import CHAPTERS  # noqa: E402
from softmax_video.core.params import load_config  # noqa: E402


def beat_stills(
    name: str, width: int, height: int, work: Path, config: Path | None
) -> tuple[list[Path], list[str]]:
    """The last frame of each of chapter ``name``'s beats at ``width`` x ``height``."""
    settings = load_config(config)
    beats = settings.chapter(name).beat_names(settings.lecture)
    stills = []
    for beat in beats:
        command = [
            sys.executable, "-m", "softmax_video", "render", name, "--beat", beat,
            "--resolution", f"{width}x{height}", "--voice", "none",
            "--output", str(work), "--quiet",
            *(["--config", str(config)] if config else []),
        ]  # fmt: skip
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"{name} {beat} {width}x{height} failed:\n{result.stderr[-3000:]}")
        stills.append(next(work.rglob(f"*-{name}.beat-{beat}.png")))
    return stills, beats


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
    parser.add_argument("--config", type=Path, default=None, help="settings (TOML)")
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
                    stills, labels = beat_stills(name, width, height, Path(tmp), args.config)
                except RuntimeError as error:
                    failed = True
                    print(error, file=sys.stderr)
                    continue
                frames = [Image.open(still).convert("RGB") for still in stills]
            target = args.out / f"{name}-{width}x{height}.png"
            sheet(frames, labels, args.columns).save(target)
            print(target)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
