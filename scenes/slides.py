"""Presentations: every story beat of the chosen chapters is one slide (manim-slides).

A chapter's *slides variant* is built at run time from its scene class and
:class:`manim_slides.Slide`: ``on_beat`` (called by
:meth:`scenes.lecture_scene.LectureSceneMixin.beat`) starts a new slide whose
speaker notes are the beat's narration, so each slide plays one beat and stops
at its end; when the chapter speaks, each slide's video speaks its beat
(:func:`voice_slides`). Each chapter renders in its own manim process, in a run
folder of its own, ``<output>/.cache/<profile>/slides/<Chapter>/run-XXXX/`` (a
generated module there names the slides class), removed when the render ends, so two
runs never write into one another's slides. A finished render is published as the
chapter's slides, ``<Chapter>/deck/`` with its render key ``<Chapter>/slides.key``
(the key removed first, the folder replaced, the key renamed in last), under the
chapter folder's publish lock; the decision to reuse them (the stored key equals the
run's) is taken under the same lock, as in :mod:`scenes.render`. While holding the
lock, the run pins the slides it published or reused: hard links of their videos
and a copy of their JSON naming those links, in the process's pin folder
(``<output>/.cache/pins-XXXX/``, removed when the process exits). The deck is built
from the pinned copies, so it holds exactly the slides its own run resolved, even
if another run has since published different ones.

The chapters' slides are then converted by ``manim-slides convert`` into one
deck under ``<output>/slides/<profile>/``:

- ``softmax-slides.html``: reveal.js, one self-contained offline file (videos,
  scripts and styles embedded) unless ``embed=False``, which keeps the videos in
  ``softmax-slides_assets/`` next to it;
- ``softmax-slides.pptx`` on request (one video per slide, notes per slide).

The conversion runs in a folder private to the run; the finished files replace the
published ones together, under the deck folder's publish lock.

reveal.js itself comes from the npm registry (``npm pack``, once per output
folder) so that the HTML works without a network; without npm the HTML loads
reveal.js from its CDN when opened, and a warning says so.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from scenes.assemble import _stage_text, _write_atomic, folder_lock, temporary_name, uninterrupted
from scenes.chapters import Chapter, find_chapter
from scenes.params import LectureConfig
from scenes.render import (
    _CANCELLED,
    PROJECT_ROOT,
    ChapterRender,
    RenderSettings,
    _keep_log,
    _link,
    _module_file,
    _pin_folder,
    _run_folder,
    render_chapters,
    render_key,
    run_manim,
    tex_store,
)
from softmax_video.engine.audio_mux import has_audio, mux_with_audio, read_audio, video_duration

__all__ = [
    "DECK_NAME",
    "ConversionError",
    "SlideDeck",
    "build_deck",
    "render_slide_chapters",
    "slides_class",
    "voice_slides",
]

DECK_NAME = "softmax-slides"
DECK_TITLE = "The softmax function"

#: reveal.js release the HTML embeds (manim-slides 5.7's default) and the files
#: its template loads, by their path in the npm package.
REVEAL_VERSION = "6.0.1"
REVEAL_FILES = (
    "dist/reveal.css",
    "dist/reveal.js",
    "dist/theme/black.css",
    "dist/theme/white.css",
    "dist/plugin/highlight/zenburn.css",
    "dist/plugin/notes.js",
    "dist/plugin/markdown.js",
)
#: reveal.js theme for each lecture theme.
REVEAL_THEMES = {"dark": "black", "light": "white"}
#: Longest side of a PowerPoint slide in pixels (the shorter follows the aspect).
PPTX_SIDE = 1280


# --------------------------------------------------------------------------- #
# The slides variant of a chapter
# --------------------------------------------------------------------------- #


class _SlideCompat:
    """What manim-slides 5.7's ``Slide`` does, without the manim settings 0.22 removed.

    ``Slide.__init__`` sets ``config["write_to_movie"]`` and ``Slide.render`` reads
    ``config["flush_cache"]`` and sets ``max_files_cached`` to ``inf``; manim 0.22
    has no such settings (and wants -1 for "no limit"). This class sits just before
    ``Slide`` in the slides variant's MRO and replaces those two methods.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from manim_slides.slide.base import BaseSlide

        BaseSlide.__init__(self, *args, **kwargs)  # type: ignore[arg-type]

    def render(self, *args: Any, **kwargs: Any) -> None:
        from manim import config
        from manim_slides.slide.manim import Slide

        # The slide videos are cut from the partial movie files: keep them all.
        max_files_cached = config.max_files_cached
        config.max_files_cached = -1
        try:
            super(Slide, self).render(*args, **kwargs)  # type: ignore[misc]
        finally:
            config.max_files_cached = max_files_cached
        self._save_slides(  # type: ignore[attr-defined]
            use_cache=not (config.disable_caching or self.disable_caching),  # type: ignore[attr-defined]
            flush_cache=self.flush_cache,  # type: ignore[attr-defined]
            skip_reversing=self.skip_reversing,  # type: ignore[attr-defined]
        )


