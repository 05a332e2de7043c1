"""Render chapters with manim in isolated, parallel processes and publish them atomically.

Each chapter renders in its own ``python -m manim`` process with its own media
folder under ``<output>/.cache/<profile>/<Chapter>/`` (partial movies, LaTeX and
manim's cache are never shared between processes, and persist between runs).
A finished render is copied to ``<output>/<profile>/NN-Chapter.<ext>`` through a
temporary name and ``os.replace``, so an interrupted or failed render never
leaves a truncated file there and never destroys the previous good one.

A clip is reused without starting manim when its *render key* (a hash of the
project's code, the chapter's resolved parameters and the render settings)
matches the one stored beside it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scenes.assemble import _write_atomic
from scenes.chapters import Chapter
from scenes.params import CONFIG_ENV_VAR, ChapterParams, ConfigError, LectureConfig, dump_toml
from scenes.shares import SHARE_ENV_VAR, Share

__all__ = [
    "ChapterRender",
    "RenderSettings",
    "render_chapters",
]

PROJECT_ROOT = Path(__file__).resolve().parents[1]

#: (width, height, fps) of each quality at 16:9.
QUALITY_PRESETS: dict[str, tuple[int, int, int]] = {
    "preview": (854, 480, 15),
    "medium": (1280, 720, 30),
    "high": (1920, 1080, 60),
    "4k": (3840, 2160, 60),
}

#: libx264 options: ``veryfast`` and no sliced threads took 10-45% off
#: encode-bound renders at similar quality (benchmarks/RESULTS.md).
H264_OPTIONS: tuple[str, ...] = ("preset=veryfast", "x264-params=sliced-threads=0")

VIDEO_FORMATS = ("mp4", "webm", "gif", "mov")


@dataclass(frozen=True)
class RenderSettings:
    """How to render: pixel size, frame rate and file format.

    Examples
    --------
    >>> RenderSettings.from_options("preview", aspect="9:16").size
    (480, 854)
    >>> RenderSettings.from_options("high").profile
    '1080p60'
    >>> RenderSettings.from_options("preview", resolution="640x360", fps=24).profile
    '360p24'
    >>> RenderSettings.from_options("preview", resolution="640x480", fps=24).profile
    '640x480p24'
    """

    width: int
    height: int
    fps: int
    format: str = "mp4"
    theme: str = "dark"
    #: libx264 options of mp4 and mov renders (tests add ``crf=0``: lossless).
    encoder_options: tuple[str, ...] = H264_OPTIONS

    @classmethod
    def from_options(
        cls,
        quality: str = "preview",
        *,
        aspect: str = "16:9",
        fps: int | None = None,
        resolution: str | None = None,
        format: str = "mp4",
        theme: str = "dark",
    ) -> RenderSettings:
        width, height, preset_fps = QUALITY_PRESETS[quality]
        if resolution:
            width, height = _parse_resolution(resolution)
        elif aspect == "9:16":
            width, height = height, width
        elif aspect == "1:1":
            width = height
        return cls(width, height, fps or preset_fps, format, theme)

    @property
    def size(self) -> tuple[int, int]:
        return (self.width, self.height)

    @property
    def profile(self) -> str:
        """Folder name of this render's outputs, e.g. ``480p15`` or ``480x854p15-light``."""
        # 854x480 counts as 16:9 (manim's own 480p size).
        standard = abs(self.width * 9 - self.height * 16) <= 0.01 * self.height * 16
        base = f"{self.height}p{self.fps}" if standard else f"{self.width}x{self.height}p{self.fps}"
        return base if self.theme == "dark" else f"{base}-{self.theme}"

    @property
    def extension(self) -> str:
        return self.format

    def manim_args(self) -> list[str]:
        # The render key (``render_key``) decides reuse for whole chapters; manim's own
        # per-animation cache would only add its hashing, about a quarter of a 2D render.
        args = ["-r", f"{self.width},{self.height}", "--fps", str(self.fps), "--disable_caching"]
        if self.format == "png":
            return [*args, "-s"]
        args += ["--format", self.format, "--save_sections"]
        if self.format in ("mp4", "mov"):
            for option in self.encoder_options:
                args += ["--encoder-option", option]
        return args


