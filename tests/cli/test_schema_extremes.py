"""Every numeric and list parameter of the schema at both ends of its range, as a tiny still.

The schema promises that every value it accepts renders: a value at a bound either
renders a picture (exit 0, a frame that is not blank) or is refused before anything
renders with the one-line error (exit 2, no file written), as a cross-field check
refuses it. The cases are read from the schema itself
(:data:`softmax_video.core.params.CHAPTER_PARAMS`
and :class:`softmax_video.core.params.LectureParams`: each field's ``minimum``, ``maximum``,
``positive``, ``choices`` and ``length``), so a new parameter is swept without editing
this file. An end without a bound is the largest value TOML can write (an integer of
2^63 - 1, a float of 1.8e308); a ``positive`` number's lower end is the smallest float.

A png still is the cheapest real render: it skips drawing the frames before the last
one, but computes the whole chapter's state step by step, so a crash anywhere shows.
The whole sweep is ``slow``; the values that used to crash a chapter (issue 28) run by
default.
"""

from __future__ import annotations

import dataclasses
import itertools
import subprocess
import sys
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from softmax_video.core.chapters import find_chapter
from softmax_video.core.params import CHAPTER_PARAMS, ConfigError, LectureParams, load_config
from videotools import is_blank

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TINY = ("--format", "png", "--resolution", "128x72", "--voice", "none")

#: The ends of a number without a bound: the largest TOML writes, and the smallest
#: float above 0 for a number that must be positive.
LARGEST_INT = 2**63 - 1
LARGEST_FLOAT = sys.float_info.max
SMALLEST_POSITIVE = 5e-324

#: The [lecture] table is drawn by every chapter; its cases render this one with five
#: classes, so every class name and colour is on screen.
LECTURE_CHAPTER = "SoftmaxBars"
LECTURE_COMPANIONS = ("SoftmaxBars.logits=[1, 2.5, -0.5, 0.5, 0]",)

#: Other settings that make an extreme value valid where a cross-field check would
#: refuse it with the defaults, so the value itself is rendered.
COMPANIONS: dict[str, tuple[str, ...]] = {
    # The varied logit may rise at most 700 above the largest logit.
    "SoftmaxBars.vary_range-max": ("SoftmaxBars.logits=[999400, 2.5, -0.5, 0.5]",),
    "SoftmaxBars.varied_class-max": ("SoftmaxBars.logits=[1, 2.5, -0.5, 0.5, 3]",),
    "SoftmaxBars.logits-max": ("SoftmaxBars.vary_range=[-2, 1000000]",),
    # low_temperature < high_temperature.
    "Temperature.low_temperature-max": ("Temperature.high_temperature=1e9",),
    "Temperature.high_temperature-min": ("Temperature.low_temperature=0",),
    # The smallest ball holds no class above p = 0.77 (InputSpaceShapesParams.highest_level).
    "InputSpaceShapes.extent-min": ("InputSpaceShapes.levels=[0.5, 0.77]",),
    "InputSpaceShapes.levels-max": ("InputSpaceShapes.extent=20",),
    # Means inside the plot: the widest plot holds the farthest means.
    "GaussiansTwoClass.means-min": ("GaussiansTwoClass.x_extent=20",),
    "GaussiansTwoClass.means-max": ("GaussiansTwoClass.x_extent=20",),
}


@dataclass(frozen=True)
class Case:
    """One parameter at one end: the chapter rendered and the settings given."""

    chapter: str
    key: str
    end: str
    overrides: tuple[str, ...]

    @property
    def id(self) -> str:
        where = "" if self.key.startswith(f"{self.chapter}.") else f"@{self.chapter}"
        return f"{self.key}-{self.end}{where}"


def toml(value: Any) -> str:
    """``value`` as a TOML value (``repr`` keeps every float exact)."""
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml(v) for v in value) + "]"
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)


def number_ends(meta: dict[str, Any], kind: type) -> tuple[float, float]:
    """The lowest and highest value the schema accepts for one number."""
    if meta["choices"]:
        return min(meta["choices"]), max(meta["choices"])
    largest = LARGEST_INT if kind is int else LARGEST_FLOAT
    low = meta["minimum"]
    if meta["positive"] and (low is None or low <= 0):
        low = 1 if kind is int else SMALLEST_POSITIVE
    low = -largest - (kind is int) if low is None else kind(low)
    high = largest if meta["maximum"] is None else kind(meta["maximum"])
    return low, high


