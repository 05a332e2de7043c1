"""A static HTML page of every chapter rendered on disk: ``<output>/gallery/index.html``.

The page is built only from files: each render profile folder
(``<output>/<profile>/NN-Chapter.<ext>``) gives one card per chapter with its
thumbnail (written next to the video when missing or older than it), title,
duration, a playable ``<video>`` and download links (video, subtitles, beat
clips). Joined lectures (``<output>/lecture/<profile>/``) and slide decks
(``<output>/slides/<profile>/``) of the same profile are linked too. Every link
is relative, so the page works opened as a file, with no server; every text is
escaped.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from softmax_video.cli.assemble import clip_duration
from softmax_video.cli.clips import CLIPS_DIR, INDEX_NAME, thumbnail_path, write_thumbnail
from softmax_video.core.chapters import CHAPTERS, Chapter
from softmax_video.core.files import write_atomic
from softmax_video.core.params import ConfigError, LectureConfig

__all__ = ["GALLERY_DIR", "ChapterVideo", "ProfileRenders", "build_gallery", "find_renders"]

GALLERY_DIR = "gallery"
#: Video types in order of preference for the player; all get a download link.
VIDEO_TYPES = {"mp4": "video/mp4", "webm": "video/webm", "mov": "video/quicktime", "gif": ""}
#: Folders of an output directory that are not render profiles.
NOT_PROFILES = {GALLERY_DIR, "slides", "lecture"}
_CHAPTER_FILE = re.compile(r"(\d{2})-([A-Za-z0-9]+)\.(" + "|".join(VIDEO_TYPES) + ")")


@dataclass
class ChapterVideo:
    """A chapter rendered in one profile, possibly in several file types."""

    chapter: Chapter
    videos: list[Path] = field(default_factory=list)

    @property
    def main(self) -> Path:
        """The file the player and thumbnail use (mp4 before webm, mov and gif)."""
        order = list(VIDEO_TYPES)
        return min(self.videos, key=lambda p: order.index(p.suffix[1:]))


@dataclass
class ProfileRenders:
    """What one render profile folder holds."""

    name: str
    folder: Path
    chapters: list[ChapterVideo]
    lectures: list[Path]
    slides: list[Path]
    clips: list[dict]


def find_renders(output_dir: Path, profiles: Sequence[str] = ()) -> list[ProfileRenders]:
    """Every profile under ``output_dir`` holding at least one chapter video.

    Raises
    ------
    softmax_video.core.params.ConfigError
        When a profile in ``profiles`` has no renders, or nothing is rendered at all.
    """
    by_name = {c.name: c for c in CHAPTERS}
    found: list[ProfileRenders] = []
    folders = sorted(p for p in output_dir.iterdir() if p.is_dir()) if output_dir.is_dir() else []
    for folder in folders:
        if folder.name.startswith(".") or folder.name in NOT_PROFILES:
            continue
        chapters: dict[str, ChapterVideo] = {}
        for path in sorted(folder.iterdir()):
            match = _CHAPTER_FILE.fullmatch(path.name)
            if not match or not path.is_file() or match.group(2) not in by_name:
                continue
            chapter = by_name[match.group(2)]
            chapters.setdefault(chapter.name, ChapterVideo(chapter)).videos.append(path)
        if not chapters:
            continue
        lecture_dir = output_dir / "lecture" / folder.name
        lectures = sorted(
            p for p in lecture_dir.glob("*.*") if p.suffix[1:] in VIDEO_TYPES and p.is_file()
        )
        slides_dir = output_dir / "slides" / folder.name
        slides = sorted(p for p in slides_dir.glob("*.*") if p.suffix in (".html", ".pptx"))
        index = folder / CLIPS_DIR / INDEX_NAME
        clips = json.loads(index.read_text(encoding="utf-8")) if index.is_file() else []
        ordered = sorted(chapters.values(), key=lambda v: v.chapter.number)
        found.append(ProfileRenders(folder.name, folder, ordered, lectures, slides, clips))

    available = [p.name for p in found]
    for name in profiles:
        if name not in available:
            allowed = ", ".join(available) or "none yet"
            raise ConfigError("--profile", f"no rendered chapters there; profiles: {allowed}", name)
    if not found:
        raise ConfigError(
            "--output",
            "no rendered chapters here; run `softmax-video render` first",
            str(output_dir),
        )
    return [p for p in found if not profiles or p.name in profiles]


def _href(path: Path, start: Path) -> str:
    relative = os.path.relpath(path, start)
    return html.escape("/".join(quote(part) for part in Path(relative).parts), quote=True)


def _text(value: object) -> str:
    return html.escape(str(value), quote=True)


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)  # as video players show it
    return f"{minutes}:{secs:02d}"


def _thumbnail(video: ChapterVideo, config: LectureConfig | None) -> Path:
    main = video.main
    poster = thumbnail_path(main)
    if not poster.exists() or poster.stat().st_mtime < main.stat().st_mtime:
        beat = config.chapter(video.chapter.name).poster_beat if config else ""
        write_thumbnail(main, video.chapter, beat)
    return poster


def _player(video: ChapterVideo, poster: Path, page_dir: Path, label: str) -> str:
    playable = [p for p in video.videos if VIDEO_TYPES[p.suffix[1:]]]
    if not playable:  # only a gif: it plays as an image
        return f'<img class="player" src="{_href(video.main, page_dir)}" alt="{_text(label)}">'
    order = list(VIDEO_TYPES)
    sources = "".join(
        f'<source src="{_href(p, page_dir)}" type="{VIDEO_TYPES[p.suffix[1:]]}">'
        for p in sorted(playable, key=lambda p: order.index(p.suffix[1:]))
    )
    return (
        f'<video class="player" controls preload="metadata" poster="{_href(poster, page_dir)}" '
        f'aria-label="{_text(label)}">{sources}</video>'
    )


def _links(paths: Iterable[Path], page_dir: Path) -> str:
    return " ".join(
        f'<a href="{_href(p, page_dir)}" download>{_text(p.suffix[1:])}</a>'
        for p in paths
        if p.exists()
    )


def _chapter_card(
    video: ChapterVideo, profile: ProfileRenders, page_dir: Path, config: LectureConfig | None
) -> str:
    chapter = video.chapter
    poster = _thumbnail(video, config)
    heading = f"{chapter.number}. {chapter.title}"
    files = [*video.videos, video.main.with_suffix(".srt"), poster]
    clips = [c for c in profile.clips if c.get("chapter") == chapter.name]
    beats = ""
    if clips:
        items = "".join(
            f'<li><a href="{_href(profile.folder / CLIPS_DIR / c["file"], page_dir)}" download>'
            f'{_text(c.get("beat", ""))}</a> <span class="muted">'
            f"{_duration(float(c.get('duration', 0)))}</span>"
            f'<br><span class="narration">{_text(c.get("narration", ""))}</span></li>'
            for c in clips
        )
        beats = f"<details><summary>{len(clips)} beat clips</summary><ol>{items}</ol></details>"
    return (
        f'<article class="chapter" id="{_text(profile.name)}-{_text(chapter.name)}">'
        f"{_player(video, poster, page_dir, heading)}"
        f"<h3>{_text(heading)}</h3>"
        f'<p class="muted">{_text(chapter.name)} · {_duration(clip_duration(video.main))}</p>'
        f"<p>{_text(chapter.summary)}</p>"
        f'<p class="downloads">Download: {_links(files, page_dir)}</p>'
        f"{beats}</article>"
    )


def _profile_section(profile: ProfileRenders, page_dir: Path, config: LectureConfig | None) -> str:
    extras = []
    for lecture in profile.lectures:
        extras.append(
            f'<li>Whole lecture: <a href="{_href(lecture, page_dir)}">{_text(lecture.name)}</a> '
            f'<span class="muted">{_duration(clip_duration(lecture))}</span> '
            f"{_links([lecture.with_suffix(s) for s in ('.srt', '.chapters.txt')], page_dir)}"
            "</li>"
        )
    for deck in profile.slides:
        kind = "presentation" if deck.suffix == ".html" else "PowerPoint"
        extras.append(
            f'<li>Slides ({kind}): <a href="{_href(deck, page_dir)}">{_text(deck.name)}</a></li>'
        )
    extra = f'<ul class="extras">{"".join(extras)}</ul>' if extras else ""
    cards = "".join(_chapter_card(v, profile, page_dir, config) for v in profile.chapters)
    count = len(profile.chapters)
    return (
        f'<section id="{_text(profile.name)}"><h2>{_text(profile.name)} '
        f'<span class="muted">{count} chapter{"s" if count != 1 else ""}</span></h2>'
        f'{extra}<div class="grid">{cards}</div></section>'
    )


def _style() -> str:
    from softmax_video.kit.theme import build_theme

    roles = build_theme("dark").roles
    return f"""
