"""Chapter: two Gaussian classes of equal width have a sigmoid posterior.

Two 1D normal densities with one shared ``sigma``, each weighted by its class
prior, are drawn on top; below them, normalising the two weighted densities point
by point gives ``P(class 1 | x)``, and markers of ``sigmoid(w x + b)`` with
``w = (mu_1 - mu_2) / sigma^2`` sit exactly on that curve. Sigma, the means and
the prior are then animated: the slope follows ``1 / sigma^2`` and the prior
slides the curve sideways through the bias ``log(pi_1 / pi_2)``. Last, the
weighted log-densities lose their shared quadratic term and become two straight
logit lines whose softmax is the posterior.

Every number comes from :mod:`softmax_math` (:func:`gaussian_log_density`,
:func:`gaussian_logits`, :func:`softmax`, :func:`sigmoid`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    UR,
    Axes,
    Circle,
    Create,
    DashedLine,
    FadeIn,
    FadeOut,
    Line,
    MathTex,
    ReplacementTransform,
    Tex,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
)

from softmax_math import gaussian_log_density, gaussian_logits, sigmoid, softmax
from softmax_video.core.params import GaussiansTwoClassParams
from softmax_video.kit.lecture_scene import LectureScene
from softmax_video.kit.plane_geometry import merged
from softmax_video.kit.widgets import ClassLegend, MarkerSet, Readout

__all__ = ["GaussiansTwoClass", "TwoClassCurves", "two_class_curves"]

# --------------------------------------------------------------------------- #
# Constants of the picture
# --------------------------------------------------------------------------- #

#: Samples per plotted curve.
CURVE_SAMPLES = 241
#: Markers of sigmoid(w x + b) laid over the posterior curve.
MARKER_COUNT = 15
#: Share of the half-gap between the means kept when the means move closer.
MEANS_CLOSER = 0.45
#: Sideways shift of both means, as a share of the plotted half-width.
MEANS_SHIFT = 0.25
#: Head room above the tallest density.
DENSITY_HEADROOM = 1.15
#: Gap between a readout's label and its number, in scene units after the layout.
READOUT_GAP = 0.15


# --------------------------------------------------------------------------- #
# Data
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class TwoClassCurves:
    """Everything the chapter plots for one state of the two Gaussian classes.

    Attributes
    ----------
    x
        Sample positions.
    weighted_density
        ``pi_k N(x; mu_k, sigma^2)``, shape ``(2, n)``.
    posterior
        ``P(class 1 | x)``: the weighted densities normalised point by point.
    logits
        The linear logits ``z_k(x) = W_k x + b_k`` of :func:`gaussian_logits`, ``(2, n)``.
    slope, bias
        ``w = W_1 - W_2`` and ``b = b_1 - b_2``: ``posterior = sigmoid(w x + b)``.
    """

    x: np.ndarray
    weighted_density: np.ndarray
    posterior: np.ndarray
    logits: np.ndarray
    slope: float
    bias: float

    @property
    def boundary(self) -> float:
        """Where both classes are equally likely (``w x + b = 0``)."""
        return -self.bias / self.slope

    def fitted_sigmoid(self, x: np.ndarray) -> np.ndarray:
        """``sigmoid(w x + b)`` at ``x``."""
        return sigmoid(self.slope * np.asarray(x, dtype=float) + self.bias)


def two_class_curves(
    means: tuple[float, float], sigma: float, prior_class1: float, x: np.ndarray
) -> TwoClassCurves:
    """Densities, posterior and logits of two equal-width Gaussian classes.

    The posterior is computed the way the picture shows it, by normalising the
    two weighted densities at each ``x`` (in log space, so it stays exact far
    from both means); the sigmoid's ``w`` and ``b`` come from the linear logits
    of :func:`softmax_math.gaussian_logits`.

    Examples
    --------
    >>> import numpy as np
    >>> c = two_class_curves((1.0, -1.0), 1.0, 0.5, np.array([0.0, 1.0]))
    >>> np.round(c.posterior, 4).tolist(), c.slope, c.bias
    ([0.5, 0.8808], 2.0, 0.0)
    """
    x = np.asarray(x, dtype=float)
    priors = np.array([prior_class1, 1.0 - prior_class1])
    log_weighted = np.stack(
        [
            gaussian_log_density(x, mean, sigma) + math.log(p)
            for mean, p in zip(means, priors, strict=True)
        ]
    )
    posterior = softmax(log_weighted, axis=0)[0]
    weights, biases = gaussian_logits(np.asarray(means, dtype=float), sigma, priors)
    logits = weights[:, :1] * x[None, :] + biases[:, None]
    return TwoClassCurves(
        x=x,
        weighted_density=np.exp(log_weighted),
        posterior=posterior,
        logits=logits,
        slope=float(weights[0, 0] - weights[1, 0]),
        bias=float(biases[0] - biases[1]),
    )


# --------------------------------------------------------------------------- #
# Mobjects
# --------------------------------------------------------------------------- #


def coords_to_points(axes: Axes, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``axes.c2p`` of every ``(x[i], y[i])`` at once, shape ``(n, 3)``.

    Linear axes map coordinates to the scene affinely, so three ``c2p`` calls give
    the map; it is kept on the axes until their lines move. ``Axes.coords_to_point``
    costs several times more, which adds up for curves reset on every frame.

    Examples
    --------
    >>> axes = Axes(x_range=[-2, 2, 1], y_range=[0, 1, 0.5], x_length=4, y_length=2)
    >>> x, y = np.array([-2.0, 0.5]), np.array([0.0, 0.75])
    >>> bool(np.allclose(coords_to_points(axes, x, y), axes.c2p(x, y).T))
    True
    """
    ends = np.concatenate([axes.x_axis.points[[0, -1]], axes.y_axis.points[[0, -1]]])
    cached = getattr(axes, "_linear_map", None)
    if cached is None or not np.array_equal(cached[0], ends):
        origin = axes.c2p(0.0, 0.0)
        cached = (ends, origin, axes.c2p(1.0, 0.0) - origin, axes.c2p(0.0, 1.0) - origin)
        axes._linear_map = cached
    _, origin, step_x, step_y = cached
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return origin + x[:, None] * step_x + y[:, None] * step_y


