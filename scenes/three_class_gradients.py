"""Chapter 9: the descent field of the loss over the 3-class plane.

Beats
-----
1. ``field``: the loss ``-log p_t`` for the first target class over the plane,
   and under it the field of ``-grad L`` (length and colour by magnitude); the
   camera comes down to look straight at the plane.
2. ``two-pulls``: one arrow split into its two parts: a pull straight toward the
   target's region (size ``1 - p_t``) and a pull toward the line where the other
   two classes tie (size ``p_j - p_k``). Descent aims at no single point.
3. ``descent``: a logit point follows the arrows for ``params.descent_steps``
   steps of size ``params.step_size``; its trail bends toward the tie line while
   it climbs into the target's region.
4. ``switch-target`` (one per further target class): the field morphs in place to
   the next target, and the same start point takes a new path.

Every arrow comes from :func:`softmax_math.descent_field` over the whole grid;
the followed point's steps and the split arrow from :func:`softmax_math.nll_gradient`.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DEGREES,
    DOWN,
    LEFT,
    ORIGIN,
    OUT,
    UP,
    Arrow,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    GrowArrow,
    MathTex,
    Mobject,
    Polygon,
    Tex,
    ValueTracker,
    VGroup,
    VMobject,
)

from softmax_math import (
    class_vertices,
    descent_field,
    from_plane,
    loss_surface,
    nll_gradient,
    plane_grid,
    softmax,
    to_plane,
)
from softmax_video.core.text import tick_step
from softmax_video.engine.fields import VectorFieldArrows
from softmax_video.engine.mesh import MeshSurface, colorscale_rgb
from softmax_video.kit.lecture_scene import LectureThreeDScene
from softmax_video.kit.plane_geometry import (
    LogitAxes,
    PlaneMap,
    RegionLabels,
    TieBoundaries,
    class_region,
    floor_arrows,
    merged,
    on_floor,
    polar_grid,
)

__all__ = ["ThreeClassGradients", "descent_path", "split_descent"]

# -- layout (scene units, before the camera zoom) --------------------------- #
FLOOR_SIDE = 6.4
LOSS_HEIGHT = 2.0
#: Longest field arrow as a share of the spacing between arrows.
ARROW_FILL = 0.9
#: The split arrow is drawn this many times longer than the field's scale.
SPLIT_ENLARGE = 4.0

#: Seen from the side of the first target's region the loss is a slope in profile.
TILTED = {"phi": 62 * DEGREES, "theta": -25 * DEGREES}
TOP = {"phi": 0 * DEGREES, "theta": -90 * DEGREES}
#: Narrow frames: the tilted view's zoom as a share of the view from above.
NARROW_TILTED_ZOOM = 0.7


def descent_path(start: np.ndarray, target: int, steps: int, step_size: float) -> np.ndarray:
    """Plane points visited by gradient descent on ``-log p_target`` from ``start``.

    Each step moves the logits by ``-step_size * nll_gradient``; the gradient sums
    to zero, so it lies in the plane and its plane coordinates (``to_plane``) are
    the step.

    Returns
    -------
    numpy.ndarray
        ``(steps + 1, 2)`` plane coordinates, ``start`` first.
    """
    points = [np.asarray(start, dtype=float)]
    for _ in range(steps):
        gradient = to_plane(nll_gradient(from_plane(points[-1]), target))
        points.append(points[-1] - step_size * gradient)
    return np.array(points)


def split_descent(point: np.ndarray, target: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``-grad L`` at ``point`` and its two parts, in plane coordinates.

    ``toward_target`` is the part along the target's vertex direction (its size is
    ``(1 - p_t) sqrt(3/2)``, never negative); ``toward_tie`` the rest, which points
    at the line where the two other classes tie (its size is ``|p_j - p_k| / sqrt 2``).

    Returns
    -------
    descent, toward_target, toward_tie
        2-vectors with ``descent = toward_target + toward_tie``.
    """
    descent = -to_plane(nll_gradient(from_plane(point), target))
    axis = class_vertices(3)[target]
    axis = axis / np.linalg.norm(axis)
    toward_target = (descent @ axis) * axis
    return descent, toward_target, descent - toward_target


