"""Dim: a mobject fades toward the background as ``mobject.animate.fade`` would, uncopied."""

from __future__ import annotations

from typing import Any

import numpy as np
from manim import Animation, Mobject, VMobject
from manim.utils.bezier import interpolate

__all__ = ["Dim", "can_dim"]

#: The colour arrays ``VMobject.fade`` changes (their opacity column).
_RGBAS = ("fill_rgbas", "stroke_rgbas", "background_stroke_rgbas")


def can_dim(mobject: Mobject) -> bool:
    """Whether every member of ``mobject``'s family fades the way a plain VMobject does,
    or is a container with no colour of its own (a group, a tracker); other kinds, a
    mesh or an image, keep their own ``fade``."""
    return all(_plain(member) for member in mobject.get_family())


def _plain(member: Mobject) -> bool:
    kind = VMobject if isinstance(member, VMobject) else Mobject
    own = type(member)
    return own.fade is kind.fade and own.interpolate_color is kind.interpolate_color


class Dim(Animation):
    """Fade ``mobject`` by ``darkness`` (0: unchanged, 1: invisible) like
    ``mobject.animate.fade(darkness)``, frame for frame, without the two deep copies of
    the family that a transform makes (most of a closing beat's cost, where everything
    on screen dims). Only for families :func:`can_dim` accepts.

    Examples
    --------
    >>> from manim import Square
    >>> square = Square(fill_opacity=0.8)
    >>> dim = Dim(square, darkness=0.75)
    >>> dim.begin()
    >>> dim.interpolate(1.0)
    >>> round(float(square.get_fill_opacity()), 3), round(float(square.get_stroke_opacity()), 3)
    (0.2, 0.25)
    """

    def __init__(self, mobject: Mobject, darkness: float = 0.5, **kwargs: Any) -> None:
        if not can_dim(mobject):
            raise TypeError(f"Dim cannot fade a {type(mobject).__name__}: see can_dim")
        self.darkness = darkness
        self._ends: list[tuple[VMobject, str, np.ndarray, np.ndarray]] = []
        super().__init__(mobject, **kwargs)

    def begin(self) -> None:
        factor = 1.0 - self.darkness
        self._ends = []
        for member in self.mobject.get_family():
            if not isinstance(member, VMobject):
                continue  # a container: nothing of its own to fade
            for name in _RGBAS:
                start = np.array(getattr(member, name), dtype=float)
                end = start.copy()
                if len(end):
                    # VMobject.fade sets every row to the first row's opacity, scaled.
                    end[:, 3] = factor * start[0, 3]
                self._ends.append((member, name, start, end))
        super().begin()

    def create_starting_mobject(self) -> Mobject:
        return self.mobject  # the start is kept as colour arrays: no copy

    def interpolate_mobject(self, alpha: float) -> None:
        t = self.rate_func(alpha)
        for member, name, start, end in self._ends:
            # manim's own interpolation, as a transform's frames use it.
            setattr(member, name, end.copy() if t == 1.0 else interpolate(start, end, t))
