"""The lecture's colour-role table: class colours and each role's colour per theme and
palette (no manim here, so the schema and the command line can name them cheaply).

Every colour a chapter draws comes from one role: a class (``class k``), or one of
:data:`ROLES`. ``probability`` is class 1's colour (sigma(z) is P(class 1)), so it
follows a configured class colour.

Examples
--------
>>> resolve_roles("dark", "standard", DEFAULT_CLASS_COLORS)["probability"]
'#4C9BE8'
>>> resolve_roles("light", "colorblind", CLASS_COLOR_SETS["colorblind"])["loss"]
'#D55E00'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "CLASS_COLOR_SETS",
    "DEFAULT_CLASS_COLORS",
    "PALETTES",
    "PALETTE_NAMES",
    "ROLES",
    "THEME_NAMES",
    "Palette",
    "resolve_roles",
]

#: One colour per class, in class order, per palette; a class keeps its colour when the
#: theme changes. Mid-tones that read on black and on white. No class shares a hue with
#: a role: class 5 is brown, not the highlight's yellow.
CLASS_COLOR_SETS: dict[str, tuple[str, ...]] = {
    "standard": (
        "#4C9BE8",  # class 1: blue
        "#F28E2B",  # class 2: orange
        "#3FB37F",  # class 3: green
        "#D35FB7",  # class 4: magenta
        "#B5835A",  # class 5: brown
    ),
    # Okabe and Ito's set, distinguishable with every common colour-vision deficiency.
    "colorblind": (
        "#56B4E9",  # class 1: sky blue
        "#E69F00",  # class 2: orange
        "#009E73",  # class 3: bluish green
        "#CC79A7",  # class 4: reddish purple
        "#F0E442",  # class 5: yellow
    ),
}

#: The standard palette's class colours (the schema's default).
DEFAULT_CLASS_COLORS: tuple[str, ...] = CLASS_COLOR_SETS["standard"]

#: The palette names a configuration may ask for.
PALETTE_NAMES: tuple[str, ...] = tuple(CLASS_COLOR_SETS)

#: The roles beside the class colours, and what each is for.
ROLES: dict[str, str] = {
    "background": "the frame",
    "text": "titles, formulas, body text",
    "muted": "axes, grids, secondary labels, ghosts",
    "probability": "sigma(z) and p when no other class is meant (class 1's colour)",
    "loss": "the loss and its surface",
    "gradient": "derivatives, slopes, gradient and descent arrows",
    "accent": "what stays the same: sums to 1, invariant directions, ties",
    "highlight": "the one thing the narration is claiming right now",
}


@dataclass(frozen=True)
class Palette:
    background: str
    text: str
    muted: str
    loss: str
    gradient: str
    accent: str
    highlight: str
    surface_opacity: float


#: What each theme fixes whatever the palette: its ground, text and secondary colour.
_THEME_BASE: dict[str, dict] = {
    "dark": dict(background="#101318", text="#ECEFF4", muted="#8A93A6", surface_opacity=0.75),
    "light": dict(background="#FBFAF7", text="#1C2230", muted="#6B7385", surface_opacity=0.8),
}

#: (theme, palette) -> the roles a palette colours.
_PALETTE_ROLES: dict[tuple[str, str], dict] = {
    ("dark", "standard"): dict(
        loss="#FF6B6B", gradient="#B39DFF", accent="#F5D76E", highlight="#FFE45C"
    ),
    ("light", "standard"): dict(
        loss="#C53030", gradient="#6B4FD8", accent="#B7791F", highlight="#D69E00"
    ),
    ("dark", "colorblind"): dict(
        loss="#D55E00", gradient="#9FD7FF", accent="#FFFFFF", highlight="#FFFFFF"
    ),
    ("light", "colorblind"): dict(
        loss="#D55E00", gradient="#0072B2", accent="#000000", highlight="#000000"
    ),
}

#: (theme, palette) -> role colours.
PALETTES: dict[tuple[str, str], Palette] = {
    (theme, palette): Palette(**_THEME_BASE[theme], **roles)
    for (theme, palette), roles in _PALETTE_ROLES.items()
}

#: The theme names a configuration may ask for.
THEME_NAMES: tuple[str, ...] = ("dark", "light")


def resolve_roles(theme: str, palette: str, class_colors: Sequence[str]) -> dict[str, str]:
    """Every role's hex colour for ``theme`` and ``palette`` with these class colours."""
    roles = PALETTES[theme, palette]
    table = {role: getattr(roles, role) for role in ROLES if role != "probability"}
    table["probability"] = class_colors[0]
    return table
