"""Cameras that redraw only what changed: kept paths and kept frames.

Manim's Cairo camera rebuilds every mobject's Cairo path, one Python call per
Bezier curve, on every frame, and redraws a whole frame even when nothing in it
moved (a pause with updaters running is such a frame). At 1080p60 that Python work,
not Cairo's painting, is most of a 2D chapter's render time. The cameras here
remember, for one frame to the next, how each mobject looked:

- a mobject whose points and view did not change appends its stored Cairo path
  (one call) instead of building it again;
- a frame in which no drawn mobject, the view or the background changed is not
  drawn at all: the pixels of the last frame are already the answer;
- a camera may paint chosen plain fills through a coverage mask kept while the
  mobject stands still (:class:`_Sprite`; in 3D, titles and captions fixed in the
  frame while the view turns).

"How a mobject looks" is everything the Cairo camera reads from it (points,
fill, stroke and background stroke colours and widths, joints, caps, sheen), so
a kept path or frame is never stale; tests compare kept-and-reused frames with a
fresh camera's. Mobjects other than ``VMobject`` (images, point clouds) are
always drawn and make their frame count as changed.

To skip a frame, the background copy that starts each frame
(:meth:`~manim.Camera.reset`, :meth:`~manim.Camera.set_frame_to_background`) is
deferred until something reads :attr:`pixel_array` or draws.

A finished frame goes to the file writer without a copy (:class:`LectureRenderer`):
the writer gets a view of the camera's pixel buffer, and a buffer with a view
still alive (queued for the encoder) is never written again; the next frame
that draws starts in a spare buffer whose views are all gone (:class:`FramePool`).

:class:`LectureCamera` is the 2D camera of :class:`softmax_video.kit.lecture_scene.LectureScene`;
:class:`softmax_video.engine.mesh.MeshCamera` (3D) builds on the same :class:`KeepingCameraMixin`.
"""

from __future__ import annotations

import functools
import itertools as it
import math
import weakref
from typing import Any

import cairo
import numpy as np
from manim import Camera, Mobject, RendererType, VMobject, config
from manim.camera.camera import CAP_STYLE_MAP, LINE_JOIN_MAP
from manim.renderer.cairo_renderer import CairoRenderer

from softmax_video.engine.video_writer import LectureFileWriter

__all__ = [
    "FrameCache",
    "FramePool",
    "KeepingCameraMixin",
    "LectureCamera",
    "LectureRenderer",
    "family_members_with_points",
    "keeps_methods",
    "use_camera",
]


class FrameCache:
    """Entries kept from one frame for the next, by key; what a frame does not use is dropped.

    Callers check an entry against every input it was made from, so a stale or
    reused key (an ``id``) can never return a wrong result.
    """

    def __init__(self) -> None:
        self.last: dict[int, Any] = {}
        self.current: dict[int, Any] = {}

    def next_frame(self) -> None:
        self.last, self.current = self.current, {}

    def get(self, key: int) -> Any:
        return self.last.get(key)

    def keep(self, key: int, entry: Any) -> None:
        self.current[key] = entry


class FramePool:
    """Pixel buffers lent out as views: a buffer is written again only once every view
    of it is gone.

    Examples
    --------
    >>> pool = FramePool()
    >>> first = pool.spare((2, 2, 4))
    >>> lent = pool.lend(first)
    >>> pool.spare((2, 2, 4)) is first  # its view is alive: another buffer
    False
    >>> del lent
    >>> pool.spare((2, 2, 4)) is first
    True
    """

    def __init__(self) -> None:
        self.buffers: list[tuple[np.ndarray, list[weakref.ref]]] = []

    def lend(self, buffer: np.ndarray) -> np.ndarray:
        """A read-only view of ``buffer`` (one of the pool's) for someone else to keep."""
        view = buffer.view()
        view.flags.writeable = False
        for kept, views in self.buffers:
            if kept is buffer:
                views[:] = [ref for ref in views if ref() is not None]
                views.append(weakref.ref(view))
        return view

    def lent(self, buffer: np.ndarray) -> bool:
        """Whether a view of ``buffer`` is still alive."""
        return any(
            kept is buffer and any(ref() is not None for ref in views)
            for kept, views in self.buffers
        )

    def spare(self, shape: tuple[int, ...], besides: np.ndarray | None = None) -> np.ndarray:
        """A buffer of ``shape`` (contents undefined) with no live view, other than
        ``besides``; a new one if all are lent."""
        for kept, views in self.buffers:
            if kept is not besides and kept.shape == shape and all(r() is None for r in views):
                views.clear()
                return kept
        buffer = np.empty(shape, dtype=np.uint8)
        self.buffers.append((buffer, []))
        return buffer


