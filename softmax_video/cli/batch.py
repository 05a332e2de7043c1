"""``softmax-video batch MANIFEST.toml``: render many variants of the lecture on Dask.

A course needs the lecture many times over (several classes' logits and names,
16:9 and 9:16, dark and light, 1080p and 4K); one command per variant, run by hand
on one machine, does not scale. A manifest lists the variants; each expands into
*units* (one chapter of one variant at one render profile), keyed by content with
the render key of :func:`softmax_video.cli.render.render_key` (code, resolved configuration,
render settings). Units run on a ``dask.distributed`` cluster: an embedded
:class:`distributed.LocalCluster` by default (one single-threaded process per
core), or an existing one with ``--scheduler tcp://HOST:8786``.

Where outputs go. Each unit runs :func:`softmax_video.cli.render.render_one` (slides:
:func:`softmax_video.cli.slides.render_slides_one`) in a scratch folder on its worker and
returns the finished files as bytes; the client writes them into the output store
as ``render`` publishes them (temporary names, then renames under the folder's
publish lock, the key file last). So workers need no shared file system, a worker
killed mid-unit leaves nothing in the store (Dask runs the unit again elsewhere),
and the store layout is exactly that of ``softmax-video render --output
<store>/<variant>``: ``<store>/<variant>/<profile>/NN-Chapter.mp4`` with its
``.srt``, section videos and ``.key``. A rerun computes every unit's key on the
client and submits only those whose stored key differs.

Once all of a variant's chapters at one profile are in the store, the client
joins them (:func:`softmax_video.cli.assemble.assemble_lecture`,
:func:`softmax_video.cli.clips.beat_outputs`,
:func:`softmax_video.cli.slides.build_deck`); a join is skipped when its inputs have not
changed. The run ends with a summary table and ``<store>/batch-index.json``,
listing every output file of every unit and join. A bad manifest ends with one
line naming the key, the value and what is allowed, and exit status 2, before
anything starts; a failed unit is reported with its log and the others go on
(exit status 1).
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import datetime
import difflib
import hashlib
import json
import logging
import os
import re
import shutil
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from softmax_video.cli.render import RenderSettings
    from softmax_video.core.chapters import Chapter
    from softmax_video.core.params import LectureConfig

__all__ = [
    "CACHE_ENV",
    "INDEX_NAME",
    "Group",
    "Manifest",
    "Unit",
    "batch",
    "expand_units",
    "load_manifest",
    "run_unit",
]

#: The index of every output, written at the top of the store after each run.
INDEX_NAME = "batch-index.json"
#: Folder of the store holding failed units' logs and the keys of joins.
STATE_DIR = ".batch"
#: Environment variable naming a worker's scratch folder (default
#: ``~/.cache/softmax-video/batch``); compiled LaTeX is shared there between units.
CACHE_ENV = "SOFTMAX_VIDEO_BATCH_CACHE"
#: Seconds to wait for a ``--scheduler`` to answer.
CONNECT_TIMEOUT = 10
#: Times a unit is sent again because the project's code changed while it waited.
MAX_RESUBMITS = 3
#: Largest piece of a failed unit's log sent back to the client (its end).
MAX_LOG_BYTES = 1 << 20

KINDS = ("video", "slides")
LECTURE_FORMATS = ("mp4", "webm", "mov")
_VARIANT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")

#: Keys of a variant table (and of ``[defaults]``), with what each takes.
VARIANT_KEYS: dict[str, str] = {
    "config": "a configuration file (relative to the manifest)",
    "set": "list of TABLE.KEY=VALUE overrides, as --set",
    "settings": "inline configuration tables, e.g. [variants.NAME.settings.lecture]",
    "chapters": '"all" or a list of chapter names',
    "qualities": "list of qualities",
    "aspects": "list of frame shapes",
    "sizes": 'list of exact pixel sizes "WxH" (instead of aspects)',
    "fps": "frames per second, 0 = the quality's",
    "themes": "list of colour themes",
    "formats": "list of output formats",
    "voice": "narration: true (engine auto), false (silent) or an engine name",
    "lecture": "join each profile's chapters into a lecture (true/false)",
    "clips": "cut one clip per story beat (true/false)",
    "thumbnails": "write a poster still per chapter (true/false)",
    "slides": "build a reveal.js slide deck (true/false)",
    "pptx": "also a PowerPoint deck with the slides (true/false)",
}
MANIFEST_KEYS = ("output", "defaults", "variants")


# --------------------------------------------------------------------------- #
# The manifest
# --------------------------------------------------------------------------- #


@dataclass(frozen=True, eq=False)
class Group:
    """One variant at one render profile: the chapters that are joined together.

    ``kind`` is ``"video"`` (chapter files, lecture, clips, thumbnails) or
    ``"slides"`` (the slides variant of each chapter, joined into a deck).
    """

    variant: str
    kind: str
    config: LectureConfig
    settings: RenderSettings
    chapters: tuple[Chapter, ...]
    lecture: bool = False
    clips: bool = False
    thumbnails: bool = False
    pptx: bool = False

    @property
    def label(self) -> str:
        """``variant/profile`` (``variant/profile slides`` for a deck)."""
        base = f"{self.variant}/{self.settings.profile}"
        if self.kind == "slides":
            return f"{base} slides"
        return base if self.settings.format == "mp4" else f"{base} {self.settings.format}"


@dataclass(frozen=True)
class Manifest:
    """A validated manifest: where outputs go and every group of every variant."""

    path: Path
    output: Path | None
    groups: tuple[Group, ...]
    variants: tuple[str, ...] = field(default=())


@dataclass(eq=False)
class Unit:
    """One chapter of one group, and its render key (renewed if the code changes mid-run)."""

    group: Group
    chapter: Chapter
    key: str

    @property
    def kind(self) -> str:
        return self.group.kind

    @property
    def label(self) -> str:
        return f"{self.group.label} {self.chapter.name}"


def _error(key: str, message: str, value: Any = dataclasses.MISSING) -> Exception:
    from softmax_video.core.params import ConfigError

    return ConfigError(key, message, value)


def _did_you_mean(word: str, options: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"{hint}allowed: {', '.join(options)}"


def _table(key: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise _error(key, f"expected a table [{key}]", value)
    return dict(value)


def _flag(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _error(key, "expected true or false", value)
    return value


def _choices(key: str, value: Any, allowed: Sequence[str]) -> tuple[str, ...]:
    """A non-empty list of distinct values from ``allowed``."""
    if not isinstance(value, list) or not value:
        raise _error(key, f"expected a non-empty list; allowed values: {', '.join(allowed)}", value)
    for index, item in enumerate(value):
        if item not in allowed:
            raise _error(f"{key}[{index}]", _did_you_mean(str(item), allowed), item)
    if len(set(value)) != len(value):
        raise _error(key, "lists a value twice", value)
    return tuple(value)


def _strings(key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _error(key, "expected a list of strings", value)
    return tuple(value)


def _chapters(key: str, value: Any) -> tuple[Chapter, ...]:
    from softmax_video.core.chapters import CHAPTERS, find_chapter
    from softmax_video.core.params import ConfigError

    if value == "all":
        return CHAPTERS
    if not isinstance(value, list) or not value:
        raise _error(key, 'expected "all" or a non-empty list of chapter names', value)
    chapters = []
    for index, name in enumerate(value):
        if not isinstance(name, str):
            raise _error(f"{key}[{index}]", "expected a chapter name", name)
        try:
            chapters.append(find_chapter(name))
        except ConfigError as error:
            raise _error(f"{key}[{index}]", error.message, name) from None
    if len(set(chapters)) != len(chapters):
        raise _error(key, "lists a chapter twice", value)
    from softmax_video.cli.render import unique_chapters

    return tuple(unique_chapters(chapters))


def _voice_engine(key: str, value: Any) -> str:
    """``voice.engine`` for a manifest's ``voice``: true = auto, false = none, or a name."""
    from softmax_video.core.params import VOICE_ENGINES

    if isinstance(value, bool):
        return "auto" if value else "none"
    if value not in VOICE_ENGINES:
        raise _error(
            key, f"expected true, false or an engine; allowed: {', '.join(VOICE_ENGINES)}", value
        )
    return value


