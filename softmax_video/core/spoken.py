"""Numbers and symbols as a listener expects to hear them.

The narration sentences are written for the screen and the subtitles ("p1",
"z1 - z2", "1/3", "T = 0.5", "e^c"); a text-to-speech engine reads such text
badly or not at all. :func:`spoken_text` rewrites a sentence into plain words
before it is synthesised, and :func:`spoken_number` says a number the way it is
shown on screen: ``0.50`` is "zero point five zero", ``-1`` is "minus one".

English (US) only: cardinals without "and" ("one hundred five"), decimals read
digit by digit after "point".
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["spoken_fraction", "spoken_integer", "spoken_number", "spoken_ordinal", "spoken_text"]

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = (
    (10**18, "quintillion"),
    (10**15, "quadrillion"),
    (10**12, "trillion"),
    (10**9, "billion"),
    (10**6, "million"),
    (10**3, "thousand"),
)
_ORDINAL_WORDS = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}
#: Denominators read as ordinals ("one third"); larger ones are read "a over b".
_MAX_ORDINAL_DENOMINATOR = 12


def spoken_integer(n: int) -> str:
    """An integer in words (US English, no "and").

    Examples
    --------
    >>> spoken_integer(0), spoken_integer(23), spoken_integer(-7)
    ('zero', 'twenty-three', 'minus seven')
    >>> spoken_integer(1005)
    'one thousand five'
    >>> spoken_integer(2_300_042)
    'two million three hundred thousand forty-two'
    """
    if n < 0:
        return "minus " + spoken_integer(-n)
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + ("-" + _ONES[ones] if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return _ONES[hundreds] + " hundred" + (" " + spoken_integer(rest) if rest else "")
    if n >= 1000 * _SCALES[0][0]:
        return " ".join(_ONES[int(d)] for d in str(n))  # too large for names: digits
    for size, name in _SCALES:
        if n >= size:
            head, rest = divmod(n, size)
            return spoken_integer(head) + " " + name + (" " + spoken_integer(rest) if rest else "")
    raise AssertionError("unreachable")  # pragma: no cover


def spoken_ordinal(n: int) -> str:
    """An ordinal in words.

    Examples
    --------
    >>> [spoken_ordinal(k) for k in (1, 2, 3, 4, 12, 20, 23)]
    ['first', 'second', 'third', 'fourth', 'twelfth', 'twentieth', 'twenty-third']
    """
    words = spoken_integer(n)
    head, sep, last = words.rpartition("-" if "-" in words.split(" ")[-1] else " ")
    if last in _ORDINAL_WORDS:
        last = _ORDINAL_WORDS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return head + sep + last


def spoken_fraction(numerator: int, denominator: int) -> str:
    """A fraction as said aloud: "one third", "two thirds", "one half", "five over sixteen".

    Examples
    --------
    >>> spoken_fraction(1, 3), spoken_fraction(2, 3), spoken_fraction(1, 2)
    ('one third', 'two thirds', 'one half')
    >>> spoken_fraction(3, 4), spoken_fraction(5, 16)
    ('three quarters', 'five over sixteen')
    """
    if denominator == 0 or not 1 < denominator <= _MAX_ORDINAL_DENOMINATOR:
        return f"{spoken_integer(numerator)} over {spoken_integer(denominator)}"
    if denominator == 2:
        name = "half" if abs(numerator) == 1 else "halves"
    elif denominator == 4:
        name = "quarter" if abs(numerator) == 1 else "quarters"
    else:
        name = spoken_ordinal(denominator) + ("" if abs(numerator) == 1 else "s")
    return f"{spoken_integer(numerator)} {name}"


def spoken_number(value: float | int | str, decimals: int | None = None) -> str:
    """A number in words, with the digits it is shown with.

    Parameters
    ----------
    value
        The number. A string is read exactly as written (``"0.50"`` keeps its
        trailing zero); a float without ``decimals`` is read with the fewest
        digits that give it back (``0.1``, not ``0.1000000000000000055``).
    decimals
        Digits shown after the point on screen (the value is rounded to them);
        ``None``: as many as the value needs, none for a whole number.

    Examples
    --------
    >>> spoken_number(2.5)
    'two point five'
    >>> spoken_number(-1)
    'minus one'
    >>> spoken_number(0.5, 2)
    'zero point five zero'
    >>> spoken_number(2.345, 2), spoken_number(3.0), spoken_number("0.50")
    ('two point three five', 'three', 'zero point five zero')
    >>> spoken_number(1000), spoken_number(-0.0), spoken_number(float("-inf"))
    ('one thousand', 'zero', 'minus infinity')
    >>> spoken_number(1e-4)
    'zero point zero zero zero one'
    """
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("\u2212", "-")
        if decimals is not None:
            text = str(Decimal(text).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP))
    else:
        number = float(value)
        if math.isnan(number):
            return "not a number"
        if math.isinf(number):
            return "minus infinity" if number < 0 else "infinity"
        if decimals is not None:
            text = f"{number:.{decimals}f}"  # as the screen formats it
        elif isinstance(value, int) or number.is_integer():
            text = str(int(value))
        else:
            text = format(Decimal(repr(number)), "f")
    negative = text.startswith("-")
    text = text.lstrip("+-")
    whole, _, fraction = text.partition(".")
    words = spoken_integer(int(whole or "0"))
    if fraction:
        words += " point " + " ".join(_ONES[int(d)] for d in fraction)
    if negative and any(ch not in "0." for ch in text):
        words = "minus " + words
    return words


# -- text ---------------------------------------------------------------------- #

_GREEK = {
    "alpha": "alpha",
    "beta": "beta",
    "gamma": "gamma",
    "delta": "delta",
    "epsilon": "epsilon",
    "eta": "eta",
    "theta": "theta",
    "lambda": "lambda",
    "mu": "mu",
    "pi": "pi",
    "sigma": "sigma",
    "tau": "tau",
    "phi": "phi",
    "infty": "infinity",
    "cdot": "times",
    "times": "times",
    "log": "log",
    "exp": "exp",
    "sum": "sum",
}
_GREEK_LETTERS = {
    "α": "alpha",
    "β": "beta",
    "γ": "gamma",
    "δ": "delta",
    "ε": "epsilon",
    "η": "eta",
    "θ": "theta",
    "λ": "lambda",
    "μ": "mu",
    "π": "pi",
    "σ": "sigma",
    "τ": "tau",
    "φ": "phi",
    "∞": "infinity",
    "∑": "sum",
}
#: Operators written between spaces or glued to operands, and how they are said.
_OPERATORS = (
    ("±", " plus or minus "),
    ("+-", " plus or minus "),
    ("≈", " is about "),
    ("≠", " is not "),
    ("≤", " is at most "),
    ("<=", " is at most "),
    ("≥", " is at least "),
    (">=", " is at least "),
    ("→", " to "),
    ("×", " times "),
    ("·", " times "),
    ("=", " equals "),
    ("<", " is less than "),
    (">", " is greater than "),
    ("%", " percent"),
)
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


def _power(match: re.Match[str]) -> str:
    base, exponent = match.group(1), match.group(2)
    if exponent == "2":
        return f"{base} squared"
    if exponent == "3":
        return f"{base} cubed"
    return f"{base} to the {exponent}"


def spoken_text(text: str) -> str:
    """A narration sentence rewritten in words for a text-to-speech engine.

    Handles what the lecture's sentences contain: symbols with indices
    (``p1``, ``z_2``, ``e1``), signs and operators (``z1 - z2``, ``T = 0.5``,
    ``-1``), fractions (``1/3``, ``1/K``), powers (``e^c``, ``x^2``), ``3D``,
    ordinals (``2nd``), percentages, a few LaTeX names (``\\infty``,
    ``\\sigma``) and Greek letters. Plain words pass through unchanged.

    Examples
    --------
    >>> spoken_text("p1")
    'p one'
    >>> spoken_text("z1 - z2")
    'z one minus z two'
    >>> spoken_text("1/3")
    'one third'
    >>> spoken_text("T = 0.5")
    'T equals zero point five'
    >>> spoken_text("e^c")
    'e to the c'
    >>> spoken_text("Raise logit 2: the exponents 2, 3, -1 and 1000 become e^{z_i}.")
    'Raise logit two: the exponents two, three, minus one and one thousand become e to the z i.'
    >>> spoken_text("Heat it up toward 1/K, a 3D view of x^2, 50% and -\\\\infty.")
    'Heat it up toward one over K, a three D view of x squared, fifty percent and minus infinity.'
    >>> spoken_text("the sum-zero plane along (1, 1, 1)")
    'the sum-zero plane along (one, one, one)'
    """
    s = text
    for letter, name in _GREEK_LETTERS.items():
        s = s.replace(letter, f" {name} ")
    s = s.replace("\u2212", "-").replace("\u2013", " - ").replace("\u2014", " - ")
    s = re.sub(r"\\([A-Za-z]+)", lambda m: " " + _GREEK.get(m.group(1), m.group(1)) + " ", s)
    # Powers, before braces go: e^{z_i}, e^c, x^2, e^(-x).
    s = re.sub(r"(\w+)\s*\^\s*[{(]([^})]*)[})]", lambda m: _power(m), s)
    s = re.sub(r"(\w+)\s*\^\s*(-?[\w.]+)", _power, s)
    s = re.sub(r"[{}^_]", " ", s)  # z_i -> z i; stray marks go
    # Fractions: 1/3 -> one third; a/b -> a over b.
    s = re.sub(
        r"(?<![\w.])(\d+)\s*/\s*(\d+)(?!\w|\.\d)",
        lambda m: spoken_fraction(int(m.group(1)), int(m.group(2))),
        s,
    )
    s = re.sub(r"(?<=[\w)])\s*/\s*(?=[\w(])", " over ", s)
    s = re.sub(r"\b(\d+)(st|nd|rd|th)\b", lambda m: spoken_ordinal(int(m.group(1))), s)
    s = re.sub(r"(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])", " ", s)  # p1 -> p 1, 3D -> 3 D
    s = re.sub(r"(?<=\d)-(?=\d)", " ", s)  # layer sizes 3-32-32-3
    for symbol, words in _OPERATORS:
        s = s.replace(symbol, words)
    s = re.sub(r"(?<=\w)\s*\*\s*(?=\w)", " times ", s)
    s = re.sub(r"(?<=[\w)])\s*\+\s*(?=[\w(])", " plus ", s)
    s = re.sub(r"(?<=[\w)])\s+-\s+(?=[\w(])", " minus ", s)  # binary minus: z1 - z2
    s = re.sub(r"(?<![\w)])[-+]\s*(?=infinity\b)", lambda m: "minus " if "-" in m[0] else "", s)
    s = re.sub(
        rf"(?<![\w.])([-+]?)({_NUMBER})(?![\w])",
        lambda m: spoken_number(m.group(1) + m.group(2)),
        s,
    )
    s = re.sub(r"\d+", lambda m: " " + spoken_number(m.group(0)) + " ", s)  # leftovers
    s = re.sub(r"\s+", " ", s).strip()
    return re.sub(r"\s+([,.;:!?)])", r"\1", s).replace("( ", "(")
