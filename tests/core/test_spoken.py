"""Numbers and symbols in words (softmax_video.core.spoken)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from softmax_video.core.spoken import (
    spoken_fraction,
    spoken_integer,
    spoken_number,
    spoken_ordinal,
    spoken_text,
)


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (2.5, None, "two point five"),
        (-1, None, "minus one"),
        (0, None, "zero"),
        (-0.0, None, "zero"),
        (0.5, 2, "zero point five zero"),
        (0.25, 1, "zero point three"),  # as f"{0.25:.1f}" shows it: 0.2 or 0.3 per the float
        (1002, None, "one thousand two"),
        (115, None, "one hundred fifteen"),
        (40, None, "forty"),
        (1e6, None, "one million"),
        (-3.75, None, "minus three point seven five"),
        ("0.50", None, "zero point five zero"),
        ("1,000", None, "one thousand"),
        (float("inf"), None, "infinity"),
    ],
)
def test_spoken_number(value, decimals, expected):
    if value == 0.25 and decimals == 1:
        expected = "zero point " + {"0.2": "two", "0.3": "three"}[f"{0.25:.1f}"]
    assert spoken_number(value, decimals) == expected


def test_numbers_follow_the_screen_format():
    # Two decimals shown as the scenes' format_number shows them (float rounding).
    assert spoken_number(2.345, 2) == "two point three five"
    assert spoken_number(-0.001, 2) == "zero point zero zero"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("p1", "p one"),
        ("z1 - z2", "z one minus z two"),
        ("1/3", "one third"),
        ("2/3", "two thirds"),
        ("1/2.", "one half."),
        ("T = 0.5", "T equals zero point five"),
        ("e^c", "e to the c"),
        ("e^2", "e squared"),
        ("e^{z_i}", "e to the z i"),
        ("one over K is 1/K", "one over K is one over K"),
        ("minus log p2", "minus log p two"),
        ("the one-hot corners e1, e2, e3", "the one-hot corners e one, e two, e three"),
        ("a 3D space and a 4D one", "a three D space and a four D one"),
        ("along the (1, 1, 1) direction", "along the (one, one, one) direction"),
        (
            "exponents 2, 3, -1 with 1000 added",
            "exponents two, three, minus one with one thousand added",
        ),
        ("x = +-2", "x equals plus or minus two"),
        ("MLP 3-32-32-3", "MLP three thirty-two thirty-two three"),
        ("the 23rd class", "the twenty-third class"),
        ("p ≈ 0.33", "p is about zero point three three"),
        ("σ and -\\infty", "sigma and minus infinity"),
        ("It is 50% likely.", "It is fifty percent likely."),
        ("Plain words stay, as they are: sum-zero!", "Plain words stay, as they are: sum-zero!"),
    ],
)
def test_spoken_text(text, expected):
    assert spoken_text(text) == expected


def test_ordinals_and_fractions():
    assert [spoken_ordinal(k) for k in (1, 2, 3, 5, 9, 10, 21, 100)] == [
        "first",
        "second",
        "third",
        "fifth",
        "ninth",
        "tenth",
        "twenty-first",
        "one hundredth",
    ]
    assert spoken_fraction(1, 4) == "one quarter"
    assert spoken_fraction(5, 8) == "five eighths"
    assert spoken_fraction(1, 100) == "one over one hundred"


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_integers_are_words(n):
    words = spoken_integer(n)
    assert re.fullmatch(r"[a-z -]+", words)
    assert words.startswith("minus ") == (n < 0)


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), st.integers(0, 4))
def test_numbers_have_no_digits_left(value, decimals):
    words = spoken_number(value, decimals)
    assert re.fullmatch(r"[a-z -]+", words)
    if decimals:
        assert words.count(" ", words.index("point")) == decimals


@given(st.text(alphabet="abcxyzTKpez0123456789 .,-+=/^_()%", max_size=60))
def test_normalised_text_has_no_digits_or_operators(text):
    out = spoken_text(text)
    assert not re.search(r"[0-9=^_%]", out)