def _rekeyed(prefix: str, error: Exception) -> Exception:
    """A configuration error of a variant, its key placed inside the variant's table."""
    key = getattr(error, "key", "")
    where = {"--config": "config", "--resolution": "sizes"}.get(key, key)
    value = getattr(error, "value", dataclasses.MISSING)
    return _error(f"{prefix}.{where}", getattr(error, "message", str(error)), value)


def load_manifest(path: Path) -> Manifest:
    """Read and validate a manifest; every group of every variant, configurations loaded.

    Parameters
    ----------
    path
        The manifest (TOML). Configuration files it names are relative to its folder.

    Raises
    ------
    softmax_video.core.params.ConfigError
        One line naming the key, the value and what is allowed.
    """
    from softmax_video.cli.render import RenderSettings
    from softmax_video.core.palette import THEME_NAMES
    from softmax_video.core.params import (
        ASPECTS,
        FORMATS,
        QUALITIES,
        ConfigError,
        load_config,
        read_toml,
    )

    data = read_toml(path, key="MANIFEST")
    for key in data:
        if key not in MANIFEST_KEYS:
            raise _error(key, f"unknown key; {_did_you_mean(key, MANIFEST_KEYS)}")
    output = None
    if "output" in data:
        if not isinstance(data["output"], str) or not data["output"]:
            raise _error("output", "expected a folder path", data["output"])
        output = path.parent / data["output"]
    defaults = _table("defaults", data.get("defaults", {}))
    variants = _table("variants", data.get("variants", {}))
    if not variants:
        raise _error("variants", "expected at least one table [variants.NAME]")
    for key in defaults:
        if key not in VARIANT_KEYS:
            raise _error(
                f"defaults.{key}", f"unknown key; {_did_you_mean(key, list(VARIANT_KEYS))}"
            )

    groups: list[Group] = []
    for name, table in variants.items():
        prefix = f"variants.{name}"
        if not _VARIANT_NAME.fullmatch(name):
            raise _error(
                "variants", "a variant's name is 1 to 64 letters, digits, '.', '_' or '-'", name
            )
        own = _table(prefix, table)
        for key in own:
            if key not in VARIANT_KEYS:
                raise _error(
                    f"{prefix}.{key}", f"unknown key; {_did_you_mean(key, list(VARIANT_KEYS))}"
                )
        merged = {**defaults, **own}

        def where(key: str, prefix: str = prefix, own: dict[str, Any] = own) -> str:
            return f"{prefix}.{key}" if key in own else f"defaults.{key}"

        config_file = None
        if "config" in merged:
            if not isinstance(merged["config"], str) or not merged["config"]:
                raise _error(where("config"), "expected a file path", merged["config"])
            config_file = path.parent / merged["config"]
        overrides = _strings(where("set"), merged.get("set", []))
        settings = _table(where("settings"), merged.get("settings", {}))
        try:
            base = load_config(config_file, overrides, data=settings)
        except ConfigError as error:
            raise _rekeyed(prefix, error) from None
        chapters = _chapters(where("chapters"), merged.get("chapters", "all"))
        flags = {
            key: _flag(where(key), merged.get(key, False))
            for key in ("lecture", "clips", "thumbnails", "slides", "pptx")
        }
        if "voice" in merged:
            # One engine per variant: the profile folders do not tell voices apart.
            engine = _voice_engine(where("voice"), merged["voice"])
            overrides = (*overrides, f'voice.engine="{engine}"')
            try:
                base = load_config(config_file, overrides, data=settings)
            except ConfigError as error:
                raise _rekeyed(prefix, error) from None
        if flags["pptx"] and not flags["slides"]:
            raise _error(where("pptx"), "needs slides = true", True)
        render = base.render
        qualities = _choices(
            where("qualities"), merged.get("qualities", [render.quality]), QUALITIES
        )
        themes = _choices(where("themes"), merged.get("themes", [base.lecture.theme]), THEME_NAMES)
        formats = _choices(where("formats"), merged.get("formats", [render.format]), FORMATS)
        if "sizes" in merged and "aspects" in merged:
            raise _error(where("sizes"), "sizes and aspects exclude each other", merged["sizes"])
        if "sizes" in merged:
            sizes = _strings(where("sizes"), merged["sizes"])
            if not sizes:
                raise _error(where("sizes"), 'expected a non-empty list of "WxH"', [])
            shapes = [("16:9", size) for size in sizes]
        else:
            aspects = _choices(where("aspects"), merged.get("aspects", [render.aspect]), ASPECTS)
            shapes = [(aspect, None) for aspect in aspects]
        fps = merged.get("fps", render.fps)
        if isinstance(fps, bool) or not isinstance(fps, int) or not 0 <= fps <= 120:
            raise _error(where("fps"), "expected a whole number from 0 to 120", fps)
        for flag, allowed in (
            ("lecture", LECTURE_FORMATS),
            ("clips", ("mp4", "webm", "gif", "mov")),
            ("thumbnails", ("mp4", "webm", "gif", "mov")),
        ):
            for fmt in formats:
                if flags[flag] and fmt not in allowed:
                    raise _error(
                        where("formats"),
                        f"{flag} = true needs video formats; allowed: {', '.join(allowed)}",
                        fmt,
                    )

        for theme in themes:
            try:
                config = load_config(
                    config_file, [*overrides, f'lecture.theme="{theme}"'], settings
                )
            except ConfigError as error:
                raise _rekeyed(prefix, error) from None
            for quality in qualities:
                for aspect, size in shapes:
                    for fmt in formats:
                        try:
                            render_settings = RenderSettings.from_options(
                                quality, aspect=aspect, fps=fps or None, resolution=size,
                                format=fmt, theme=theme,
                            )  # fmt: skip
                        except ConfigError as error:
                            raise _rekeyed(prefix, error) from None
                        groups.append(
                            Group(
                                name,
                                "video",
                                config,
                                render_settings,
                                chapters,
                                lecture=flags["lecture"],
                                clips=flags["clips"],
                                thumbnails=flags["thumbnails"],
                            )
                        )
                    if flags["slides"]:
                        slide_settings = dataclasses.replace(render_settings, format="mp4")
                        groups.append(
                            Group(
                                name, "slides", config, slide_settings, chapters, pptx=flags["pptx"]
                            )
                        )
    unique: dict[tuple[str, str, RenderSettings], Group] = {}
    for group in groups:
        unique.setdefault((group.variant, group.kind, group.settings), group)
    return Manifest(path, output, tuple(unique.values()), tuple(variants))


