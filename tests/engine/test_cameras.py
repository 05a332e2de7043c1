"""The keeping cameras (softmax_video/engine/cameras.py) never show a stale picture.

Each test changes one thing a frame depends on and checks that a camera which kept
paths and frames from before draws exactly what a fresh manim ``Camera`` draws.
"""

from __future__ import annotations

import numpy as np
import pytest
from manim import (
    BLUE,
    DOWN,
    LEFT,
    ORIGIN,
    RED,
    RIGHT,
    UP,
    Camera,
    Circle,
    Dot,
    MathTex,
    PointCloudDot,
    Square,
    ValueTracker,
    VGroup,
    VMobject,
    tempconfig,
)
from manim.utils.family import extract_mobject_family_members

from softmax_video.engine.cameras import LectureCamera, LectureRenderer, family_members_with_points

SIZE = {"pixel_width": 192, "pixel_height": 108, "frame_rate": 15}


def _frame(camera: Camera, mobjects: list, background: np.ndarray | None = None) -> np.ndarray:
    if background is None:
        camera.reset()
    else:
        camera.set_frame_to_background(background)
    camera.capture_mobjects(mobjects)
    return np.array(camera.pixel_array)


def _scene() -> list:
    square = Square(1.5, color=BLUE, fill_opacity=0.6).shift(2 * LEFT)
    circle = Circle(0.8, color=RED, stroke_width=6).shift(2 * RIGHT)
    formula = MathTex(r"p_i = \frac{e^{z_i}}{\sum_j e^{z_j}}").shift(1.5 * UP)
    return [square, circle, formula]