def slides_class(chapter_name: str, output_folder: Path, module: str) -> type:
    """The slides variant of chapter ``chapter_name``: one slide per story beat.

    Parameters
    ----------
    chapter_name
        Chapter whose scene is presented.
    output_folder
        Where manim-slides writes ``<Chapter>Slides.json`` and the slide videos.
    module
        ``__name__`` of the module defining the class (manim only renders scene
        classes that belong to the file it loads).
    """
    from manim import Scene, ThreeDScene, config
    from manim_slides import Slide, ThreeDSlide

    base = find_chapter(chapter_name).scene_class()
    slide_base = ThreeDSlide if issubclass(base, ThreeDScene) else Slide

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("output_folder", output_folder)
        super(cls, self).__init__(*args, **kwargs)
        # One frame of rest at the end of each slide, so a slide that ends in an
        # animation stops on that animation's final state.
        self.wait_time_between_slides = 1 / config.frame_rate

    def on_beat(self: Any, name: str, narration: str) -> None:
        self.next_slide(notes=narration)

    cls = type(
        f"{base.__name__}Slides",
        (base, _SlideCompat, slide_base),
        {
            "__module__": module,
            "__doc__": f"{base.__name__}, one slide per story beat.",
            "__init__": __init__,
            "on_beat": on_beat,
            # Beats keep plain manim sections; slides start in on_beat.
            "next_section": Scene.next_section,
            # Reversed videos are only for `manim-slides present`; skip them.
            "skip_reversing": True,
        },
    )
    return cls


_MODULE_TEMPLATE = '''"""Generated by softmax-video: the slides variant of {name}."""

from pathlib import Path

from scenes.slides import slides_class

{name}Slides = slides_class("{name}", Path({folder!r}), __name__)
'''


def _staging(output_dir: Path, settings: RenderSettings, chapter: Chapter) -> Path:
    return output_dir.resolve() / ".cache" / settings.profile / "slides" / chapter.name


def _deck_json(staging: Path, chapter: Chapter) -> Path:
    return staging / "deck" / f"{chapter.name}Slides.json"


def render_slides_one(
    chapter: Chapter,
    config: LectureConfig,
    settings: RenderSettings,
    output_dir: Path,
    code: str,
    *,
    verbose: bool = False,
    force: bool = False,
) -> ChapterRender:
    """Render one chapter's slides (or reuse them); never raises for a failed render.

    The result's ``output`` is this run's pinned copy of the chapter's manim-slides
    JSON file (:func:`_pin_deck`).
    """
    started = time.monotonic()
    chapter_dir = _staging(output_dir, settings, chapter)
    published = _deck_json(chapter_dir, chapter)
    key = render_key(chapter, config, settings, code)
    key_file = chapter_dir / "slides.key"
    chapter_dir.mkdir(parents=True, exist_ok=True)
    if not force:
        with folder_lock(chapter_dir, abort=_CANCELLED):
            if published.exists() and _holds(key_file, key):
                pinned = _pin_deck(published, output_dir, chapter)
                return ChapterRender(chapter, pinned, True, time.monotonic() - started)

    with _run_folder(chapter_dir) as staging:
        deck = _deck_json(staging, chapter)
        module_file = staging / f"slides_{chapter.name.lower()}.py"
        module_file.write_text(
            _MODULE_TEMPLATE.format(name=chapter.name, folder=str(deck.parent)), encoding="utf-8"
        )
        _module_file(chapter)  # a missing chapter module fails here, with its name
        status, log = run_manim(
            "manim_slides", module_file, f"{chapter.name}Slides", staging, config, settings,
            verbose=verbose, shared_tex=tex_store(output_dir.resolve()),
        )  # fmt: skip
        if status != 0 or not deck.exists():
            error = f"manim-slides exited with status {status}"
            if status == 0:
                error = f"manim-slides wrote no {deck.name}"
            log = _keep_log(log, chapter_dir)
            return ChapterRender(chapter, None, False, time.monotonic() - started, error, log)
        voice_slides(deck, _scene_movie(staging, chapter))
        pinned = _publish_deck(deck, chapter_dir, key, output_dir, chapter)
        log = _keep_log(log, chapter_dir)
    return ChapterRender(chapter, pinned, False, time.monotonic() - started, log=log)


