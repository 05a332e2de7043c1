"""Chapter: the logits of 60 training points travel while a small network trains.

Beats
-----
1. ``inputs``: the 60 training points in their 3D input space (two blobs and a
   shell around them), in class colours.
2. ``logit-space``: logit space ``(z_1, z_2, z_3)`` with the sum-zero plane, its
   tie boundaries and class vertices, and the all-ones axis; with the last layer
   zeroed, every logit vector starts at the origin (every probability 1/3).
3. ``why-last-layer``: why only the last layer may start at zero.
4. per optimiser (``params.optimizers``, SGD then Adam by default):
   ``<opt>-training``, the paths grow from the origin over the training steps with
   live step, loss and accuracy readouts; ``<opt>-plane-view``, the camera looks
   along ``(1, 1, 1)``, so the paths are seen projected on the sum-zero plane
   (Adam's drift along ``(1, 1, 1)`` is first flattened out explicitly).

The training run is computed at render time by
:func:`softmax_math.training.train_optimizers` from the chapter's parameters
(:func:`logit_paths_data`); the paths are polylines reset in place from the
recorded trajectories (no ``TracedPath``), driven by one ``ValueTracker``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from manim import (
    DEGREES,
    DOWN,
    LEFT,
    ORIGIN,
    OUT,
    RIGHT,
    UL,
    UP,
    UR,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    MathTex,
    Mobject,
    Tex,
    ThreeDAxes,
    ValueTracker,
    VGroup,
    VMobject,
    linear,
)

from softmax_math import from_plane, train_optimizers
from softmax_math.training import TrainingResult
from softmax_video.core.params import LogitPathsParams
from softmax_video.kit.lecture_scene import LectureThreeDScene
from softmax_video.kit.plane_geometry import (
    ClassTriangle,
    InvariantArrow,
    LiveReadout,
    PlaneMap,
    SumZeroPlanePatch,
    TieBoundaries,
    merged,
)
from softmax_video.kit.widgets import MarkerSet

__all__ = [
    "LogitPaths",
    "LogitPathsData",
    "OptimizerRun",
    "camera_rotation",
    "flat_view_angles",
    "logit_paths_data",
]

# --------------------------------------------------------------------------- #
# Constants of the picture
# --------------------------------------------------------------------------- #

#: Scene size (before the camera zoom) of the cube the 3D pictures fill.
CUBE_SIDE = 6.0
#: Camera for the 3D overviews.
OVERVIEW = {"phi": 68 * DEGREES, "theta": -40 * DEGREES}
#: Ambient rotation speed (radians per second) while the camera idles.
ROTATION_RATE = 0.06
#: Manim's default focal distance, for the overviews.
OVERVIEW_FOCAL_DISTANCE = 20.0
#: Focal distance while looking along (1, 1, 1): far, so the view is nearly an
#: orthogonal projection on the sum-zero plane.
FLAT_FOCAL_DISTANCE = 200.0
#: Radius of the moving heads of the paths.
HEAD_RADIUS = 0.045
#: Class-vertex triangle drawn at this share of the plotted logit extent.
TRIANGLE_SHARE = 0.55
#: Names of the optimisers on screen.
OPTIMIZER_NAMES = {"sgd": "SGD", "adam": "Adam"}


# --------------------------------------------------------------------------- #
# Data
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class OptimizerRun:
    """One recorded training run, ready to animate.

    Attributes
    ----------
    result
        The full :class:`~softmax_math.training.TrainingResult` (every step).
    frames
        The recorded steps shown as animation snapshots (``result.subsample``).
    trajectories
        ``result.logits[frames]``, shape ``(n_frames, N, 3)``.
    """

    result: TrainingResult
    frames: np.ndarray
    trajectories: np.ndarray

    @property
    def name(self) -> str:
        return self.result.optimizer

    def step_at(self, position: float) -> float:
        """Training step shown at fractional snapshot ``position``."""
        return float(np.interp(position, np.arange(len(self.frames)), self.frames))

    def loss_at(self, position: float) -> float:
        return float(self.result.losses[round(self.step_at(position))])

    def accuracy_at(self, position: float) -> float:
        return float(self.result.accuracy[round(self.step_at(position))])


@dataclass(frozen=True)
class LogitPathsData:
    """The inputs, labels and one :class:`OptimizerRun` per optimiser."""

    inputs: np.ndarray
    labels: np.ndarray
    runs: tuple[OptimizerRun, ...]

    @property
    def logit_extent(self) -> float:
        """A round bound (multiple of 5) on every recorded logit."""
        peak = max(float(np.abs(run.trajectories).max()) for run in self.runs)
        return 5.0 * max(1.0, math.ceil(peak / 5.0))

    @property
    def input_extent(self) -> float:
        return float(max(1.0, math.ceil(np.abs(self.inputs).max())))


def logit_paths_data(params: LogitPathsParams) -> LogitPathsData:
    """Train the network once per optimiser from the chapter's parameters.

    The data set (``points_per_class`` per class) and the initial weights come from
    ``params.seed``; each optimiser starts from the same data and the same weights
    (last layer zero).

    Examples
    --------
    >>> from softmax_video.core.params import LogitPathsParams
    >>> data = logit_paths_data(LogitPathsParams(steps=20, frames=5, points_per_class=4))
    >>> [run.name for run in data.runs], data.runs[0].trajectories.shape
    (['sgd', 'adam'], (5, 12, 3))
    >>> float(abs(data.runs[0].trajectories[0]).max())
    0.0
    """
    inputs, labels, results = train_optimizers(
        params.optimizers,
        learning_rates={"sgd": params.sgd_learning_rate, "adam": params.adam_learning_rate},
        steps=params.steps,
        hidden=params.hidden,
        points_per_class=params.points_per_class,
        seed=params.seed,
    )
    runs = []
    for result in results.values():
        frames = result.subsample(params.frames)
        runs.append(OptimizerRun(result, frames, np.asarray(result.logits[frames])))
    return LogitPathsData(inputs=inputs, labels=labels, runs=tuple(runs))


def camera_rotation(phi: float, theta: float, gamma: float = 0.0) -> np.ndarray:
    """The rotation matrix manim's ``ThreeDCamera`` uses for these angles.

    A scene point ``X`` is drawn at ``zoom * (R (X - frame_center))[:2]`` (times a
    perspective factor that is 1 at depth 0).
    """
    c, s = math.cos(-theta - math.pi / 2), math.sin(-theta - math.pi / 2)
    about_z = np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])
    c, s = math.cos(-phi), math.sin(-phi)
    about_x = np.array([[1, 0, 0], [0, c, -s], [0, s, c]])
    c, s = math.cos(gamma), math.sin(gamma)
    turn = np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])
    return turn @ about_x @ about_z


def flat_view_angles() -> dict[str, float]:
    """Camera angles looking down the ``(1, 1, 1)`` axis with class 1's vertex up.

    Manim's camera sits in the direction of spherical angles ``(phi, theta)``;
    ``gamma`` then turns the picture in the screen plane.
    """
    phi = math.acos(1.0 / math.sqrt(3.0))
    theta = math.pi / 4
    vertex = from_plane(np.array([0.0, 1.0]))  # class 1's direction in the plane
    screen = camera_rotation(phi, theta) @ vertex
    gamma = math.pi / 2 - math.atan2(screen[1], screen[0])
    return {"phi": phi, "theta": theta, "gamma": gamma}


# --------------------------------------------------------------------------- #
# Mobjects
# --------------------------------------------------------------------------- #


class PathBundle(VMobject):
    """Many polylines of one colour in one mobject, reset in place from trajectories.

    Parameters
    ----------
    trajectories
        Scene points, shape ``(n_frames, n_paths, 3)``.
    """

    def __init__(self, trajectories: np.ndarray, **kwargs) -> None:
        super().__init__(**kwargs)
        self.trajectories = np.asarray(trajectories, dtype=float)
        self.set_progress(0.0)

    def vertices(self, position: float) -> np.ndarray:
        """The polyline vertices at fractional snapshot ``position``: ``(m, n_paths, 3)``."""
        last = len(self.trajectories) - 1
        position = float(np.clip(position, 0.0, last))
        k = math.floor(position)
        frac = position - k
        done = self.trajectories[: k + 1]
        if frac > 0 and k < last:
            head = done[-1] + frac * (self.trajectories[k + 1] - done[-1])
            done = np.concatenate([done, head[None]])
        return done

    def heads(self, position: float) -> np.ndarray:
        """Current end of every path, ``(n_paths, 3)``."""
        return self.vertices(position)[-1]

    def set_progress(self, position: float) -> PathBundle:
        """Show the paths up to fractional snapshot ``position``."""
        v = self.vertices(position)
        if len(v) < 2:
            v = np.concatenate([v, v])
        a, b = v[:-1], v[1:]  # (m, n, 3) segment ends
        thirds = np.stack([a, a + (b - a) / 3, a + 2 * (b - a) / 3, b], axis=2)  # (m, n, 4, 3)
        self.points = np.ascontiguousarray(thirds.transpose(1, 0, 2, 3).reshape(-1, 3))
        return self


# --------------------------------------------------------------------------- #
# Scene
# --------------------------------------------------------------------------- #


class LogitPaths(LectureThreeDScene):
    """Sixty logit vectors leave the centre while a 3-32-32-3 network trains."""

    params: LogitPathsParams

    def construct(self) -> None:
        self.data = logit_paths_data(self.params)
        # The cube and its labels (about 7.5 units across) fit under the title.
        self.zoom = min(1.0, self.frame_width / 8.6, (self.frame_height - 1.6) / 7.5)
        if self.is_narrow and not self.is_portrait:
            # Square frame: the readout panel sits below the picture, so leave it room.
            self.zoom *= 0.68
        elif self.is_portrait:
            # Portrait: room above the picture for the three-line notes under the caption,
            # and below it for the readouts and the legend.
            self.zoom *= 0.8
        self.set_camera_orientation(**OVERVIEW, zoom=self.zoom)
        self.title_mob = self.fixed_in_frame(self.title("Logits while a network trains"))

        with self.beat(
            "inputs",
            "The network learns from sixty points in three dimensions: two blobs for the "
            "first two classes and a shell around them for the third.",
        ):
            self.show_inputs()
        with self.beat(
            "logit-space",
            "Its last layer starts at zero, so all sixty logit vectors begin at the origin, "
            "the centre of the class triangle, where each class has probability one third.",
        ):
            self.show_logit_space()
        with self.beat(
            "why-last-layer",
            "Only the last layer may start at zero: a zero layer earlier on would pass "
            "zeros forward and stall the weights' gradients, while a zero last layer "
            "still learns at once.",
        ):
            self.explain_zero_start()
        for index, run in enumerate(self.data.runs):
            with self.beat(f"{run.name}-training", self.training_sentence(run, index)):
                self.train(run, index)
            with self.beat(f"{run.name}-plane-view", self.plane_sentence(run)):
                self.plane_view(run)

    # -- narration ------------------------------------------------------------- #

    @staticmethod
    def training_sentence(run: OptimizerRun, index: int) -> str:
        name = OPTIMIZER_NAMES[run.name]
        if run.name == "sgd":
            return (
                f"Under {name} the logits fan out from the centre, each class's points "
                "heading into its own region while the loss falls."
            )
        again = " from the same start" if index > 0 else ""
        return (
            f"With {name}{again} the logits take other routes, and its per-weight step "
            "sizes also carry them along the (1, 1, 1) axis."
        )

    @staticmethod
    def plane_sentence(run: OptimizerRun) -> str:
        drift = float(np.abs(run.trajectories.sum(axis=-1)).max())
        if drift < 1e-6:
            return (
                "Seen down the (1, 1, 1) axis nothing is hidden: these paths never left "
                "the sum-zero plane, the only part of logit space softmax sees."
            )
        return (
            "Softmax ignores that drift, so we flatten it away and look down the axis: "
            "on the sum-zero plane each class sits in its own region."
        )

    # -- beats ----------------------------------------------------------------- #

    def show_inputs(self) -> None:
        data = self.data
        extent = data.input_extent
        unit = CUBE_SIDE / (2 * extent)
        axes = self.make_axes(extent, unit, ("x_1", "x_2", "x_3"))
        dots = VGroup(
            *(
                Dot(
                    axes[0].c2p(*point),
                    radius=HEAD_RADIUS * 1.6,
                    color=self.class_color(int(label)),
                )
                for point, label in zip(data.inputs, data.labels, strict=True)
            )
        )
        self.add_fixed_orientation(*dots)
        legend = self.class_legend()
        caption = merged(Tex(r"input space: $x \in \mathbb{R}^3$", font_size=self.theme.label_size))
        self.corner(caption, UL)
        self.play_for(1.0, FadeIn(self.title_mob), FadeIn(legend), FadeIn(caption))
        self.play_for(1.5, Create(axes[0]), FadeIn(axes[1]))
        self.merge_axes(axes)
        self.begin_ambient_camera_rotation(rate=ROTATION_RATE * 3)
        self.play_for(1.5, FadeIn(dots, lag_ratio=0.02))
        self.pause(2.5)
        self.stop_ambient_camera_rotation()
        self.input_group = VGroup(axes, dots)
        self.caption = caption
        self.legend = legend

    def show_logit_space(self) -> None:
        data = self.data
        extent = data.logit_extent
        self.unit = unit = CUBE_SIDE / (2 * extent)
        axes = self.make_axes(extent, unit, ("z_1", "z_2", "z_3"))
        self.logit_axes = axes
        plane_map = PlaneMap(
            ORIGIN,
            from_plane(np.array([1.0, 0.0])) * unit,
            from_plane(np.array([0.0, 1.0])) * unit,
            np.ones(3) / math.sqrt(3.0) * unit,
        )
        patch = SumZeroPlanePatch(self.theme, unit, radius=extent * 0.95, opacity=0.12)
        ties = TieBoundaries(self.theme, plane_map, extent=extent * 0.8, stroke_width=3)
        triangle = ClassTriangle(self.theme, plane_map, scale=extent * TRIANGLE_SHARE)
        labels = VGroup()
        for k, corner in enumerate(triangle.corners):
            label = Tex(
                self.class_tex(k),
                font_size=self.theme.label_size,
                color=self.class_color(k),
            )
            label.move_to(corner * 1.2)
            labels.add(merged(label))
        arrow_end = np.ones(3) / math.sqrt(3.0) * extent * 0.8 * unit
        invariant = InvariantArrow(
            self.theme, -arrow_end, arrow_end, label="(1,1,1)", label_size=self.theme.small_size
        )
        invariant.label = merged(invariant.label)
        self.plane_group = VGroup(patch, ties, triangle)
        self.add_fixed_orientation(*labels, invariant.label)
        self.vertex_labels = labels
        self.invariant = invariant

        # One set of heads per class (the points are sorted by class, so they are drawn
        # in the same order as one dot each).
        self.class_masks = [data.labels == k for k in range(3)]
        heads = VGroup(
            *(
                MarkerSet(
                    Dot(radius=HEAD_RADIUS, color=self.class_color(k)),
                    np.zeros((int(mask.sum()), 3)),
                )
                for k, mask in enumerate(self.class_masks)
            )
        )
        self.heads = heads
        start = merged(
            MathTex(
                r"z = 0,\quad p = \left(\tfrac13, \tfrac13, \tfrac13\right)",
                font_size=self.theme.label_size,
            )
        )
        caption = merged(Tex(r"logit space: $z \in \mathbb{R}^3$", font_size=self.theme.label_size))
        self.corner(caption, UL)
        if self.is_narrow:  # no room beside the caption: under it
            self.fit(start, width=self.usable_width)
            self.below(start, caption)
        else:
            self.corner(start, UR)
        self.play_for(1.2, FadeOut(self.input_group), FadeOut(self.caption), FadeIn(caption))
        self.caption = caption
        self.play_for(1.5, Create(axes[0]), FadeIn(axes[1]))
        self.merge_axes(axes)
        self.begin_ambient_camera_rotation(rate=ROTATION_RATE)
        self.play_for(
            1.8,
            FadeIn(patch),
            Create(ties),
            FadeIn(triangle),
            FadeIn(labels),
            FadeIn(invariant),
            FadeIn(invariant.label),
        )
        # The sixty dots stacked at the origin fade in as separate dots (their
        # opacities compound), then are drawn as one path per class.
        pieces = VGroup(*(set_.pieces() for set_ in heads))
        self.play_for(1.0, FadeIn(pieces), FadeIn(start))
        self.replace(pieces, heads)
        self.start_note = start
        self.pause(1.5)

    def explain_zero_start(self) -> None:
        size = self.theme.small_size
        lines = VGroup(
            Tex(r"last layer $W_3 = 0,\ b_3 = 0$: every logit is $0$", font_size=size),
            Tex(r"an earlier zero layer: zeros flow forward,", font_size=size),
            Tex(r"and the weights' gradients stall", font_size=size),
        )
        # The aside in a quieter colour; in narrow frames, where it is small and sits
        # close to the picture, in the text colour.
        lines[1:].set_color(self.theme.color("text" if self.is_narrow else "muted"))
        lines.arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        self.fit(lines, width=self.usable_width * (0.95 if self.is_narrow else 0.42))
        lines = VGroup(merged(lines[0]), merged(lines[1:]))
        if self.is_narrow:  # in the start note's place, under the caption
            self.below(lines, self.caption)
            self.play_for(1.5, FadeOut(self.start_note), FadeIn(lines[0]))
        else:
            self.corner(lines, DOWN + RIGHT)
            self.play_for(1.5, FadeIn(lines[0]))
        self.play_for(1.5, FadeIn(lines[1:]))
        self.pause(2.0)
        self.play_for(0.8, FadeOut(lines), FadeOut(self.start_note))

    def train(self, run: OptimizerRun, index: int) -> None:
        name = OPTIMIZER_NAMES[run.name]
        position = ValueTracker(0.0)
        points = run.trajectories * self.unit
        labels = self.data.labels
        bundles = VGroup(
            *(
                PathBundle(
                    points[:, labels == k],
                    stroke_color=self.class_color(k),
                    stroke_width=2,
                    stroke_opacity=0.85,
                )
                for k in range(3)
            )
        )

        def refresh(_mob: Mobject) -> None:
            t = position.get_value()
            for bundle in bundles:
                bundle.set_progress(t)
            heads = points[min(math.ceil(t), len(points) - 1)]
            low = points[math.floor(t)]
            frac = t - math.floor(t)
            current = low + frac * (heads - low)
            for dots, mask in zip(self.heads, self.class_masks, strict=True):
                dots.set_centers(current[mask])

        size = self.theme.label_size
        header = merged(
            Tex(rf"{name}, learning rate ${run.result.learning_rate:g}$", font_size=size)
        )
        step = LiveReadout(r"\text{step}", lambda: run.step_at(position.get_value()), 0, size)
        loss = LiveReadout(r"\text{loss}", lambda: run.loss_at(position.get_value()), 3, size)
        accuracy = LiveReadout(
            r"\text{accuracy}\ (\%)",
            lambda: 100 * run.accuracy_at(position.get_value()),
            0,
            size,
        )
        panel = VGroup(header, step, loss, accuracy).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        if self.is_portrait:  # two lines over the legend's row, clear of the picture
            row = VGroup(step, loss, accuracy).arrange(RIGHT, buff=0.6)
            panel = VGroup(header, row).arrange(DOWN, buff=0.15)
            # From the left margin, with room on the right for the numbers to grow
            # (step and accuracy gain two digits each).
            self.fit(panel, width=self.usable_width - 0.7)
            panel.next_to(self.legend, UP, buff=0.25)
            panel.set_x(-self.frame_width / 2 + self.margin_x + panel.width / 2)
            self.add_fixed_in_frame_mobjects(panel)
            self.remove(panel)
        elif self.is_narrow:  # bottom right, beside the legend
            self.fit(panel, width=self.usable_width * 0.6)
            self.corner(panel, DOWN + RIGHT)
        else:
            self.corner(panel, UR)

        if index > 0:
            self.move_camera(
                **OVERVIEW,
                gamma=0.0,
                zoom=self.zoom,
                focal_distance=OVERVIEW_FOCAL_DISTANCE,
                added_anims=[
                    FadeOut(self.paths),
                    FadeOut(self.panel),
                    FadeIn(self.invariant),
                    FadeIn(self.invariant.label),
                    *(
                        dots.animate.set_centers(np.zeros_like(dots.get_centers()))
                        for dots in self.heads
                    ),
                ],
                run_time=self.seconds(2.0),
            )
            self.begin_ambient_camera_rotation(rate=ROTATION_RATE)
            self.play_for(1.0, FadeIn(panel))
        else:
            # The corner names would sit under the paths; the legend keeps the colours.
            self.play_for(1.0, FadeIn(panel), FadeOut(self.vertex_labels))
        bundles.add_updater(refresh)
        self.add(bundles)
        # The heads are drawn over the paths.
        self.bring_to_front(self.heads)
        self.play_for(8.0, position.animate.set_value(len(points) - 1), rate_func=linear)
        bundles.clear_updaters()
        self.pause(0.8)
        self.paths = bundles
        self.panel = panel

    def plane_view(self, run: OptimizerRun) -> None:
        self.stop_ambient_camera_rotation()
        drift = float(np.abs(run.trajectories.sum(axis=-1)).max())
        if drift > 1e-6:
            self.flatten(run)
        # The (1, 1, 1) arrow points straight at the camera in this view: hide it.
        self.move_camera(
            **flat_view_angles(),
            zoom=self.zoom,
            focal_distance=FLAT_FOCAL_DISTANCE,
            added_anims=[FadeOut(self.invariant), FadeOut(self.invariant.label)],
            run_time=self.seconds(3.0),
        )
        if run is self.data.runs[-1] and len(self.data.runs) > 1:
            self.play_for(1.0, FadeIn(self.summary()))
            self.pause(1.0)
        else:
            self.pause(2.0)

    def summary(self) -> Mobject:
        """Final loss and accuracy of every run, under the readout panel (narrow frames:
        under the caption)."""
        lines = merged(
            VGroup(
                *(
                    Tex(
                        rf"{OPTIMIZER_NAMES[run.name]}: loss ${run.result.losses[-1]:.3f}$, "
                        rf"accuracy ${100 * run.result.accuracy[-1]:.0f}\,\%$",
                        font_size=self.theme.small_size,
                        color=self.theme.color("muted"),
                    )
                    for run in self.data.runs
                )
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        )
        if self.is_narrow:  # under the caption, clear of the picture and the panel
            self.fit(lines, width=self.usable_width * 0.9)
            lines.next_to(self.caption, DOWN, buff=0.2, aligned_edge=LEFT)
        else:
            self.fit(lines, width=self.panel.width)
            lines.next_to(self.panel, DOWN, buff=0.35, aligned_edge=LEFT)
        self.add_fixed_in_frame_mobjects(lines)
        self.remove(lines)
        return lines

    # -- helpers --------------------------------------------------------------- #

    def flatten(self, run: OptimizerRun) -> None:
        """Slide every path onto the sum-zero plane (remove each point's mean logit)."""
        amount = ValueTracker(0.0)
        original = [bundle.trajectories.copy() for bundle in self.paths]
        heads = [dots.get_centers() for dots in self.heads]
        ones = np.ones(3) / 3.0

        def project(points: np.ndarray, share: float) -> np.ndarray:
            return points - share * (points @ np.ones(3))[..., None] * ones

        def refresh(_mob: Mobject) -> None:
            share = amount.get_value()
            for bundle, traj in zip(self.paths, original, strict=True):
                bundle.trajectories = project(traj, share)
                bundle.set_progress(len(traj) - 1)
            for dots, start in zip(self.heads, heads, strict=True):
                dots.set_centers(project(start, share))

        self.paths.add_updater(refresh)
        self.play_for(2.0, amount.animate.set_value(1.0))
        self.paths.clear_updaters()

    def make_axes(self, extent: float, unit: float, names: tuple[str, str, str]) -> VGroup:
        """Three axes through the origin over ``[-extent, extent]`` with LaTeX names."""
        length = 2 * extent * unit
        step = 5.0 if extent > 6 else 1.0
        axes = ThreeDAxes(
            x_range=(-extent, extent, step),
            y_range=(-extent, extent, step),
            z_range=(-extent, extent, step),
            x_length=length,
            y_length=length,
            z_length=length,
            axis_config={
                "color": self.theme.color("muted"),
                "stroke_width": 2,
                "include_tip": True,
                "tip_length": 0.18,
                "tip_width": 0.18,
            },
        )
        axes.shift(-axes.c2p(0, 0, 0))
        # Plain, unshaded axis pieces: manim's sheen and 3D shading make every piece a
        # two-colour gradient whose end points are re-measured every frame (most of the
        # drawing time of ThreeDAxes). Nothing here needs the axes depth-sorted.
        axes.set_sheen(0.0)
        axes.set_color(self.theme.color("muted"))  # rebuilds the one-row colours
        for piece in axes.get_family():
            piece.shade_in_3d = False
        reach = extent * unit + 0.35
        labels = VGroup()
        for name, direction in zip(names, (RIGHT, UP, OUT), strict=True):
            label = MathTex(name, font_size=self.theme.label_size)
            label.move_to(direction * reach)
            labels.add(merged(label))
        self.add_fixed_orientation(*labels)
        return VGroup(axes, labels)

    def merge_axes(self, axes: VGroup) -> None:
        """Swap the 3D axes just drawn (``axes[0]``) for the same lines merged into one
        mobject per style, in the same place in the scene.

        :class:`ThreeDAxes` is about 90 small mobjects (each axis in 20 pieces, ticks,
        tips), each projected and drawn on its own every frame; merged they are a few
        draw calls. Merge only once drawn: ``Create`` grows every piece at once, which
        it would not do for one merged path.
        """
        flat = merged(axes[0])
        self.replace(axes[0], flat)
        axes.submobjects[0] = flat

    def add_fixed_orientation(self, *mobjects: Mobject) -> None:
        """Keep ``mobjects`` facing the camera, not yet shown.

        They stay where they are, so each one's centre is measured once: by default
        manim measures it again for every member, every frame.
        """
        self.add_fixed_orientation_mobjects(*mobjects, use_static_center_func=True)
        self.remove(*mobjects)

    def class_legend(self) -> VGroup:
        """Class names with colour dots, fixed in the frame at the bottom left (portrait:
        a row at the bottom)."""
        entries = VGroup()
        for k in range(3):
            dot = Dot(radius=0.08, color=self.class_color(k))
            name = Tex(
                self.class_tex(k),
                font_size=self.theme.small_size,
                color=self.class_color(k),
            )
            entries.add(VGroup(dot, name).arrange(RIGHT, buff=0.12))
        if self.is_portrait:  # a row at the bottom, under the readout panel
            entries.arrange(RIGHT, buff=0.4)
            return self.corner(merged(entries), DOWN)
        entries.arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        return self.corner(merged(entries), DOWN + LEFT)

    def below(self, mobject: Mobject, anchor: Mobject) -> Mobject:
        """Fix ``mobject`` in the frame just under ``anchor``, left-aligned."""
        mobject.next_to(anchor, DOWN, buff=0.2, aligned_edge=LEFT)
        self.add_fixed_in_frame_mobjects(mobject)
        self.remove(mobject)
        return mobject

    def corner(self, mobject: Mobject, direction: np.ndarray) -> Mobject:
        """Fix ``mobject`` in the frame at a corner/edge below the title."""
        self.pin_to(mobject, direction)
        if direction[1] > 0:
            mobject.shift(DOWN * (self.title_mob.height + 0.2))
        self.add_fixed_in_frame_mobjects(mobject)
        self.remove(mobject)
        return mobject
