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
   the match holds for every ``sigma``; the sweep ends back at ``params.sigma``.
5. ``regions``: seen from above, the class whose surface is highest wins: the
   borders are straight lines meeting at 120 degrees (the logits are linear).
6. ``takeaway``: the closing card over that map; loosely, training shapes what the
   last layer sees so that each class gathers in its own region.

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
    Arc,
    Create,
    FadeIn,
    FadeOut,
    Line,
    ManimColor,
    MathTex,
    Mobject,
    Polygon,
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
    LogitAxes,
    PlaneMap,
    RegionLabels,
    TieBoundaries,
    boundary_reach,
    merged,
    on_floor,
    polar_grid,
)
from softmax_video.kit.solids import lambert_rgba, light_direction
from softmax_video.kit.widgets import Readout, backed

__all__ = [
    "GaussiansThreeClass",
    "ThreeClassGaussianData",
    "boundary_angle_degrees",
    "class_means",
    "region_corners",
    "three_class_data",
    "warped_grid",
    "winner",
]

# -- layout (scene units, before the camera zoom) --------------------------- #
#: Scene length of the floor square's side.
FLOOR_SIDE = 6.0
#: Scene height of probability 1.
P_HEIGHT = 3.0
#: Scene height of the tallest density bump.
DENSITY_HEIGHT = 2.2
#: While the density bumps show, faces fade out towards the floor: invisible below
#: the first height (in units of P_HEIGHT), fully drawn above the second; three
#: nearly flat sheets would otherwise veil the floor and flicker. A wide band, so
#: neighbouring faces differ little (no stair-stepped rim at the bumps' feet).
FADE_BETWEEN = (0.0, 0.22)
#: Opacity of the surfaces (nearly opaque: three translucent sheets read as mud).
SURFACE_OPACITY = 0.92
#: Opacity of the class tiles of the top-down map.
MAP_OPACITY = 0.55
#: Rays of the surface grid crowd near the tie lines like ``u ** WARP_POWER``.
WARP_POWER = 1.4
#: Faces per 60-degree sector of the surface grid, per face along a ray.
SECTOR_SHARE = 10 / 24
#: Share of each ray, at its outer end, over which the bumps fade out.
EDGE_FADE = 0.35
#: The map's x2 name sticks out above the hexagon: its centre sits this much
#: (scene units) under the middle of the free space.
MAP_NAME_ROOM = 0.3
#: Class names float at this probability, just over each class's plateau.
LABEL_HEIGHT = 1.08
#: ... turned this much (radians) off the class directions, so class 1's name is
#: not behind the value axis' name.
LABEL_TURN = 0.3
#: Labels in the picture (axis names, ticks, means, class names) at this share of the
#: body size in 9:16 and 1:1 frames: the picture is smaller there, full-size names crowd
#: its top (the class names, the value axis' name and its ticks).
NARROW_LABEL_SHARE = 0.8
#: Camera of the overview.
VIEW = {"phi": 62 * DEGREES, "theta": -100 * DEGREES}
#: The surfaces cover a regular hexagon (as in ThreeClassSurfaces): the three classes'
#: regions are identical.
SHAPE = "hexagon"
#: Share of the frame height the formula panel may take in portrait frames.
PORTRAIT_PANEL_SHARE = 0.3
#: Portrait: the picture's zoom, raised above the panel (camera frame centre, along OUT).
PORTRAIT_CENTER = -2.3
PORTRAIT_ZOOM = 0.45
#: Zoom of the top-down map in portrait and square frames (the panel is gone then).
PORTRAIT_TOP_ZOOM = 0.4
SQUARE_TOP_ZOOM = 0.66
#: Square: zoom, raised picture, and the share of the frame's height for the panel.
SQUARE_ZOOM = 0.6
SQUARE_CENTER = -0.65
SQUARE_PANEL_SHARE = 0.34
#: 16:9: the picture's zoom (overview and top-down map), how far right of the frame's
#: centre it sits (frame units) and the share of the usable width the panel takes.
WIDE_ZOOM = 0.86
WIDE_TOP_ZOOM = 0.85
WIDE_SHIFT = 2.1
#: 16:9: the camera looks at this height (raises the picture clear of the caption band).
WIDE_CENTER = 1.05
WIDE_PANEL_SHARE = 0.3
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


