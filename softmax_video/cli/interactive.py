"""``softmax-video interactive``: offline HTML pages to play with each chapter's graphs.

One page per chapter, ``<output>/interactive/NN-Chapter.html``, and an ``index.html``
linking them. Every page works opened as a file on a machine without a network:

- plots are drawn by plotly.js, taken from the installed ``plotly`` Python package
  (:func:`plotly.offline.get_plotlyjs`) and written once beside the pages
  (``assets/plotly.min.js``), so each page stays small;
- formulas are typeset by KaTeX from the npm package ``katex`` (``npm pack``, once per
  output folder, cached in ``<output>/.cache/katex/``) copied to ``assets/katex/``;
  without npm the formulas are shown as their TeX source and a warning says so;
- the math the pages compute in the browser (softmax, sigmoid, entropy, log-sum-exp,
  gradients, Gaussians) lives in one shared script, ``assets/softmax-math.js``, which
  follows :mod:`softmax_math` operation by operation;
- what is too heavy for the browser (the training runs of LogitPaths, the iso-surfaces
  of InputSpaceShapes) is computed here with :mod:`softmax_math` and embedded as JSON.

Each page uses the lecture's configuration (class names and colours, theme, each
chapter's logits, temperatures, ranges...), read with the same ``--config`` and
``--set`` as ``softmax-video render``. A bad configuration ends with one line and exit
status 2.

Nothing here imports manim at import time: :mod:`softmax_video.core.params` (which imports the
theme, which imports manim) is imported inside the functions that need it.
"""

from __future__ import annotations

import dataclasses
import html
import json
import math
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import numpy as np

if TYPE_CHECKING:
    from softmax_video.core.chapters import Chapter
    from softmax_video.core.params import LectureConfig

__all__ = [
    "INTERACTIVE_DIR",
    "PAGE_KINDS",
    "interactive",
    "katex_assets",
    "page_name",
    "write_pages",
]

#: Folder of ``<output>`` that holds the pages.
INTERACTIVE_DIR = "interactive"
#: Folder beside the pages holding the shared scripts and styles.
ASSETS_DIR = "assets"
ASSET_SOURCE = Path(__file__).with_name("interactive_assets")
#: The shared files copied beside the pages as they are.
SHARED_ASSETS = ("softmax-math.js", "pages.js", "style.css")
KATEX_VERSION = "0.19.1"
#: Pages are meant to stay well below this size (the tests check it).
PAGE_SIZE_LIMIT = 10 * 2**20

#: The page type of each chapter (the widget ``pages.js`` builds for it).
PAGE_KINDS: dict[str, str] = {
    "SigmoidRecap": "sigmoid",
    "SoftmaxBars": "bars",
    "ShiftInvariance": "bars",
    "Temperature": "bars",
    "SigmoidToSoftmax": "sigmoid2",
    "TwoClassSurfaces": "twoclass",
    "TwoClassDerivatives": "twoclass",
    "ThreeClassSurfaces": "threeclass",
    "ThreeClassGradients": "gradients3",
    "LogitPaths": "paths",
    "GaussiansTwoClass": "gauss2",
    "GaussiansThreeClass": "gauss3",
    "InputSpaceShapes": "shapes",
}

