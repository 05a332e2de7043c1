"""``poster_beat`` is checked against each chapter's beats before anything renders.

The schema lists each chapter's beats (``ChapterParams.BEATS`` and ``beat_names``);
these tests hold that list to the ``self.beat(...)`` calls in the chapter sources.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from test_cli import PROJECT_ROOT, assert_one_line_error, run_cli, run_main

from softmax_video.core.chapters import CHAPTERS
from softmax_video.core.params import CHAPTER_PARAMS, load_config


def _beat_calls(source: Path) -> list[ast.expr]:
    """The name argument of every ``self.beat(...)`` call, in source order."""
    tree = ast.parse(source.read_text(encoding="utf-8"))
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "beat"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "self"
    ]
    return [call.args[0] for call in sorted(calls, key=lambda c: (c.lineno, c.col_offset))]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.name for c in CHAPTERS])
def test_schema_lists_the_beats_the_scene_opens(chapter):
    names = _beat_calls(PROJECT_ROOT / chapter.source_file)
    formatted_at = [i for i, n in enumerate(names) if not isinstance(n, ast.Constant)]
    head = formatted_at[0] if formatted_at else len(names)
    tail = formatted_at[-1] + 1 if formatted_at else len(names)
    fixed = [n.value for n in names[:head]]
    formatted = [ast.unparse(names[i]) for i in formatted_at]
    closing = tuple(n.value for n in names[tail:])
    params = CHAPTER_PARAMS[chapter.name]
    assert list(params.BEATS) == fixed
    # Beats named from the configuration come after the fixed ones, together, then the
    # closing ones, which the schema lists last.
    assert formatted_at == list(range(head, tail))
    config = load_config()
    listed = config.chapter(chapter.name).beat_names(config.lecture)
    assert listed[len(listed) - len(closing) :] == closing
    expected_templates = {
        "LogitPaths": [
            "f'{run.name}-training'",
            "f'{run.name}-side-view'",
            "f'{run.name}-plane-view'",
        ],
        "ThreeClassGradients": ["f'switch-to-{beat_slug(name)}'"],
    }
    assert formatted == expected_templates.get(chapter.name, [])


def test_configured_beat_names():
    config = load_config(
        overrides=[
            "LogitPaths.optimizers=['adam']",
            "ThreeClassGradients.target_classes=[2, 2, 3]",
            'lecture.class_names=["cat", "dog", "R&D team"]',
        ]
    )
    logit_paths = config.chapter("LogitPaths").beat_names(config.lecture)
    assert logit_paths[-4:] == ("adam-training", "adam-side-view", "adam-plane-view", "takeaway")
    gradients = config.chapter("ThreeClassGradients").beat_names(config.lecture)
    assert gradients == ("field", "two-pulls", "descent", "switch-to-r-d-team", "takeaway")


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        (
            "SoftmaxBars.poster_beat=nope",
            ['SoftmaxBars.poster_beat = "nope"', "no such beat; allowed: logits, exponentiate"],
        ),
        (
            "LogitPaths.poster_beat=sgd-training",
            [
                "LogitPaths.poster_beat",
                "adam-training, adam-side-view, adam-plane-view, takeaway (empty: the last frame)",
            ],
        ),
    ],
)
def test_unknown_poster_beat_fails_before_rendering(setting, expected, capsys, tmp_path):
    chapter = setting.partition(".")[0]
    outcome = run_main(
        capsys, "render", chapter, "--thumbnail", "--output", str(tmp_path),
        "--set", "LogitPaths.optimizers=['adam']", "--set", setting,
    )  # fmt: skip
    assert_one_line_error(outcome, *expected)
    assert not any(tmp_path.iterdir()), "nothing may be rendered for a bad poster_beat"


def test_unknown_poster_beat_in_a_real_process(tmp_path):
    result = run_cli(
        "render", "SigmoidRecap", "--thumbnail", "--output", str(tmp_path),
        "--set", "SigmoidRecap.poster_beat=squish",
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        'softmax-video: error: SigmoidRecap.poster_beat = "squish": no such beat; '
        "allowed: curve, squash, probability, derivative, takeaway (empty: the last frame)"
    ]
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.name for c in CHAPTERS])
def test_every_listed_beat_validates(chapter):
    config = load_config()
    for beat in config.chapter(chapter.name).beat_names(config.lecture):
        load_config(overrides=[f"{chapter.name}.poster_beat={beat}"])
