"""Text rules shared by the schema and the scenes: which names can be drawn, how a
plain name is written for LaTeX text mode, and how axes are numbered."""

from __future__ import annotations

import itertools
import unicodedata

__all__ = ["MAX_NAME_LENGTH", "drawable_problem", "tex_escape", "tick_step"]

#: Longest class name the schema accepts (characters); slots shrink longer names to fit.
MAX_NAME_LENGTH = 24

_TEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    # T1 draws these as inverted marks or ligatures unless spelled out.
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    '"': r"\textquotedbl{}",
}


def tex_escape(text: str) -> str:
    r"""Write a plain string (a class name) for LaTeX text mode, drawn as typed.

    Examples
    --------
    >>> tex_escape("R&D 50%")
    'R\\&D 50\\%'
    >>> tex_escape("spam_mail")
    'spam\\_mail'
    >>> tex_escape("café")
    'café'
    """
    return "".join(_TEX_SPECIALS.get(ch, ch) for ch in text)


def _drawable(ch: str) -> bool:
    # Printable ASCII, and the Latin letters that utf8 inputenc + T1 fonts carry
    # (Latin-1 Supplement and Latin Extended-A): the set the lecture's LaTeX draws.
    if " " <= ch <= "~":
        return True
    return "\u00c0" <= ch <= "\u017f" and unicodedata.category(ch).startswith("L")


def drawable_problem(name: str) -> str | None:
    """Why ``name`` cannot be a class name, or ``None`` when it can.

    Examples
    --------
    >>> drawable_problem("R&D 50%") is None
    True
    >>> drawable_problem("猫")
    "the character '猫' cannot be drawn; allowed: printable ASCII and Latin letters (é, ü, ß, ł...)"
    >>> drawable_problem("  ")
    'must not be empty'
    """
    if not name.strip():
        return "must not be empty"
    if len(name) > MAX_NAME_LENGTH:
        return f"at most {MAX_NAME_LENGTH} characters (got {len(name)})"
    for ch in name:
        if not _drawable(ch):
            return (
                f"the character {ch!r} cannot be drawn; allowed: printable ASCII "
                "and Latin letters (é, ü, ß, ł...)"
            )
    return None


def tick_step(span: float, most: int, smallest: float = 0.5) -> float:
    """The smallest round spacing (1, 2 or 5 times a power of ten, at least ``smallest``)
    that puts at most ``most`` intervals over ``span``.

    Examples
    --------
    >>> [tick_step(2 * e, 12, smallest=1.0) for e in (2, 6, 10, 20)]
    [1.0, 1.0, 2.0, 5.0]
    >>> [tick_step(cap, 8) for cap in (3, 6, 12, 60)]
    [0.5, 1.0, 2.0, 10.0]
    """
    for exponent in itertools.count(-6):
        for mantissa in (1.0, 2.0, 5.0):
            step = mantissa * 10.0**exponent
            if step >= smallest and span / step <= most:
                return step
    raise AssertionError("unreachable")
