"""The base every chapter scene builds on: configuration, theme, pace and beats.

A chapter scene subclasses :class:`LectureScene` (2D) or
:class:`LectureThreeDScene` and gets:

- ``self.params``: its own validated parameter object (:mod:`softmax_video.core.params`),
  ``self.lecture`` the shared settings and ``self.theme`` the resolved colours;
- ``self.beat(name, narration)``: a context manager that opens a manim section
  for the story beat and writes its narration sentence as a subcaption spanning
  the beat, so every render has an ``.srt`` and per-beat sections;
- ``self.seconds(t)``, ``self.pause(t)``: durations scaled by the pace;
- layout values relative to the frame (``self.frame_width``...), so 9:16 and
  1:1 renders keep everything inside the frame;
- a share of the frames when several processes render the chapter together
  (:mod:`softmax_video.core.shares`): it draws the plays and runs of frames dealt to it and
  only steps the scene through the others, so later frames come out the same.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from manim import (
    DL,
    DOWN,
    DR,
    LEFT,
    RIGHT,
    UL,
    UP,
    UR,
    AnimationGroup,
    Circumscribe,
    Create,
    DecimalNumber,
    FadeIn,
    FadeOut,
    Integer,
    MathTex,
    Mobject,
    Point,
    RoundedRectangle,
    Scene,
    SurroundingRectangle,
    Tex,
    Text,
    ThreeDCamera,
    ThreeDScene,
    TransformMatchingTex,
    VGroup,
    VMobject,
    config,
)
from manim.utils.exceptions import EndSceneEarlyException

from softmax_video.core.captions import TimedText, make_cues
from softmax_video.core.params import (
    CHAPTER_PARAMS,
    CONFIG_ENV_VAR,
    ChapterParams,
    LectureConfig,
    LectureParams,
    config_from_file,
)
from softmax_video.core.script import split_marks
from softmax_video.core.shares import SHARE_ENV_VAR, PlayDealer, Share, share_frames
from softmax_video.core.text import tex_escape
from softmax_video.engine.cameras import LectureCamera, use_camera
from softmax_video.engine.mesh import mesh_moving_mobjects, set_paint_bands, use_mesh_camera
from softmax_video.engine.voice import Speech
from softmax_video.kit.dim import Dim, can_dim
from softmax_video.kit.formula_cache import keep_parsed_formulas
from softmax_video.kit.narrator import Narrator, beat_seconds
from softmax_video.kit.room import GAP, reframe_for_room
from softmax_video.kit.skipping import jump_to_end
from softmax_video.kit.theme import Theme, build_theme

__all__ = ["Beat", "LectureScene", "LectureSceneMixin", "LectureThreeDScene"]

#: Environment variables a still render sets (``softmax-video render --beat/--at``):
#: the scene stops at the end of that beat, or at that time (s), so with manim's
#: ``-s`` (every play skipped, state still computed) the saved frame is that moment.
STOP_AFTER_BEAT_ENV = "SOFTMAX_VIDEO_STOP_AFTER_BEAT"
STOP_AT_ENV = "SOFTMAX_VIDEO_STOP_AT"
#: Names a file the render keeps ``{"frames": N}`` in for ``softmax-video``'s progress.
PROGRESS_ENV = "SOFTMAX_VIDEO_PROGRESS"

#: Share of a 16:9 frame's width and height kept free at each edge.
FRAME_MARGIN = 0.04
#: The same in portrait and square frames: the title-safe area (5%) and room for
#: strokes and anti-aliased edges, which reach past the outlines that layouts place.
SAFE_MARGIN = 0.06
#: Share of the frame's height kept free above the bottom margin for captions.
CAPTION_BAND = 0.12
PORTRAIT_CAPTION_BAND = 0.15


def active_config() -> LectureConfig:
    """The configuration the parent process handed over (``$SOFTMAX_VIDEO_CONFIG``, a
    TOML file; the plain manim CLI reads it too), else the defaults."""
    return config_from_file(os.environ.get(CONFIG_ENV_VAR) or None)


def current_share() -> Share | None:
    """This process's share of the chapter's frames (``$SOFTMAX_VIDEO_SHARE``, set by
    ``softmax-video render``); ``None`` draws every play."""
    text = os.environ.get(SHARE_ENV_VAR)
    return Share.parse(text) if text else None


def wrap_tex(text: str, columns: int) -> list[str]:
    """``text`` in lines of at most ``columns`` characters (a longer word stays whole),
    never breaking inside ``$...$``; a ``\\\\`` in ``text`` always breaks the line.

    Examples
    --------
    >>> wrap_tex("the sum $e^{z_1} + e^{z_2}$ is one", 10)
    ['the sum', '$e^{z_1} + e^{z_2}$', 'is one']
    >>> wrap_tex("so $p_k$, for $k$-th classes", 40)
    ['so $p_k$, for $k$-th classes']
    >>> wrap_tex(r"one\\\\ two three", 40)
    ['one', 'two three']
    """
    lines: list[str] = []
    for paragraph in text.split("\\\\"):
        if paragraph.strip():
            lines.extend(_wrap_paragraph(paragraph.strip(), columns))
    return lines


def _wrap_paragraph(text: str, columns: int) -> list[str]:
    tokens: list[str] = []
    glue = False  # the next piece touches the previous token (no space between)
    for index, part in enumerate(text.split("$")):
        pieces = [f"${part}$"] if index % 2 else part.split()
        if index % 2 == 0 and part and not part[0].isspace():
            glue = True
        for piece in pieces:
            if glue and tokens:
                tokens[-1] += piece
            else:
                tokens.append(piece)
            glue = False
        glue = bool(index % 2 == 0 and part and not part[-1].isspace())
    lines: list[str] = []
    for token in tokens:
        if lines and _shown(lines[-1]) + 1 + _shown(token) <= columns:
            lines[-1] += " " + token
        else:
            lines.append(token)
    return lines


def _shown(tex: str) -> int:
    """About the characters ``tex`` draws: commands, braces and ``$ ^ _`` draw none."""
    return len(re.sub(r"\\[a-zA-Z]+|[{}$^_]", "", tex))


def match_frame_to_pixels() -> None:
    """Make the frame's aspect ratio that of the pixels.

    ``manim -r 270,480`` sets the pixel size but keeps the 16:9 frame width, which
    would squeeze a portrait render; the camera is built from these values, so
    this runs before it. Differences under 1% (854x480 vs 16:9) are left alone.
    """
    pixel_aspect = config.pixel_width / config.pixel_height
    if abs(config.frame_width / config.frame_height / pixel_aspect - 1) > 0.01:
        config.frame_width = config.frame_height * pixel_aspect


def _even_along(traces: np.ndarray, spacing: float) -> np.ndarray:
    """Points about ``spacing`` apart along each polyline of ``traces`` ``(C, K, 2)``, at
    least one per polyline (its middle): a curve counts by its length, not its number."""
    steps = np.linalg.norm(np.diff(traces, axis=1), axis=2)  # (C, K-1)
    along = np.concatenate([np.zeros((len(traces), 1)), np.cumsum(steps, axis=1)], axis=1)
    lengths = along[:, -1]
    counts = np.maximum(1, np.round(lengths / spacing)).astype(int)
    curve = np.repeat(np.arange(len(traces)), counts)
    index = np.arange(len(curve)) - np.repeat(np.cumsum(counts) - counts, counts)
    wanted = (index + 0.5) / counts[curve] * lengths[curve]
    step = np.clip((along[curve] <= wanted[:, None]).sum(axis=1) - 1, 0, steps.shape[1] - 1)
    size = steps[curve, step]
    fraction = np.divide(wanted - along[curve, step], size, out=np.zeros_like(size), where=size > 0)
    start = traces[curve, step]
    return start + fraction[:, None] * (traces[curve, step + 1] - start)


def _outermost(mobjects: Sequence[Mobject], members: Any) -> list[Mobject]:
    """The members of ``members`` in the families of ``mobjects`` that no other member
    contains (scaling those scales each part once)."""
    found: list[Mobject] = []

    def visit(mobject: Mobject) -> None:
        if mobject in members:
            found.append(mobject)
            return
        for part in mobject.submobjects:
            visit(part)

    for mobject in mobjects:
        visit(mobject)
    return list(dict.fromkeys(found))


def _share_inside(box: Mobject, outlines: Sequence[np.ndarray]) -> float:
    """The share of each outline's points inside ``box``'s bounding box, summed."""
    low, high = box.get_corner(DL)[:2], box.get_corner(UR)[:2]
    return sum(
        float(np.mean(np.all((outline >= low) & (outline <= high), axis=1)))
        for outline in outlines
        if len(outline)
    )


@dataclass(frozen=True)
class Beat:
    """A story beat as rendered: its section name, narration, time span (s) and
    how long its speech lasts (``None``: silent)."""

    name: str
    narration: str
    start: float
    end: float
    spoken: float | None = None


class LectureSceneMixin:
    """Configuration, theme, pacing and beats for a chapter scene.

    The chapter's parameters are looked up by the scene's class name, so a
    subclass only names itself after its chapter.
    """

    #: Chapter whose parameters this scene reads; defaults to the class name.
    chapter_name: str | None = None

    params: ChapterParams
    lecture: LectureParams
    theme: Theme
    pace: float
    beats: list[Beat]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        match_frame_to_pixels()
        keep_parsed_formulas()
        super().__init__(*args, **kwargs)

    def setup(self) -> None:
        super().setup()  # type: ignore[misc]
        cfg = active_config()
        name = self.chapter_name or self._chapter_from_class()
        self.params = cfg.chapter(name)
        self.lecture = cfg.lecture
        self.voice = cfg.voice
        self.script = cfg.narration_for(name)
        self.pace = cfg.pace(name)
        self.theme = build_theme(cfg.lecture.theme, cfg.lecture.class_colors, cfg.lecture.palette)
        self.beats = []
        self._apply_theme()
        self.share = current_share()
        self._dealer = PlayDealer(self.share.count) if self.share else None
        #: (run, runs) of the current play's frames this share draws; None: all of them.
        self._part: tuple[int, int] | None = None
        self._frames_passed: int | None = None
        self._stop_after_beat = os.environ.get(STOP_AFTER_BEAT_ENV) or None
        stop_at = os.environ.get(STOP_AT_ENV)
        self._stop_at = float(stop_at) if stop_at else None
        self._play_start = 0.0
        self._frozen = False
        self._beat_name: str | None = None
        self._keep_last_frame = False
        self.narrator = Narrator(cfg.voice.engine, cfg.voice.voice, cfg.voice.speed)
        progress = os.environ.get(PROGRESS_ENV)
        writer = getattr(getattr(self, "renderer", None), "file_writer", None)
        if progress and writer is not None and hasattr(writer, "progress_file"):
            writer.progress_file = Path(progress)
        if writer is not None and hasattr(writer, "share"):
            writer.share = self.share
        set_paint_bands(self.share.count if self.share else 1)
        self._speaking: Any = None  # the current beat's speech under way
        self._marks: dict[str, int] = {}
        self._own_sentence = False  # the beat's sentence is the configuration's
        self._beat_start = 0.0

    def tear_down(self) -> None:
        super().tear_down()  # type: ignore[misc]
        self.narrator.close()
        if self.share is not None and self.share.index > 0:
            return  # share 0 writes the chapter's video and its sound
        track = self.narrator.write_track(self.time)  # type: ignore[attr-defined]
        if track is not None:
            # manim's add_sound does nothing while plays are skipped; in a share, the
            # chapter's last play may have been another share's, left skipped here.
            renderer: Any = self.renderer  # type: ignore[attr-defined]
            skipping = renderer.skip_animations
            renderer.skip_animations = renderer._original_skipping_status
            try:
                self.add_sound(str(track), time_offset=-self.time)  # type: ignore[attr-defined]
            finally:
                renderer.skip_animations = skipping

    @classmethod
    def _chapter_from_class(cls) -> str:
        # The first class in the MRO named after a chapter: test harnesses
        # (manim's frames_comparison) subclass the chapter scene.
        for klass in cls.__mro__:
            if klass.__name__ in CHAPTER_PARAMS:
                return klass.__name__
        raise TypeError(f"{cls.__name__} is not a chapter scene; set chapter_name")

    def _apply_theme(self) -> None:
        self.camera.background_color = self.theme.color("background")  # type: ignore[attr-defined]
        # Text classes default to white; the light theme needs dark text.
        for cls in (Tex, MathTex, Text, DecimalNumber, Integer):
            cls.set_default(color=self.theme.color("text"))

    # -- time ---------------------------------------------------------------- #

    def seconds(self, t: float) -> float:
        """``t`` seconds at this chapter's pace."""
        return t * self.pace

    def pause(self, t: float = 1.0) -> None:
        """Wait ``t`` seconds at this chapter's pace."""
        self.wait(self.seconds(t))  # type: ignore[attr-defined]

    def play_for(self, t: float, *animations: Any, **kwargs: Any) -> None:
        """Play ``animations`` over ``t`` seconds at this chapter's pace."""
        self.play(*animations, run_time=self.seconds(t), **kwargs)  # type: ignore[attr-defined]

    def on_beat(self, name: str, narration: str) -> None:
        """Called as each beat starts, before its section opens; does nothing here.

        The presentation variant of a chapter (:mod:`softmax_video.cli.slides`) starts a slide
        here, with the narration as its speaker notes.
        """

    @contextmanager
    def beat(self, name: str, narration: str) -> Iterator[None]:
        """One story beat: a manim section, its sentence spoken and captioned.

        The sentence is the configuration's for this beat (``[narration.CHAPTER]``)
        if it gives one, else ``narration``. With a voice, the speech starts with
        the beat and the beat lasts at least as long as the speech plus
        ``voice.breath`` (the scene waits if its animations end sooner).

        Parameters
        ----------
        name
            Short beat name, used for the section and for per-beat clip files.
        narration
            One sentence said over the beat (spoken, and written to the ``.srt``).
        """
        self._own_sentence = name in self.script
        narration, self._marks = split_marks(self.script.get(name, narration))
        self.on_beat(name, narration)
        self.next_section(name)  # type: ignore[attr-defined]
        self._beat_name = name
        start = self._beat_start = self.time  # type: ignore[attr-defined]
        speaking = self._speaking = self.narrator.say(narration)
        yield
        speech = speaking.result() if speaking is not None else None
        self._speaking, self._marks = None, {}
        if speech is not None:
            drawn = self.time - start  # type: ignore[attr-defined]
            lasting = beat_seconds(drawn, speech.duration, self.voice.breath)
            if lasting > drawn + 1e-6:
                self.wait(lasting - drawn)  # type: ignore[attr-defined]
            self.narrator.place(start, speech)
        end = self.time  # type: ignore[attr-defined]
        self.beats.append(Beat(name, narration, start, end, speech and speech.duration))
        if end > start and self.lecture.subtitles:
            self._caption(narration, start, end, speech)
        if name == self._stop_after_beat:
            raise EndSceneEarlyException()

    def at_mark(self, mark: str) -> None:
        """Wait until the narration reaches bookmark ``mark`` of the current beat's sentence
        (``<mark:NAME>``, :mod:`softmax_video.core.script`); at once when silent or past it,
        or when the sentence is the configuration's and has no such mark (its writer could
        not know the chapter's marks: the animation then follows the one before)."""
        if mark not in self._marks:
            if self._own_sentence:
                return
            known = ", ".join(self._marks) or "none"
            raise ValueError(f"no bookmark {mark!r} in this beat's sentence (it has: {known})")
        if self._speaking is None:
            return
        speech = self._speaking.result()
        index = self._marks[mark]
        said_at = speech.words[index][1] if index < len(speech.words) else speech.duration
        elapsed = self.time - self._beat_start  # type: ignore[attr-defined]
        if said_at > elapsed + 1e-6:
            self.wait(said_at - elapsed)  # type: ignore[attr-defined]

    # -- attention ----------------------------------------------------------- #

    def highlight(self, *mobjects: Mobject, t: float = 1.0) -> None:
        """Draw the eye to ``mobjects`` as the narration makes its claim about them: a
        box in the highlight colour is drawn around them and fades (not kept). Text
        fixed in a 3D scene's frame gets a box fixed in the frame too; a box that would
        cross the frame's margins is drawn inside them."""
        target = VGroup(*mobjects) if len(mobjects) > 1 else mobjects[0]
        scene: Any = self
        fixed = getattr(scene.camera, "fixed_in_frame_mobjects", set())
        in_frame = isinstance(self, ThreeDScene) and all(m in fixed for m in mobjects)
        buff = 0.08 * max(1.0, self.frame_height / 8)
        if in_frame or not self._inside_margins(SurroundingRectangle(target, buff=buff)):
            box = self.emphasis(target)
            if in_frame:
                scene.add_fixed_in_frame_mobjects(box)
                scene.remove(box)
            self.play_for(t * 0.6, Create(box))
            self.play_for(t * 0.4, FadeOut(box))
            return
        self.play_for(
            t,
            Circumscribe(
                target, color=self.theme.color("highlight"), buff=buff, stroke_width=4,
                fade_out=True,
            ),
        )  # fmt: skip

    def emphasis(self, mobject: Mobject) -> Mobject:
        """A box in the highlight colour around ``mobject`` that stays (show it yourself),
        drawn inside the frame's margins where a full buffer would cross them."""
        box = SurroundingRectangle(
            mobject, color=self.theme.color("highlight"), buff=0.12, stroke_width=3,
            corner_radius=0.08,
        )  # fmt: skip
        if self._inside_margins(box):
            return box
        (left, bottom, _), (right, top, _) = self._margin_limits()
        low = np.maximum(box.get_corner(DL), (left, bottom, 0))
        high = np.minimum(box.get_corner(UR), (right, top, 0))
        return RoundedRectangle(
            width=high[0] - low[0], height=high[1] - low[1], corner_radius=0.08,
            color=self.theme.color("highlight"), stroke_width=3,
        ).move_to((low + high) / 2)  # fmt: skip

    def _margin_limits(self) -> tuple[np.ndarray, np.ndarray]:
        """Corners of the area a highlight box may reach: the area layouts use and a
        tenth of the margins around it (the box may reach a little past its target)."""
        x = self.frame_width / 2 - 0.9 * self.margin_x
        low = np.array([-x, self.layout_bottom - 0.1 * self.margin_y, 0.0])
        high = np.array([x, self.layout_top + 0.1 * self.margin_y, 0.0])
        return low, high

    def _inside_margins(self, box: Mobject) -> bool:
        low, high = self._margin_limits()
        return bool(np.all(box.get_corner(DL)[:2] >= low[:2]) and
                    np.all(box.get_corner(UR)[:2] <= high[:2]))  # fmt: skip

    @staticmethod
    def swap_in_place(old: Mobject, new: Mobject) -> AnimationGroup:
        """``old`` (a caption, a note) fades out, then ``new``, which takes its place,
        fades in: one after the other, so the two never show over each other."""
        return AnimationGroup(FadeOut(old), FadeIn(new), lag_ratio=1.0)

    def takeaway_card(self, text: str, columns: int | None = None) -> Mobject:
        """The chapter's takeaway as a boxed card centred in the usable frame (not shown):
        ``text`` is LaTeX text (math in ``$...$``), wrapped to the frame's shape (or to
        lines of about ``columns`` characters).

        The card is at most 0.96 of the usable width: its words can fill the width and
        the box's padding would then reach past the title-safe margins (9:16, 1:1)."""
        if columns is None:
            columns = 26 if self.is_portrait else 34 if self.is_narrow else 46
        words = Tex(
            r" \\ ".join(wrap_tex(text, columns)),
            font_size=self.theme.body_size,
            color=self.theme.color("text"),
            tex_environment="center",
        )
        box = SurroundingRectangle(
            words, buff=0.3, corner_radius=0.15, stroke_width=3,
            color=self.theme.color("highlight"), fill_color=self.theme.color("background"),
            fill_opacity=0.92,
        )  # fmt: skip
        card = VGroup(box, words)
        self.fit(card, width=0.96 * self.usable_width, height=self.usable_height * 0.6)
        return card.move_to([0.0, (self.layout_top + self.layout_bottom) / 2, 0.0])

    def close_with(
        self,
        text: str,
        *,
        keep: Sequence[Mobject] = (),
        at: np.ndarray | None = None,
        clear_of: Sequence[Mobject] = (),
    ) -> None:
        """The closing beat's picture: everything but ``keep`` dims and the takeaway card
        comes in over it and is held, so a chapter ends on its message rather than a
        hard cut (the last frame, and so a still of it, shows both). Call inside the
        closing beat.

        The card is centred in the usable frame, or pinned at edge or corner ``at``, or,
        given ``clear_of``, put at the place (centre first, then the edges and corners)
        where it covers the least of those mobjects as the viewer sees them. In a 3D
        scene where that place still hides some of them, the card goes to the bottom
        (or a side) and the camera reframes what is kept in the scene's space into the
        room the card leaves instead; notes fixed in the frame (but the title) and names
        facing the camera then fade out, as the picture moves under them, and the kept
        names shrink with the picture (the camera's zoom leaves them their size).
        """
        card = self.takeaway_card(text)
        reframe: list[Any] = []
        scale = 1.0
        scene: Any = self
        fixed = getattr(scene.camera, "fixed_in_frame_mobjects", set())
        facing = getattr(scene.camera, "fixed_orientation_mobjects", {})
        if at is not None:
            self.pin_to(card, at)
        elif clear_of:
            hidden = self._place_clear(card, [self._screen_outline(m) for m in clear_of])
            if isinstance(self, ThreeDScene) and hidden >= 0.02:
                picture = [m for m in (*clear_of, *keep) if m not in fixed]
                card, reframe, scale = self._make_room(text, card, picture)
        kept = set()
        for mobject in keep:
            kept.update(mobject.get_family())
        dimmed = [m for m in scene.mobjects if m not in kept]
        title = getattr(self, "title_mob", None)
        gone = [m for m in dimmed if reframe and (m in fixed or m in facing) and m is not title]
        if reframe and scale < 1.0:
            reframe += [name.animate.scale(scale) for name in _outermost(keep, facing)]
        if isinstance(self, ThreeDScene):
            scene.add_fixed_in_frame_mobjects(card)
            scene.remove(card)
        self.play_for(
            1.0,
            *[
                FadeOut(m) if m in gone else Dim(m, 0.75) if can_dim(m) else m.animate.fade(0.75)
                for m in dimmed
            ],
            FadeIn(card, shift=0.2 * UP),
            *reframe,
        )
        self.pause(2.0)

    def hidden_share(self, mobject: Mobject, others: Sequence[Mobject]) -> float:
        """How much of ``others`` (fixed in the frame or not) ``mobject``'s box hides on
        screen: the share of each one's outline inside the box, summed."""
        return _share_inside(mobject, [self._screen_outline(other) for other in others])

    def _make_room(
        self, text: str, card: Mobject, picture: Sequence[Mobject]
    ) -> tuple[Mobject, list[Any], float]:
        """The card pinned at the bottom (and, in a wide frame, at either side) with the
        camera reframing ``picture`` into the rest of the usable frame: the place that
        leaves the picture largest (the card, the camera's moves, the picture's scale),
        or ``card`` as it was, no moves, if none fits it."""
        # Twice the gap under the title: names drawn facing the camera reach a little
        # past the outline of the points they stand for.
        top = self.top_under_title(2 * GAP)
        left, right = -self.usable_width / 2, self.usable_width / 2
        scene: Any = self

        def outline() -> np.ndarray:
            return np.concatenate([self._screen_outline(m) for m in picture])

        best: tuple[float, Mobject, list[Any]] = (1.0, card, [])
        for side in (DOWN,) if self.is_narrow else (DOWN, LEFT, RIGHT):
            # Beside the picture, a column of short lines.
            pinned = self.takeaway_card(text, columns=None if side[1] else 24)
            if side[1]:
                self.pin_to(pinned, side)
                room = (np.array([left, pinned.get_top()[1] + GAP]), np.array([right, top]))
            else:
                pinned.set_y(top - pinned.height / 2)
                self.pin_to(pinned, side)
                beside = pinned.get_right()[0] + GAP if side[0] < 0 else left
                until = pinned.get_left()[0] - GAP if side[0] > 0 else right
                room = (np.array([beside, self.layout_bottom]), np.array([until, top]))
            reframe = reframe_for_room(scene.camera, outline, room)
            if reframe is not None and (not best[2] or reframe.scale > best[0] + 1e-3):
                best = (reframe.scale, pinned, reframe.moves(scene.camera))
        return best[1], best[2], best[0]

    def place_clear_of(self, mobject: Mobject, others: Sequence[Mobject]) -> Mobject:
        """Move ``mobject`` (fixed in the frame) to the centre of the usable frame under
        the title or an edge or corner of it, whichever hides the least of ``others`` on
        screen (the share of each one's outline inside ``mobject``'s box, summed); the
        earliest such place wins a tie, so a card that hides nothing stays centred.

        Where every place hides a tenth or more, ``mobject`` is also tried at 85% and
        70% of its size (narrow frames leave little room beside a picture), and the
        size and place that hide the least are kept.
        """
        self._place_clear(mobject, [self._screen_outline(other) for other in others])
        return mobject

    def _place_clear(self, mobject: Mobject, outlines: Sequence[np.ndarray]) -> float:
        """:meth:`place_clear_of` given the others' outlines on screen; the share of them
        hidden where ``mobject`` ends up."""
        size = 1.0
        best = (np.inf, size, mobject.get_center().copy())
        for scale in (1.0, 0.85, 0.7):
            mobject.scale(scale / size)
            size = scale
            hidden, place = self._least_hiding_place(mobject, outlines)
            # Shares are compared to a hundredth: a smaller card must be worth it.
            if hidden < best[0] - 1e-2:
                best = (hidden, scale, place)
            if best[0] < 0.1:
                break
        mobject.scale(best[1] / size)
        mobject.move_to(best[2])
        return float(best[0])

    def _least_hiding_place(
        self, mobject: Mobject, outlines: Sequence[np.ndarray]
    ) -> tuple[float, np.ndarray]:
        """The place for :meth:`place_clear_of` at ``mobject``'s size: (hidden, centre)."""
        # Under the chapter's title, which stays readable (or dims) but is not covered.
        top = self.top_under_title(GAP)
        centre = np.array([0.0, (top + self.layout_bottom) / 2, 0.0])
        places = [None, DOWN, UP, LEFT, RIGHT, DL, DR, UL, UR]
        best_hidden, best = np.inf, centre
        for direction in places:
            mobject.move_to(centre)
            if direction is not None:
                self.pin_to(mobject, direction)
                if direction[1] > 0:
                    mobject.set_y(top - mobject.height / 2)
            hidden = _share_inside(mobject, outlines)
            # Shares are compared to a thousandth: float noise of projections must not
            # decide between two places.
            if hidden < best_hidden - 1e-3:
                best_hidden, best = hidden, mobject.get_center().copy()
        return best_hidden, best

    def _screen_outline(self, mobject: Mobject, per_curve: int = 8) -> np.ndarray:
        """Points along every drawn curve of ``mobject`` as the viewer sees them, ``(N, 2)``
        in frame coordinates: parts in a 3D scene's space are projected by the camera as
        it stands. A line's two ends would say nothing of where it runs, and a share of
        points should be a share of what is drawn: each curve is traced through
        ``per_curve`` points on screen and sampled evenly along its length, about one
        point per 1/400 of the frame's width (at least one a curve)."""
        scene: Any = self
        fixed = getattr(scene.camera, "fixed_in_frame_mobjects", set())
        project = getattr(self, "on_screen", None)
        t = np.linspace(0.0, 1.0, per_curve)[:, None]
        bernstein = np.hstack([(1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3])
        outline = [np.zeros((0, 2))]
        for part in mobject.family_members_with_points():
            points = part.points
            whole = len(points) // 4 * 4
            traced = isinstance(part, VMobject) and whole
            if traced:
                points = np.einsum("tk,ckd->ctd", bernstein, points[:whole].reshape(-1, 4, 3))
                points = points.reshape(-1, 3)
            if project is not None and part not in fixed:
                points = project(points)
            points = points[:, :2]
            if traced:
                points = _even_along(points.reshape(-1, per_curve, 2), self.frame_width / 400)
            outline.append(points)
        return np.concatenate(outline)

    def _caption(self, narration: str, start: float, end: float, speech: Speech | None) -> None:
        """Subtitle cues of at most two short lines, timed by the speech's words."""
        said = speech.caption(narration, start, end) if speech else TimedText(narration, start, end)
        now = self.time  # type: ignore[attr-defined]
        for cue in make_cues([said]):
            self.add_subcaption(  # type: ignore[attr-defined]
                "\n".join(cue.lines), duration=cue.end - cue.start, offset=cue.start - now
            )

    # -- shares (softmax_video.core.shares) ---------------------------------------------- #

    def compile_animation_data(self, *animations: Any, **play_kwargs: Any) -> Any:
        result = super().compile_animation_data(*animations, **play_kwargs)  # type: ignore[misc]
        scene: Any = self
        self._frozen = scene.is_current_animation_frozen_frame()
        # Deal only plays that would be drawn: skipping for manim's own reasons
        # (sections, -n) is the same in every process.
        self._part = None
        if self._dealer is not None and not scene.renderer.skip_animations:
            # A static wait is drawn once, outside play_internal; a stop condition
            # leaves the length open. Neither can be cut.
            splittable = not scene.is_current_animation_frozen_frame() and (
                scene.stop_condition is None
            )
            owner = self._dealer.deal(scene.get_run_time(scene.animations), splittable=splittable)
            if owner is None:
                self._part = (self.share.index, self.share.count)
            elif owner != self.share.index:
                self._part = (0, 0)  # followed, not drawn: manim writes no partial movie
                scene.renderer.skip_animations = True
        self._keep_last_frame = False
        if self._is_still():
            in_last_beat = self._stop_after_beat is not None and (
                self._beat_name == self._stop_after_beat
            )
            if in_last_beat:
                # The still of a beat is the video's last frame of it: a play that ends
                # the beat is drawn one step before its end, so each play of the beat
                # is stepped as drawn and its last frame kept (a wait after it, which
                # shows the end state, drops it).
                scene.renderer.still_frame = None
                if not self._frozen:
                    self._part = (0, 0)
                    self._keep_last_frame = True
            elif not self._frozen:
                # No frame of this play is drawn, only its end state counts (unless
                # the moment asked for lies inside it).
                end = self._play_start + scene.get_run_time(scene.animations)
                if self._stop_at is None or end <= self._stop_at:
                    scene.animations = [jump_to_end(a) for a in scene.animations]
        return result

    def _is_still(self) -> bool:
        """This render saves one image (manim's ``-s``): no play is drawn. The one place
        this is asked; the renderer learns it from ``still_frame``, set only then."""
        writer = getattr(self.renderer, "file_writer", None)  # type: ignore[attr-defined]
        spec = getattr(writer, "output_spec", None)
        return bool(getattr(spec, "is_still", False))

    def play(self, *args: Any, **kwargs: Any) -> None:
        start = self.renderer.time  # type: ignore[attr-defined]
        if self._stop_at is not None and start >= self._stop_at:
            raise EndSceneEarlyException()  # the moment asked for lies in a static wait
        self._play_start = start
        super().play(*args, **kwargs)  # type: ignore[misc]
        if self._part is not None:
            self._set_clock(start)
        elif self.renderer.skip_animations:  # type: ignore[attr-defined]
            # Manim adds a skipped play's run time; drawn, it adds a step per frame
            # (a still's --at is a moment on the drawn video's clock).
            scene: Any = self
            if not self._frozen:
                self._frames_passed = len(np.arange(0, scene.duration, 1 / config.frame_rate))
            self._set_clock(start)

    def play_internal(self, skip_rendering: bool = False) -> None:
        if self._stop_at is not None:
            self._stop_inside_play()
        if self._part is None:  # no shares, or the whole play is this share's
            super().play_internal(skip_rendering)  # type: ignore[misc]
            return
        self._play_part(*self._part)

    def _stop_inside_play(self) -> None:
        """End the scene at :data:`STOP_AT_ENV`'s time if it falls inside this play,
        with its animations at that moment (as the frame drawn then shows them)."""
        scene: Any = self
        into = self._stop_at - self._play_start  # type: ignore[operator]
        if into < scene.get_run_time(scene.animations):
            scene.update_to_time(into)
            raise EndSceneEarlyException()

    def _play_part(self, index: int, count: int) -> None:
        """Draw run ``index`` of ``count`` of this play's frames (none if ``count`` is 0).

        The scene passes every other frame as drawing it would have. Manim skips a
        play in one step (``dt`` = its run time), but updaters that take ``dt``
        (the ambient camera rotation) would then end elsewhere than after a drawn
        play's frame-by-frame steps, whose last frame is one step short of the run
        time. So they get every frame's step; the full update (animations and all
        updaters) runs on the frames drawn, on the last frame, and on every frame
        of a wait with a stop condition (whose end depends on the scene). The
        animations' ends and manim's closing ``update_mobjects(0)`` run as after a
        drawn play.
        """
        scene: Any = self
        scene.duration = scene.get_run_time(scene.animations)
        times = np.arange(0, scene.duration, 1 / config.frame_rate)  # manim's progression
        first, stop = share_frames(index, count, len(times)) if count else (0, 0)
        ticking = [
            m for m in scene.mobjects if any(p.has_time_based_updater() for p in m.get_family())
        ]
        frames = 0
        for frame, t in enumerate(times):
            frames += 1
            drawn = first <= frame < stop
            if drawn or frame == len(times) - 1 or scene.stop_condition is not None:
                scene.update_to_time(t)
            else:
                dt = t - scene.last_t
                scene.last_t = t
                for mobject in ticking:
                    mobject.update(dt)
                scene.update_self(dt)
            if drawn and not scene.skip_animation_preview:
                scene.renderer.render(scene, t, scene.moving_mobjects)
            if scene.stop_condition is not None and scene.stop_condition():
                break
        if self._keep_last_frame:
            scene.renderer.still_frame = scene.renderer.draw_scene(scene)
        for animation in scene.animations:
            animation.finish()
            animation.clean_up_from_scene(scene)
        scene.update_mobjects(0)
        scene.renderer.static_image = None
        self._frames_passed = frames

    def _set_clock(self, start: float) -> None:
        """Set the scene's clock to where drawing the whole play would have left it.

        Manim adds a skipped play's run time and a drawn frame's step; drawing the
        whole play adds one step per frame (all frames of a static wait at once),
        and the subtitles are timed by that clock.
        """
        scene: Any = self
        step = 1 / scene.camera.frame_rate
        frames, self._frames_passed = self._frames_passed, None
        if frames is None:  # a static wait: one frozen frame, repeated
            scene.renderer.time = start + int(scene.duration / step) * step
            return
        clock = start
        for _ in range(frames):
            clock += step
        scene.renderer.time = clock

    # -- layout -------------------------------------------------------------- #

    @property
    def frame_width(self) -> float:
        return float(config.frame_width)

    @property
    def frame_height(self) -> float:
        return float(config.frame_height)

    @property
    def is_portrait(self) -> bool:
        return self.frame_width < self.frame_height

    @property
    def is_narrow(self) -> bool:
        """Too narrow for a side panel beside a full-width picture (1:1 and 9:16)."""
        return self.frame_width < 1.4 * self.frame_height

    @property
    def margin_x(self) -> float:
        """Free space at the left and right edges (scene units)."""
        return self.frame_width * (SAFE_MARGIN if self.is_narrow else FRAME_MARGIN)

    @property
    def margin_y(self) -> float:
        """Free space at the top edge, and at the bottom below the caption band."""
        return self.frame_height * (SAFE_MARGIN if self.is_narrow else FRAME_MARGIN)

    @property
    def caption_band(self) -> float:
        """Height kept free above the bottom margin for captions."""
        return self.frame_height * (PORTRAIT_CAPTION_BAND if self.is_portrait else CAPTION_BAND)

    @property
    def bottom_buff(self) -> float:
        """Distance from the frame's bottom edge to the lowest thing a layout may draw."""
        return self.margin_y + self.caption_band

    @property
    def layout_bottom(self) -> float:
        """y of the lowest point a layout may use (above the caption band)."""
        return -self.frame_height / 2 + self.bottom_buff

    @property
    def layout_top(self) -> float:
        """y of the highest point a layout may use."""
        return self.frame_height / 2 - self.margin_y

    def top_under_title(self, gap: float = GAP) -> float:
        """y of the highest point a layout may use under the chapter's title, ``gap``
        below it (the usable top when the scene shows no title)."""
        title = getattr(self, "title_mob", None)
        return self.layout_top if title is None else title.get_bottom()[1] - gap

    @property
    def usable_width(self) -> float:
        """Frame width less the margins."""
        return self.frame_width - 2 * self.margin_x

    @property
    def usable_height(self) -> float:
        """Frame height less the margins and the caption band."""
        return self.frame_height - 2 * self.margin_y - self.caption_band

    def fit(
        self, mobject: Mobject, width: float | None = None, height: float | None = None
    ) -> Mobject:
        """Scale ``mobject`` down (never up) to fit ``width`` x ``height`` (default: the frame)."""
        width = self.usable_width if width is None else width
        height = self.usable_height if height is None else height
        factor = min(1.0, width / max(mobject.width, 1e-9), height / max(mobject.height, 1e-9))
        if factor < 1.0:
            mobject.scale(factor)
        return mobject

    def to_top(self, mobject: Mobject) -> Mobject:
        """Place ``mobject`` at the top edge inside the margin."""
        return mobject.to_edge(UP, buff=self.margin_y)

    def to_bottom(self, mobject: Mobject) -> Mobject:
        """Place ``mobject`` at the bottom edge inside the margin (above the caption band)."""
        return mobject.to_edge(DOWN, buff=self.bottom_buff)

    def pin_to(self, mobject: Mobject, direction: np.ndarray) -> Mobject:
        """Place ``mobject`` at the frame's edge or corner ``direction``, inside the
        margins; bottom places stay above the caption band. The one way to pin a note."""
        x, y = mobject.get_center()[:2]
        if direction[0]:
            x = (self.frame_width / 2 - self.margin_x - mobject.width / 2) * np.sign(direction[0])
        if direction[1] > 0:
            y = self.layout_top - mobject.height / 2
        elif direction[1] < 0:
            y = self.layout_bottom + mobject.height / 2
        return mobject.move_to(np.array([x, y, 0.0]))

    @property
    def chapter_title(self) -> str:
        """This chapter's title, from the chapter registry (the one place titles live)."""
        from softmax_video.core.chapters import find_chapter

        return find_chapter(self.chapter_name or self._chapter_from_class()).title

    def title(self, text: str | None = None) -> Tex:
        """A title (default: the chapter's, from the registry), fitted to the frame
        width, at the top."""
        text = self.chapter_title if text is None else text
        title = Tex(text, font_size=self.theme.title_size)
        self.fit(title)
        return self.to_top(title)  # type: ignore[return-value]

    # -- classes ------------------------------------------------------------- #

    def class_name(self, k: int) -> str:
        """Display name of class ``k`` (0-based)."""
        return self.lecture.class_names[k]

    def class_tex(self, k: int) -> str:
        """Name of class ``k`` written for LaTeX text mode (drawn as typed)."""
        return tex_escape(self.lecture.class_names[k])

    def class_color(self, k: int) -> Any:
        """Colour of class ``k`` (0-based)."""
        return self.theme.class_color(k)

    def class_bar_panel(
        self, values: Any, count: int, *, width: float, height: float, **kwargs: Any
    ) -> Any:
        """A :class:`~softmax_video.kit.widgets.BarPanel` of ``count`` classes in the lecture's
        style:
        class names and colours, theme colours and sizes (``kwargs``: the panel's others)."""
        from softmax_video.kit.widgets import BarPanel

        t = self.theme
        return BarPanel(
            values,
            colors=t.class_colors_for(count),
            labels=[self.class_name(k) for k in range(count)],
            width=width,
            height=height,
            axis_color=t.color("muted"),
            text_color=t.color("text"),
            label_size=t.label_size,
            value_size=t.small_size * 0.9,
            **kwargs,
        )


class LectureScene(LectureSceneMixin, Scene):
    """Base class of the 2D chapter scenes.

    Draws with :class:`softmax_video.engine.cameras.LectureCamera`, which keeps unchanged paths
    and frames instead of drawing them again.
    """

    def __init__(self, **kwargs: Any) -> None:
        match_frame_to_pixels()  # before the camera: it copies the frame size
        super().__init__(**use_camera(kwargs, LectureCamera))


class LectureThreeDScene(LectureSceneMixin, ThreeDScene):
    """Base class of the 3D chapter scenes.

    Draws with :class:`softmax_video.engine.mesh.MeshCamera`, so
    :class:`softmax_video.engine.mesh.MeshSurface`
    meshes render fast and depth-sorted with the other 3D mobjects.
    """

    def __init__(self, **kwargs: Any) -> None:
        match_frame_to_pixels()  # before the camera: it copies the frame size
        super().__init__(**use_mesh_camera(kwargs))

    def get_moving_mobjects(self, *animations: Any) -> list[Mobject]:
        # A moving mesh is redrawn with everything else, sorted by depth.
        return mesh_moving_mobjects(self, super().get_moving_mobjects(*animations))

    def fixed_in_frame(self, mobject: Mobject) -> Mobject:
        """``mobject`` merged (one path per colour, fast to draw) and fixed in the frame,
        not yet shown: text and notes that must not turn with the camera."""
        from softmax_video.kit.plane_geometry import merged

        flat = merged(mobject)
        self.add_fixed_in_frame_mobjects(flat)
        self.remove(flat)
        return flat

    def morph_in_frame(self, source: Mobject, target: Mobject) -> TransformMatchingTex:
        """``TransformMatchingTex`` between two formulas fixed in the frame: every piece it
        moves, fades out or fades in is fixed in the frame too (else the camera would
        project it into the scene: the new parts showed as a ghost low in the frame)."""
        morph = TransformMatchingTex(source, target)
        self.add_fixed_in_frame_mobjects(morph.mobject)
        for animation in morph.animations:
            self.add_fixed_in_frame_mobjects(animation.mobject)
        return morph

    def on_screen(self, points: np.ndarray) -> np.ndarray:
        """Where the camera as it stands now shows scene ``points`` ``(N, 3)``: frame
        coordinates with z = 0, to place notes fixed in the frame beside them."""
        # The kept matrix is the last drawn frame's: one step short of a camera move's
        # end, or older where a share passed frames undrawn.
        self.camera.reset_rotation_matrix()
        projected = ThreeDCamera.project_points(self.camera, np.asarray(points, dtype=float))
        projected[:, 2] = 0.0
        return projected

    def note_beside(
        self,
        mob: Mobject,
        at: np.ndarray,
        direction: np.ndarray,
        under: Mobject,
        buff: float = 0.3,
        drop: float = 0.0,
        *,
        gap: float = 0.2,
        narrow_band: bool = True,
    ) -> Mobject:
        """Fix ``mob`` in the frame beside frame point ``at`` (see :meth:`on_screen`), or
        beside the box of frame points ``at`` ``(N, 3)``, kept inside the margins, ``gap``
        below ``under`` (the title) and above the caption band; in narrow frames (unless
        ``narrow_band`` is false) centred in the band below ``under``, ``drop`` lower.
        Not shown."""
        at = np.asarray(at, dtype=float)
        box: Mobject = Point(at if at.ndim == 1 else at[0])
        if at.ndim > 1 and len(at) > 1:
            box = VMobject().set_points_as_corners(at)
        mob.next_to(box, direction, buff=buff)
        self.fit(mob, width=self.usable_width * 0.9)
        half_w, half_h = mob.width / 2, mob.height / 2
        x_max = self.frame_width / 2 - self.margin_x - half_w
        top = under.get_bottom()[1] - gap - half_h
        bottom = self.layout_bottom + half_h
        x, y = mob.get_center()[:2]
        if self.is_narrow and narrow_band:
            x, y = 0.0, top - drop
        mob.move_to([float(np.clip(x, -x_max, x_max)), float(np.clip(y, bottom, top)), 0.0])
        self.add_fixed_in_frame_mobjects(mob)
        self.remove(mob)
        return mob

    def corner_note(self, mobject: Mobject, side: np.ndarray = RIGHT) -> Mobject:
        """Fix a note in a bottom corner, not yet shown (portrait: left ones go under the title)."""
        self.fit(mobject, width=self.usable_width * (0.9 if self.is_portrait else 0.4))
        if self.is_portrait and side is LEFT:
            # Just under a one-line title.
            self.pin_to(mobject, UP + LEFT).shift(0.85 * DOWN)
        else:
            self.pin_to(mobject, DOWN + side)
        self.add_fixed_in_frame_mobjects(mobject)
        self.remove(mobject)
        return mobject
