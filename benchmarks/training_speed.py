"""Time the default NumPy training runs behind the logit-path scenes.

Usage::

    .venv/bin/python benchmarks/training_speed.py [--repeats N] [--budget SECONDS]

Runs ``train_logit_paths`` with its defaults (60 points, hidden width 32, 1000 full-batch steps)
for each optimiser on one core (process pinned to one CPU, BLAS/OpenMP limited to one thread)
and prints a markdown table: best and median wall time over the repeats, time per step, the
budget verdict, and the final loss and accuracy so a speed-up cannot silently change the result.
Exit status is 0 whether or not the budget is met: this is a report, not a timed test.
"""

from __future__ import annotations

import os

# Must happen before NumPy loads its BLAS, or the thread pools are already sized.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

# Running the file directly puts benchmarks/ on sys.path, not the project root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from softmax_math.training import OPTIMIZERS, train_logit_paths  # noqa: E402


def pin_to_one_core() -> str:
    """Restrict this process to a single CPU where the OS allows it; describe what happened."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity on this OS)"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def time_run(optimizer: str, repeats: int) -> tuple[list[float], float, float]:
    train_logit_paths(optimizer, steps=10)  # warm-up: imports, BLAS init, caches
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = train_logit_paths(optimizer)
        times.append(time.perf_counter() - start)
    return times, float(result.losses[-1]), float(result.accuracy[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per optimiser")
    parser.add_argument("--budget", type=float, default=0.5, help="seconds allowed per run")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error(f"--repeats must be >= 1, got {args.repeats}")

    where = pin_to_one_core()
    print(f"Default run: 60 points, hidden 32, 1000 steps; {where}; {args.repeats} repeats.\n")
    print("| optimiser | best (s) | median (s) | per step (µs) | budget | final loss | final acc |")
    print("|---|---:|---:|---:|---|---:|---:|")
    for optimizer in OPTIMIZERS:
        times, loss, accuracy = time_run(optimizer, args.repeats)
        best, median = min(times), statistics.median(times)
        verdict = f"{'ok' if median < args.budget else 'OVER'} (< {args.budget:g} s)"
        print(
            f"| {optimizer} | {best:.3f} | {median:.3f} | {best / 1000 * 1e6:.0f} | {verdict} "
            f"| {loss:.4f} | {accuracy:.3f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
