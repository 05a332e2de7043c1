"""``--help`` offers only what each command accepts; errors of every kind end as one line."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
import pytest
from test_cli import TINY, assert_one_line_error, run_cli, run_main

from softmax_video.cli.main import LECTURE_FORMATS, SLIDE_FORMATS, cli
from softmax_video.core.errors import EnvironmentFailure, SoftmaxVideoError
from softmax_video.core.params import FORMATS

COMMANDS = sorted(cli.commands)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_option_has_help_text(name):
    command = cli.commands[name]
    undocumented = [
        p.name for p in command.params if isinstance(p, click.Option) and not (p.help or "").strip()
    ]
    assert not undocumented, f"{name}: options without help: {undocumented}"
    assert (command.help or "").strip(), f"{name} has no description"


@pytest.mark.parametrize(
    ("name", "formats"),
    [("render", FORMATS), ("lecture", LECTURE_FORMATS), ("slides", SLIDE_FORMATS)],
)
def test_format_choice_is_what_the_command_accepts(name, formats, capsys):
    option = next(p for p in cli.commands[name].params if p.name == "file_format")
    assert tuple(option.type.choices) == tuple(formats)
    outcome = run_main(capsys, name, "--help")
    assert outcome.status == 0
    assert f"--format [{'|'.join(formats)}]" in outcome.stdout


@pytest.mark.parametrize("name", ["list", "config", "gallery", "render", "lecture", "slides"])
def test_help_explains_config_and_set(name, capsys):
    outcome = run_main(capsys, name, "--help")
    assert outcome.status == 0, outcome.stderr
    text = " ".join(outcome.stdout.split())
    assert "--config FILE.toml TOML file of settings" in text
    assert "--set TABLE.KEY=VALUE override one setting; the value is read as TOML" in text


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["lecture", "--format", "gif"], ["--format", "'gif' is not one of 'mp4', 'webm', 'mov'"]),
        (["slides", "--all", "--format", "png"], ["--format", "'png' is not 'mp4'"]),
    ],
)
def test_rejected_format_is_a_usage_error(args, expected, capsys, tmp_path):
    outcome = run_main(capsys, *args, "--output", str(tmp_path))
    assert_one_line_error(outcome, *expected)
    assert not any(tmp_path.iterdir())


# --------------------------------------------------------------------------- #
# One error path: SoftmaxVideoError from any layer
# --------------------------------------------------------------------------- #


@pytest.fixture
def failing_command():
    """A command on the real group that raises what the render layer raises."""
    raised: list[SoftmaxVideoError] = []

    @cli.command("raise-for-test", hidden=True)
    def raise_for_test() -> None:
        raise raised[0]

    yield raised
    del cli.commands["raise-for-test"]


def test_environment_failure_exits_with_its_status_and_names_its_log(failing_command, capsys):
    failing_command.append(
        EnvironmentFailure("no space left on device writing media/480p15", log="/tmp/x.log")
    )
    outcome = run_main(capsys, "raise-for-test")
    assert outcome.status == 1
    assert outcome.stderr.strip().splitlines() == [
        "softmax-video: error: no space left on device writing media/480p15",
        "softmax-video: full log: /tmp/x.log",
    ]


def test_softmax_video_error_without_log_is_one_line(failing_command, capsys):
    failing_command.append(SoftmaxVideoError("latex is not installed", exit_status=3))
    outcome = run_main(capsys, "raise-for-test")
    assert_one_line_error(outcome, "latex is not installed", status=3)


def test_missing_latex_is_the_only_line_printed(tmp_path):
    # A real process without LaTeX on its PATH: the render layer's check runs before
    # the command prints its plan or a progress bar.
    env = dict(os.environ, PATH=str(Path(sys.executable).parent))
    output = tmp_path / "out"
    result = run_cli("render", "SoftmaxBars", *TINY, "--output", str(output), env=env)
    assert result.returncode == 1, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("softmax-video: error: latex and dvisvgm not found on the PATH")
    assert not output.exists()
