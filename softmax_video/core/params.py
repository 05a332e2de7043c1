"""The one parameter schema of the lecture, and its validation.

Every value a scene may show or use (logits, class names and colours,
temperatures, seeds, pace...) is a field of a frozen dataclass here, with a
default, a type and a help text. Scenes read their parameters from the active
:class:`LectureConfig`; the command line and user TOML files write into it.

Data flows one way: TOML / ``--set`` -> :func:`load_config` (validates) ->
:class:`LectureConfig` -> scene -> math -> mobjects.

Classes are numbered from 1 in configuration files, as on screen (``z_1``);
scenes convert to 0-based indices.

Examples
--------
>>> cfg = load_config(overrides=["SoftmaxBars.logits=[1, 2, 3]"])
>>> cfg.chapter("softmaxbars").logits
(1.0, 2.0, 3.0)
>>> load_config(overrides=["Temperature.low_temperature=-1"])
Traceback (most recent call last):
...
softmax_video.core.params.ConfigError: Temperature.low_temperature = -1.0: must be >= 0
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import itertools
import json
import math
import os
import re
import tomllib
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from softmax_video.core.errors import SoftmaxVideoError
from softmax_video.core.palette import (
    CLASS_COLOR_SETS,
    DEFAULT_CLASS_COLORS,
    PALETTE_NAMES,
    THEME_NAMES,
)
from softmax_video.core.text import MAX_NAME_LENGTH, drawable_problem

__all__ = [
    "CHAPTER_PARAMS",
    "CONFIG_ENV_VAR",
    "ChapterParams",
    "ConfigError",
    "LectureConfig",
    "LectureParams",
    "RenderParams",
    "VoiceParams",
    "beat_slug",
    "config_from_file",
    "dump_toml",
    "load_config",
    "read_toml",
]

#: Environment variable naming a TOML file that scenes rendered with the plain
#: ``manim`` CLI (or by ``softmax-video``) read their parameters from.
CONFIG_ENV_VAR = "SOFTMAX_VIDEO_CONFIG"

MAX_CLASSES = len(DEFAULT_CLASS_COLORS)
QUALITIES: tuple[str, ...] = ("preview", "medium", "high", "4k")
ASPECTS: tuple[str, ...] = ("16:9", "9:16", "1:1")
FORMATS: tuple[str, ...] = ("mp4", "webm", "gif", "mov", "png")
DEFAULT_CLASS_NAMES: tuple[str, ...] = ("cat", "dog", "bird", "fish", "frog")
_HEX_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")

#: Largest magnitude of a logit or of a value added to one. Every number a chapter
#: writes from them (z, z + c, the varied logit) then fits its 12-character readout.
MAX_LOGIT = 1e6
#: How far below the largest logit an exponential e^(z - max) can still be drawn to
#: scale: e^-700 is about 1e-304, near the smallest normal float64 (e^-708).
EXP_DEPTH = 700.0
#: Largest temperature: the readout "T = ..." holds 12 characters (1e12 needs 13).
MAX_TEMPERATURE = 1e9
#: Narrowest Gaussian the Gaussian chapters draw (their densities peak at 1/sigma).
MIN_SIGMA = 0.05
#: Lowest height a loss surface is clipped at: the loss is log 2 = 0.69 on the decision
#: boundary, so a lower cap leaves a flat sheet (and a cap near 0 one too thin to shade).
MIN_LOSS_CAP = 1.0


class ConfigError(SoftmaxVideoError, ValueError):
    """A configuration value is wrong. ``str(error)`` is one line naming the key.

    It exits with status 2 (:class:`softmax_video.core.errors.SoftmaxVideoError`);
    it is also a :class:`ValueError`, as a bad value is.

    Parameters
    ----------
    key
        Where the value sits, e.g. ``lecture.class_names[2]`` or ``--config``.
    message
        What is wrong and what is allowed.
    value
        The offending value, shown after the key (left out when not given).

    Examples
    --------
    >>> str(ConfigError("lecture.class_names[1]", "must not be empty", ""))
    'lecture.class_names[1] = "": must not be empty'
    >>> str(ConfigError("SoftmaxBars.logits", "expected a list", {"a": 1}))
    'SoftmaxBars.logits = {a = 1}: expected a list'
    """

    def __init__(self, key: str, message: str, value: Any = dataclasses.MISSING) -> None:
        self.key = key
        self.message = message
        self.value = value
        shown = "" if value is dataclasses.MISSING else f" = {_show(value)}"
        super().__init__(_one_line(f"{key}{shown}: {message}"))

    def with_hint(self, hint: str) -> ConfigError:
        """The same error with ``hint`` appended to its message."""
        return ConfigError(self.key, f"{self.message}; {hint}", self.value)


#: Longest value shown in an error line; a file of megabytes must not become one.
_MAX_SHOWN = 200


def _show(value: Any) -> str:
    """``value`` as written in TOML, short enough for one line."""
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, (list, tuple)):
        text = "[" + ", ".join(_show(v) for v in value) + "]"
    elif isinstance(value, Mapping):
        text = "{" + ", ".join(f"{k} = {_show(v)}" for k, v in value.items()) + "}"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = str(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "..."


def _one_line(text: str) -> str:
    """``text`` with line breaks and other unprintable characters written as escapes."""
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text
    )


def param(
    default: Any,
    help: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    positive: bool = False,
    choices: tuple[Any, ...] | None = None,
    length: tuple[int, int] | None = None,
    allow_neg_inf: bool = False,
    frames: bool = True,
) -> Any:
    """A schema field: default, help text and the constraints the loader checks.

    Parameters
    ----------
    default
        The default value (tuples for lists).
    help
        One line shown in ``softmax-video config`` and in error messages.
    minimum, maximum
        Inclusive bounds for numbers (each element of a list of numbers).
    positive
        The number must be > 0.
    choices
        The allowed values (strings or numbers).
    length
        ``(min, max)`` allowed number of list elements.
    allow_neg_inf
        ``-inf`` is allowed (a logit of minus infinity means probability 0).
    frames
        The value changes rendered frames (``False``: it only picks among them, so a
        change does not force a re-render).
    """
    meta = dict(
        help=help,
        minimum=minimum,
        maximum=maximum,
        positive=positive,
        choices=choices,
        length=length,
        allow_neg_inf=allow_neg_inf,
        frames=frames,
    )
    return field(default=default, metadata=meta)


# --------------------------------------------------------------------------- #
# Schema
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class LectureParams:
    """Settings shared by every chapter."""

    SECTION: ClassVar[str] = "lecture"

    theme: str = param("dark", "colour theme", choices=THEME_NAMES)
    palette: str = param(
        "standard",
        "colour palette: standard, or colorblind (Okabe-Ito class colours, safe with every "
        "common colour-vision deficiency); class_colors still override it",
        choices=PALETTE_NAMES,
    )
    pace: float = param(
        1.0, "multiplies every animation and pause; 1.5 = 50% slower", minimum=0.1, maximum=10
    )
    class_names: tuple[str, ...] = param(
        DEFAULT_CLASS_NAMES,
        f"display name of each class, class 1 first; 1 to {MAX_CLASSES} names (the rest are "
        f"filled from the defaults), each 1 to {MAX_NAME_LENGTH} characters of printable ASCII "
        "or Latin letters",
        length=(1, MAX_CLASSES),
    )
    class_colors: tuple[str, ...] = param(
        DEFAULT_CLASS_COLORS,
        f"hex colour of each class (#RRGGBB), class 1 first; 1 to {MAX_CLASSES} colours (the "
        "rest are filled from the defaults); the same in every chapter",
        length=(1, MAX_CLASSES),
    )
    subtitles: bool = param(True, "write narration subtitles (.srt) next to each video")

    def __post_init__(self) -> None:
        # Scenes index any class up to MAX_CLASSES, so both lists always hold that many.
        names = _fill_from_defaults(self.class_names, DEFAULT_CLASS_NAMES, str.casefold)
        palette = CLASS_COLOR_SETS.get(self.palette, DEFAULT_CLASS_COLORS)
        given = () if self.class_colors == DEFAULT_CLASS_COLORS else self.class_colors
        colors = _fill_from_defaults(given, palette, str.upper)
        object.__setattr__(self, "class_names", names)
        object.__setattr__(self, "class_colors", colors)

    def check(self) -> None:
        for i, color in enumerate(self.class_colors):
            if not _HEX_COLOR.match(color):
                raise ConfigError(
                    f"lecture.class_colors[{i}]", "expected a hex colour like #4C9BE8", color
                )
        for i, name in enumerate(self.class_names):
            problem = drawable_problem(name)
            if problem is not None:
                raise ConfigError(f"lecture.class_names[{i}]", problem, name)


def _fill_from_defaults(
    given: tuple[str, ...], defaults: tuple[str, ...], same: Callable[[str], str]
) -> tuple[str, ...]:
    """``given``, then the defaults of the remaining positions, up to ``len(defaults)``.

    A default already in use (compared by ``same``) gives way to the first unused one,
    so that no two classes look alike.

    Examples
    --------
    >>> _fill_from_defaults(("spam", "ham"), DEFAULT_CLASS_NAMES, str.casefold)
    ('spam', 'ham', 'bird', 'fish', 'frog')
    >>> _fill_from_defaults(("Fish", "frog"), DEFAULT_CLASS_NAMES, str.casefold)
    ('Fish', 'frog', 'bird', 'cat', 'dog')
    """
    filled = list(given)
    for position in range(len(given), len(defaults)):
        used = {same(item) for item in filled}
        unused = [item for item in defaults if same(item) not in used]
        default = defaults[position]
        filled.append(default if same(default) not in used else unused[0])
    return tuple(filled)


@dataclass(frozen=True)
class RenderParams:
    """Defaults for ``softmax-video render``; command-line options override them."""

    SECTION: ClassVar[str] = "render"

    quality: str = param(
        "preview", "preview=480p15, medium=720p30, high=1080p60, 4k=2160p60", choices=QUALITIES
    )
    aspect: str = param("16:9", "frame shape", choices=ASPECTS)
    fps: int = param(0, "frames per second; 0 keeps the quality's rate", minimum=0, maximum=120)
    format: str = param("mp4", "output format (png = still of the last frame)", choices=FORMATS)


#: Speech engines of ``voice.engine`` (``none``: silent; ``auto``: Piper if installed,
#: else espeak-ng; ``$SOFTMAX_VIDEO_VOICE`` may name what ``auto`` means).
VOICE_ENGINES = ("auto", "piper", "espeak-ng", "none")
#: Voices each engine offers by name without probing it (espeak-ng lists its own).
PIPER_VOICE_NAMES = ("joe",)
_VOICE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_+/-]{0,39}$")
#: Longest narration sentence a beat may carry.
MAX_NARRATION_LENGTH = 600


@dataclass(frozen=True)
class VoiceParams:
    """The narration voice: each beat's sentence is spoken and the beat lasts as long as it."""

    SECTION: ClassVar[str] = "voice"

    engine: str = param(
        "auto",
        "speech engine: auto (Piper if installed, else espeak-ng), piper, espeak-ng, or none "
        "(silent video, captions timed as before)",
        choices=VOICE_ENGINES,
    )
    voice: str = param(
        "", "voice name; empty = the engine's default (piper: joe, espeak-ng: en-us)"
    )
    speed: float = param(
        # Piper's joe speaks 175-195 words a minute at 1; 0.82 gives a lecture's 155-160.
        0.82,
        "speaking rate, times the voice's normal rate",
        minimum=0.5,
        maximum=2.0,
    )
    breath: float = param(
        0.6, "seconds of silence after each beat's sentence", minimum=0.0, maximum=5.0
    )

    def check(self) -> None:
        if not self.voice:
            return
        if not _VOICE_NAME.match(self.voice):
            raise ConfigError(
                "voice.voice",
                "expected a voice name of letters, digits and _+/- (at most 40)",
                self.voice,
            )
        if self.engine == "piper" and self.voice not in PIPER_VOICE_NAMES:
            allowed = ", ".join(PIPER_VOICE_NAMES)
            raise ConfigError("voice.voice", f"no such Piper voice; allowed: {allowed}", self.voice)


