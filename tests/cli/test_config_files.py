"""Configuration files that cannot be used: one line naming the file and why, exit 2."""

from __future__ import annotations

import os

import pytest
from test_cli import assert_one_line_error, run_cli, run_main

from softmax_video.core.params import MAX_CONFIG_BYTES

# (file bytes, fragments of the error line)
BAD_FILES = {
    "latin-1": (
        b'[lecture]\ntheme = "d\xe9j\xe0"\n', ["not UTF-8 text", "line 2", "save it as UTF-8"],
    ),
    "utf-16": ("[lecture]\n".encode("utf-16"), ["not UTF-8 text (byte 1, line 1)"]),
    "broken TOML": (b"[SoftmaxBars]\npace = = 3\n", ["not valid TOML", "line 2"]),
    "table for a number": (
        b"[lecture.pace]\nvalue = 1\n", ["lecture.pace = {value = 1}", "expected a number"],
    ),
    "table for a list": (
        b"[SoftmaxBars.logits]\na = 1\n", ["SoftmaxBars.logits = {a = 1}", "expected a list"],
    ),
    "list for a string": (b'[lecture]\ntheme = ["dark"]\n', ['lecture.theme = ["dark"]', "string"]),
    "list in a list": (
        b'[lecture]\nclass_names = [["a"]]\n', ['lecture.class_names[0] = ["a"]', "string"],
    ),
    "value for a table": (b"lecture = 3\n", ["lecture = 3", "expected a table [lecture]"]),
    "string for a table": (b'SoftmaxBars = "x"\n', ['SoftmaxBars = "x"', "table [SoftmaxBars]"]),
    "array of tables": (
        b"[[SoftmaxBars]]\npace = 1\n[[SoftmaxBars]]\npace = 2\n",
        ["SoftmaxBars", "expected one table [SoftmaxBars], got an array of tables"],
    ),
    "deep nesting": (b"v = " + b"[" * 100_000, ["not valid TOML", "nested too deeply"]),
    "huge integer": (
        b"[SoftmaxBars]\nlogits = [1, " + b"9" * 400 + b"]\n",
        ["SoftmaxBars.logits[1] = 999", "...: expected a finite number"],
    ),
    "too large": (b"# " + b"x" * MAX_CONFIG_BYTES + b"\n", ["larger than 1 MiB"]),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_is_one_line_and_exit_2(case, capsys, tmp_path):
    content, expected = BAD_FILES[case]
    config = tmp_path / "bad.toml"
    config.write_bytes(content)
    output = tmp_path / "media"
    outcome = run_main(
        capsys, "render", "SoftmaxBars", "--config", str(config), "--output", str(output)
    )
    line = assert_one_line_error(outcome, *expected)
    assert len(line) < 600, "an error line stays short whatever the file holds"
    assert not output.exists()


def test_a_file_of_exactly_the_limit_is_read(tmp_path):
    from softmax_video.core.params import load_config

    config = tmp_path / "long.toml"
    body = b"[lecture]\ntheme = 'light'\n"
    config.write_bytes(body + b"#" * (MAX_CONFIG_BYTES - len(body) - 1) + b"\n")
    assert load_config(config).lecture.theme == "light"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/dev/zero", ['--config = "/dev/zero"', "larger than 1 MiB", "up to that size"]),
        ("/no/such.toml", ['--config = "/no/such.toml"', "No such file or directory"]),
        (".", ['--config = "."', "cannot read the file (Is a directory)"]),
    ],
)
def test_unusable_path_is_one_line_and_exit_2(path, expected, capsys, tmp_path):
    outcome = run_main(capsys, "config", "--config", path)
    assert_one_line_error(outcome, *expected)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_file_is_one_line_and_exit_2(capsys, tmp_path):
    config = tmp_path / "secret.toml"
    config.write_text("[lecture]\n")
    config.chmod(0)
    outcome = run_main(capsys, "config", "--config", str(config))
    assert_one_line_error(outcome, "--config", "cannot read the file (Permission denied)")


def test_dev_zero_as_a_user_runs_it(tmp_path):
    # A real process: the limit keeps an endless file from filling memory or hanging.
    result = run_cli("render", "SoftmaxBars", "--config", "/dev/zero", "--output", str(tmp_path))
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        'softmax-video: error: --config = "/dev/zero": the file is larger than 1 MiB; '
        "allowed: a TOML file up to that size"
    ]
    assert not any(tmp_path.iterdir())


def test_environment_variable_file_gets_the_same_checks(tmp_path):
    # Scenes run by the plain manim CLI read $SOFTMAX_VIDEO_CONFIG with the same loader.
    from softmax_video.core.params import ConfigError, config_from_file

    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"lecture = 3\n")
    with pytest.raises(ConfigError, match=r"^lecture = 3: expected a table \[lecture\]"):
        config_from_file(str(bad))


def test_utf8_with_byte_order_mark_is_read(tmp_path):
    from softmax_video.core.params import load_config

    config = tmp_path / "notepad.toml"
    config.write_bytes('\ufeff[lecture]\nclass_names = ["café"]\n'.encode())
    assert load_config(config).lecture.class_names[0] == "café"
