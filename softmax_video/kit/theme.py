"""The lecture's one visual theme: the colour-role table resolved for a render, and sizes.

Every colour a scene uses comes from here, by role (:data:`ROLES`) or by class, so
class ``k`` has the same colour in every chapter, sigma is always the probability
colour, the loss always the loss colour, and a theme or palette switch reaches every
scene at once. Scenes never name a colour literal.

Examples
--------
>>> from softmax_video.kit.theme import build_theme
>>> theme = build_theme("dark")
>>> theme.class_color(1).to_hex()
'#F28E2B'
>>> theme.class_color(0) == build_theme("light").class_color(0)
True
>>> theme.color("probability") == theme.class_color(0)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from manim import ManimColor, interpolate_color

from softmax_video.core.palette import (
    CLASS_COLOR_SETS,
    DEFAULT_CLASS_COLORS,
    PALETTE_NAMES,
    PALETTES,
    ROLES,
    THEME_NAMES,
    resolve_roles,
)

__all__ = [
    "DEFAULT_CLASS_COLORS",
    "PALETTE_NAMES",
    "ROLES",
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
    palette
        ``"standard"`` or ``"colorblind"``.
    roles
        Hex colour of every role in :data:`ROLES`.
    class_colors
        One hex colour per class; class ``k`` (0-based) uses ``class_colors[k]``.
    surface_opacity
        Opacity of probability surfaces in 3D chapters.
    """

    name: str
    palette: str
    roles: dict[str, str]
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
        """The colour of ``role`` (one of :data:`ROLES`)."""
        if role not in self.roles:
            raise KeyError(f"no colour role {role!r}; roles: {', '.join(self.roles)}")
        return ManimColor(self.roles[role])

    def blend(self, role: str, other: str, alpha: float) -> ManimColor:
        """Mix two role colours; ``alpha = 0`` gives ``role``."""
        return interpolate_color(self.color(role), self.color(other), alpha)


def build_theme(
    name: str = "dark", class_colors: Sequence[str] | None = None, palette: str = "standard"
) -> Theme:
    """Build the theme called ``name`` in ``palette``, optionally with other class colours.

    Parameters
    ----------
    name
        One of :data:`THEME_NAMES`.
    class_colors
        Hex colours replacing the palette's (same order: class 1 first).
    palette
        One of :data:`PALETTE_NAMES`.

    Examples
    --------
    >>> build_theme("light").roles["background"]
    '#FBFAF7'
    >>> build_theme("dark", ["#FF0000", "#00FF00"]).class_colors
    ('#FF0000', '#00FF00')
    >>> build_theme("dark", palette="colorblind").class_colors[0]
    '#56B4E9'
    """
    if name not in THEME_NAMES:
        raise ValueError(f"theme {name!r} is unknown; allowed: {', '.join(THEME_NAMES)}")
    if palette not in PALETTE_NAMES:
        raise ValueError(f"palette {palette!r} is unknown; allowed: {', '.join(PALETTE_NAMES)}")
    colors = tuple(class_colors) if class_colors else CLASS_COLOR_SETS[palette]
    roles = resolve_roles(name, palette, colors)
    opacity = PALETTES[name, palette].surface_opacity
    return Theme(
        name=name, palette=palette, roles=roles, class_colors=colors, surface_opacity=opacity
    )