class _Look:
    """How one mobject was drawn: what its path and its paint were made from."""

    __slots__ = ("grid", "mobject", "paint", "path", "placement", "points", "sprite", "style")

    def __init__(self, mobject: Mobject, placement: Any, points: bytes | None, paint: tuple):
        self.mobject = mobject  # held, so its id cannot be reused while kept
        self.placement = placement
        self.points = points  # None when not worth measuring (the view changed)
        self.grid: bytes | None = None  # the points on the comparison grid, once needed
        self.paint = paint
        self.path: Any = None
        self.sprite: _Sprite | None = None  # its coverage mask, if its camera makes one
        # Paint and extras as bytes, measured only when the frame might be kept (None:
        # not measured). Taken now, not later: colour arrays may change in place.
        self.style: tuple | None = None


class _Sprite:
    """A mobject's coverage rasterised once into an alpha mask on the pixel grid, and
    its colour composited through that mask on each frame while its points and the
    view stay put (the colour may change: a fade reuses the mask).

    A plain-colour fill composites ``(colour IN coverage) OVER frame``, and so does
    the mask. Cairo rasterises the mask a little differently from a fill into the
    frame: a few edge pixels of a text come out up to three levels apart from a
    direct fill.
    Text and formulas, hundreds of curves each, then cost a rectangle's blend
    instead of their outlines' rasterisation on every frame.
    """

    __slots__ = ("left", "mask", "top")

    #: Paths whose bounds cover more than this share of the frame are filled as they are.
    MAX_AREA_SHARE = 0.25

    def __init__(self, mask: cairo.ImageSurface | None, left: int, top: int):
        self.mask = mask  # None: fill the path instead
        self.left, self.top = left, top

    @classmethod
    def of_path(cls, ctx: cairo.Context) -> _Sprite:
        """The sprite of the path set on ``ctx``."""
        x0, y0, x1, y1 = ctx.path_extents()  # bounds of the curves' points: a little wide
        corners = [ctx.user_to_device(x, y) for x in (x0, x1) for y in (y0, y1)]
        frame = ctx.get_target()
        left = max(0, math.floor(min(x for x, _ in corners)) - 1)
        top = max(0, math.floor(min(y for _, y in corners)) - 1)
        right = min(frame.get_width(), math.ceil(max(x for x, _ in corners)) + 1)
        bottom = min(frame.get_height(), math.ceil(max(y for _, y in corners)) + 1)
        width, height = right - left, bottom - top
        area = frame.get_width() * frame.get_height()
        if width <= 0 or height <= 0 or width * height > cls.MAX_AREA_SHARE * area:
            return cls(None, 0, 0)
        mask = cairo.ImageSurface(cairo.FORMAT_A8, width, height)
        mask_ctx = cairo.Context(mask)
        m = ctx.get_matrix()
        mask_ctx.set_matrix(cairo.Matrix(m.xx, m.yx, m.xy, m.yy, m.x0 - left, m.y0 - top))
        mask_ctx.append_path(ctx.copy_path())
        mask_ctx.fill()
        mask.flush()
        return cls(mask, left, top)

    def composite(self, ctx: cairo.Context) -> bool:
        """Composite ``ctx``'s source through the mask; False to fill the path instead."""
        if self.mask is None:
            return False
        ctx.save()
        ctx.identity_matrix()
        ctx.mask_surface(self.mask, self.left, self.top)
        ctx.restore()
        return True


def _bytes(values: Any) -> bytes:
    return np.ascontiguousarray(values).tobytes()