def _holds(key_file: Path, key: str) -> bool:
    try:
        return key_file.read_text() == key
    except OSError:
        return False


def _moved_deck(deck: Path, source: Path, destination: Path) -> str:
    """The text of ``deck`` (a slides JSON file) with the videos under ``source``
    named under ``destination``: manim-slides writes absolute paths."""
    data = json.loads(deck.read_text(encoding="utf-8"))
    for slide in data.get("slides", []):
        for name in ("file", "rev_file"):
            value = slide.get(name)
            if isinstance(value, str) and Path(value).is_relative_to(source):
                slide[name] = str(destination / Path(value).relative_to(source))
    return json.dumps(data, indent=2)


def _publish_deck(
    deck: Path, chapter_dir: Path, key: str, output_dir: Path, chapter: Chapter
) -> Path:
    """Publish a run's finished slides (``deck``'s folder) as the chapter's, with ``key``;
    returns the pinned copy of its JSON.

    The JSON is rewritten for the final place first; then, under the chapter folder's
    lock, the old key goes, the folder replaces the published one and the key comes
    last.
    """
    built, final = deck.parent, chapter_dir / deck.parent.name
    deck.write_text(_moved_deck(deck, built, final), encoding="utf-8")
    key_file = chapter_dir / "slides.key"
    staged_key = _stage_text(key_file, key)
    try:
        with folder_lock(chapter_dir, abort=_CANCELLED), uninterrupted():
            if _CANCELLED.is_set():
                raise KeyboardInterrupt
            key_file.unlink(missing_ok=True)
            _replace_dir(built, final)
            os.replace(staged_key, key_file)
            return _pin_deck(final / deck.name, output_dir, chapter)
    finally:
        staged_key.unlink(missing_ok=True)


def _pin_deck(deck: Path, output_dir: Path, chapter: Chapter) -> Path:
    """Pin the published slides ``deck`` for this process (called under the lock).

    Every video is hard-linked (copied where links are not allowed) into a fresh
    folder in the process's pin folder, and the JSON is copied there naming the
    links; returns that copy.
    """
    folder = Path(tempfile.mkdtemp(prefix=f"slides-{chapter.name}-", dir=_pin_folder(output_dir)))
    source, pinned = deck.parent, folder / deck.parent.name
    for path in source.rglob("*"):
        if path.is_file() and path != deck:
            (pinned / path.relative_to(source)).parent.mkdir(parents=True, exist_ok=True)
            _link(path, pinned / path.relative_to(source))
    pinned.mkdir(parents=True, exist_ok=True)
    (pinned / deck.name).write_text(_moved_deck(deck, source, pinned), encoding="utf-8")
    return pinned / deck.name


def render_slide_chapters(
    chapters: Sequence[Chapter],
    config: LectureConfig,
    settings: RenderSettings,
    output_dir: Path,
    *,
    jobs: int = 1,
    verbose: bool = False,
    force: bool = False,
    on_done: Callable[[ChapterRender], None] | None = None,
) -> list[ChapterRender]:
    """Render the slides of ``chapters`` with up to ``jobs`` processes; results in lecture order.

    Same contract as :func:`scenes.render.render_chapters`.
    """
    return render_chapters(
        chapters, config, settings, output_dir, jobs=jobs, verbose=verbose, force=force,
        on_done=on_done, render_chapter=render_slides_one,
    )  # fmt: skip