def expand_units(manifest: Manifest, code: str) -> list[Unit]:
    """Every unit of the manifest, keyed by :func:`softmax_video.cli.render.render_key`."""
    from softmax_video.cli.render import render_key

    return [
        Unit(group, chapter, render_key(chapter, group.config, group.settings, code))
        for group in manifest.groups
        for chapter in group.chapters
    ]


# --------------------------------------------------------------------------- #
# The store
# --------------------------------------------------------------------------- #


def variant_dir(store: Path, group: Group) -> Path:
    """A variant's folder in the store: laid out as ``render --output`` lays out its folder."""
    return store / group.variant


def unit_target(store: Path, unit: Unit) -> Path:
    """The file whose key decides whether ``unit`` is done."""
    from softmax_video.cli.render import output_path

    if unit.kind == "slides":
        return _slides_folder(store, unit) / "deck" / f"{unit.chapter.name}Slides.json"
    return output_path(variant_dir(store, unit.group), unit.chapter, unit.group.settings)


def _slides_folder(store: Path, unit: Unit) -> Path:
    # Where softmax_video.cli.slides keeps a chapter's slides, so build_deck and a later
    # ``softmax-video slides --output <store>/<variant>`` find them.
    base = variant_dir(store, unit.group).resolve()
    return base / ".cache" / unit.group.settings.profile / "slides" / unit.chapter.name


def unit_key_file(store: Path, unit: Unit) -> Path:
    from softmax_video.cli.render import key_file

    if unit.kind == "slides":
        return _slides_folder(store, unit) / "slides.key"
    return key_file(unit_target(store, unit))


def unit_done(store: Path, unit: Unit) -> bool:
    """Whether the store holds ``unit``'s output under its current key."""
    try:
        return (
            unit_target(store, unit).is_file()
            and unit_key_file(store, unit).read_text() == unit.key
        )
    except OSError:
        return False