def _parse_resolution(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().replace(",", "x").split("x"))
    except ValueError:
        raise ConfigError("--resolution", "expected WIDTHxHEIGHT, e.g. 1280x720", text) from None
    if not (16 <= width <= 7680 and 16 <= height <= 4320) or width % 2 or height % 2:
        raise ConfigError("--resolution", "expected even sizes from 16x16 to 7680x4320", text)
    return width, height


@dataclass(frozen=True)
class ChapterRender:
    """Outcome of one chapter's render."""

    chapter: Chapter
    output: Path | None
    cached: bool
    seconds: float
    error: str | None = None
    log: Path | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def subtitles(self) -> Path | None:
        return self.output.with_suffix(".srt") if self.output else None

    @property
    def sections_dir(self) -> Path | None:
        return self.output.parent / "sections" / self.chapter.name if self.output else None


def _module_file(chapter: Chapter) -> Path:
    spec = importlib.util.find_spec(chapter.module)
    if spec is None or spec.origin is None:
        raise FileNotFoundError(f"module {chapter.module} of chapter {chapter.name} is missing")
    return Path(spec.origin)


#: Modules that only handle finished files; editing them changes no frame.
FRONT_END_MODULES = frozenset({"cli.py", "assemble.py", "clips.py", "gallery.py"})


