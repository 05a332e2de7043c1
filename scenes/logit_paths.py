"""Chapter: the logits of 60 training points travel while a small network trains.

Beats
-----
1. ``inputs``: the 60 training points in their 3D input space ``x``: two blobs at
   ``x_1 = +-2`` and a shell of radius 4 around them (drawn faintly); the camera turns
   until the two blobs stand apart.
2. ``logit-space``: logit space ``(z_1, z_2, z_3)`` with the sum-zero plane, its tie
   rays and class vertices, and the all-ones axis; with the last layer zeroed, every
   logit vector starts at the origin (every probability 1/3).
3. ``why-last-layer``: why only the last layer may start at zero.
4. per optimiser (``params.optimizers``, SGD then Adam by default):
   ``<opt>-training``, the paths grow from the origin over the training steps with
   live step, loss, accuracy and mean-logit readouts; for Adam, ``adam-side-view``:
   the camera looks along the sum-zero plane (edge-on, ``(1, 1, 1)`` pointing up), so
   the paths' drift off the plane is seen and its size read off; ``<opt>-plane-view``:
   the drift is flattened away and the camera looks down ``(1, 1, 1)`` at the three
   class regions.
5. ``takeaway``: the closing card over the plane view.

The training run is computed at render time by
:func:`softmax_math.training.train_optimizers` from the chapter's parameters
(:func:`logit_paths_data`); the paths are polylines reset in place from the
recorded trajectories (no ``TracedPath``), driven by one ``ValueTracker``. Path heads
and input points are class-shaped markers that turn to face the camera
(:class:`softmax_video.kit.paths.FacingMarkers`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from manim import (
    DEGREES,
    DL,
    DOWN,
    LEFT,
    ORIGIN,
    OUT,
    RIGHT,
    UL,
    UP,
    UR,
    BackgroundRectangle,
    Create,
    DashedLine,
    FadeIn,
    FadeOut,
    Indicate,
    Line,
    MathTex,
    Mobject,
    Polygon,
    Rectangle,
    Tex,
    ValueTracker,
    VGroup,
    VMobject,
    linear,
    there_and_back,
)

from softmax_math import class_vertices, from_plane, train_optimizers
from softmax_math.training import TrainingResult
from softmax_video.core.params import LogitPathsParams
from softmax_video.core.text import tick_step
from softmax_video.kit.lecture_scene import LectureThreeDScene
from softmax_video.kit.paths import FacingMarkers, class_marker
from softmax_video.kit.plane_geometry import (
    InvariantArrow,
    SumZeroPlanePatch,
    merged,
    mesh_cone,
    mesh_sphere,
    tie_directions,
)
from softmax_video.kit.widgets import Readout

__all__ = [
    "SHELL_RADIUS",
    "LogitPaths",
    "LogitPathsData",
    "OptimizerRun",
    "camera_rotation",
    "flat_view_angles",
    "logit_paths_data",
    "side_view_angles",
]

# --------------------------------------------------------------------------- #
# Constants of the picture
# --------------------------------------------------------------------------- #

#: Scene size (before the camera zoom) of the cube the 3D pictures fill.
CUBE_SIDE = 6.0
#: Camera for the 3D overviews.
OVERVIEW = {"phi": 68 * DEGREES, "theta": -40 * DEGREES}
#: The input space is first seen from here, then turns to ``INPUT_END_THETA``, where
#: the x_1 axis runs across the screen and the two blobs at x_1 = +-2 stand apart.
INPUT_START_THETA = -25 * DEGREES
INPUT_END_THETA = -82 * DEGREES
#: Radius of the shell the third class lies on, and the blobs' distance from the
#: origin along x_1 (make_dataset's defaults).
SHELL_RADIUS = 4.0
BLOB_OFFSET = 2.0
#: Ambient rotation speed (radians per second) while the camera idles.
ROTATION_RATE = 0.05
#: Manim's default focal distance, for the overviews.
OVERVIEW_FOCAL_DISTANCE = 20.0
#: Focal distance while looking along (1, 1, 1) or edge-on at the plane: far, so the
#: view is nearly an orthogonal projection.
FLAT_FOCAL_DISTANCE = 200.0
#: Radius of the path heads and input points (scene units before the zoom).
HEAD_RADIUS = 0.06
#: Class-vertex triangle drawn at this share of the plotted logit extent.
TRIANGLE_SHARE = 0.55
#: Radius of the sum-zero hexagon (and its class regions), as a share of the extent.
PLANE_SHARE = 0.95
#: Angle (radians) the region names sit off their vertex direction (their wedge spans
#: +-60 degrees).
REGION_LABEL_TURN = 38 * DEGREES
#: Names of the optimisers on screen.
OPTIMIZER_NAMES = {"sgd": "SGD", "adam": "Adam"}
#: Optimisers whose runs get a side view: Adam's per-weight steps move the logits off
#: the sum-zero plane (SGD's steps on the last layer sum to zero over the classes).
SIDE_VIEW_RUNS = ("adam",)
#: Mean logits smaller than this count as no drift at all (SGD keeps them at 1e-15).
NO_DRIFT = 1e-6


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

    def logits_at(self, position: float) -> np.ndarray:
        """Every point's logits at fractional snapshot ``position`` (as drawn), ``(N, 3)``."""
        last = len(self.trajectories) - 1
        position = float(np.clip(position, 0.0, last))
        k = min(math.floor(position), last - 1) if last > 0 else 0
        frac = position - k
        if last == 0:
            return self.trajectories[0]
        return self.trajectories[k] + frac * (self.trajectories[k + 1] - self.trajectories[k])

    @property
    def mean_logits(self) -> np.ndarray:
        """Every point's mean logit ``(z_1 + z_2 + z_3) / 3`` at every snapshot,
        ``(n_frames, N)``: its distance along ``(1, 1, 1)`` divided by ``sqrt(3)``."""
        return self.trajectories.mean(axis=-1)

    def drift_at(self, position: float) -> float:
        """The largest ``|mean logit|`` over the points at snapshot ``position``."""
        return float(np.abs(self.logits_at(position).mean(axis=-1)).max())

    @property
    def final_drift(self) -> float:
        """The largest ``|mean logit|`` at the last snapshot."""
        return float(np.abs(self.mean_logits[-1]).max())

    @property
    def drifts(self) -> bool:
        """Whether the logits leave the sum-zero plane at all (SGD's never do)."""
        return float(np.abs(self.mean_logits).max()) > NO_DRIFT


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