def warped_grid(
    extent: float, radial: int, per_sector: int, power: float = WARP_POWER
) -> tuple[np.ndarray, np.ndarray]:
    """A polar grid over the hexagon whose rays crowd near the three tie lines.

    The surfaces are steep only across the lines where two classes tie (at 30, 150
    and 270 degrees), and steeper the narrower the bumps; elsewhere they are flat
    plateaus. Each 60-degree sector between a tie line and a class direction gets
    ``per_sector`` faces whose angular size grows like ``u ** power`` away from the
    tie line, so the walls are finely sampled with no more faces in all. Rays
    include every 30 degrees (tie lines, class directions: the hexagon's corners).

    Returns
    -------
    x, y
        Shape ``(radial + 1, 6 * per_sector + 1)``; the last ray repeats the first.

    Examples
    --------
    >>> import numpy as np
    >>> x, y = warped_grid(3.0, 4, 6)
    >>> x.shape
    (5, 37)
    >>> angles = np.degrees(np.arctan2(y[-1], x[-1])) % 360
    >>> bool(np.isclose(angles, 30).any() and np.isclose(angles, 90).any())
    True
    """
    u = np.linspace(0.0, 1.0, per_sector + 1) ** power * (np.pi / 3)
    pieces = []
    for m in range(6):
        start = np.pi / 6 + m * np.pi / 3
        # Even sectors start on a tie line, odd ones end on one.
        offsets = u if m % 2 == 0 else (np.pi / 3 - u[::-1])
        pieces.append(start + offsets[:-1])
    theta = np.concatenate([*pieces, [np.pi / 6 + 2 * np.pi]])
    reach = boundary_reach(theta, extent, SHAPE)
    r = np.linspace(0.0, 1.0, radial + 1)[:, None] * reach[None, :]
    return r * np.cos(theta), r * np.sin(theta)


def edge_fade(radial: int) -> np.ndarray:
    """Per-face factor ``(radial, 1)`` going smoothly from 1 to 0 over the outer
    :data:`EDGE_FADE` of each ray.

    Examples
    --------
    >>> fade = edge_fade(8)
    >>> float(fade[0, 0]), bool(fade[-1, 0] < 0.2)
    (1.0, True)
    """
    u = (np.arange(radial) + 0.5) / radial  # face centres along a ray
    t = np.clip((1.0 - u) / EDGE_FADE, 0.0, 1.0)
    return (t * t * (3.0 - 2.0 * t))[:, None]


def surface_colors(
    color: ManimColor,
    points: np.ndarray,
    heights: np.ndarray,
    solid: float,
    light: np.ndarray,
    edge: np.ndarray | float = 1.0,
) -> np.ndarray:
    """Per-face RGBA of a surface: lit by ``light`` (Lambert), faded near the floor
    unless ``solid`` is 1.

    Parameters
    ----------
    color
        The class colour.
    points
        Scene points of the vertices ``(nu, nv, 3)`` (for the face normals).
    heights
        Vertex heights ``(nu, nv)`` in units of ``P_HEIGHT``.
    solid
        0: faces near the floor fade out (see :data:`FADE_BETWEEN`); 1: every face
        is drawn; values between blend the two.
    light
        Unit light direction.
    edge
        Per-face factor applied with the floor fade (see :func:`edge_fade`).
    """
    h = np.asarray(heights, dtype=float)
    face = 0.25 * (h[:-1, :-1] + h[1:, :-1] + h[1:, 1:] + h[:-1, 1:])
    low, high = FADE_BETWEEN
    t = np.clip((face - low) / (high - low), 0.0, 1.0)
    alpha = solid + (1.0 - solid) * t * t * (3.0 - 2.0 * t) * edge
    return lambert_rgba(points, color.to_rgb(), light, alpha)


def depth_sorted(mob: Mobject) -> Mobject:
    """Mark ``mob`` to be ordered by depth among the surface faces (not drawn on top)."""
    for member in mob.get_family():
        member.shade_in_3d = True
    return mob


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