def resized(default: tuple[Any, ...], length: int) -> list[Any]:
    """``default`` cut or repeated to ``length`` items."""
    return list(itertools.islice(itertools.cycle(default), length))


def text_ends(name: str, meta: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Shortest and longest lists of strings, with their most demanding items."""
    low, high = meta["length"]
    if meta["choices"]:
        return list(meta["choices"][-low:]), resized(meta["choices"], high)
    if name == "class_colors":
        extremes = ["#000000", "#FFFFFF", "#FF0000", "#00FF00", "#0000FF"]
        return extremes[:low], extremes[:high]
    # Class names at the longest length, in the widest capital letter.
    names = [f"{'W' * 22}{i:02d}" for i in range(high)]
    return names[:low], names


def field_cases(
    section: str, cls: type, chapter: str, companions: tuple[str, ...] = ()
) -> list[Case]:
    hints = typing.get_type_hints(cls)
    cases = []
    for f in dataclasses.fields(cls):
        kind, meta, key = hints[f.name], dict(f.metadata), f"{section}.{f.name}"
        if typing.get_origin(kind) is tuple:
            element = typing.get_args(kind)[0]
            low_length, high_length = meta["length"] or (len(f.default), len(f.default))
            if element is str:
                shortest, longest = text_ends(f.name, meta)
            else:
                low, high = number_ends(meta, element)
                shortest = [low, *resized(f.default, low_length)[1:]]
                longest = [*resized(f.default, high_length)[:-1], high]
            ends = {"min": shortest, "max": longest}
        elif kind in (int, float):
            low, high = number_ends(meta, kind)
            ends = {"min": low, "max": high}
        else:  # strings choose among beats or themes; booleans have no range
            continue
        for end, value in ends.items():
            extra = COMPANIONS.get(f"{key}-{end}", ())
            overrides = (*companions, *extra, f"{key}={toml(value)}")
            cases.append(Case(chapter, key, end, overrides))
    return cases


#: The ends of the ranges that cross-field checks draw: each parameter at its bound
#: together with the others that limit it, the combinations a sweep of one parameter
#: at a time never reaches.
EXTREME_COMBINATIONS = [
    Case("SoftmaxBars", "SoftmaxBars.vary_range", "widest", (
        "SoftmaxBars.logits=[999400, -1000000, 0, 0.5, -inf]",
        "SoftmaxBars.vary_range=[-1000000, 1000000]",
        "SoftmaxBars.varied_class=2",
    )),
    Case("ShiftInvariance", "ShiftInvariance.shift_range", "widest", (
        "ShiftInvariance.logits=[-1000000, 1000000, 0, -inf, 1]",
        "ShiftInvariance.shift_range=[-1000000, 1000000]",
        "ShiftInvariance.shift_example=-1000000",
    )),
    Case("Temperature", "Temperature.temperature_range", "widest", (
        "Temperature.logits=[-1000000, 1000000, 0, -inf, 1]",
        f"Temperature.temperature_range=[{SMALLEST_POSITIVE!r}, 1e9]",
        f"Temperature.low_temperature={SMALLEST_POSITIVE!r}",
        "Temperature.high_temperature=1e9",
    )),
    Case("GaussiansTwoClass", "GaussiansTwoClass.means", "farthest", (
        "GaussiansTwoClass.x_extent=20",
        "GaussiansTwoClass.means=[-20, 20]",
        "GaussiansTwoClass.sigma=0.05",
        "GaussiansTwoClass.sigma_range=[0.05, 10]",
        "GaussiansTwoClass.prior_class1=0.99",
    )),
    Case("GaussiansThreeClass", "GaussiansThreeClass.sigma", "narrowest", (
        "GaussiansThreeClass.spread=10",
        "GaussiansThreeClass.extent=10",
        "GaussiansThreeClass.sigma=0.05",
        "GaussiansThreeClass.sigma_range=[0.05, 10]",
    )),
    Case("TwoClassSurfaces", "TwoClassSurfaces.slide_range", "widest", (
        "TwoClassSurfaces.extent=10",
        "TwoClassSurfaces.slide_point=[0, 0]",
        "TwoClassSurfaces.slide_range=[-10, 10]",
    )),
    Case("ThreeClassSurfaces", "ThreeClassSurfaces.slide_range", "widest", (
        "ThreeClassSurfaces.example_logits=[0, 0, 0]",
        "ThreeClassSurfaces.slide_range=[-2.5, 2.5]",
    )),
    Case("ThreeClassGradients", "ThreeClassGradients.start_point", "corner", (
        "ThreeClassGradients.extent=10",
        "ThreeClassGradients.start_point=[10, -10]",
        "ThreeClassGradients.step_size=10",
        "ThreeClassGradients.descent_steps=200",
    )),
    Case("InputSpaceShapes", "lecture.class_names", "longest", (
        "lecture.class_names=[" + ", ".join(f'"{"W" * 22}{i:02d}"' for i in range(5)) + "]",
    )),
    Case("ThreeClassGradients", "lecture.class_names", "longest", (
        "lecture.class_names=[" + ", ".join(f'"{"W" * 22}{i:02d}"' for i in range(5)) + "]",
        "ThreeClassGradients.target_classes=[1, 2, 3]",
    )),
]  # fmt: skip


def all_cases() -> list[Case]:
    cases = field_cases("lecture", LectureParams, LECTURE_CHAPTER, LECTURE_COMPANIONS)
    for name, cls in CHAPTER_PARAMS.items():
        cases += field_cases(name, cls, name)
    return cases + EXTREME_COMBINATIONS


#: The values issue 28 found crashing a chapter: they run in the default suite.
HISTORIC = {
    "SoftmaxBars.vary_range-widest",
    "ShiftInvariance.shift_range-widest",
    "Temperature.temperature_range-widest",
    "GaussiansTwoClass.means-farthest",
    "GaussiansTwoClass.sigma_range-max",
    "GaussiansThreeClass.sigma-narrowest",
}

#: Cases that fail for a reason in a chapter module (strict: they fail today).
CHAPTER_BUGS: dict[str, str] = {}

CASES = all_cases()


def params() -> list[Any]:
    found = []
    for case in CASES:
        marks = [] if case.id in HISTORIC else [pytest.mark.slow]
        if case.id in CHAPTER_BUGS:
            marks.append(pytest.mark.xfail(reason=CHAPTER_BUGS[case.id], strict=True))
        found.append(pytest.param(case, id=case.id, marks=marks))
    return found


def test_every_historic_case_is_in_the_sweep():
    assert HISTORIC <= {case.id for case in CASES}
    assert set(COMPANIONS) <= {case.id for case in CASES}
    assert set(CHAPTER_BUGS) <= {case.id for case in CASES}


def render_still(case: Case, output: Path) -> subprocess.CompletedProcess[str]:
    sets = [arg for override in case.overrides for arg in ("--set", override)]
    command = [
        sys.executable,
        "-m",
        "softmax_video.cli.main",
        "render",
        case.chapter,
        *TINY,
        "--quiet",
    ]
    return subprocess.run(
        [*command, *sets, "--output", str(output)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.fixture(scope="module")
def shared_tex(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One store of compiled LaTeX for every case: the same formulas compile once."""
    return tmp_path_factory.mktemp("tex")


@pytest.mark.render
@pytest.mark.parametrize("case", params())
def test_extreme_value_renders_or_is_refused_up_front(case: Case, tmp_path: Path, shared_tex: Path):
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "tex").symlink_to(shared_tex)
    try:
        load_config(None, case.overrides)
    except ConfigError as error:
        refused: ConfigError | None = error
    else:
        refused = None
    result = render_still(case, tmp_path)
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    stills = list(tmp_path.glob(f"*/{find_chapter(case.chapter).number:02d}-*.png"))
    if refused is not None:
        assert result.returncode == 2, result.stderr[-3000:]
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert lines == [f"softmax-video: error: {refused}"]
        assert not stills
        return
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(stills) == 1, result.stderr
    assert not is_blank(np.asarray(Image.open(stills[0]).convert("RGB")))
