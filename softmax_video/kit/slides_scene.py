"""The slides variant of a chapter: one manim-slides slide per story beat."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from softmax_video.core.chapters import find_chapter

__all__ = ["slides_class"]


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