def region_corners(k: int, extent: float) -> np.ndarray:
    """The rhombus of the hexagon where class ``k`` wins: centre, tie corner, class
    corner, tie corner (plane coordinates, shape ``(4, 2)``).

    Examples
    --------
    >>> import numpy as np
    >>> corners = region_corners(0, 2.0)
    >>> np.round(corners, 6).tolist()[2]
    [0.0, 2.0]
    """
    vertex = class_vertices(3)[k]
    angle = np.arctan2(vertex[1], vertex[0])
    angles = angle + np.array([-np.pi / 3, 0.0, np.pi / 3])
    ring = extent * np.stack([np.cos(angles), np.sin(angles)], axis=-1)
    return np.concatenate([np.zeros((1, 2)), ring])


def winner(data: ThreeClassGaussianData) -> np.ndarray:
    """Index of the most probable class at each grid point (``argmax`` of the posteriors)."""
    return np.argmax(data.normalised, axis=0)


def boundary_angle_degrees(weights: np.ndarray) -> float:
    """Angle at the centre between two tie lines of the linear logits ``W x + b``.

    The line where classes ``i`` and ``j`` tie is ``(W_i - W_j) . x = b_j - b_i``;
    two such lines meet at the angle between their normals' perpendiculars.

    Examples
    --------
    >>> round(boundary_angle_degrees(gaussian_logits(class_means(2.0), 1.0)[0]), 9)
    120.0
    """
    n01 = weights[0] - weights[1]
    n02 = weights[0] - weights[2]
    # Class 0's region is on the side of both lines where W_0 x is larger: the rays
    # bounding it run along the perpendiculars turned into that side.
    d1 = np.array([-n01[1], n01[0]])
    d2 = np.array([n02[1], -n02[0]])
    d1 *= np.sign(d1 @ weights[0]) or 1.0
    d2 *= np.sign(d2 @ weights[0]) or 1.0
    cos = d1 @ d2 / (np.linalg.norm(d1) * np.linalg.norm(d2))
    return float(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))


# --------------------------------------------------------------------------- #
# Scene
# --------------------------------------------------------------------------- #