@dataclass(frozen=True)
class ChapterParams:
    """Fields every chapter has. Subclasses add the chapter's own.

    A subclass is named after its chapter's scene class: ``SoftmaxBarsParams`` holds the
    parameters of ``SoftmaxBars``, whose table in a configuration file is ``[SoftmaxBars]``.
    """

    #: The chapter's name and configuration table (from the class name).
    SECTION: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.SECTION = cls.__name__.removesuffix("Params")

    pace: float = param(1.0, "this chapter's pace, on top of lecture.pace", minimum=0.1, maximum=10)
    poster_beat: str = param(
        "", "beat whose last frame is the thumbnail; empty = the last beat", frames=False
    )

    #: The chapter's story beats in order, as its scene names them (``self.beat(name, ...)``);
    #: :meth:`beat_names` adds those whose names come from the configuration.
    BEATS: ClassVar[tuple[str, ...]] = ()

    def check(self, lecture: LectureParams) -> None:
        """Cross-field checks; raise :class:`ConfigError`."""

    def beat_names(self, lecture: LectureParams) -> tuple[str, ...]:
        """Names of the beats this chapter renders with these parameters, in order."""
        return self.BEATS

    def check_poster_beat(self, lecture: LectureParams) -> None:
        """``poster_beat`` must name one of the chapter's beats (known before rendering)."""
        names = self.beat_names(lecture)
        if self.poster_beat and self.poster_beat not in names:
            raise ConfigError(
                self.key("poster_beat"),
                f"no such beat; allowed: {', '.join(names)} (empty: the last frame)",
                self.poster_beat,
            )

    def key(self, name: str) -> str:
        return f"{self.SECTION}.{name}"

    def check_class_number(self, name: str, num_classes: int) -> None:
        value = getattr(self, name)
        if not 1 <= value <= num_classes:
            raise ConfigError(
                self.key(name), f"must be a class number from 1 to {num_classes}", value
            )

    def check_range(self, name: str) -> None:
        low, high = getattr(self, name)
        if not low < high:
            raise ConfigError(self.key(name), "expected [low, high] with low < high", [low, high])