class SampledCurve(VMobject):
    """A polyline through sampled ``(x, y)`` values of an :class:`Axes`, reset in place."""

    def __init__(self, axes: Axes, **kwargs) -> None:
        super().__init__(**kwargs)
        self.axes = axes

    def set_samples(self, x: np.ndarray, y: np.ndarray) -> SampledCurve:
        """Redraw through the points ``(x[i], y[i])`` in the axes' coordinates."""
        self.set_points_as_corners(coords_to_points(self.axes, x, y))
        return self


class FilledDensity(VGroup):
    """A density curve with its area down to the x axis lightly filled."""

    def __init__(self, axes: Axes, color, fill_opacity: float = 0.25, **kwargs) -> None:
        super().__init__(**kwargs)
        self.axes = axes
        self.area = VMobject(stroke_width=0, fill_color=color, fill_opacity=fill_opacity)
        self.curve = SampledCurve(axes, stroke_color=color, stroke_width=3)
        self.add(self.area, self.curve)

    def set_samples(self, x: np.ndarray, y: np.ndarray) -> FilledDensity:
        points = coords_to_points(self.axes, x, y)
        self.curve.set_points_as_corners(points)
        ends = coords_to_points(self.axes, np.array([x[0], x[-1]]), np.zeros(2))
        self.area.set_points_as_corners(np.concatenate([ends[:1], points, ends[1:]]))
        return self


def place_segment(line: Line, start: np.ndarray, end: np.ndarray) -> Line:
    """Put ``line`` (a :class:`DashedLine` too) from ``start`` to ``end``.

    When only the position changes this is a shift, much cheaper than
    ``put_start_and_end_on``, which measures, turns and rescales every dash.
    """
    if np.allclose(line.get_end() - line.get_start(), end - start):
        line.shift(start - line.get_start())
    else:
        line.put_start_and_end_on(start, end)
    return line


def move_y_axis_left(axes: Axes) -> Line:
    """Hide the y axis drawn at ``x = 0`` and draw it at the left end of the x range.

    :class:`Axes` always puts the y axis through ``x = 0``; a plot of ``x`` from
    ``-a`` to ``a`` reads better with it on the left. The line is added to the axes
    as ``axes.left_axis`` (so it moves and fades with them).
    """
    axes.y_axis.set_opacity(0)
    x_min = axes.x_range[0]
    left = Line(
        axes.c2p(x_min, axes.y_range[0]),
        axes.c2p(x_min, axes.y_range[1]),
        color=axes.x_axis.get_color(),
        stroke_width=axes.x_axis.get_stroke_width(),
    )
    axes.left_axis = left
    axes.add(left)
    return left