def unit_files(store: Path, unit: Unit) -> list[Path]:
    """Every file of a finished unit in the store."""
    target = unit_target(store, unit)
    if unit.kind == "slides":
        return sorted(p for p in target.parent.rglob("*") if p.is_file())
    files = [target]
    if target.with_suffix(".srt").is_file() and target.suffix != ".png":
        files.append(target.with_suffix(".srt"))
    sections = target.parent / "sections" / unit.chapter.name
    if target.suffix != ".png" and sections.is_dir():
        files += sorted(p for p in sections.iterdir() if p.is_file())
    return files


def _log_path(store: Path, unit: Unit) -> Path:
    return (
        store / STATE_DIR / "logs" / unit.group.variant / unit.group.settings.profile
        / f"{unit.chapter.number:02d}-{unit.chapter.name}.{unit.kind}.log"
    )  # fmt: skip


def _safe_relative(name: str) -> Path:
    relative = Path(name)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise ValueError(f"a worker sent a file outside its folder: {name!r}")
    return relative


def _stage_bytes(final: Path, data: bytes) -> Path:
    from softmax_video.core.files import stage_text

    final.parent.mkdir(parents=True, exist_ok=True)
    return stage_text(final, data)


def _write_bytes_atomic(final: Path, data: bytes) -> None:
    from softmax_video.core.files import write_atomic

    final.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(final, data)


def store_unit(store: Path, unit: Unit, result: Mapping[str, Any]) -> list[Path]:
    """Write a finished unit's files into the store; returns them.

    Everything is first written under temporary names beside the targets; then,
    under the folder's publish lock, the old key goes, the files are renamed into
    place and the new key comes last (as :func:`softmax_video.cli.render.render_one`
    publishes), so a file whose key is present is always complete.
    """
    from softmax_video.cli.assemble import folder_lock

    target = unit_target(store, unit)
    folder = target.parent if unit.kind == "video" else target.parent.parent
    files: dict[str, bytes] = dict(result["files"])
    if unit.kind == "slides":
        # The deck's JSON names its videos by their absolute paths on the worker.
        origin, destination = result["origin"], str(target.parent)
        for name in files:
            if name.endswith(".json"):
                deck = json.loads(files[name])
                for slide in deck.get("slides", []):
                    for field_name in ("file", "rev_file"):
                        value = slide.get(field_name)
                        if isinstance(value, str) and value.startswith(origin):
                            slide[field_name] = destination + value[len(origin) :]
                files[name] = json.dumps(deck, indent=2).encode()
    staged: list[tuple[Path, Path]] = []
    key_path = unit_key_file(store, unit)
    base = target.parent if unit.kind == "slides" else folder
    try:
        for name, data in files.items():
            final = base / _safe_relative(name)
            staged.append((_stage_bytes(final, data), final))
        staged.append((_stage_bytes(key_path, unit.key.encode()), key_path))
        with folder_lock(folder):
            key_path.unlink(missing_ok=True)
            if unit.kind == "video" and target.suffix != ".png":
                target.with_suffix(".srt").unlink(missing_ok=True)
            for temporary, final in staged:
                os.replace(temporary, final)
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
    return [final for _, final in staged[:-1]]


# --------------------------------------------------------------------------- #
# Units on the workers
# --------------------------------------------------------------------------- #

_WORK_GUARD = threading.Lock()
_WORK_DIRS: set[Path] = set()


def _scratch_root() -> Path:
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    return Path.home() / ".cache" / "softmax-video" / "batch"


def _work_dir() -> Path:
    """This thread's render folder on this worker: ``<scratch>/work-<host>-<pid>-<thread>``.

    One folder per thread, not per unit: :func:`softmax_video.cli.render.render_one` keeps one
    pin folder per output folder for the life of the process. Compiled LaTeX is
    shared by every unit on the machine (``<scratch>/tex``, files added by rename).
    """
    from softmax_video.cli.render import cancel_renders, tex_store

    root = _scratch_root()
    host = socket.gethostname()
    folder = root / f"work-{host}-{os.getpid()}-{threading.get_ident()}"
    with _WORK_GUARD:
        if folder in _WORK_DIRS:
            return folder
        if not _WORK_DIRS:
            _prune_work_dirs(root, host)
            # A worker shut down by its nanny stops the manim processes of its units.
            atexit.register(cancel_renders)
        shared = root / "tex"
        shared.mkdir(parents=True, exist_ok=True)
        tex = tex_store(folder)
        tex.parent.mkdir(parents=True, exist_ok=True)
        if not tex.exists():
            tex.symlink_to(shared.resolve(), target_is_directory=True)
        atexit.register(shutil.rmtree, folder, True)
        _WORK_DIRS.add(folder)
    return folder


def _prune_work_dirs(root: Path, host: str) -> None:
    """Remove work folders of this host's processes that no longer run."""
    for folder in root.glob(f"work-{host}-*"):
        try:
            pid = int(folder.name[len(f"work-{host}-") :].split("-")[0])
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (ValueError, PermissionError):
            continue


def _log_tail(log: Path | str | None) -> str:
    if log is None:
        return ""
    try:
        with open(log, "rb") as stream:
            stream.seek(0, os.SEEK_END)
            stream.seek(max(0, stream.tell() - MAX_LOG_BYTES))
            return stream.read().decode("utf-8", errors="replace")
    except OSError:
        return ""


def _collect(folder: Path, files: Iterable[Path]) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in files}


