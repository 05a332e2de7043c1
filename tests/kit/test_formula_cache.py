"""softmax_video.kit.formula_cache: a formula read back from its parsed file is the
formula manim parses (points, colours, parts), in another process too, and a broken
parsed file is parsed again and replaced."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from manim import BLUE, MathTex, Tex, tempconfig
from manim.mobject.svg.svg_mobject import SVG_HASH_TO_MOB_MAP, SVGMobject

from softmax_video.core.tex_store import PARSED_SUFFIX
from softmax_video.kit import formula_cache

PROJECT_ROOT = Path(__file__).resolve().parents[2]

FORMULAS = (
    (MathTex, (r"p_k", "=", r"\frac{e^{z_k}}{\sum_j e^{z_j}}"), {"substrings_to_isolate": ["z_k"]}),
    (Tex, (r"The loss $-\log p_{\text{cat}}$ is convex",), {}),
    (MathTex, (r"\sigma(z)=\frac{1}{1+e^{-z}}",), {"color": BLUE}),
)


def build(kind: type, parts: tuple[str, ...], options: dict) -> MathTex:
    return kind(*parts, **options)


def fingerprint(formula: MathTex) -> list[tuple]:
    """Everything a frame shows of ``formula``: each part's tex, and each glyph's
    points and colours, in drawing order."""
    shown = []
    for part in formula.submobjects:
        for glyph in part.family_members_with_points():
            shown.append(
                (
                    getattr(part, "tex_string", None),
                    glyph.points.tobytes(),
                    glyph.fill_rgbas.tobytes(),
                    glyph.stroke_rgbas.tobytes(),
                    float(glyph.stroke_width),
                )
            )
    return shown


@pytest.fixture
def media(tmp_path: Path):
    """A fresh media folder, this process's caches emptied, the cache installed."""
    saved = SVGMobject.init_svg_mobject
    formula_cache.keep_parsed_formulas()
    formula_cache._in_memory.clear()
    SVG_HASH_TO_MOB_MAP.clear()
    with tempconfig({"media_dir": str(tmp_path), "tex_dir": str(tmp_path / "Tex")}):
        yield tmp_path / "Tex"
    formula_cache._in_memory.clear()
    # Leave the class as the test found it (the cache may have been installed before).
    from manim import SingleStringMathTex

    if SingleStringMathTex.__dict__.get("init_svg_mobject") is not saved:
        SingleStringMathTex.init_svg_mobject = saved  # type: ignore[method-assign]


def manim_parsed(kind: type, parts: tuple[str, ...], options: dict) -> list[tuple]:
    """The formula as manim alone builds it (its own init, an empty in-memory cache)."""
    from manim import SingleStringMathTex

    SVG_HASH_TO_MOB_MAP.clear()
    cached = SingleStringMathTex.init_svg_mobject
    SingleStringMathTex.init_svg_mobject = formula_cache._manim_init_svg_mobject  # type: ignore[method-assign]
    try:
        return fingerprint(build(kind, parts, options))
    finally:
        SingleStringMathTex.init_svg_mobject = cached  # type: ignore[method-assign]


@pytest.mark.parametrize("kind, parts, options", FORMULAS)
def test_read_back_formula_is_the_parsed_one(media: Path, kind, parts, options) -> None:
    reference = manim_parsed(kind, parts, options)
    first = build(kind, parts, options)  # parsed and kept
    assert len(list(media.glob(f"*{PARSED_SUFFIX}"))) == 1
    assert fingerprint(first) == reference

    formula_cache._in_memory.clear()  # as a new process would: from the file only
    kept = SVGMobject.generate_mobject
    SVGMobject.generate_mobject = None  # type: ignore[assignment,method-assign]
    try:
        again = build(kind, parts, options)
    finally:
        SVGMobject.generate_mobject = kept  # type: ignore[method-assign]
    assert fingerprint(again) == reference
    assert again.id_to_vgroup_dict.keys() == first.id_to_vgroup_dict.keys()


def test_each_build_gets_its_own_glyphs(media: Path) -> None:
    first = MathTex("z_1 - z_2")
    second = MathTex("z_1 - z_2")
    second.shift(np.array([1.0, 0.0, 0.0])).set_color(BLUE)
    assert not np.array_equal(first.get_center(), second.get_center())
    assert fingerprint(MathTex("z_1 - z_2")) == fingerprint(first)


def test_a_broken_parsed_file_is_parsed_again_and_replaced(media: Path) -> None:
    reference = fingerprint(MathTex(r"\frac{\partial p_1}{\partial z_1}"))
    (stored,) = media.glob(f"*{PARSED_SUFFIX}")
    stored.write_bytes(stored.read_bytes()[:100])  # cut short, as by a full disk
    formula_cache._in_memory.clear()
    assert fingerprint(MathTex(r"\frac{\partial p_1}{\partial z_1}")) == reference
    formula_cache._in_memory.clear()
    assert fingerprint(MathTex(r"\frac{\partial p_1}{\partial z_1}")) == reference
    assert len(stored.read_bytes()) > 100


def test_one_file_per_svg_and_reading_style_colours_applied_after(media: Path) -> None:
    """A colour given to the formula is applied after parsing (one kept file, both
    coloured right); a default style given to the SVG reader changes the key."""
    plain = MathTex("x")
    blue = MathTex("x", color=BLUE)
    assert len(list(media.glob(f"*{PARSED_SUFFIX}"))) == 1
    assert fingerprint(plain) != fingerprint(blue)
    assert fingerprint(blue) == manim_parsed(MathTex, ("x",), {"color": BLUE})
    svg = plain.get_file_path()
    key = formula_cache.formula_key(plain, svg)
    plain.svg_default = {**plain.svg_default, "fill_color": "#ff0000"}
    assert formula_cache.formula_key(plain, svg) != key


def test_another_process_reads_the_kept_file(media: Path) -> None:
    """A second Python process builds the same formula from the first one's file: it
    parses nothing and gets the same glyphs."""
    code = (
        "import sys, pickle\n"
        "from manim import MathTex, tempconfig\n"
        "from manim.mobject.svg.svg_mobject import SVGMobject\n"
        "from softmax_video.kit.formula_cache import keep_parsed_formulas\n"
        "keep_parsed_formulas()\n"
        "if sys.argv[2] == 'read':\n"
        "    SVGMobject.generate_mobject = None\n"
        "with tempconfig({'media_dir': sys.argv[1], 'tex_dir': sys.argv[1] + '/Tex'}):\n"
        "    f = MathTex(r'p_1 = \\frac{1}{1+e^{-(z_1-z_2)}}')\n"
        "points = [g.points for g in f.family_members_with_points()]\n"
        "open(sys.argv[3], 'wb').write(pickle.dumps(points))\n"
    )
    outputs = []
    for mode in ("write", "read"):
        result = media.parent / f"{mode}.pickle"
        subprocess.run(
            [sys.executable, "-c", code, str(media.parent), mode, str(result)],
            cwd=PROJECT_ROOT,
            capture_output=True,
            check=True,
        )
        outputs.append(pickle.loads(result.read_bytes()))
    written, read = outputs
    assert len(written) == len(read) > 5
    assert all(np.array_equal(a, b) for a, b in zip(written, read, strict=True))
