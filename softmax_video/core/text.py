"""Text rules shared by the schema and the scenes: which names can be drawn, and
how a plain name is written for LaTeX text mode."""

from __future__ import annotations

import unicodedata

__all__ = ["MAX_NAME_LENGTH", "drawable_problem", "tex_escape"]

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
