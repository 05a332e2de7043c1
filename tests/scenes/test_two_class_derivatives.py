"""TwoClassDerivatives: its last frame against control data, and every number it shows.

Graphical regression with manim's ``frames_comparison`` (854x480, dry run), control data
in ``control_data/two_class_derivatives/``; regenerate with ``--set_test``. Numeric
checks: the slopes of p_1 (closed form and finite differences), the losses and their
straight-line asymptote, the chain-rule working, and the drawn arrows against
:func:`softmax_math.nll_gradient`.
"""

from __future__ import annotations

import numpy as np
import pytest
from arrow_geometry import check_arrow
from manim import Scene
from manim.utils.testing.frames_comparison import frames_comparison
from scipy.special import expit, log_expit

from scenes.two_class_derivatives import TwoClassDerivatives, gradient_arrows, loss_profile
from softmax_math import nll_gradient, softmax, softmax_jacobian
from softmax_video.kit.plane_geometry import PlaneMap, floor_arrows
from softmax_video.kit.theme import build_theme

__module_test__ = "two_class_derivatives"

THEME = build_theme("dark")
RNG = np.random.default_rng(7)
POINTS = RNG.uniform(-4, 4, size=(25, 2))


@frames_comparison(base_scene=TwoClassDerivatives)
def test_two_class_derivatives(scene: Scene) -> None:
    TwoClassDerivatives.construct(scene)


@pytest.mark.parametrize("target", [0, 1])
def test_two_class_gradient_arrow_matches_nll_gradient(target: int) -> None:
    positions, gradient, spacing = gradient_arrows(4.0, 9, target)
    plane = PlaneMap.scaled(0.75, 0.5)
    field = floor_arrows(THEME, plane, positions, (gradient[0], gradient[1]), spacing)
    flat = positions.reshape(-1, 2)
    for index in (0, 13, 40):  # a corner, an off-diagonal point, the centre
        expected = nll_gradient(flat[index], target)
        if np.linalg.norm(expected) <= 1e-3:
            continue
        check_arrow(field, index, expected, plane)
    # Every arrow lies along (1, -1), and shrinks where the target is likely.
    vectors = field.vectors
    assert np.allclose(vectors[:, 0], -vectors[:, 1])
    p_target = softmax(flat)[:, target]
    assert np.allclose(np.linalg.norm(vectors, axis=1), np.sqrt(2) * (1 - p_target))


def test_slopes_of_p1_are_p1_p2_and_its_negative() -> None:
    """dp1/dz1 = p1 p2 = -dp1/dz2 (the formulas shown), against central differences."""
    jacobian = softmax_jacobian(POINTS)
    p = softmax(POINTS)
    assert np.allclose(jacobian[:, 0, 0], p[:, 0] * p[:, 1])
    assert np.allclose(jacobian[:, 0, 1], -p[:, 0] * p[:, 1])
    assert np.allclose(jacobian[:, 0, 0] + jacobian[:, 0, 1], 0.0)  # the "= 0" note
    h = 1e-6
    for k in range(2):
        step = np.eye(2)[k] * h
        numeric = (expit(np.diff(-(POINTS + step), axis=1)[:, 0]) - expit(
            np.diff(-(POINTS - step), axis=1)[:, 0]
        )) / (2 * h)  # fmt: skip
        assert np.allclose(jacobian[:, 0, k], numeric, atol=1e-8)
    # The ridge is 1/4 high on the tie line (the axis ticks at +-1/4).
    assert softmax_jacobian(np.zeros(2))[0, 0] == pytest.approx(0.25)
    assert np.all(np.abs(jacobian[:, 0, :]) <= 0.25)


@pytest.mark.parametrize("target", [0, 1])
def test_loss_profile_is_near_zero_then_nearly_linear(target: int) -> None:
    z1, z2, loss = loss_profile(4.0, target, 401)
    d = z1 - z2
    margin = d if target == 0 else -d  # z_t - z_o
    assert np.allclose(loss, -log_expit(margin), atol=1e-12)  # softplus(-margin)
    winning, losing = margin > 6, margin < -6
    assert np.all(loss[winning] < 0.0025)  # "L ~ 0" where the target wins
    assert np.all(np.abs(loss[losing] - np.abs(d[losing])) < 0.0025)  # "L ~ |z1 - z2|"
    assert loss[np.argmin(np.abs(d))] == pytest.approx(np.log(2))


@pytest.mark.parametrize("target", [0, 1])
def test_chain_rule_working(target: int) -> None:
    """dL/dz_t = -(1/p_t) dp_t/dz_t = -p_o and dL/dz_o = +p_o, so grad L = p - y
    = (1 - p_t)(e_o - e_t), against central differences of -log p_t."""
    other = 1 - target
    p = softmax(POINTS)
    jacobian = softmax_jacobian(POINTS)
    chain = -(1 / p[:, [target]]) * jacobian[:, target, :]
    assert np.allclose(chain[:, target], -p[:, other])
    assert np.allclose(chain[:, other], p[:, other])
    along = np.eye(2)[other] - np.eye(2)[target]
    assert np.allclose(chain, (1 - p[:, [target]]) * along)
    h = 1e-6
    for k in range(2):
        step = np.eye(2)[k] * h
        loss = lambda z: -np.log(softmax(z)[:, target])  # noqa: E731
        numeric = (loss(POINTS + step) - loss(POINTS - step)) / (2 * h)
        assert np.allclose(chain[:, k], numeric, atol=1e-7)
    for point, row in zip(POINTS, chain, strict=True):
        assert np.allclose(nll_gradient(point, target), row)
    # Descent is at right angles to the flat (1, 1) direction.
    assert np.allclose(chain @ np.ones(2), 0.0)
