"""Chapter 9: the descent field of the loss over the 3-class plane.

Beats
-----
1. ``field``: the loss ``-log p_t`` for the first target class, opaque and lit,
   seen across the target's direction; the camera comes down to look straight at
   the plane, the surface goes, and the field of ``-grad L = e_t - p`` comes in
   (length and colour by magnitude). Plane coordinates ``u_1, u_2``.
2. ``two-pulls``: one arrow split into its two parts: a pull straight toward the
   target's region (size ``1 - p_t``) and a pull toward the line where the other
   two classes tie (size ``p_j - p_k``). Descent aims at no single point.
3. ``descent``: a logit point follows the arrows for ``params.descent_steps``
   steps of size ``params.step_size`` from a start in a region that is none of
   the targets'; its trail bends away from the dashed straight line.
4. ``switch-to-<class>`` (one per further target class): the target's name and
   formula go out and come back for the new class, the field morphs in place,
   and the same start point takes a new path that bends too.
5. ``takeaway``: the closing card over the last field and paths.

Every arrow comes from :func:`softmax_math.descent_field` over the whole grid;
the paths from :func:`softmax_math.descent_path` and the split arrow from
:func:`softmax_math.split_descent`.
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
    descent_path,
    from_plane,
    loss_surface,
    plane_grid,
    softmax,
    split_descent,
)
from softmax_video.core.params import beat_slug
from softmax_video.core.text import tick_step
from softmax_video.engine.fields import VectorFieldArrows
from softmax_video.engine.mesh import Lighting, MeshSurface
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

__all__ = ["ThreeClassGradients"]

# -- layout (scene units, before the camera zoom) --------------------------- #
FLOOR_SIDE = 6.4
LOSS_HEIGHT = 2.6
#: Longest field arrow as a share of the spacing between arrows.
ARROW_FILL = 0.9
#: The split arrow is drawn this many times longer than the field's scale.
SPLIT_ENLARGE = 4.0

#: Seen from the side of the first target's region the loss is a slope in profile.
#: (The camera looks across the target's vertex direction: the loss rises away from it.)
TILTED = {"phi": 66 * DEGREES, "theta": -12 * DEGREES}
TOP = {"phi": 0 * DEGREES, "theta": -90 * DEGREES}
#: The tilted view's zoom as a share of the view from above.
TILTED_ZOOM = 1.2
#: Narrow frames: the same, the slope seen across the whole width.
NARROW_TILTED_ZOOM = 0.75
#: The tilted camera looks at this height above the floor (the surface in the middle).
TILTED_CENTER = 2.6
#: Plane coordinates of the sum-zero plane (as in ThreeClassSurfaces).
PLANE_NAMES = ("u_1", "u_2")
#: Class names are turned this far off their vertex direction: off the axes and the
#: tie rays, inside their regions.
LABEL_TURN = -15 * DEGREES
#: The loss surface is opaque and lit by its normals, so its slope reads as a shape.
LIGHT = Lighting(direction=(-0.5, 0.35, 1.0), ambient=0.55, diffuse=0.55)


class ThreeClassGradients(LectureThreeDScene):
    """``-grad L`` over the 3-class plane: two pulls, a curved descent, a target switch."""

    def construct(self) -> None:
        self.setup_stage()
        self.field()
        self.two_pulls()
        self.descent()
        self.switch_targets()
        self.takeaway()

    # -- stage ----------------------------------------------------------------- #

    def setup_stage(self) -> None:
        """Build the axes, regions, loss surface and field; draws nothing."""
        params = self.params
        theme = self.theme
        self.extent = extent = params.extent
        self.targets = [t - 1 for t in params.target_classes]
        self.start = np.array(params.start_point, dtype=float)
        unit = FLOOR_SIDE / (2 * extent)
        self.title_mob = self.fixed_in_frame(self.title())
        first = self.targets[0]
        zoom, center = self._plane_layout(first)
        self.zoom = zoom
        # (frame_center moves only along OUT: ThreeDCamera shifts fixed-in-frame text
        # along with any sideways frame_center.) Seen tilted, the raised plane sits
        # off to the side, so the camera starts farther out and closes in as it comes
        # down to look from above.
        self.set_camera_orientation(
            **TILTED,
            zoom=zoom * (NARROW_TILTED_ZOOM if self.is_narrow else TILTED_ZOOM),
            frame_center=TILTED_CENTER * OUT,
        )
        x, y = polar_grid(extent, params.resolution, 2 * params.resolution)
        loss = loss_surface(3, first, x, y)
        top = min(params.loss_cap, float(np.nanmax(loss)))
        if top < float(np.nanmax(loss)):
            loss = np.where(loss <= top, loss, np.nan)  # a hole above the cap, no flat lid
        self.axes = LogitAxes(
            theme,
            extent,
            unit,
            value_range=(0, top, tick_step(top, 6)),
            value_length=LOSS_HEIGHT,
            names=(*PLANE_NAMES, "L"),
            label_size=theme.body_size,
            center=center,
        )
        self.floor = floor = self.axes.map
        self.boundaries = on_floor(TieBoundaries(theme, floor, extent, stroke_width=3))
        self.boundaries.set_stroke(theme.color("accent"))  # ties: the accent role
        names = [rf"\textbf{{{self.class_tex(k)}}}" for k in range(3)]
        self.regions = RegionLabels(
            theme,
            floor,
            names,
            radius=0.75 * extent,
            label_size=theme.label_size,
            turn=LABEL_TURN,
        )
        self.wedges = {k: self._wedge(floor, k, extent) for k in set(self.targets)}
        self.loss_mesh = MeshSurface(
            self.axes.to_scene(x, y, loss),
            fill_color=theme.color("loss"),
            fill_opacity=1.0,
            lighting=LIGHT,
        )
        # The field: cell centres of an n x n grid, -grad L in plane coordinates.
        n = params.arrows_per_side
        spacing = 2 * extent / n
        X, Y = plane_grid(extent - spacing / 2, n)
        self.fields = {t: descent_field(3, t, X, Y) for t in set(self.targets)}
        self.arrows = floor_arrows(
            theme,
            floor,
            np.stack([X, Y], axis=-1),
            self.fields[first],
            spacing,
            fill=ARROW_FILL,
            stroke_width=2.5,
            max_tip_length=0.14,
        )
        self.target_note = self._target_note(first)
        # The target's name on its low part of the loss surface (above it: drawn in front).
        vertex = class_vertices(3)[first] / np.linalg.norm(class_vertices(3)[first])
        low = vertex * 0.6 * extent
        low_loss = float(loss_surface(3, first, np.array([low[0]]), np.array([low[1]]))[0])
        self.low_label = Tex(
            rf"\textbf{{{self.class_tex(first)}}}: $L \approx {low_loss:.2f}$",
            font_size=theme.body_size,
            color=self.class_color(first),
        )
        self.low_label.set_stroke(theme.color("background"), width=5, background=True)
        self.low_label.move_to(floor.point(low[0], low[1], low_loss) + 1.0 * OUT)

    # -- beat 1 ---------------------------------------------------------------- #

    def field(self) -> None:
        theme = self.theme
        first = self.targets[0]
        axes = self.axes
        t_name = self.class_name(first)
        field_note = self._note(
            MathTex(rf"-\nabla_z L = e_{first + 1} - p", font_size=theme.body_size), slot=1
        )
        self.field_note = field_note

        with self.beat(
            "field",
            f"With {t_name} as the target, the loss slopes down into the {t_name} region. "
            "From above, each arrow is minus its gradient: the way descent pushes the logits.",
        ):
            self.add_fixed_orientation_mobjects(*axes.labels)
            self.play_for(
                1.5,
                Create(axes),
                FadeIn(axes.labels),
                FadeIn(self.title_mob),
                FadeIn(self.target_note),
                Create(self.boundaries),
                FadeIn(self.wedges[first]),
            )
            self.play_for(2.0, Create(self.loss_mesh))
            self.add_fixed_orientation_mobjects(self.low_label)
            self.play_for(0.8, FadeIn(self.low_label))
            self.pause(0.6)
            # The class names lie on the floor: they come in once the surface is gone.
            self.add_fixed_orientation_mobjects(*self.regions)
            self.regions.set_opacity(0)
            # The surface goes before the arrows come: the field lies on the floor under it.
            self.move_camera(
                **TOP,
                zoom=self.zoom,
                frame_center=ORIGIN,
                run_time=self.seconds(3.0),
                added_anims=[
                    FadeOut(self.loss_mesh),
                    FadeOut(self.low_label),
                    FadeOut(axes.value_axis),
                    FadeOut(axes.names[2]),
                    *(name.animate.set_opacity(1) for name in self.regions),
                ],
            )
            self.play_for(2.0, Create(self.arrows), FadeIn(field_note))

    # -- beat 2 ---------------------------------------------------------------- #

    def two_pulls(self) -> None:
        first = self.targets[0]
        others = [k for k in range(3) if k != first]
        floor = self.floor
        self.split = split = self._split_arrows(floor, self.start, first, self.arrows)
        self.tie_line = self._tie_line(floor, first, others, self.extent)
        t_name = self.class_name(first)
        j_name, k_name = (self.class_name(k) for k in others)
        self.split_notes = self._note(self._split_text(first, self.start), slot=2)

        with self.beat(
            "two-pulls",
            f"Each arrow adds up two pulls. <mark:target>One points straight into the {t_name} "
            f"region; <mark:tie>the other, toward the line where {j_name} and {k_name} tie. "
            "No single point attracts the logits.",
        ):
            fade_first = [FadeOut(self.field_note)] if self.is_narrow else []
            self.play_for(
                1.2,
                self.arrows.animate.set_opacity(0.35),
                GrowArrow(split["descent"]),
                FadeIn(split["dot"]),
                *fade_first,
            )
            self.at_mark("target")
            self.play_for(1.2, GrowArrow(split["target"]))
            self.at_mark("tie")
            self.play_for(1.5, Create(self.tie_line), GrowArrow(split["tie"]))
            self.play_for(1.5, Create(split["guides"]), FadeIn(self.split_notes))
            self.pause(2.5)

    # -- beat 3 ---------------------------------------------------------------- #

    def descent(self) -> None:
        params = self.params
        theme = self.theme
        first = self.targets[0]
        t_name = self.class_name(first)
        self.trails = VGroup()
        self.path_dot = Dot(self.floor.floor(*self.start), radius=0.07, color=theme.color("text"))
        self.steps_note = self._note(
            Tex(
                rf"{params.descent_steps} steps of size {params.step_size:g}",
                font_size=theme.label_size,
                color=theme.color("muted"),
            ),
            slot=2,
        )

        with self.beat(
            "descent",
            f"Step by step, the point climbs into the {t_name} region while it drifts toward "
            "that tie line. So its path bends.",
        ):
            self.play_for(
                1.0,
                FadeOut(self.split["all"]),
                FadeOut(self.split_notes),
                self.arrows.animate.set_opacity(1.0),
                FadeIn(self.path_dot),
                FadeIn(self.steps_note),
            )
            self.trail = self._walk(first, seconds=6.0)
            self.pause(1.5)

    # -- beats 4+ -------------------------------------------------------------- #

    def switch_targets(self) -> None:
        """One beat per change of target: the field morphs in place, a new path."""
        previous = self.targets[0]
        for target in self.targets[1:]:
            if target == previous:
                continue
            self._switch(previous, target)
            previous = target
        self.last_target = previous

    def _switch(self, previous: int, target: int) -> None:
        name = self.class_name(target)
        new_note = self._target_note(target)
        new_field_note = self._note(
            MathTex(rf"-\nabla_z L = e_{target + 1} - p", font_size=self.theme.body_size), slot=1
        )
        blend = ValueTracker(0.0)
        old_field, new_field = self.fields[previous], self.fields[target]
        arrows = self.arrows

        def morph(m: VectorFieldArrows, a=old_field, b=new_field, s=blend) -> None:
            w = s.get_value()
            m.set_vectors((1 - w) * a[0] + w * b[0], (1 - w) * a[1] + w * b[1])

        arrows.add_updater(morph)
        with self.beat(
            f"switch-to-{beat_slug(name)}",
            f"Switch the target to {name}, and the whole field turns in place. From the "
            f"same start, the path now bends toward {name}.",
        ):
            # The old name goes out before the new one comes in (no letters mixing).
            field_note = [FadeOut(self.field_note)] if self.field_note in self.mobjects else []
            self.play_for(0.6, FadeOut(self.target_note), *field_note)
            self.play_for(
                2.4,
                blend.animate.set_value(1.0),
                FadeOut(self.wedges[previous]),
                FadeIn(self.wedges[target]),
                FadeIn(new_note),
                *([FadeIn(new_field_note)] if field_note else []),
                *([FadeOut(self.tie_line)] if self.tie_line in self.mobjects else []),
                self.trail.animate.set_stroke(opacity=0.35),
                self.path_dot.animate.move_to(self.floor.floor(*self.start)),
            )
            arrows.remove_updater(morph)
            self.trail = self._walk(target, seconds=4.0)
            self.pause(1.5)
        self.target_note = new_note
        self.field_note = new_field_note

    # -- closing --------------------------------------------------------------- #

    def takeaway(self) -> None:
        with self.beat(
            "takeaway",
            "Descent never aims at one point. Each step pulls toward the target's region, "
            "and toward the line where the other two classes tie.",
        ):
            # One sentence: the card wraps it to the frame's shape.
            self.close_with(
                r"$-\nabla_z L = e_t - p$: one pull toward the target's region, one toward "
                r"where the other two classes tie, so descent paths bend.",
                keep=[
                    self.arrows,
                    self.trails,
                    self.path_dot,
                    *self.wedges.values(),
                    *self.regions,
                ],
                clear_of=[self.arrows, self.trails, self.path_dot],
            )

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

    def _panel(self) -> tuple[float, float]:
        """Left and right x of the side panel (landscape), inside the margins."""
        right = self.frame_width / 2 - self.margin_x
        return right - self.frame_width * 0.34, right

    def _plane_layout(self, first: int) -> tuple[float, np.ndarray]:
        """Zoom and floor centre: seen from above, the square, its axis names and tips fill
        the band under the title (narrow frames: above the tallest note; landscape: left
        of the side panel), within the margins."""
        top = self.top_under_title(0.2)
        if self.is_narrow:  # the target's name sits under the title
            top = self._target_note(first).get_bottom()[1] - 0.2
        bottom = self.layout_bottom
        # Seen from above: the axes run past the square floor, their names beyond them
        # (u_1 at the right, u_2 at the top).
        width, height = FLOOR_SIDE * 1.5, FLOOR_SIDE * 1.2
        if self.is_narrow:
            notes = self._split_text(first, self.start)
            self.fit(notes, width=self.usable_width)
            bottom += notes.height + 0.3
            zoom = min(self.usable_width / width, (top - bottom) / height)
            middle_x = 0.0
        else:
            left = -self.frame_width / 2 + self.margin_x
            room = self._panel()[0] - 0.3 - left
            zoom = min(room / width, (top - bottom) / height)
            middle_x = left + room / 2
        middle_y = (top + bottom) / 2 - 0.05 * FLOOR_SIDE * zoom
        return zoom, np.array([middle_x / zoom, middle_y / zoom, 0.0])

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
            font_size=self.theme.body_size,
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

    def _walk(self, target: int, seconds: float) -> VMobject:
        """Animate the point along the descent path toward ``target``, drawing its trail
        (over the dashed straight line from the start to where the path ends)."""
        params = self.params
        floor = self.floor
        dot = self.path_dot
        path = descent_path(self.start, target, params.descent_steps, params.step_size)
        points = floor.floor(path[:, 0], path[:, 1])
        color = self.class_color(target)
        trail = VMobject(stroke_color=color, stroke_width=4)
        trail.set_points_as_corners(points)
        marks = VGroup(*(Dot(pt, radius=0.035, color=color) for pt in points))
        chord = merged(
            DashedLine(
                points[0], points[-1], color=self.theme.color("muted"), stroke_width=2,
                dash_length=0.08,
            )
        )  # fmt: skip
        self.trails.add(chord, trail, marks)
        progress = ValueTracker(0.0)
        last = len(points) - 1

        def position() -> np.ndarray:
            s = progress.get_value() * last
            i = min(int(s), last - 1)
            return points[i] + (s - i) * (points[i + 1] - points[i])

        dot.add_updater(lambda m: m.move_to(position()))
        self.add(chord, trail, marks, dot)
        trail.set_stroke(opacity=1.0)
        self.play_for(
            seconds, progress.animate.set_value(1.0), Create(trail), Create(marks), Create(chord)
        )
        dot.clear_updaters()
        return VGroup(trail, marks)

    # -- text ---------------------------------------------------------------------- #

    def _target_note(self, target: int) -> Mobject:
        """ "target: <name>" in the class's colour (notes panel, first row)."""
        note = Tex(
            rf"target: \textbf{{{self.class_tex(target)}}}",
            font_size=self.theme.title_size * 0.8,
            color=self.class_color(target),
        )
        return self._note(note, slot=0)

    def _note(self, mob: Mobject, slot: int) -> Mobject:
        """A note fixed in the side panel (landscape: right, row ``slot``; narrow: the
        target's name under the title, the others at the bottom)."""
        flat = merged(mob)
        if self.is_narrow:
            self.fit(flat, width=self.usable_width)
            if slot == 0:
                flat.next_to(self.title_mob, DOWN, buff=0.15)
            else:
                self.to_bottom(flat)
        else:
            left, right = self._panel()
            self.fit(flat, width=right - left)
            top = self.top_under_title(0.5)
            flat.move_to(np.array([left, top - 1.5 * slot, 0]), aligned_edge=LEFT + UP)
        self.add_fixed_in_frame_mobjects(flat)
        self.remove(flat)
        return flat
