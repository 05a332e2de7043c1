"""``softmax-video``: list, configure and render the lecture.

Bad input (unknown scene or key, a value of the wrong type, NaN, a negative
temperature, unreadable TOML...) ends with one line on stderr naming the key,
the value and what is allowed, and exit status 2, before anything renders. A
failed render exits 1 naming the chapter and its log; other chapters finish. Any
:class:`softmax_video.core.errors.SoftmaxVideoError` (a full disk, a missing program)
ends the same way: one line, its log on a second line if it has one, its exit status.
"""

from __future__ import annotations

import inspect
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from softmax_video.cli.batch import batch
from softmax_video.cli.interactive import interactive
from softmax_video.cli.preview import preview
from softmax_video.cli.render import (
    ChapterRender,
    FrameProgress,
    RenderSettings,
    check_still,
    check_voice,
    parse_at,
    preflight,
    render_chapters,
)
from softmax_video.core.chapters import CHAPTERS, Chapter, find_chapter
from softmax_video.core.errors import SoftmaxVideoError
from softmax_video.core.palette import THEME_NAMES
from softmax_video.core.params import (
    ASPECTS,
    FORMATS,
    QUALITIES,
    VOICE_ENGINES,
    ConfigError,
    LectureConfig,
    load_config,
)

__all__ = ["cli", "main"]

LECTURE_FORMATS = ("mp4", "webm", "mov")
SLIDE_FORMATS = ("mp4",)
LECTURE_NAME = "softmax-lecture"

# Piped output (files, CI logs) gets wide lines instead of an 80-column wrap.
stdout = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)


class UsageFailure(SoftmaxVideoError):
    """A one-line usage error (exit status 2)."""


#: Help of the options that read the configuration, shared by every command.
CONFIG_HELP = "TOML file of settings (print a complete one with `softmax-video config`)"
SET_HELP = (
    "override one setting; the value is read as TOML (a bare word is a string), e.g. "
    '--set SoftmaxBars.logits=[1,2,3] or --set \'lecture.class_names=["spam", "ham"]\'; '
    "repeatable"
)


def _config_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--config`` and ``--set``. The schema checks the file, so any path is taken here."""
    func = click.option(
        "--set", "overrides", multiple=True, metavar="TABLE.KEY=VALUE", help=SET_HELP
    )(func)
    return click.option(
        "--config", "config_file", metavar="FILE.toml", default=None, help=CONFIG_HELP
    )(func)


def _render_options(formats: Sequence[str]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The options ``render``, ``lecture`` and ``slides`` share; ``None`` means "from the
    config". ``formats`` are the output formats the command accepts."""
    still = "; png = a still of the last frame" if "png" in formats else ""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        options = [
            click.option("--quality", type=click.Choice(QUALITIES), default=None,
                         help="preview=480p15, medium=720p30, high=1080p60, 4k=2160p60"),
            click.option("--fps", type=click.IntRange(1, 120), default=None,
                         help="frames per second (default: the quality's)"),
            click.option("--resolution", metavar="WxH", default=None,
                         help="exact pixel size, e.g. 1280x720 (overrides --aspect)"),
            click.option("--aspect", type=click.Choice(ASPECTS), default=None,
                         help="frame shape"),
            click.option("--theme", type=click.Choice(THEME_NAMES), default=None,
                         help="colour theme"),
            click.option("--voice", type=click.Choice(VOICE_ENGINES), default=None,
                         help="narration voice engine (same as --set voice.engine=...); "
                              "none = silent"),
            click.option("--format", "file_format", type=click.Choice(formats), default=None,
                         help=f"output format{still}"),
            _config_options,
            click.option("--jobs", type=click.IntRange(1, 64), default=None,
                         help="manim processes at once (default: number of CPUs); with fewer "
                              "chapters than jobs, each chapter's frames are shared among "
                              "jobs/chapters processes"),
            click.option("--output", type=click.Path(file_okay=False, path_type=Path),
                         default=Path("media"), show_default=True, help="output folder"),
            click.option("--force", is_flag=True,
                         help="render even when an up-to-date clip exists"),
            click.option("--quiet", "-q", is_flag=True, help="print only the output paths"),
            click.option("--verbose", "-v", is_flag=True, help="show manim's own logs"),
        ]  # fmt: skip
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


