"""Batch throughput: units per minute with one and with two Dask workers, in one run.

``softmax-video batch`` is meant to scale with workers; this measures how much on
this machine, as a ratio taken in one run (the machine's speed moves between runs,
see RESULTS.md). The same manifest (variants x chapters, tiny by default) is
rendered into fresh stores by the embedded LocalCluster with ``--workers 1`` and
``--workers 2`` in the order 1, 2, 2, 1 (``--rounds`` such blocks), so that a drift
of the machine's speed during the run weighs on both alike, after one warm-up batch
that fills the compiled-LaTeX cache they all use. The load average before and after
is printed: on a shared machine it says how much the ratio means. Wall time
includes starting the cluster, as a user's batch does. Each unit's own seconds
(one manim process on one core, from the index) are reported too.

Usage::

    .venv/bin/python benchmarks/batch_speed.py                       # 128x72 at 5 fps
    .venv/bin/python benchmarks/batch_speed.py --size 854x480 --fps 15 --chapters SoftmaxBars
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

MANIFEST = """
[defaults]
chapters = {chapters}
sizes = ["{size}"]
fps = {fps}
voice = false

{variants}
"""


def run_batch(manifest: Path, store: Path, workers: int, env: dict[str, str]) -> float:
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "softmax_video.cli.batch", str(manifest),
         "--output", str(store), "--workers", str(workers), "--quiet"],
        cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="128x72")
    parser.add_argument("--fps", type=int, default=5)
    parser.add_argument("--variants", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1, help="blocks of four batches")
    parser.add_argument(
        "--chapters", nargs="+", default=["SigmoidRecap", "SoftmaxBars", "ShiftInvariance"]
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="batch-speed-") as tmp:
        folder = Path(tmp)
        env = dict(os.environ, SOFTMAX_VIDEO_BATCH_CACHE=str(folder / "scratch"))
        # Variants differ in a value every chapter draws, so no two units share a key.
        variants = "\n".join(
            f"[variants.v{i}]\nset = ['lecture.class_names=[\"class{i}\"]']"
            for i in range(args.variants)
        )
        manifest = folder / "bench.toml"
        manifest.write_text(
            MANIFEST.format(
                chapters=json.dumps(args.chapters), size=args.size, fps=args.fps,
                variants=variants,
            ),
            encoding="utf-8",
        )  # fmt: skip
        warm = folder / "warm.toml"
        warm.write_text(
            MANIFEST.format(
                chapters=json.dumps(args.chapters), size=args.size, fps=args.fps,
                variants="[variants.warm]",
            ),
            encoding="utf-8",
        )  # fmt: skip
        run_batch(warm, folder / "warm", 2, env)
        units = args.variants * len(args.chapters)
        load_before = os.getloadavg()
        walls: dict[int, list[float]] = {1: [], 2: []}
        unit_seconds: list[float] = []
        for round_ in range(args.rounds):
            for turn, n in enumerate((1, 2, 2, 1)):
                store = folder / f"store-{round_}-{turn}"
                walls[n].append(run_batch(manifest, store, n, env))
                if n == 1:
                    index = json.loads((store / "batch-index.json").read_text())
                    unit_seconds += [u["seconds"] for u in index["units"]]
        load_after = os.getloadavg()

    print(f"# batch speed, {os.cpu_count()} cores, {units} units ({args.variants} variants x "
          f"{len(args.chapters)} chapters) at {args.size} {args.fps} fps")  # fmt: skip
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} (1 min)")
    for n, runs in walls.items():
        wall = statistics.mean(runs)
        shown = ", ".join(f"{w:.1f}" for w in runs)
        print(f"workers {n}: {wall:.1f} s wall ({shown}), {units / wall * 60:.1f} units/min")
    ratio = statistics.mean(walls[1]) / statistics.mean(walls[2])
    print(f"speed-up 2 workers / 1 worker: {ratio:.2f}x")
    print(
        f"unit seconds (1 worker): median {statistics.median(unit_seconds):.1f}, "
        f"min {min(unit_seconds):.1f}, max {max(unit_seconds):.1f}"
    )


if __name__ == "__main__":
    main()