def _upright(phi: float, theta: float, direction: np.ndarray) -> dict[str, float]:
    """The angles with ``gamma`` turning scene ``direction`` straight up on screen."""
    screen = camera_rotation(phi, theta) @ direction
    gamma = math.pi / 2 - math.atan2(screen[1], screen[0])
    return {"phi": phi, "theta": theta, "gamma": gamma}


def flat_view_angles() -> dict[str, float]:
    """Camera angles looking down the ``(1, 1, 1)`` axis with class 1's vertex up.

    Manim's camera sits in the direction of spherical angles ``(phi, theta)``;
    ``gamma`` then turns the picture in the screen plane.
    """
    phi = math.acos(1.0 / math.sqrt(3.0))
    return _upright(phi, math.pi / 4, from_plane(np.array([0.0, 1.0])))


def side_view_angles(phi: float, theta: float) -> dict[str, float]:
    """The view edge-on to the sum-zero plane nearest the camera at ``(phi, theta)``,
    with ``(1, 1, 1)`` pointing straight up on screen.

    The camera's direction is that of ``(phi, theta)`` with its ``(1, 1, 1)`` part
    removed, so it lies in the sum-zero plane: the plane is seen as a line, and a
    logit vector's height above it is its distance along ``(1, 1, 1)``.
    """
    ones = np.ones(3) / math.sqrt(3.0)
    toward = np.array(
        [math.sin(phi) * math.cos(theta), math.sin(phi) * math.sin(theta), math.cos(phi)]
    )
    toward -= (toward @ ones) * ones
    toward /= np.linalg.norm(toward)
    side_phi = math.acos(float(np.clip(toward[2], -1.0, 1.0)))
    side_theta = math.atan2(toward[1], toward[0])
    return _upright(side_phi, side_theta, ones)


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


class SpaceAxes(VGroup):
    """Three axes through the origin over ``[-extent, extent]`` with ticks, tips and names.

    The negative halves and the positive halves are separate merged mobjects, so a view
    can dim one without the other (looking down ``(1, 1, 1)``, the negative axes lie
    exactly on the tie rays). Names and numbers are returned unshown in ``labels``, to
    be kept facing the camera.
    """

    def __init__(
        self,
        scene: LogitPaths,
        extent: float,
        unit: float,
        names: tuple[str, ...],
        numbered: tuple[float, ...] = (),
    ) -> None:
        theme = scene.theme
        muted = theme.color("muted")
        step = tick_step(2 * extent, 10, smallest=1.0)
        length = extent * unit
        tick = 0.07
        negative, positive = VGroup(), VGroup()
        directions = (RIGHT, UP, OUT)
        across = (UP, RIGHT, RIGHT)
        ticks = np.arange(step, extent + 1e-9, step)
        for direction, side in zip(directions, across, strict=True):
            negative.add(Line(-direction * length, ORIGIN))
            positive.add(Line(ORIGIN, direction * (length + 0.1)))
            for value in ticks:
                for sign, group in ((-1, negative), (1, positive)):
                    centre = sign * direction * value * unit
                    group.add(Line(centre - side * tick, centre + side * tick))
        for group in (negative, positive):
            group.set_stroke(muted, width=2)
        self.negative = merged(negative)
        self.positive = merged(positive)
        self.tips = VGroup(
            *(mesh_cone(d * (length + 0.1), d * (length + 0.32), 0.07, muted) for d in directions)
        )
        self.labels = VGroup()
        size = theme.label_size
        for name, direction in zip(names, directions, strict=True):
            label = MathTex(name, font_size=size * scene.scene_text)
            label.move_to(direction * (length + 0.6))
            self.labels.add(merged(label))
        # Numbers on the first axis only, at +-numbered (the inputs: the blob centres).
        self.numbers = VGroup()
        for value in numbered:
            number = MathTex(
                f"{value:g}", font_size=theme.small_size * scene.scene_text, color=muted
            )
            number.move_to(RIGHT * value * unit + DOWN * 0.3)
            self.numbers.add(merged(number))
        super().__init__(self.negative, self.positive, self.tips)