def _scene_movie(staging: Path, chapter: Chapter) -> Path | None:
    """The whole movie manim wrote for the slides variant (it carries the scene's sound)."""
    movies = sorted(staging.glob(f"videos/*/*/{chapter.name}Slides.mp4"))
    return movies[0] if movies else None


def voice_slides(deck: Path, movie: Path | None) -> int:
    """Give each slide video of ``deck`` its span of ``movie``'s audio; returns how many.

    manim-slides cuts slide videos from the partial movie files, which have no
    sound; the scene's own movie has the narration. The slides follow each other
    in that movie with nothing between them, so slide ``k`` spans the movie from
    the summed lengths of the slides before it. The voiced videos go to
    ``voiced/`` beside ``deck`` and the deck's JSON points at them. Nothing changes
    when ``movie`` is missing or silent.
    """
    audio = read_audio(movie) if movie is not None else None
    if audio is None:
        return 0
    data = json.loads(deck.read_text(encoding="utf-8"))
    folder = deck.parent / "voiced"
    shutil.rmtree(folder, ignore_errors=True)  # slides of an earlier render
    folder.mkdir()
    start = Fraction(0)
    for number, slide in enumerate(data["slides"]):
        source = Path(slide["file"])
        if not source.is_absolute():
            source = deck.parent / source
        end = start + video_duration(source)
        target = folder / f"{number:03d}-{source.name}"
        mux_with_audio(source, target, audio.span(start, end))
        slide["file"] = str(target)
        slide["rev_file"] = str(target)  # reversed videos are skipped (skip_reversing)
        start = end
    _write_atomic(deck, json.dumps(data, indent=2))
    return len(data["slides"])


# --------------------------------------------------------------------------- #
# The deck
# --------------------------------------------------------------------------- #


class ConversionError(RuntimeError):
    """``manim-slides convert`` failed; the message names its log."""


@dataclass(frozen=True)
class SlideDeck:
    """The files of a converted deck."""

    html: Path
    pptx: Path | None
    slides: int
    offline: bool


def deck_dir(output_dir: Path, settings: RenderSettings) -> Path:
    """Where the deck of a profile lands, e.g. ``media/slides/480p15``."""
    return output_dir / "slides" / settings.profile


