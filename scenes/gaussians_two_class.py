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
    TransformMatchingTex,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
)

from softmax_math import gaussian_log_density, gaussian_logits, sigmoid, softmax
from softmax_video.core.params import GaussiansTwoClassParams
from softmax_video.core.text import tick_step
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
        self.setup_stage()
        self.show_densities()
        self.show_posterior()
        self.sweep_sigma()
        self.move_means()
        self.change_prior()
        self.show_logits()
        self.takeaway()

    # -- state ----------------------------------------------------------------- #

    def setup_stage(self) -> None:
        """Trackers, plots and formulas, laid out for the frame; nothing drawn yet."""
        self.prepare_state()
        self.build_layout()

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

    def plot_sizes(self) -> tuple[float, float, float]:
        """Width of both plots and the heights of the density and posterior plots."""
        if self.is_portrait:  # one column: plots over the formulas
            return self.usable_width * 0.92, 0.85, 0.75
        if self.is_narrow:  # square: one column too, the formulas in two
            return self.usable_width * 0.8, 1.25, 1.05
        return self.usable_width * 0.52, 2.5, 2.1

    def build_layout(self) -> None:
        theme = self.theme
        plot_width, density_height, posterior_height = self.plot_sizes()
        y_top = self.density_peak() * DENSITY_HEADROOM
        step = tick_step(2 * self.x_extent, 12, smallest=1.0)
        axis_style = {"color": theme.color("muted"), "include_tip": False}
        self.density_axes = Axes(
            x_range=[-self.x_extent, self.x_extent, step],
            y_range=[0, y_top, y_top],
            x_length=plot_width,
            y_length=density_height,
            axis_config={**axis_style, "include_ticks": False},
            x_axis_config={"include_ticks": True},
        )
        self.posterior_axes = Axes(
            x_range=[-self.x_extent, self.x_extent, step],
            y_range=[0, 1, 0.5],
            x_length=plot_width,
            y_length=posterior_height,
            axis_config=axis_style,
        )
        for axes in (self.density_axes, self.posterior_axes):
            move_y_axis_left(axes)
        small, label = theme.small_size, theme.label_size
        # The x numbers under the lower plot (the upper one carries the means' names).
        numbers = VGroup()
        first = math.ceil(-self.x_extent / (2 * step)) * 2 * step
        for value in np.arange(first, self.x_extent + 1e-9, step * 2):
            number = MathTex(f"{value:g}", font_size=small, color=theme.color("muted"))
            numbers.add(number.next_to(self.posterior_axes.c2p(value, 0), DOWN, buff=0.12))
        self.x_numbers = numbers
        self.density_axes_label = MathTex(
            r"\pi_k\,\mathcal{N}_k,\quad \mathcal{N}_k = \mathcal{N}(x;\mu_k,\sigma^2)",
            font_size=label,
        )
        self.posterior_axes_label = MathTex(r"P(1\mid x)", font_size=label)
        half_tick = MathTex(r"\tfrac12", font_size=small, color=theme.color("muted"))
        one_tick = MathTex("1", font_size=small, color=theme.color("muted"))
        half_tick.next_to(self.posterior_axes.c2p(-self.x_extent, 0.5), LEFT, buff=0.1)
        one_tick.next_to(self.posterior_axes.c2p(-self.x_extent, 1.0), LEFT, buff=0.1)
        self.posterior_ticks = VGroup(half_tick, one_tick)
        x_label = MathTex("x", font_size=label)
        x_label.next_to(self.posterior_axes.x_axis.get_right(), UP, buff=0.12)
        x_label_top = x_label.copy().next_to(self.density_axes.x_axis.get_right(), UP, buff=0.12)
        for axes, axis_label in (
            (self.density_axes, self.density_axes_label),
            (self.posterior_axes, self.posterior_axes_label),
        ):
            axis_label.next_to(axes.left_axis.get_top(), UP, buff=0.1).align_to(axes, LEFT)
        # The means named under the upper plot's axis, in their class colours (they move).
        self.mean_labels = VGroup(
            *(
                MathTex(rf"\mu_{k + 1}", font_size=label, color=self.class_color(k))
                for k in range(2)
            )
        )
        self.density_panel = VGroup(self.density_axes, x_label_top, self.density_axes_label)
        self.posterior_panel = VGroup(
            self.posterior_axes, self.posterior_ticks, x_label, numbers, self.posterior_axes_label
        )
        # The two plots share their x axis: the same x range at the same screen x.
        self.posterior_panel.next_to(self.density_panel, DOWN, buff=0.55)
        self.posterior_panel.shift(
            (self.density_axes.c2p(0, 0)[0] - self.posterior_axes.c2p(0, 0)[0]) * RIGHT
        )
        plots = VGroup(self.density_panel, self.posterior_panel, self.mean_labels)
        self.place_mean_labels()

        # Legend: class names in class colours, with their index (identity not by colour).
        legend = ClassLegend(
            [f"class {k + 1}: {self.class_name(k)}" for k in range(2)],
            [self.class_color(k) for k in range(2)],
            font_size=label,
        )
        self.legend = legend

        self.formula = self.build_formulas()
        # A title as wide as the usable width inks a pixel past the safe area: a little less.
        title = self.to_top(self.fit(self.title(), width=0.94 * self.usable_width))
        self.title_mob = title
        room = self.usable_height - title.height - 0.3
        plots_width = plots.width
        left = VGroup(legend, plots).arrange(DOWN, buff=0.3)
        if self.is_narrow:
            column = VGroup(left, self.formula).arrange(DOWN, buff=0.4)
            self.fit(column, height=room)
            column.next_to(title, DOWN, buff=0.3)
        else:
            row = VGroup(left, self.formula).arrange(RIGHT, buff=0.6, aligned_edge=UP)
            self.fit(row, width=self.usable_width, height=room)
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
            self.posterior_axes, stroke_color=theme.color("probability"), stroke_width=4
        )
        self.markers = MarkerSet(self.marker(self.plot_scale), np.zeros((len(self.marker_x), 3)))
        # Where the two classes tie: the accent colour.
        self.boundary_lines = VGroup(
            DashedLine(UP, DOWN, color=theme.color("accent"), stroke_width=2.5),
            DashedLine(UP, DOWN, color=theme.color("accent"), stroke_width=2.5),
        )
        self.refresh()

    def place_mean_labels(self) -> None:
        """Each mean's name under the upper plot's axis, at the mean."""
        axes = self.density_axes
        for label, tracker in zip(self.mean_labels, (self.mu1, self.mu2), strict=True):
            point = coords_to_points(axes, np.array([tracker.get_value()]), np.zeros(1))[0]
            label.move_to(point + DOWN * (0.12 + label.height / 2))

    def place_readout_numbers(self) -> None:
        """Each readout's number a fixed gap after its label (whatever the fit scale),
        with its digits on the label's baseline."""
        for readout in self.readouts.values():
            readout.place_number(buff=READOUT_GAP)

    def marker(self, scale: float = 1.0) -> Circle:
        """One open circle marking a value of sigmoid(w x + b)."""
        return Circle(
            radius=0.075 * scale,
            stroke_color=self.theme.color("probability"),
            stroke_width=3 * max(scale, 0.6),
            fill_color=self.theme.color("background"),
            fill_opacity=1,
        )

    def build_formulas(self) -> VGroup:
        """The formula column: the posterior as a ratio and as a sigmoid, ``w`` and ``b``
        with their live values, and the live parameters."""
        body, size = self.theme.body_size, self.theme.label_size
        probability = self.theme.color("probability")
        ratio = MathTex(
            r"P(1\mid x)",
            "=",
            r"{\pi_1\,\mathcal{N}_1 \over \pi_1\,\mathcal{N}_1 + \pi_2\,\mathcal{N}_2}",
            font_size=body,
        )
        sigmoid_text = r"\operatorname{sigmoid}(w\,x + b)"
        if self.is_narrow:  # the sigmoid takes the ratio's place (one slot)
            as_sigmoid = MathTex(r"P(1\mid x)", "=", sigmoid_text, font_size=body)
        else:
            as_sigmoid = MathTex("=", sigmoid_text, font_size=body)
        as_sigmoid[-1][:7].set_color(probability)
        glyph = self.marker()
        self.sigmoid_glyph = glyph

        # Portrait: w and b as large as the sigmoid line (the column is that wide anyway).
        formula_size = body if self.is_portrait else size

        def readout(label: str, value: float, signed: bool, font_size: float = size) -> Readout:
            # Always two decimals; a sign on quantities that can be negative, so the
            # digits do not jump sideways when it flips.
            return Readout(
                label, value=value, font_size=font_size, adaptive=False, include_sign=signed
            )

        self.readouts = {
            "w": readout(
                r"w = \frac{\mu_1 - \mu_2}{\sigma^2} =", 0.0, signed=True, font_size=formula_size
            ),
            "b": readout(
                r"b = \frac{\mu_2^2 - \mu_1^2}{2\sigma^2} + \log\frac{\pi_1}{\pi_2} =",
                0.0,
                signed=True,
                font_size=formula_size,
            ),
            "sigma": readout(r"\sigma =", self.sigma.get_value(), signed=False),
            "prior": readout(r"\pi_1 =", self.prior.get_value(), signed=False),
            "mu1": readout(r"\mu_1 =", self.mu1.get_value(), signed=True),
            "mu2": readout(r"\mu_2 =", self.mu2.get_value(), signed=True),
        }
        self.readouts["mu1"].label.set_color(self.class_color(0))
        self.readouts["mu2"].number.set_color(self.class_color(1))
        self.readouts["mu1"].number.set_color(self.class_color(0))
        self.readouts["mu2"].label.set_color(self.class_color(1))
        if self.is_portrait:  # the means are named on the axis; no room for their numbers
            inputs = VGroup(self.readouts["sigma"], self.readouts["prior"])
            inputs.arrange(RIGHT, buff=0.6)
        else:
            inputs = VGroup(*(self.readouts[k] for k in ("sigma", "prior", "mu1", "mu2")))
            inputs.arrange_in_grid(rows=2, cols=2, buff=(0.6, 0.25), cell_alignment=LEFT)
        self.ratio_tex, self.sigmoid_tex = ratio, as_sigmoid
        self.inputs_group = inputs
        slope, bias = self.readouts["w"], self.readouts["b"]
        if self.is_portrait:
            column = VGroup(ratio, slope, bias, inputs).arrange(DOWN, buff=0.22)
            for part in (slope, bias, inputs):
                part.align_to(column, LEFT)
            as_sigmoid.move_to(ratio).align_to(column, LEFT)
            ratio.align_to(column, LEFT)
        elif self.is_narrow:  # square: the sigmoid, then w | b, then the parameters
            inputs.arrange(RIGHT, buff=0.5)
            column = VGroup(ratio, VGroup(slope, bias).arrange(RIGHT, buff=0.6), inputs).arrange(
                DOWN, buff=0.35
            )
            as_sigmoid.move_to(ratio)
        else:
            column = VGroup(ratio, as_sigmoid, slope, bias, inputs).arrange(
                DOWN, buff=0.45, aligned_edge=LEFT
            )
            # "= sigmoid(...)" under the ratio's "=".
            as_sigmoid.shift((ratio[1].get_x() - as_sigmoid[0].get_x()) * RIGHT)
        glyph.next_to(as_sigmoid, RIGHT, buff=0.2)
        plot_width = self.plot_sizes()[0]
        limit = self.usable_width - 0.3 if self.is_narrow else self.usable_width - plot_width - 0.7
        formula = VGroup(column, glyph)
        if self.is_narrow:  # moves and scales with the column, drawn in the ratio's place
            formula.add(as_sigmoid)
        self.fit(formula, width=limit)
        return formula

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
        self.place_mean_labels()
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
            self.mean_labels,
            *(readout.number for readout in self.shown_readouts()),
        )

    def shown_readouts(self) -> list[Readout]:
        """The readouts this frame shape shows (portrait: no numbers for the means)."""
        return [self.readouts[k] for k in ("w", "b")] + list(self.inputs_group)

    def mark_readout(self, key: str, role: str) -> None:
        """Colour readout ``key`` with the theme colour ``role`` (the number at once, the
        label over a short animation)."""
        readout = self.readouts[key]
        color = self.theme.color(role)
        readout.number.set_color(color)
        self.play_for(0.6, readout.label.animate.set_color(color))

    # -- beats ------------------------------------------------------------------ #

    def show_densities(self) -> None:
        with self.beat(
            "two-bells",
            "Picture two classes whose inputs x follow bell curves of the same width, "
            "each bell scaled by how common its class is.",
        ):
            self.play_for(1.2, FadeIn(self.title_mob), FadeIn(self.legend))
            self.play_for(1.5, Create(self.density_axes), FadeIn(self.density_panel[1:]))
            self.play_for(2.0, *(Create(d) for d in self.densities), FadeIn(self.mean_labels))
            self.pause(1.5)

    def show_posterior(self) -> None:
        with self.beat(
            "posterior-is-sigmoid",
            "Dividing the first weighted bell by the sum of both gives the chance of the "
            "first class at every x, and that curve is <mark:sigmoid>exactly a sigmoid of "
            "a straight line.",
        ):
            self.play_for(1.5, Create(self.posterior_axes), FadeIn(self.posterior_panel[1:]))
            self.play_for(1.5, Write(self.ratio_tex))
            self.play_for(2.0, Create(self.posterior_curve))
            self.at_mark("sigmoid")
            # The markers fade in one after another, then are drawn as one path.
            markers = self.markers.pieces()
            if self.is_narrow:  # the sigmoid form takes the ratio's place
                formula = TransformMatchingTex(self.ratio_tex, self.sigmoid_tex)
            else:
                formula = Write(self.sigmoid_tex)
            self.play_for(1.5, formula, FadeIn(self.sigmoid_glyph), FadeIn(markers, lag_ratio=0.1))
            self.replace(markers, self.markers)
            self.highlight(self.sigmoid_tex, self.sigmoid_glyph)
            self.play_for(
                1.5,
                FadeIn(self.readouts["w"]),
                FadeIn(self.readouts["b"]),
                FadeIn(self.inputs_group),
                Create(self.boundary_lines),
            )
            # From here on the dashed lines only slide sideways: draw each as one path
            # of dashes, one draw call instead of one per dash (the dashes never overlap).
            self.remove(self.boundary_lines)
            self.boundary_lines = VGroup(*(merged(line)[0] for line in self.boundary_lines))
            self.live_group = self.live()
            self.live_group.add_updater(lambda _m: self.refresh())
            self.add(self.live_group)
            self.pause(1.0)

    def sweep_sigma(self) -> None:
        with self.beat(
            "sigma",
            "Narrow bells overlap less, so the sigmoid gets steeper: its slope w "
            "<mark:slope>grows like one over sigma squared.",
        ):
            low, high = self.params.sigma_range
            self.mark_readout("w", "highlight")
            self.play_for(2.5, self.sigma.animate.set_value(low))
            self.at_mark("slope")
            self.highlight(self.readouts["w"])
            self.play_for(3.0, self.sigma.animate.set_value(high))
            self.play_for(2.0, self.sigma.animate.set_value(self.params.sigma))
            self.mark_readout("w", "text")

    def move_means(self) -> None:
        """Means closer (flatter curve), then both shifted (the crossing follows).

        The beat ends with the means moved; :meth:`change_prior` brings them back.
        """
        with self.beat(
            "means",
            "Bringing the means together flattens the curve, and moving both together "
            "<mark:crossing>carries the crossing point along with their midpoint.",
        ):
            m1, m2 = self.params.means
            mid, half = (m1 + m2) / 2, (m1 - m2) / 2
            shift = MEANS_SHIFT * self.x_extent
            self.play_for(
                2.5,
                self.mu1.animate.set_value(mid + MEANS_CLOSER * half),
                self.mu2.animate.set_value(mid - MEANS_CLOSER * half),
            )
            self.at_mark("crossing")
            self.play_for(
                2.5,
                self.mu1.animate.set_value(mid + shift + MEANS_CLOSER * half),
                self.mu2.animate.set_value(mid + shift - MEANS_CLOSER * half),
            )
            self.highlight(self.boundary_lines[1])
            self.pause(0.5)

    def change_prior(self) -> None:
        with self.beat(
            "prior",
            "A larger prior for the first class slides the curve sideways without "
            "changing its slope: <mark:bias>the log prior ratio is added to the bias.",
        ):
            m1, m2 = self.params.means
            prior = self.params.prior_class1
            self.play_for(2.0, self.mu1.animate.set_value(m1), self.mu2.animate.set_value(m2))
            self.mark_readout("b", "highlight")
            self.play_for(2.5, self.prior.animate.set_value(prior))
            self.at_mark("bias")
            self.highlight(self.readouts["b"])
            self.play_for(2.5, self.prior.animate.set_value(1.0 - prior))
            self.play_for(2.0, self.prior.animate.set_value(prior))
            self.mark_readout("b", "text")

    def show_logits(self) -> None:
        """Swap the density panel for the two linear logits and the softmax formulas."""
        with self.beat(
            "softmax-of-logits",
            "Taking logs, both bells share a quadratic term that <mark:cancels>cancels, "
            "leaving two straight logits; their softmax, the two-class surface from "
            "earlier, is exactly the posterior.",
        ):
            self.swap_in_logits()

    def swap_in_logits(self) -> None:
        c = self.curves()
        self.live_group.clear_updaters()
        # The numbers leave with their readouts from here on.
        self.live_group.remove(*(readout.number for readout in self.shown_readouts()))
        low = float(np.floor(c.logits.min()))
        high = float(np.ceil(c.logits.max()))
        high = max(high, low + 1.0)
        top = self.density_axes
        logit_axes = Axes(
            x_range=[-self.x_extent, self.x_extent, top.x_range[2]],
            y_range=[low, high, high - low],
            x_length=top.x_length,
            y_length=top.y_length,
            axis_config={"color": self.theme.color("muted"), "include_tip": False},
            y_axis_config={"include_ticks": False},
        )
        move_y_axis_left(logit_axes)
        logit_axes.scale(self.plot_scale)
        # The same x axis as the plot it replaces, at the same place on screen.
        logit_axes.shift(top.c2p(-self.x_extent, 0) - logit_axes.c2p(-self.x_extent, low))
        logit_axes.shift(top.x_axis.get_y() * UP - logit_axes.left_axis.get_bottom()[1] * UP)
        logit_axes.shift((top.c2p(0, 0)[0] - logit_axes.c2p(0, low)[0]) * RIGHT)
        self.logit_axes = logit_axes
        lines = VGroup()
        for k in range(2):
            line = SampledCurve(logit_axes, stroke_color=self.class_color(k), stroke_width=4)
            line.set_samples(c.x, c.logits[k])
            lines.add(line)
        self.logit_lines = lines
        label = self.theme.label_size
        axis_label = MathTex(r"z_k(x)", font_size=label)
        axis_label.move_to(self.density_axes_label, aligned_edge=LEFT)
        zero_label = MathTex("0", font_size=self.theme.small_size, color=self.theme.color("muted"))
        zero_label.next_to(logit_axes.c2p(-self.x_extent, 0), LEFT, buff=0.1)
        zero_line = DashedLine(
            logit_axes.c2p(-self.x_extent, 0),
            logit_axes.c2p(self.x_extent, 0),
            color=self.theme.color("muted"),
            stroke_width=1.5,
        )
        for mob in (axis_label, zero_label):
            mob.scale(self.plot_scale)
        axis_label.move_to(self.density_axes_label, aligned_edge=LEFT)
        zero_label.next_to(logit_axes.c2p(-self.x_extent, 0), LEFT, buff=0.1)
        names = VGroup()
        for k in range(2):
            tag = MathTex(f"z_{k + 1}", font_size=label, color=self.class_color(k))
            tag.scale(self.plot_scale)
            tag.next_to(logit_axes.c2p(self.x_extent, c.logits[k][-1]), RIGHT, buff=0.1)
            names.add(tag)

        body = self.theme.body_size
        portrait = self.is_portrait
        softmax_tex = MathTex(
            r"P(1\mid x) " + ("&" if portrait else "")
            + r"= \frac{e^{z_1}}{e^{z_1} + e^{z_2}}" + (r" \\ &" if portrait else "")
            + r" = \operatorname{softmax}(z)_1",
            font_size=body,
        )  # fmt: skip
        shared_a = r"-\frac{x^2}{2\sigma^2}"
        shared_b = r"- \tfrac12\log 2\pi\sigma^2"
        linear = (
            r"+ \underbrace{\frac{\mu_k}{\sigma^2}\,x - \frac{\mu_k^2}{2\sigma^2} + \log\pi_k}"
            r"_{z_k(x)}"
        )
        logit_tex = MathTex(
            r"\log \pi_k\,\mathcal{N}_k = {}&", shared_a, shared_b, r"\\ &" + linear,
            font_size=body,
        )  # fmt: skip
        shared = VGroup(logit_tex[1], logit_tex[2])
        note = Tex(
            r"the grey terms are the same for both classes,\\ so they cancel in the ratio",
            font_size=label,
        )
        # What the formula column shows now (in portrait the ratio became the sigmoid).
        old = VGroup(*(m for m in self.formula.get_family() if m in self.mobjects))
        narrow = self.is_narrow
        if narrow and not portrait:  # square: the logits beside the softmax
            right = VGroup(softmax_tex, note).arrange(DOWN, buff=0.35)
            new_formulas = VGroup(logit_tex, right).arrange(RIGHT, buff=0.5)
        else:
            new_formulas = VGroup(logit_tex, softmax_tex, note).arrange(DOWN, buff=0.45)
        if not narrow:
            for part in new_formulas:
                part.align_to(new_formulas, LEFT)
        box = self.formula
        right_edge = self.frame_width / 2 - self.margin_x
        self.fit(
            new_formulas, width=self.usable_width if narrow else right_edge - box.get_left()[0]
        )
        self.fit(new_formulas, height=box.get_top()[1] - self.layout_bottom)
        new_formulas.move_to(box, aligned_edge=UP)
        if not narrow:
            new_formulas.align_to(box, LEFT)
        self.fit(new_formulas)  # never past the frame

        self.play_for(
            2.0,
            ReplacementTransform(top, logit_axes),
            ReplacementTransform(self.density_axes_label, axis_label),
            FadeOut(self.boundary_lines[0]),
            FadeOut(self.mean_labels),
            *(ReplacementTransform(d, line) for d, line in zip(self.densities, lines, strict=True)),
        )
        self.play_for(1.0, FadeIn(zero_label), FadeIn(names), Create(zero_line))
        self.play_for(1.5, FadeOut(old, shift=UR * 0.1), Write(logit_tex))
        self.at_mark("cancels")
        self.highlight(shared)
        self.play_for(1.0, shared.animate.set_color(self.theme.color("muted")), FadeIn(note))
        self.play_for(2.0, Write(softmax_tex))
        self.pause(1.5)

    def takeaway(self) -> None:
        with self.beat(
            "takeaway",
            "So with equal-width Gaussian classes, the logits are straight lines in x, "
            "and the posterior is their softmax.",
        ):
            brk = r"\\ " if self.is_narrow else " "
            self.close_with(
                r"Equal-width Gaussian classes:" + brk + r"the logits $z_k(x)$ are lines in $x$,"
                r"\\ and $P(1\mid x)$ is their softmax," + brk + r"a sigmoid of $w\,x+b$.",
                keep=[self.posterior_panel, self.posterior_curve, self.markers],
            )
