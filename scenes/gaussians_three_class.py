"""Chapter: three Gaussian classes, normalised point by point, are the softmax surfaces.

Beats
-----
1. ``three-bumps``: three round 2D Gaussian densities of one shared ``sigma``,
   centred on the class vertices of the 3-class plane pushed out to distance
   ``params.spread``, rise over the input plane.
2. ``normalise``: each bump divided by the sum of the three, point by point,
   becomes a probability surface; the three add up to 1 everywhere.
3. ``softmax-match``: a wireframe of ``softmax(W x + b)`` with the linear logits
   of :func:`softmax_math.gaussian_logits` lies exactly on those surfaces; the
   largest difference over the grid is shown (rounding level).
4. ``sigma``: narrower bumps give sharper surfaces (``W = mu / sigma^2`` grows);
   the match holds for every ``sigma``.
5. ``training-idea``: loosely, training shapes what the last layer sees so that
   each class gathers in its own region, like these clusters.

Every number comes from :mod:`softmax_math` (:func:`gaussian_density`,
:func:`gaussian_logits`, :func:`softmax`); the data function is
:func:`three_class_data`.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    ManimColor,
    MathTex,
    Mobject,
    ReplacementTransform,
    Tex,
    ValueTracker,
    VGroup,
)

from softmax_math import (
    class_vertices,
    gaussian_density,
    gaussian_logits,
    normalised_densities,
    softmax,
)
from softmax_video.core.params import GaussiansThreeClassParams
from softmax_video.engine.mesh import MeshSurface
from softmax_video.kit.lecture_scene import LectureThreeDScene
from softmax_video.kit.plane_geometry import (
    ClassTriangle,
    LiveReadout,
    LogitAxes,
    RegionLabels,
    TieBoundaries,
    merged,
    on_floor,
    polar_grid,
)

__all__ = ["GaussiansThreeClass", "ThreeClassGaussianData", "class_means", "three_class_data"]

# -- layout (scene units, before the camera zoom) --------------------------- #
#: Scene length of the floor square's side.
FLOOR_SIDE = 6.0
#: Scene height of probability 1.
P_HEIGHT = 3.0
#: Scene height of the tallest density bump.
DENSITY_HEIGHT = 2.2
#: While the density bumps show, faces fade out towards the floor: invisible below
#: the first height (in units of P_HEIGHT), fully drawn above the second; three
#: nearly flat translucent sheets would otherwise veil the floor and flicker.
FADE_BETWEEN = (0.01, 0.12)
#: Camera of the overview.
VIEW = {"phi": 62 * DEGREES, "theta": -100 * DEGREES}
#: The surfaces cover a regular hexagon (as in ThreeClassSurfaces): the three classes'
#: regions are identical.
SHAPE = "hexagon"
#: Share of the frame height the formula panel may take in portrait frames.
PORTRAIT_PANEL_SHARE = 0.36
#: Portrait: the picture's zoom, raised above the panel (camera frame centre, along OUT).
PORTRAIT_CENTER = -3.0
PORTRAIT_ZOOM = 0.4
#: Square: zoom, raised picture, and the share of the frame's height for the panel.
SQUARE_ZOOM = 0.66
SQUARE_CENTER = -0.3
SQUARE_PANEL_SHARE = 0.3
#: The wireframe has this share of the surfaces' faces per side.
WIREFRAME_SHARE = 0.4
#: Widths at which the sweep's largest difference is measured (evenly over the
#: swept range, so the readout does not depend on the frame rate).
SWEEP_SAMPLES = 64


# --------------------------------------------------------------------------- #
# Data
# --------------------------------------------------------------------------- #


def class_means(spread: float) -> np.ndarray:
    """Class means: the 3-class vertices pushed out to distance ``spread``, shape ``(3, 2)``.

    Examples
    --------
    >>> import numpy as np
    >>> np.round(np.linalg.norm(class_means(2.0), axis=1), 12).tolist()
    [2.0, 2.0, 2.0]
    """
    vertices = class_vertices(3)
    return spread * vertices / np.linalg.norm(vertices, axis=1, keepdims=True)


@dataclass(frozen=True)
class ThreeClassGaussianData:
    """The surfaces of one state (one ``sigma``) over a grid of the input plane.

    Attributes
    ----------
    x, y
        Grid of input points, shape ``(nu, nv)``.
    density
        ``N(x; mu_k, sigma^2 I)``, shape ``(3, nu, nv)``.
    normalised
        The densities divided by their sum at each point (the class posteriors).
    weights, biases
        The linear logits ``z = W x + b`` of :func:`softmax_math.gaussian_logits`.
    softmax_surfaces
        ``softmax(W x + b)``, shape ``(3, nu, nv)``.
    """

    x: np.ndarray
    y: np.ndarray
    density: np.ndarray
    normalised: np.ndarray
    weights: np.ndarray
    biases: np.ndarray
    softmax_surfaces: np.ndarray

    @property
    def max_difference(self) -> float:
        """Largest ``|normalised - softmax(W x + b)|`` over the grid and the classes."""
        return float(np.abs(self.normalised - self.softmax_surfaces).max())


def three_class_data(
    means: np.ndarray, sigma: float, x: np.ndarray, y: np.ndarray
) -> ThreeClassGaussianData:
    """Densities, their point-by-point normalisation and the softmax of linear logits.

    Examples
    --------
    >>> import numpy as np
    >>> x, y = np.meshgrid(np.linspace(-3, 3, 5), np.linspace(-3, 3, 5), indexing="ij")
    >>> data = three_class_data(class_means(2.0), 1.0, x, y)
    >>> data.max_difference < 1e-12
    True
    """
    points = np.stack([x, y], axis=-1)
    density = np.stack([gaussian_density(points, mean, sigma) for mean in means])
    # In log space: far from every mean all densities are 0 in float64, their ratio is not.
    normalised = np.moveaxis(normalised_densities(points, means, sigma), -1, 0)
    weights, biases = gaussian_logits(means, sigma)
    logits = points @ weights.T + biases
    surfaces = np.moveaxis(softmax(logits, axis=-1), -1, 0)
    return ThreeClassGaussianData(x, y, density, normalised, weights, biases, surfaces)


def surface_colors(color: ManimColor, heights: np.ndarray, solid: float) -> np.ndarray:
    """Per-face RGBA of a surface, faded near the floor unless ``solid`` is 1.

    Parameters
    ----------
    color
        The class colour.
    heights
        Vertex heights ``(nu, nv)`` in units of ``P_HEIGHT``.
    solid
        0: faces near the floor fade out (see :data:`FADE_BETWEEN`); 1: every face
        is drawn; values between blend the two.
    """
    h = np.asarray(heights, dtype=float)
    face = 0.25 * (h[:-1, :-1] + h[1:, :-1] + h[1:, 1:] + h[:-1, 1:])
    low, high = FADE_BETWEEN
    t = np.clip((face - low) / (high - low), 0.0, 1.0)
    alpha = solid + (1.0 - solid) * t * t * (3.0 - 2.0 * t)
    rgb = np.broadcast_to(np.asarray(color.to_rgb(), dtype=float), (*face.shape, 3))
    return np.concatenate([rgb, alpha[..., None]], axis=-1)


def difference_tex(value: float) -> str:
    """A small non-negative number as LaTeX: ``0`` or ``2.2 \\times 10^{-16}``.

    Examples
    --------
    >>> difference_tex(0.0), difference_tex(2.220446049250313e-16)
    ('0', '2.2 \\\\times 10^{-16}')
    """
    if value == 0:
        return "0"
    mantissa, exponent = f"{value:.1e}".split("e")
    return rf"{mantissa} \times 10^{{{int(exponent)}}}"


# --------------------------------------------------------------------------- #
# Scene
# --------------------------------------------------------------------------- #


class GaussiansThreeClass(LectureThreeDScene):
    """Three Gaussian bumps, normalised, are exactly the softmax surfaces of linear logits."""

    params: GaussiansThreeClassParams

    def construct(self) -> None:
        p = self.params
        theme = self.theme
        self.means = class_means(p.spread)
        self.x, self.y = polar_grid(p.extent, p.resolution, 2 * p.resolution, SHAPE)
        wire = max(2, round(p.resolution * WIREFRAME_SHARE))
        self.wx, self.wy = polar_grid(p.extent, wire, 2 * wire, SHAPE)
        self.sigma = ValueTracker(p.sigma)
        # Density heights: the bumps (shown at params.sigma only) peak at DENSITY_HEIGHT.
        self.density_scale = DENSITY_HEIGHT / float(
            gaussian_density(np.zeros(2), np.zeros(2), p.sigma)
        )

        self.zoom = min(0.76, self.frame_width / 10.0)
        if self.is_narrow:  # the picture above the panel
            self.zoom = PORTRAIT_ZOOM if self.is_portrait else SQUARE_ZOOM
        self.set_camera_orientation(**self.view(**VIEW))
        unit = FLOOR_SIDE / (2 * p.extent)
        self.axes = LogitAxes(
            theme,
            p.extent,
            unit,
            value_range=(0, 1, 0.5),
            value_length=P_HEIGHT,
            names=("x_1", "x_2", r"P(k\mid x)"),
            value_ticks=(0.5, 1),
            label_size=theme.body_size,
        )
        self.build_overlays()

        with self.beat(
            "three-bumps",
            "Give each of three classes a round Gaussian bump of the same width, centred "
            "on its corner of the class triangle: these are the class densities.",
        ):
            self.show_bumps()
        with self.beat(
            "normalise",
            "Divide each bump by the sum of all three, point by point, and the bumps turn "
            "into three probability surfaces that add up to one everywhere.",
        ):
            self.normalise()
        with self.beat(
            "softmax-match",
            "These are exactly the softmax surfaces of logits that are linear in x, the "
            "shape we met with three classes: the wireframe of the softmax lies on them, "
            "down to rounding error.",
        ):
            self.match_softmax()
        with self.beat(
            "sigma",
            "Narrower bumps make sharper surfaces, since the weights grow like one over "
            "sigma squared, and the match holds for every width.",
        ):
            self.sweep_sigma()
        with self.beat(
            "training-idea",
            "Loosely, training shapes what the last layer sees so that each class gathers "
            "in its own region, much like these clusters, though the gradient does not aim "
            "at any single point.",
        ):
            self.close()

    # -- state ----------------------------------------------------------------- #

    def data(self, fine: bool = True, sigma: float | None = None) -> ThreeClassGaussianData:
        """The surfaces at ``sigma`` (default: the current width)."""
        x, y = (self.x, self.y) if fine else (self.wx, self.wy)
        sigma = self.sigma.get_value() if sigma is None else sigma
        return three_class_data(self.means, sigma, x, y)

    def surface_points(self, heights: np.ndarray, fine: bool = True) -> np.ndarray:
        x, y = (self.x, self.y) if fine else (self.wx, self.wy)
        return self.axes.to_scene(x, y, heights)

    # -- layout ---------------------------------------------------------------- #

    def view(self, phi: float, theta: float) -> dict[str, object]:
        """Camera settings for ``(phi, theta)``.

        The picture stays centred: a sideways ``frame_center`` would also shift every
        fixed-in-frame overlay (manim's Cairo camera subtracts it from those too), so
        the zoom leaves room for the formula panel at the side instead.
        """
        if self.is_portrait:
            center = PORTRAIT_CENTER * OUT
        elif self.is_narrow:
            center = SQUARE_CENTER * OUT
        else:
            center = 1.4 * OUT
        return {"phi": phi, "theta": theta, "zoom": self.zoom, "frame_center": center}

    def build_overlays(self) -> None:
        """The formula panel: its lines, the difference readout and the sigma readout.

        Every line is laid out (and scaled to fit) together, so later replacements of the
        readout land in the same slot at the same size.
        """
        theme = self.theme
        size = theme.label_size
        self.title_mob = self.fixed(self.title("Gaussian classes give a softmax"))
        self.density_tex = MathTex(
            r"p(x\mid k) = \mathcal{N}(x;\,\mu_k,\,\sigma^2 I)", font_size=size
        )
        self.ratio_tex = MathTex(
            r"P(k\mid x) = \frac{\mathcal{N}(x;\,\mu_k,\,\sigma^2 I)}"
            r"{\sum_j \mathcal{N}(x;\,\mu_j,\,\sigma^2 I)}",
            font_size=size,
        )
        self.softmax_tex = MathTex(
            r"= \operatorname{softmax}(W x + b)_k", font_size=size, color=theme.color("accent")
        )
        self.logit_tex = MathTex(
            r"W_k = \frac{\mu_k}{\sigma^2},\quad b_k = -\frac{|\mu_k|^2}{2\sigma^2}",
            font_size=size,
        )
        self.readout_slot = self.readout_tex(self.data().max_difference)
        self.sigma_readout = LiveReadout(r"\sigma =", self.sigma.get_value, 2, size)
        column = VGroup(
            self.ratio_tex, self.softmax_tex, self.logit_tex, self.readout_slot, self.sigma_readout
        )
        column.arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        if self.is_narrow and not self.is_portrait:
            # Square: two columns under the picture.
            left = VGroup(self.ratio_tex, self.softmax_tex).arrange(
                DOWN, aligned_edge=LEFT, buff=0.3
            )
            right = VGroup(self.logit_tex, self.readout_slot, self.sigma_readout).arrange(
                DOWN, aligned_edge=LEFT, buff=0.3
            )
            VGroup(left, right).arrange(RIGHT, buff=0.7, aligned_edge=UP)
        if self.is_portrait:
            height = self.frame_height * PORTRAIT_PANEL_SHARE
        elif self.is_narrow:
            height = self.frame_height * SQUARE_PANEL_SHARE
        else:
            height = self.usable_height - self.title_mob.height - 0.4
        before = column.width
        self.fit(column, width=self.panel_width(), height=height)
        self.panel_scale = column.width / before
        self.place_panel(column)
        self.density_tex.scale(self.panel_scale).move_to(self.ratio_tex, aligned_edge=LEFT)
        self.density_tex = self.fixed(self.density_tex)
        self.ratio_tex = self.fixed(self.ratio_tex)
        self.softmax_tex = self.fixed(self.softmax_tex)
        self.logit_tex = self.fixed(self.logit_tex)
        self.add_fixed_in_frame_mobjects(self.sigma_readout)
        self.remove(self.sigma_readout)

    def panel_width(self) -> float:
        return self.usable_width * (0.9 if self.is_portrait else 1.0 if self.is_narrow else 0.27)

    def place_panel(self, mob: Mobject) -> Mobject:
        """Top left under the title (landscape) or at the bottom (portrait)."""
        if self.is_narrow:
            self.pin_to(mob, DOWN)
        else:
            self.pin_to(mob, UP + LEFT).shift(DOWN * (self.title_mob.height + 0.3))
        return mob

    def fixed(self, mob: Mobject) -> Mobject:
        """``mob`` merged for speed and fixed in the frame, not yet shown."""
        flat = merged(mob)
        flat.move_to(mob)
        self.add_fixed_in_frame_mobjects(flat)
        self.remove(flat)
        return flat

    def readout_tex(self, value: float) -> VGroup:
        """The largest difference between the two sets of surfaces, in two lines."""
        return VGroup(
            Tex(r"largest gap between them on the grid:", font_size=self.theme.small_size),
            MathTex(difference_tex(value), font_size=self.theme.label_size),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)

    def readout(self, value: float) -> Mobject:
        """A readout of ``value`` in the panel's readout slot, fixed in the frame."""
        tex = self.readout_tex(value).scale(self.panel_scale)
        tex.move_to(self.readout_slot, aligned_edge=LEFT)
        flat = merged(tex)
        self.add_fixed_in_frame_mobjects(flat)
        return flat

    # -- beats ----------------------------------------------------------------- #

    def show_bumps(self) -> None:
        theme = self.theme
        data = self.data()
        floor = self.axes.map
        self.surfaces = [
            MeshSurface(
                self.surface_points(data.density[k] * self.density_scale / P_HEIGHT),
                fill_opacity=theme.surface_opacity,
                face_colors=surface_colors(
                    self.class_color(k), data.density[k] * self.density_scale / P_HEIGHT, 0.0
                ),
            )
            for k in range(3)
        ]
        spread = self.params.spread
        triangle = ClassTriangle(
            theme,
            floor,
            scale=spread / float(np.linalg.norm(class_vertices(3)[0])),
        )
        on_floor(triangle)
        self.triangle = triangle
        # Mean labels in the text colour (a class colour would vanish on its own bump),
        # outside the triangle.
        center = floor.floor(0.0, 0.0)
        triangle.vertex_labels = VGroup()
        for k, corner in enumerate(triangle.corners):
            label = MathTex(rf"\mu_{k + 1}", font_size=theme.label_size)
            label.move_to(corner + 0.45 * (corner - center) / np.linalg.norm(corner - center))
            triangle.vertex_labels.add(label)
        density_name = MathTex(r"\mathcal{N}", font_size=theme.body_size)
        density_name.move_to(self.axes.names[2])
        self.density_name = density_name
        floor_labels = [*self.axes.names[:2], density_name, *triangle.vertex_labels]
        self.add_fixed_orientation_mobjects(*floor_labels)
        self.remove(*floor_labels)
        self.play_for(
            1.5,
            FadeIn(self.title_mob),
            Create(self.axes.floor_axes),
            FadeIn(self.axes.value_axis),
            FadeIn(VGroup(*self.axes.names[:2], density_name)),
        )
        self.play_for(1.2, Create(triangle), FadeIn(triangle.vertex_labels))
        for k in range(3):
            self.play_for(1.3, Create(self.surfaces[k]))
        self.play_for(1.0, FadeIn(self.density_tex))
        self.pause(1.5)

    def normalise(self) -> None:
        amount = ValueTracker(0.0)
        data = self.data()
        start = [data.density[k] * self.density_scale / P_HEIGHT for k in range(3)]
        end = [data.normalised[k] for k in range(3)]

        def refresh(_mob: Mobject) -> None:
            t = amount.get_value()
            for k, surface in enumerate(self.surfaces):
                heights = (1 - t) * start[k] + t * end[k]
                surface.set_points_grid(self.surface_points(heights))
                surface.set_face_colors(surface_colors(self.class_color(k), heights, t))

        # The updater sits on a mesh that is in the scene (so it runs every frame).
        driver = self.surfaces[0]
        driver.add_updater(refresh)
        ticks = self.axes.ticks
        prob_name = self.axes.names[2]
        self.add_fixed_orientation_mobjects(prob_name, *ticks)
        self.remove(prob_name, *ticks)
        self.play_for(1.5, FadeOut(self.density_tex), FadeIn(self.ratio_tex))
        self.play_for(
            3.5,
            amount.animate.set_value(1.0),
            ReplacementTransform(self.density_name, prob_name),
            FadeIn(ticks),
        )
        driver.clear_updaters()
        boundaries = on_floor(
            TieBoundaries(self.theme, self.axes.map, self.params.extent, shape=SHAPE)
        )
        names = [rf"\textbf{{{self.class_tex(k)}}}" for k in range(3)]
        regions = RegionLabels(
            self.theme,
            self.axes.map,
            names,
            radius=0.85 * self.params.extent,
            label_size=self.theme.label_size,
        )
        self.add_fixed_orientation_mobjects(*regions)
        self.remove(*regions)
        self.play_for(
            1.5, Create(boundaries), FadeIn(regions), FadeOut(self.triangle.vertex_labels)
        )
        self.pause(1.5)

    def match_softmax(self) -> None:
        wire_data = self.data(fine=False)
        self.wireframes = [
            MeshSurface(
                self.surface_points(wire_data.softmax_surfaces[k], fine=False),
                fill_opacity=0.0,
                stroke_color=self.theme.color("text"),
                stroke_width=1.0,
                stroke_opacity=0.75,
                shade=False,
            )
            for k in range(3)
        ]
        difference = self.data().max_difference
        self.readout_mob = self.readout(difference)
        self.remove(self.readout_mob)
        self.play_for(1.5, FadeIn(self.softmax_tex), FadeIn(self.logit_tex))
        self.play_for(3.0, *(Create(w) for w in self.wireframes))
        self.play_for(1.0, FadeIn(self.readout_mob))
        self.move_camera(
            **self.view(VIEW["phi"], VIEW["theta"] + 50 * DEGREES), run_time=self.seconds(4.0)
        )
        self.pause(1.0)

    def sweep_sigma(self) -> None:
        low, high = self.params.sigma_range
        now = self.sigma.get_value()
        swept = np.linspace(min(low, now), max(high, now), SWEEP_SAMPLES)
        largest = max(self.data(sigma=s).max_difference for s in swept)

        def refresh(_mob: Mobject) -> None:
            data = self.data()
            wire = self.data(fine=False)
            for k in range(3):
                heights = data.normalised[k]
                self.surfaces[k].set_points_grid(self.surface_points(heights))
                self.wireframes[k].set_points_grid(
                    self.surface_points(wire.softmax_surfaces[k], fine=False)
                )

        driver = self.surfaces[0]
        driver.add_updater(refresh)
        self.play_for(0.6, FadeIn(self.sigma_readout))
        self.play_for(2.5, self.sigma.animate.set_value(high))
        self.play_for(4.0, self.sigma.animate.set_value(low))
        driver.clear_updaters()
        # The largest difference anywhere in the swept range of widths.
        new = self.readout(largest)
        self.remove(new)
        self.play_for(0.6, FadeOut(self.readout_mob), FadeIn(new))
        self.readout_mob = new

    def close(self) -> None:
        size = self.theme.small_size
        note = VGroup(
            Tex(r"training: each class gathers in its own region,", font_size=size),
            Tex(r"and softmax of linear logits reads off $P(k\mid x)$", font_size=size),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        phi = 55 * DEGREES
        replaced: list[Mobject] = []
        if self.is_narrow:
            # The note takes the readouts' place in the panel; the camera turns without
            # tilting, so the picture keeps clear of the title and the panel.
            slot = VGroup(self.readout_mob, self.sigma_readout)
            replaced = [self.readout_mob, self.sigma_readout]
            right = self.frame_width / 2 - self.margin_x
            self.fit(note, width=right - slot.get_left()[0])
            note.move_to(slot, aligned_edge=UP + LEFT)
            phi = VIEW["phi"]
        else:
            self.fit(note, width=self.usable_width * 0.45)
            self.pin_to(note, DOWN + LEFT)
        flat = self.fixed(note)
        self.play_for(
            1.5,
            FadeIn(flat),
            FadeOut(VGroup(*self.wireframes)),
            *(FadeOut(m) for m in replaced),
        )
        self.move_camera(**self.view(phi, VIEW["theta"] + 20 * DEGREES), run_time=self.seconds(4.0))
        self.pause(1.5)