def run_unit(payload: Mapping[str, Any]) -> dict[str, Any]:
    """Render one unit on a worker and return its files (never raises for a failed render).

    Parameters
    ----------
    payload
        ``chapter`` (name), ``config`` (:meth:`LectureConfig.as_dict`), ``settings``
        (:class:`~softmax_video.cli.render.RenderSettings`), ``kind`` (``video`` or ``slides``)
        and ``key``, the render key the client computed.

    Returns
    -------
    dict
        ``ok``; ``files`` (path relative to the profile folder, or to the slides'
        ``deck`` folder -> bytes) and ``cached``; or ``error`` and ``log`` (the end of
        the render's log); and ``worker``, ``seconds``. A worker whose project code
        differs from the client's (another render key) renders nothing.
    """
    from softmax_video.cli.render import check_programs, code_fingerprint, render_key, render_one
    from softmax_video.core.chapters import find_chapter
    from softmax_video.core.errors import SoftmaxVideoError
    from softmax_video.core.params import load_config

    started = time.monotonic()
    answer: dict[str, Any] = {"worker": socket.gethostname(), "ok": False}
    try:
        check_programs()
        chapter = find_chapter(payload["chapter"])
        config = load_config(data=payload["config"])
        settings = payload["settings"]
        code = code_fingerprint()
        key = render_key(chapter, config, settings, code)
        if key != payload["key"]:
            answer["code"] = code
            answer["error"] = (
                f"this worker computes another render key ({key[:12]}, client "
                f"{payload['key'][:12]}): its project code or environment differs from the "
                "client's, or the code changed since the batch started"
            )
            return answer
        work = _work_dir()
        if payload["kind"] == "slides":
            from softmax_video.cli.slides import render_slides_one

            result = render_slides_one(chapter, config, settings, work, code)
            if result.ok and result.output is not None:
                deck = result.output.parent
                try:
                    files = sorted(p for p in deck.rglob("*") if p.is_file())
                    answer.update(files=_collect(deck, files), origin=str(deck))
                finally:
                    shutil.rmtree(deck.parent, ignore_errors=True)
        else:
            result = render_one(chapter, config, settings, work, code)
            if result.ok and result.output is not None:
                target = result.output
                sections = target.parent / "sections" / chapter.name
                files = [target]
                if target.suffix != ".png":
                    files += [p for p in [target.with_suffix(".srt")] if p.is_file()]
                    files += sorted(p for p in sections.glob("*") if p.is_file())
                try:
                    answer["files"] = _collect(target.parent, files)
                finally:
                    for path in files:
                        path.unlink(missing_ok=True)
                    target.with_name(f"{target.name}.key").unlink(missing_ok=True)
        answer.update(ok=result.ok, cached=result.cached)
        if not result.ok:
            answer.update(error=result.error, log=_log_tail(result.log))
    except SoftmaxVideoError as error:
        answer.update(error=str(error), log=_log_tail(error.log))
    except Exception as error:  # a unit's failure must not take the batch down
        answer.update(error=f"{type(error).__name__}: {error}", log=traceback.format_exc())
    finally:
        answer["seconds"] = time.monotonic() - started
    return answer


# --------------------------------------------------------------------------- #
# Joins on the client
# --------------------------------------------------------------------------- #


@dataclass
class Outcome:
    """What happened to one unit or join in this run."""

    status: str  # rendered, reused, skipped, failed
    files: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    worker: str = ""
    error: str = ""
    log: Path | None = None


