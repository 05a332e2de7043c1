"""Chapter 5, SigmoidToSoftmax: the 2-class softmax is the sigmoid of the difference.

Two classes with logits z1 and z2 (named and coloured per class). p1 = e^{z1}/(e^{z1} +
e^{z2}) is rewritten one step at a time with matching-part morphs (every z1 and z2 keeps
its class colour through every step): divide top and bottom by e^{z1}, cancel, combine
the exponents, take out the minus sign and read off sigma(z1 - z2). The derivation
folds into p1 = sigma(z1 - z2); then p1 is plotted against z1 for a fixed z2, computed
with the softmax, the shifted sigmoid drawn over it: the two curves coincide, and two
readouts computed separately agree. A closing card states the takeaway.

Render: ``.venv/bin/manim -ql scenes/sigmoid_to_softmax.py SigmoidToSoftmax``
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    ORIGIN,
    RIGHT,
    UP,
    Create,
    DashedLine,
    DashedVMobject,
    Dot,
    FadeIn,
    FadeOut,
    Line,
    MathTex,
    Tex,
    Transform,
    TransformFromCopy,
    TransformMatchingTex,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    smooth,
)

from softmax_math import sigmoid, softmax
from softmax_video.kit.curves import curve_axes, keyed_tex
from softmax_video.kit.lecture_scene import LectureScene
from softmax_video.kit.widgets import Readout, format_number

__all__ = ["SigmoidToSoftmax", "minus_tex", "rekey", "two_class_curves"]

#: Points per plotted curve.
CURVE_SAMPLES = 241
#: Landscape plot size (scene units).
PLOT_SIZE = (7.6, 3.4)
#: Font size of the derivation while it has the frame to itself, over the body size.
DERIVATION_SIZE = 1.75
#: How much larger the text around the plot is drawn in 9:16 (it has height to spare).
PORTRAIT_TEXT = 1.35
#: Seconds a derivation step is held after its claim, before the next step.
HOLD = 1.0
#: Share of the usable width a derivation line may take (highlight boxes go around it).
HIGHLIGHT_ROOM = 0.92
#: Width (scene units) the 9:16 and 1:1 layouts are built at before being scaled down
#: (9:16: a portrait width, so the plot's text and ticks come out large).
NARROW_WIDTH = 7.8
PORTRAIT_WIDTH = 5.6
#: In 9:16, the derivation's size over its landscape size (at most; it has height).
PORTRAIT_DERIVATION = 1.0

#: The derivation, one formula per step: (tex, key) pieces. Pieces with the same key in
#: consecutive steps are the same thing and move; a key's prefix before "." picks its
#: colour (z1, z2: the classes; p1 and sig: the probability). "_" marks empty pieces.
# fmt: off
STEPS: tuple[tuple[tuple[str, str], ...], ...] = (
    (
        ("p_1", "p1"), ("=", "eq"), (r"\frac{", "_"),
        ("e^{", "e.n"), ("z_1", "z1.n"), ("}", "_"),
        ("}{", "bar"),
        ("e^{", "e.a"), ("z_1", "z1.a"), ("}", "_"),
        ("+", "plus"),
        ("e^{", "e.b"), ("z_2", "z2.b"), ("}}", "_"),
    ),
    (
        ("p_1", "p1"), ("=", "eq"), (r"\frac{", "_"),
        ("e^{", "e.n"), ("z_1", "z1.n"), ("}", "_"), (r"/\,e^{", "d.n"), ("z_1", "z1.dn"),
        ("}", "_"),
        ("}{", "bar"),
        ("e^{", "e.a"), ("z_1", "z1.a"), ("}", "_"), (r"/\,e^{", "d.a"), ("z_1", "z1.da"),
        ("}", "_"),
        ("+", "plus"),
        ("e^{", "e.b"), ("z_2", "z2.b"), ("}", "_"), (r"/\,e^{", "d.b"), ("z_1", "z1.db"),
        ("}}", "_"),
    ),
    (
        ("p_1", "p1"), ("=", "eq"), (r"\frac{", "_"),
        ("1", "one.n"),
        ("}{", "bar"),
        ("1", "one.a"),
        ("+", "plus"),
        ("e^{", "e.b"), ("z_2", "z2.b"), ("}", "_"), (r"/\,e^{", "d.b"), ("z_1", "z1.db"),
        ("}}", "_"),
    ),
    (
        ("p_1", "p1"), ("=", "eq"), (r"\frac{", "_"),
        ("1", "one.n"),
        ("}{", "bar"),
        ("1", "one.a"),
        ("+", "plus"),
        ("e^{", "e.b"), ("z_2", "z2.b"), ("-", "minus"), ("z_1", "z1.x"), ("}}", "_"),
    ),
    (
        ("p_1", "p1"), ("=", "eq"), (r"\frac{", "_"),
        ("1", "one.n"),
        ("}{", "bar"),
        ("1", "one.a"),
        ("+", "plus"),
        ("e^{", "e.b"), ("-(", "neg"), ("z_1", "z1.x"), ("-", "minus"), ("z_2", "z2.b"),
        (")}}", "_"),
    ),
)
#: The sigmoid the last step is, appended to it.
TAIL: tuple[tuple[str, str], ...] = (
    ("=", "eq2"), (r"\sigma(", "sig"), ("z_1", "z1.s"), ("-", "minus.s"), ("z_2", "z2.s"),
    (")", "sig.r"),
)
# fmt: on
#: What the derivation folds into.
RESULT: tuple[tuple[str, str], ...] = (("p_1", "p1"), ("=", "eq"), *TAIL[1:])
#: Keys a step's pieces take when they leave for the next step (several pieces with one
#: key merge into the next step's piece of that key).
LEAVING: tuple[dict[str, str], ...] = (
    {},
    {k: "one.n" for k in ("e.n", "z1.n", "d.n", "z1.dn")}
    | {k: "one.a" for k in ("e.a", "z1.a", "d.a", "z1.da")},
    {"d.b": "minus", "z1.db": "z1.x"},
    {},
)


def two_class_curves(z1: np.ndarray, z2: float) -> tuple[np.ndarray, np.ndarray]:
    """``(softmax([z1, z2])_1, sigmoid(z1 - z2))`` for every ``z1``; equal up to rounding.

    Examples
    --------
    >>> a, b = two_class_curves(np.linspace(-5, 7, 5), 1.0)
    >>> bool(np.allclose(a, b, rtol=0, atol=1e-15))
    True
    """
    z1 = np.asarray(z1, dtype=float)
    logits = np.stack([z1, np.full_like(z1, z2)], axis=-1)
    return softmax(logits)[:, 0], sigmoid(z1 - z2)


def minus_tex(symbol: str, value: float) -> str:
    """``symbol - value`` as LaTeX with the sign folded in.

    Examples
    --------
    >>> [minus_tex("z_1", v) for v in (1.0, -10.0, 0.0)]
    ['z_1 - 1', 'z_1 + 10', 'z_1']
    """
    if value == 0:
        return symbol
    sign = "-" if value > 0 else "+"
    return f"{symbol} {sign} {format_number(abs(value))}"


def rekey(formula: MathTex, keys: dict[str, str]) -> MathTex:
    """Give ``formula``'s parts the keys ``keys`` maps theirs to (the others keep theirs).

    Examples
    --------
    >>> from softmax_video.kit.curves import keyed_tex
    >>> f = rekey(keyed_tex([("a", "x"), ("b", "y")], font_size=20), {"x": "z"})
    >>> [part.tex_string for part in f.submobjects]
    ['z', 'y']
    """
    for part in formula.submobjects:
        part.tex_string = keys.get(part.tex_string, part.tex_string)
    return formula


def parts(formula: MathTex, *keys: str) -> VGroup:
    """The parts of ``formula`` whose keys are among ``keys``, in order."""
    return VGroup(*(p for p in formula.submobjects if p.tex_string in keys))


class SigmoidToSoftmax(LectureScene):
    """Derivation: 2-class softmax = sigmoid of the difference; then both curves coincide."""

    def construct(self) -> None:
        self.setup_stage()
        self.name_logits()
        self.divide()
        self.cancel()
        self.take_out_minus()
        self.plot_both()
        self.check_values()
        self.takeaway()

    # -- building ------------------------------------------------------------- #

    def setup_stage(self) -> None:
        """Build every piece, laid out for the frame's shape; nothing is drawn yet."""
        p, t = self.params, self.theme
        self.z2 = p.fixed_logit
        self.extent = p.z1_extent
        self.z1 = ValueTracker(self.z2 - 0.6 * self.extent)
        self.title_mob = self.title()
        c1, c2 = self.class_color(0), self.class_color(1)
        prob, muted = t.color("probability"), t.color("muted")
        self.colors = {"z1": c1, "z2": c2, "p1": c1, "sig": prob}

        # Which logit is whose: name and colour together.
        self.logit_names = VGroup(
            *(
                Tex(rf"$z_{k + 1}$", rf": logit of {self.class_tex(k)}", font_size=t.body_size)
                for k in range(2)
            )
        )
        for k, name in enumerate(self.logit_names):
            name.set_color(self.class_color(k))
        self.logit_names.arrange(RIGHT, buff=1.0)

        size = t.body_size * DERIVATION_SIZE
        self.steps = [keyed_tex(s, font_size=size, colors=self.colors) for s in STEPS]
        self.tail = keyed_tex(TAIL, font_size=size, colors=self.colors)
        self.result = keyed_tex(RESULT, font_size=t.body_size * 1.15, colors=self.colors)
        # The notes, split so that every z1 and z2 in them takes its class colour too.
        note_texts = [
            (r"divide the top and the bottom by $e^{", "z_1", "}$"),
            ("$e^{", "z_1", "} / e^{", "z_1", "} = 1$"),
            (r"$e^{a} / e^{b} = e^{a - b}$",),
            ("take out the minus sign: the sigmoid of $", "z_1", "-", "z_2", "$"),
        ]
        self.notes = []
        for pieces in note_texts:
            note = Tex(*pieces, font_size=t.body_size, color=muted)
            for piece, tex in zip(note.submobjects, pieces, strict=True):
                if tex in ("z_1", "z_2"):
                    piece.set_color(c1 if tex == "z_1" else c2)
            self.notes.append(note)

        self._build_plot()
        if self.is_narrow:
            self._layout_narrow()
        else:
            self._layout_side()

    def _build_graph(self, width: float, height: float) -> None:
        """The axes (``height`` tall), both curves and the tie line."""
        t = self.theme
        prob, accent = t.color("probability"), t.color("accent")
        lo, hi = self.z2 - self.extent, self.z2 + self.extent
        self.frame = curve_axes(
            (lo, hi),
            (0.0, 1.0),
            (0.0, 0.5, 1.0),
            width=width,
            height=height,
            x_name="z_1",
            y_name="p_1",
            y_name_color=self.class_color(0),
            color=t.color("muted"),
            font_size=t.small_size * 0.9,
            max_x_ticks=7 if self.is_portrait else 12,
        )
        self.axes = self.frame.axes
        z1 = np.linspace(lo, hi, CURVE_SAMPLES)
        p_soft, p_sig = two_class_curves(z1, self.z2)
        # The softmax as a wide translucent band, the sigmoid as a dashed line over it:
        # both are the probability, told apart by their stroke (and the legend).
        self.soft_curve = VMobject(stroke_color=prob, stroke_width=12, stroke_opacity=0.45)
        self.soft_curve.set_points_as_corners(self._pts(z1, p_soft))
        sig_line = VMobject(stroke_color=prob, stroke_width=3.5)
        sig_line.set_points_as_corners(self._pts(z1, p_sig))
        self.sig_curve = DashedVMobject(sig_line, num_dashes=48, dashed_ratio=0.55)
        # z1 = z2: the tie, where p1 = 1/2.
        tie = self.axes.c2p(self.z2, 1.0)
        self.tie_line = DashedLine(
            self.axes.c2p(self.z2, 0), tie, color=accent, stroke_width=2, dash_length=0.08
        )
        tie_label = MathTex(
            rf"z_1 = z_2 = {format_number(self.z2)}", font_size=t.small_size, color=accent
        )
        # Beside the top of the tie, on the side the curve leaves free there (a narrow
        # plot's curve is already near 1 just right of the tie).
        side = LEFT if self.is_portrait else RIGHT
        tie_label.next_to(tie, side, buff=0.12).shift(0.15 * DOWN)
        self.tie = VGroup(self.tie_line, tie_label)
        self.graph = VGroup(self.frame, self.tie, self.soft_curve, self.sig_curve)

    def _build_plot(self) -> None:
        """The graph at its landscape size, its legend and the readouts of the check."""
        t = self.theme
        prob = t.color("probability")
        self._build_graph(*PLOT_SIZE)
        size = t.label_size
        z2 = format_number(self.z2)
        self.curve_legend = VGroup(
            VGroup(
                Line(ORIGIN, 0.6 * RIGHT, color=prob, stroke_width=12, stroke_opacity=0.45),
                MathTex(rf"\mathrm{{softmax}}(z_1, {z2})_1", font_size=size),
            ).arrange(RIGHT, buff=0.15),
            VGroup(
                DashedLine(ORIGIN, 0.6 * RIGHT, color=prob, stroke_width=3.5, dash_length=0.1),
                MathTex(rf"\sigma({minus_tex('z_1', self.z2)})", font_size=size),
            ).arrange(RIGHT, buff=0.15),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)

        # The moving check: both values computed separately, shown one under the other.
        self.dot = Dot(radius=0.09, color=t.color("text"))
        self.z1_readout = Readout("z_1 =", self.z1.get_value, font_size=size)
        self.z1_readout.label[0][:2].set_color(self.class_color(0))
        self.soft_readout = Readout(
            r"\mathrm{softmax} =",
            lambda: float(two_class_curves(np.array([self.z1.get_value()]), self.z2)[0][0]),
            decimals=4,
            font_size=size,
        )
        self.sig_readout = Readout(
            r"\sigma =",
            lambda: float(sigmoid(self.z1.get_value() - self.z2)),
            decimals=4,
            font_size=size,
        )
        self.sig_readout.label[0][0].set_color(prob)
        self.readouts = VGroup(self.z1_readout, self.soft_readout, self.sig_readout).arrange(
            DOWN, aligned_edge=LEFT, buff=0.15
        )

        def place(dot: Dot) -> None:
            x = self.z1.get_value()
            p1 = float(two_class_curves(np.array([x]), self.z2)[0][0])
            dot.move_to(self.axes.c2p(x, p1))

        self.dot.add_updater(place)
        place(self.dot)

    def _pts(self, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        return np.array([self.axes.c2p(x, y) for x, y in zip(xs, ys, strict=True)])

    def _place_derivation(self, top: float, bottom: float, width: float) -> None:
        """The logit names under the title, the derivation large in the middle of the
        rest, every step with its "p_1 =" where the first has it, and its notes below.
        In 9:16 the steps are drawn larger, each centred (a step too wide for the frame
        is made smaller on its own), and the sigmoid goes on a line of its own."""
        self.logit_names.next_to([0, top, 0], DOWN, buff=0)
        self.fit(self.logit_names, width)
        room = HIGHLIGHT_ROOM * width
        middle = (self.logit_names.get_bottom()[1] + bottom) / 2 + 0.2
        if self.is_portrait:
            common = sorted(s.width for s in self.steps)[-2]  # all but the widest
            factor = min(PORTRAIT_DERIVATION, room / common)
            for step in (*self.steps, self.tail):
                step.scale(factor)
            for step in self.steps:
                before = step.height
                self.fit(step, room)
                step.move_to([0, middle, 0])
            self.tail.scale(self.steps[-1].height / before)  # as the last step
            self.final = self.steps[-1].copy()
            self.tail.next_to(self.final, DOWN, buff=0.35)
            self.tail.align_to(self.final[1], LEFT)
            block = VGroup(self.final, self.tail)
            shift = (middle - block.get_y()) * UP
            self.final.shift(shift)
            self.tail.shift(shift)
        else:
            widest = max(s.width for s in self.steps[:-1])
            line = VGroup(self.steps[-1].copy(), self.tail.copy()).arrange(RIGHT, buff=0.2)
            # Room at the sides for the highlight boxes drawn around pieces at the ends.
            factor = min(1.0, room / max(widest, line.width))
            for step in (*self.steps, self.tail):
                step.scale(factor)
            # Every "=" where the widest step's is when that step is centred.
            wide = max(self.steps[:-1], key=lambda s: s.width)
            anchor = np.array([wide[1].get_x() - wide.get_x(), middle, 0])
            for step in self.steps:
                step.shift(anchor - step[1].get_center())
            self.tail.next_to(self.steps[-1], RIGHT, buff=0.2)
            self.tail.shift((self.steps[-1][1].get_y() - self.tail[0].get_y()) * UP)
            # The last step with its tail, centred as one line.
            self.final = self.steps[-1].copy()
            shift = -VGroup(self.final, self.tail).get_center()[0] * RIGHT
            self.final.shift(shift)
            self.tail.shift(shift)
        lowest = min(s.get_bottom()[1] for s in (*self.steps, self.tail))
        for note in self.notes:
            self.fit(note, width)
            note.move_to([0, lowest - 0.45 - note.height / 2, 0])

    def _layout_side(self) -> None:
        """16:9 and 1:1: the plot with the legend and readouts beside it."""
        top = self.top_under_title(0.3)
        bottom = self.layout_bottom
        width = self.usable_width
        self._place_derivation(top, bottom, width)
        head = VGroup(self.result, self.logit_names.copy()).arrange(RIGHT, buff=1.0)
        if self.is_narrow:
            head.arrange(DOWN, buff=0.25)
        self.fit(head, width)
        head.next_to([0, top, 0], DOWN, buff=0)
        self.head_names = head[1]
        side = VGroup(self.curve_legend, self.readouts).arrange(DOWN, aligned_edge=LEFT, buff=0.5)
        body = VGroup(self.graph, side).arrange(RIGHT, buff=0.5)
        room = head.get_bottom()[1] - 0.35 - bottom
        self.fit(body, width, room)
        body.move_to([0, (head.get_bottom()[1] - 0.35 + bottom) / 2, 0])
        self.dot.update()

    def _layout_narrow(self) -> None:
        """9:16 and 1:1: the result and the logit names, the plot as tall as the frame
        allows, then legend and readouts (side by side in 1:1, one over the other in
        9:16); built at a width for the shape and scaled to the frame."""
        top = self.top_under_title(0.25)
        bottom = self.layout_bottom
        self._place_derivation(top, bottom, self.usable_width)
        width = PORTRAIT_WIDTH if self.is_portrait else NARROW_WIDTH
        scale = min(1.0, HIGHLIGHT_ROOM * self.usable_width / width)
        names = self.logit_names.copy()
        side = VGroup(self.curve_legend, self.readouts).arrange(RIGHT, aligned_edge=UP, buff=0.6)
        if self.is_portrait:  # height to spare: larger text
            side.arrange(DOWN, aligned_edge=LEFT, buff=0.3)
            for mobject in (self.result, side):
                mobject.scale(PORTRAIT_TEXT)
            self.fit(side, width)
        head = VGroup(self.result, names).arrange(DOWN, buff=0.3)
        self.fit(head, width)
        overhead = self.graph.height - self.axes.height
        room = (top - bottom) / scale - head.height - side.height - 2 * 0.5 - overhead
        self._build_graph(width - 0.4, float(np.clip(room, 2.0, 6.0)))
        body = VGroup(head, self.graph, side).arrange(DOWN, buff=0.5)
        body.scale(scale)
        self.fit(body, HIGHLIGHT_ROOM * self.usable_width, top - bottom)
        body.next_to([0, top, 0], DOWN, buff=0)
        self.head_names = names
        self.dot.update()

    # -- story ---------------------------------------------------------------- #

    def _morph(self, t: float, source: MathTex, target: MathTex, leaving: dict[str, str]) -> None:
        self.play_for(t, TransformMatchingTex(rekey(source, leaving), target))

    def _swap_note(self, old: Tex | None, new: Tex) -> None:
        animations = [FadeIn(new, shift=0.1 * UP)]
        if old is not None:
            animations.append(FadeOut(old, shift=0.1 * UP))
        self.play_for(0.8, *animations)

    def name_logits(self) -> None:
        s0 = self.steps[0]
        c1, c2 = self.class_name(0), self.class_name(1)
        with self.beat(
            "two-classes",
            f"Take two classes: <mark:z1> {c1}, with logit z one, <mark:z2> and {c2}, with "
            f"logit z two. <mark:share> The softmax gives {c1} the share e to the z one, "
            "<mark:den> over e to the z one plus e to the z two.",
        ):
            self.play_for(1.0, Write(self.title_mob))
            self.at_mark("z1")
            self.play_for(1.0, FadeIn(self.logit_names[0], shift=0.1 * DOWN))
            self.at_mark("z2")
            self.play_for(1.0, FadeIn(self.logit_names[1], shift=0.1 * DOWN))
            self.at_mark("share")
            self.play_for(0.8, Write(parts(s0, "p1", "eq")))
            self.play_for(1.0, Write(parts(s0, "e.n", "z1.n")))
            self.at_mark("den")
            self.play_for(0.6, Create(parts(s0, "bar")))
            self.play_for(1.0, Write(parts(s0, "e.a", "z1.a")))
            self.play_for(1.0, Write(parts(s0, "plus", "e.b", "z2.b")))
            self.add(s0)

    def divide(self) -> None:
        s0, s1 = self.steps[:2]
        with self.beat(
            "divide",
            "Divide the top and the bottom by e to the z one: <mark:same> a fraction "
            "divided above and below by the same number keeps its value.",
        ):
            self._swap_note(None, self.notes[0])
            self._morph(2.0, s0, s1, LEAVING[0])
            self.at_mark("same")
            self.highlight(parts(s1, "d.n", "z1.dn", "d.a", "z1.da", "d.b", "z1.db"))
            self.pause(HOLD)

    def cancel(self) -> None:
        s1, s2, s3 = self.steps[1:4]
        with self.beat(
            "combine",
            "Each e to the z one over itself is one, <mark:exp> and dividing two "
            "exponentials subtracts their exponents: <mark:diff> e to the z two minus z one.",
        ):
            self._swap_note(self.notes[0], self.notes[1])
            self._morph(1.8, s1, s2, LEAVING[1])
            self.at_mark("exp")
            self._swap_note(self.notes[1], self.notes[2])
            self._morph(1.8, s2, s3, LEAVING[2])
            self.at_mark("diff")
            self.highlight(parts(s3, "e.b", "z2.b", "minus", "z1.x"))
            self.pause(HOLD)

    def take_out_minus(self) -> None:
        s3, s4 = self.steps[3:5]
        with self.beat(
            "sigmoid",
            "Take out the minus sign, <mark:sigma> and this is exactly the sigmoid, "
            "<mark:diff> evaluated at the difference z one minus z two.",
        ):
            self._swap_note(self.notes[2], self.notes[3])
            self._morph(1.8, s3, s4, LEAVING[3])
            self.at_mark("sigma")
            self.play_for(1.0, s4.animate.move_to(self.final))
            exponent = parts(s4, "z1.x", "minus", "z2.b")
            self.play_for(
                1.5,
                FadeIn(parts(self.tail, "eq2", "sig", "sig.r")),
                TransformFromCopy(exponent, parts(self.tail, "z1.s", "minus.s", "z2.s")),
            )
            self.at_mark("diff")
            self.highlight(self.tail)
            self.pause(HOLD)

    def plot_both(self) -> None:
        s4, z2 = self.steps[4], format_number(self.z2)
        with self.beat(
            "plot",
            f"Hold z two at {z2} and plot p one against z one: <mark:soft> the softmax "
            "curve, <mark:sig> and the sigmoid shifted to where z one equals z two, "
            "<mark:same> lie exactly on top of each other.",
        ):
            # The derivation folds into its result in place, which then moves up
            # beside the names.
            folded = self.result.copy().scale(s4[0].height / self.result[0].height)
            folded.move_to([0, s4[1].get_y(), 0])
            folded.shift((s4[1].get_y() - folded[1].get_y()) * UP)
            self.play_for(
                1.2,
                TransformMatchingTex(VGroup(s4, self.tail), folded),
                FadeOut(self.notes[3]),
            )
            self.play_for(
                1.0,
                Transform(folded, self.result),
                Transform(self.logit_names, self.head_names),
            )
            self.remove(folded)
            self.add(self.result)
            self.play_for(1.2, Create(self.frame))
            self.at_mark("soft")
            self.play_for(2.0, Create(self.soft_curve), FadeIn(self.curve_legend[0]))
            self.at_mark("sig")
            self.play_for(2.0, Create(self.sig_curve), FadeIn(self.curve_legend[1]))
            self.play_for(0.8, FadeIn(self.tie))
            self.at_mark("same")
            self.highlight(self.soft_curve, self.sig_curve)

    def check_values(self) -> None:
        with self.beat(
            "check",
            "Computed separately at any z one, <mark:move> the two formulas give the same "
            "number, to every digit shown.",
        ):
            self.add(self.dot)
            self.play_for(0.8, FadeIn(self.dot), FadeIn(self.readouts))
            self.at_mark("move")
            self.play_for(
                4.0, self.z1.animate.set_value(self.z2 + 0.5 * self.extent), rate_func=smooth
            )
            self.highlight(self.soft_readout, self.sig_readout)

    def takeaway(self) -> None:
        with self.beat(
            "takeaway",
            "So the sigmoid is the softmax of two classes, and only the difference of "
            "the two logits matters.",
        ):
            self.close_with(
                r"With two classes the softmax is the sigmoid of the logit difference: "
                r"$p_1 = \sigma(z_1 - z_2)$.",
                keep=[self.result, self.logit_names],
            )