class GaussiansThreeClass(LectureThreeDScene):
    """Three Gaussian bumps, normalised, are exactly the softmax surfaces of linear logits."""

    params: GaussiansThreeClassParams

    def construct(self) -> None:
        self.setup_stage()
        self.show_bumps()
        self.normalise()
        self.match_softmax()
        self.sweep_sigma()
        self.show_regions()
        self.takeaway()

    # -- state ----------------------------------------------------------------- #

    def setup_stage(self) -> None:
        """Data, camera, axes and the formula panel; draws nothing."""
        p = self.params
        theme = self.theme
        self.means = class_means(p.spread)
        self.x, self.y = warped_grid(
            p.extent, p.resolution, max(2, round(p.resolution * SECTOR_SHARE))
        )
        # Faces near the hexagon's edge fade while the bumps show (a bump cut by the
        # edge would end in a cliff).
        self.edge_fade = edge_fade(p.resolution)
        wire = max(2, round(p.resolution * WIREFRAME_SHARE))
        self.wx, self.wy = polar_grid(p.extent, wire, 2 * wire, SHAPE)
        self.sigma = ValueTracker(p.sigma)
        # Density heights: the bumps (shown at params.sigma only) peak at DENSITY_HEIGHT.
        self.density_scale = DENSITY_HEIGHT / float(
            gaussian_density(np.zeros(2), np.zeros(2), p.sigma)
        )
        self.light = light_direction(VIEW["phi"], VIEW["theta"])
        self.label_size = theme.body_size * (NARROW_LABEL_SHARE if self.is_narrow else 1.0)
        if self.is_portrait:
            self.zoom, self.top_zoom, shift = PORTRAIT_ZOOM, PORTRAIT_TOP_ZOOM, 0.0
        elif self.is_narrow:
            self.zoom, self.top_zoom, shift = SQUARE_ZOOM, SQUARE_TOP_ZOOM, 0.0
        else:
            self.zoom, self.top_zoom = WIDE_ZOOM, WIDE_TOP_ZOOM
            # The picture sits right of the panel: the world moves along x (on screen,
            # to the right in every view of this chapter), the camera stays centred.
            shift = WIDE_SHIFT / self.zoom
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
            label_size=self.label_size,
            center=shift * RIGHT,
        )
        # The value axis' name sits beside the tip, outlined so it reads over a surface.
        prob_name = self.axes.names[2]
        prob_name.next_to(self.axes.to_scene(0, 0, 1.0), RIGHT, buff=0.2).shift(0.35 * OUT)
        for label in self.axes.labels:
            label.set_stroke(theme.color("background"), width=6, background=True)
        for name in self.axes.names:  # the ticks stay in front: they must be read
            depth_sorted(name)
        self.build_overlays()

    def data(self, fine: bool = True, sigma: float | None = None) -> ThreeClassGaussianData:
        """The surfaces at ``sigma`` (default: the current width)."""
        x, y = (self.x, self.y) if fine else (self.wx, self.wy)
        sigma = self.sigma.get_value() if sigma is None else sigma
        return three_class_data(self.means, sigma, x, y)

    def surface_points(self, heights: np.ndarray, fine: bool = True) -> np.ndarray:
        x, y = (self.x, self.y) if fine else (self.wx, self.wy)
        return self.axes.to_scene(x, y, heights)

    def paint(self, k: int, heights: np.ndarray, solid: float) -> None:
        """Set surface ``k`` to ``heights`` (units of ``P_HEIGHT``), lit and faded."""
        points = self.surface_points(heights)
        self.surfaces[k].set_points_grid(points)
        self.surfaces[k].set_face_colors(
            surface_colors(self.class_color(k), points, heights, solid, self.light, self.edge_fade)
        )

    # -- layout ---------------------------------------------------------------- #

    def view(self, phi: float, theta: float, zoom: float | None = None) -> dict[str, object]:
        """Camera settings for ``(phi, theta)``.

        The camera looks at a point on the vertical axis; in 16:9 the world is moved
        right (see :meth:`setup_stage`).
        """
        if self.is_portrait:
            center = PORTRAIT_CENTER * OUT
        elif self.is_narrow:
            center = SQUARE_CENTER * OUT
        else:
            center = WIDE_CENTER * OUT
        zoom = self.zoom if zoom is None else zoom
        return {"phi": phi, "theta": theta, "zoom": zoom, "frame_center": center}

    def build_overlays(self) -> None:
        """The formula panel: its lines, the difference readout and the sigma readout.

        Every line is laid out (and scaled to fit) together, so later replacements of the
        readout land in the same slot at the same size.
        """
        theme = self.theme
        size = theme.body_size
        self.title_mob = self.fixed(self.title())
        self.density_tex = MathTex(
            r"p(x\mid k) = \mathcal{N}(x;\,\mu_k,\,\sigma^2 I)", font_size=size
        )
        self.ratio_tex = MathTex(
            r"P(k\mid x) = \frac{\mathcal{N}(x;\,\mu_k,\,\sigma^2 I)}"
            r"{\sum_j \mathcal{N}(x;\,\mu_j,\,\sigma^2 I)}",
            font_size=size,
        )
        self.softmax_tex = MathTex(r"= \operatorname{softmax}(W x + b)_k", font_size=size)
        self.logit_tex = MathTex(
            r"W_k = \frac{\mu_k}{\sigma^2},\quad b_k = -\frac{|\mu_k|^2}{2\sigma^2}",
            font_size=size,
        )
        self.readout_slot = self.readout_tex(self.data().max_difference)
        self.sigma_readout = Readout(r"\sigma =", self.sigma.get_value, decimals=2, font_size=size)
        column = VGroup(
            self.ratio_tex, self.softmax_tex, self.logit_tex, self.readout_slot, self.sigma_readout
        )
        column.arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        if self.is_narrow and not self.is_portrait:
            # Square: two columns under the picture.
            left = VGroup(self.ratio_tex, self.softmax_tex).arrange(
                DOWN, aligned_edge=LEFT, buff=0.3
            )
            right = VGroup(self.logit_tex, self.readout_slot, self.sigma_readout).arrange(
                DOWN, aligned_edge=LEFT, buff=0.3
            )
            VGroup(left, right).arrange(RIGHT, buff=0.6, aligned_edge=UP)
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
        self.tie_tex = MathTex(
            r"z_i = z_j:\ (W_i - W_j)\cdot x + b_i - b_j = 0",
            font_size=size,
            color=theme.color("accent"),
        )
        self.tie_tex.scale(self.panel_scale)
        self.fit(self.tie_tex, width=self.panel_width())
        self.tie_tex.move_to(self.readout_slot, aligned_edge=UP + LEFT)
        if self.is_narrow:  # alone under the map (the panel fades out for it)
            self.pin_to(self.tie_tex, DOWN).set_x(0.0)
        self.density_tex = self.fixed(self.density_tex)
        self.ratio_tex = self.fixed(self.ratio_tex)
        self.softmax_tex = self.fixed(self.softmax_tex)
        self.logit_tex = self.fixed(self.logit_tex)
        self.tie_tex = self.fixed(self.tie_tex)
        self.add_fixed_in_frame_mobjects(self.sigma_readout)
        self.remove(self.sigma_readout)

    def panel_width(self) -> float:
        return self.usable_width * (0.94 if self.is_narrow else WIDE_PANEL_SHARE)

    def place_panel(self, mob: Mobject) -> Mobject:
        """Top left under the title (landscape) or at the bottom (portrait, square)."""
        if self.is_narrow:
            self.pin_to(mob, DOWN)
            mob.set_x(0.0)
        else:
            self.pin_to(mob, UP + LEFT).shift(DOWN * (self.title_mob.height + 0.4))
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
            Tex(r"largest gap between them on the grid:", font_size=self.theme.label_size),
            MathTex(difference_tex(value), font_size=self.theme.body_size),
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
        with self.beat(
            "three-bumps",
            "Give each of three classes a round Gaussian bump of the same width, centred "
            "on its corner of the class triangle: these are the class densities.",
        ):
            theme = self.theme
            data = self.data()
            floor = self.axes.map
            self.surfaces = [
                MeshSurface(
                    self.surface_points(np.zeros_like(self.x)),
                    fill_opacity=SURFACE_OPACITY,
                    shade=False,
                )
                for k in range(3)
            ]
            for k in range(3):
                self.paint(k, data.density[k] * self.density_scale / P_HEIGHT, 0.0)
            spread = self.params.spread
            triangle = ClassTriangle(
                theme,
                floor,
                scale=spread / float(np.linalg.norm(class_vertices(3)[0])),
            )
            on_floor(triangle)
            self.triangle = triangle
            # Mean labels in the text colour (a class colour would vanish on its own
            # bump), outside the triangle.
            center = floor.floor(0.0, 0.0)
            triangle.vertex_labels = VGroup()
            for k, corner in enumerate(triangle.corners):
                label = MathTex(rf"\mu_{k + 1}", font_size=self.label_size)
                label.set_stroke(theme.color("background"), width=6, background=True)
                away = (corner - center) / np.linalg.norm(corner - center)
                label.move_to(corner + 0.5 * away)
                triangle.vertex_labels.add(label)
            density_name = MathTex(r"\mathcal{N}", font_size=self.label_size)
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
        with self.beat(
            "normalise",
            "Divide each bump by the sum of all three, point by point, and the bumps turn "
            "into three probability surfaces that add up to one everywhere.",
        ):
            amount = ValueTracker(0.0)
            data = self.data()
            start = [data.density[k] * self.density_scale / P_HEIGHT for k in range(3)]
            end = [data.normalised[k] for k in range(3)]

            def refresh(_mob: Mobject) -> None:
                t = amount.get_value()
                for k in range(3):
                    self.paint(k, (1 - t) * start[k] + t * end[k], t)

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
            self.boundaries = on_floor(
                TieBoundaries(self.theme, self.axes.map, self.params.extent, shape=SHAPE)
            )
            names = [rf"\textbf{{{self.class_tex(k)}}}" for k in range(3)]
            # On plates: a name in its class colour reads over its own surface too.
            self.regions = backed(
                RegionLabels(
                    self.theme,
                    self.axes.map,
                    names,
                    radius=0.8 * self.params.extent,
                    label_size=self.label_size,
                    height=LABEL_HEIGHT,
                    turn=LABEL_TURN,
                ),
                self.theme.color("background"),
            )
            self.add_fixed_orientation_mobjects(*self.regions)
            self.remove(*self.regions)
            self.play_for(
                1.5,
                Create(self.boundaries),
                FadeIn(self.regions),
                FadeOut(self.triangle.vertex_labels),
            )
            self.pause(1.5)

    def match_softmax(self) -> None:
        with self.beat(
            "softmax-match",
            "These are exactly the softmax surfaces of logits that are linear in x, the "
            "shape we met with three classes: the wireframe of the softmax lies on them, "
            "down to rounding error.",
        ):
            wire_data = self.data(fine=False)
            self.wireframes = [
                MeshSurface(
                    self.surface_points(wire_data.softmax_surfaces[k], fine=False),
                    fill_opacity=0.0,
                    stroke_color=self.theme.color("text"),
                    stroke_width=1.0,
                    stroke_opacity=0.55,
                    shade=False,
                )
                for k in range(3)
            ]
            difference = self.data().max_difference
            self.readout_mob = self.readout(difference)
            self.remove(self.readout_mob)
            self.play_for(1.5, FadeIn(self.softmax_tex), FadeIn(self.logit_tex))
            self.flash(self.softmax_tex)
            self.play_for(3.0, *(Create(w) for w in self.wireframes))
            self.play_for(1.0, FadeIn(self.readout_mob))
            self.flash(self.readout_mob)
            self.move_camera(
                **self.view(VIEW["phi"], VIEW["theta"] + 40 * DEGREES),
                run_time=self.seconds(3.0),
            )
            self.move_camera(**self.view(**VIEW), run_time=self.seconds(2.0))

    def sweep_sigma(self) -> None:
        with self.beat(
            "sigma",
            "Narrower bumps make sharper surfaces, since the weights grow like one over "
            "sigma squared, and the match holds for every width.",
        ):
            low, high = self.params.sigma_range
            now = self.sigma.get_value()
            swept = np.linspace(min(low, now), max(high, now), SWEEP_SAMPLES)
            largest = max(self.data(sigma=s).max_difference for s in swept)

            def refresh(_mob: Mobject) -> None:
                data = self.data()
                wire = self.data(fine=False)
                for k in range(3):
                    self.paint(k, data.normalised[k], 1.0)
                    self.wireframes[k].set_points_grid(
                        self.surface_points(wire.softmax_surfaces[k], fine=False)
                    )

            driver = self.surfaces[0]
            driver.add_updater(refresh)
            self.play_for(0.6, FadeIn(self.sigma_readout))
            self.play_for(2.5, self.sigma.animate.set_value(high))
            self.play_for(3.0, self.sigma.animate.set_value(low))
            self.pause(0.8)
            # Back to the width of the bumps the chapter started from.
            self.play_for(1.5, self.sigma.animate.set_value(now))
            driver.clear_updaters()
            # The largest difference anywhere in the swept range of widths.
            new = self.readout(largest)
            self.remove(new)
            self.play_for(0.6, FadeOut(self.readout_mob), FadeIn(new))
            self.readout_mob = new

    def show_regions(self) -> None:
        with self.beat(
            "regions",
            "Seen from above, each point goes to the class whose surface is highest; the "
            "logits are linear, so the borders are <mark:lines>straight lines, meeting "
            "at 120 degrees.",
        ):
            theme = self.theme
            extent = self.params.extent
            base = self.axes.map
            floor = PlaneMap(base.origin + self.map_lift() * UP, *base.matrix)
            tiles = VGroup()
            for k in range(3):
                corners = region_corners(k, extent)
                tiles.add(
                    Polygon(
                        *(floor.floor(*c) for c in corners),
                        stroke_width=0,
                        fill_color=self.class_color(k),
                        fill_opacity=MAP_OPACITY,
                    )
                )
            tiles.set_z_index(-1)
            lines = VGroup(
                *(
                    Line(
                        floor.floor(0.0, 0.0), floor.floor(*end), color=theme.color("accent")
                    ).set_stroke(width=5)
                    for end in self.boundaries.ends.values()
                )
            )
            panel = [self.ratio_tex, self.softmax_tex, self.logit_tex] if self.is_narrow else []
            self.play_for(
                0.8,
                FadeOut(VGroup(*self.wireframes)),
                FadeOut(self.sigma_readout),
                FadeOut(self.readout_mob),
                *(FadeOut(m) for m in panel),
                FadeIn(self.tie_tex),
            )
            lift = self.map_lift() * UP
            floor_pieces = VGroup(self.axes.floor_axes, *self.axes.names[:2], self.triangle)
            # The class names come down from the plateaus onto the map.
            drop = lift - LABEL_HEIGHT * P_HEIGHT * OUT
            self.move_camera(
                **self.view(0.0, -90 * DEGREES, self.top_zoom),
                added_anims=[
                    FadeOut(self.axes.value_axis),
                    FadeOut(self.axes.ticks),
                    FadeOut(self.axes.names[2]),
                    *(s.animate.shift(lift) for s in self.surfaces),
                    floor_pieces.animate.shift(lift),
                    self.regions.animate.shift(drop),
                    self.boundaries.animate.shift(lift),
                ],
                run_time=self.seconds(3.0),
            )
            self.play_for(
                1.2,
                FadeIn(tiles),
                FadeOut(self.triangle.edges),
                *(s.animate.set_opacity(0.0) for s in self.surfaces),
                FadeOut(self.boundaries),
            )
            for s in self.surfaces:
                self.remove(s)
            self.at_mark("lines")
            self.play_for(1.5, Create(lines))
            # The angle at the centre between two borders (class 1's region).
            pair = [self.boundaries.ends[(0, 1)], self.boundaries.ends[(0, 2)]]
            radius = 1.2
            angle = boundary_angle_degrees(self.data().weights)
            start = np.arctan2(pair[1][1], pair[1][0])
            arc = Arc(
                radius=radius * floor.unit,
                start_angle=start,
                angle=np.radians(angle),
                arc_center=floor.floor(0.0, 0.0),
                color=theme.color("highlight"),
                stroke_width=5,
            )
            mid = start + np.radians(angle) / 2
            angle_label = MathTex(rf"{angle:.0f}^\circ", font_size=self.label_size)
            angle_label.set_color(theme.color("highlight"))
            angle_label.set_stroke(theme.color("background"), width=6, background=True)
            angle_label.move_to(floor.floor(*(0.5 * radius * np.array([np.cos(mid), np.sin(mid)]))))
            self.play_for(1.2, Create(arc), FadeIn(angle_label))
            self.flash(self.tie_tex)
            self.pause(1.5)
            self.map = VGroup(tiles, lines, arc, angle_label)

    def flash(self, mob: Mobject) -> None:
        """Draw the eye to a panel line as the narration makes its claim: a box in the
        highlight colour, fixed in the frame like the line (the base scene's highlight
        would draw it in 3D space), drawn and faded."""
        box = self.emphasis(mob)
        self.add_fixed_in_frame_mobjects(box)
        self.remove(box)
        self.play_for(0.6, Create(box))
        self.play_for(0.5, FadeOut(box))

    def map_lift(self) -> float:
        """How far (scene units, along UP) the floor moves for the top-down map: in
        portrait and square frames it rises into the space the panel leaves, centred
        between the title and the tie-line formula; in 16:9 it stays."""
        if not self.is_narrow:
            return 0.0
        top = self.title_mob.get_bottom()[1]
        bottom = self.tie_tex.get_top()[1]
        return (top + bottom) / 2 / self.top_zoom - MAP_NAME_ROOM

    def takeaway(self) -> None:
        with self.beat(
            "takeaway",
            "So equal-width Gaussian classes give exactly a softmax of linear logits. "
            "Loosely, training shapes what the last layer sees so that each class gathers "
            "in its own region, though its gradient aims at no single point.",
        ):
            if self.is_portrait:  # short lines: the card stays inside the safe area
                text = (
                    r"Equal-width\\ Gaussian classes:\\ $P(k\mid x) =$\\ "
                    r"$\mathrm{softmax}(Wx + b)_k$,\\ regions meet in\\ straight lines."
                )
            else:
                text = (
                    r"Equal-width Gaussian classes:\\ $P(k\mid x) = \mathrm{softmax}(Wx + b)_k$,"
                    r"\\ so the class regions meet in straight lines."
                )
            # The card goes where it hides the least of the map, so its borders and the
            # point where they meet stay in view beside it.
            self.close_with(
                text,
                # (the names' own group: it is what the scene holds)
                keep=[self.map, self.regions],
                clear_of=[self.map, self.regions],
            )
