"""SigmoidToSoftmax: graphical regression of the last frame, the derivation's algebra
and colours, and the plotted curves against independent references."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from manim.utils.testing.frames_comparison import frames_comparison
from scipy.special import expit
from scipy.special import softmax as scipy_softmax

from scenes.sigmoid_to_softmax import LEAVING, STEPS, TAIL, SigmoidToSoftmax, two_class_curves
from softmax_video.core.params import CONFIG_ENV_VAR
from videotools import dry_run_still, is_blank

__module_test__ = "sigmoid_to_softmax"


@frames_comparison(base_scene=SigmoidToSoftmax)
def test_sigmoid_to_softmax(scene):
    SigmoidToSoftmax.construct(scene)


render_still = functools.partial(dry_run_still, SigmoidToSoftmax)


@pytest.fixture(scope="module")
def still(tmp_path_factory):
    with pytest.MonkeyPatch.context() as monkeypatch:  # module scope: no function fixture
        monkeypatch.delenv(CONFIG_ENV_VAR, raising=False)
        yield render_still(tmp_path_factory.mktemp("s2s"), monkeypatch)


def test_softmax_curve_lies_on_the_shifted_sigmoid(still):
    scene, frame = still
    z2 = scene.params.fixed_logit
    coords = np.array([scene.axes.p2c(pt) for pt in scene.soft_curve.get_anchors()])
    reference = scipy_softmax(np.stack([coords[:, 0], np.full(len(coords), z2)], axis=1), axis=1)
    assert coords[:, 1] == pytest.approx(reference[:, 0], abs=1e-9)
    assert coords[:, 1] == pytest.approx(expit(coords[:, 0] - z2), abs=1e-9)
    soft, sig = two_class_curves(np.linspace(-30, 30, 61), z2)
    assert soft == pytest.approx(sig, abs=1e-15)
    assert not is_blank(frame)


def test_the_two_readouts_agree_with_scipy(still):
    scene, _ = still
    z1, z2 = scene.z1.get_value(), scene.params.fixed_logit
    expected = float(expit(z1 - z2))
    assert scene.soft_readout.number.get_value() == pytest.approx(expected, abs=1e-12)
    assert scene.sig_readout.number.get_value() == pytest.approx(expected, abs=1e-12)
    assert scene.soft_readout.number.text == scene.sig_readout.number.text
    assert scene.axes.p2c(scene.dot.get_center())[1] == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("z1, z2", [(0.3, -1.2), (-4.0, 2.5), (7.0, 7.0), (-20.0, 15.0)])
def test_every_step_of_the_derivation_has_the_same_value(z1, z2):
    e1, e2 = np.exp(z1), np.exp(z2)
    steps = [
        e1 / (e1 + e2),
        (e1 / e1) / (e1 / e1 + e2 / e1),
        1 / (1 + e2 / e1),
        1 / (1 + np.exp(z2 - z1)),
        1 / (1 + np.exp(-(z1 - z2))),
    ]
    assert steps == pytest.approx([float(expit(z1 - z2))] * 5, rel=1e-12)
    # ... and the formulas drawn are these ones, in this order.
    drawn = ["".join(tex for tex, _ in step) for step in STEPS]
    assert drawn == [
        r"p_1=\frac{e^{z_1}}{e^{z_1}+e^{z_2}}",
        r"p_1=\frac{e^{z_1}/\,e^{z_1}}{e^{z_1}/\,e^{z_1}+e^{z_2}/\,e^{z_1}}",
        r"p_1=\frac{1}{1+e^{z_2}/\,e^{z_1}}",
        r"p_1=\frac{1}{1+e^{z_2-z_1}}",
        r"p_1=\frac{1}{1+e^{-(z_1-z_2)}}",
    ]
    assert "".join(tex for tex, _ in TAIL) == r"=\sigma(z_1-z_2)"


def test_no_logit_appears_from_nowhere_between_steps():
    # Every z piece of a step comes from the step before (a matched key), except the
    # divisors e^{z_1} brought in by "divide the top and the bottom".
    for k in range(1, len(STEPS)):
        before = {LEAVING[k - 1].get(key, key) for _, key in STEPS[k - 1]}
        new = {key for _, key in STEPS[k] if key[:2] in ("z1", "z2") and key not in before}
        assert new <= ({"z1.dn", "z1.da", "z1.db"} if k == 1 else set()), (k, new)


def test_logits_keep_their_class_colours_in_every_step(still):
    scene, _ = still
    c1, c2 = scene.class_color(0), scene.class_color(1)
    for formula in (*scene.steps, scene.tail, scene.result):
        for part in formula.submobjects:
            if part.tex_string.startswith("z1"):
                assert part.get_color() == c1, part.tex_string
            if part.tex_string.startswith("z2"):
                assert part.get_color() == c2, part.tex_string
    sigma = next(p for p in scene.result.submobjects if p.tex_string == "sig")
    assert sigma.get_color() == scene.theme.color("probability")
    assert [beat.name for beat in scene.beats] == list(scene.params.BEATS)


def test_any_class_name_renders(tmp_path, monkeypatch):
    toml = '[lecture]\nclass_names = ["spam_mail & R&D 50%", "$5 #1 {set}"]\n'
    scene, frame = render_still(tmp_path, monkeypatch, toml)
    assert "spam_mail & R&D 50%" in scene.beats[0].narration
    assert scene.logit_names.width <= scene.usable_width + 1e-6
    assert not is_blank(frame)
