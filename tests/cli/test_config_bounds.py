"""Values the chapters cannot draw are rejected by the schema, not by a failed render.

Each bound was found by rendering past it (tiny renders): a ZeroDivisionError in the
exponential panel, readouts that overflow their 12 characters, 0/0 when normalising
Gaussians that vanish in float64. A value at the bound validates; one past it fails
with the one-line error.
"""

from __future__ import annotations

import tomllib

import pytest
from test_cli import assert_one_line_error, run_main

from softmax_video.core.params import EXP_DEPTH, MAX_LOGIT, MAX_TEMPERATURE, MIN_SIGMA, load_config

# (setting at the bound, setting past it, fragments of the error line)
BOUNDS = {
    "SoftmaxBars vary_range above the largest logit": (
        f"SoftmaxBars.vary_range=[-2, {2.5 + EXP_DEPTH}]",
        f"SoftmaxBars.vary_range=[-2, {2.5 + EXP_DEPTH + 0.5}]",
        ["SoftmaxBars.vary_range[1] = 703.0", "at most 700 above the largest logit (2.5)",
         "at most 702.5"],
    ),
    "SoftmaxBars vary_range low end": (
        f"SoftmaxBars.vary_range=[{-MAX_LOGIT}, 4]",
        f"SoftmaxBars.vary_range=[{-MAX_LOGIT * 1.5}, 4]",
        ["SoftmaxBars.vary_range[0] = -1500000.0", "must be >= -1000000"],
    ),
    "ShiftInvariance shift_range": (
        f"ShiftInvariance.shift_range=[{-MAX_LOGIT}, {MAX_LOGIT}]",
        "ShiftInvariance.shift_range=[-3, 1e12]",
        ["ShiftInvariance.shift_range[1] = 1000000000000.0", "must be <= 1000000"],
    ),
    "Temperature range": (
        f"Temperature.temperature_range=[0.1, {MAX_TEMPERATURE}]",
        "Temperature.temperature_range=[0.1, 1e12]",
        ["Temperature.temperature_range[1] = 1000000000000.0", "must be <= 1000000000"],
    ),
    "Temperature high_temperature": (
        f"Temperature.high_temperature={MAX_TEMPERATURE}",
        f"Temperature.high_temperature={MAX_TEMPERATURE * 2}",
        ["Temperature.high_temperature = 2000000000.0", "must be <= 1000000000"],
    ),
    "GaussiansTwoClass means off the plot": (
        "GaussiansTwoClass.means=[5, -5]",
        "GaussiansTwoClass.means=[10000, 0]",
        ["GaussiansTwoClass.means[0] = 10000.0", "inside the plot, within x_extent (5)"],
    ),
    "GaussiansTwoClass sigma_range": (
        f"GaussiansTwoClass.sigma_range=[{MIN_SIGMA}, 10]",
        "GaussiansTwoClass.sigma_range=[0.6, 1e200]",
        ["GaussiansTwoClass.sigma_range[1] = 1e+200", "must be <= 10"],
    ),
    "GaussiansTwoClass sigma": (
        f"GaussiansTwoClass.sigma={MIN_SIGMA}",
        "GaussiansTwoClass.sigma=1e-300",
        ["GaussiansTwoClass.sigma = 1e-300", "must be >= 0.05"],
    ),
    "GaussiansThreeClass sigma": (
        f"GaussiansThreeClass.sigma={MIN_SIGMA}",
        "GaussiansThreeClass.sigma=0.01",
        ["GaussiansThreeClass.sigma = 0.01", "must be >= 0.05"],
    ),
    "LogitPaths SGD learning rate": (
        "LogitPaths.sgd_learning_rate=1",
        "LogitPaths.sgd_learning_rate=2",
        ["LogitPaths.sgd_learning_rate = 2.0", "must be <= 1"],
    ),
    "LogitPaths Adam learning rate": (
        "LogitPaths.adam_learning_rate=0.1",
        "LogitPaths.adam_learning_rate=10",
        ["LogitPaths.adam_learning_rate = 10.0", "must be <= 0.1"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BOUNDS))
def test_value_at_the_bound_validates(case):
    at_bound, _, _ = BOUNDS[case]
    chapter, _, rest = at_bound.partition(".")
    key, _, value = rest.partition("=")
    stored = getattr(load_config(overrides=[at_bound]).chapter(chapter), key)
    expected = tomllib.loads(f"v = {value}")["v"]
    assert (list(stored) if isinstance(stored, tuple) else stored) == expected


@pytest.mark.parametrize("case", list(BOUNDS))
def test_value_past_the_bound_is_one_line_and_exit_2(case, capsys, tmp_path):
    _, past_bound, expected = BOUNDS[case]
    chapter = past_bound.partition(".")[0]
    outcome = run_main(capsys, "render", chapter, "--output", str(tmp_path), "--set", past_bound)
    assert_one_line_error(outcome, *expected)
    assert not any(tmp_path.iterdir())