class LogitPaths(LectureThreeDScene):
    """Sixty logit vectors leave the centre while a 3-32-32-3 network trains."""

    params: LogitPathsParams

    def construct(self) -> None:
        self.setup_stage()
        self.show_inputs()
        self.show_logit_space()
        self.explain_zero_start()
        for index, run in enumerate(self.data.runs):
            self.train(run, index)
            if run.name in SIDE_VIEW_RUNS:
                self.side_view(run)
            self.plane_view(run)
        self.takeaway()

    # -- stage ----------------------------------------------------------------- #

    def setup_stage(self) -> None:
        """The training runs, the zoom for this frame shape, the title (nothing drawn)."""
        self.data = logit_paths_data(self.params)
        # The cube and its labels (about 7.5 units across) fit under the title.
        self.zoom = min(1.0, self.frame_width / 8.6, (self.frame_height - 1.6) / 7.5)
        if self.is_narrow and not self.is_portrait:
            # Square frame: the readout panel sits below the picture, so leave it room.
            self.zoom *= 0.64
        elif self.is_portrait:
            # Portrait: room above the picture for the notes under the caption, and
            # below it for the readouts and the legend.
            self.zoom *= 0.8
        self.set_camera_orientation(phi=OVERVIEW["phi"], theta=INPUT_START_THETA, zoom=self.zoom)
        # A title as wide as the usable width inks a pixel past the safe area: a little less.
        title = self.title()
        self.fit(title, width=0.94 * self.usable_width)
        self.title_mob = self.fixed_in_frame(self.to_top(title))
        #: Text inside the 3D scene shrinks with the zoom: small frames enlarge it.
        self.scene_text = min(1.25, max(1.0, 0.6 / self.zoom))
        self.flat_share = ValueTracker(0.0)  # how far the drift has been flattened away
        self.class_masks = [self.data.labels == k for k in range(3)]

    def facing(self, markers: FacingMarkers) -> FacingMarkers:
        """Keep ``markers`` turned toward the camera (every frame)."""
        camera = self.renderer.camera
        markers.face(camera.generate_rotation_matrix())
        markers.add_updater(lambda m: m.face(camera.generate_rotation_matrix()))
        return markers

    def class_markers(self, k: int, centers: np.ndarray, scale: float = 1.0) -> FacingMarkers:
        """Class ``k``'s markers (its shape and colour, a dark rim) at ``centers``."""
        marker = class_marker(
            k,
            HEAD_RADIUS * scale,
            self.class_color(k),
            stroke_width=1.0,
            stroke_color=self.theme.color("background"),
        )
        return self.facing(FacingMarkers(marker, centers))

    # -- narration ------------------------------------------------------------- #

    @staticmethod
    def training_sentence(run: OptimizerRun, index: int) -> str:
        name = OPTIMIZER_NAMES[run.name]
        if not run.drifts:
            return (
                f"Under {name} the logits fan out from the centre, each class's points "
                "heading into its own region while the loss falls; their mean logit "
                "stays exactly zero."
            )
        again = " from the same start" if index > 0 else ""
        return (
            f"With {name}{again} the logits take other routes, and because it scales "
            "each weight's step on its own, their mean logit starts to drift."
        )

    @staticmethod
    def side_sentence(run: OptimizerRun) -> str:
        return (
            "Seen edge-on, the sum-zero plane is a line, and these paths leave it along "
            f"(1,1,1): mean logits up to {run.final_drift:.1f} away, "
            "a drift softmax never sees."
        )

    @staticmethod
    def plane_sentence(run: OptimizerRun) -> str:
        if not run.drifts:
            return (
                "Seen down the (1,1,1) axis, the plane splits into three regions at the "
                "tie lines, and each class's paths end in its own."
            )
        return (
            "So we flatten the drift away and look down the axis: again each class's "
            "paths end in their own region."
        )

    # -- beats ----------------------------------------------------------------- #

    def show_inputs(self) -> None:
        with self.beat(
            "inputs",
            "The network learns from sixty points in three dimensions: two blobs for the "
            "first two classes, and <mark:shell>a shell of radius four around them for "
            "the third.",
        ):
            self.draw_inputs()

    def draw_inputs(self) -> None:
        data = self.data
        extent = data.input_extent
        unit = CUBE_SIDE / (2 * extent)
        axes = SpaceAxes(
            self, extent, unit, ("x_1", "x_2", "x_3"), numbered=(-BLOB_OFFSET, BLOB_OFFSET)
        )
        self.add_fixed_orientation(*axes.labels, *axes.numbers)
        points = data.inputs * unit
        dots = VGroup(
            *(self.class_markers(k, points[mask], 1.15) for k, mask in enumerate(self.class_masks))
        )
        shell = mesh_sphere(ORIGIN, SHELL_RADIUS * unit, self.class_color(2), resolution=(8, 16))
        shell.set_fill(opacity=0.04).set_stroke(self.class_color(2), width=0.8, opacity=0.2)
        shell_label = merged(
            MathTex(
                r"r = 4",
                font_size=self.theme.small_size * self.scene_text,
                color=self.class_color(2),
            )
        )
        shell_label.move_to(SHELL_RADIUS * unit * np.array([-0.55, 0.0, 0.83]) + 0.25 * OUT)
        self.add_fixed_orientation(shell_label)
        legend = self.class_legend()
        caption = merged(Tex(r"input space: $x \in \mathbb{R}^3$", font_size=self.theme.label_size))
        self.corner(caption, UL)
        self.play_for(0.8, FadeIn(self.title_mob), FadeIn(legend), FadeIn(caption))
        self.play_for(1.2, Create(axes), FadeIn(axes.labels), FadeIn(axes.numbers))
        # The camera turns until the x_1 axis runs across: the blobs at x_1 = +-2 apart.
        self.move_camera(
            theta=INPUT_END_THETA,
            run_time=self.seconds(3.5),
            added_anims=[
                FadeIn(dots, lag_ratio=0.1, run_time=self.seconds(1.8)),
            ],
        )
        self.at_mark("shell")
        self.play_for(1.0, FadeIn(shell), FadeIn(shell_label))
        self.pulse(shell, shell_label)
        self.pause(0.3)
        self.input_group = VGroup(axes, axes.labels, axes.numbers, dots, shell, shell_label)
        self.input_dots = dots
        self.caption = caption
        self.legend = legend

    def show_logit_space(self) -> None:
        with self.beat(
            "logit-space",
            "Its last layer starts at zero, so all sixty logit vectors begin at the origin, "
            "the centre of the class triangle, where each class has <mark:third>"
            "probability one third.",
        ):
            self.draw_logit_space()

    def draw_logit_space(self) -> None:
        data = self.data
        extent = data.logit_extent
        self.unit = unit = CUBE_SIDE / (2 * extent)
        axes = SpaceAxes(self, extent, unit, ("z_1", "z_2", "z_3"))
        self.add_fixed_orientation(*axes.labels, *axes.numbers)
        self.logit_axes = axes
        radius = extent * PLANE_SHARE
        patch = SumZeroPlanePatch(self.theme, unit, radius=radius, opacity=0.1)
        ties = VGroup()
        for direction in tie_directions(3).values():
            end = from_plane(direction * radius) * unit
            ray = DashedLine(ORIGIN, end, dash_length=0.12, stroke_width=3)
            ties.add(ray)
        ties = merged(ties.set_color(self.theme.color("accent")))
        corners = from_plane(class_vertices(3) * extent * TRIANGLE_SHARE) * unit
        edges = Polygon(*corners, color=self.theme.color("text"), stroke_width=2.5)
        edges.set_fill(self.theme.color("text"), opacity=0.05)
        vertices = VGroup(*(self.class_markers(k, corners[k : k + 1], 1.8) for k in range(3)))
        arrow_end = np.ones(3) / math.sqrt(3.0) * extent * 0.8 * unit
        invariant = InvariantArrow(
            self.theme,
            -arrow_end,
            arrow_end,
            label="(1,1,1)",
            label_size=self.theme.small_size * self.scene_text,
        )
        invariant.label = merged(invariant.label)
        self.add_fixed_orientation(invariant.label)
        self.plane_patch, self.ties = patch, ties
        self.triangle = VGroup(edges, vertices)
        self.invariant = invariant

        # One set of heads per class, at the origin.
        self.heads = VGroup(
            *(
                self.class_markers(k, np.zeros((int(mask.sum()), 3)))
                for k, mask in enumerate(self.class_masks)
            )
        )
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
        self.move_camera(
            **OVERVIEW,
            run_time=self.seconds(1.2),
            added_anims=[FadeOut(self.input_group), FadeOut(self.caption), FadeIn(caption)],
        )
        for dots in self.input_dots:
            dots.clear_updaters()
        self.caption = caption
        self.play_for(1.0, Create(axes), FadeIn(axes.labels), FadeIn(axes.numbers))
        self.begin_ambient_camera_rotation(rate=ROTATION_RATE)
        self.play_for(
            1.8,
            FadeIn(patch),
            Create(ties),
            FadeIn(self.triangle),
            FadeIn(invariant),
            FadeIn(invariant.label),
        )
        self.add(self.heads)
        self.at_mark("third")
        self.play_for(1.0, FadeIn(start))
        self.frame_highlight(start)
        self.start_note = start
        self.pause(0.2)

    def explain_zero_start(self) -> None:
        with self.beat(
            "why-last-layer",
            "Only the last layer may start at zero: a zero layer earlier on would pass "
            "zeros forward and stall the weights' gradients, while a zero last layer "
            "still learns at once.",
        ):
            size = self.theme.small_size
            lines = VGroup(
                Tex(r"last layer $W_3 = 0,\ b_3 = 0$: every logit is $0$", font_size=size),
                Tex(r"an earlier zero layer: zeros flow forward,", font_size=size),
                Tex(r"and the weights' gradients stall", font_size=size),
            )
            lines.arrange(DOWN, aligned_edge=LEFT, buff=0.15)
            self.fit(lines, width=self.usable_width * (0.92 if self.is_narrow else 0.4))
            note = VGroup(merged(lines[0]), merged(lines[1:]))
            # A backing, so the note reads over the plane behind it.
            backing = self.backing(note)
            note = VGroup(backing, *note)
            if self.is_narrow:  # in the start note's place, under the caption
                self.below(note, self.caption)
                self.play_for(1.2, FadeOut(self.start_note), FadeIn(backing), FadeIn(note[1]))
            else:
                self.corner(note, DOWN + RIGHT)
                self.play_for(1.2, FadeIn(backing), FadeIn(note[1]))
            self.frame_highlight(note[1])
            self.play_for(1.2, FadeIn(note[2]))
            self.pause(1.0)
            self.play_for(0.8, FadeOut(note), FadeOut(self.start_note))

    def train(self, run: OptimizerRun, index: int) -> None:
        with self.beat(f"{run.name}-training", self.training_sentence(run, index)):
            self.grow_paths(run, index)

    def grow_paths(self, run: OptimizerRun, index: int) -> None:
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
            current = run.logits_at(t) * self.unit
            for dots, mask in zip(self.heads, self.class_masks, strict=True):
                dots.set_centers(current[mask])

        size = self.theme.label_size
        header = merged(
            Tex(rf"{name}, learning rate ${run.result.learning_rate:g}$", font_size=size)
        )
        step = Readout(
            r"\text{step} =", lambda: run.step_at(position.get_value()), decimals=0, font_size=size
        )
        loss = Readout(
            r"\text{loss} =", lambda: run.loss_at(position.get_value()), decimals=3, font_size=size
        )
        accuracy = Readout(
            r"\text{accuracy}\ (\%) =",
            lambda: 100 * run.accuracy_at(position.get_value()),
            decimals=0,
            font_size=size,
        )
        drift = Readout(
            r"\text{mean logit}\ |\bar z| \le",
            lambda: run.drift_at(position.get_value()) * (1 - self.flat_share.get_value()),
            decimals=2,
            font_size=size,
            color=self.theme.color("accent"),
        )
        self.drift_readout = drift
        panel = VGroup(header, step, loss, accuracy, drift).arrange(
            DOWN, aligned_edge=LEFT, buff=0.15
        )
        if self.is_narrow:
            # Three lines: the header, then two columns (step, loss | accuracy, drift),
            # with room on the right for the numbers to grow (step gains two digits).
            left = VGroup(step, loss).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
            right = VGroup(accuracy, drift).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
            columns = VGroup(left, right).arrange(RIGHT, buff=0.7, aligned_edge=UP)
            panel = VGroup(header, columns).arrange(DOWN, buff=0.15, aligned_edge=LEFT)
            # A backing: the picture's lowest tip may reach under the panel.
            panel = VGroup(self.backing(panel), *panel)
            if self.is_portrait:  # under the caption, over the picture's top
                self.fit(panel, width=self.usable_width - 0.4)
                self.below(panel, self.caption)
            else:  # square: top right, beside the caption, over the picture's corner
                self.fit(panel, width=self.usable_width * 0.5)
                self.corner(panel, UR)
        else:
            self.corner(panel, UR)

        if index > 0:
            self.flat_share.set_value(0.0)
            self.stop_ambient_camera_rotation()
            self.move_camera(
                **OVERVIEW,
                gamma=0.0,
                zoom=self.zoom,
                focal_distance=OVERVIEW_FOCAL_DISTANCE,
                added_anims=[
                    FadeOut(self.paths),
                    FadeOut(self.panel),
                    FadeOut(self.regions),
                    FadeOut(self.region_labels),
                    FadeIn(self.invariant),
                    FadeIn(self.invariant.label),
                    self.logit_axes.negative.animate.set_stroke(opacity=1.0),
                    self.logit_axes.positive.animate.set_stroke(opacity=1.0),
                    *(
                        dots.animate.set_centers(np.zeros_like(dots.get_centers()))
                        for dots in self.heads
                    ),
                ],
                run_time=self.seconds(1.5),
            )
            self.begin_ambient_camera_rotation(rate=ROTATION_RATE)
        self.play_for(1.0, FadeIn(panel))
        bundles.add_updater(refresh)
        self.add(bundles)
        # The heads are drawn over the paths.
        self.bring_to_front(self.heads)
        self.play_for(6.0, position.animate.set_value(len(points) - 1), rate_func=linear)
        bundles.clear_updaters()
        self.frame_highlight(drift)
        self.paths = bundles
        self.panel = panel

    def side_view(self, run: OptimizerRun) -> None:
        with self.beat(f"{run.name}-side-view", self.side_sentence(run)):
            self.look_edge_on(run)

    def look_edge_on(self, run: OptimizerRun) -> None:
        """Turn edge-on to the sum-zero plane, (1, 1, 1) up: the drift is the height."""
        self.stop_ambient_camera_rotation()
        angles = side_view_angles(self.renderer.camera.get_phi(), self.renderer.camera.get_theta())
        # As close as the paths' width allows: the drift is small beside the plane.
        across = camera_rotation(**angles)[0]  # scene direction of screen-right
        reach = float(np.abs(run.trajectories.reshape(-1, 3) @ across).max()) * self.unit
        reach = max(reach, self.data.logit_extent * PLANE_SHARE * self.unit)
        zoom = min(1.6 * self.zoom, 0.92 * self.usable_width / (2 * reach))
        if self.is_narrow:
            # The (1, 1, 1) name stands over the arrow at the plane's end: it stays
            # inside the margin (a name facing the camera does not shrink with the zoom).
            name_width = MathTex("(1,1,1)", font_size=self.theme.small_size * self.scene_text).width
            room = self.frame_width / 2 - self.margin_x - name_width / 2 - 0.1
            zoom = min(zoom, room / (0.92 * reach))
        zoom = max(zoom, self.zoom)
        # The long (1, 1, 1) arrow would reach past the title at this zoom: a short one
        # stands at the plane's end instead, where it does not cross the paths.
        foot = across * reach * 0.92
        ones = np.ones(3) / math.sqrt(3.0)
        arrow = InvariantArrow(
            self.theme,
            foot,
            foot + ones * 0.8 / zoom,
            label="(1,1,1)",
            label_size=self.theme.small_size * self.scene_text,
        )
        arrow.label = merged(arrow.label)
        # Labels facing the camera keep their size while the zoom scales the scene:
        # offsets by a label's size are divided by the zoom too.
        if self.is_narrow:  # over the arrow's tip: no room beside it
            arrow.label.move_to(foot + ones * (0.9 + arrow.label.height / 2) / zoom)
        else:  # beside the arrow's tip, on the side away from the paths
            arrow.label.move_to(
                foot + ones * 0.7 / zoom + across * (0.25 + arrow.label.width / 2) / zoom
            )
        self.add_fixed_orientation(arrow.label)
        size = self.theme.small_size
        note = VGroup(
            Tex(r"mean logit $\bar z = \tfrac13(z_1 + z_2 + z_3)$", font_size=size),
            Tex(r"height above the plane: $\sqrt3\,\bar z$", font_size=size),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        self.fit(note, width=self.usable_width * (0.92 if self.is_narrow else 0.4))
        note = merged(note)
        note = VGroup(self.backing(note), note)
        if self.is_portrait:  # the panel is under the caption: over the legend
            self.above_legend(note)
        elif self.is_narrow:  # square: the panel is top right; bottom right is free
            self.fit(note, width=self.usable_width * 0.55)
            self.corner(note, DOWN + RIGHT)
        else:
            self.corner(note, DOWN + RIGHT)
        # Narrow frames: in two lines at the note's size, so it fits between the
        # paths rising on the left and the arrow.
        plane_name = merged(
            Tex(
                r"sum-zero\\ plane" if self.is_narrow else r"sum-zero plane",
                font_size=size if self.is_narrow else size * self.scene_text,
                color=self.theme.color("accent"),
            )
        )
        # Over the plane's line, just before the arrow (no paths rise there).
        plane_name.move_to(
            foot
            + ones * (0.1 + plane_name.height / 2) / zoom
            - across * (0.15 + plane_name.width / 2) / zoom
        )
        self.move_camera(
            **angles,
            zoom=zoom,
            focal_distance=FLAT_FOCAL_DISTANCE,
            added_anims=[
                self.logit_axes.negative.animate.set_stroke(opacity=0.0),
                self.logit_axes.positive.animate.set_stroke(opacity=0.0),
                FadeOut(self.logit_axes.tips),
                FadeOut(self.logit_axes.labels),
                FadeOut(self.invariant),
                FadeOut(self.invariant.label),
                FadeOut(self.triangle),
            ],
            run_time=self.seconds(2.5),
        )
        # The plane's name, placed for this view (it never turns: the camera stays).
        self.add_fixed_orientation(plane_name)
        self.play_for(1.0, FadeIn(note), FadeIn(plane_name), FadeIn(arrow), FadeIn(arrow.label))
        self.frame_highlight(self.drift_readout)
        self.pause(0.5)
        self.side_note = VGroup(note, plane_name, arrow, arrow.label)

    def plane_view(self, run: OptimizerRun) -> None:
        with self.beat(f"{run.name}-plane-view", self.plane_sentence(run)):
            self.look_down_the_axis(run)

    def look_down_the_axis(self, run: OptimizerRun) -> None:
        self.stop_ambient_camera_rotation()
        if run.drifts:
            self.flatten(run)
            # Back to the overview's zoom while still edge-on: turning at the side
            # view's zoom, the plane would swing into the caption band.
            self.move_camera(
                zoom=self.zoom,
                added_anims=[FadeOut(self.side_note)],
                run_time=self.seconds(0.6),
            )
        regions, labels = self.class_regions()
        axes = self.logit_axes
        # Axis tips and names gone in the side view come back once the camera is down
        # the axis: on the way, turning from edge-on, they swing into the caption band.
        hidden = [m for m in (axes.tips, axes.labels) if m not in self.mobjects]
        # Looking down (1, 1, 1) the negative axes lie on the tie rays: they go; the
        # (1, 1, 1) arrow points at the camera: it goes too.
        self.move_camera(
            **flat_view_angles(),
            zoom=self.zoom,
            focal_distance=FLAT_FOCAL_DISTANCE,
            added_anims=[
                *(FadeOut(m) for m in (self.invariant, self.invariant.label) if m in self.mobjects),
                *(FadeIn(m) for m in (self.triangle,) if m not in self.mobjects),
                axes.negative.animate.set_stroke(opacity=0.0),
                axes.positive.animate.set_stroke(opacity=0.5),
            ],
            run_time=self.seconds(2.0),
        )
        # The regions under the paths, the tie rays and the names over them.
        self.add(regions)
        self.bring_to_back(regions)
        self.bring_to_front(self.ties, self.heads)
        self.play_for(1.0, FadeIn(regions), FadeIn(labels), *(FadeIn(m) for m in hidden))
        self.pulse(self.ties)
        self.regions, self.region_labels = regions, labels
        if run is self.data.runs[-1] and len(self.data.runs) > 1:
            self.summary_note = self.summary()
            self.play_for(1.0, FadeIn(self.summary_note))
        self.pause(0.5)

    def takeaway(self) -> None:
        with self.beat(
            "takeaway",
            "Training carries every logit vector from the centre into its own class's "
            "region; a drift along (1,1,1) changes nothing.",
        ):
            # Lines broken by phrase, each within the card's width for the frame shape
            # (the kit wraps longer ones wherever they fill up).
            if self.is_portrait:
                lines = [
                    "Training carries",
                    "each logit vector",
                    "from the centre,",
                    r"$p = (\tfrac13, \tfrac13, \tfrac13)$,",
                    "into its class's region;",
                    r"a drift along $(1,1,1)$",
                    "changes nothing.",
                ]
            else:
                lines = [
                    "Training carries each logit vector",
                    r"from the centre, $p = (\tfrac13, \tfrac13, \tfrac13)$,",
                    "into its class's region;",
                    *(
                        [r"a drift along $(1,1,1)$", "changes nothing."]
                        if self.is_narrow
                        else [r"a drift along $(1,1,1)$ changes nothing."]
                    ),
                ]
            self.close_with(
                r"\\ ".join(lines),
                keep=[self.paths, self.heads, self.regions, self.region_labels, self.ties],
                clear_of=[self.paths, self.heads, self.regions, self.region_labels],
            )

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
                    )
                    for run in self.data.runs
                )
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        )
        if self.is_portrait:  # the panel is under the caption: over the legend
            self.fit(lines, width=self.usable_width * 0.9)
            lines = VGroup(self.backing(lines), lines)
            self.above_legend(lines)
            return lines
        if self.is_narrow:  # square: bottom right, clear of the panel
            self.fit(lines, width=self.usable_width * 0.55)
            lines = VGroup(self.backing(lines), lines)
            return self.corner(lines, DOWN + RIGHT)
        else:
            self.fit(lines, width=self.panel.width)
            lines.next_to(self.panel, DOWN, buff=0.35, aligned_edge=LEFT)
        self.add_fixed_in_frame_mobjects(lines)
        self.remove(lines)
        return lines

    # -- helpers --------------------------------------------------------------- #

    def class_regions(self) -> tuple[VGroup, VGroup]:
        """The three class regions of the sum-zero hexagon, faintly filled in class
        colours, and each class's name inside its own (kept facing the camera)."""
        radius = self.data.logit_extent * PLANE_SHARE
        regions, labels = VGroup(), VGroup()
        for k, vertex in enumerate(class_vertices(3)):
            angle = math.atan2(vertex[1], vertex[0])
            # The region is the wedge between the two tie rays next to the vertex, which
            # end on the hexagon's corners at the vertex angle +-60 degrees.
            rim = [
                radius * np.array([math.cos(angle + d), math.sin(angle + d)])
                for d in (-math.pi / 3, 0.0, math.pi / 3)
            ]
            corners = from_plane(np.array([[0.0, 0.0], *rim])) * self.unit
            region = Polygon(*corners, stroke_width=0)
            region.set_fill(self.class_color(k), opacity=0.16)
            regions.add(region)
            name = Tex(
                self.class_tex(k),
                font_size=self.theme.label_size * self.scene_text,
                color=self.class_color(k),
            )
            name.set_stroke(self.theme.color("background"), width=5, background=True)
            # Turned off the vertex direction, where the class's paths run.
            turned = angle + REGION_LABEL_TURN
            direction = np.array([math.cos(turned), math.sin(turned)])
            name.move_to(from_plane(direction * radius * 0.7) * self.unit)
            labels.add(name)
        self.add_fixed_orientation(*labels)
        return regions, labels

    def frame_highlight(self, *mobjects: Mobject) -> None:
        """The passing highlight box around notes fixed in the frame (the kit's
        :meth:`highlight` draws its box in the 3D scene, where it would turn), kept
        inside the title-safe area."""
        target = VGroup(*mobjects) if len(mobjects) > 1 else mobjects[0]
        half_w = self.frame_width / 2 - self.margin_x
        half_h = self.frame_height / 2 - self.margin_y
        left, bottom = np.maximum(target.get_corner(DL)[:2] - 0.1, [-half_w, -half_h])
        right, top = np.minimum(target.get_corner(UR)[:2] + 0.1, [half_w, half_h])
        box = Rectangle(
            width=right - left,
            height=top - bottom,
            color=self.theme.color("highlight"),
            stroke_width=4,
        ).move_to([(left + right) / 2, (bottom + top) / 2, 0.0])
        self.add_fixed_in_frame_mobjects(box)
        self.remove(box)
        self.play_for(0.5, Create(box))
        self.play_for(0.5, FadeOut(box))

    def pulse(self, *mobjects: Mobject) -> None:
        """Draw the eye to things in the 3D scene: they flash in the highlight colour."""
        color = self.theme.color("highlight")
        self.play_for(
            1.0,
            *(
                Indicate(m, color=color, scale_factor=1.0, rate_func=there_and_back)
                for m in mobjects
            ),
        )

    def backing(self, mobject: Mobject) -> Mobject:
        """A background-coloured panel behind a note, so it reads over the picture."""
        return BackgroundRectangle(
            mobject, color=self.theme.color("background"), fill_opacity=0.85, buff=0.12
        )

    def flatten(self, run: OptimizerRun) -> None:
        """Slide every path onto the sum-zero plane (remove each point's mean logit)."""
        original = [bundle.trajectories.copy() for bundle in self.paths]
        heads = [dots.get_centers() for dots in self.heads]
        ones = np.ones(3) / 3.0

        def project(points: np.ndarray, share: float) -> np.ndarray:
            return points - share * (points @ np.ones(3))[..., None] * ones

        def refresh(_mob: Mobject) -> None:
            share = self.flat_share.get_value()
            for bundle, traj in zip(self.paths, original, strict=True):
                bundle.trajectories = project(traj, share)
                bundle.set_progress(len(traj) - 1)
            for dots, start in zip(self.heads, heads, strict=True):
                dots.set_centers(project(start, share))

        self.paths.add_updater(refresh)
        self.play_for(1.8, self.flat_share.animate.set_value(1.0))
        self.paths.clear_updaters()

    def add_fixed_orientation(self, *mobjects: Mobject) -> None:
        """Keep ``mobjects`` facing the camera, not yet shown.

        They stay where they are, so each one's centre is measured once: by default
        manim measures it again for every member, every frame.
        """
        self.add_fixed_orientation_mobjects(*mobjects, use_static_center_func=True)
        self.remove(*mobjects)

    def class_legend(self) -> VGroup:
        """Class names with their marker shapes, fixed in the frame at the bottom left
        (portrait: a row at the bottom)."""
        entries = VGroup()
        for k in range(3):
            marker = class_marker(k, 0.09, self.class_color(k))
            name = Tex(
                self.class_tex(k),
                font_size=self.theme.small_size,
                color=self.class_color(k),
            )
            entries.add(VGroup(marker, name).arrange(RIGHT, buff=0.12))
        if self.is_portrait:  # a row at the bottom, under the readout panel
            entries.arrange(RIGHT, buff=0.4)
            return self.corner(merged(entries), DOWN)
        entries.arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        return self.corner(merged(entries), DOWN + LEFT)

    def above_legend(self, mobject: Mobject) -> Mobject:
        """Fix ``mobject`` in the frame just over the legend's row, from the left margin."""
        mobject.next_to(self.legend, UP, buff=0.2)
        mobject.set_x(-self.frame_width / 2 + self.margin_x + mobject.width / 2)
        self.add_fixed_in_frame_mobjects(mobject)
        self.remove(mobject)
        return mobject

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
