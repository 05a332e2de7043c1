"""Typeset formulas parsed once and kept on disk beside their SVG, for every process."""

from __future__ import annotations

import hashlib
import io
import pickle
from pathlib import Path
from typing import Any

import manim
from manim import SingleStringMathTex
from manim.mobject.svg.svg_mobject import SVGMobject
from svgelements import Path as SvgPath

from softmax_video.core.files import write_atomic
from softmax_video.core.tex_store import PARSED_SUFFIX

#: Bumped when what a parsed file holds changes, so older files are not read.
_FORMAT = 1

_in_memory: dict[str, bytes] = {}
_manim_init_svg_mobject = SVGMobject.init_svg_mobject


def parsed_path(svg: Path, key: str) -> Path:
    """Where the parsed form of ``svg`` under ``key`` is kept."""
    return svg.with_name(f"{svg.stem}.{key[:16]}{PARSED_SUFFIX}")


def formula_key(formula: SVGMobject, svg: Path) -> str:
    """What decides a formula's parsed glyphs: the SVG's bytes and how manim reads them.

    The SVG's name is left out (its bytes say everything it would), so the key is the
    same in every process and output folder.
    """
    digest = hashlib.sha256()
    seed = (
        _FORMAT,
        manim.__version__,
        type(formula).__name__,
        sorted((k, str(v)) for k, v in formula.svg_default.items()),
        sorted((k, str(v)) for k, v in formula.path_string_config.items()),
        str(manim.config.renderer),
    )
    digest.update(repr(seed).encode())
    digest.update(svg.read_bytes())
    return digest.hexdigest()


class _GlyphPickler(pickle.Pickler):
    """Pickles parsed glyphs without the SVG path objects they were made from: manim
    reads those only to make a glyph's points, and they are most of the bytes."""

    def reducer_override(self, obj: object) -> Any:
        if isinstance(obj, SvgPath):
            return type(None), ()
        return NotImplemented


def _dump(parts: list[Any], groups: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    _GlyphPickler(buffer, protocol=5).dump((parts, groups))
    return buffer.getvalue()


def _load(data: bytes) -> tuple[list[Any], dict[str, Any]] | None:
    try:
        parts, groups = pickle.loads(data)
    except Exception:  # a truncated or foreign file: parse the SVG again
        return None
    if not isinstance(parts, list) or not isinstance(groups, dict):
        return None
    return parts, groups


def _init_from_cache(self: SVGMobject, use_svg_cache: bool) -> SVGMobject:
    """``SVGMobject.init_svg_mobject`` for formulas: read the parsed glyphs if an earlier
    process (or this one) kept them, else parse the SVG as manim does and keep it.

    A fresh unpickled copy replaces manim's in-memory cache, which deep-copies each
    formula as it stores it and again as it hands it out.
    """
    if not use_svg_cache:
        return _manim_init_svg_mobject(self, use_svg_cache)
    svg = self.get_file_path()
    key = formula_key(self, svg)
    stored = parsed_path(svg, key)
    data = _in_memory.get(key)
    if data is None and stored.is_file():
        data = stored.read_bytes()
    loaded = _load(data) if data is not None else None
    if loaded is not None:
        _in_memory[key] = data  # type: ignore[assignment]
        parts, groups = loaded
        self.add(*parts)
        self.id_to_vgroup_dict = groups
        return self
    self.generate_mobject()
    data = _dump(list(self.submobjects), self.id_to_vgroup_dict)
    _in_memory[key] = data
    try:
        write_atomic(stored, data)
    except OSError:  # a read-only folder: this process keeps its copy in memory
        pass
    return self


def keep_parsed_formulas() -> None:
    """Have every ``Tex`` and ``MathTex`` read its parsed glyphs from disk when it can.

    Parsing a formula's SVG (and manim copying the result into its in-memory cache) is
    most of what typesetting costs once LaTeX's output is on disk; a still pays it for
    every formula its chapter builds. Idempotent.
    """
    SingleStringMathTex.init_svg_mobject = _init_from_cache  # type: ignore[method-assign]