#: Heading and one line of instructions per chapter page.
PAGE_TEXT: dict[str, tuple[str, str]] = {
    "SigmoidRecap": (
        "The sigmoid",
        "Move x: the sigmoid squashes it into (0, 1), the probability of the first class.",
    ),
    "SoftmaxBars": (
        "Logits → exponentials → probabilities",
        "Drag the logits. The probabilities are the exponential bars scaled down so that "
        "their heights add up to 1.",
    ),
    "ShiftInvariance": (
        "Adding a constant changes nothing",
        "Add c to every logit (or a huge constant): the probabilities stay exactly the same.",
    ),
    "Temperature": (
        "Temperature",
        "Lower T towards 0.01: a predictable spike on the largest logit. Raise it: "
        "less predictable, nearly uniform. The entropy measures it.",
    ),
    "SigmoidToSoftmax": (
        "The sigmoid is the 2-class softmax",
        "softmax(z₁, z₂)₁ and σ(z₁ − z₂) are the same curve, wherever z₂ is.",
    ),
    "TwoClassSurfaces": (
        "Two classes over the logit plane",
        "Rotate the surfaces. Slide the dot along (1, 1): nothing changes.",
    ),
    "TwoClassDerivatives": (
        "Loss and derivatives, two classes",
        "The loss −log p and its descent arrows, all along (1, −1) or (−1, 1).",
    ),
    "ThreeClassSurfaces": (
        "Three classes over the sum-zero plane",
        "Each class owns a region; the regions meet on three rays at the centre, where "
        "every probability is 1/3.",
    ),
    "ThreeClassGradients": (
        "Descent field, three classes",
        "Pick the target class, click the plane to place a point and follow gradient descent.",
    ),
    "LogitPaths": (
        "Logits while a network trains",
        "Replay the training run step by step: SGD on the left, Adam on the right.",
    ),
    "GaussiansTwoClass": (
        "Two Gaussians give a sigmoid",
        "Move the means, the spread and the prior: the posterior is always the sigmoid of "
        "a linear logit.",
    ),
    "GaussiansThreeClass": (
        "Three Gaussians give a softmax",
        "The densities normalised point by point are exactly the softmax of linear logits.",
    ),
    "InputSpaceShapes": (
        "4 and 5 classes",
        "Left: where each of 4 classes has probability above a level. Right: 3D slices "
        "of the 5-class picture; move the fourth coordinate.",
    ),
}

#: Slice positions precomputed for the 5-class slider.
SLICE_POSITIONS = 13


# --------------------------------------------------------------------------- #
# Data for each page
# --------------------------------------------------------------------------- #


def _finite_list(values: Any, digits: int | None = None) -> Any:
    """Nested lists of numbers with NaN/inf as ``None`` (valid JSON), optionally rounded."""
    array = np.asarray(values, dtype=np.float64)
    if digits is not None:
        array = np.round(array, digits)
    out = array.astype(object)
    out[~np.isfinite(array)] = None
    return out.tolist()


def _json_number(value: float) -> float | str:
    """A float for JSON: ``-inf``/``inf`` as the strings the page turns back into numbers."""
    if math.isinf(value):
        return "-Infinity" if value < 0 else "Infinity"
    return value


def _table(params: Any) -> dict[str, Any]:
    table = {}
    for f in dataclasses.fields(params):
        value = getattr(params, f.name)
        if isinstance(value, tuple):
            value = [_json_number(v) if isinstance(v, float) else v for v in value]
        elif isinstance(value, float):
            value = _json_number(value)
        table[f.name] = value
    return table


def _capped_mesh(surface: Any, radius: float) -> np.ndarray:
    """Iso-surface points cut by the ball ``|x| <= radius`` (each ray ends on the surface
    or on the sphere, whichever comes first), so that every body is closed."""
    center = np.asarray(surface.center, dtype=np.float64)
    directions = np.asarray(surface.directions, dtype=np.float64)
    if np.linalg.norm(center) >= radius:
        return np.full(directions.shape, np.nan)
    cd = directions @ center
    to_sphere = -cd + np.sqrt(cd**2 - center @ center + radius**2)
    to_surface = np.where(surface.valid, surface.radius, np.inf)
    return center + np.minimum(to_sphere, to_surface)[..., None] * directions


def _shapes_data(params: Any) -> dict[str, Any]:
    from softmax_math import iso_probability_slices, iso_probability_surface

    n_theta, n_phi = params.resolution, 2 * params.resolution
    radius = params.extent
    four = []
    for level in params.levels:
        bodies = [
            _capped_mesh(
                iso_probability_surface(k, level, n_theta, n_phi, max_radius=radius + 1.0),
                radius,
            )
            for k in range(4)
        ]
        four.append({"level": level, "bodies": [_finite_list(b, 4) for b in bodies]})
    positions = np.linspace(*params.slice_range, SLICE_POSITIONS)
    slices = []
    for value in positions:
        surfaces = iso_probability_slices(
            params.slice_level, float(value), n_theta, n_phi, max_radius=radius + 1.0
        )
        slices.append(
            {
                "value": round(float(value), 6),
                "bodies": [
                    None if s is None else _finite_list(_capped_mesh(s, radius), 4)
                    for s in surfaces
                ],
            }
        )
    return {"n_theta": n_theta, "n_phi": n_phi, "radius": radius, "four": four, "five": slices}


