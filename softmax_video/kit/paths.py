"""Pieces for drawing many moving points in 3D: class-shaped markers that face the camera.

A flat :class:`~manim.Dot` in a 3D scene lies in the scene's xy plane: seen from the
side it turns into a thin ellipse, edge-on into a bar. :class:`FacingMarkers` keeps
one outline per class (a disc, a square, a triangle...) turned toward the camera every
frame, so each marker reads as the same shape from every angle, and the shape (not
only the colour) tells the classes apart.

Examples
--------
>>> import numpy as np
>>> from manim import WHITE
>>> marks = FacingMarkers(class_marker(1, 0.1, WHITE), [[0, 0, 0], [1, 0, 0]])
>>> marks.face(np.eye(3)).get_centers().round(6).tolist()
[[0.0, 0.0, 0.0], [1.0, 0.0, 0.0]]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import Circle, ManimColor, RegularPolygon, Square, VMobject

from softmax_video.kit.widgets import MarkerSet

__all__ = ["MARKER_SHAPES", "FacingMarkers", "class_marker"]

#: The marker shape of each class, in class order (repeats after the last).
MARKER_SHAPES: tuple[str, ...] = ("disc", "square", "triangle", "diamond", "hexagon")


def class_marker(k: int, radius: float, color: ManimColor | str, **style) -> VMobject:
    """The filled marker of class ``k`` (0-based): a shape of about the area of a disc
    of ``radius``, centred on the origin, in ``color`` (``style``: more VMobject style)."""
    shape = MARKER_SHAPES[k % len(MARKER_SHAPES)]
    if shape == "disc":
        marker: VMobject = Circle(radius=radius, num_components=13)
    elif shape == "square":
        marker = Square(side_length=radius * np.sqrt(np.pi))
    elif shape == "triangle":
        # Equal area: side^2 sqrt(3)/4 = pi r^2.
        marker = RegularPolygon(3, start_angle=np.pi / 2).scale_to_fit_width(
            radius * np.sqrt(4 * np.pi / np.sqrt(3))
        )
        marker.shift(-marker.get_center_of_mass())
    elif shape == "diamond":
        marker = Square(side_length=radius * np.sqrt(np.pi)).rotate(np.pi / 4)
    else:
        marker = RegularPolygon(6).scale_to_fit_width(2 * radius * 1.05)
    marker.move_to(np.zeros(3))
    style = {"stroke_width": 0, **style}
    return marker.set_fill(color, opacity=1.0).set_stroke(**_stroke(style))


def _stroke(style: dict) -> dict:
    out = {"width": style.get("stroke_width", 0)}
    if "stroke_color" in style:
        out["color"] = style["stroke_color"]
    return out


class FacingMarkers(MarkerSet):
    """Copies of one flat marker at 3D centres, turned to face the camera.

    Call :meth:`face` with the camera's rotation matrix (for manim's
    ``ThreeDCamera``: ``generate_rotation_matrix()``) whenever the camera turns, e.g.
    from an updater; the markers then lie in the screen's plane.

    Parameters
    ----------
    marker
        The flat look of every marker (drawn in the xy plane around its centre).
    centers
        Where the markers are, shape ``(n, 3)``.
    """

    def __init__(self, marker: VMobject, centers: Sequence[Sequence[float]] | np.ndarray) -> None:
        super().__init__(marker, centers)
        self.flat_outline = self.outline.copy()

    def face(self, rotation: np.ndarray) -> FacingMarkers:
        """Turn every marker into the screen plane of a camera with ``rotation``
        (scene point ``X`` is seen at ``rotation @ X``)."""
        centers = self.get_centers()
        self.outline = self.flat_outline @ np.asarray(rotation, dtype=float)
        return self.set_centers(centers)