def _load(
    config_file: str | None,
    overrides: Sequence[str],
    theme: str | None,
    voice: str | None = None,
) -> LectureConfig:
    extra = [f"lecture.theme={theme}"] if theme else []
    if voice:
        extra.append(f"voice.engine={voice}")
    return load_config(config_file, [*overrides, *extra])


def _settings(config: LectureConfig, **options: Any) -> RenderSettings:
    """Render settings from the options, the config's ``[render]`` table filling the gaps.

    ``--beat`` and ``--at`` make a still: png unless ``--format`` says otherwise (which
    is an error).
    """
    render = config.render
    beat = options.get("beat")
    at = None if options.get("at") is None else parse_at(options["at"])
    still = beat is not None or at is not None
    return RenderSettings.from_options(
        options["quality"] or render.quality,
        aspect=options["aspect"] or render.aspect,
        fps=options["fps"] or render.fps or None,
        resolution=options["resolution"],
        format=options["file_format"] or ("png" if still else render.format),
        theme=config.lecture.theme,
        beat=beat,
        at=at,
    )


def _run_renders(
    chapters: Sequence[Chapter],
    config: LectureConfig,
    settings: RenderSettings,
    renderer: Callable[..., list[ChapterRender]] = render_chapters,
    **options: Any,
) -> list[ChapterRender]:
    """Render with a live display: chapters done, and each running chapter's frames done
    of its total with an ETA (a total marked ``~`` is an estimate until a render with
    the same key has finished once; :class:`softmax_video.cli.render.FrameProgress`)."""
    jobs = options["jobs"] or os.cpu_count() or 1
    quiet = options["quiet"]
    # A missing latex or voice, or an unwritable folder, is then the only line printed.
    preflight(options["output"])
    check_voice(config)
    if not quiet:
        what = settings.format
        if settings.beat is not None:
            what += f", end of beat {settings.beat}"
        elif settings.at is not None:
            what += f", at {settings.at:g} s"
        stderr.print(
            f"Rendering {len(chapters)} chapter(s) at {settings.width}x{settings.height} "
            f"{settings.fps} fps ({what}), {jobs} at a time",
            markup=False,
        )
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[count]}"),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
        console=stderr,
        disable=quiet,
        transient=False,
    )
    guard = threading.Lock()
    frame_tasks: dict[str, TaskID] = {}
    frames: dict[str, FrameProgress] = {}

    def chapters_done(count: int) -> str:
        return f"{count}/{len(chapters)} chapters"

    with progress:
        task = progress.add_task("rendering", total=len(chapters), count=chapters_done(0))

        def moved(state: FrameProgress) -> None:
            name = state.chapter.name
            count = f"{state.done}/{'' if state.exact else '~'}{state.total} frames"
            with guard:
                frames[name] = state
                if name not in frame_tasks:
                    frame_tasks[name] = progress.add_task(f"  {name}", total=state.total, count="")
                progress.update(
                    frame_tasks[name], completed=state.done, total=state.total, count=count
                )

        def done(result: ChapterRender) -> None:
            name = result.chapter.name
            state = "reused" if result.cached else ("done" if result.ok else "[red]FAILED")
            with guard:
                drawn = frames.get(name)
                if name in frame_tasks:
                    progress.update(frame_tasks[name], visible=False)
                if not quiet:
                    count = f", {drawn.total} frames" if drawn and drawn.exact and result.ok else ""
                    progress.console.print(
                        f"  {name}: {state} ({result.seconds:.1f} s{count})", highlight=False
                    )
                progress.advance(task)
                progress.update(task, count=chapters_done(int(progress.tasks[task].completed)))

        extra: dict[str, Any] = {}
        # Frames are counted only for a display, and only by renderers that can.
        if not quiet and "on_progress" in inspect.signature(renderer).parameters:
            extra["on_progress"] = moved
        return renderer(
            chapters, config, settings, options["output"], jobs=jobs,
            verbose=options["verbose"], force=options["force"], on_done=done, **extra,
        )  # fmt: skip