def beat_slug(text: str) -> str:
    """A class name as part of a beat name: lower case, ``-`` for anything not alphanumeric.

    Examples
    --------
    >>> beat_slug("Spam mail!")
    'spam-mail'
    >>> beat_slug("&%")
    'class'
    """
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-") or "class"


def _logits_param(default: tuple[float, ...], help: str) -> Any:
    return param(
        default,
        help,
        length=(2, MAX_CLASSES),
        allow_neg_inf=True,
        minimum=-MAX_LOGIT,
        maximum=MAX_LOGIT,
    )


def _check_logits(params: ChapterParams) -> None:
    """At least one logit must be finite: all ``-inf`` has no distribution."""
    if all(math.isinf(v) for v in params.logits):  # type: ignore[attr-defined]
        raise ConfigError(
            params.key("logits"),
            "at least one logit must be finite",
            list(params.logits),  # type: ignore[attr-defined]
        )


@dataclass(frozen=True)
class SigmoidRecapParams(ChapterParams):
    BEATS: ClassVar[tuple[str, ...]] = (
        "curve",
        "squash",
        "probability",
        "derivative",
        "takeaway",
    )

    z_extent: float = param(
        6.0, "the plot shows the logit z from -z_extent to z_extent", minimum=2, maximum=20
    )
    sweep: tuple[float, float] = param(
        (-5.0, 5.0),
        "the moving dot starts at z = 0 and travels to sweep[1], then to sweep[0]",
        length=(2, 2),
    )

    def check(self, lecture: LectureParams) -> None:
        self.check_range("sweep")


@dataclass(frozen=True)
class SoftmaxBarsParams(ChapterParams):
    BEATS: ClassVar[tuple[str, ...]] = (
        "logits",
        "exponentiate",
        "normalise",
        "raise",
        "lower",
        "takeaway",
    )

    logits: tuple[float, ...] = _logits_param(
        (1.0, 2.5, -0.5, 0.5), "the logits, one per class (2 to 5 classes)"
    )
    varied_class: int = param(1, "the class whose logit is raised and lowered", minimum=1)
    vary_range: tuple[float, float] = param(
        (-2.0, 3.0),
        f"the varied logit sweeps through this range (at most {EXP_DEPTH:g} above the "
        "largest logit)",
        length=(2, 2),
        minimum=-MAX_LOGIT,
        maximum=MAX_LOGIT,
    )

    def check(self, lecture: LectureParams) -> None:
        _check_logits(self)
        self.check_class_number("varied_class", len(self.logits))
        self.check_range("vary_range")
        # The exponential panel draws e^(z - m), m the largest logit of the whole sweep:
        # the starting logits must not vanish below float64's range on that scale.
        largest = max(v for v in self.logits if math.isfinite(v))
        if self.vary_range[1] - largest > EXP_DEPTH:
            raise ConfigError(
                f"{self.key('vary_range')}[1]",
                f"must be at most {EXP_DEPTH:g} above the largest logit ({largest:g}), "
                f"so at most {largest + EXP_DEPTH:g}: on the scale e^(z - {self.vary_range[1]:g}) "
                "the starting logits would be 0 and the exponential panel could not be drawn",
                self.vary_range[1],
            )


@dataclass(frozen=True)
class ShiftInvarianceParams(ChapterParams):
    BEATS: ClassVar[tuple[str, ...]] = ("setup", "shift", "algebra", "numeric", "takeaway")

    logits: tuple[float, ...] = _logits_param((2.0, 3.0, 5.0), "the logits of the example")
    shift_example: float = param(
        1000.0,
        "the large constant added in the numeric example",
        minimum=-MAX_LOGIT,
        maximum=MAX_LOGIT,
    )
    shift_range: tuple[float, float] = param(
        (-1.0, 1.0),
        "the animated constant c sweeps through this range",
        length=(2, 2),
        minimum=-MAX_LOGIT,
        maximum=MAX_LOGIT,
    )

    def check(self, lecture: LectureParams) -> None:
        _check_logits(self)
        self.check_range("shift_range")


@dataclass(frozen=True)
class TemperatureParams(ChapterParams):
    BEATS: ClassVar[tuple[str, ...]] = (
        "formula",
        "cool",
        "heat",
        "samples",
        "not-variance",
        "takeaway",
    )

    logits: tuple[float, ...] = _logits_param((1.0, 2.5, -0.5, 0.5), "the logits, one per class")
    temperature_range: tuple[float, float] = param(
        (0.1, 10.0),
        "the temperature sweeps (log scale) through this range",
        minimum=0,
        maximum=MAX_TEMPERATURE,
        length=(2, 2),
    )
    low_temperature: float = param(
        0.3, "the low temperature for the sample row", minimum=0, maximum=MAX_TEMPERATURE
    )
    high_temperature: float = param(
        3.0, "the high temperature for the sample row", minimum=0, maximum=MAX_TEMPERATURE
    )
    samples: int = param(
        20, "how many samples are drawn at each temperature", minimum=1, maximum=40
    )
    seed: int = param(0, "seed of the sample draws", minimum=0)

    def check(self, lecture: LectureParams) -> None:
        _check_logits(self)
        self.check_range("temperature_range")
        if self.temperature_range[0] <= 0:
            raise ConfigError(
                self.key("temperature_range"),
                "the sweep is on a log scale, so its low end must be > 0",
                list(self.temperature_range),
            )
        if not self.low_temperature < self.high_temperature:
            raise ConfigError(
                self.key("low_temperature"),
                f"must be below high_temperature ({self.high_temperature})",
                self.low_temperature,
            )


