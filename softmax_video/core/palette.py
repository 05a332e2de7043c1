"""The theme's colour data: class colours and each theme's palette (no manim here, so the
schema and the command line can name themes and colours without loading manim)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_CLASS_COLORS", "PALETTES", "THEME_NAMES", "Palette"]

#: One colour per class, in class order, shared by both themes so that a class
#: keeps its colour when the theme changes. Mid-tones that read on black and on
#: white; colour-blind safe ordering (blue, orange, green, magenta, yellow).
DEFAULT_CLASS_COLORS: tuple[str, ...] = (
    "#4C9BE8",  # class 1: blue
    "#F28E2B",  # class 2: orange
    "#3FB37F",  # class 3: green
    "#D35FB7",  # class 4: magenta
    "#E3C03A",  # class 5: yellow
)


@dataclass(frozen=True)
class Palette:
    background: str
    text: str
    muted: str  # axes, grids, secondary labels
    accent: str  # the one highlight colour (sums, invariant directions)
    warning: str  # loss, descent arrows
    surface_opacity: float


PALETTES: dict[str, Palette] = {
    "dark": Palette(
        background="#101318",
        text="#ECEFF4",
        muted="#8A93A6",
        accent="#F5D76E",
        warning="#FF6B6B",
        surface_opacity=0.75,
    ),
    "light": Palette(
        background="#FBFAF7",
        text="#1C2230",
        muted="#6B7385",
        accent="#B7791F",
        warning="#C53030",
        surface_opacity=0.8,
    ),
}

#: The theme names a configuration may ask for.
THEME_NAMES: tuple[str, ...] = tuple(PALETTES)