def _report(results: Sequence[ChapterRender], quiet: bool) -> int:
    for result in results:
        if result.ok:
            stdout.print(str(result.output))
    failed = [r for r in results if not r.ok]
    for result in failed:
        stderr.print(
            f"softmax-video: {result.chapter.name} failed: {result.error}; log: {result.log}",
            markup=False,
        )
    return 1 if failed else 0


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Render the softmax lecture, or any of its chapters, with Manim."""


@cli.command("list")
@click.option(
    "--beats", is_flag=True, help="also each chapter's story beats (names for --beat, [narration])"
)
@_config_options
def list_command(config_file: str | None, overrides: Sequence[str], beats: bool) -> None:
    """Every chapter in lecture order (lengths silent; a voice lengthens beats to its speech)."""
    config = load_config(config_file, overrides)
    table = Table(box=None, pad_edge=False)
    columns = ("#", "name", "title", "length", "beats" if beats else "what it shows")
    for column in columns:
        table.add_column(column, no_wrap=column not in ("what it shows", "beats"))
    for chapter in CHAPTERS:
        seconds = chapter.nominal_seconds * config.pace(chapter.name)
        params = config.chapter(chapter.name)
        last = ", ".join(params.beat_names(config.lecture)) if beats else chapter.summary
        table.add_row(str(chapter.number), chapter.name, chapter.title, f"{seconds:.0f} s", last)
    stdout.print(table)


@cli.command("config")
@_config_options
def config_command(config_file: str | None, overrides: Sequence[str]) -> None:
    """Print the complete configuration as commented TOML.

    Save it, edit it, and pass it back: softmax-video config > my.toml;
    softmax-video render --all --config my.toml
    """
    from softmax_video.core.params import dump_toml

    click.echo(dump_toml(load_config(config_file, overrides)), nl=False)


@cli.command("render")
@click.argument("names", nargs=-1)
@click.option("--all", "render_all", is_flag=True, help="every chapter")
@click.option(
    "--clips",
    is_flag=True,
    help="also one video per story beat in <output>/<profile>/clips/, "
    "named NN-Chapter-BB-beat.<ext>, listed in clips.json",
)
@click.option(
    "--thumbnail",
    is_flag=True,
    help="also NN-Chapter.poster.png beside each video: the last frame of its poster_beat",
)
@click.option(
    "--beat",
    metavar="NAME",
    default=None,
    help="a png still of the end of this beat (NN-Chapter.beat-NAME.png), drawn in "
    "seconds: the frames before are skipped, their state computed",
)
@click.option(
    "--at",
    metavar="SECONDS",
    default=None,
    help="a png still of this moment (NN-Chapter.at-SECONDSs.png), drawn the same way",
)
@click.option(
    "--burn-captions",
    is_flag=True,
    help="also a copy of each video with its captions drawn into the picture "
    "(NAME.captioned.EXT), for players that show no subtitles",
)
@_render_options(FORMATS)
def render_command(
    names: Sequence[str],
    render_all: bool,
    clips: bool,
    thumbnail: bool,
    burn_captions: bool,
    **options: Any,
) -> None:
    """Render chapters NAMES (case-insensitive) or --all."""
    if render_all == bool(names):
        raise UsageFailure("render: name one or more chapters, or pass --all (not both)")
    chapters = list(CHAPTERS) if render_all else [find_chapter(n) for n in names]
    config = _load(options["config_file"], options["overrides"], options["theme"], options["voice"])
    settings = _settings(config, **options)
    check_still(chapters, config, settings.beat)
    if (clips or thumbnail) and settings.format == "png":
        raise UsageFailure("render: --clips and --thumbnail need a video --format, not png")
    if burn_captions and settings.format in ("png", "gif"):
        raise UsageFailure("render: --burn-captions needs --format mp4, webm or mov")
    results = _run_renders(chapters, config, settings, **options)
    status = _report(results, options["quiet"])
    if burn_captions:
        for result in results:
            if result.ok and result.subtitles is not None:
                stdout.print(str(_burnt(result.output, result.subtitles)))
    if clips or thumbnail:
        from softmax_video.cli.clips import beat_outputs

        try:
            for path in beat_outputs(results, config, clips=clips, thumbnail=thumbnail):
                stdout.print(str(path))
        except OSError as error:
            stderr.print(f"softmax-video: {error}", markup=False)
            status = 1
    sys.exit(status)


@cli.command("slides")
@click.argument("names", nargs=-1)
@click.option("--all", "render_all", is_flag=True, help="every chapter")
@click.option("--pptx", is_flag=True, help="also write a PowerPoint file")
@click.option(
    "--embed/--no-embed",
    default=True,
    show_default=True,
    help="embed the videos in the HTML file, or keep them in a folder next to it",
)
@_render_options(SLIDE_FORMATS)
def slides_command(
    names: Sequence[str], render_all: bool, pptx: bool, embed: bool, **options: Any
) -> None:
    """Build a presentation of chapters NAMES or --all: one slide per story beat, which
    plays and stops at its end, the beat's narration as speaker notes. Writes
    <output>/slides/<profile>/softmax-slides.html (reveal.js, works offline) and, with
    --pptx, softmax-slides.pptx."""
    from softmax_video.cli.slides import ConversionError, build_deck, render_slide_chapters

    if render_all == bool(names):
        raise UsageFailure("slides: name one or more chapters, or pass --all (not both)")
    chapters = list(CHAPTERS) if render_all else [find_chapter(n) for n in names]
    config = _load(options["config_file"], options["overrides"], options["theme"], options["voice"])
    # Slides are always mp4 (--format offers nothing else); render.format is ignored.
    settings = _settings(config, **{**options, "file_format": "mp4"})
    results = _run_renders(chapters, config, settings, render_slide_chapters, **options)
    if any(not r.ok for r in results):
        sys.exit(_report([r for r in results if not r.ok], options["quiet"]))

    def warn(message: str) -> None:
        stderr.print(f"softmax-video: warning: {message}", markup=False)

    try:
        deck = build_deck(
            [r.output for r in results if r.output], settings, options["output"],
            pptx=pptx, embed=embed, warn=warn,
        )  # fmt: skip
    except ConversionError as error:
        stderr.print(f"softmax-video: {error}", markup=False)
        sys.exit(1)
    if not options["quiet"]:
        stderr.print(f"Slides: {deck.slides} slides from {len(results)} chapter(s)")
    for path in (deck.html, deck.pptx):
        if path is not None:
            stdout.print(str(path))


@cli.command("gallery")
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("media"),
    show_default=True,
    help="output folder of the renders",
)
@click.option(
    "--profile",
    "profiles",
    multiple=True,
    metavar="PROFILE",
    help="only this render profile, e.g. 480p15 (repeatable; default: all)",
)
@_config_options
def gallery_command(
    output: Path, profiles: Sequence[str], config_file: str | None, overrides: Sequence[str]
) -> None:
    """Write <output>/gallery/index.html: every chapter rendered on disk, with its
    thumbnail, title, duration, a player and download links (open it as a file)."""
    from softmax_video.cli.gallery import build_gallery

    config = load_config(config_file, overrides)
    stdout.print(str(build_gallery(output, profiles, config)))


@cli.command("lecture")
@click.argument("names", nargs=-1)
@click.option(
    "--burn-captions",
    is_flag=True,
    help="also a copy of each video with its captions drawn into the picture "
    "(NAME.captioned.EXT), for players that show no subtitles",
)
@_render_options(LECTURE_FORMATS)
def lecture_command(names: Sequence[str], burn_captions: bool, **options: Any) -> None:
    """Render the chapters (all, or NAMES in lecture order), reusing unchanged clips,
    and join them into one video with chapter markers, subtitles and a chapter list."""
    from softmax_video.cli.assemble import LectureClip, LectureFiles, assemble_lecture
    from softmax_video.core.files import temporary_name

    chapters = [find_chapter(n) for n in names] if names else list(CHAPTERS)
    config = _load(options["config_file"], options["overrides"], options["theme"], options["voice"])
    settings = _settings(config, **options)
    if settings.format not in LECTURE_FORMATS:  # --format offers only these: the config's
        raise ConfigError(
            "render.format", f"a lecture is a video; allowed: {', '.join(LECTURE_FORMATS)}",
            settings.format,
        )  # fmt: skip
    started = time.monotonic()
    voice_engine = check_voice(config)
    results = _run_renders(chapters, config, settings, **options)
    if any(not r.ok for r in results):
        sys.exit(_report(results, options["quiet"]))
    clips = [LectureClip(r.chapter.title, r.output, r.subtitles) for r in results]
    target = options["output"] / "lecture" / settings.profile / f"{LECTURE_NAME}.{settings.format}"
    pinned: list[Path] = []

    def report(files: LectureFiles) -> None:
        # Under the folder's lock: the paths printed are this run's lecture, and a
        # burnt-in copy is made from a link to it, whatever a concurrent run publishes.
        if not options["quiet"]:
            minutes, seconds = divmod(round(files.duration), 60)
            voice = "silent" if voice_engine == "none" else f"narrated ({voice_engine})"
            stderr.print(
                f"Lecture: {len(clips)} chapters, {minutes}:{seconds:02d} "
                f"({files.duration:.1f} s) {voice}, made in {time.monotonic() - started:.0f} s"
            )
        outputs = [files.video, files.subtitles, files.video.with_suffix(".vtt")]
        for path in [*outputs, files.video.with_suffix(".transcript.txt"), files.chapters]:
            stdout.print(str(path))
        if burn_captions:
            for source in (files.video, files.subtitles):
                link = temporary_name(source, suffix=source.suffix)
                os.link(source, link)
                pinned.append(link)

    assemble_lecture(clips, target, on_published=report)
    if burn_captions:
        video, subtitles = pinned
        try:
            burnt = _burnt(
                video, subtitles, target.with_name(f"{target.stem}.captioned{target.suffix}")
            )
        finally:
            for link in pinned:
                link.unlink(missing_ok=True)
        stdout.print(str(burnt))


def _burnt(video: Path, subtitles: Path, target: Path | None = None) -> Path:
    """``video`` with ``subtitles`` drawn into its frames, written to ``target``
    (default: beside it as NAME.captioned.EXT)."""
    from softmax_video.core.captions import cues_from_srt
    from softmax_video.engine.caption_burn import burn_captions

    cues = cues_from_srt(subtitles.read_text(encoding="utf-8"))
    target = target or video.with_name(f"{video.stem}.captioned{video.suffix}")
    return burn_captions(video, cues, target)


cli.add_command(interactive)
cli.add_command(preview)
cli.add_command(batch)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: run the CLI, turning the errors a user can act on into one line.

    Usage and configuration errors exit 2; a :class:`SoftmaxVideoError` exits with its
    own status (a failing machine: 1) and names its log on a second line when it has one.
    """
    try:
        cli.main(args=list(argv) if argv is not None else None, standalone_mode=False)
    except SoftmaxVideoError as error:
        stderr.print(f"softmax-video: error: {error}", markup=False)
        if error.log:
            stderr.print(f"softmax-video: full log: {error.log}", markup=False)
        sys.exit(error.exit_status)
    except click.UsageError as error:
        stderr.print(f"softmax-video: error: {error.format_message()}", markup=False)
        sys.exit(2)
    except click.exceptions.Abort:
        stderr.print("softmax-video: interrupted", markup=False)
        sys.exit(130)
    except click.exceptions.Exit as exit_:
        sys.exit(exit_.exit_code)


if __name__ == "__main__":
    main()
