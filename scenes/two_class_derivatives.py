"""Chapter 7: the slopes of ``p_1``, the loss of two classes, and its gradient.

Beats
-----
1. ``slope-z1``: ``dp_1/dz_1 = p_1 p_2`` over the logit square: a ridge of height
   ``1/4`` along ``z_1 = z_2``, near 0 far from it.
2. ``slope-z2``: ``dp_1/dz_2 = -p_1 p_2``, the mirrored trough (a matching-part morph of
   the formula); edge-on along ``(1, 1)`` the two cancel: no change along ``(1, 1)``.
3. ``loss``: both losses, ``-log p_1`` and ``-log p_2``, over a floor grid at 0 (heights
   above ``params.loss_cap`` clipped flat).
4. ``loss-profile``: edge-on along ``(1, 1)``: each loss near 0 where its class wins and
   close to the straight line ``|z_1 - z_2|`` where it loses.
5. ``chain-rule``: ``dL/dz`` for the target class ``t`` (``params.target_class``) by the
   chain rule from the slopes of beat 1: ``nabla L = (1 - p_t)(e_o - e_t) = p - y``.
6. ``gradient``: arrows of ``p - y`` on the floor grid, all along ``e_o - e_t``,
   shrinking where ``p_t`` is close to 1.
7. ``descent``: the arrows flip to ``-(p - y)``: at right angles to the flat ``(1, 1)``.
8. ``takeaway``: the closing card.

Every height and arrow comes from :func:`softmax_math.logit_square_field` and
:func:`softmax_math.softmax_jacobian`, each evaluated once over its whole grid.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import numpy as np
from manim import (
    DEGREES,
    DOWN,
    LEFT,
    ORIGIN,
    OUT,
    RIGHT,
    UP,
    Create,
    DashedLine,
    FadeIn,
    FadeOut,
    MathTex,
    Mobject,
    Tex,
    ValueTracker,
    VGroup,
    VMobject,
)

from softmax_math import logit_square_field, softmax_jacobian
from softmax_video.core.text import tick_step
from softmax_video.engine.mesh import MeshSurface, colorscale_rgb
from softmax_video.kit.lecture_scene import LectureThreeDScene
from softmax_video.kit.plane_geometry import (
    LogitAxes,
    diagonal_grid,
    difference_axis,
    floor_arrows,
    floor_numbers,
    merged,
    on_floor,
)
from softmax_video.kit.room import reframe_for_room

__all__ = ["TwoClassDerivatives", "arrow_grid", "gradient_arrows", "loss_profile"]

# -- layout (scene units, before the camera zoom) --------------------------- #
FLOOR_SIDE = 6.0
VALUE_LENGTH = 3.0
#: The slopes' axis is shorter: ridge and trough together stay above the caption band.
SLOPE_LENGTH = 2.4
#: Faces along the diagonal (every surface here is constant that way).
FACES_ALONG = 8
#: Longest arrow as a share of the spacing between arrows.
ARROW_FILL = 0.85
#: Slope axis: dp/dz lies in [-1/4, 1/4].
SLOPE_RANGE = (-0.25, 0.25, 0.125)
#: Room left beside a note at the frame's edge for its highlight box (buff and stroke).
BOX_ROOM = 0.15
#: Distance between the tops of the lines of the notes column (frame units).
ROW_STEP = 1.0
#: Samples of the edge-on loss profiles.
PROFILE_SAMPLES = 121

OVERVIEW = {"phi": 64 * DEGREES, "theta": -112 * DEGREES}
FROM_ABOVE = {"phi": 30 * DEGREES, "theta": -100 * DEGREES}
#: Edge-on along (1, 1): (1, -1), the difference z_1 - z_2, runs left to right.
EDGE_ON = {"phi": 84 * DEGREES, "theta": -135 * DEGREES}
#: Frame centres: the slopes straddle the floor, the losses stand on it.
SLOPE_CENTRE = -0.35 * OUT
LOSS_CENTRE = 1.0 * OUT
FLOOR_CENTRE = 0.2 * OUT
#: Narrow frames (9:16, 1:1): the floor seen nearer along a side than along its
#: diagonal projects narrower, so the picture can be drawn larger; from a little higher.
NARROW_OVERVIEW = {"phi": 60 * DEGREES, "theta": -102 * DEGREES}
NARROW_FROM_ABOVE = {"phi": 28 * DEGREES, "theta": -96 * DEGREES}
#: Portrait: the value axes taller, into the frame's height.
PORTRAIT_TALLER = 1.3
#: Gap (frame units) between the picture and the notes or captions' band around it.
ROOM_GAP = 0.2


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


def loss_profile(extent: float, target: int, samples: int = PROFILE_SAMPLES) -> tuple:
    """The loss ``-log p_target`` along the cut ``z_2 = -z_1`` of the square.

    Returns
    -------
    z1, z2, loss
        Logits of the samples and the loss there, from the softmax.
    """
    z1 = np.linspace(-extent, extent, samples)
    z2 = -z1
    return z1, z2, logit_square_field(z1, z2, target=target).loss


class TwoClassDerivatives(LectureThreeDScene):
    """The slopes of ``p_1``, ``-log p`` as surfaces, and their gradient along ``(1, -1)``."""

    def construct(self) -> None:
        self.setup_stage()
        self.slope_z1()
        self.slope_z2()
        self.losses()
        self.edge_profile()
        self.chain_rule()
        self.gradient()
        self.descent()
        self.takeaway()

    # -- the stage -------------------------------------------------------------- #

    def setup_stage(self) -> None:
        # Labels keep their size as the camera zooms: a little smaller in narrow frames,
        # where the picture is drawn smaller.
        scale = 0.85 if self.is_portrait else 0.9 if self.is_narrow else 1.0
        self.body, self.label, self.small = (
            scale * size
            for size in (self.theme.body_size, self.theme.label_size, self.theme.small_size)
        )
        params, theme = self.params, self.theme
        extent = params.extent
        self.target = params.target_class - 1
        self.other = 1 - self.target
        unit = FLOOR_SIDE / (2 * extent)
        self.overview = NARROW_OVERVIEW if self.is_narrow else OVERVIEW
        self.from_above = NARROW_FROM_ABOVE if self.is_narrow else FROM_ABOVE
        taller = PORTRAIT_TALLER if self.is_portrait else 1.0
        self.set_camera_orientation(
            **self.overview, zoom=self._zoom(), frame_center=self._centre(0)
        )
        # A hair inside the usable width: anti-aliased letters would touch the safe margin.
        self.title_mob = self.fixed_in_frame(
            self.to_top(self.fit(self.title(), self.usable_width * 0.95))
        )

        self.slope_axes = self._axes(
            unit,
            SLOPE_RANGE,
            r"\partial p_1 / \partial z",
            [(-0.25, r"-\tfrac14"), (0.25, r"\tfrac14")],
            length=SLOPE_LENGTH,
        )
        cap = params.loss_cap
        self.loss_axes = self._axes(
            unit,
            (0, cap, tick_step(cap, 8)),
            "L",
            [(v, f"{v:g}") for v in self._loss_ticks(cap)],
            length=VALUE_LENGTH * taller,
        )
        self._slope_name_left()
        # The z_2 name a little past its axis's tip, clear of the number 4 beside it.
        self.slope_axes.names[1].shift(0.35 * UP)
        self.numbers = floor_numbers(
            theme, self.slope_axes, tick_step(2 * extent, 5, smallest=1.0), self.small
        )
        self.grid = self._floor_grid(extent)
        z1, z2 = diagonal_grid(extent, params.resolution, FACES_ALONG)
        self.z1, self.z2 = z1, z2
        jacobian = softmax_jacobian(np.stack([z1, z2], axis=-1))
        gradient = theme.color("gradient")
        self.slopes = [
            MeshSurface(
                self.slope_axes.to_scene(z1, z2, jacobian[..., 0, k]),
                fill_color=gradient,
                fill_opacity=theme.surface_opacity,
            )
            for k in range(2)
        ]
        losses = [np.minimum(logit_square_field(z1, z2, target=k).loss, cap) for k in range(2)]
        self.loss_surfaces = []
        for k in range(2):
            surface = MeshSurface(
                self.loss_axes.to_scene(z1, z2, losses[k]), fill_opacity=theme.surface_opacity
            )
            c = losses[k]
            face = 0.25 * (c[:-1, :-1] + c[1:, :-1] + c[1:, 1:] + c[:-1, 1:])
            # Near 0 (class k wins) in class k's colour, high in the loss colour.
            surface.set_face_colors(
                colorscale_rgb(face, [self.class_color(k), theme.color("loss")], (0, cap))
            )
            self.loss_surfaces.append(surface)

    # -- beats ------------------------------------------------------------------- #

    def slope_z1(self) -> None:
        axes, theme, extent = self.slope_axes, self.theme, self.params.extent
        # Above the ridge's right shoulder (z_1 - z_2 = 0.6 extent), seen from any side.
        tag = self._tag(
            r"\partial p_1 / \partial z_1",
            axes.to_scene(0.7 * extent, 0.1 * extent, 0.16) + 0.3 * OUT,
        )
        self.slope_tags = [tag]

        # Narrow frames: as large as fits under the first line of formulas (the second
        # slope comes in beside the first).
        def framing() -> dict:
            return self._framing(
                self.overview,
                self._zoom(),
                self._centre(0),
                [axes, self.grid, *self.slopes],
                [*axes.labels, *self.numbers[0], *self.numbers[1], tag],
                top=self._under_rows(1),
            )

        view = framing()
        if self.is_narrow:
            # This view turns the z_2 axis up under the slope's name: the name goes
            # higher, clear of z_2's, and the picture is framed again with it there.
            lift = 0.6 / view["zoom"] - 0.25 * 0.95 / self._zoom()
            axes.names[2].shift(lift * OUT)
            view = framing()
        self.set_camera_orientation(**view)
        with self.beat(
            "slope-z1",
            "First, how fast does p1 change as z1 grows? Its slope is <mark:formula> p1 "
            "times p2: a ridge, one quarter high where the classes tie, and almost zero far "
            "from it.",
        ):
            labels = [*axes.labels, *self.numbers[0], *self.numbers[1]]
            self.add_fixed_orientation_mobjects(*labels)
            self.play_for(
                1.5,
                FadeIn(self.title_mob),
                Create(axes),
                FadeIn(self.grid),
                *(FadeIn(m) for m in labels),
            )
            self.play_for(2.0, Create(self.slopes[0]), FadeIn(tag))
            self.at_mark("formula")
            formula = MathTex(
                r"\frac{\partial p_1}{\partial z_1}", "=", "p_1 p_2", font_size=self.body,
                color=theme.color("gradient"),
            )  # fmt: skip
            self._stack(formula, 0)
            self.play_for(1.2, FadeIn(formula))
            self.highlight(formula)
            self.slope_formula = formula

    def slope_z2(self) -> None:
        axes, theme, extent = self.slope_axes, self.theme, self.params.extent
        # Below the trough's shoulder, mirroring the ridge's tag.
        tag = self._tag(
            r"\partial p_1 / \partial z_2",
            axes.to_scene(-0.1 * extent, -0.7 * extent, -0.16) - 0.3 * OUT,
        )
        self.slope_tags.append(tag)
        second = MathTex(
            r"\frac{\partial p_1}{\partial z_2}", "=", "-", "p_1 p_2", font_size=self.body,
            color=theme.color("gradient"),
        )  # fmt: skip
        first = self.slope_formula
        cut_axis, cut_name, cut_numbers = difference_axis(
            theme, axes.map, extent, self.small, self.body
        )
        with self.beat(
            "slope-z2",
            "Along z2 the slope is exactly the negative, <mark:minus> minus p1 p2, a mirrored "
            "trough; seen edge on, <mark:cancel> the two cancel, so raising both logits "
            "together leaves p1 alone.",
        ):
            self.play_for(2.0, Create(self.slopes[1]), FadeIn(tag))
            self.at_mark("minus")
            if self.is_narrow:  # beside the first: the picture keeps the frame's height
                self._stack(second, 0, beside=first)
            else:
                self._stack(second, 1)
            moved = first.copy()
            self.add_fixed_in_frame_mobjects(moved)
            self.play_for(1.2, self.morph_in_frame(moved, second))
            self.play_for(0.6, *(FadeOut(m) for m in (*self.numbers[0], *self.numbers[1])))
            # 16:9: a little smaller, clear of the column of formulas at its left; narrow
            # frames: as large as fits under the three formulas.
            self.move_camera(
                **self._framing(
                    EDGE_ON,
                    self._edge_zoom() * 0.86,
                    None,
                    [axes, *self.slopes, cut_axis],
                    [*axes.labels, cut_name, *cut_numbers, *self.slope_tags],
                    top=self._under_rows(2 if self.is_narrow else 3),
                ),
                run_time=self.seconds(2.5),
            )
            self.add_fixed_orientation_mobjects(cut_name, *cut_numbers)
            self.play_for(1.0, Create(cut_axis), FadeIn(cut_name), FadeIn(cut_numbers))
            self.at_mark("cancel")
            total = MathTex(
                r"\frac{\partial p_1}{\partial z_1} + \frac{\partial p_1}{\partial z_2} = 0",
                font_size=self.body,
                color=theme.color("accent"),
            )
            self._stack(total, 1 if self.is_narrow else 2)
            self.play_for(1.0, FadeIn(total))
            self.highlight(total)
        self.slope_notes = [first, second, total]
        self.cut = (cut_axis, cut_name, cut_numbers)

    def losses(self) -> None:
        theme = self.theme
        slope_axes, loss_axes = self.slope_axes, self.loss_axes
        cut_axis, cut_name, cut_numbers = self.cut
        clip_note = Tex(
            rf"heights above {self.params.loss_cap:g} clipped",
            font_size=self.label,
            color=theme.color("muted"),
        )
        self.corner_note(clip_note)
        with self.beat(
            "loss",
            "Training scores these probabilities with the loss minus log p: <mark:one> minus "
            "log p1 when the answer is class one, <mark:two> minus log p2 when it is class two.",
        ):
            self.play_for(
                1.0,
                *(FadeOut(m) for m in (*self.slopes, *self.slope_tags, *self.slope_notes)),
                FadeOut(cut_axis),
                FadeOut(cut_name),
                FadeOut(cut_numbers),
                FadeOut(slope_axes.value_axis),
                *(FadeOut(m) for m in slope_axes.labels[2:]),
            )
            # Narrow frames: the names of the losses go above their plateaus, under the
            # title; the note on clipping under the picture.
            self.move_camera(
                **self._framing(
                    self.overview,
                    self._zoom(),
                    self._centre(1),
                    [loss_axes, self.grid, *self.loss_surfaces],
                    [*loss_axes.labels, *self.numbers[0], *self.numbers[1]],
                    top=self.top_under_title(0.15) - self._tag_room(),
                    bottom=clip_note.get_top()[1],
                ),
                run_time=self.seconds(2.0),
                added_anims=[FadeIn(m) for m in (*self.numbers[0], *self.numbers[1])],
            )
            value_labels = [loss_axes.names[2], *loss_axes.ticks]
            self.add_fixed_orientation_mobjects(*value_labels)
            self.play_for(1.0, Create(loss_axes.value_axis), *(FadeIn(m) for m in value_labels))
            # Each name beside its loss's clipped plateau, off the surfaces (16:9: out to
            # the sides; narrow frames: above them, under the title).
            sides = (UP, UP) if self.is_narrow else (LEFT, RIGHT)
            tags = [self._loss_tag(k, sides[k]) for k in range(2)]
            for k, mark in enumerate(("one", "two")):
                self.at_mark(mark)
                self.play_for(1.5, Create(self.loss_surfaces[k]), FadeIn(tags[k]))
            self.play_for(0.6, FadeIn(clip_note))
        self.clip_note = clip_note
        self.loss_tags = tags

    def edge_profile(self) -> None:
        theme, extent, cap = self.theme, self.params.extent, self.params.loss_cap
        axes = self.loss_axes
        cut_axis, cut_name, cut_numbers = self.cut
        # The straight lines the losses approach: L = |z_1 - z_2| on the loser's side.
        reach = min(cap, 2 * extent)
        lines = VGroup()
        for sign in (-1, 1):
            d = np.array([0.0, sign * reach])
            line = DashedLine(
                axes.to_scene(d[0] / 2, -d[0] / 2, 0.0),
                axes.to_scene(d[1] / 2, -d[1] / 2, reach),
                color=theme.color("text"),
                stroke_width=3,
                dash_length=0.12,
            )
            lines.add(merged(line))
        lines.set_z_index(1)
        note = MathTex(r"L \approx |z_1 - z_2|", font_size=self.body)
        zero = MathTex(r"L \approx 0", font_size=self.body)
        with self.beat(
            "loss-profile",
            "Seen edge on, each loss lies <mark:zero> almost flat on the floor where its "
            "class wins, and climbs <mark:line> almost in a straight line where it loses.",
        ):
            self.play_for(
                0.6,
                FadeOut(self.clip_note),
                *(FadeOut(m) for m in (*self.numbers[0], *self.numbers[1], *self.loss_tags)),
            )
            # Narrow frames: under the band of the two notes and the names of the losses.
            self.move_camera(
                **self._framing(
                    EDGE_ON,
                    self._edge_zoom(),
                    None,
                    [axes, *self.loss_surfaces, cut_axis],
                    [*axes.labels, cut_name, *cut_numbers],
                    top=self.top_under_title() - self._band_height(zero, note) - self._tag_room(),
                ),
                run_time=self.seconds(2.5),
            )
            self.add_fixed_orientation_mobjects(cut_name, *cut_numbers)
            # The names again, now above the plateaus seen edge on.
            self.loss_tags = [self._loss_tag(k, UP) for k in range(2)]
            self.play_for(
                1.0,
                Create(cut_axis),
                FadeIn(cut_name),
                FadeIn(cut_numbers),
                *(FadeIn(tag) for tag in self.loss_tags),
            )
            self.at_mark("zero")
            self._near(zero, axes.to_scene(0.6 * extent, -0.6 * extent, 0.0), UP, 0.9)
            self.play_for(1.0, FadeIn(zero))
            self.highlight(zero)
            self.at_mark("line")
            self.play_for(1.2, Create(lines))
            self._near(
                note, axes.to_scene(-0.35 * reach, 0.35 * reach, 0.7 * reach), LEFT, 0.5, row=1
            )
            self.play_for(1.0, FadeIn(note))
            self.highlight(note)
        self.profile_marks = [lines, note, zero]

    def chain_rule(self) -> None:
        theme = self.theme
        t, o = self.target + 1, self.other + 1
        cut_axis, cut_name, cut_numbers = self.cut
        dL = [rf"\frac{{\partial L}}{{\partial z_{k}}}" for k in (t, o)]
        rows = []
        # Each row steps from the chain rule to its value; matching parts stay put.
        steps = [
            [
                [
                    dL[0],
                    "=",
                    rf"-\frac{{1}}{{p_{t}}}",
                    rf"\frac{{\partial p_{t}}}{{\partial z_{t}}}",
                ],
                [dL[0], "=", rf"-\frac{{1}}{{p_{t}}}", rf"p_{t} p_{o}"],
                [dL[0], "=", rf"-p_{o}"],
            ],
            [
                [
                    dL[1],
                    "=",
                    rf"-\frac{{1}}{{p_{t}}}",
                    rf"\frac{{\partial p_{t}}}{{\partial z_{o}}}",
                ],
                [dL[1], "=", rf"-\frac{{1}}{{p_{t}}}", "(-", rf"p_{t} p_{o}", ")"],
                [dL[1], "=", rf"+p_{o}"],
            ],
        ]
        along = np.eye(2)[self.other] - np.eye(2)[self.target]
        size = self.body
        loss = MathTex("L", "=", rf"-\log p_{t}", font_size=size)
        forms = [[MathTex(*parts, font_size=size) for parts in row] for row in steps]
        result = MathTex(
            r"\nabla L", "=", rf"(1 - p_{t})\,{_vec(along)}", "=", "p - y",
            font_size=size, color=theme.color("gradient"),
        )  # fmt: skip
        onehot = MathTex(
            "y", "=", _vec(np.eye(2)[self.target]), r"\text{, the answer one-hot}",
            font_size=self.label, color=theme.color("muted"),
        )  # fmt: skip
        if self.is_portrait:  # no room under the working: in the corner under the plot
            self._lay_out_working([[loss], *forms, [result]])
            self.corner_note(onehot)
        else:
            self._lay_out_working([[loss], *forms, [result], [onehot]])
        with self.beat(
            "chain-rule",
            f"Take class {t} as the answer. The chain rule turns the slopes of p into the "
            f"slopes of the loss: <mark:first> along z{t} it is minus p{o}, <mark:second> "
            f"along z{o} plus p{o}; <mark:result> together, the gradient is p minus y.",
        ):
            other_surface = self.loss_surfaces[self.other]
            self.play_for(
                1.0,
                *(FadeOut(m) for m in self.profile_marks),
                FadeOut(cut_axis),
                FadeOut(cut_name),
                FadeOut(cut_numbers),
                FadeOut(other_surface),
                *(FadeOut(tag) for tag in self.loss_tags),
            )
            # The plot steps aside (and back) for the working beside it; narrow frames:
            # under it, small, its names only (numbers would crowd it).
            numbers = [*self.numbers[0], *self.numbers[1]]
            names = self.loss_axes.names
            self.move_camera(
                **self._framing(
                    self.overview,
                    self._zoom() * 0.85,
                    self._centre(2),
                    [self.loss_axes, self.grid, self.loss_surfaces[self.target]],
                    [*names] if self.is_narrow else [*self.loss_axes.labels, *numbers],
                    top=self.working_bottom if self.is_portrait else self.top_under_title(),
                    bottom=onehot.get_top()[1] if self.is_portrait else None,
                    left=None if self.is_portrait else self.working_right,
                ),
                run_time=self.seconds(2.0),
                added_anims=[
                    *(FadeOut(m) for m in self.loss_axes.ticks if self.is_narrow),
                    *(FadeIn(m) for m in numbers if not self.is_narrow),
                    self.loss_surfaces[self.target].animate.set_fill(opacity=0.4),
                ],
            )
            self.play_for(1.0, FadeIn(loss))
            for mark, row in zip(("first", "second"), forms, strict=True):
                self.at_mark(mark)
                self.play_for(1.0, FadeIn(row[0]))
                for before, after in pairwise(row):
                    self.play_for(1.0, self.morph_in_frame(before, after))
                rows.append(row[-1])
            self.at_mark("result")
            self.play_for(1.0, FadeIn(result), FadeIn(onehot))
            self.highlight(result)
        self.working = [loss, *rows, onehot]
        self.result = result
        self.along = along

    def gradient(self) -> None:
        params, theme, extent = self.params, self.theme, self.params.extent
        t = params.target_class
        axes = self.loss_axes
        positions, gradient, spacing = gradient_arrows(extent, params.arrows_per_side, self.target)
        arrows = floor_arrows(
            theme, axes.map, positions, (gradient[0], gradient[1]), spacing, fill=ARROW_FILL,
            stroke_width=4, max_tip_length=0.22,
        )  # fmt: skip
        self.sign = sign = ValueTracker(1.0)
        arrows.add_updater(
            lambda m: m.set_vectors(sign.get_value() * gradient[0], sign.get_value() * gradient[1])
        )
        self.arrows = arrows
        note = MathTex(
            r"\nabla L", "=", rf"(1 - p_{t})\,{_vec(self.along)}", font_size=self.body,
            color=theme.color("gradient"),
        )  # fmt: skip
        with self.beat(
            "gradient",
            f"Drawn on the floor, the gradient points along {_words(self.along)} everywhere, "
            f"<mark:shrink> and shrinks to nothing where p{t} is already close to one.",
        ):
            # Narrow frames: the ticks left in the last beat, the floor's numbers come back.
            value_labels = [axes.names[2], *([] if self.is_narrow else axes.ticks)]
            numbers = [*self.numbers[0], *self.numbers[1]] if self.is_narrow else []
            self.play_for(
                1.0,
                *(FadeOut(m) for m in self.working),
                FadeOut(axes.value_axis),
                *(FadeOut(m) for m in value_labels),
                FadeOut(self.loss_surfaces[self.target]),
            )
            # From above, with the floor grid: the arrows lie on the floor (narrow frames:
            # under the note, with the diagonal's name of the next beat).
            self._place_note(note)
            self.move_camera(
                **self._framing(
                    self.from_above,
                    self._zoom() * 0.88,
                    self._centre(3),
                    [axes.floor_axes, self.grid, arrows],
                    [*axes.names[:2], *self.numbers[0], *self.numbers[1], self._diagonal_name()],
                    top=note.get_bottom()[1],
                ),
                run_time=self.seconds(2.0),
                added_anims=[FadeIn(m) for m in numbers],
            )
            self.play_for(2.0, Create(arrows), self.morph_in_frame(self.result, note))
            self.at_mark("shrink")
            # Where the target already wins the arrows have all but vanished: say so there.
            winning = MathTex(rf"p_{t} \approx 1", font_size=self.label, color=theme.color("text"))
            winning.set_stroke(theme.color("background"), width=4, background=True)
            corner = axes.map.floor(*(-0.65 * extent * self.along))
            self.note_beside(
                winning,
                self.on_screen(corner[None, :]),
                ORIGIN,
                self.title_mob,
                buff=0.0,
                gap=0.15,
                narrow_band=False,
            )
            self.play_for(0.6, FadeIn(winning))
            self.highlight(winning)
            if not self.is_narrow:  # the column beside the floor: how long the arrows are
                length = MathTex(
                    r"|\nabla L|", "=", rf"\sqrt{{2}}\,(1 - p_{t})", font_size=self.body,
                    color=theme.color("gradient"),
                )  # fmt: skip
                self.fit(length, width=self.usable_width * 0.4)
                length.next_to(note, DOWN, buff=0.5).align_to(note, LEFT)
                self.add_fixed_in_frame_mobjects(length)
                self.remove(length)
                self.play_for(0.8, FadeIn(length))
        self.winning = winning
        self.grad_note = note

    def descent(self) -> None:
        theme, extent = self.theme, self.params.extent
        axes = self.loss_axes
        t = self.params.target_class
        diagonal = on_floor(
            merged(
                DashedLine(
                    axes.map.floor(-extent, -extent),
                    axes.map.floor(extent, extent),
                    color=theme.color("accent"),
                    stroke_width=4,
                    dash_length=0.15,
                )
            )
        )
        flat = self._diagonal_name()
        descent_note = MathTex(
            r"-\nabla L", "=", rf"(1 - p_{t})\,{_vec(-self.along)}", font_size=self.body,
            color=theme.color("gradient"),
        )  # fmt: skip
        descent_note.move_to(self.grad_note).align_to(self.grad_note, LEFT)
        self.add_fixed_in_frame_mobjects(descent_note)
        self.remove(descent_note)
        with self.beat(
            "descent",
            "Gradient descent steps the other way: <mark:flip> it raises one logit and lowers "
            "the other by the same amount, <mark:square> at right angles to the flat one-one "
            "direction, so only their difference changes.",
        ):
            self.at_mark("flip")
            self.play_for(
                2.0,
                self.sign.animate.set_value(-1.0),
                self.morph_in_frame(self.grad_note, descent_note),
            )
            self.at_mark("square")
            self.add_fixed_orientation_mobjects(flat)
            self.play_for(1.2, Create(diagonal), FadeIn(flat))
            self.highlight(descent_note)
        self.arrows.clear_updaters()
        self.diagonal = diagonal
        self.flat = flat
        self.descent_note = descent_note

    def takeaway(self) -> None:
        with self.beat(
            "takeaway",
            "So the loss gradient is p minus y: it only ever moves the difference of the two "
            "logits, never along the one-one direction.",
        ):
            lines = (
                r"$\nabla L = p - y$",
                rf"lies along ${_vec(self.along)}$:",
                r"descent moves",
                r"only $z_1 - z_2$,",
                r"never along $(1, 1)$",
            )
            # Narrow frames: short lines, so the card stays inside the margins. The card
            # goes where it hides the least of the arrows and the diagonal they cross.
            text = (r"\\" if self.is_narrow else " ").join(lines)
            if self.is_narrow:  # the picture moves up, clear of the card under it
                self._make_room_for(text)
            self.close_with(
                text,
                keep=[self.arrows, self.diagonal, self.loss_axes.floor_axes, self.grid],
                clear_of=[self.arrows, self.diagonal],
            )

    # -- helpers ----------------------------------------------------------------- #

    def _make_room_for(self, text: str) -> None:
        """Narrow frames: the floor moves up between the title and the closing card at
        the bottom; the notes fixed over it go (the card says what they said)."""
        axes = self.loss_axes
        card = self.pin_to(self.takeaway_card(text), DOWN)
        self.move_camera(
            **self._framing(
                self.from_above,
                self._zoom(),
                None,
                [axes.floor_axes, self.grid, self.arrows, self.diagonal],
                [*axes.names[:2], *self.numbers[0], *self.numbers[1], self.flat],
                top=self.top_under_title(),
                bottom=card.get_top()[1],
            ),
            run_time=self.seconds(1.5),
            added_anims=[FadeOut(self.descent_note), FadeOut(self.winning)],
        )

    def _axes(
        self,
        unit: float,
        value_range: tuple,
        name: str,
        ticks: list,
        length: float = VALUE_LENGTH,
    ) -> LogitAxes:
        theme = self.theme
        axes = LogitAxes(
            theme,
            self.params.extent,
            unit,
            value_range=value_range,
            value_length=length,
            names=("z_1", "z_2", name),
            value_ticks=ticks,
            label_size=self.body,
        )
        for tick in axes.ticks:
            tick.set_color(theme.color("text")).scale(1.2)
            tick.set_stroke(theme.color("background"), width=3, background=True)
            tick.shift((tick.width + 0.34) * RIGHT)
        for label in axes.names:
            label.set_stroke(theme.color("background"), width=3, background=True)
        # The vertical name above its tip, clear of the z_2 name behind it.
        axes.names[2].shift(0.25 * OUT)
        return axes

    def _slope_name_left(self) -> None:
        """The slope axis's name left of its tip and above it, clear of the z_2 name
        behind (the ridge's tag sits right of it); its lower tick left of the axis, clear
        of the z_2 axis's numbers in front."""
        name = self.slope_axes.names[2]
        # The same lift on screen in every frame shape: scene units grow as zoom shrinks.
        name.shift((name.width / 2 + 0.25) * LEFT + 0.25 * 0.95 / self._zoom() * OUT)
        lower = self.slope_axes.ticks[0]  # -1/4: the ticks go bottom to top
        lower.shift(2 * (lower.width + 0.34) * LEFT)

    @staticmethod
    def _loss_ticks(cap: float) -> list[float]:
        step = tick_step(cap, 3)
        return [float(v) for v in np.arange(step, cap + 1e-9, step)]

    def _floor_grid(self, extent: float) -> Mobject:
        """A faint grid on the floor (value 0), one line per logit unit: the reference
        the surfaces rise from."""
        plane = self.slope_axes.map
        grid = VMobject(stroke_color=self.theme.color("muted"), stroke_width=1, stroke_opacity=0.5)
        grid.set_fill(self.theme.color("muted"), opacity=0.08)
        for v in np.arange(-extent, extent + 1e-9, 1.0):
            grid.start_new_path(plane.floor(v, -extent))
            grid.add_line_to(plane.floor(v, extent))
            grid.start_new_path(plane.floor(-extent, v))
            grid.add_line_to(plane.floor(extent, v))
        square = VMobject(stroke_width=0, fill_color=self.theme.color("muted"), fill_opacity=0.1)
        square.set_points_as_corners(
            [
                plane.floor(x, y)
                for x, y in (
                    (-extent, -extent),
                    (extent, -extent),
                    (extent, extent),
                    (-extent, extent),
                    (-extent, -extent),
                )
            ]
        )
        return on_floor(VGroup(square, grid))

    def _tag(self, tex: str, point: np.ndarray, color: object = None) -> Mobject:
        """A label facing the camera at scene ``point`` (added when shown)."""
        tag = MathTex(tex, font_size=self.label, color=color or self.theme.color("gradient"))
        tag.set_stroke(self.theme.color("background"), width=3, background=True)
        tag.move_to(point)
        self.add_fixed_orientation_mobjects(tag)
        self.remove(tag)
        return tag

    def _loss_tag(self, k: int, side: np.ndarray) -> Mobject:
        """The name ``-log p_k`` fixed in the frame beside where the camera now shows
        loss ``k``'s clipped plateau (the corner where class ``k`` loses); not shown."""
        cap = self.params.loss_cap
        loss = logit_square_field(self.z1, self.z2, target=k).loss
        high = loss >= cap
        plateau = self.loss_axes.to_scene(self.z1[high], self.z2[high], cap)
        tag = MathTex(rf"-\log p_{k + 1}", font_size=self.label, color=self.theme.color("loss"))
        tag.set_stroke(self.theme.color("background"), width=3, background=True)
        return self.note_beside(
            tag,
            self.on_screen(plateau),
            side,
            self.title_mob,
            buff=0.2,
            gap=0.15,
            narrow_band=False,
        )

    def _diagonal_name(self) -> Mobject:
        """The name ``(1, 1)`` past the floor's corner on the diagonal (not shown)."""
        extent = self.params.extent
        flat = MathTex("(1, 1)", font_size=self.body, color=self.theme.color("accent"))
        flat.set_stroke(self.theme.color("background"), width=3, background=True)
        return flat.move_to(self.loss_axes.map.floor(extent, extent) + 0.45 * (RIGHT + UP))

    def _framing(
        self,
        view: dict,
        zoom: float,
        centre: np.ndarray | None,
        shapes: list[Mobject],
        labels: list[Mobject],
        top: float,
        bottom: float | None = None,
        left: float | None = None,
    ) -> dict:
        """The camera's settings for a view: 16:9 ``view`` at ``zoom``, looking at
        ``centre`` (``None``: where it looks now); narrow frames: ``view`` with the zoom and
        centre that show ``shapes`` and ``labels`` (names facing the camera: they keep
        their size) as large as fits the usable width between ``top`` and ``bottom``
        (default: the caption band), right of ``left`` (default: the left margin)."""
        if not self.is_narrow:
            return {**view, "zoom": zoom, **({} if centre is None else {"frame_center": centre})}
        camera: Any = self.camera
        bottom = self.layout_bottom if bottom is None else bottom
        # A little inside the margins: strokes, tips and the camera's moves reach past.
        half = 0.95 * self.usable_width / 2
        left = -half if left is None else left + ROOM_GAP
        room = (np.array([left, bottom + ROOM_GAP]), np.array([half, top - ROOM_GAP]))

        def outline() -> np.ndarray:
            seen = [self._screen_outline(m) for m in shapes]
            for label in labels:
                at = self.on_screen(label.get_center()[None])[0, :2]
                size = np.array([label.width, label.height]) / 2
                seen.append(np.array([at - size, at + size]))
            return np.concatenate(seen)

        before = (camera.get_phi(), camera.get_theta(), camera.get_zoom())
        looks_at = camera._frame_center.get_center().copy()
        camera.set_phi(view["phi"])
        camera.set_theta(view["theta"])
        fit = None
        try:
            # From far too large down (a fit shrinks a picture to no less than about half),
            # then once more from there: the names' fixed size makes one fit a little large.
            for start in (1.0, 0.55, 0.3):
                camera.set_zoom(start)
                fit = reframe_for_room(camera, outline, room)
                if fit is not None:
                    camera.set_zoom(fit.zoom)
                    camera._frame_center.move_to(fit.centre)
                    fit = reframe_for_room(camera, outline, room) or fit
                    break
        finally:
            camera.set_phi(before[0])
            camera.set_theta(before[1])
            camera.set_zoom(before[2])
            camera._frame_center.move_to(looks_at)
            camera.reset_rotation_matrix()
        if fit is None:
            return {**view, "zoom": zoom, **({} if centre is None else {"frame_center": centre})}
        return {**view, "zoom": fit.zoom, "frame_center": fit.centre}

    def _under_rows(self, rows: int) -> float:
        """y under the first ``rows`` lines of the column of notes (see :meth:`_stack`)."""
        top = self.title_mob.get_bottom()[1] - 0.3
        return top - rows * ROW_STEP * self.body / self.theme.body_size

    def _tag_room(self) -> float:
        """Height a loss's name takes above its plateau (see :meth:`_loss_tag`)."""
        return MathTex(r"-\log p_1", font_size=self.label).height + 0.2

    def _band_height(self, *notes: Mobject) -> float:
        """Height of the band of notes :meth:`_near` stacks under the title in narrow frames."""
        return 0.2 + (len(notes) - 1) * ROW_STEP * 0.6 + max(m.height for m in notes)

    def _place_note(self, mob: Mobject) -> Mobject:
        """Fix the gradient's note in the frame: at the top of the working's column
        (narrow frames: centred under the title); not shown."""
        self.fit(mob, width=self.usable_width * (0.9 if self.is_narrow else 0.4))
        top = self.title_mob.get_bottom()[1] - 0.35 - mob.height / 2
        x = 0.0 if self.is_narrow else self.working_left + mob.width / 2
        mob.move_to([x, top, 0.0])
        self.add_fixed_in_frame_mobjects(mob)
        self.remove(mob)
        return mob

    def _stack(self, mob: Mobject, row: int, beside: Mobject | None = None) -> Mobject:
        """Fix ``mob`` as line ``row`` of the column of notes at the top left, under the
        title (beside the plot, clear of it in every view), or at the right end of that
        line beside note ``beside``; not shown."""
        left = -self.frame_width / 2 + self.margin_x + BOX_ROOM
        if beside is None:
            self.fit(mob, width=self.usable_width * (0.9 if self.is_narrow else 0.3))
        else:
            left = beside.get_right()[0] + 2 * BOX_ROOM
            self.fit(mob, width=self.frame_width / 2 - self.margin_x - BOX_ROOM - left)
        x = left + mob.width / 2
        top = self.title_mob.get_bottom()[1] - 0.3
        y = top - row * ROW_STEP * self.body / self.theme.body_size - mob.height / 2
        mob.move_to([x, y, 0.0])
        self.add_fixed_in_frame_mobjects(mob)
        self.remove(mob)
        return mob

    def _lay_out_working(self, lines: list[list[Mobject]]) -> None:
        """Place the chain-rule working: each line's steps at one spot, lines one under
        another, all at one scale; a column at the right (9:16: under the title; 1:1: at
        the left).
        Fixed in the frame, not shown."""
        widest = max(m.width for line in lines for m in line)
        # 1:1: a column at the left, the plot beside it.
        share = 0.9 if self.is_portrait else 0.45 if self.is_narrow else 0.46
        scale = min(1.0, self.usable_width * share / widest)
        for line in lines:
            for m in line:
                m.scale(scale)
        widest *= scale
        if self.is_narrow:
            left = -self.frame_width / 2 + self.margin_x + BOX_ROOM
        else:
            left = self.frame_width / 2 - self.margin_x - BOX_ROOM - widest
        self.working_left = left
        self.working_right = left + widest
        top = self.title_mob.get_bottom()[1] - 0.35
        for line in lines:
            height = max(m.height for m in line)
            for m in line:
                m.move_to([left + m.width / 2, top - height / 2, 0.0])
                self.add_fixed_in_frame_mobjects(m)
                self.remove(m)
            top -= height + (0.3 if self.is_narrow else 0.5)
        self.working_bottom = top

    def _near(
        self,
        mob: Mobject,
        point: np.ndarray,
        direction: np.ndarray,
        buff: float = 0.3,
        row: int = 0,
    ) -> Mobject:
        """:meth:`note_beside` the point where the camera now shows scene ``point``;
        ``row`` stacks notes in the band of narrow frames."""
        return self.note_beside(
            mob,
            self.on_screen(np.array([point], dtype=float))[0],
            direction,
            self.title_mob,
            buff,
            drop=row * ROW_STEP * 0.6,
        )

    def _centre(self, stage: int) -> np.ndarray:
        """Frame centre: 0 the slopes, 1 the losses, 2 the losses beside the working, 3 the
        floor from above."""
        # Narrow frames: the plot sits lower, under the notes' band.
        lower = (2.0 if self.is_portrait else 0.8 if self.is_narrow else 0.0) * OUT
        if stage == 0:
            return SLOPE_CENTRE + lower
        if stage == 1:
            return LOSS_CENTRE + lower
        if stage == 3:  # the floor from above (16:9: left of the notes' column)
            if self.is_narrow:
                return FLOOR_CENTRE + lower
            theta = FROM_ABOVE["theta"]
            return FLOOR_CENTRE + 2.4 * np.array([-np.sin(theta), np.cos(theta), 0.0])
        if self.is_narrow:  # the working above: the plot moves down further
            return LOSS_CENTRE + lower + (1.2 if self.is_portrait else 2.4) * OUT
        theta = OVERVIEW["theta"]
        right = np.array([-np.sin(theta), np.cos(theta), 0.0])
        return LOSS_CENTRE + 2.6 * right

    def _edge_zoom(self) -> float:
        """Zoom of the edge-on view: the cut's axis and its name ``z_1 - z_2`` span the
        square's diagonal plus about 1.6 units each way; they stay inside the margins."""
        half = (2 * self.params.extent + 0.6) / 2**0.5 * self._unit() + 1.6
        return min(self._zoom(), (self.frame_width / 2 - self.margin_x) / half)

    def _unit(self) -> float:
        return FLOOR_SIDE / (2 * self.params.extent)

    def _zoom(self) -> float:
        zoom = min(0.95, self.usable_width / 10.5)
        if self.is_narrow:  # the surfaces reach 4.55 units left of the centre when turning
            zoom = min(zoom, self.usable_width / 9.1)
        return zoom


def _vec(v: np.ndarray) -> str:
    """A 2-vector of +-1 as LaTeX, e.g. ``(-1, 1)``."""
    return "(" + ", ".join(f"{int(c)}" for c in v) + ")"


def _words(v: np.ndarray) -> str:
    """A 2-vector of +-1 for narration, e.g. ``(minus one, one)``."""
    words = {1: "one", -1: "minus one"}
    return "(" + ", ".join(words[int(c)] for c in v) + ")"