def reveal_assets(cache_home: Path) -> bool:
    """Make reveal.js available to ``manim-slides convert --offline``.

    manim-slides looks for cached copies in ``$XDG_CACHE_HOME/manim-slides/
    revealjs<version>/``; they are taken from the npm package with ``npm pack``
    unless already there. Returns whether every file is in place.
    """
    folder = cache_home / "manim-slides" / f"revealjs{REVEAL_VERSION}"
    wanted = {path: folder / Path(path).name for path in REVEAL_FILES}
    if all(target.exists() for target in wanted.values()):
        return True
    npm = shutil.which("npm")
    if npm is None:
        return False
    with tempfile.TemporaryDirectory() as tmp:
        packed = subprocess.run(
            [npm, "pack", f"reveal.js@{REVEAL_VERSION}", "--pack-destination", tmp, "--silent"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        archives = sorted(Path(tmp).glob("reveal.js-*.tgz"))
        if packed.returncode != 0 or not archives:
            return False
        folder.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archives[0]) as archive:
            for path, target in wanted.items():
                member = archive.extractfile(f"package/{path}")
                if member is None:
                    return False
                temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
                temporary.write_bytes(member.read())
                os.replace(temporary, target)
    return True


def _convert(
    scenes: Sequence[str],
    folder: Path,
    dest: Path,
    fmt: str,
    options: dict[str, str],
    *,
    flags: Sequence[str] = (),
    env: dict[str, str] | None = None,
    log: Path,
) -> None:
    command = [
        sys.executable, "-m", "manim_slides", "convert", *scenes,
        "--folder", str(folder), str(dest), "--to", fmt, *flags,
        *(f"-c{key}={value}" for key, value in options.items()),
    ]  # fmt: skip
    with log.open("a", encoding="utf-8") as stream:
        stream.write(" ".join(command) + "\n")
        stream.flush()
        process = subprocess.run(
            command, cwd=PROJECT_ROOT, env=env, stdout=stream, stderr=subprocess.STDOUT
        )
    if process.returncode != 0 or not dest.exists():
        raise ConversionError(f"manim-slides convert --to {fmt} failed; log: {log}")


def _deck_folder(jsons: Sequence[Path], folder: Path, *, escape_notes: bool) -> list[str]:
    """Copy the chapters' slide JSON files into ``folder``; returns their scene names.

    The video paths inside are absolute, so the copies point at the staged videos.
    For HTML the notes are escaped (the reveal.js template inserts them as is).
    """
    folder.mkdir(parents=True)
    names = []
    for source in jsons:
        data = json.loads(source.read_text(encoding="utf-8"))
        for slide in data["slides"]:
            if escape_notes:
                slide["notes"] = html.escape(slide.get("notes", ""), quote=False)
        (folder / source.name).write_text(json.dumps(data, indent=2), encoding="utf-8")
        names.append(source.stem)
    return names


def build_deck(
    jsons: Sequence[Path],
    settings: RenderSettings,
    output_dir: Path,
    *,
    pptx: bool = False,
    embed: bool = True,
    warn: Callable[[str], None] | None = None,
) -> SlideDeck:
    """Convert the chapters' slides (their JSON files, lecture order) into one deck.

    Parameters
    ----------
    jsons
        manim-slides JSON files from :func:`render_slide_chapters`.
    settings
        The render settings (profile, size and theme of the deck).
    output_dir
        The output folder; the deck goes to ``<output_dir>/slides/<profile>/``.
    pptx
        Also write ``softmax-slides.pptx``.
    embed
        Embed the videos in the HTML (one file); otherwise they go next to it in
        ``softmax-slides_assets/``.
    warn
        Called with a one-line warning when reveal.js cannot be embedded.
    """
    from scenes.theme import build_theme

    if not jsons:
        raise ValueError("no slides to convert")
    output_dir = output_dir.resolve()
    target_dir = deck_dir(output_dir, settings)
    target_dir.mkdir(parents=True, exist_ok=True)
    cache = output_dir / ".cache" / settings.profile / "slides"
    cache.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="convert-", dir=cache))  # private to this run
    log = cache / "convert.log"
    work_log = work / log.name
    cache_home = output_dir / ".cache" / "reveal"
    offline = reveal_assets(cache_home)
    if not offline and warn is not None:
        warn(
            "reveal.js could not be fetched with npm; the HTML loads it from the internet "
            "when opened"
        )
    html_options = {
        "title": DECK_TITLE,
        "reveal_version": REVEAL_VERSION,
        "reveal_theme": REVEAL_THEMES.get(settings.theme, "black"),
        "background_color": build_theme(settings.theme).background,
        "controls": "true",
        "progress": "true",
        "slide_number": "c/t",
        "hash": "true",
    }
    env = dict(os.environ, XDG_CACHE_HOME=str(cache_home))
    flags = [*(["--one-file"] if embed else []), *(["--offline"] if offline else [])]
    pptx_file = target_dir / f"{DECK_NAME}.pptx" if pptx else None
    html_file = target_dir / f"{DECK_NAME}.html"
    assets = target_dir / f"{DECK_NAME}_assets"
    staged: list[tuple[Path, Path]] = []
    try:
        # Both decks are converted in the private folder, then published together.
        names = _deck_folder(jsons, work / "html-json", escape_notes=True)
        built = work / "html" / html_file.name
        built.parent.mkdir()
        try:
            _convert(names, work / "html-json", built, "html", html_options,
                     flags=flags, env=env, log=work_log)  # fmt: skip
            _mute_silent(built, _voiced(jsons))
            _link_interactive(built, output_dir / "interactive" / "index.html", target_dir)
            built_pptx = work / "pptx" / f"{DECK_NAME}.pptx"
            if pptx_file is not None:
                names = _deck_folder(jsons, work / "pptx-json", escape_notes=False)
                width, height = settings.size
                scale = PPTX_SIDE / max(width, height)
                size = {"width": str(round(width * scale)), "height": str(round(height * scale))}
                built_pptx.parent.mkdir()
                _convert(names, work / "pptx-json", built_pptx, "pptx", size, env=env,
                         log=work_log)  # fmt: skip
        finally:
            with contextlib.suppress(OSError):
                os.replace(work_log, log)
        staged.append((_stage_move(built, html_file), html_file))
        if pptx_file is not None:
            staged.append((_stage_move(built_pptx, pptx_file), pptx_file))
        with folder_lock(target_dir, abort=_CANCELLED), uninterrupted():
            if _CANCELLED.is_set():
                raise KeyboardInterrupt
            if (built.parent / assets.name).exists():
                _replace_dir(built.parent / assets.name, assets)
            else:
                shutil.rmtree(assets, ignore_errors=True)
            for temporary, final in staged:
                os.replace(temporary, final)
    except ConversionError as error:
        raise ConversionError(str(error).replace(str(work_log), str(log))) from None
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)
    slides = sum(len(json.loads(p.read_text(encoding="utf-8"))["slides"]) for p in jsons)
    return SlideDeck(target_dir / f"{DECK_NAME}.html", pptx_file, slides, offline)