def _paths_data(params: Any) -> dict[str, Any]:
    from softmax_math import train_optimizers

    _, labels, results = train_optimizers(
        ("sgd", "adam"),  # side by side, whatever order the video shows
        learning_rates={"sgd": params.sgd_learning_rate, "adam": params.adam_learning_rate},
        steps=params.steps,
        hidden=params.hidden,
        points_per_class=params.points_per_class,
        seed=params.seed,
    )
    runs = []
    for name, result in results.items():
        frames = result.subsample(params.frames)
        runs.append(
            {
                "name": name,
                "label": "SGD" if name == "sgd" else "Adam",
                "learning_rate": result.learning_rate,
                "steps": frames.tolist(),
                "logits": _finite_list(result.logits[frames], 5),
                "loss": _finite_list(result.losses[frames], 6),
                "accuracy": _finite_list(result.accuracy[frames], 6),
            }
        )
    return {"labels": labels.tolist(), "runs": runs}


#: Data computed in Python for the page types that need it.
PRECOMPUTED: dict[str, Callable[[Any], dict[str, Any]]] = {
    "paths": _paths_data,
    "shapes": _shapes_data,
}


def page_name(chapter: Chapter) -> str:
    """File name of a chapter's page, e.g. ``02-SoftmaxBars.html`` (as the renders)."""
    return f"{chapter.number:02d}-{chapter.name}.html"


def page_data(config: LectureConfig, chapter: Chapter) -> dict[str, Any]:
    """Everything a chapter's page needs, as JSON-ready data."""
    from softmax_video.kit.theme import build_theme

    theme = build_theme(config.lecture.theme, config.lecture.class_colors, config.lecture.palette)
    params = config.chapter(chapter.name)
    kind = PAGE_KINDS[chapter.name]
    heading, hint = PAGE_TEXT.get(chapter.name, (chapter.title, chapter.summary))
    return {
        "kind": kind,
        "chapter": {
            "name": chapter.name,
            "number": chapter.number,
            "title": chapter.title,
            "summary": chapter.summary,
        },
        "heading": heading,
        "hint": hint,
        "theme": {
            "name": theme.name,
            **theme.roles,
            "surface_opacity": theme.surface_opacity,
        },
        "classes": [
            {"name": name, "color": color}
            for name, color in zip(config.lecture.class_names, theme.class_colors, strict=True)
        ],
        "params": _table(params),
        "data": PRECOMPUTED[kind](params) if kind in PRECOMPUTED else {},
    }


# --------------------------------------------------------------------------- #
# Assets
# --------------------------------------------------------------------------- #


