"""Atomic file writes: a file is either its old self or complete, never half written."""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path

__all__ = [
    "copy_atomic",
    "stage_copy",
    "stage_file",
    "stage_text",
    "temporary_name",
    "write_atomic",
    "write_atomic_with",
]


def temporary_name(path: Path, suffix: str = "") -> Path:
    """A fresh hidden name beside ``path``: ``.name.<pid>-<random>.tmp<suffix>``.

    Unique per call, so threads of one process never share a temporary file.

    Examples
    --------
    >>> name = temporary_name(Path("media/lecture.mp4"))
    >>> name.parent, name.name.startswith(".lecture.mp4."), name.name.endswith(".tmp")
    (PosixPath('media'), True, True)
    """
    return path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp{suffix}")


def stage_file(path: Path, write: Callable[[Path], object]) -> Path:
    """Have ``write`` fill a temporary name beside ``path`` and return that name
    (removed again if ``write`` fails), ready to be renamed over ``path``."""
    temporary = temporary_name(path)
    try:
        write(temporary)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def stage_text(path: Path, data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8, or bytes) to a temporary name beside ``path``."""
    if isinstance(data, bytes):
        return stage_file(path, lambda temporary: temporary.write_bytes(data))
    return stage_file(path, lambda temporary: temporary.write_text(data, encoding="utf-8"))


def stage_copy(source: Path, target: Path) -> Path:
    """Copy ``source`` to a temporary name beside ``target``; returns that name."""
    target.parent.mkdir(parents=True, exist_ok=True)
    return stage_file(target, lambda temporary: shutil.copyfile(source, temporary))


def _replace_with(temporary: Path, path: Path) -> None:
    try:
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Replace ``path`` with ``data`` in one rename; on failure ``path`` is unchanged.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> write_atomic(folder / "note.txt", "hello")
    >>> (folder / "note.txt").read_text(), sorted(p.name for p in folder.iterdir())
    ('hello', ['note.txt'])
    """
    _replace_with(stage_text(path, data), path)


def write_atomic_with(path: Path, write: Callable[[Path], object]) -> None:
    """Replace ``path`` with what ``write`` puts in a temporary name beside it, in one
    rename; on failure ``path`` is unchanged and the temporary file gone."""
    _replace_with(stage_file(path, write), path)


def copy_atomic(source: Path, target: Path) -> None:
    """Replace ``target`` with a copy of ``source`` in one rename; on failure it is unchanged."""
    _replace_with(stage_copy(source, target), target)
