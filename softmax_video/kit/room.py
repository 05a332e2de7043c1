"""Room for a closing card in a 3D scene: the camera reframes the picture beside it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from manim import Animation

#: Gap (frame units) kept between the reframed picture and the card or the title.
GAP = 0.2

#: The smallest the picture may be made to leave room: below this the card stays over it.
SMALLEST = 0.55


@dataclass(frozen=True)
class Reframe:
    """Where the camera looks and its zoom to fit a picture into a room, and how much
    that shrinks the picture."""

    centre: np.ndarray
    zoom: float
    scale: float

    def moves(self, camera: Any) -> list[Animation]:
        """The camera's moves there (built when chosen: two ``.animate`` of one mobject
        would share its one target)."""
        return [
            camera._frame_center.animate.move_to(self.centre),
            camera.zoom_tracker.animate.set_value(self.zoom),
        ]


def reframe_for_room(
    camera: Any,
    outline: Callable[[], np.ndarray],
    room: tuple[np.ndarray, np.ndarray],
) -> Reframe | None:
    """The camera's view that brings the picture into ``room`` on screen, scaled down as
    much as it must be (to no less than :data:`SMALLEST`), or ``None`` when it cannot fit.

    ``outline()`` gives the picture's points as the viewer sees them with the camera as
    it stands (``(N, 2)``, frame coordinates); ``room`` is the lower-left and
    upper-right corners the picture should fit in. The camera's zoom and the point it
    looks at move (its angles stay), so everything in the scene's space moves with the
    picture and what is fixed in the frame stays.
    """
    low, high = (np.asarray(corner, dtype=float)[:2] for corner in room)
    if np.any(high - low <= 0):
        return None
    start_centre = np.array(camera._frame_center.get_center(), dtype=float)
    start_zoom = float(camera.zoom_tracker.get_value())
    target = (low + high) / 2
    centre, zoom = start_centre, start_zoom
    try:
        # Projection is perspective: solve for a flat picture, then correct twice with
        # the picture projected as the camera would then show it.
        for _ in range(3):
            points = outline()
            if not len(points):
                return None
            seen_low, seen_high = points.min(axis=0), points.max(axis=0)
            size = np.maximum(seen_high - seen_low, 1e-9)
            # Never larger than it stood: the room is for a card, not a close-up.
            scale = min(float(np.min((high - low) / size)), start_zoom / zoom)
            seen_centre = (seen_low + seen_high) / 2
            # Screen offset d at zoom z comes from a scene offset of d / z along the
            # camera's screen axes (rows of its rotation matrix).
            camera.reset_rotation_matrix()
            axes = camera.get_rotation_matrix()[:2]
            shift = seen_centre / zoom - target / (zoom * scale)
            centre = centre + shift @ axes
            zoom = zoom * scale
            camera._frame_center.move_to(centre)
            camera.zoom_tracker.set_value(zoom)
        if zoom / start_zoom < SMALLEST:
            return None
    finally:
        camera._frame_center.move_to(start_centre)
        camera.zoom_tracker.set_value(start_zoom)
        camera.reset_rotation_matrix()
    return Reframe(centre, zoom, zoom / start_zoom)