@dataclass(frozen=True)
class SigmoidToSoftmaxParams(ChapterParams):
    BEATS: ClassVar[tuple[str, ...]] = (
        "two-classes",
        "divide",
        "combine",
        "sigmoid",
        "plot",
        "check",
        "takeaway",
    )

    fixed_logit: float = param(
        1.0, "the value of z_2 held fixed in the final plot", minimum=-10, maximum=10
    )
    z1_extent: float = param(
        6.0, "the plot shows z_1 within fixed_logit +- z1_extent", minimum=2, maximum=20
    )


@dataclass(frozen=True)
class TwoClassSurfacesParams(ChapterParams):
    BEATS: ClassVar[tuple[str, ...]] = (
        "two-surfaces",
        "diagonal",
        "sigmoid-cut",
        "ramp",
        "takeaway",
    )

    extent: float = param(
        4.0, "the surfaces cover [-extent, extent]^2 of (z_1, z_2)", minimum=1, maximum=10
    )
    resolution: int = param(
        40,
        "faces of each surface across the (1, 1) diagonal (it is flat along it)",
        minimum=4,
        maximum=96,
    )
    slide_point: tuple[float, float] = param(
        (1.5, 0.5),
        "(z_1, z_2) of the point whose two heights are stacked, and that then slides along the "
        "(1, 1) diagonal",
        length=(2, 2),
    )
    slide_range: tuple[float, float] = param(
        (-2.0, 2.0), "the dot moves by t * (1, 1) for t in this range", length=(2, 2)
    )

    def check(self, lecture: LectureParams) -> None:
        self.check_range("slide_range")
        for t in self.slide_range:
            for coordinate in self.slide_point:
                if abs(coordinate + t) > self.extent:
                    raise ConfigError(
                        self.key("slide_range"),
                        "the sliding dot leaves the square [-extent, extent]^2",
                        list(self.slide_range),
                    )


@dataclass(frozen=True)
class TwoClassDerivativesParams(ChapterParams):
    BEATS: ClassVar[tuple[str, ...]] = (
        "slope-z1",
        "slope-z2",
        "loss",
        "loss-profile",
        "chain-rule",
        "gradient",
        "descent",
        "takeaway",
    )

    extent: float = param(
        4.0, "the plane covers [-extent, extent]^2 of (z_1, z_2)", minimum=1, maximum=10
    )
    target_class: int = param(
        1, "the class whose loss gradient -log p is worked out and drawn (1 or 2)", choices=(1, 2)
    )
    arrows_per_side: int = param(9, "gradient arrows per side of the grid", minimum=3, maximum=25)
    resolution: int = param(
        40,
        "faces of each surface across the (1, 1) diagonal (it is flat along it)",
        minimum=4,
        maximum=96,
    )
    loss_cap: float = param(
        6.0,
        "the loss surface is drawn up to this height; higher parts are clipped flat",
        minimum=MIN_LOSS_CAP,
        maximum=50,
    )


@dataclass(frozen=True)
class ThreeClassSurfacesParams(ChapterParams):
    BEATS: ClassVar[tuple[str, ...]] = (
        "logit-space",
        "sum-zero-plane",
        "flatten",
        "regions",
        "surfaces",
        "centre",
        "takeaway",
    )

    extent: float = param(
        4.0,
        "the surfaces cover a regular hexagon of this radius (plane coordinates)",
        minimum=1,
        maximum=10,
    )
    resolution: int = param(
        24,
        "faces along each radius of a surface (about twice as many around it)",
        minimum=4,
        maximum=96,
    )
    example_logits: tuple[float, ...] = param(
        (1.2, 0.4, -0.6), "the logit vector shown in 3D logit space (3 values)", length=(3, 3)
    )
    slide_range: tuple[float, float] = param(
        (-1.0, 1.0), "the example slides by t * (1, 1, 1) for t in this range", length=(2, 2)
    )

    def check(self, lecture: LectureParams) -> None:
        self.check_range("slide_range")
        for t in self.slide_range:
            for value in self.example_logits:
                if abs(value + t) > 2.5:
                    raise ConfigError(
                        self.key("slide_range"),
                        "the sliding example leaves the drawn logit space [-2.5, 2.5]^3",
                        list(self.slide_range),
                    )


@dataclass(frozen=True)
class ThreeClassGradientsParams(ChapterParams):
    BEATS: ClassVar[tuple[str, ...]] = ("field", "two-pulls", "descent")

    extent: float = param(
        3.5, "the plane covers [-extent, extent]^2 in plane coordinates", minimum=1, maximum=10
    )
    target_classes: tuple[int, ...] = param(
        (1, 2),
        "target classes shown one after the other (1 to 3)",
        minimum=1,
        maximum=3,
        length=(1, 3),
    )
    arrows_per_side: int = param(15, "arrows per side of the field grid", minimum=3, maximum=41)
    start_point: tuple[float, float] = param(
        (1.75, -1.0),
        "where the followed logit point starts, in plane coordinates (best in a region that"
        " is none of the targets', so that every path visibly bends)",
        length=(2, 2),
    )
    descent_steps: int = param(14, "gradient steps the point takes", minimum=1, maximum=200)
    step_size: float = param(0.8, "learning rate of those steps", positive=True, maximum=10)
    loss_cap: float = param(
        50.0,
        "the loss surface shown first is drawn up to this height (default: all of it);"
        " higher parts are left out",
        minimum=MIN_LOSS_CAP,
        maximum=50,
    )
    resolution: int = param(
        20,
        "faces along each radius of the loss surface (about twice as many around it)",
        minimum=4,
        maximum=96,
    )

    def beat_names(self, lecture: LectureParams) -> tuple[str, ...]:
        """The fixed beats, then one ``switch-to-<class>`` per change of target class."""
        switches = []
        for previous, target in itertools.pairwise(self.target_classes):
            if target != previous:
                switches.append(f"switch-to-{beat_slug(lecture.class_names[target - 1])}")
        return (*self.BEATS, *switches, "takeaway")

    def check(self, lecture: LectureParams) -> None:
        for i, value in enumerate(self.start_point):
            if abs(value) > self.extent:
                raise ConfigError(
                    f"{self.key('start_point')}[{i}]",
                    "must lie inside the plotted square [-extent, extent]",
                    value,
                )