def code_fingerprint() -> str:
    """Hash of the Python files that shape frames (scenes/, softmax_math/) and manim's version."""
    import manim

    digest = hashlib.sha256(manim.__version__.encode())
    for package in ("scenes", "softmax_math"):
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            if package == "scenes" and path.name in FRONT_END_MODULES:
                continue
            digest.update(str(path.relative_to(PROJECT_ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def render_key(chapter: Chapter, config: LectureConfig, settings: RenderSettings, code: str) -> str:
    """Identity of a render: same key, same frames."""
    payload = {
        "code": code,
        "chapter": chapter.name,
        "lecture": config.as_dict()["lecture"],
        "params": frame_params(config.chapter(chapter.name)),
        "settings": settings.__dict__,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def frame_params(params: ChapterParams) -> dict[str, Any]:
    """The chapter parameters that change frames (``poster_beat`` only picks a thumbnail)."""
    return {
        f.name: getattr(params, f.name)
        for f in dataclasses.fields(params)
        if f.metadata.get("frames", True)
    }


def key_file(target: Path) -> Path:
    """The render key stored beside ``target`` (one per output file, so mp4 and png keep theirs)."""
    return target.with_name(f"{target.name}.key")


def output_path(output_dir: Path, chapter: Chapter, settings: RenderSettings) -> Path:
    """Where chapter ``chapter``'s file lands, e.g. ``media/480p15/02-SoftmaxBars.mp4``."""
    name = f"{chapter.number:02d}-{chapter.name}.{settings.extension}"
    return output_dir / settings.profile / name


def _atomic_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(source, temporary)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _find_manim_output(staging: Path, chapter: Chapter, settings: RenderSettings) -> Path:
    if settings.format == "png":
        candidates = sorted((staging / "images").rglob(f"{chapter.name}*.png"))
    else:
        # Manim names a gif after its version too (``Chapter_ManimCE_v0.22.0.gif``).
        stem = f"{chapter.name}*" if settings.format == "gif" else chapter.name
        candidates = [
            p
            for p in (staging / "videos").rglob(f"{stem}.{settings.extension}")
            if "partial_movie_files" not in p.parts and "sections" not in p.parts
        ]
    if not candidates:
        raise FileNotFoundError(f"manim wrote no {settings.extension} file for {chapter.name}")
    return max(candidates, key=lambda p: p.stat().st_mtime)


def _publish(produced: Path, target: Path, chapter: Chapter, key: str) -> None:
    """Copy a finished render and its subtitles/sections next to ``target``, atomically each."""
    srt = produced.with_suffix(".srt")
    if srt.exists():
        _atomic_copy(srt, target.with_suffix(".srt"))
    else:
        target.with_suffix(".srt").unlink(missing_ok=True)
    sections = produced.parent / "sections"
    index = sections / f"{chapter.name}.json"
    if index.exists():
        destination = target.parent / "sections" / chapter.name
        for entry in json.loads(index.read_text()):
            _atomic_copy(sections / entry["video"], destination / entry["video"])
        _atomic_copy(index, destination / index.name)
    _atomic_copy(produced, target)
    # The key goes last: a target without a matching key is never reused.
    _write_atomic(key_file(target), key)


def tex_store(output_dir: Path) -> Path:
    """Compiled LaTeX shared by every chapter, quality and format rendered into ``output_dir``."""
    return output_dir / ".cache" / "tex"


def _share_tex(source: Path, target: Path) -> None:
    """Copy the SVG files of compiled LaTeX from ``source`` that ``target`` lacks.

    Each file lands under a temporary name and is renamed into place, so a process
    reading ``target`` never sees half an SVG.
    """
    if not source.is_dir():
        return
    target.mkdir(parents=True, exist_ok=True)
    for svg in source.glob("*.svg"):
        destination = target / svg.name
        if not destination.exists():
            _atomic_copy(svg, destination)


def run_manim(
    program: str,
    module_file: Path,
    scene: str,
    staging: Path,
    config: LectureConfig,
    settings: RenderSettings,
    *,
    verbose: bool = False,
    shared_tex: Path | None = None,
    shares: int = 1,
) -> tuple[int, Path]:
    """Run ``python -m <program> render`` for ``scene`` in its own media folder ``staging``.

    The configuration reaches the scene through a TOML file and ``$SOFTMAX_VIDEO_CONFIG``;
    manim's output goes to ``staging/render.log``. Returns (exit status, log path).

    With ``shared_tex``, LaTeX another render already compiled is copied into
    ``staging/Tex`` first (manim skips any expression whose SVG exists; a LaTeX
    run costs about 0.25 s and a chapter has 20-40 of them), and what this render
    compiled is added to ``shared_tex`` afterwards. Each process still writes only
    its own folder, so parallel renders never race on a half-written file.

    With ``shares`` above 1, that many processes render the scene together, each
    drawing a share of its plays (:mod:`scenes.shares`); share ``k > 0`` works in
    ``staging/share-k``, and share 0 joins the result in ``staging``. If one fails,
    the others are stopped and its status and log are returned.
    """
    config_file = staging / "config.toml"
    config_file.write_text(dump_toml(config, comments=False), encoding="utf-8")
    folder = staging / "shares"
    shutil.rmtree(folder, ignore_errors=True)  # lists of an earlier render
    processes: list[tuple[subprocess.Popen[bytes], Path, Path]] = []
    try:
        for index in range(shares):
            media = staging if index == 0 else staging / f"share-{index}"
            media.mkdir(parents=True, exist_ok=True)
            if shared_tex is not None:
                _share_tex(shared_tex, media / "Tex")
            env = dict(os.environ, **{CONFIG_ENV_VAR: str(config_file)})
            if shares > 1:
                env[SHARE_ENV_VAR] = str(Share(index, shares, folder))
            log = media / "render.log"
            command = [
                sys.executable, "-m", program, "render", str(module_file), scene,
                "--media_dir", str(media),
                "--progress_bar", "none",
                "-v", "INFO" if verbose else "WARNING",
                *settings.manim_args(),
            ]  # fmt: skip
            with log.open("w", encoding="utf-8") as log_stream:
                process = subprocess.Popen(
                    command, cwd=PROJECT_ROOT, env=env, stdout=log_stream, stderr=subprocess.STDOUT
                )
            processes.append((process, media, log))
        status, log = _wait_all(processes)
    finally:
        for process, _, _ in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
    if verbose:
        for _, _, share_log in processes:
            sys.stderr.write(share_log.read_text(encoding="utf-8", errors="replace"))
    if shared_tex is not None:
        for _, media, _ in processes:
            _share_tex(media / "Tex", shared_tex)
    return status, log


def _wait_all(processes: Sequence[tuple[subprocess.Popen[bytes], Path, Path]]) -> tuple[int, Path]:
    """Wait for every process; the first failure (status, log) ends the wait, else share 0's."""
    running = list(processes)
    while running:
        for entry in list(running):
            process, _, log = entry
            status = process.poll()
            if status is None:
                continue
            if status != 0:
                return status, log
            running.remove(entry)
        if running:
            time.sleep(0.05)
    return 0, processes[0][2]


def render_one(
    chapter: Chapter,
    config: LectureConfig,
    settings: RenderSettings,
    output_dir: Path,
    code: str,
    *,
    verbose: bool = False,
    force: bool = False,
    shares: int = 1,
) -> ChapterRender:
    """Render one chapter (or reuse its clip) and publish it; never raises for a failed render.

    ``shares`` processes render a video together (:mod:`scenes.shares`; a still
    image is one frame, drawn by one process).
    """
    started = time.monotonic()
    target = output_path(output_dir, chapter, settings)
    key = render_key(chapter, config, settings, code)
    stored = key_file(target)
    if not force and target.exists() and stored.exists() and stored.read_text() == key:
        return ChapterRender(chapter, target, True, time.monotonic() - started)

    staging = output_dir / ".cache" / settings.profile / chapter.name
    staging.mkdir(parents=True, exist_ok=True)
    status, log = run_manim(
        "manim", _module_file(chapter), chapter.name, staging, config, settings,
        verbose=verbose, shared_tex=tex_store(output_dir),
        shares=1 if settings.format == "png" else shares,
    )  # fmt: skip
    if status != 0:
        return ChapterRender(
            chapter, None, False, time.monotonic() - started,
            error=f"manim exited with status {status}", log=log,
        )  # fmt: skip
    try:
        _publish(_find_manim_output(staging, chapter, settings), target, chapter, key)
    except (OSError, ValueError) as error:
        return ChapterRender(chapter, None, False, time.monotonic() - started, str(error), log)
    return ChapterRender(chapter, target, False, time.monotonic() - started, log=log)


def unique_chapters(chapters: Iterable[Chapter]) -> list[Chapter]:
    """``chapters`` in lecture order, each once (a scene asked for twice renders once)."""
    from scenes.chapters import CHAPTERS

    wanted = set(chapters)
    return [c for c in CHAPTERS if c in wanted]


def render_chapters(
    chapters: Sequence[Chapter],
    config: LectureConfig,
    settings: RenderSettings,
    output_dir: Path,
    *,
    jobs: int = 1,
    verbose: bool = False,
    force: bool = False,
    on_done: Callable[[ChapterRender], None] | None = None,
    render_chapter: Callable[..., ChapterRender] | None = None,
) -> list[ChapterRender]:
    """Render ``chapters`` with up to ``jobs`` manim processes; results in lecture order.

    A failing chapter does not stop the others; its result carries the error and log.
    ``render_chapter`` renders one chapter (default :func:`render_one`; the slides
    use their own) with :func:`render_one`'s signature. With fewer chapters than
    jobs, :func:`render_one` splits each chapter's plays between
    ``jobs // len(chapters)`` processes (:mod:`scenes.shares`), so that one
    chapter uses every core too.
    """
    ordered = unique_chapters(chapters)
    code = code_fingerprint()
    options: dict[str, Any] = {"verbose": verbose, "force": force}
    if render_chapter is None:
        render_chapter = render_one
        options["shares"] = max(1, jobs // max(1, len(ordered)))

    def work(chapter: Chapter) -> ChapterRender:
        result = render_chapter(chapter, config, settings, output_dir, code, **options)
        if on_done is not None:
            on_done(result)
        return result

    # Longest chapters first keeps both workers busy to the end.
    by_length = sorted(ordered, key=lambda c: -c.nominal_seconds)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = {r.chapter.name: r for r in pool.map(work, by_length)}
    return [results[c.name] for c in ordered]