#: Points are compared on a grid this fine (scene units; a 1080p pixel is about 0.007).
#: Updaters that re-place a mobject where it already is (``next_to``, ``set_y``)
#: move it by rounding noise of 1e-16, which must not count as a change.
_POINT_QUANTUM = 2.0**-24


def _same_points(last: _Look, look: _Look) -> bool:
    """Whether two looks' points (raw float64 bytes) are equal on the :data:`_POINT_QUANTUM`
    grid. Exact copies, the usual case, cost one comparison of bytes; a look's points
    put on the grid are kept with it, for the next frame's comparison."""
    if last.points == look.points:
        look.grid = last.grid
        return True
    if len(last.points) != len(look.points):
        return False
    if last.grid is None:
        last.grid = _on_grid(last.points)
    look.grid = _on_grid(look.points)
    return last.grid == look.grid


def _on_grid(raw: bytes) -> bytes:
    # + 0.0 turns -0.0 into 0.0, so points either side of zero compare equal.
    return (np.rint(np.frombuffer(raw) * (1 / _POINT_QUANTUM)) + 0.0).tobytes()


#: What manim's colour getters return for a mobject without colours.
_NO_COLOR = np.zeros((1, 4))
_NO_COLOR.flags.writeable = False


def keeps_methods(kind: type, base: type, names: tuple[str, ...]) -> bool:
    """Whether ``kind`` uses ``base``'s own version of every method in ``names``.

    Examples
    --------
    >>> from manim import Square, VMobject
    >>> keeps_methods(Square, VMobject, ("get_fill_rgbas", "get_anchors"))
    True
    """
    return all(getattr(kind, name) is getattr(base, name) for name in names)


@functools.cache
def _stock_getters(kind: type) -> bool:
    """Whether ``kind`` reads its paint with ``VMobject``'s own getters."""
    return keeps_methods(
        kind,
        VMobject,
        (
            "get_fill_rgbas",
            "get_stroke_rgbas",
            "get_stroke_width",
            "get_sheen_factor",
            "get_sheen_direction",
            "get_background_image",
        ),
    )


@functools.cache
def _stock_family(kind: type) -> bool:
    """Whether ``kind`` lists its family and counts its points as ``Mobject`` does."""
    return keeps_methods(
        kind, Mobject, ("get_family", "get_num_points", "family_members_with_points")
    )


class _NotStock(Exception):
    pass


def _walk(mob: Mobject, active: set, out: list) -> None:
    # Mobject._iter_family: pre-order, a mobject already on the path is skipped (cycles).
    if mob in active:
        return
    if not _stock_family(type(mob)):
        raise _NotStock
    active.add(mob)
    out.append(mob)
    for sub in mob.submobjects:
        _walk(sub, active, out)
    active.discard(mob)


def _keep_last(items: list) -> list:
    # manim's remove_list_redundancies: order kept, the last occurrence of each wins.
    return list(reversed(dict.fromkeys(reversed(items))))


def family_members_with_points(mobjects: Any, use_z_index: bool) -> list[Mobject] | None:
    """``extract_mobject_family_members(mobjects, use_z_index, only_those_with_points=True)``,
    the same list three times faster; ``None`` if a mobject lists its family its own way.

    Manim walks families with recursive generators and de-duplicates each level; on
    a 2D chapter's 300 mobjects that was a tenth of the drawing time at 1080p.
    """
    found: list[Mobject] = []
    try:
        for top in mobjects:
            family: list[Mobject] = []
            _walk(top, set(), family)
            found += [m for m in _keep_last(family) if len(m.points) > 0]
    except _NotStock:
        return None
    found = _keep_last(found)
    if use_z_index:
        found.sort(key=lambda m: m.z_index)
    return found


