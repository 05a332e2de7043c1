"""softmax_video.kit.room: the camera reframes a 3D picture into the room a closing card
leaves (no rendering; projections as the camera computes them)."""

from __future__ import annotations

import numpy as np
import pytest
from manim import DEGREES, DOWN, UP, Square, Text, tempconfig
from manim.animation.animation import prepare_animation

from softmax_video.kit.lecture_scene import LectureThreeDScene
from softmax_video.kit.room import SMALLEST, reframe_for_room


class _Probe(LectureThreeDScene):
    chapter_name = "GaussiansThreeClass"


def probe(pixels: tuple[int, int], phi: float, theta: float) -> _Probe:
    scene = _Probe()
    scene.setup()
    scene.set_camera_orientation(phi=phi, theta=theta)
    return scene


def land(animations) -> None:
    """Leave each animation's mobject at its end state."""
    for animation in animations:
        animation = prepare_animation(animation)
        animation.begin()
        animation.finish()


SHAPES = {"9:16": (480, 854), "1:1": (480, 480)}
VIEWS = {"top-down": (0.0, -90 * DEGREES), "oblique": (60 * DEGREES, -50 * DEGREES)}


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("view", VIEWS)
def test_picture_lands_in_the_room_and_frame_overlays_stay(shape, view) -> None:
    width, height = SHAPES[shape]
    with tempconfig({"pixel_width": width, "pixel_height": height}):
        scene = probe((width, height), *VIEWS[view])
        picture = Square(side_length=0.8 * min(scene.usable_width, scene.usable_height))
        overlay = Text("fixed")
        scene.add_fixed_in_frame_mobjects(overlay)
        overlay_at = overlay.get_center().copy()
        # A card's worth at the bottom: the room is the band above it.
        low = np.array([-scene.usable_width / 2, scene.layout_bottom + 2.0])
        high = np.array([scene.usable_width / 2, scene.layout_top - 0.6])
        before = scene._screen_outline(picture)
        assert before[:, 1].min() < low[1]  # the card would cover the picture

        moves = reframe_for_room(scene.camera, lambda: scene._screen_outline(picture), (low, high))
        assert moves is not None and SMALLEST <= moves.scale <= 1
        land(moves.moves(scene.camera))
        after = scene._screen_outline(picture)
        tolerance = 0.02 * (high - low)
        assert np.all(after.min(axis=0) >= low - tolerance)
        assert np.all(after.max(axis=0) <= high + tolerance)
        # Fitted, not merely shrunk: it touches the room's sides or its top and bottom.
        spans = (after.max(axis=0) - after.min(axis=0)) / (high - low)
        assert spans.max() == pytest.approx(1.0, abs=0.03)
        assert np.allclose(overlay.get_center(), overlay_at)
        assert scene.camera.zoom_tracker.get_value() >= SMALLEST


def test_no_move_when_the_picture_would_be_too_small() -> None:
    with tempconfig({"pixel_width": 480, "pixel_height": 854}):
        scene = probe((480, 854), 0.0, -90 * DEGREES)
        picture = Square(side_length=0.9 * scene.frame_width)
        zoom = scene.camera.zoom_tracker.get_value()
        centre = scene.camera._frame_center.get_center().copy()
        tiny = (np.array([-0.5, -0.5]), np.array([0.5, 0.5]))
        assert reframe_for_room(scene.camera, lambda: scene._screen_outline(picture), tiny) is None
        # The camera is left as it stood.
        assert scene.camera.zoom_tracker.get_value() == zoom
        assert np.allclose(scene.camera._frame_center.get_center(), centre)
        picture.shift(UP + DOWN)
