"""The lecture's one visual theme: background, text, accents and class colours.

Every colour a scene uses comes from here, so class ``k`` has the same colour in
every chapter and a theme switch (dark or light) reaches every scene at once.
Scenes never name a colour literal; they ask the active :class:`Theme`.

Examples
--------
>>> from softmax_video.kit.theme import build_theme
>>> theme = build_theme("dark")
>>> theme.class_color(1).to_hex()
'#F28E2B'
>>> theme.class_color(0) == build_theme("light").class_color(0)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from manim import ManimColor, interpolate_color

from softmax_video.core.palette import DEFAULT_CLASS_COLORS, PALETTES, THEME_NAMES

__all__ = [
    "DEFAULT_CLASS_COLORS",
    "THEME_NAMES",
    "Theme",
    "build_theme",
]


@dataclass(frozen=True)
class Theme:
    """Resolved colours and sizes for one render.

    Parameters
    ----------
    name
        ``"dark"`` or ``"light"``.
    background, text, muted, accent, warning
        Hex colours for the background, body text, secondary elements, the one
        highlight colour and the loss/descent colour.
    class_colors
        One hex colour per class; class ``k`` (0-based) uses ``class_colors[k]``.
    surface_opacity
        Opacity of probability surfaces in 3D chapters.
    """

    name: str
    background: str
    text: str
    muted: str
    accent: str
    warning: str
    class_colors: tuple[str, ...]
    surface_opacity: float

    #: Font sizes in manim units of the default 8-unit-high frame; scenes scale
    #: layouts to the frame, so these stay legible at 480p.
    title_size: float = 44
    body_size: float = 34
    label_size: float = 28
    small_size: float = 24

    def class_color(self, k: int) -> ManimColor:
        """Colour of class ``k`` (0-based)."""
        if not 0 <= k < len(self.class_colors):
            raise IndexError(f"class {k} has no colour; the theme has {len(self.class_colors)}")
        return ManimColor(self.class_colors[k])

    def class_colors_for(self, k: int) -> list[ManimColor]:
        """Colours of classes ``0..k-1``."""
        return [self.class_color(i) for i in range(k)]

    def color(self, role: str) -> ManimColor:
        """A named role colour: background, text, muted, accent or warning."""
        return ManimColor(getattr(self, role))

    def blend(self, role: str, other: str, alpha: float) -> ManimColor:
        """Mix two role colours; ``alpha = 0`` gives ``role``."""
        return interpolate_color(self.color(role), self.color(other), alpha)


def build_theme(name: str = "dark", class_colors: Sequence[str] | None = None) -> Theme:
    """Build the theme called ``name``, optionally overriding the class colours.

    Parameters
    ----------
    name
        One of :data:`THEME_NAMES`.
    class_colors
        Hex colours replacing :data:`DEFAULT_CLASS_COLORS` (same order: class 1 first).

    Examples
    --------
    >>> build_theme("light").background
    '#FBFAF7'
    >>> build_theme("dark", ["#FF0000", "#00FF00"]).class_colors
    ('#FF0000', '#00FF00')
    """
    if name not in PALETTES:
        raise ValueError(f"theme {name!r} is unknown; allowed: {', '.join(THEME_NAMES)}")
    palette = PALETTES[name]
    colors = tuple(class_colors) if class_colors else DEFAULT_CLASS_COLORS
    return Theme(
        name=name,
        background=palette.background,
        text=palette.text,
        muted=palette.muted,
        accent=palette.accent,
        warning=palette.warning,
        class_colors=colors,
        surface_opacity=palette.surface_opacity,
    )