body {{ background: {roles["background"]}; color: {roles["text"]}; margin: 0 auto;
       max-width: 1400px;
       padding: 1.5rem; font: 16px/1.45 system-ui, sans-serif; }}
a {{ color: {roles["accent"]}; }}
h1 {{ margin: 0 0 0.25rem; }}
h2 {{ border-bottom: 1px solid {roles["muted"]}; padding-bottom: 0.3rem; margin-top: 2rem; }}
h3 {{ margin: 0.6rem 0 0.2rem; font-size: 1.05rem; }}
p {{ margin: 0.25rem 0; }}
.muted {{ color: {roles["muted"]}; font-weight: normal; font-size: 0.9em; }}
.grid {{ display: grid; gap: 1.2rem;
         grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); }}
.chapter {{ border: 1px solid {roles["muted"]}; border-radius: 8px; padding: 0.6rem; }}
.player {{ width: 100%; display: block; border-radius: 4px; background: {roles["background"]}; }}
.narration {{ color: {roles["muted"]}; font-size: 0.85em; }}
details {{ margin-top: 0.4rem; }} ol {{ padding-left: 1.4rem; }}
nav a {{ margin-right: 1rem; }}
"""


def build_gallery(
    output_dir: Path, profiles: Sequence[str] = (), config: LectureConfig | None = None
) -> Path:
    """Write ``<output_dir>/gallery/index.html`` and return its path.

    Parameters
    ----------
    output_dir
        The output folder of ``softmax-video render``.
    profiles
        Only these profiles (default: every one found).
    config
        Gives each chapter's ``poster_beat`` for thumbnails that are missing.
    """
    found = find_renders(output_dir, profiles)
    page_dir = output_dir / GALLERY_DIR
    page_dir.mkdir(parents=True, exist_ok=True)
    nav = "".join(f'<a href="#{_text(p.name)}">{_text(p.name)}</a>' for p in found)
    sections = "".join(_profile_section(p, page_dir, config) for p in found)
    total = sum(len(p.chapters) for p in found)
    interactive = output_dir / "interactive" / "index.html"  # softmax-video interactive
    if interactive.is_file():
        nav += f'<a href="{_href(interactive, page_dir)}">Interactive pages</a>'
    page = (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>The softmax function: rendered chapters</title>"
        f"<style>{_style()}</style></head><body>"
        "<h1>The softmax function</h1>"
        f'<p class="muted">{total} rendered chapter video(s) in {len(found)} profile(s); '
        "files are linked where they are, nothing is copied.</p>"
        f"<nav>{nav}</nav>{sections}</body></html>\n"
    )
    target = page_dir / "index.html"
    write_atomic(target, page)
    return target
