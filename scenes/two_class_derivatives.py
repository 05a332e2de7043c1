"""Chapter 7: the loss of two classes, its gradient, and the slopes of ``p_1``.

Beats
-----
1. ``loss-surface``: ``L = -log p_t`` (``t`` = ``params.target_class``) over the
   logit square: near 0 where the target already wins, rising almost linearly
   where it loses. Heights above ``params.loss_cap`` are clipped flat (a note says so).
2. ``gradient``: arrows of the gradient ``p - y`` on the floor: all parallel to
   ``(1, -1)``, shrinking where ``p_t`` is close to 1.
3. ``descent``: the same arrows flipped in place to ``-(p - y)``, the direction
   gradient descent moves the logits.
4. ``partials``: the slopes of ``p_1`` from the softmax Jacobian,
   ``dp_1/dz_1 = p_1 p_2 = -dp_1/dz_2``: a ridge and a trough, equal and opposite.

Every height and arrow comes from :func:`softmax_math.logit_square_field` and
:func:`softmax_math.softmax_jacobian`, each evaluated once over its whole grid.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DEGREES,
    DOWN,
    LEFT,
    OUT,
    RIGHT,
    UP,
    Create,
    FadeIn,
    FadeOut,
    MathTex,
    Mobject,
    Tex,
    ValueTracker,
    VGroup,
)

from softmax_math import logit_square_field, softmax_jacobian
from softmax_video.core.text import tick_step
from softmax_video.engine.mesh import MeshSurface, colorscale_rgb
from softmax_video.kit.lecture_scene import LectureThreeDScene
from softmax_video.kit.plane_geometry import LogitAxes, diagonal_grid, floor_arrows, merged

__all__ = ["TwoClassDerivatives", "arrow_grid", "gradient_arrows"]

# -- layout (scene units, before the camera zoom) --------------------------- #
FLOOR_SIDE = 6.0
VALUE_LENGTH = 3.0
#: Faces along the diagonal (every surface here is constant that way).
FACES_ALONG = 8
#: Longest arrow as a share of the spacing between arrows.
ARROW_FILL = 0.85
#: Partial-derivative axis: dp/dz lies in [-1/4, 1/4].
SLOPE_RANGE = (-0.25, 0.25, 0.125)

OPENING = {"phi": 68 * DEGREES, "theta": -150 * DEGREES}
OVERVIEW = {"phi": 64 * DEGREES, "theta": -112 * DEGREES}
FROM_ABOVE = {"phi": 38 * DEGREES, "theta": -100 * DEGREES}
#: Nearly edge-on across the diagonal: the two slopes appear as mirrored bumps.
SIDE = {"phi": 80 * DEGREES, "theta": -128 * DEGREES}
SIDE_SWING = {"phi": 72 * DEGREES, "theta": -108 * DEGREES}


def arrow_grid(extent: float, per_side: int) -> tuple[np.ndarray, np.ndarray, float]:
    """Cell centres of a ``per_side`` x ``per_side`` grid over ``[-extent, extent]^2``.

    Returns
    -------
    z1, z2, spacing
        Arrow base points (2D arrays) and the distance between neighbours.
    """
    spacing = 2 * extent / per_side
    centres = -extent + spacing * (np.arange(per_side) + 0.5)
    z1, z2 = np.meshgrid(centres, centres, indexing="ij")
    return z1, z2, spacing


def gradient_arrows(extent: float, per_side: int, target: int) -> tuple[np.ndarray, ...]:
    """Base points and loss gradients ``p - onehot(target)`` of the arrow grid.

    Returns
    -------
    positions, gradient, spacing
        ``(n, n, 2)`` logits, ``(2, n, n)`` gradient components (d/dz1, d/dz2), spacing.
    """
    z1, z2, spacing = arrow_grid(extent, per_side)
    gradient = logit_square_field(z1, z2, target=target).gradient
    return np.stack([z1, z2], axis=-1), gradient, spacing


class TwoClassDerivatives(LectureThreeDScene):
    """``-log p_t`` as a surface, its gradient along ``(1, -1)``, and ``dp_1/dz``."""

    def construct(self) -> None:
        params = self.params
        theme = self.theme
        extent = params.extent
        target = params.target_class - 1
        other = 1 - target
        cap = params.loss_cap
        unit = FLOOR_SIDE / (2 * extent)
        zoom = min(0.92, self.frame_width / 9.5)
        if self.is_narrow:  # the surfaces reach 4.55 units left of the centre when turning
            zoom = min(zoom, self.usable_width / 9.1)
        self.set_camera_orientation(**OPENING, zoom=zoom, frame_center=0.9 * OUT)

        loss_axes = LogitAxes(
            theme,
            extent,
            unit,
            value_range=(0, cap, tick_step(cap, 8)),
            value_length=VALUE_LENGTH,
            names=("z_1", "z_2", "L"),
            value_ticks=(cap,),
            label_size=theme.body_size,
        )
        z1, z2 = diagonal_grid(extent, params.resolution, FACES_ALONG)
        loss = logit_square_field(z1, z2, target=target).loss
        clipped = np.minimum(loss, cap)
        loss_surface = MeshSurface(
            loss_axes.to_scene(z1, z2, clipped), fill_opacity=theme.surface_opacity
        )
        # Low loss in the target's colour, high loss in the loss colour.
        face_loss = 0.25 * (
            clipped[:-1, :-1] + clipped[1:, :-1] + clipped[1:, 1:] + clipped[:-1, 1:]
        )
        loss_surface.set_face_colors(
            colorscale_rgb(face_loss, [self.class_color(target), theme.color("loss")], (0, cap))
        )

        t = params.target_class
        title = self.fixed_in_frame(self.title(rf"The loss $L = -\log p_{t}$ and its gradient"))
        loss_note = self._corner(MathTex(rf"L = -\log p_{t}", font_size=theme.body_size), RIGHT)
        clip_note = self._corner(
            Tex(
                rf"heights above {cap:g} clipped",
                font_size=theme.small_size,
                color=theme.color("muted"),
            ),
            LEFT,
        )

        with self.beat(
            "loss-surface",
            f"Take class {t} as the target: the loss, minus log p{t}, is almost zero where "
            f"class {t} already wins and climbs nearly in a straight line where it loses.",
        ):
            self.add_fixed_orientation_mobjects(*loss_axes.labels)
            self.play_for(1.5, Create(loss_axes), FadeIn(title), FadeIn(loss_axes.labels))
            self.play_for(2.5, Create(loss_surface), FadeIn(loss_note))
            self.play_for(0.8, FadeIn(clip_note))
            self.move_camera(**OVERVIEW, run_time=self.seconds(4.0))

        # -- beat 2: gradient arrows on the floor ----------------------------- #
        positions, gradient, spacing = gradient_arrows(extent, params.arrows_per_side, target)
        plane = loss_axes.map
        arrows = floor_arrows(
            theme,
            plane,
            positions,
            (gradient[0], gradient[1]),
            spacing,
            fill=ARROW_FILL,
            stroke_width=3.5,
            max_tip_length=0.2,
        )
        sign = ValueTracker(1.0)
        arrows.add_updater(
            lambda m: m.set_vectors(sign.get_value() * gradient[0], sign.get_value() * gradient[1])
        )
        along = np.eye(2)[other] - np.eye(2)[target]  # e_other - e_target
        grad_note = self._corner(
            MathTex(rf"\nabla L = p - y = (1 - p_{t})\,{_vec(along)}", font_size=theme.body_size),
            RIGHT,
        )
        descent_note = self._corner(
            MathTex(
                rf"-\nabla L = (1 - p_{t})\,{_vec(-along)}",
                font_size=theme.body_size,
                color=theme.color("gradient"),
            ),
            RIGHT,
        )

        with self.beat(
            "gradient",
            f"Its gradient, p minus the one-hot target, points along {_words(along)} "
            f"everywhere, and shrinks to nothing where p{t} is already close to one.",
        ):
            self.play_for(1.0, loss_surface.animate.set_fill(opacity=0.3), FadeOut(loss_note))
            self.move_camera(**FROM_ABOVE, run_time=self.seconds(2.5))
            self.play_for(2.0, Create(arrows), FadeIn(grad_note))
            self.pause(3.0)

        with self.beat(
            "descent",
            "Gradient descent steps the opposite way: it raises one logit and lowers the "
            "other by the same amount, so only their difference changes.",
        ):
            self.play_for(
                2.5, sign.animate.set_value(-1.0), FadeOut(grad_note), FadeIn(descent_note)
            )
            self.pause(2.5)

        # -- beat 4: the partial derivatives of p_1 --------------------------- #
        arrows.clear_updaters()
        slope_axes = LogitAxes(
            theme,
            extent,
            unit,
            value_range=SLOPE_RANGE,
            value_length=VALUE_LENGTH,
            names=("z_1", "z_2", r"\partial p_1 / \partial z"),
            value_ticks=(-0.25, 0, 0.25),
            label_size=theme.body_size,
        )
        logits = np.stack([z1, z2], axis=-1)
        jacobian = softmax_jacobian(logits)
        slopes = [jacobian[..., 0, 0], jacobian[..., 0, 1]]  # dp1/dz1, dp1/dz2
        slope_surfaces = [
            MeshSurface(
                slope_axes.to_scene(z1, z2, slopes[k]),
                fill_color=self.class_color(k),
                fill_opacity=theme.surface_opacity,
            )
            for k in range(2)
        ]
        # A legend fixed in the frame: readable from every camera angle.
        legend = VGroup(
            *(
                merged(
                    MathTex(
                        rf"\blacksquare\;\; \partial p_1 / \partial z_{k + 1}",
                        font_size=theme.label_size,
                        color=self.class_color(k),
                    )
                )
                for k in range(2)
            )
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        if self.is_portrait:  # a row at the bottom: the formula takes the top
            legend.arrange(RIGHT, buff=0.5)
            legend = self._corner(legend, DOWN + RIGHT)
            legend.set_x(0)
        else:
            legend = self._corner(legend, UP + RIGHT)  # one merged mobject per colour
        slope_title = self.fixed_in_frame(self.title(r"How $p_1$ changes: the softmax Jacobian"))
        slope_note = self._corner(
            MathTex(
                r"\frac{\partial p_1}{\partial z_1} = p_1 p_2 = -\frac{\partial p_1}{\partial z_2}",
                font_size=theme.body_size,
            ),
            # Narrow frames: under the title, clear of the surfaces below.
            UP + LEFT if self.is_narrow else RIGHT,
        )

        with self.beat(
            "partials",
            "The softmax Jacobian gives the slopes of p1: along z1 it is p1 times p2, along z2 "
            "exactly the negative, so moving both logits together changes nothing.",
        ):
            self.play_for(
                1.5,
                FadeOut(loss_surface),
                FadeOut(arrows),
                FadeOut(descent_note),
                FadeOut(clip_note),
                FadeOut(loss_axes),
                FadeOut(loss_axes.labels),
                FadeOut(title),
                FadeIn(slope_title),
            )
            self.add_fixed_orientation_mobjects(*slope_axes.labels)
            self.move_camera(**SIDE_SWING, run_time=self.seconds(2.0))
            self.play_for(1.0, FadeIn(slope_axes), FadeIn(slope_axes.labels))
            for k in range(2):
                self.play_for(1.8, Create(slope_surfaces[k]), FadeIn(legend[k]))
            self.play_for(1.0, FadeIn(slope_note))
            self.move_camera(**SIDE, run_time=self.seconds(4.0))

    # -- helpers ----------------------------------------------------------------- #

    def _corner(self, mob: Mobject, side: np.ndarray) -> Mobject:
        """A note fixed in a bottom corner (portrait: left ones go under the title)."""
        flat = merged(mob)
        share = 0.9 if self.is_portrait else 0.55 if self.is_narrow else 0.42
        self.fit(flat, width=self.usable_width * share)
        if side[1] > 0 or (self.is_portrait and side is LEFT):
            # Top corners sit under the title.
            self.pin_to(flat, UP + (RIGHT if side[0] > 0 else LEFT)).shift(1.0 * DOWN)
        else:
            self.pin_to(flat, DOWN + side)
        self.add_fixed_in_frame_mobjects(flat)
        self.remove(flat)
        return flat


def _vec(v: np.ndarray) -> str:
    """A 2-vector of +-1 as LaTeX, e.g. ``(-1, 1)``."""
    return "(" + ", ".join(f"{int(c)}" for c in v) + ")"


def _words(v: np.ndarray) -> str:
    """A 2-vector of +-1 for narration, e.g. ``(minus one, one)``."""
    words = {1: "one", -1: "minus one"}
    return "(" + ", ".join(words[int(c)] for c in v) + ")"