def _join_key(group: Group, units: Sequence[Unit], what: str) -> str:
    options = {"what": what, "lecture": group.lecture, "clips": group.clips,
               "thumbnails": group.thumbnails, "pptx": group.pptx}  # fmt: skip
    payload = json.dumps([options, [u.key for u in units]], sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def _join_state(store: Path, group: Group, what: str) -> Path:
    name = f"{group.settings.profile}-{group.settings.format}-{what}.json"
    return store / STATE_DIR / "joins" / group.variant / name


def _joined(store: Path, group: Group, what: str, key: str) -> list[Path] | None:
    """The files of a join done with ``key`` and still all there, else None."""
    try:
        state = json.loads(_join_state(store, group, what).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = [store / name for name in state.get("files", [])]
    if state.get("key") != key or not all(p.is_file() for p in files):
        return None
    return files


def _record_join(store: Path, group: Group, what: str, key: str, files: Sequence[Path]) -> None:
    state = {"key": key, "files": [str(p.relative_to(store)) for p in files]}
    _write_bytes_atomic(_join_state(store, group, what), json.dumps(state).encode())


def _join_group(
    store: Path, group: Group, units: Sequence[Unit], warn: Callable[[str], None]
) -> dict[str, Outcome]:
    """The lecture, clips, thumbnails or slide deck of one finished group."""
    from softmax_video.cli.assemble import LectureClip, assemble_lecture
    from softmax_video.cli.render import ChapterRender

    store_abs = store.resolve()
    folder = variant_dir(store_abs, group)
    wanted = []
    if group.kind == "slides":
        wanted.append("slides")
    else:
        wanted += ["lecture"] if group.lecture else []
        wanted += ["clips"] if group.clips else []
        wanted += ["thumbnails"] if group.thumbnails else []
    outcomes: dict[str, Outcome] = {}
    for what in wanted:
        started = time.monotonic()
        key = _join_key(group, units, what)
        done = _joined(store_abs, group, what, key)
        if done is not None:
            outcomes[what] = Outcome("skipped", done)
            continue
        targets = [unit_target(store_abs, u) for u in units]
        try:
            if what == "lecture":
                from softmax_video.cli.main import LECTURE_NAME

                clips = [
                    LectureClip(u.chapter.title, t, t.with_suffix(".srt"))
                    for u, t in zip(units, targets, strict=True)
                ]
                name = f"{LECTURE_NAME}.{group.settings.format}"
                lecture = assemble_lecture(
                    clips, folder / "lecture" / group.settings.profile / name
                )
                files = [lecture.video, lecture.subtitles, lecture.chapters]
            elif what == "slides":
                from softmax_video.cli.slides import build_deck

                deck = build_deck(targets, group.settings, folder, pptx=group.pptx, warn=warn)
                files = [p for p in (deck.html, deck.pptx) if p is not None]
            else:
                from softmax_video.cli.clips import beat_outputs

                results = [
                    ChapterRender(u.chapter, t, True, 0.0)
                    for u, t in zip(units, targets, strict=True)
                ]
                files = list(
                    beat_outputs(
                        results, group.config, clips=what == "clips",
                        thumbnail=what == "thumbnails",
                    )
                )  # fmt: skip
                if what == "clips":
                    # The clip index is shared by the folder; list this group's clips too.
                    from softmax_video.cli.clips import CLIPS_DIR

                    own = tuple(f"{u.chapter.number:02d}-{u.chapter.name}-" for u in units)
                    clip_dir = targets[0].parent / CLIPS_DIR
                    ext = f".{group.settings.extension}"
                    clips_made = [
                        p for p in clip_dir.iterdir() if p.suffix == ext and p.name.startswith(own)
                    ]
                    files = sorted(clips_made) + files
            _record_join(store_abs, group, what, key, files)
            outcomes[what] = Outcome("rendered", files, time.monotonic() - started)
        except Exception as error:
            log = (
                store_abs
                / STATE_DIR
                / "logs"
                / group.variant
                / group.settings.profile
                / f"{what}.log"
            )
            _write_bytes_atomic(log, traceback.format_exc().encode())
            outcomes[what] = Outcome("failed", error=f"{type(error).__name__}: {error}", log=log)
    return outcomes


# --------------------------------------------------------------------------- #
# The run
# --------------------------------------------------------------------------- #


@contextlib.contextmanager
def _scheduler_client(scheduler: str) -> Iterator[Any]:
    """A ``distributed.Client`` of the cluster at ``scheduler``, or a one-line error."""
    import distributed

    if not re.fullmatch(r"(tcp|tls|ws|wss|inproc|ucx)://\S+", scheduler):
        raise _error("--scheduler", "expected an address like tcp://HOST:8786", scheduler)
    logging.getLogger("distributed").setLevel(logging.ERROR)
    try:
        client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise _error(
            "--scheduler",
            f"no scheduler answered within {CONNECT_TIMEOUT} s ({type(error).__name__}); "
            "start one with `dask scheduler` and pass the address it prints",
            scheduler,
        ) from None
    try:
        yield client
    finally:
        client.close()


@contextlib.contextmanager
def _local_client(workers: int | None) -> Iterator[Any]:
    """A ``distributed.Client`` of an embedded LocalCluster: one single-threaded
    process per core (a unit is one manim process)."""
    import distributed

    # Manim's import sends every logger to the terminal; the cluster's chatter stays out.
    logging.getLogger("distributed").setLevel(logging.ERROR)
    cluster = distributed.LocalCluster(
        n_workers=workers or os.cpu_count() or 1,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",  # a free port: others may run clusters here
        silence_logs=logging.ERROR,
    )
    client = distributed.Client(cluster, set_as_default=False)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def _payload(unit: Unit) -> dict[str, Any]:
    return {
        "chapter": unit.chapter.name,
        "config": unit.group.config.as_dict(),
        "settings": unit.group.settings,
        "kind": unit.kind,
        "key": unit.key,
    }


def _cost(unit: Unit) -> int:
    """Rough relative cost of a unit, to start the longest first."""
    settings = unit.group.settings
    seconds = unit.chapter.nominal_seconds * unit.group.config.pace(unit.chapter.name)
    return int(seconds * settings.fps * settings.width * settings.height // 1000)


def _write_index(
    store: Path,
    manifest: Manifest,
    code: str,
    units: Sequence[Unit],
    outcomes: Mapping[Unit, Outcome],
    joins: Mapping[tuple[Group, str], Outcome],
) -> Path:
    def relative(path: Path) -> str:
        return os.path.relpath(path, store)

    def settings(group: Group) -> dict[str, Any]:
        s = group.settings
        return {"profile": s.profile, "width": s.width, "height": s.height, "fps": s.fps,
                "format": s.format, "theme": s.theme}  # fmt: skip

    entries = []
    for unit in units:
        outcome = outcomes[unit]
        entries.append(
            {
                "variant": unit.group.variant,
                "kind": unit.kind,
                "chapter": unit.chapter.name,
                "chapter_number": unit.chapter.number,
                **settings(unit.group),
                "key": unit.key,
                "status": outcome.status,
                "seconds": round(outcome.seconds, 3),
                "worker": outcome.worker,
                "files": [relative(p) for p in outcome.files],
                "error": outcome.error or None,
                "log": relative(outcome.log) if outcome.log else None,
            }
        )
    join_entries = [
        {
            "variant": group.variant,
            "what": what,
            **settings(group),
            "status": outcome.status,
            "files": [relative(p) for p in outcome.files],
            "error": outcome.error or None,
            "log": relative(outcome.log) if outcome.log else None,
        }
        for (group, what), outcome in joins.items()
    ]
    index = {
        "manifest": str(manifest.path.resolve()),
        "finished": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "code": code,
        "units": entries,
        "joins": join_entries,
    }
    target = store / INDEX_NAME
    _write_bytes_atomic(target, (json.dumps(index, indent=2) + "\n").encode())
    return target


def run_batch(
    manifest: Manifest,
    store: Path,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    force: bool = False,
    quiet: bool = False,
    console: Any = None,
) -> tuple[int, Path]:
    """Run every unit not yet in the store, join finished groups, write the index.

    Returns the exit status (0, or 1 when a unit or join failed) and the index path.
    """
    from rich.console import Console

    from softmax_video.cli.render import prepare_output

    console = console or Console(stderr=True, highlight=False, soft_wrap=True)
    with contextlib.ExitStack() as stack:
        # An unreachable scheduler stops the batch before anything is written.
        client = stack.enter_context(_scheduler_client(scheduler)) if scheduler else None
        prepare_output(store)
        return _run(manifest, store, client, stack, workers, force, quiet, console)


def _run(
    manifest: Manifest,
    store: Path,
    client: Any,
    stack: contextlib.ExitStack,
    workers: int | None,
    force: bool,
    quiet: bool,
    console: Any,
) -> tuple[int, Path]:
    from rich.markup import escape
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from softmax_video.cli.render import check_programs, code_fingerprint, render_key

    code = code_fingerprint()
    units = expand_units(manifest, code)
    outcomes: dict[Unit, Outcome] = {}
    for unit in units:
        if not force and unit_done(store, unit):
            outcomes[unit] = Outcome("skipped", unit_files(store, unit))
    pending = [u for u in units if u not in outcomes]
    by_key: dict[tuple[str, str], list[Unit]] = {}
    for unit in pending:
        by_key.setdefault((unit.kind, unit.key), []).append(unit)
    by_group: dict[Group, list[Unit]] = {}
    for unit in units:
        by_group.setdefault(unit.group, []).append(unit)
    joins: dict[tuple[Group, str], Outcome] = {}

    def warn(message: str) -> None:
        console.print(f"softmax-video: warning: {message}", markup=False)

    def finish_group(group: Group) -> None:
        members = by_group[group]
        if any(outcomes.get(u) is None for u in members):
            return
        if any(outcomes[u].status == "failed" for u in members):
            return
        for what, outcome in _join_group(store, group, members, warn).items():
            joins[(group, what)] = outcome
            if not quiet and outcome.status != "skipped":
                state = (
                    "done"
                    if outcome.status != "failed"
                    else f"[red]FAILED[/] ({escape(outcome.error)})"
                )
                console.print(f"  {group.label} {what}: {state}")

    if not quiet:
        skipped = len(units) - len(pending)
        console.print(
            f"Batch: {len(units)} unit(s) in {len(manifest.groups)} group(s) of "
            f"{len(manifest.variants)} variant(s); {skipped} already in {store}, "
            f"{len(by_key)} to render"
        )
    for group in by_group:
        finish_group(group)
    if by_key:
        import distributed

        if client is None:
            check_programs()  # one line now rather than a failure per unit
            client = stack.enter_context(_local_client(workers))
            where = "an embedded LocalCluster"
        else:
            where = str(getattr(client.scheduler, "address", "the scheduler"))
        if not quiet:
            count = len(client.scheduler_info().get("workers", {}))
            console.print(f"Sending them to {where} ({count} worker(s))")

        def submit(members: Sequence[Unit]) -> Any:
            unit = members[0]
            name = f"softmax-{unit.kind}-{unit.chapter.name}-{unit.key[:16]}"
            return client.submit(
                run_unit, _payload(unit), key=name, priority=_cost(unit), pure=False
            )

        futures = {}
        resubmitted: dict[Unit, int] = {}
        for kind_key, members in sorted(by_key.items(), key=lambda kv: -_cost(kv[1][0])):
            futures[submit(members)] = kind_key
        progress = Progress(
            TextColumn("[bold]rendering"), BarColumn(), MofNCompleteColumn(),
            TextColumn("units"), TimeElapsedColumn(), TextColumn("left"),
            TimeRemainingColumn(), console=console, disable=quiet, transient=False,
        )  # fmt: skip
        with progress:
            task = progress.add_task("units", total=len(futures))
            completed = distributed.as_completed(list(futures), loop=client.loop)
            for future in completed:
                members = by_key.pop(futures.pop(future))
                try:
                    answer = future.result()
                except Exception as error:  # the worker died, again and again
                    answer = {
                        "ok": False,
                        "error": f"{type(error).__name__}: {error}",
                        "log": traceback.format_exc(),
                    }
                future.release()
                if "code" in answer and resubmitted.get(members[0], 0) < MAX_RESUBMITS:
                    # The project's files changed since the batch started (an edit in the
                    # tree the workers run from): units still to come use the new code.
                    fresh = code_fingerprint()
                    if answer["code"] == fresh:
                        if fresh != code and not quiet:
                            console.print(
                                "softmax-video: warning: the project's code changed during "
                                "the batch; units finished before keep the old code's key "
                                "(run the batch again to render them anew)",
                                markup=False,
                            )
                        code = fresh
                        for unit in members:
                            unit.key = render_key(
                                unit.chapter, unit.group.config, unit.group.settings, code
                            )
                            resubmitted[unit] = resubmitted.get(unit, 0) + 1
                        again = submit(members)
                        futures[again] = (members[0].kind, members[0].key)
                        by_key[(members[0].kind, members[0].key)] = members
                        completed.add(again)
                        continue
                for unit in members:
                    outcome = _settle(store, unit, answer)
                    outcomes[unit] = outcome
                    if not quiet:
                        state = {"rendered": "done", "reused": "reused"}.get(
                            outcome.status, f"[red]FAILED[/] ({escape(outcome.error)})"
                        )
                        progress.console.print(
                            f"  {unit.label}: {state} ({outcome.seconds:.1f} s"
                            f"{', ' + outcome.worker if outcome.worker else ''})",
                        )
                    finish_group(unit.group)
                progress.advance(task, 1)
                del answer
    index = _write_index(store, manifest, code, units, outcomes, joins)
    if not quiet:
        _summary(console, manifest, units, outcomes, joins)
    failed = [u for u in units if outcomes[u].status == "failed"]
    for unit in failed:
        outcome = outcomes[unit]
        console.print(
            f"softmax-video: {unit.label} failed: {outcome.error}; log: {outcome.log}",
            markup=False,
        )
    for (group, what), outcome in joins.items():
        if outcome.status == "failed":
            console.print(
                f"softmax-video: {group.label} {what} failed: {outcome.error}; log: {outcome.log}",
                markup=False,
            )
    bad = failed or any(o.status == "failed" for o in joins.values())
    return (1 if bad else 0), index


def _settle(store: Path, unit: Unit, answer: Mapping[str, Any]) -> Outcome:
    """Store a unit's returned files, or its log if it failed."""
    seconds, worker = float(answer.get("seconds", 0.0)), str(answer.get("worker", ""))
    if answer.get("ok"):
        try:
            files = store_unit(store, unit, answer)
            status = "reused" if answer.get("cached") else "rendered"
            return Outcome(status, files, seconds, worker)
        except Exception as error:
            answer = {**answer, "error": f"cannot store it: {error}", "log": traceback.format_exc()}
    log = _log_path(store, unit)
    try:
        _write_bytes_atomic(log, str(answer.get("log") or answer.get("error", "")).encode())
    except OSError:
        log = None
    return Outcome("failed", [], seconds, worker, str(answer.get("error", "failed")), log)


def _summary(
    console: Any,
    manifest: Manifest,
    units: Sequence[Unit],
    outcomes: Mapping[Unit, Outcome],
    joins: Mapping[tuple[Group, str], Outcome],
) -> None:
    from rich.table import Table

    table = Table(title="batch", box=None, pad_edge=False)
    for column in ("variant", "profile", "kind", "rendered", "skipped", "failed", "time", "joined"):
        table.add_column(
            column,
            justify="right" if column in ("rendered", "skipped", "failed", "time") else "left",
        )
    for group in manifest.groups:
        members = [outcomes[u] for u in units if u.group == group]
        count = {
            s: sum(o.status == s for o in members)
            for s in ("rendered", "reused", "skipped", "failed")
        }
        joined = ", ".join(
            what if o.status in ("rendered", "skipped") else f"{what} {o.status}"
            for (g, what), o in joins.items()
            if g == group
        )
        table.add_row(
            group.variant, group.settings.profile,
            group.kind if group.kind == "slides" else group.settings.format,
            str(count["rendered"] + count["reused"]), str(count["skipped"]),
            f"[red]{count['failed']}[/]" if count["failed"] else "0",
            f"{sum(o.seconds for o in members):.0f} s", joined or "-",
        )  # fmt: skip
    console.print(table)


# --------------------------------------------------------------------------- #
# The command
# --------------------------------------------------------------------------- #


@click.command("batch", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("manifest", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="the output store (default: the manifest's `output`, else media/batch)",
)
@click.option(
    "--scheduler",
    metavar="tcp://HOST:PORT",
    default=None,
    help="send the units to this Dask scheduler (default: an embedded LocalCluster)",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 256),
    default=None,
    help="processes of the embedded LocalCluster (default: number of CPUs)",
)
@click.option("--force", is_flag=True, help="render every unit, even those already in the store")
@click.option(
    "--dry-run", is_flag=True, help="list the units and whether each is done; render nothing"
)
@click.option("--quiet", "-q", is_flag=True, help="print only the index path")
def batch(
    manifest: Path,
    output: Path | None,
    scheduler: str | None,
    workers: int | None,
    force: bool,
    dry_run: bool,
    quiet: bool,
) -> None:
    """Render every variant listed in MANIFEST (TOML) on Dask; see docs/batch.md.

    Units already in the store are skipped; the run ends with a summary and
    <store>/batch-index.json.
    """
    from softmax_video.core.errors import SoftmaxVideoError

    try:
        loaded = load_manifest(manifest)
        store = output or loaded.output or Path("media/batch")
        if dry_run:
            _dry_run(loaded, store)
            return
        status, index = run_batch(
            loaded, store, scheduler=scheduler, workers=workers, force=force, quiet=quiet
        )
    except SoftmaxVideoError as error:
        # SystemExit, not ctx.exit: a group run with standalone_mode=False (cli.main.main)
        # returns ctx.exit's status instead of exiting with it.
        click.echo(f"softmax-video: error: {error}", err=True)
        if error.log:
            click.echo(f"softmax-video: full log: {error.log}", err=True)
        sys.exit(error.exit_status)
    except KeyboardInterrupt:
        click.echo("softmax-video: interrupted", err=True)
        sys.exit(130)
    click.echo(str(index))
    sys.exit(status)


def _dry_run(manifest: Manifest, store: Path) -> None:
    from softmax_video.cli.render import code_fingerprint

    for unit in expand_units(manifest, code_fingerprint()):
        state = "done" if unit_done(store, unit) else "to render"
        click.echo(f"{unit.label}\t{unit.key[:12]}\t{state}")


if __name__ == "__main__":
    # The command from the imported module: Dask pickles functions of ``__main__`` by
    # value (with their module's locks), and those of a module by reference.
    from softmax_video.cli.batch import batch as command

    command()
