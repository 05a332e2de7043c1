"""Where a closing card goes: ``LectureSceneMixin.place_clear_of`` (no rendering)."""

from __future__ import annotations

import numpy as np
import pytest
from manim import DOWN, LEFT, RIGHT, UP, Dot, Line, MathTex, VGroup

from softmax_video.kit.lecture_scene import LectureScene

TEXT = "A takeaway long enough to make a wide card, with a second line of words to say"


class _Probe(LectureScene):
    chapter_name = "SoftmaxBars"


@pytest.fixture(scope="module")
def scene() -> _Probe:
    probe = _Probe()
    probe.setup()
    probe.title_mob = probe.title()
    return probe


def hidden_share(scene: _Probe, card, mobject) -> float:
    outline = scene._screen_outline(mobject)
    low, high = card.get_corner(DOWN + LEFT)[:2], card.get_corner(UP + RIGHT)[:2]
    return float(np.mean(np.all((outline >= low) & (outline <= high), axis=1)))


def test_card_goes_where_it_hides_nothing_of_a_diagonal_and_stays_under_the_title(scene):
    diagonal = Line(5 * LEFT + 2.5 * DOWN, 1 * LEFT + 2.5 * UP)
    card = scene.takeaway_card(TEXT)
    centred = card.get_center().copy()
    assert hidden_share(scene, card, diagonal) > 0.2  # centred, it would hide the line
    scene.place_clear_of(card, [diagonal])
    assert hidden_share(scene, card, diagonal) == 0.0
    assert not np.allclose(card.get_center(), centred)
    assert card.get_top()[1] <= scene.title_mob.get_bottom()[1]
    assert card.get_bottom()[1] >= scene.layout_bottom - 1e-9


def test_a_line_is_judged_along_its_length_not_by_its_ends(scene):
    outline = scene._screen_outline(Line(LEFT, RIGHT))
    # Eight points per curve along the whole segment, the middle included.
    assert len(outline) >= 8
    assert np.min(np.abs(outline[:, 0])) < 0.2


def test_card_that_hides_nothing_stays_centred_under_the_title(scene):
    card = scene.takeaway_card(TEXT)
    width = card.width
    corner = Dot(np.array([scene.frame_width / 2 - 0.1, -scene.frame_height / 2 + 0.1, 0]))
    scene.place_clear_of(card, [corner])
    middle = (scene.title_mob.get_bottom()[1] - 0.2 + scene.layout_bottom) / 2
    assert np.allclose(card.get_center(), [0.0, middle, 0.0])
    assert card.width == pytest.approx(width)


def test_card_shrinks_where_every_place_hides_much(scene):
    # Dots over the whole frame but a strip along its bottom a little lower than the
    # card: at full size (or 85%) every place hides some; at 70% the strip holds it.
    card = scene.takeaway_card(TEXT)
    width, height = card.width, card.height
    strip_top = scene.layout_bottom + 0.75 * height
    dots = [
        Dot(np.array([x, y, 0.0]), radius=0.02)
        for x in np.arange(-scene.frame_width / 2, scene.frame_width / 2, 0.4)
        for y in np.arange(strip_top + 0.01, scene.frame_height / 2, 0.4)
    ]
    scene.place_clear_of(card, dots)
    assert card.width == pytest.approx(0.7 * width)
    assert card.get_top()[1] < strip_top
    assert sum(hidden_share(scene, card, dot) for dot in dots) == 0.0


def test_a_curve_counts_by_its_length_not_by_its_number(scene):
    # A 6-unit line and a small formula of many short curves: the formula's share of
    # the outline is its share of the drawn length, not of the curves.
    line = Line(3 * LEFT + 2 * DOWN, 3 * RIGHT + 2 * DOWN)
    formula = MathTex(r"\sum_j e^{z_j}").move_to(2 * UP)
    outline = scene._screen_outline(VGroup(line, formula))
    on_line = np.mean(np.abs(outline[:, 1] + 2) < 1e-6)
    formula_length = sum(
        float(np.linalg.norm(np.diff(scene._screen_outline(part), axis=0), axis=1).sum())
        for part in formula.family_members_with_points()
    )
    assert len(formula.family_members_with_points()[0].points) // 4 >= 2
    assert on_line == pytest.approx(6.0 / (6.0 + formula_length), abs=0.1)
    # Points along the line are about evenly spaced, one per 1/400 of the frame width.
    xs = np.sort(outline[np.abs(outline[:, 1] + 2) < 1e-6][:, 0])
    assert np.allclose(np.diff(xs), scene.frame_width / 400, rtol=0.2)