# --------------------------------------------------------------------------- #
# Scene
# --------------------------------------------------------------------------- #


class GaussiansTwoClass(LectureScene):
    """Equal-variance Gaussian classes have a posterior that is a sigmoid of a line."""

    params: GaussiansTwoClassParams

    def construct(self) -> None:
        self.prepare_state()
        self.build_layout()
        with self.beat(
            "two-bells",
            "Picture two classes whose inputs follow bell curves of the same width, "
            "each bell scaled by how common its class is.",
        ):
            self.show_densities()
        with self.beat(
            "posterior-is-sigmoid",
            "Dividing the first weighted bell by the sum of both gives the chance of the "
            "first class at every x, and that curve is exactly a sigmoid of a straight line.",
        ):
            self.show_posterior()
        with self.beat(
            "sigma",
            "Narrow bells overlap less, so the sigmoid gets steeper: its slope grows "
            "like one over sigma squared.",
        ):
            self.sweep_sigma()
        with self.beat(
            "means",
            "Bringing the means together flattens the curve, and moving both together "
            "carries the crossing point along with their midpoint.",
        ):
            self.move_means()
        with self.beat(
            "prior",
            "A larger prior for the first class slides the curve sideways without "
            "changing its slope: the log prior ratio is added to the bias.",
        ):
            self.change_prior()
        with self.beat(
            "softmax-of-logits",
            "Taking logs, both bells share a quadratic term that cancels, leaving two "
            "straight logits; their softmax, the two-class surface from earlier, is "
            "exactly the posterior.",
        ):
            self.show_logits()

    # -- state ----------------------------------------------------------------- #

    def prepare_state(self) -> None:
        """Sample positions and one tracker per animated quantity (equal priors first)."""
        p = self.params
        self.x_extent = p.x_extent
        self.xs = np.linspace(-p.x_extent, p.x_extent, CURVE_SAMPLES)
        self.marker_x = np.linspace(-p.x_extent, p.x_extent, MARKER_COUNT + 2)[1:-1]
        self.sigma = ValueTracker(p.sigma)
        self.mu1 = ValueTracker(p.means[0])
        self.mu2 = ValueTracker(p.means[1])
        self.prior = ValueTracker(0.5)
        #: Tracker values the live mobjects were last drawn for (see :meth:`refresh`).
        self._drawn_state: tuple[float, float, float, float] | None = None

    def curves(self) -> TwoClassCurves:
        """The curves for the trackers' current values."""
        return two_class_curves(
            (self.mu1.get_value(), self.mu2.get_value()),
            self.sigma.get_value(),
            self.prior.get_value(),
            self.xs,
        )

    def density_peak(self) -> float:
        """The tallest weighted density the chapter will show."""
        p = self.params
        narrowest = min(p.sigma, p.sigma_range[0])
        largest_prior = max(p.prior_class1, 1.0 - p.prior_class1, 0.5)
        peak = np.exp(gaussian_log_density(0.0, 0.0, narrowest)) * 0.5
        peak = max(peak, np.exp(gaussian_log_density(0.0, 0.0, p.sigma)) * largest_prior)
        return float(peak)

    # -- layout ---------------------------------------------------------------- #

    def build_layout(self) -> None:
        theme = self.theme
        if self.is_narrow:  # one column: legend, plots, formulas
            plot_width = self.usable_width * (0.92 if self.is_portrait else 0.8)
            density_height, posterior_height = 1.5, 1.3
        else:
            plot_width = self.usable_width * 0.56
            density_height, posterior_height = 2.6, 2.2

        y_top = self.density_peak() * DENSITY_HEADROOM
        axis_style = {"color": theme.color("muted"), "include_tip": False}
        self.density_axes = Axes(
            x_range=[-self.x_extent, self.x_extent, 1],
            y_range=[0, y_top, y_top],
            x_length=plot_width,
            y_length=density_height,
            axis_config={**axis_style, "include_ticks": False},
            x_axis_config={"include_ticks": True},
        )
        self.posterior_axes = Axes(
            x_range=[-self.x_extent, self.x_extent, 1],
            y_range=[0, 1, 0.5],
            x_length=plot_width,
            y_length=posterior_height,
            axis_config=axis_style,
        )
        for axes in (self.density_axes, self.posterior_axes):
            move_y_axis_left(axes)
        small = theme.small_size
        self.density_axes_label = MathTex(r"\pi_k\,\mathcal{N}(x;\mu_k,\sigma^2)", font_size=small)
        self.posterior_axes_label = MathTex(r"P(1\mid x)", font_size=small)
        half_tick = MathTex(r"\tfrac12", font_size=small * 0.9, color=theme.color("muted"))
        one_tick = MathTex("1", font_size=small * 0.9, color=theme.color("muted"))
        half_tick.next_to(self.posterior_axes.c2p(-self.x_extent, 0.5), LEFT, buff=0.1)
        one_tick.next_to(self.posterior_axes.c2p(-self.x_extent, 1.0), LEFT, buff=0.1)
        self.posterior_ticks = VGroup(half_tick, one_tick)
        x_label = MathTex("x", font_size=small)
        x_label.next_to(self.posterior_axes.x_axis.get_right(), DOWN + LEFT * 0.3, buff=0.12)
        x_label_top = x_label.copy().next_to(
            self.density_axes.x_axis.get_right(), DOWN + LEFT * 0.3, buff=0.12
        )

        self.density_panel = VGroup(self.density_axes, x_label_top)
        self.posterior_panel = VGroup(self.posterior_axes, self.posterior_ticks, x_label)
        plots = VGroup(self.density_panel, self.posterior_panel).arrange(DOWN, buff=0.6)
        for axes, label in (
            (self.density_axes, self.density_axes_label),
            (self.posterior_axes, self.posterior_axes_label),
        ):
            label.next_to(axes.left_axis.get_top(), UP, buff=0.08).align_to(axes, LEFT)
        self.density_panel.add(self.density_axes_label)
        self.posterior_panel.add(self.posterior_axes_label)

        # legend: class names in class colours
        legend = ClassLegend(
            [f"class {k + 1}: {self.class_name(k)}" for k in range(2)],
            [self.class_color(k) for k in range(2)],
            font_size=small,
        )
        self.legend = legend

        self.formula = self.build_formulas()
        title = self.title("Gaussian classes give a sigmoid")
        self.title_mob = title
        plots_width = plots.width
        if self.is_narrow:
            column = VGroup(legend, plots, self.formula).arrange(DOWN, buff=0.45)
            self.fit(column, height=self.usable_height - title.height - 0.3)
            column.next_to(title, DOWN, buff=0.3)
        else:
            left = VGroup(legend, plots).arrange(DOWN, buff=0.3)
            row = VGroup(left, self.formula).arrange(RIGHT, buff=0.6, aligned_edge=UP)
            self.fit(row, height=self.usable_height - title.height - 0.3)
            row.next_to(title, DOWN, buff=0.3)
            row.set_x(0)
        #: How much the plots were shrunk to fit (markers drawn later follow suit).
        self.plot_scale = plots.width / plots_width
        self.place_readout_numbers()

        # live curves
        self.densities = VGroup(
            *(FilledDensity(self.density_axes, self.class_color(k)) for k in range(2))
        )
        self.posterior_curve = SampledCurve(
            self.posterior_axes, stroke_color=self.class_color(0), stroke_width=4
        )
        self.markers = MarkerSet(self.marker(self.plot_scale), np.zeros((len(self.marker_x), 3)))
        self.boundary_lines = VGroup(
            DashedLine(UP, DOWN, color=theme.color("muted"), stroke_width=2),
            DashedLine(UP, DOWN, color=theme.color("muted"), stroke_width=2),
        )
        self.refresh()

    def place_readout_numbers(self) -> None:
        """Each readout's number a fixed gap after its label (whatever the fit scale),
        with its digits on the label's baseline."""
        for readout in self.readouts.values():
            readout.place_number(buff=READOUT_GAP)

    def marker(self, scale: float = 1.0) -> Circle:
        """One open circle marking a value of sigmoid(w x + b)."""
        return Circle(
            radius=0.07 * scale,
            stroke_color=self.theme.color("accent"),
            stroke_width=2.5 * max(scale, 0.6),
            fill_color=self.theme.color("background"),
            fill_opacity=1,
        )

    def build_formulas(self) -> VGroup:
        """The formula column: posterior as a ratio, as a sigmoid, and live readouts."""
        size = self.theme.label_size
        # Portrait: the fraction on a line of its own, so it can be drawn larger.
        ratio = MathTex(
            (r"&P(1\mid x) = \\ &\quad" if self.is_portrait else r"P(1\mid x) = ")
            + r"\frac{\pi_1\,\mathcal{N}(x;\mu_1,\sigma^2)}"
            r"{\pi_1\,\mathcal{N}(x;\mu_1,\sigma^2) + \pi_2\,\mathcal{N}(x;\mu_2,\sigma^2)}",
            font_size=size,
        )
        as_sigmoid = MathTex(r"= \operatorname{sigmoid}(w\,x + b)", font_size=size)
        slope = MathTex(r"w = \frac{\mu_1 - \mu_2}{\sigma^2}", font_size=size)
        bias = MathTex(
            r"b = \frac{\mu_2^2 - \mu_1^2}{2\sigma^2} + \log\frac{\pi_1}{\pi_2}", font_size=size
        )
        as_sigmoid.set_color_by_tex("sigmoid", self.theme.color("accent"))
        glyph = self.marker()
        glyph.next_to(as_sigmoid, RIGHT, buff=0.2)
        as_sigmoid = VGroup(as_sigmoid, glyph)
        small = self.theme.small_size

        def readout(label: str, value: float, signed: bool) -> Readout:
            # Always two decimals, like the formulas; a sign on quantities that can
            # be negative, so the digits do not jump sideways when it flips.
            return Readout(label, value=value, font_size=small, adaptive=False, include_sign=signed)

        self.readouts = {
            "sigma": readout(r"\sigma =", self.sigma.get_value(), signed=False),
            "mu1": readout(r"\mu_1 =", self.mu1.get_value(), signed=True),
            "mu2": readout(r"\mu_2 =", self.mu2.get_value(), signed=True),
            "prior": readout(r"\pi_1 =", self.prior.get_value(), signed=False),
            "w": readout(r"w =", 0.0, signed=True),
            "b": readout(r"b =", 0.0, signed=True),
        }
        self.readouts["mu1"].label.set_color(self.class_color(0))
        self.readouts["mu2"].label.set_color(self.class_color(1))
        for entry in self.readouts.values():
            # Space the grid as the chapter always has, with each number level with
            # the bottom of its label (a subscript then adds no height to the row);
            # place_readout_numbers puts the digits on the baseline once laid out.
            entry.number.align_to(entry.label, DOWN)
        inputs = VGroup(*(self.readouts[k] for k in ("sigma", "mu1", "mu2", "prior")))
        inputs.arrange_in_grid(rows=2, cols=2, buff=(0.5, 0.2), cell_alignment=LEFT)
        outputs = VGroup(self.readouts["w"], self.readouts["b"]).arrange(RIGHT, buff=0.5)
        self.ratio_tex, self.sigmoid_tex = ratio, as_sigmoid
        self.slope_tex, self.bias_tex = slope, bias
        self.inputs_group, self.outputs_group = inputs, outputs
        if self.is_narrow:
            # One column: w and b side by side, and the six readouts in one 3 x 2 grid.
            readouts = VGroup(inputs, outputs)
            grid = [self.readouts[k] for k in ("sigma", "mu1", "mu2", "prior", "w", "b")]
            VGroup(*grid).arrange_in_grid(rows=2, cols=3, buff=(0.45, 0.2), cell_alignment=LEFT)
            column = VGroup(ratio, as_sigmoid, VGroup(slope, bias).arrange(RIGHT, buff=0.5))
            column.add(readouts)
        else:
            column = VGroup(ratio, as_sigmoid, slope, bias, inputs, outputs)
        column.arrange(DOWN, buff=0.32)
        as_sigmoid.align_to(ratio, LEFT).shift(RIGHT * 0.9)
        limit = self.usable_width if self.is_narrow else self.usable_width * 0.38
        self.fit(column, width=limit)
        return column

    def tracker_values(self) -> tuple[float, float, float, float]:
        """``(sigma, mu_1, mu_2, prior)`` as the trackers hold them now."""
        return (
            self.sigma.get_value(),
            self.mu1.get_value(),
            self.mu2.get_value(),
            self.prior.get_value(),
        )

    def refresh(self) -> None:
        """Reset every live mobject from the trackers.

        Does nothing when the trackers hold the values last drawn: the updater runs
        every frame, also while only a label changes colour.
        """
        state = self.tracker_values()
        if state == self._drawn_state:
            return
        self._drawn_state = state
        c = self.curves()
        for k, density in enumerate(self.densities):
            density.set_samples(c.x, c.weighted_density[k])
        self.posterior_curve.set_samples(c.x, c.posterior)
        self.markers.set_centers(
            coords_to_points(self.posterior_axes, self.marker_x, c.fitted_sigmoid(self.marker_x))
        )
        boundary = float(np.clip(c.boundary, -self.x_extent, self.x_extent))
        for line, axes in zip(
            self.boundary_lines, (self.density_axes, self.posterior_axes), strict=True
        ):
            start, end = coords_to_points(axes, np.full(2, boundary), np.array(axes.y_range[:2]))
            place_segment(line, start, end)
        values = dict(zip(("sigma", "mu1", "mu2", "prior"), state, strict=True))
        values |= {"w": c.slope, "b": c.bias}
        for key, value in values.items():
            self.readouts[key].set_value(value)

    def live(self) -> VGroup:
        """All live mobjects under one updater.

        The formulas and the readouts' labels never change, so they stay out of it:
        the renderer redraws a mobject with an updater (and everything added after
        it) on every frame, and paints the rest once per animation.
        """
        return VGroup(
            self.densities,
            self.posterior_curve,
            self.markers,
            self.boundary_lines,
            *(readout.number for readout in self.readouts.values()),
        )

    # -- beats ------------------------------------------------------------------ #

    def show_densities(self) -> None:
        self.play_for(1.2, FadeIn(self.title_mob), FadeIn(self.legend))
        self.play_for(1.5, Create(self.density_axes), FadeIn(self.density_panel[1:]))
        self.play_for(2.0, *(Create(d) for d in self.densities))
        self.pause(1.5)

    def show_posterior(self) -> None:
        self.play_for(1.5, Create(self.posterior_axes), FadeIn(self.posterior_panel[1:]))
        self.play_for(1.5, Write(self.ratio_tex))
        self.play_for(2.0, Create(self.posterior_curve))
        # The markers fade in one after another, then are drawn as one path.
        markers = self.markers.pieces()
        self.play_for(1.5, Write(self.sigmoid_tex), FadeIn(markers, lag_ratio=0.1))
        self.replace(markers, self.markers)
        self.play_for(
            1.5,
            Write(self.slope_tex),
            Write(self.bias_tex),
            FadeIn(self.inputs_group),
            FadeIn(self.outputs_group),
            Create(self.boundary_lines),
        )
        # From here on the dashed lines only slide sideways: draw each as one path of
        # dashes, one draw call instead of one per dash (the dashes never overlap).
        self.remove(self.boundary_lines)
        self.boundary_lines = VGroup(*(merged(line)[0] for line in self.boundary_lines))
        self.live_group = self.live()
        self.live_group.add_updater(lambda _m: self.refresh())
        self.add(self.live_group)
        self.pause(1.5)

    def highlight(self, key: str, role: str) -> None:
        """Colour readout ``key`` with the theme colour ``role`` over a short animation.

        The number takes the colour at once and only the label is animated, as the
        chapter has always shown it.
        """
        readout = self.readouts[key]
        readout.number.set_color(self.theme.color(role))
        self.play_for(0.6, readout.label.animate.set_color(self.theme.color(role)))

    def sweep_sigma(self) -> None:
        low, high = self.params.sigma_range
        self.highlight("w", "accent")
        self.play_for(2.5, self.sigma.animate.set_value(low))
        self.pause(0.5)
        self.play_for(3.5, self.sigma.animate.set_value(high))
        self.play_for(2.0, self.sigma.animate.set_value(self.params.sigma))
        self.highlight("w", "text")

    def move_means(self) -> None:
        """Means closer (flatter curve), then both shifted (the crossing follows).

        The beat ends with the means moved; :meth:`change_prior` brings them back.
        """
        m1, m2 = self.params.means
        mid, half = (m1 + m2) / 2, (m1 - m2) / 2
        shift = MEANS_SHIFT * self.x_extent
        self.play_for(
            2.5,
            self.mu1.animate.set_value(mid + MEANS_CLOSER * half),
            self.mu2.animate.set_value(mid - MEANS_CLOSER * half),
        )
        self.pause(0.5)
        self.play_for(
            2.5,
            self.mu1.animate.set_value(mid + shift + MEANS_CLOSER * half),
            self.mu2.animate.set_value(mid + shift - MEANS_CLOSER * half),
        )
        self.pause(1.0)

    def change_prior(self) -> None:
        m1, m2 = self.params.means
        prior = self.params.prior_class1
        self.play_for(2.0, self.mu1.animate.set_value(m1), self.mu2.animate.set_value(m2))
        self.highlight("b", "accent")
        self.play_for(2.5, self.prior.animate.set_value(prior))
        self.pause(1.0)
        self.play_for(3.0, self.prior.animate.set_value(1.0 - prior))
        self.play_for(2.0, self.prior.animate.set_value(prior))
        self.highlight("b", "text")

    def show_logits(self) -> None:
        """Swap the density panel for the two linear logits and the softmax formulas."""
        c = self.curves()
        self.live_group.clear_updaters()
        low = float(np.floor(c.logits.min()))
        high = float(np.ceil(c.logits.max()))
        high = max(high, low + 1.0)
        top = self.density_axes
        logit_axes = Axes(
            x_range=[-self.x_extent, self.x_extent, 1],
            y_range=[low, high, high - low],
            x_length=top.x_length,
            y_length=top.y_length,
            axis_config={"color": self.theme.color("muted"), "include_tip": False},
            y_axis_config={"include_ticks": False},
        )
        move_y_axis_left(logit_axes)
        logit_axes.scale(self.plot_scale).move_to(top)
        lines = VGroup()
        for k in range(2):
            line = SampledCurve(logit_axes, stroke_color=self.class_color(k), stroke_width=4)
            line.set_samples(c.x, c.logits[k])
            lines.add(line)
        small = self.theme.small_size
        axis_label = MathTex(r"z_k(x)", font_size=small)
        axis_label.move_to(self.density_axes_label, aligned_edge=LEFT)
        zero_label = MathTex("0", font_size=small * 0.9, color=self.theme.color("muted"))
        zero_label.next_to(logit_axes.c2p(-self.x_extent, 0), LEFT, buff=0.1)
        names = VGroup()
        for k in range(2):
            tag = MathTex(f"z_{k + 1}", font_size=small, color=self.class_color(k))
            tag.next_to(logit_axes.c2p(self.x_extent, c.logits[k][-1]), RIGHT, buff=0.1)
            names.add(tag)

        size = self.theme.label_size
        # Portrait: the long lines broken once more.
        wrap = r" \\ &" if self.is_portrait else ""
        softmax_tex = MathTex(
            r"P(1\mid x) "
            + ("&" if self.is_portrait else "")
            + r"= \frac{e^{z_1}}{e^{z_1} + e^{z_2}}"
            + wrap
            + r" = \operatorname{softmax}(z)_1",
            font_size=size,
        )
        logit_tex = MathTex(
            r"z_k(x) &= \log \pi_k\,\mathcal{N}(x;\mu_k,\sigma^2)"
            + wrap
            + r" + \frac{x^2}{2\sigma^2} + \tfrac12\log 2\pi\sigma^2 \\"
            r"&= \frac{\mu_k}{\sigma^2}\,x - \frac{\mu_k^2}{2\sigma^2} + \log\pi_k",
            font_size=size,
        )
        note = Tex(
            r"the shared $-x^2/2\sigma^2$ cancels: the logits are lines",
            font_size=small,
            color=self.theme.color("muted"),
        )
        old = VGroup(self.ratio_tex, self.sigmoid_tex, self.slope_tex, self.bias_tex)
        if self.is_narrow:  # the readouts make way too: the taller formulas need them
            old.add(self.inputs_group, self.outputs_group)
        new_formulas = VGroup(softmax_tex, logit_tex, note).arrange(DOWN, buff=0.35)
        self.fit(new_formulas, width=max(old.width, self.formula.width), height=old.height)
        new_formulas.move_to(old)

        self.play_for(
            2.0,
            ReplacementTransform(top, logit_axes),
            ReplacementTransform(self.density_axes_label, axis_label),
            FadeOut(self.density_panel[1]),
            FadeOut(self.boundary_lines[0]),
            *(ReplacementTransform(d, line) for d, line in zip(self.densities, lines, strict=True)),
        )
        self.play_for(1.0, FadeIn(zero_label), FadeIn(names))
        self.play_for(2.0, FadeOut(old, shift=UR * 0.1), FadeIn(softmax_tex))
        self.play_for(2.0, Write(logit_tex))
        self.play_for(1.0, FadeIn(note))
        self.pause(2.5)