@dataclass(frozen=True)
class LogitPathsParams(ChapterParams):
    BEATS: ClassVar[tuple[str, ...]] = ("inputs", "logit-space", "why-last-layer")

    optimizers: tuple[str, ...] = param(
        ("sgd", "adam"),
        "optimisers shown one after the other",
        choices=("sgd", "adam"),
        length=(1, 2),
    )
    steps: int = param(1000, "training steps", minimum=1, maximum=20000)
    # Measured over hidden 2 to 256, 2 to 200 points per class and up to 20000 steps:
    # SGD up to 1 keeps every logit within 32 (2 gave NaN, 5 logits of 2e8); Adam up
    # to 0.1 within about 1000 (10 gave 1.5e6, axes too long to draw).
    sgd_learning_rate: float = param(
        0.1, "SGD learning rate (larger ones make the training diverge)", positive=True, maximum=1
    )
    adam_learning_rate: float = param(
        0.001,
        "Adam learning rate (larger ones send the logits off any drawable axes)",
        positive=True,
        maximum=0.1,
    )
    hidden: int = param(32, "hidden width of the 3-H-H-3 network", minimum=2, maximum=256)
    points_per_class: int = param(20, "training points per class", minimum=2, maximum=200)
    seed: int = param(0, "seed of the data and the initial weights", minimum=0)
    frames: int = param(
        120, "training snapshots animated (subsampled from the steps)", minimum=2, maximum=1000
    )

    def beat_names(self, lecture: LectureParams) -> tuple[str, ...]:
        """The fixed beats, then training (Adam: and a side view) and plane view of each
        optimiser, then the takeaway."""
        runs = []
        for name in self.optimizers:
            parts = ("training", "side-view", "plane-view") if name == "adam" else None
            runs += [f"{name}-{part}" for part in parts or ("training", "plane-view")]
        return (*self.BEATS, *runs, "takeaway")


@dataclass(frozen=True)
class GaussiansTwoClassParams(ChapterParams):
    BEATS: ClassVar[tuple[str, ...]] = (
        "two-bells",
        "posterior-is-sigmoid",
        "sigma",
        "means",
        "prior",
        "softmax-of-logits",
        "takeaway",
    )

    means: tuple[float, float] = param(
        (1.5, -1.5), "means of class 1 and class 2, inside [-x_extent, x_extent]", length=(2, 2)
    )
    sigma: float = param(1.0, "shared standard deviation", minimum=MIN_SIGMA, maximum=10)
    sigma_range: tuple[float, float] = param(
        (0.6, 2.0),
        "sigma is animated through this range",
        minimum=MIN_SIGMA,
        maximum=10,
        length=(2, 2),
    )
    prior_class1: float = param(
        0.75, "the prior of class 1 shown after the equal-prior case", minimum=0.01, maximum=0.99
    )
    x_extent: float = param(
        5.0, "the plots show x from -x_extent to x_extent", minimum=1, maximum=20
    )

    def check(self, lecture: LectureParams) -> None:
        self.check_range("sigma_range")
        if self.means[0] == self.means[1]:
            raise ConfigError(self.key("means"), "the two means must differ", list(self.means))
        # A mean off the plot draws no bell, and its slope and bias readouts overflow.
        for i, mean in enumerate(self.means):
            if abs(mean) > self.x_extent:
                raise ConfigError(
                    f"{self.key('means')}[{i}]",
                    f"must lie inside the plot, within x_extent ({self.x_extent:g})",
                    mean,
                )


@dataclass(frozen=True)
class GaussiansThreeClassParams(ChapterParams):
    BEATS: ClassVar[tuple[str, ...]] = (
        "three-bumps",
        "normalise",
        "softmax-match",
        "sigma",
        "regions",
        "takeaway",
    )

    spread: float = param(
        2.0, "distance of each class mean from the centre", positive=True, maximum=10
    )
    sigma: float = param(1.0, "shared standard deviation", minimum=MIN_SIGMA, maximum=10)
    sigma_range: tuple[float, float] = param(
        (0.6, 1.6),
        "sigma is animated up to the second value, then down to the first",
        minimum=MIN_SIGMA,
        maximum=10,
        length=(2, 2),
    )
    extent: float = param(
        3.5, "the surfaces cover a regular hexagon of this radius", minimum=1, maximum=10
    )
    resolution: int = param(
        24, "faces of each surface along each ray from the centre", minimum=4, maximum=96
    )

    def check(self, lecture: LectureParams) -> None:
        self.check_range("sigma_range")


@dataclass(frozen=True)
class InputSpaceShapesParams(ChapterParams):
    BEATS: ClassVar[tuple[str, ...]] = (
        "tetrahedron",
        "regions",
        "iso-surfaces",
        "five-classes",
        "n-dimensions",
    )

    levels: tuple[float, ...] = param(
        (0.5, 0.9),
        "iso-probability levels drawn for 4 classes (each in (1/4, 1), and at most the "
        "highest probability reached inside the ball: 0.9907 at extent 5)",
        minimum=0.26,
        maximum=0.999,
        length=(1, 3),
    )
    resolution: int = param(
        18,
        "faces of each iso-surface: resolution from pole to pole, twice that around",
        minimum=6,
        maximum=64,
    )
    slice_range: tuple[float, float] = param(
        (1.2, 3.0), "the fourth coordinate sweeps through this range (5 classes)", length=(2, 2)
    )
    slice_level: float = param(
        0.7, "iso-probability level drawn in the 5-class slices", minimum=0.21, maximum=0.999
    )
    extent: float = param(
        5.0, "the 3D pictures show plane coordinates within this radius", minimum=2, maximum=20
    )

    def highest_level(self) -> float:
        """The highest probability a class reaches inside the drawn ball of radius ``extent``.

        Along class k's vertex direction at plane distance r, ``z_k - z_j = r sqrt(4/3)``
        for the other three classes, so ``p_k = 1 / (1 + 3 e^(-r sqrt(4/3)))``; a body
        ``p_k >= level`` above that lies wholly outside the ball.

        >>> round(InputSpaceShapesParams().highest_level(), 4)
        0.9908
        """
        return 1.0 / (1.0 + 3.0 * math.exp(-self.extent * math.sqrt(4.0 / 3.0)))

    def check(self, lecture: LectureParams) -> None:
        self.check_range("slice_range")
        highest = self.highest_level()
        for i, level in enumerate(self.levels):
            if level > highest:
                raise ConfigError(
                    f"{self.key('levels')}[{i}]",
                    f"must be at most {math.floor(highest * 10000) / 10000:g} with extent "
                    f"{self.extent:g}: no class reaches a higher probability inside the drawn "
                    "ball, so the surface would lie outside the picture; raise extent or "
                    "lower the level",
                    level,
                )