def katex_assets(cache_home: Path) -> Path | None:
    """KaTeX's ``dist`` files (script, style, woff2 fonts) from the npm package.

    Fetched with ``npm pack`` into ``cache_home/katex-<version>/`` unless already there;
    returns that folder, or ``None`` without npm or when the fetch fails.
    """
    folder = cache_home / f"katex-{KATEX_VERSION}"
    if (folder / "katex.min.js").is_file() and (folder / "katex.min.css").is_file():
        return folder
    npm = shutil.which("npm")
    if npm is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        try:
            packed = subprocess.run(
                [npm, "pack", f"katex@{KATEX_VERSION}", "--pack-destination", tmp, "--silent"],
                capture_output=True,
                text=True,
                timeout=300,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        archives = sorted(Path(tmp).glob("katex-*.tgz"))
        if packed.returncode != 0 or not archives:
            return None
        staging = Path(tmp) / "katex"
        (staging / "fonts").mkdir(parents=True)
        with tarfile.open(archives[0]) as archive:
            for member in archive.getmembers():
                name = member.name
                if name in ("package/dist/katex.min.js", "package/dist/katex.min.css") or (
                    name.startswith("package/dist/fonts/") and name.endswith(".woff2")
                ):
                    source = archive.extractfile(member)
                    if source is None:
                        return None
                    target = staging / Path(name).relative_to("package/dist")
                    target.write_bytes(source.read())
        folder.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(staging, folder)
    return folder


def _write_if_changed(target: Path, content: bytes) -> None:
    if target.is_file() and target.stat().st_size == len(content):
        if target.read_bytes() == content:
            return
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_bytes(content)
    os.replace(temporary, target)


def _write_assets(page_dir: Path, katex: Path | None) -> None:
    from plotly.offline import get_plotlyjs

    assets = page_dir / ASSETS_DIR
    assets.mkdir(parents=True, exist_ok=True)
    _write_if_changed(assets / "plotly.min.js", get_plotlyjs().encode("utf-8"))
    for name in SHARED_ASSETS:
        _write_if_changed(assets / name, (ASSET_SOURCE / name).read_bytes())
    if katex is not None:
        target = assets / "katex"
        for source in sorted(katex.rglob("*")):
            if source.is_file():
                destination = target / source.relative_to(katex)
                destination.parent.mkdir(parents=True, exist_ok=True)
                _write_if_changed(destination, source.read_bytes())


# --------------------------------------------------------------------------- #
# Pages
# --------------------------------------------------------------------------- #


def _css_variables(theme: dict[str, Any]) -> str:
    return "".join(f"--{key}: {theme[key]};" for key in ("background", "text", "muted", "accent"))


def _script_json(data: Any) -> str:
    """JSON safe inside a ``<script type="application/json">`` element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def _fill(template: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        template = template.replace("{{" + key + "}}", value)
    return template


def _katex_tags(katex: bool) -> tuple[str, str]:
    if not katex:
        return "", ""
    return (
        f'<link rel="stylesheet" href="{ASSETS_DIR}/katex/katex.min.css">',
        f'<script src="{ASSETS_DIR}/katex/katex.min.js"></script>',
    )


def render_page(data: dict[str, Any], katex: bool) -> str:
    """The HTML of one chapter page."""
    chapter = data["chapter"]
    css, script = _katex_tags(katex)
    return _fill(
        (ASSET_SOURCE / "page.html").read_text(encoding="utf-8"),
        {
            "title": html.escape(f"{chapter['number']}. {chapter['title']}: interactive"),
            "theme": html.escape(data["theme"]["name"]),
            "css_vars": html.escape(_css_variables(data["theme"]), quote=False),
            "katex_css": css,
            "katex_js": script,
            "number": str(chapter["number"]),
            "chapter_title": html.escape(chapter["title"]),
            "chapter_name": html.escape(chapter["name"]),
            "heading": html.escape(data["heading"]),
            "hint": html.escape(data["hint"]),
            "summary": html.escape(chapter["summary"]),
            "data": _script_json(data),
        },
    )


def render_index(config: LectureConfig, chapters: Sequence[Chapter]) -> str:
    """The HTML of ``index.html``: one link per page, in lecture order."""
    from softmax_video.kit.theme import build_theme

    theme = build_theme(config.lecture.theme, config.lecture.class_colors, config.lecture.palette)
    items = "".join(
        f'<li><a href="{html.escape(page_name(c))}">{c.number}. {html.escape(c.title)}</a>'
        f' <span class="muted">({html.escape(c.name)})</span><br>'
        f'<span class="muted">{html.escape(PAGE_TEXT.get(c.name, ("", c.summary))[1])}</span></li>'
        for c in chapters
    )
    return _fill(
        (ASSET_SOURCE / "index.html").read_text(encoding="utf-8"),
        {
            "theme": html.escape(theme.name),
            "css_vars": html.escape(_css_variables(theme.roles), quote=False),
            "count": str(len(chapters)),
            "items": items,
        },
    )


def write_pages(
    config: LectureConfig,
    chapters: Iterable[Chapter | str],
    output_dir: str | os.PathLike[str],
    *,
    warn: Callable[[str], None] | None = None,
) -> list[Path]:
    """Write the pages of ``chapters`` and ``index.html`` into ``<output_dir>/interactive/``.

    Parameters
    ----------
    config
        The validated configuration (:func:`softmax_video.core.params.load_config`).
    chapters
        Chapters (or their names, any capitalisation), written in lecture order.
    output_dir
        The output folder of the renders (``media`` by default on the command line).
    warn
        Called with a one-line warning, e.g. when KaTeX could not be fetched.

    Returns
    -------
    list of pathlib.Path
        The chapter pages in lecture order, then ``index.html``.

    Raises
    ------
    softmax_video.core.params.ConfigError
        For an unknown chapter name.
    """
    from softmax_video.core.chapters import CHAPTERS, find_chapter

    wanted = {(find_chapter(c) if isinstance(c, str) else c).name for c in chapters}
    selected = [c for c in CHAPTERS if c.name in wanted and c.name in PAGE_KINDS]
    output_dir = Path(output_dir)
    page_dir = output_dir / INTERACTIVE_DIR
    page_dir.mkdir(parents=True, exist_ok=True)
    katex = katex_assets(output_dir / ".cache" / "katex")
    if katex is None and warn is not None:
        warn("KaTeX could not be fetched with npm; formulas are shown as TeX source")
    _write_assets(page_dir, katex)
    written = []
    for chapter in selected:
        target = page_dir / page_name(chapter)
        text = render_page(page_data(config, chapter), katex is not None)
        _write_if_changed(target, text.encode("utf-8"))
        written.append(target)
    index = page_dir / "index.html"
    _write_if_changed(index, render_index(config, selected).encode("utf-8"))
    written.append(index)
    return written


# --------------------------------------------------------------------------- #
# Command
# --------------------------------------------------------------------------- #


def _size(nbytes: int) -> str:
    return f"{nbytes / 1024:.0f} KB" if nbytes < 2**20 else f"{nbytes / 2**20:.1f} MB"


@click.command("interactive", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("names", nargs=-1)
@click.option("--all", "all_chapters", is_flag=True, help="every chapter")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="TOML file (see `softmax-video config`)",
)
@click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="CHAPTER.KEY=VALUE",
    help="override one setting (repeatable)",
)
@click.option("--theme", default=None, help="colour theme (dark or light)")
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("media"),
    show_default=True,
    help="output folder; pages go to <output>/interactive/",
)
@click.option("--quiet", "-q", is_flag=True, help="print only the page paths")
def interactive(
    names: Sequence[str],
    all_chapters: bool,
    config_file: str | None,
    overrides: Sequence[str],
    theme: str | None,
    output: Path,
    quiet: bool,
) -> None:
    """Write self-contained HTML pages to play with the graphs of the chapters (NAMES,
    or --all) into <output>/interactive/, with an index.html; open them as files."""
    from softmax_video.core.chapters import CHAPTERS, find_chapter
    from softmax_video.core.params import ConfigError, load_config

    started = time.monotonic()
    try:
        if names and all_chapters:
            raise ConfigError("--all", "name chapters or pass --all, not both")
        if not names and not all_chapters:
            raise ConfigError("chapters", "name one or more chapters, or pass --all")
        chapters = list(CHAPTERS) if all_chapters else [find_chapter(n) for n in names]
        extra = [f"lecture.theme={json.dumps(theme)}"] if theme is not None else []
        config = load_config(config_file, [*overrides, *extra])
    except ConfigError as error:
        # SystemExit, not ctx.exit: a group run with standalone_mode=False (cli.main.main)
        # returns ctx.exit's status instead of exiting with it.
        click.echo(f"softmax-video: error: {error}", err=True)
        sys.exit(2)

    def warn(message: str) -> None:
        click.echo(f"softmax-video: warning: {message}", err=True)

    try:
        pages = write_pages(config, chapters, output, warn=warn)
    except OSError as error:
        click.echo(f"softmax-video: error: cannot write the pages: {error}", err=True)
        sys.exit(1)
    for page in pages:
        click.echo(str(page))
    if not quiet:
        sizes = [p.stat().st_size for p in pages]
        plotly_js = pages[0].parent / ASSETS_DIR / "plotly.min.js"
        click.echo(
            f"{len(pages) - 1} page(s) and an index, {_size(sum(sizes))} in all "
            f"(largest {_size(max(sizes))}) + shared {_size(plotly_js.stat().st_size)} "
            f"plotly.min.js, in {time.monotonic() - started:.1f} s",
            err=True,
        )


if __name__ == "__main__":  # pragma: no cover
    interactive(sys.argv[1:])