class ThreeClassGradients(LectureThreeDScene):
    """``-grad L`` over the 3-class plane: two pulls, a curved descent, a target switch."""

    def construct(self) -> None:
        params = self.params
        theme = self.theme
        extent = params.extent
        targets = [t - 1 for t in params.target_classes]
        unit = FLOOR_SIDE / (2 * extent)
        cap = params.loss_cap
        # Landscape: the plane on the left, notes on the right. Portrait: notes below.
        # The plane sits left of centre in landscape (notes on the right), high in
        # portrait (notes below); the camera looks at the frame's centre.
        # Narrow frames: the plane fills the band between the title and the notes below
        # (zoom and centre are set once those are built).
        center = np.array([0.0, 0.8, 0.0]) if self.is_narrow else np.array([-2.9, -0.35, 0.0])
        zoom = 1.0
        if self.is_narrow:
            zoom, center = self._narrow_plane(targets[0], params.start_point)
        # (frame_center moves only along OUT: ThreeDCamera shifts fixed-in-frame text
        # along with any sideways frame_center.)
        # Narrow frames: seen tilted, the raised plane sits off to the side, so the
        # camera starts farther out and closes in as it comes down to look from above.
        tilted_zoom = zoom * NARROW_TILTED_ZOOM if self.is_narrow else zoom
        self.set_camera_orientation(**TILTED, zoom=tilted_zoom, frame_center=1.6 * OUT)

        axes = LogitAxes(
            theme,
            extent,
            unit,
            value_range=(0, cap, tick_step(cap, 8)),
            value_length=LOSS_HEIGHT,
            names=("x", "y", "L"),
            label_size=theme.body_size,
            center=center,
        )
        floor = axes.map
        boundaries = on_floor(TieBoundaries(theme, floor, extent, stroke_width=3))
        names = [rf"\textbf{{{self.class_tex(k)}}}" for k in range(3)]
        regions = RegionLabels(
            theme,
            floor,
            names,
            radius=0.75 * extent,
            label_size=theme.label_size,
            turn=-28 * DEGREES,
        )
        wedges = {k: self._wedge(floor, k, extent) for k in set(targets)}

        # The loss surface of the first target (shown in the first beat only).
        first = targets[0]
        x, y = polar_grid(extent, params.resolution, 2 * params.resolution)
        loss = np.minimum(loss_surface(3, first, x, y), cap)
        loss_mesh = MeshSurface(axes.to_scene(x, y, loss), fill_opacity=0.55)
        face_loss = 0.25 * (loss[:-1, :-1] + loss[1:, :-1] + loss[1:, 1:] + loss[:-1, 1:])
        loss_mesh.set_face_colors(
            colorscale_rgb(face_loss, [self.class_color(first), theme.color("loss")], (0, cap))
        )

        # The field: cell centres of an n x n grid, -grad L in plane coordinates.
        n = params.arrows_per_side
        spacing = 2 * extent / n
        X, Y = plane_grid(extent - spacing / 2, n)
        fields = {t: descent_field(3, t, X, Y) for t in set(targets)}
        arrows = floor_arrows(
            theme,
            floor,
            np.stack([X, Y], axis=-1),
            fields[first],
            spacing,
            fill=ARROW_FILL,
            stroke_width=2.5,
            max_tip_length=0.14,
        )

        t_name = self.class_name(first)
        title = self._heading(self.class_tex(first))
        field_note = self._note(MathTex(r"-\nabla_z L = y - p", font_size=theme.body_size), slot=0)

        with self.beat(
            "field",
            f"With {t_name} as the target, the loss slopes down toward the {t_name} region, "
            "and minus its gradient at every point of the plane shows where descent pushes "
            "the logits.",
        ):
            self.add_fixed_orientation_mobjects(*axes.labels, *regions)
            self.play_for(
                1.5,
                Create(axes),
                FadeIn(axes.labels),
                FadeIn(title),
                Create(boundaries),
                FadeIn(regions),
                FadeIn(wedges[first]),
            )
            self.play_for(2.0, Create(loss_mesh))
            self.play_for(2.0, Create(arrows), FadeIn(field_note))
            closer = {"zoom": zoom} if self.is_narrow else {}
            self.move_camera(**TOP, frame_center=ORIGIN, **closer, run_time=self.seconds(3.0))
            self.play_for(1.2, FadeOut(loss_mesh), FadeOut(axes.value_axis), FadeOut(axes.names[2]))

        # -- beat 2: one arrow, two pulls ------------------------------------- #
        start = np.array(params.start_point, dtype=float)
        others = [k for k in range(3) if k != first]
        split = self._split_arrows(floor, start, first, others, arrows)
        tie_line = self._tie_line(floor, first, others, extent)
        j_name, k_name = (self.class_name(k) for k in others)
        split_notes = self._note(self._split_text(first, start), slot=1)

        with self.beat(
            "two-pulls",
            f"Each arrow is a weighted sum of two pulls: one straight toward the {t_name} "
            f"region, and one toward the line where {j_name} and {k_name} tie; no single "
            "point attracts the logits.",
        ):
            fade_first = [FadeOut(field_note)] if self.is_narrow else []
            self.play_for(1.0, arrows.animate.set_opacity(0.35), Create(tie_line), *fade_first)
            self.play_for(1.5, GrowArrow(split["descent"]), FadeIn(split["dot"]))
            self.play_for(
                2.0, GrowArrow(split["target"]), GrowArrow(split["tie"]), FadeIn(split_notes)
            )
            self.play_for(1.2, Create(split["guides"]))
            self.pause(4.0)

        # -- beat 3: follow the arrows ---------------------------------------- #
        trail_group = VGroup()
        path_dot = Dot(floor.floor(*start), radius=0.07, color=theme.color("accent"))
        steps_note = self._note(
            Tex(
                rf"{params.descent_steps} steps of size {params.step_size:g}",
                font_size=theme.label_size,
                color=theme.color("muted"),
            ),
            slot=2,
        )

        with self.beat(
            "descent",
            "Following the arrows step by step, the point drifts toward that tie line while it "
            f"climbs into the {t_name} region, so its path bends instead of running straight.",
        ):
            self.play_for(
                1.0,
                FadeOut(split["all"]),
                FadeOut(split_notes),
                arrows.animate.set_opacity(1.0),
                FadeIn(path_dot),
                FadeIn(steps_note),
            )
            trail = self._walk(floor, start, first, path_dot, trail_group, seconds=6.0)
            self.pause(1.5)

        # -- beat 4+: switch the target, morph the field in place -------------- #
        previous = first
        for target in targets[1:]:
            if target == previous:
                continue
            name = self.class_name(target)
            new_title = self._heading(self.class_tex(target))
            blend = ValueTracker(0.0)
            old_field, new_field = fields[previous], fields[target]

            def morph(m: VectorFieldArrows, a=old_field, b=new_field, s=blend) -> None:
                w = s.get_value()
                m.set_vectors((1 - w) * a[0] + w * b[0], (1 - w) * a[1] + w * b[1])

            arrows.add_updater(morph)
            with self.beat(
                f"switch-to-{_slug(name)}",
                f"Switch the target to {name} and the whole field turns in place; from the "
                f"same start the point now follows the arrows toward {name}.",
            ):
                self.play_for(
                    3.0,
                    blend.animate.set_value(1.0),
                    FadeOut(wedges[previous]),
                    FadeIn(wedges[target]),
                    FadeOut(title),
                    FadeIn(new_title),
                    *([FadeOut(tie_line)] if target == targets[1] else []),
                    trail.animate.set_stroke(opacity=0.35),
                    path_dot.animate.move_to(floor.floor(*start)),
                )
                arrows.remove_updater(morph)
                trail = self._walk(floor, start, target, path_dot, trail_group, seconds=4.0)
                self.pause(1.5)
            title = new_title
            previous = target

    # -- pieces ------------------------------------------------------------------ #

    def _split_text(self, first: int, start: np.ndarray) -> Mobject:
        """The two pulls' notes at ``start`` for target ``first``, three lines."""
        theme = self.theme
        others = [k for k in range(3) if k != first]
        j_tex, k_tex = (self.class_tex(k) for k in others)
        p = softmax(from_plane(start))
        return VGroup(
            Tex(
                rf"toward the {self.class_tex(first)} region: $\propto 1 - p_{{{first + 1}}}$",
                font_size=theme.label_size,
                color=self.class_color(first),
            ),
            Tex(
                rf"toward where {j_tex} and {k_tex} tie: "
                rf"$\propto p_{{{others[0] + 1}}} - p_{{{others[1] + 1}}}$",
                font_size=theme.label_size,
                color=theme.color("accent"),
            ),
            Tex(
                rf"here $p = ({p[0]:.2f}, {p[1]:.2f}, {p[2]:.2f})$",
                font_size=theme.label_size,
                color=theme.color("muted"),
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.18)

    def _narrow_plane(self, first: int, start_point) -> tuple[float, np.ndarray]:
        """Zoom and plane centre for 9:16 and 1:1 frames: the plane, its axis names and
        tips fill the band between the title and the tallest note, within the margins."""
        heading = self.title(rf"Descent directions, target: \textbf{{{self.class_tex(first)}}}")
        notes = self._split_text(first, np.array(start_point, dtype=float))
        self.fit(notes, width=self.usable_width)
        top = heading.get_bottom()[1] - 0.25
        bottom = self.layout_bottom + notes.height + 0.3
        # Seen from above: the axes run past the square floor, their names beyond them
        # (x at the right, y at the top).
        width, height = FLOOR_SIDE * 1.36, FLOOR_SIDE * 1.25
        zoom = min(self.usable_width / width, (top - bottom) / height)
        middle = (top + bottom) / 2 - 0.05 * FLOOR_SIDE * zoom
        return zoom, np.array([0.0, middle / zoom, 0.0])

    def _wedge(self, floor: PlaneMap, k: int, extent: float) -> Mobject:
        """Class ``k``'s region of the square, faintly filled in its colour."""
        corners = class_region(k, extent)
        wedge = Polygon(*floor.floor(corners[:, 0], corners[:, 1]), stroke_width=0)
        wedge.set_fill(self.class_color(k), opacity=0.14)
        return on_floor(wedge)

    def _tie_line(self, floor: PlaneMap, target: int, others: list[int], extent: float) -> Mobject:
        """The full line where the two other classes tie (through the centre along the
        target's vertex direction), dashed in the accent colour, with its equation."""
        axis = class_vertices(3)[target]
        axis = axis / np.linalg.norm(axis)
        reach = extent / max(np.max(np.abs(axis)), 1e-9)
        line = merged(
            DashedLine(
                floor.floor(*(-reach * axis)),
                floor.floor(*(reach * axis)),
                color=self.theme.color("accent"),
                stroke_width=3,
                dash_length=0.12,
            )
        )
        label = MathTex(
            rf"z_{others[0] + 1} = z_{others[1] + 1}",
            font_size=self.theme.label_size,
            color=self.theme.color("accent"),
        )
        side = np.array([axis[1], -axis[0]])  # beside the line, away from the start point
        label.move_to(floor.floor(*(-0.8 * reach * axis + 0.55 * side)))
        return VGroup(line, label)

    def _split_arrows(
        self,
        floor: PlaneMap,
        start: np.ndarray,
        target: int,
        others: list[int],
        field: VectorFieldArrows,
    ) -> dict[str, Mobject]:
        """The arrow at ``start`` and its two parts, drawn enlarged on the same scale."""
        descent, toward_target, toward_tie = split_descent(start, target)
        # Scene length per unit of gradient, as in the field, times the enlargement.
        low, high = field.magnitude_range
        scale = SPLIT_ENLARGE * field.max_length / (high - low) / floor.unit
        base = floor.floor(*start)

        def arrow(vector: np.ndarray, color, origin=base) -> Arrow:
            return Arrow(
                origin,
                origin + floor.matrix[:2].T @ (scale * vector),
                buff=0,
                color=color,
                stroke_width=6,
                max_tip_length_to_length_ratio=0.2,
                tip_length=0.2,
            )

        theme = self.theme
        main = arrow(descent, theme.color("gradient"))
        to_target = arrow(toward_target, self.class_color(target))
        to_tie = arrow(toward_tie, theme.color("accent"))
        tip_target = to_target.get_end()
        tip_tie = to_tie.get_end()
        tip = main.get_end()
        guides = VGroup(
            merged(
                DashedLine(
                    tip_target, tip, color=theme.color("muted"), stroke_width=2, dash_length=0.08
                )
            ),
            merged(
                DashedLine(
                    tip_tie, tip, color=theme.color("muted"), stroke_width=2, dash_length=0.08
                )
            ),
        )
        dot = Dot(base, radius=0.06, color=theme.color("text"))
        return {
            "descent": main,
            "target": to_target,
            "tie": to_tie,
            "guides": guides,
            "dot": dot,
            "all": VGroup(main, to_target, to_tie, guides, dot),
        }

    def _walk(
        self,
        floor: PlaneMap,
        start: np.ndarray,
        target: int,
        dot: Dot,
        trails: VGroup,
        seconds: float,
    ) -> VMobject:
        """Animate ``dot`` along the descent path toward ``target``, drawing its trail."""
        params = self.params
        path = descent_path(start, target, params.descent_steps, params.step_size)
        points = floor.floor(path[:, 0], path[:, 1])
        trail = VMobject(stroke_color=self.class_color(target), stroke_width=4)
        trail.set_points_as_corners(points)
        marks = VGroup(*(Dot(pt, radius=0.035, color=self.class_color(target)) for pt in points))
        trails.add(trail, marks)
        progress = ValueTracker(0.0)
        last = len(points) - 1

        def position() -> np.ndarray:
            s = progress.get_value() * last
            i = min(int(s), last - 1)
            return points[i] + (s - i) * (points[i + 1] - points[i])

        dot.add_updater(lambda m: m.move_to(position()))
        self.add(trail, marks, dot)
        trail.set_stroke(opacity=1.0)
        self.play_for(seconds, progress.animate.set_value(1.0), Create(trail), Create(marks))
        dot.clear_updaters()
        return VGroup(trail, marks)

    # -- text ---------------------------------------------------------------------- #

    def _heading(self, target_name: str) -> Mobject:  # target_name: TeX-escaped
        """The chapter heading naming the target class: at the top in portrait, at the
        top of the side panel in landscape (the plane takes the full height there)."""
        if self.is_narrow:
            heading = self.title(rf"Descent directions, target: \textbf{{{target_name}}}")
        else:
            heading = Tex(
                rf"Descent directions\\ target: \textbf{{{target_name}}}",
                font_size=self.theme.title_size,
                tex_environment="flushleft",
            )
            self.fit(heading, width=self.frame_width * 0.36)
            heading.move_to(
                np.array([self.frame_width * 0.12, self.frame_height * 0.46, 0]),
                aligned_edge=UP + LEFT,
            )
        return self.fixed_in_frame(heading)

    def _note(self, mob: Mobject, slot: int) -> Mobject:
        """A note fixed in the side panel (landscape: right; portrait: below), row ``slot``."""
        flat = merged(mob)
        if self.is_narrow:
            self.fit(flat, width=self.usable_width)
            self.to_bottom(flat)
        else:
            self.fit(flat, width=self.frame_width * 0.36)
            panel_left = self.frame_width * 0.12
            flat.move_to(np.array([panel_left, 1.8 - 1.6 * slot, 0]), aligned_edge=LEFT)
        self.add_fixed_in_frame_mobjects(flat)
        self.remove(flat)
        return flat


def _slug(text: str) -> str:
    """A class name as a kebab-case section-name part."""
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-") or "class"