#: Parameter type of each chapter, keyed by scene class name: every ``ChapterParams``
#: subclass, named ``<Chapter>Params``. The lecture's order lives in
#: :mod:`softmax_video.core.chapters`, not here.
CHAPTER_PARAMS: dict[str, type[ChapterParams]] = {
    cls.SECTION: cls for cls in ChapterParams.__subclasses__()
}


def normalize_name(name: str) -> str:
    """Compare names ignoring case, ``_`` and ``-`` (``softmax_bars`` == ``SoftmaxBars``)."""
    return re.sub(r"[_\-\s]", "", name).lower()


_CHAPTER_BY_NORMALIZED = {normalize_name(name): name for name in CHAPTER_PARAMS}


def resolve_chapter_name(name: str, key: str = "chapter") -> str:
    """The canonical chapter name for ``name``, or a :class:`ConfigError` with a suggestion."""
    try:
        return _CHAPTER_BY_NORMALIZED[normalize_name(name)]
    except KeyError:
        raise ConfigError(
            key, f"unknown chapter {name!r}{_did_you_mean(name, list(CHAPTER_PARAMS))}"
        ) from None


@dataclass(frozen=True)
class LectureConfig:
    """The complete, validated configuration of one render."""

    lecture: LectureParams = field(default_factory=LectureParams)
    render: RenderParams = field(default_factory=RenderParams)
    voice: VoiceParams = field(default_factory=VoiceParams)
    chapters: Mapping[str, ChapterParams] = field(
        default_factory=lambda: {name: cls() for name, cls in CHAPTER_PARAMS.items()}
    )
    #: Narration sentences that replace the chapters' own: chapter -> beat -> sentence.
    narration: Mapping[str, Mapping[str, str]] = field(
        default_factory=lambda: types.MappingProxyType({})
    )

    def chapter(self, name: str) -> ChapterParams:
        """Parameters of chapter ``name`` (any capitalisation)."""
        return self.chapters[resolve_chapter_name(name)]

    def pace(self, name: str) -> float:
        """The effective pace of chapter ``name``."""
        return self.lecture.pace * self.chapter(name).pace

    def narration_for(self, name: str) -> Mapping[str, str]:
        """The sentences the configuration gives chapter ``name``'s beats (beat -> sentence)."""
        return self.narration.get(resolve_chapter_name(name), types.MappingProxyType({}))

    def as_dict(self) -> dict[str, dict[str, Any]]:
        """Plain nested dict (tables -> keys -> values), TOML-ready."""
        tables: dict[str, dict[str, Any]] = {
            "lecture": _as_table(self.lecture),
            "render": _as_table(self.render),
            "voice": _as_table(self.voice),
        }
        for name, params in self.chapters.items():
            tables[name] = _as_table(params)
        tables["narration"] = {name: dict(beats) for name, beats in self.narration.items()}
        return tables


def _as_table(params: Any) -> dict[str, Any]:
    return {
        f.name: list(v) if isinstance(v := getattr(params, f.name), tuple) else v
        for f in dataclasses.fields(params)
    }


# --------------------------------------------------------------------------- #
# Loading and validation
# --------------------------------------------------------------------------- #


def _did_you_mean(word: str, options: Iterable[str]) -> str:
    options = list(options)
    by_norm = {normalize_name(o): o for o in options}
    close = difflib.get_close_matches(normalize_name(word), list(by_norm), n=1, cutoff=0.6)
    hint = f"; did you mean {by_norm[close[0]]!r}?" if close else ""
    return f"{hint} allowed: {', '.join(options)}" if close else f"; allowed: {', '.join(options)}"


def _coerce_number(key: str, value: Any, kind: type, meta: Mapping[str, Any]) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(key, f"expected {'an integer' if kind is int else 'a number'}", value)
    if kind is int:
        if isinstance(value, float):
            if not value.is_integer():
                raise ConfigError(key, "expected an integer", value)
            value = int(value)
    else:
        try:
            value = float(value)
        except OverflowError:  # an integer beyond any float
            raise ConfigError(key, "expected a finite number", value) from None
        if math.isnan(value):
            raise ConfigError(key, "expected a number, got NaN", value)
        if math.isinf(value):
            if not (meta["allow_neg_inf"] and value < 0):
                allowed = "a finite number or -inf" if meta["allow_neg_inf"] else "a finite number"
                raise ConfigError(key, f"expected {allowed}", value)
            return value
    if meta["positive"] and not value > 0:
        raise ConfigError(key, "must be > 0", value)
    if meta["minimum"] is not None and value < meta["minimum"]:
        raise ConfigError(key, f"must be >= {_bound(meta['minimum'])}", value)
    if meta["maximum"] is not None and value > meta["maximum"]:
        raise ConfigError(key, f"must be <= {_bound(meta['maximum'])}", value)
    return value


def _bound(limit: float) -> str:
    """A schema bound as a person writes it: ``1000000``, ``0.05``."""
    return str(int(limit)) if float(limit).is_integer() and abs(limit) < 1e16 else repr(limit)


def _coerce(key: str, value: Any, annotation: Any, meta: Mapping[str, Any]) -> Any:
    """Check ``value`` against a field's type and constraints; return the stored form."""
    origin = typing.get_origin(annotation)
    if origin is tuple:
        element_type = typing.get_args(annotation)[0]
        if not isinstance(value, (list, tuple)):
            raise ConfigError(key, "expected a list", value)
        low, high = meta["length"] or (0, 10**9)
        if not low <= len(value) <= high:
            count = str(low) if low == high else f"{low} to {high}"
            raise ConfigError(key, f"expected a list of {count} items, got {len(value)}", value)
        return tuple(
            _coerce_scalar(f"{key}[{i}]", item, element_type, meta) for i, item in enumerate(value)
        )
    return _coerce_scalar(key, value, annotation, meta)


def _coerce_scalar(key: str, value: Any, kind: Any, meta: Mapping[str, Any]) -> Any:
    if kind is bool:
        if not isinstance(value, bool):
            raise ConfigError(key, "expected true or false", value)
    elif kind in (int, float):
        value = _coerce_number(key, value, kind, meta)
    elif kind is str:
        if not isinstance(value, str):
            raise ConfigError(key, "expected a string", value)
    else:  # pragma: no cover - schema authoring error
        raise TypeError(f"unsupported schema type {kind!r} for {key}")
    if meta["choices"] is not None and value not in meta["choices"]:
        allowed = ", ".join(str(c) for c in meta["choices"])
        raise ConfigError(key, f"allowed: {allowed}", value)
    return value