def _stage_move(source: Path, target: Path) -> Path:
    """Move ``source`` to a temporary name beside ``target`` (same file system); returns it."""
    temporary = temporary_name(target)
    shutil.move(source, temporary)
    return temporary


def _voiced(jsons: Sequence[Path]) -> list[bool]:
    """Whether each slide of the chapters' ``jsons`` (deck order) has sound."""
    voiced = []
    for source in jsons:
        for slide in json.loads(source.read_text(encoding="utf-8"))["slides"]:
            file = Path(slide["file"])
            voiced.append(has_audio(file if file.is_absolute() else source.parent / file))
    return voiced


_SECTION = re.compile(r"<section\b[^>]*>")
#: The attribute as the template writes it, and as an HTML serialiser rewrites it (``=""``).
_MUTED = re.compile(r"""\s+data-background-video-muted(?:=(?:""|''))?(?![\w=-])""")


def _mute_silent(page: Path, voiced: Sequence[bool]) -> None:
    """Mark the slide videos without sound muted, and only those.

    manim-slides mutes only the first video. A silent slide not marked muted makes
    browsers that block autoplay with sound show an "Unmute video" button over it;
    a slide that speaks must not be muted (where a browser blocks its sound until
    the viewer first clicks or presses a key, reveal.js plays it muted and shows
    that button).
    """
    flags = iter(voiced)

    def mark(match: re.Match[str]) -> str:
        tag = match[0]
        if "data-background-video=" not in tag:
            return tag
        tag = _MUTED.sub("", tag)
        if next(flags, False):
            return tag
        return "<section data-background-video-muted" + tag[len("<section") :]

    page.write_text(_SECTION.sub(mark, page.read_text(encoding="utf-8")), encoding="utf-8")


def _link_interactive(page: Path, index: Path, deck_folder: Path) -> None:
    """Add a corner link to the interactive pages (``softmax-video interactive``), if any."""
    if not index.is_file():
        return
    href = html.escape(os.path.relpath(index, deck_folder).replace(os.sep, "/"), quote=True)
    link = (
        f'<a href="{href}" style="position:fixed;left:1em;bottom:1em;z-index:30;'
        'font:14px sans-serif;color:inherit;opacity:0.7">Interactive pages</a>'
    )
    head, body_end, tail = page.read_text(encoding="utf-8").rpartition("</body>")
    if body_end:
        page.write_text(f"{head}{link}{body_end}{tail}", encoding="utf-8")


def _replace_dir(source: Path, target: Path) -> None:
    """Move folder ``source`` to ``target``, replacing what was there."""
    old = target.with_name(f".{target.name}.{os.getpid()}.old")
    if target.exists():
        os.replace(target, old)
    os.replace(source, target)
    shutil.rmtree(old, ignore_errors=True)
