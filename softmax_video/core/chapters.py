"""The chapter registry: one row per chapter, in lecture order (the one place that decides it).

A row names the chapter's scene class, its title, one line on what it shows and its
nominal length; the rest is derived: the scene's module (``scenes/<snake_case>.py``) and
its parameter class (``<Name>Params`` in :mod:`softmax_video.core.params`). Modules are
imported lazily so that listing chapters does not import manim's heavy scene code.

Examples
--------
>>> [c.name for c in CHAPTERS][:3]
['SigmoidRecap', 'SoftmaxBars', 'ShiftInvariance']
>>> find_chapter("softmax_bars").title
'Logits to probabilities'
>>> find_chapter("softmax_bars").module, find_chapter("softmax_bars").params.__name__
('scenes.softmax_bars', 'SoftmaxBarsParams')
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass

from softmax_video.core.params import CHAPTER_PARAMS, ChapterParams, resolve_chapter_name

__all__ = ["CHAPTERS", "Chapter", "find_chapter"]


@dataclass(frozen=True)
class Chapter:
    """One chapter of the lecture.

    Parameters
    ----------
    name
        The scene class name (also the chapter's table in configuration files).
    title
        Title shown in chapter markers and listings.
    summary
        One line on what the chapter shows.
    nominal_seconds
        Its running time at pace 1 (checked against real renders in the tests).
    """

    name: str
    title: str
    summary: str
    nominal_seconds: float

    @property
    def module(self) -> str:
        """Module of the scene class: ``scenes.`` and the name in snake case."""
        return "scenes." + re.sub(r"(?<!^)(?=[A-Z])", "_", self.name).lower()

    @property
    def params(self) -> type[ChapterParams]:
        """The chapter's parameter class."""
        return CHAPTER_PARAMS[self.name]

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
        "The sigmoid, recapped",
        "squashes any logit z into (0, 1): P(class 1) for two classes, slope sigma(1 - sigma)",
        43,
    ),
    Chapter(
        "SoftmaxBars",
        "Logits to probabilities",
        "exponentiate, then normalise; raising one logit squashes the rest",
        47,
    ),
    Chapter(
        "ShiftInvariance",
        "Shift invariance",
        "adding one constant to every logit changes nothing: e^c cancels",
        39,
    ),
    Chapter(
        "Temperature",
        "Temperature",
        "low T: a predictable spike on the argmax; high T: less predictable, near uniform",
        53,
    ),
    Chapter(
        "SigmoidToSoftmax",
        "Sigmoid is 2-class softmax",
        "the 2-class softmax is the sigmoid of the logit difference",
        45,
    ),
    Chapter(
        "TwoClassSurfaces",
        "Two classes in 3D",
        "p1 and p2 over the logit plane: flat along (1, 1), a sigmoid across it",
        49,
    ),
    Chapter(
        "TwoClassDerivatives",
        "Loss and derivatives, 2 classes",
        "slopes of p1, the losses -log p1 and -log p2, their gradient all along (1, -1)",
        58,
    ),
    Chapter(
        "ThreeClassSurfaces",
        "Three classes in 3D",
        "the sum-zero plane, three 120-degree class wedges, three surfaces meeting at 1/3",
        50,
    ),
    Chapter(
        "ThreeClassGradients",
        "Gradient fields, 3 classes",
        "descent pulls toward the target's region and the others' meeting line",
        40,
    ),
    Chapter(
        "LogitPaths",
        "Logits while a network trains",
        "60 logits leave the centre under SGD and Adam (last layer zeroed)",
        57,
    ),
    Chapter(
        "GaussiansTwoClass",
        "Gaussians give a sigmoid",
        "equal-variance Gaussian classes have a sigmoid posterior",
        57,
    ),
    Chapter(
        "GaussiansThreeClass",
        "Gaussians give a softmax",
        "three Gaussians, normalised point by point, are the softmax surfaces",
        51,
    ),
    Chapter(
        "InputSpaceShapes",
        "4 and 5 classes",
        "a tetrahedron of regions in 3D; 4D seen as moving 3D slices",
        40,
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