def _build(cls: type, section: str, table: Any) -> Any:
    if not isinstance(table, Mapping):
        raise ConfigError(section, "expected a table of settings", table)
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    values = {}
    for name, value in table.items():
        key = f"{section}.{name}"
        if name not in fields:
            raise ConfigError(key, f"unknown key{_did_you_mean(name, list(fields))}")
        values[name] = _coerce(key, value, hints[name], fields[name].metadata)
    return cls(**values)


def _merge(base: dict[str, Any], update: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in update.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


#: Characters that start a TOML value which is not a bare word: such text must parse.
_TOML_OPENERS = ('"', "'", "[", "{")


def _parse_override(text: str) -> tuple[str, str, Any, bool]:
    """Split ``TABLE.KEY=VALUE`` and read the value as TOML.

    A bare word that is not TOML (``light``) is taken as that string, and so is any
    unquoted text for a key that holds one string, so string keys need no quotes; the
    last item says whether that happened. Text that opens a
    string, list or table but is not TOML is an error saying how to quote it.

    Examples
    --------
    >>> _parse_override("SoftmaxBars.logits=[1, 2]")
    ('SoftmaxBars', 'logits', [1, 2], False)
    >>> _parse_override("lecture.theme=light")
    ('lecture', 'theme', 'light', True)
    >>> _parse_override("SoftmaxBars.poster_beat=1")
    ('SoftmaxBars', 'poster_beat', '1', True)
    >>> _parse_override("lecture.class_names=[cat, dog]")
    Traceback (most recent call last):
    ...
    softmax_video.core.params.ConfigError: --set lecture.class_names = "[cat, dog]": ...; \
write strings in double quotes and the whole setting in single quotes, e.g. ...
    """
    target, sep, raw = text.partition("=")
    table, dot, name = target.strip().rpartition(".")
    if not sep or not dot or not table or not name:
        raise ConfigError(
            "--set", "expected TABLE.KEY=VALUE, e.g. SoftmaxBars.logits=[1,2,3]", text
        )
    table, name, raw = table.strip(), name.strip(), raw.strip()
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError as error:
        if raw.startswith(_TOML_OPENERS):
            # The position tomllib gives is in its own "v = ..." line, not the user's.
            reason = re.sub(r" \(at .*\)$", "", str(error)).lower()
            raise ConfigError(
                f"--set {table}.{name}",
                _quoting_hint(table, name, f"not a TOML value ({reason})"),
                raw,
            ) from None
        return table, name, raw, True
    # A string key takes the text as typed, even when it reads as TOML (true, 1, inf).
    if not isinstance(value, str) and _takes_text(table, name):
        return table, name, raw, True
    return table, name, value, False


def _quoting_hint(table: str, name: str, lead: str) -> str:
    """``lead``, then how to write ``TABLE.KEY=VALUE`` in a shell, from the key's default.

    Examples
    --------
    >>> _quoting_hint("Temperature", "seed", "not a TOML value")
    "not a TOML value, e.g. --set 'Temperature.seed=0'"
    >>> print(_quoting_hint("lecture", "theme", "--set reads the value as TOML"))
    --set reads the value as TOML; write strings in double quotes and the whole setting \
in single quotes, e.g. --set 'lecture.theme="dark"'
    """
    default: Any = [1, 2, 3]
    section = _section_class(table)
    if section is not None:
        fields = {f.name: f for f in dataclasses.fields(section)}
        if name in fields:
            default = fields[name].default
    example = f"--set '{table}.{name}={_toml_value(default)}'"
    if any(isinstance(v, str) for v in _as_list(default)):
        quoting = "write strings in double quotes and the whole setting in single quotes"
        return f"{lead}; {quoting}, e.g. {example}"
    return f"{lead}, e.g. {example}"


def _takes_text(table: str, name: str) -> bool:
    """Whether key ``name`` of ``table`` holds one string (so a bare word is its value)."""
    section = _section_class(table)
    if section is None:
        return False
    fields = {f.name: f for f in dataclasses.fields(section)}
    return name in fields and isinstance(fields[name].default, str)


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _section_class(table: str) -> type | None:
    """The schema class of table ``table`` (any capitalisation), or ``None``."""
    sections: dict[str, type] = {
        "lecture": LectureParams,
        "render": RenderParams,
        "voice": VoiceParams,
    }
    sections |= {normalize_name(name): cls for name, cls in CHAPTER_PARAMS.items()}
    return sections.get(normalize_name(table))


#: Largest configuration file read; a longer one (or ``/dev/zero``) is refused.
MAX_CONFIG_BYTES = 1 << 20


def read_toml(path: Path, key: str = "--config") -> dict[str, Any]:
    """Parse a TOML file of at most :data:`MAX_CONFIG_BYTES`, turning every way it can
    fail into a :class:`ConfigError` naming ``key`` (the option or argument that gave it)."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_CONFIG_BYTES + 1)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ConfigError(key, f"cannot read the file ({reason})", str(path)) from None
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(
            key,
            f"the file is larger than {MAX_CONFIG_BYTES // (1 << 20)} MiB; "
            "allowed: a TOML file up to that size",
            str(path),
        )
    try:
        text = data.decode("utf-8-sig")  # editors that write a byte order mark are fine
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ConfigError(
            key,
            f"not UTF-8 text (byte {error.start + 1}, line {line}); save it as UTF-8",
            str(path),
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(key, f"not valid TOML: {error}", str(path)) from None
    except RecursionError:
        raise ConfigError(
            key, "not valid TOML: lists or tables nested too deeply", str(path)
        ) from None


def _check_table(table_name: str, table: Any) -> None:
    """Raise unless ``table`` is one table of settings (not a value or an array of tables)."""
    if isinstance(table, Mapping):
        return
    if isinstance(table, list) and table and all(isinstance(t, Mapping) for t in table):
        message = f"expected one table [{table_name}], got an array of tables [[{table_name}]]"
        raise ConfigError(table_name, message)
    raise ConfigError(table_name, f"expected a table [{table_name}] of settings", table)


def load_config(
    path: str | os.PathLike[str] | None = None,
    overrides: Iterable[str] = (),
    data: Mapping[str, Any] | None = None,
) -> LectureConfig:
    """Build a validated :class:`LectureConfig`.

    Parameters
    ----------
    path
        A TOML file (``softmax-video config`` prints a complete one).
    overrides
        ``TABLE.KEY=VALUE`` strings applied after the file, e.g.
        ``"Temperature.seed=3"``; the value is parsed as a TOML value.
    data
        Already-parsed tables, applied after the file and before ``overrides``.

    Raises
    ------
    ConfigError
        With a one-line message naming the key, the value and what is allowed.

    Examples
    --------
    >>> load_config(data={"lecture": {"theme": "light"}}).lecture.theme
    'light'
    >>> load_config(overrides=["softmaxbarz.logits=[1,2]"])
    Traceback (most recent call last):
    ...
    softmax_video.core.params.ConfigError: softmaxbarz: unknown table; ... 'SoftmaxBars'? ...
    """
    layers: list[Mapping[str, Any]] = []
    if path is not None:
        layers.append(read_toml(Path(path)))
    if data is not None:
        layers.append(data)
    bare_words: set[tuple[str, str]] = set()
    for text in overrides:
        table, name, value, bare = _parse_override(text)
        head, dot, chapter = table.partition(".")
        if dot and normalize_name(head) == "narration":
            layers.append({"narration": {chapter: {name: value}}})
            continue
        layers.append({table: {name: value}})
        if bare:
            bare_words.add((normalize_name(table), name))
    try:
        return _validate(layers)
    except ConfigError as error:
        section, _, rest = error.key.partition(".")
        name = rest.partition("[")[0]
        if (normalize_name(section), name) in bare_words and not _takes_text(section, name):
            hint = _quoting_hint(section, name, "--set reads the value as TOML")
            raise error.with_hint(hint) from None
        raise


def _validate(layers: Iterable[Mapping[str, Any]]) -> LectureConfig:
    """Merge the layers of tables (later ones win) and build the validated config."""
    known = {"lecture": "lecture", "render": "render", "voice": "voice"}
    known |= {"narration": "narration"} | {normalize_name(name): name for name in CHAPTER_PARAMS}
    canonical: dict[str, Any] = {}
    for layer in layers:
        for table_name, table in layer.items():
            resolved = known.get(normalize_name(table_name))
            if resolved is None:
                options = ["lecture", "render", "voice", "narration", *CHAPTER_PARAMS]
                raise ConfigError(table_name, f"unknown table{_did_you_mean(table_name, options)}")
            _check_table(table_name, table)
            canonical[resolved] = _merge(canonical.get(resolved, {}), table)

    lecture = _build(LectureParams, "lecture", canonical.get("lecture", {}))
    lecture.check()
    render = _build(RenderParams, "render", canonical.get("render", {}))
    voice = _build(VoiceParams, "voice", canonical.get("voice", {}))
    voice.check()
    chapters = {}
    for name, cls in CHAPTER_PARAMS.items():
        chapter = _build(cls, name, canonical.get(name, {}))
        chapter.check(lecture)
        chapter.check_poster_beat(lecture)
        chapters[name] = chapter
    narration = _narration(canonical.get("narration", {}), chapters, lecture)
    return LectureConfig(
        lecture=lecture,
        render=render,
        voice=voice,
        chapters=types.MappingProxyType(chapters),
        narration=narration,
    )


def _narration(
    table: Mapping[str, Any], chapters: Mapping[str, ChapterParams], lecture: LectureParams
) -> Mapping[str, Mapping[str, str]]:
    """Validate ``[narration.CHAPTER]`` tables of ``beat = "sentence"``."""
    result: dict[str, Mapping[str, str]] = {}
    for chapter_name, beats in table.items():
        key = f"narration.{chapter_name}"
        resolved = resolve_chapter_name(chapter_name, key)
        _check_table(key, beats)
        names = chapters[resolved].beat_names(lecture)
        sentences = dict(result.get(resolved, {}))
        for beat, sentence in beats.items():
            beat_key = f"narration.{resolved}.{beat}"
            if beat not in names:
                raise ConfigError(beat_key, f"no such beat; allowed: {', '.join(names)}")
            if not isinstance(sentence, str):
                raise ConfigError(beat_key, "expected a sentence in quotes", sentence)
            text = " ".join(sentence.split())
            if not text:
                raise ConfigError(
                    beat_key, "must not be empty (it is spoken and captioned)", sentence
                )
            if len(text) > MAX_NARRATION_LENGTH:
                raise ConfigError(
                    beat_key,
                    f"at most {MAX_NARRATION_LENGTH} characters, got {len(text)}",
                    sentence,
                )
            if not text.isprintable():
                raise ConfigError(beat_key, "expected printable text", sentence)
            sentences[beat] = text
        result[resolved] = types.MappingProxyType(sentences)
    return types.MappingProxyType(result)


@functools.cache
def config_from_file(path: str | None) -> LectureConfig:
    """The configuration in the TOML file ``path`` (``None``: the defaults), read once
    per process."""
    return load_config(path)


# --------------------------------------------------------------------------- #
# Writing
# --------------------------------------------------------------------------- #


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")


def dump_toml(config: LectureConfig | None = None, comments: bool = True) -> str:
    """The configuration as TOML, each key with its help text as a comment.

    Examples
    --------
    >>> text = dump_toml()
    >>> load_config(data=tomllib.loads(text)) == load_config()
    True
    """
    config = config or LectureConfig()
    lines: list[str] = []
    if comments:
        lines += [
            "# softmax-video configuration. Edit and pass with --config FILE.toml.",
            "# Classes are numbered from 1, as on screen. Any key may be left out.",
            "",
        ]
    sections: list[tuple[str, Any]] = [
        ("lecture", config.lecture),
        ("render", config.render),
        ("voice", config.voice),
    ]
    sections += list(config.chapters.items())
    for name, params in sections:
        if comments and params.__doc__ and name in ("lecture", "render", "voice"):
            lines.append(f"# {params.__doc__.strip().splitlines()[0]}")
        lines.append(f"[{name}]")
        for f in dataclasses.fields(params):
            if comments:
                lines.append(f"# {f.metadata['help']}")
            lines.append(f"{f.name} = {_toml_value(getattr(params, f.name))}")
        lines.append("")
    if comments:
        lines += [
            "# Narration: replace any beat's spoken sentence (and caption), e.g.",
            "# [narration.SoftmaxBars]",
            '# raise = "Raise one logit and only its exponential grows."',
            "# Beat names: softmax-video list --beats.",
            "",
        ]
    for name, beats in config.narration.items():
        lines.append(f"[narration.{name}]")
        lines += [f"{_toml_key(beat)} = {_toml_value(text)}" for beat, text in beats.items()]
        lines.append("")
    return "\n".join(lines)


def _toml_key(name: str) -> str:
    """``name`` as a TOML key: bare when it can be, else quoted."""
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else json.dumps(name)
