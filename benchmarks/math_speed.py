"""Speed of softmax_math against scipy.special, and of the grid evaluation scenes use.

Run:  .venv/bin/python benchmarks/math_speed.py [--repeats N] [--check]

Prints a markdown table. Targets: softmax and log_softmax on a (1_000_000, 10) float64
array within 1.3x of scipy.special's time measured in the same run (best of several
repeats for both), and the 3 probability surfaces plus the descent field on a 200 x 200
grid of the 3-class plane under 50 ms. With ``--check`` the exit status is 1 when a target
is missed.
"""

from __future__ import annotations

import argparse
import platform
import sys
import timeit
from collections.abc import Callable
from pathlib import Path

import numpy as np
import scipy
import scipy.special

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a plain checkout

from softmax_math import (
    descent_field,
    log_softmax,
    plane_field,
    plane_grid,
    softmax,
    softmax_surfaces,
)

RATIO_TARGET = 1.3
FIELD_TARGET_MS = 50.0


def best_time(function: Callable[[], object], repeats: int) -> float:
    """Best wall time of one call, in seconds (timeit switches the GC off meanwhile)."""
    return min(timeit.repeat(function, number=1, repeat=repeats))


def best_times_interleaved(
    first: Callable[[], object], second: Callable[[], object], repeats: int
) -> tuple[float, float]:
    """Best times of two functions measured alternately, so load changes hit both alike."""
    first_times, second_times = [], []
    for _ in range(repeats):
        first_times.append(best_time(first, 1))
        second_times.append(best_time(second, 1))
    return min(first_times), min(second_times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="repeats per measurement")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    arguments = parser.parse_args()

    logits = np.random.default_rng(0).normal(scale=3.0, size=(1_000_000, 10))
    rows = []
    ratios_ok = True
    for name, ours, theirs in [
        ("softmax", softmax, scipy.special.softmax),
        ("log_softmax", log_softmax, scipy.special.log_softmax),
    ]:
        np.testing.assert_allclose(ours(logits), theirs(logits, axis=-1), rtol=1e-12, atol=1e-15)
        ours_s, theirs_s = best_times_interleaved(
            lambda ours=ours: ours(logits),
            lambda theirs=theirs: theirs(logits, axis=-1),
            arguments.repeats,
        )
        ratio = ours_s / theirs_s
        ratios_ok &= ratio <= RATIO_TARGET
        rows.append(
            f"| `{name}` (1_000_000, 10) | {ours_s * 1e3:.1f} | {theirs_s * 1e3:.1f} "
            f"| {ratio:.2f} (target <= {RATIO_TARGET}) |"
        )

    x, y = plane_grid(4.0, 200)
    field_s = best_time(lambda: plane_field(3, 0, x, y), 5 * arguments.repeats)
    separate_s = best_time(
        lambda: (softmax_surfaces(3, x, y), descent_field(3, 0, x, y)), 5 * arguments.repeats
    )
    field_ok = field_s * 1e3 < FIELD_TARGET_MS

    print(
        f"Python {platform.python_version()}, NumPy {np.__version__}, SciPy {scipy.__version__}, "
        f"best of {arguments.repeats} repeats\n"
    )
    print("| benchmark | softmax_math (ms) | scipy.special (ms) | ratio |")
    print("|---|---:|---:|---:|")
    print("\n".join(rows))
    print(
        f"| `plane_field` 3 surfaces + loss + descent, 200 x 200 | {field_s * 1e3:.2f} | - "
        f"| target < {FIELD_TARGET_MS:.0f} ms |"
    )
    print(
        f"| `softmax_surfaces` + `descent_field`, 200 x 200 | {separate_s * 1e3:.2f} | - "
        f"| target < {FIELD_TARGET_MS:.0f} ms |"
    )
    ratios = [row.split("|")[4].split()[0] for row in rows]
    print(f"\nratios softmax_math / scipy: softmax {ratios[0]}, log_softmax {ratios[1]}")
    print(f"targets met: ratios {'yes' if ratios_ok else 'NO'}, grid {'yes' if field_ok else 'NO'}")
    return 1 if arguments.check and not (ratios_ok and field_ok) else 0


if __name__ == "__main__":
    sys.exit(main())
