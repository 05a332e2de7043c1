"""Bookmarks in narration sentences: ``<mark:NAME>`` ties an animation to a spoken word.

A chapter writes ``"Raise logit 1 <mark:raise> and watch the others shrink."`` and
calls ``self.at_mark("raise")`` before the animation that shows it: the scene waits
until the voice reaches the word after the mark. Marks are removed from what is
said and from the captions.
"""

from __future__ import annotations

import re

from softmax_video.core.spoken import spoken_text

__all__ = ["MARK", "split_marks"]

#: A bookmark: ``<mark:name>``, the name of letters, digits, ``_`` and ``-``.
MARK = re.compile(r"<mark:([A-Za-z0-9_-]+)>")


def split_marks(sentence: str) -> tuple[str, dict[str, int]]:
    """The sentence without its marks, and each mark's position in the spoken words.

    The position counts the words of :func:`~softmax_video.core.spoken.spoken_text`
    said before the mark ("p1" is two words, "p one"), so it indexes a speech's
    word timings.

    Examples
    --------
    >>> split_marks("Raise p1 <mark:up> and watch.")
    ('Raise p1 and watch.', {'up': 3})
    >>> split_marks("No marks here.")
    ('No marks here.', {})
    """
    marks: dict[str, int] = {}
    pieces = MARK.split(sentence)
    said = ""
    for k in range(1, len(pieces), 2):
        said += pieces[k - 1]
        name = pieces[k]
        if name in marks:
            raise ValueError(f"bookmark {name!r} appears twice in {sentence!r}")
        marks[name] = len(spoken_text(said).split()) if said.strip() else 0
    clean = " ".join("".join(pieces[0::2]).split())
    return clean, marks