CHANGES = {
    "move": lambda m: m[1].shift(0.3 * UP),
    "fill colour": lambda m: m[0].set_fill(RED, opacity=0.9),
    "fill opacity": lambda m: m[2].set_opacity(0.4),
    "fill colour in place": lambda m: m[0].fill_rgbas.__setitem__((0, 0), 1.0),
    "stroke width": lambda m: m[1].set_stroke(width=2),
    "stroke colour": lambda m: m[1].set_stroke(color=BLUE),
    "background stroke": lambda m: m[2].set_stroke(color=RED, width=4, background=True),
    "reshape": lambda m: m[0].become(Square(1.0).shift(2 * LEFT)),
    "scale": lambda m: m[2].scale(0.7),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_kept_frames_follow_every_change(change: str) -> None:
    with tempconfig(SIZE):
        mobjects = _scene()
        kept = LectureCamera()
        first = _frame(kept, mobjects)
        np.testing.assert_array_equal(first, _frame(Camera(), mobjects))
        # Nothing changed: the frame is kept, and it is the same picture.
        np.testing.assert_array_equal(_frame(kept, mobjects), first)
        CHANGES[change](mobjects)
        changed = _frame(kept, mobjects)
        np.testing.assert_array_equal(changed, _frame(Camera(), mobjects))
        assert not np.array_equal(changed, first)  # the change shows


def test_frames_lent_to_the_writer_are_never_written_again() -> None:
    with tempconfig(SIZE):
        mobjects = _scene()
        renderer = LectureRenderer(camera_class=LectureCamera)
        camera, fresh = renderer.camera, Camera()
        lent, expected = [], []
        # None: no change (the second such frame in a row is kept, not drawn)
        for change in ["move", None, None, "fill colour", "scale", None, None]:
            if change:
                CHANGES[change](mobjects)
            _frame(camera, mobjects)
            lent.append(renderer.get_frame())
            expected.append(_frame(fresh, mobjects))
        # Drawing over the last frame without a new background keeps its pixels.
        dot = Dot(color=RED).shift(DOWN)
        camera.capture_mobjects([dot])
        fresh.capture_mobjects([dot])
        lent.append(renderer.get_frame())
        expected.append(np.array(fresh.pixel_array))
        for index, (frame, picture) in enumerate(zip(lent, expected, strict=True)):
            np.testing.assert_array_equal(frame, picture, err_msg=f"frame {index}")
        assert not lent[0].flags.writeable
        # A kept frame is the same buffer; a drawn one another.
        assert lent[1].base is lent[2].base  # a kept frame is lent again, not copied
        assert lent[-1].base is not lent[-2].base  # drawing over a lent frame leaves it
        # Once the writer lets go of its frames, their buffers are drawn into again.
        buffers = len(camera.frames.buffers)
        del lent, frame
        for _ in range(4):
            CHANGES["move"](mobjects)
            _frame(camera, mobjects)
            picture = renderer.get_frame()
            np.testing.assert_array_equal(picture, _frame(fresh, mobjects))
            del picture
        assert len(camera.frames.buffers) == buffers


def test_order_background_and_new_mobjects_count() -> None:
    with tempconfig(SIZE):
        a = Square(2, color=BLUE, fill_opacity=1)
        b = Square(2, color=RED, fill_opacity=1).shift(0.5 * RIGHT)
        kept = LectureCamera()
        _frame(kept, [a, b])
        # Same mobjects, other order: drawn again (red under blue now).
        np.testing.assert_array_equal(_frame(kept, [b, a]), _frame(Camera(), [b, a]))
        # A mobject added: drawn again.
        dot = Dot()
        np.testing.assert_array_equal(_frame(kept, [b, a, dot]), _frame(Camera(), [b, a, dot]))
        # Another background (manim's static image of an animation): drawn again on it.
        fresh = Camera()
        background = _frame(fresh, [Circle(3, color=RED, fill_opacity=1)])
        got = _frame(kept, [b, a, dot], background)
        np.testing.assert_array_equal(got, _frame(Camera(), [b, a, dot], background))
        # Drawn on top without a reset (no fresh background): never a kept frame.
        kept.capture_mobjects([dot.copy().shift(RIGHT)])
        top = np.array(kept.pixel_array)
        fresh = Camera()
        fresh.set_frame_to_background(got)
        fresh.capture_mobjects([dot.copy().shift(RIGHT)])
        np.testing.assert_array_equal(top, fresh.pixel_array)


def test_value_trackers_are_invisible_and_point_clouds_are_always_drawn() -> None:
    with tempconfig(SIZE):
        tracker = ValueTracker(1.0)
        group = VGroup(Square(1, fill_opacity=1))
        kept = LectureCamera()
        first = _frame(kept, [tracker, group])
        tracker.set_value(2.0)  # not drawn: the frame is the same
        np.testing.assert_array_equal(_frame(kept, [tracker, group]), first)
        cloud = PointCloudDot(color=RED)
        with_cloud = _frame(kept, [group, cloud])
        np.testing.assert_array_equal(with_cloud, _frame(Camera(), [group, cloud]))
        cloud.shift(RIGHT)
        np.testing.assert_array_equal(
            _frame(kept, [group, cloud]), _frame(Camera(), [group, cloud])
        )


def test_kept_path_survives_rounding_noise_only() -> None:
    """Re-placing a mobject where it already is (1e-16 noise) keeps its path; a real
    move of a fraction of a pixel builds a new one."""
    with tempconfig(SIZE):
        dot = Dot(radius=0.5)
        kept = LectureCamera()
        _frame(kept, [dot])
        path = kept.looks.current[id(dot)].path
        assert path is not None
        dot.shift(1e-16 * RIGHT)
        _frame(kept, [dot])
        assert kept.looks.current[id(dot)].path is path
        dot.shift(0.01 * RIGHT)
        moved = _frame(kept, [dot])
        assert kept.looks.current[id(dot)].path is not path
        np.testing.assert_array_equal(moved, _frame(Camera(), [dot]))


def _tree(rng: np.random.Generator, depth: int, pool: list) -> VGroup | Dot:
    """A random family: nested groups, empty groups, shared members, z-indices."""
    if depth == 0 or rng.random() < 0.3:
        if pool and rng.random() < 0.3:
            return pool[int(rng.integers(len(pool)))]  # the same mobject in two places
        leaf = Dot().set_z_index(int(rng.integers(-2, 3)))
        pool.append(leaf)
        return leaf
    group = VGroup(*(_tree(rng, depth - 1, pool) for _ in range(int(rng.integers(0, 4)))))
    return group.set_z_index(int(rng.integers(-2, 3))) if rng.random() < 0.2 else group


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("use_z_index", [False, True])
def test_family_walk_matches_manim(seed: int, use_z_index: bool) -> None:
    rng = np.random.default_rng(seed)
    pool: list = []
    mobjects = [_tree(rng, 4, pool) for _ in range(4)]
    if pool:
        mobjects.append(pool[0])  # a leaf also added on its own
    expected = extract_mobject_family_members(
        mobjects, use_z_index=use_z_index, only_those_with_points=True
    )
    assert family_members_with_points(mobjects, use_z_index) == expected


def test_family_walk_defers_to_mobjects_with_their_own_family() -> None:
    class Odd(VGroup):
        def get_family(self, recurse: bool = True) -> list:
            return [self]

    assert family_members_with_points([VGroup(Odd(Dot()))], False) is None


def _path_mobjects() -> dict:
    open_curve = VMobject().set_points_smoothly([LEFT, UP, RIGHT, 2 * RIGHT + DOWN])
    two_pieces = VMobject()
    two_pieces.set_points_as_corners([LEFT, UP, RIGHT])
    two_pieces.add_points_as_corners([RIGHT + DOWN])
    two_pieces.start_new_path(2 * DOWN)
    two_pieces.add_points_as_corners([2 * DOWN + RIGHT, 3 * DOWN])
    not_finite = Square()
    not_finite.points[2] = np.nan
    return {
        "closed": Square(1.5),
        "open curve": open_curve,
        "subpaths": two_pieces,
        "glyphs": MathTex(r"\sum_j e^{z_j}")[0][0],
        "one point": VMobject().set_points(np.array([ORIGIN])),
        "empty": VMobject(),
        "not finite": not_finite,
    }


@pytest.mark.parametrize("name", list(_path_mobjects()))
def test_built_paths_are_manims(name: str) -> None:
    """The camera's path builder issues the Cairo path manim's builder issues."""
    with tempconfig(SIZE):
        mobject = _path_mobjects()[name]
        camera = LectureCamera()
        pixels = np.zeros((camera.pixel_height, camera.pixel_width, 4), dtype=np.uint8)
        ctx = camera.get_cairo_context(pixels)
        Camera.set_cairo_context_path(camera, ctx, mobject)
        stock = list(ctx.copy_path())
        ctx.new_path()
        camera._build_path(ctx, mobject)
        assert list(ctx.copy_path()) == stock
        if name in ("closed", "subpaths", "glyphs"):
            assert len(stock) > 4  # a real path was compared


def _getter_style(mobject: VMobject) -> tuple:
    """The paint as manim's getters report it."""
    return (
        mobject.get_fill_rgbas(),
        mobject.get_stroke_rgbas(),
        mobject.get_stroke_rgbas(background=True),
        mobject.get_stroke_width(),
        mobject.get_stroke_width(background=True),
        mobject.joint_type,
        mobject.cap_style,
        mobject.get_sheen_factor(),
        mobject.get_sheen_direction(),
        mobject.get_background_image(),
    )


class _DimmedSquare(Square):
    """A mobject that reports its fill through its own getter."""

    def get_fill_rgbas(self):
        return 0.5 * super().get_fill_rgbas()


def _styled_mobjects() -> list:
    sheened = Square(fill_opacity=1).set_sheen(0.4, UP)
    backed = MathTex("x").set_stroke(RED, 3, background=True)
    negative = Circle().set_stroke(width=-2)
    bare = VMobject()
    del bare.fill_rgbas  # manim's getters fall back to zeros
    return [sheened, backed[0][0], negative, bare, _DimmedSquare(fill_opacity=0.8)]


@pytest.mark.parametrize("index", range(len(_styled_mobjects())))
def test_style_reads_what_manims_getters_report(index: int) -> None:
    mobject = _styled_mobjects()[index]
    with tempconfig(SIZE):
        style = LectureCamera()._style(mobject)
    expected = _getter_style(mobject)
    assert len(style) == len(expected)
    for ours, theirs in zip(style, expected, strict=True):
        if isinstance(theirs, np.ndarray):
            np.testing.assert_array_equal(ours, theirs)
        else:
            assert ours == theirs