class KeepingCameraMixin:
    """Keeps paths and whole frames whose inputs did not change (see the module docstring).

    Put it before a manim camera class in the bases. Subclasses may override
    :meth:`_frame_key` (camera state that any mobject's pixels depend on),
    :meth:`_placement` (the part of it that decides where a mobject's points land),
    :meth:`_style` (paint), :meth:`_style_extra` (more to compare), :meth:`_mobjects_to_draw`
    and :meth:`_draw`.
    """

    # -- deferred background --------------------------------------------- #

    @property
    def pixel_array(self) -> np.ndarray:
        if self.__dict__.get("_pending_background") is not None:
            self._apply_background()
        return self._pixels

    @pixel_array.setter
    def pixel_array(self, value: np.ndarray) -> None:
        self._pixels = value
        self._drawn = None

    def set_pixel_array(self, pixel_array: Any, convert_from_floats: bool = False) -> None:
        self._own_pixels(keep=False)
        super().set_pixel_array(pixel_array, convert_from_floats)  # type: ignore[misc]
        self._drawn = None  # written from outside a frame: no kept frame matches it

    @property
    def frames(self) -> FramePool:
        """The pixel buffers, lent to the file writer without copies."""
        if "_frames" not in self.__dict__:
            self._frames = FramePool()
        return self._frames

    def lend_frame(self) -> np.ndarray:
        """This frame's pixels for the file writer to keep, without a copy: the buffer is
        not written again while the view lives (:meth:`_own_pixels`)."""
        pixels = self.pixel_array
        if not any(kept is pixels for kept, _ in self.frames.buffers):
            self.frames.buffers.append((pixels, []))
        return self.frames.lend(pixels)

    def _own_pixels(self, keep: bool) -> None:
        """Before writing pixels: leave a lent buffer for a spare one (its pixels copied
        over if ``keep``)."""
        current = self.__dict__.get("_pixels")
        if current is None or not self.frames.lent(current):
            return
        spare = self.frames.spare(current.shape, besides=current)
        if keep:
            np.copyto(spare, current)
        self._pixels = spare

    def reset(self) -> Any:
        self._pending_background = self.background  # type: ignore[attr-defined]
        return self

    def set_frame_to_background(self, background: Any) -> None:
        self._pending_background = background

    def _apply_background(self) -> None:
        background, self._pending_background = self._pending_background, None
        self.set_pixel_array(background)

    # -- what a frame is made of ------------------------------------------ #

    @property
    def looks(self) -> FrameCache:
        """How each mobject was drawn in the last frame (and its kept path)."""
        if "_looks" not in self.__dict__:
            self._looks = FrameCache()
        return self._looks

    def _frame_key(self) -> tuple:
        """Camera state that every mobject's pixels depend on."""
        return (
            _bytes(self.frame_center),  # type: ignore[attr-defined]
            float(self.frame_width),  # type: ignore[attr-defined]
            float(self.frame_height),  # type: ignore[attr-defined]
            int(self.pixel_width),  # type: ignore[attr-defined]
            int(self.pixel_height),  # type: ignore[attr-defined]
        )

    def _placement(self, mobject: Mobject, frame_key: tuple) -> Any:
        """What, besides its points, decides where ``mobject`` lands: here the frame key."""
        return frame_key

    def _style(self, mobject: VMobject) -> tuple:
        """What manim's Cairo code paints ``mobject`` with, besides its path (the first
        seven items are what :meth:`_paint` draws with)."""
        if _stock_getters(type(mobject)):
            # The getters' own code, read straight from the attributes (a fifth of a
            # 2D frame's bookkeeping went into the getter calls).
            zeros = _NO_COLOR
            width = mobject.stroke_width
            return (
                np.asarray(getattr(mobject, "fill_rgbas", zeros)),
                np.asarray(getattr(mobject, "stroke_rgbas", zeros)),
                np.asarray(getattr(mobject, "background_stroke_rgbas", zeros)),
                float(max(0.0, int(width) if isinstance(width, str) else width)),
                float(max(0.0, mobject.background_stroke_width)),
                mobject.joint_type,
                mobject.cap_style,
                float(mobject.sheen_factor),
                np.asarray(mobject.sheen_direction),
                mobject.background_image,
            )
        return (
            np.asarray(mobject.get_fill_rgbas()),
            np.asarray(mobject.get_stroke_rgbas()),
            np.asarray(mobject.get_stroke_rgbas(background=True)),
            float(mobject.get_stroke_width()),
            float(mobject.get_stroke_width(background=True)),
            mobject.joint_type,
            mobject.cap_style,
            float(mobject.get_sheen_factor()),
            np.asarray(mobject.get_sheen_direction()),
            mobject.get_background_image(),
        )

    def _style_extra(self, mobject: VMobject) -> tuple:
        """Anything else a subclass paints ``mobject`` with, as comparable values."""
        return ()

    def _mobjects_to_draw(self, mobjects: Any, **kwargs: Any) -> list[Mobject]:
        """Manim's ``Camera.get_mobjects_to_display``, walked without its generators
        (``Camera``'s order, also in 3D: :class:`~softmax_video.engine.mesh.MeshCamera` sorts depth
        itself)."""
        if kwargs.get("include_submobjects", True) and not kwargs.get("excluded_mobjects"):
            found = family_members_with_points(mobjects, self.use_z_index)  # type: ignore[attr-defined]
            if found is not None:
                return found
        return list(Camera.get_mobjects_to_display(self, mobjects, **kwargs))  # type: ignore[arg-type]

    def _prepare_frame(self) -> None:
        """Per-frame set-up before anything is measured (3D: the rotation)."""

    # -- drawing ----------------------------------------------------------- #

    def capture_mobjects(self, mobjects: Any, **kwargs: Any) -> None:
        self._prepare_frame()
        self.looks.next_frame()
        mobs = self._mobjects_to_draw(mobjects, **kwargs)
        frame_key = self._frame_key()
        drawn = self.__dict__.get("_drawn")
        # Colours are measured only if the frame might be kept: in a turning view it cannot.
        might_keep = drawn is not None and drawn[1] == frame_key
        observed = [self._observe(mob, frame_key, might_keep) for mob in mobs]
        background = self.__dict__.get("_pending_background")
        ids = [id(m) for m in mobs]
        if (
            might_keep
            and background is not None
            and drawn[0] is background
            and drawn[2] == ids
            and all(same for same, _, _ in observed)
            and all(
                last is None or (look.style is not None and look.style == last.style)
                for _, look, last in observed
            )
        ):
            # Nothing changed since the last frame: its pixels are this frame's.
            self._pending_background = None
            return
        if background is not None:
            self._apply_background()
        else:
            self._own_pixels(keep=True)  # drawing over the last frame's pixels
        self._draw(mobs)
        self._drawn = (background, frame_key, ids)

    def _observe(self, mob: Mobject, frame_key: tuple, might_keep: bool) -> tuple[bool, Any, Any]:
        """Record how ``mob`` looks this frame: (same points and view as in the last
        frame, this frame's look, the last frame's look); looks are ``None`` if not kept."""
        if not isinstance(mob, VMobject):
            # Plain Mobjects (value trackers) are not drawn; anything else is, unkept.
            return self.type_or_raise(mob) is Mobject, None, None  # type: ignore[attr-defined]
        placement = self._placement(mob, frame_key)
        last = self.looks.get(id(mob))
        if last is not None and last.mobject is not mob:
            last = None
        # Points are measured only if they can match: in a turning 3D view they cannot.
        same_view = last is not None and last.placement == placement
        points = mob.points.tobytes() if same_view or last is None else None
        look = _Look(mob, placement, points, self._style(mob))
        if might_keep:
            fill, stroke, background, *plain, direction, image = look.paint
            look.style = (
                fill.tobytes(),
                stroke.tobytes(),
                background.tobytes(),
                *plain,
                direction.tobytes(),
                image,
                *self._style_extra(mob),
            )
        same = (
            same_view
            and points is not None
            and last.points is not None
            and _same_points(last, look)
        )
        if same:
            look.path = last.path
            look.sprite = last.sprite
        self.looks.keep(id(mob), look)
        return same, look, last

    def _draw(self, mobs: list[Mobject]) -> None:
        """Draw ``mobs`` in order, as ``Camera.capture_mobjects`` does."""
        for group_type, group in it.groupby(mobs, self.type_or_raise):  # type: ignore[attr-defined]
            self.display_funcs[group_type](list(group), self.pixel_array)  # type: ignore[attr-defined]

    def display_multiple_non_background_colored_vmobjects(
        self, vmobjects: Any, pixel_array: np.ndarray
    ) -> None:
        ctx = self.get_cairo_context(pixel_array)  # type: ignore[attr-defined]
        current = self.looks.current
        for vmobject in vmobjects:
            look = current.get(id(vmobject))
            if look is not None and look.mobject is vmobject:
                if not self._paint_sprite(ctx, vmobject, look):
                    self._paint(ctx, vmobject, look.paint)
            else:
                self.display_vectorized(vmobject, ctx)  # type: ignore[attr-defined]

    def _paint_sprite(self, ctx: cairo.Context, vmobject: VMobject, look: _Look) -> bool:
        """Paint a fill-only ``vmobject`` through its sprite, if it is one that gets one
        (:meth:`_sprite_worthy`); False if it is to be painted as manim paints it."""
        fill, _, _, width, background_width = look.paint[:5]
        if width or background_width or len(fill) != 1 or not self._sprite_worthy(vmobject):
            return False
        sprite = look.sprite  # kept while the points and the view stay the same
        if sprite is None:
            self.set_cairo_context_path(ctx, vmobject)
            sprite = look.sprite = _Sprite.of_path(ctx)
        self.set_cairo_context_color(ctx, fill, vmobject)  # type: ignore[attr-defined]
        return sprite.composite(ctx)

    def _sprite_worthy(self, vmobject: VMobject) -> bool:
        """Whether ``vmobject`` is painted through a sprite (:class:`_Sprite`). Whether it
        is must not depend on earlier frames: a sprite's pixels may differ from a direct
        fill's by one level, and a frame must not depend on which frames were drawn
        before it (a chapter's shares each draw some of them)."""
        return False

    def _paint(self, ctx: cairo.Context, vmobject: VMobject, paint: tuple) -> None:
        """``Camera.display_vectorized`` with the colours and widths already read."""
        fill, stroke, background_stroke, width, background_width, joint, cap = paint[:7]
        self.set_cairo_context_path(ctx, vmobject)
        if background_width:
            self._stroke(ctx, vmobject, background_stroke, background_width, joint, cap)
        self.set_cairo_context_color(ctx, fill, vmobject)  # type: ignore[attr-defined]
        ctx.fill_preserve()
        if width:
            self._stroke(ctx, vmobject, stroke, width, joint, cap)

    def _stroke(
        self, ctx: cairo.Context, vmobject: VMobject, rgbas: Any, width: float, joint: Any, cap: Any
    ) -> None:
        self.set_cairo_context_color(ctx, rgbas, vmobject)  # type: ignore[attr-defined]
        ctx.set_line_width(width * self.cairo_line_width_multiple)  # type: ignore[attr-defined]
        ctx.set_line_join(LINE_JOIN_MAP[joint])
        ctx.set_line_cap(CAP_STYLE_MAP[cap])
        ctx.stroke_preserve()

    def set_cairo_context_path(self, ctx: cairo.Context, vmobject: VMobject) -> Any:
        look = self.looks.current.get(id(vmobject))
        if look is None or look.mobject is not vmobject:
            return super().set_cairo_context_path(ctx, vmobject)  # type: ignore[misc]
        if look.path is not None:
            ctx.new_path()
            ctx.append_path(look.path)
            return self
        self._build_path(ctx, vmobject)
        look.path = ctx.copy_path()
        return self

    def _build_path(self, ctx: cairo.Context, vmobject: VMobject) -> None:
        """Manim's ``Camera.set_cairo_context_path``, the same calls with the same numbers.

        Each subpath's curves are read as one list of Python floats instead of one
        NumPy scalar per coordinate: 1.8x faster for long paths.
        """
        points = self.transform_points_pre_display(vmobject, vmobject.points)  # type: ignore[attr-defined]
        if len(points) == 0:
            return
        ctx.new_path()
        subpaths = vmobject.get_subpath_split_indices_from_points(points, n_dims=2)
        per_curve = vmobject.n_points_per_cubic_curve
        move_to, curve_to = ctx.move_to, ctx.curve_to
        xy = points[:, :2]
        for start, end in subpaths.tolist():
            curves = (end - start) // per_curve
            if curves < 1:
                continue
            ctx.new_sub_path()
            move_to(*xy[start].tolist())
            # Each curve's handles and end anchor: points 1 to 3 of its group of four.
            stop = start + curves * per_curve
            for handles_and_end in xy[start:stop].reshape(curves, -1)[:, 2:].tolist():
                curve_to(*handles_and_end)
            if vmobject.consider_points_equals_2d(points[start], points[end - 1]):
                ctx.close_path()


