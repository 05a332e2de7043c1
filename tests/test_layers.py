"""The house's import rules, read from the source: each layer imports only those below it.

From the bottom: ``softmax_math`` (pure NumPy), ``softmax_video.core`` (no manim),
``softmax_video.engine`` (knows no chapter, reads no environment variable),
``softmax_video.kit`` (what chapters build with), ``scenes`` (the chapters; none
imports another) and ``softmax_video.cli`` (the front end, which reaches chapters only
through the registry).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Each folder and the import prefixes it must not use.
RULES = {
    "softmax_math": ("manim", "softmax_video", "scenes", "piper"),
    "softmax_video/core": ("manim", "softmax_video.engine", "softmax_video.kit",
                           "softmax_video.cli", "scenes", "piper"),
    "softmax_video/engine": ("softmax_video.kit", "softmax_video.cli", "scenes", "piper"),
    "softmax_video/kit": ("softmax_video.cli", "scenes", "piper"),
    "scenes": ("softmax_video.cli", "scenes", "piper"),
    "softmax_video/cli": ("scenes",),
}  # fmt: skip


def imported_names(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import in ``path``, at any depth."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def _sources(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("folder", list(RULES))
def test_layer_imports_only_layers_below_it(folder):
    banned = RULES[folder]
    assert _sources(folder), folder
    broken = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in _sources(folder)
        for line, name in imported_names(path)
        if any(name == prefix or name.startswith(prefix + ".") for prefix in banned)
    ]
    assert not broken, "\n".join(broken)


@pytest.mark.parametrize("folder", ["softmax_video/core", "softmax_video/engine"])
def test_layer_reads_no_environment_variable(folder):
    """The configuration, the share and the band count reach core and the engine as
    arguments; the base scenes in the kit read what the parent process handed over."""
    readers = []
    for path in _sources(folder):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = getattr(node, "attr", None) or getattr(node, "id", None)
            if name in {"environ", "environb", "getenv"}:
                readers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not readers, readers


def test_scenes_holds_chapters_only():
    """Every module in ``scenes/`` is a chapter of the registry, and every chapter is there."""
    from softmax_video.core.chapters import CHAPTERS

    modules = {path.stem for path in (ROOT / "scenes").glob("*.py")} - {"__init__"}
    assert modules == {chapter.module.rpartition(".")[2] for chapter in CHAPTERS}


def test_no_module_imports_another_modules_private_names():
    """What the tool's modules share is public: ``from x import _name`` across modules is a
    defect. (softmax_math's modules share argument checks among themselves, as scipy's
    do; nothing outside it imports them.)"""
    private = [
        f"{path.relative_to(ROOT)}:{node.lineno} imports {alias.name} from {node.module}"
        for folder in RULES
        if folder != "softmax_math"
        for path in _sources(folder)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom)
        and (node.module or "").startswith(("softmax_video", "softmax_math", "scenes"))
        for alias in node.names
        if alias.name.startswith("_")
    ]
    assert not private, "\n".join(private)
