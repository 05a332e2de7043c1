"""The lecture's chapters, in order. This is the one place that decides the order.

Each entry names the scene class, the module that holds it, its title and one
line on what it shows. Modules are imported lazily so that listing chapters does
not import manim's heavy scene code.

Examples
--------
>>> [c.name for c in CHAPTERS][:3]
['SigmoidRecap', 'SoftmaxBars', 'ShiftInvariance']
>>> find_chapter("softmax_bars").title
'Logits to probabilities'
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from softmax_video.core.params import resolve_chapter_name

__all__ = ["CHAPTERS", "Chapter", "find_chapter"]


@dataclass(frozen=True)
class Chapter:
    """One chapter of the lecture.

    Parameters
    ----------
    name
        The scene class name (also the chapter's table in configuration files).
    module
        Module path of the scene class, e.g. ``scenes.softmax_bars``.
    title
        Title shown in chapter markers and listings.
    summary
        One line on what the chapter shows.
    nominal_seconds
        Its running time at pace 1 (checked against real renders in the tests).
    """

    name: str
    module: str
    title: str
    summary: str
    nominal_seconds: float

    @property
    def number(self) -> int:
        """1-based position in the lecture."""
        return CHAPTERS.index(self) + 1

    @property
    def source_file(self) -> str:
        """Path of the module relative to the project root (for the plain manim CLI)."""
        return self.module.replace(".", "/") + ".py"

    def scene_class(self) -> type:
        """Import and return the scene class."""
        return getattr(importlib.import_module(self.module), self.name)


CHAPTERS: tuple[Chapter, ...] = (
    Chapter(
        "SigmoidRecap",
        "scenes.sigmoid_recap",
        "The sigmoid, recapped",
        "squashes any real number into (0, 1): P(class 1) for two classes",
        32,
    ),
    Chapter(
        "SoftmaxBars",
        "scenes.softmax_bars",
        "Logits to probabilities",
        "exponentiate, then normalise; raising one logit squashes the rest",
        38,
    ),
    Chapter(
        "ShiftInvariance",
        "scenes.shift_invariance",
        "Shift invariance",
        "adding one constant to every logit changes nothing: e^c cancels",
        35,
    ),
    Chapter(
        "Temperature",
        "scenes.temperature",
        "Temperature",
        "low T: a predictable spike on the argmax; high T: less predictable, near uniform",
        41,
    ),
    Chapter(
        "SigmoidToSoftmax",
        "scenes.sigmoid_to_softmax",
        "Sigmoid is 2-class softmax",
        "the 2-class softmax is the sigmoid of the logit difference",
        31,
    ),
    Chapter(
        "TwoClassSurfaces",
        "scenes.two_class_surfaces",
        "Two classes in 3D",
        "p1 and p2 over the logit plane: flat along (1, 1), a sigmoid across it",
        38,
    ),
    Chapter(
        "TwoClassDerivatives",
        "scenes.two_class_derivatives",
        "Loss and derivatives, 2 classes",
        "-log p1 as a surface; gradient arrows all along (1, -1)",
        36,
    ),
    Chapter(
        "ThreeClassSurfaces",
        "scenes.three_class_surfaces",
        "Three classes in 3D",
        "the sum-zero plane, the class triangle and three probability surfaces",
        41,
    ),
    Chapter(
        "ThreeClassGradients",
        "scenes.three_class_gradients",
        "Gradient fields, 3 classes",
        "descent pulls toward the target's region and the others' meeting line",
        36,
    ),
    Chapter(
        "LogitPaths",
        "scenes.logit_paths",
        "Logits while a network trains",
        "60 logits leave the centre under SGD and Adam (last layer zeroed)",
        57,
    ),
    Chapter(
        "GaussiansTwoClass",
        "scenes.gaussians_two_class",
        "Gaussians give a sigmoid",
        "equal-variance Gaussian classes have a sigmoid posterior",
        57,
    ),
    Chapter(
        "GaussiansThreeClass",
        "scenes.gaussians_three_class",
        "Gaussians give a softmax",
        "three Gaussians, normalised point by point, are the softmax surfaces",
        42,
    ),
    Chapter(
        "InputSpaceShapes",
        "scenes.input_space_shapes",
        "4 and 5 classes",
        "a tetrahedron of regions in 3D; 4D seen as moving 3D slices",
        42,
    ),
)


def find_chapter(name: str) -> Chapter:
    """The chapter called ``name`` (case, ``_`` and ``-`` ignored).

    Raises
    ------
    softmax_video.core.params.ConfigError
        For an unknown name, with a "did you mean" suggestion.
    """
    canonical = resolve_chapter_name(name, key="scene")
    return next(c for c in CHAPTERS if c.name == canonical)
