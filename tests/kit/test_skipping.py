"""softmax_video.kit.skipping: a skipped play's animations, jumped to their end, leave
the scene exactly as manim's own skipped play does (points, colours, what is shown)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    AnimationGroup,
    Arrow,
    Circle,
    Create,
    FadeIn,
    FadeOut,
    GrowArrow,
    LaggedStart,
    MathTex,
    ReplacementTransform,
    Scene,
    Square,
    Transform,
    ValueTracker,
    Write,
    tempconfig,
)
from manim.animation.animation import prepare_animation
from manim.renderer.cairo_renderer import CairoRenderer
from manim.utils.rate_functions import there_and_back

from softmax_video.kit.skipping import _Jump, jump_to_end


def shapes() -> dict[str, object]:
    """Mobjects built the same way each call, with an updater that follows another."""
    square = Square(color="#4C9BE8").shift(LEFT)
    circle = Circle(color="#F28E2B", fill_opacity=0.5).shift(RIGHT)
    text = MathTex("p_1", "=", "0.5").shift(UP)
    tracker = ValueTracker(1.0)
    follower = Square(side_length=0.2).add_updater(lambda m: m.next_to(square, DOWN))
    return {"square": square, "circle": circle, "text": text, "tracker": tracker,
            "follower": follower, "arrow": Arrow(LEFT, RIGHT)}  # fmt: skip


#: Plays: (mobjects on screen first, animations of the play) from a fresh ``shapes()``.
PLAYS: dict[str, Callable[[dict], tuple[list, list]]] = {
    "fade in": lambda m: ([], [FadeIn(m["square"], shift=UP)]),
    "fade out": lambda m: ([m["square"]], [FadeOut(m["square"], shift=DOWN)]),
    "create and write": lambda m: ([], [Create(m["circle"]), Write(m["text"])]),
    "grow arrow": lambda m: ([], [GrowArrow(m["arrow"])]),
    "animate": lambda m: (
        [m["square"], m["follower"]],
        [m["square"].animate.shift(2 * UP).set_color("#3FB37F").scale(0.5)],
    ),
    "value tracker": lambda m: ([m["tracker"]], [m["tracker"].animate.set_value(3.5)]),
    "transform": lambda m: ([m["square"]], [Transform(m["square"], m["circle"])]),
    "transform alike": lambda m: (
        [m["square"], m["follower"]],
        [Transform(m["square"], Square(color="#3FB37F").rotate(0.3).shift(DOWN))],
    ),
    "replacement": lambda m: ([m["square"]], [ReplacementTransform(m["square"], m["circle"])]),
    "group": lambda m: (
        [m["square"], m["follower"]],
        [AnimationGroup(m["square"].animate.shift(RIGHT), FadeIn(m["circle"]), Create(m["arrow"]))],
    ),
    "lagged": lambda m: ([], [LaggedStart(FadeIn(m["square"]), Write(m["text"]), lag_ratio=0.3)]),
    "arc": lambda m: ([m["square"]], [Transform(m["square"], m["circle"], path_arc=1.0)]),
    "there and back": lambda m: (
        [m["square"]],
        [m["square"].animate(rate_func=there_and_back).shift(UP)],
    ),
}


def state(scene: Scene) -> list[tuple]:
    """What a frame would be drawn from: every shown mobject's points and colours."""
    return [
        (type(m).__name__, m.points.round(12).tobytes(),
         *(np.asarray(getattr(m, k, ())).tobytes() for k in ("fill_rgbas", "stroke_rgbas")),
         float(getattr(m, "stroke_width", 0.0)))
        for m in scene.mobjects
        for m in m.family_members_with_points()
    ]  # fmt: skip


def skipped_play(name: str, jump: bool) -> tuple[Scene, list]:
    """Run a play as manim's renderer runs a skipped one (its file writing aside)."""
    with tempconfig({"pixel_width": 64, "pixel_height": 36, "progress_bar": "none"}):
        scene = Scene(renderer=CairoRenderer(skip_animations=True))
        mobjects = shapes()
        shown, animations = PLAYS[name](mobjects)
        scene.add(*shown)
        animations = [prepare_animation(a) for a in animations]
        if jump:
            animations = [jump_to_end(a) for a in animations]
        scene.compile_animation_data(*animations)
        scene.begin_animations()
        scene.play_internal(skip_rendering=True)
        return scene, animations


@pytest.mark.parametrize("name", list(PLAYS))
def test_a_jumped_play_ends_as_manims_skipped_play(name):
    played, _ = skipped_play(name, jump=False)
    jumped, _ = skipped_play(name, jump=True)
    assert [type(m) for m in jumped.mobjects] == [type(m) for m in played.mobjects]
    assert state(jumped) == state(played)


@pytest.mark.parametrize("name", ["arc", "there and back"])
def test_paths_and_rates_that_do_not_end_at_the_target_are_played_as_they_are(name):
    _, animations = skipped_play(name, jump=True)
    assert not any(isinstance(a, _Jump) for a in animations)


@pytest.mark.parametrize("name", ["fade in", "animate", "transform alike", "group"])
def test_common_plays_do_jump(name):
    _, animations = skipped_play(name, jump=True)
    parts = [p for a in animations for p in getattr(a, "animations", [a])]
    assert any(isinstance(p, _Jump) for p in parts)


def test_the_skipped_play_does_move_things():
    """The comparison above is not of two scenes left untouched."""
    played, _ = skipped_play("animate", jump=False)
    still = Square(color="#4C9BE8").shift(LEFT)
    assert not np.allclose(played.mobjects[0].points, still.points)
    assert np.allclose(played.mobjects[0].get_center(), LEFT + 2 * UP)