class LectureCamera(KeepingCameraMixin, Camera):
    """Manim's 2D :class:`~manim.Camera`, keeping unchanged paths and frames."""


class LectureRenderer(CairoRenderer):
    """Manim's ``CairoRenderer``, handing frames to the file writer without copying them.

    Manim copies every frame (8 MB at 1080p) so that the camera can draw the next one
    while the encoder still reads it; a keeping camera lends the buffer instead and
    draws the next frame in another one (:meth:`KeepingCameraMixin.lend_frame`).

    Nor does it draw for a play it skips (a still's plays before its moment, another
    share's plays): manim draws such a play's static and frozen frames and its last
    step, which no frame shows; the frame a still saves is drawn after the plays.
    """

    _playing = False
    #: What a still saves instead of the scene drawn at its end (a beat's last frame
    #: as the video draws it), set by the scene only when the render is a still (the
    #: scene asks the file writer); None: manim's own end of the scene.
    still_frame: np.ndarray | None = None

    def draw_scene(self, scene: Any) -> np.ndarray:
        """The scene as it stands, drawn whole (also inside a skipped play): a copy."""
        self.static_image = None
        CairoRenderer.update_frame(self, scene)
        return np.array(self.camera.pixel_array, copy=True)

    def scene_finished(self, scene: Any) -> None:
        if self.still_frame is not None:
            self.file_writer.save_image(self.still_frame)
            return
        super().scene_finished(scene)

    def play(self, scene: Any, *args: Any, **kwargs: Any) -> None:
        self._playing = True
        try:
            super().play(scene, *args, **kwargs)
        finally:
            self._playing = False

    def update_frame(self, scene: Any, *args: Any, **kwargs: Any) -> None:
        if self._playing and self.skip_animations:
            return
        super().update_frame(scene, *args, **kwargs)

    def save_static_frame_data(self, scene: Any, static_mobjects: Any) -> np.ndarray | None:
        if self.skip_animations:
            self.static_image = None
            return None
        return super().save_static_frame_data(scene, static_mobjects)

    def get_frame(self) -> np.ndarray:
        if isinstance(self.camera, KeepingCameraMixin):
            return self.camera.lend_frame()
        return super().get_frame()


def use_camera(kwargs: dict[str, Any], camera_class: type[Camera]) -> dict[str, Any]:
    """Make a scene's ``__init__`` kwargs draw with ``camera_class``.

    Sets ``camera_class``. Without a renderer (the Cairo renderer is configured),
    makes a :class:`LectureRenderer` with that camera and
    :class:`softmax_video.engine.video_writer.LectureFileWriter`. When a Cairo renderer is passed
    in (manim's ``frames_comparison`` test harness does this, with a plain
    ``Camera``), gives that renderer a ``camera_class`` camera.
    """
    kwargs.setdefault("camera_class", camera_class)
    renderer = kwargs.get("renderer")
    if renderer is None and config.renderer == RendererType.CAIRO:
        # Manim's own renderer, with frames handed to the writer and encoder uncopied.
        kwargs["renderer"] = LectureRenderer(
            file_writer_class=LectureFileWriter,
            camera_class=kwargs["camera_class"],
            skip_animations=kwargs.get("skip_animations", False),
        )
    elif isinstance(renderer, CairoRenderer) and not isinstance(renderer.camera, camera_class):
        renderer.camera = camera_class()
    return kwargs
