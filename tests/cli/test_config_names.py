"""Class names and colours: what the fonts can draw, and lists shorter than five."""

from __future__ import annotations

import pytest
from test_cli import assert_one_line_error, run_main

from softmax_video.core.palette import DEFAULT_CLASS_COLORS
from softmax_video.core.params import DEFAULT_CLASS_NAMES, ConfigError, load_config
from softmax_video.core.text import MAX_NAME_LENGTH

# Every TeX special character and accented Latin letters: all drawable.
DRAWABLE = ["spam_mail", "R&D 50%", "$#{}~^\\", "café", "Ünïcödé ßłø", "a" * MAX_NAME_LENGTH]

UNDRAWABLE = [
    ("猫", ["lecture.class_names[2]", '"猫"', "'猫'", "cannot be drawn", "allowed: printable"]),
    ("", ["lecture.class_names[2]", '""', "must not be empty"]),
    ("   ", ["lecture.class_names[2]", "must not be empty"]),
    ("a" * (MAX_NAME_LENGTH + 1), ["lecture.class_names[2]", f"at most {MAX_NAME_LENGTH}"]),
    ("tab\there", ["lecture.class_names[2]", "'\\t' cannot be drawn"]),
    ("line\nbreak", ["lecture.class_names[2]", "'\\n' cannot be drawn"]),
    ("smile 🙂", ["lecture.class_names[2]", "cannot be drawn"]),
]


def _names_setting(names: list[str]) -> str:
    quoted = ", ".join('"' + n.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t") + '"'
                       for n in names)  # fmt: skip
    return f"lecture.class_names=[{quoted}]"


@pytest.mark.parametrize("name", DRAWABLE)
def test_drawable_class_names_validate(name):
    config = load_config(overrides=[_names_setting(["cat", "dog", name])])
    assert config.lecture.class_names[2] == name


@pytest.mark.parametrize(("name", "expected"), UNDRAWABLE, ids=[repr(n) for n, _ in UNDRAWABLE])
def test_undrawable_class_name_is_one_line_and_exit_2(name, expected, capsys, tmp_path):
    outcome = run_main(
        capsys, "render", "SoftmaxBars", "--output", str(tmp_path),
        "--set", _names_setting(["cat", "dog", name]),
    )  # fmt: skip
    assert_one_line_error(outcome, *expected)
    assert not any(tmp_path.iterdir())


def test_undrawable_class_name_in_a_file(capsys, tmp_path):
    config = tmp_path / "names.toml"
    config.write_text('[lecture]\nclass_names = ["cat", "猫"]\n', encoding="utf-8")
    outcome = run_main(capsys, "list", "--config", str(config))
    assert_one_line_error(outcome, 'lecture.class_names[1] = "猫"', "cannot be drawn")


def test_fewer_names_and_colours_are_filled_from_the_defaults():
    config = load_config(
        overrides=['lecture.class_names=["spam", "ham"]', 'lecture.class_colors=["#112233"]']
    )
    assert config.lecture.class_names == ("spam", "ham", *DEFAULT_CLASS_NAMES[2:])
    assert config.lecture.class_colors == ("#112233", *DEFAULT_CLASS_COLORS[1:])


def test_filling_gives_no_two_classes_the_same_name_or_colour():
    config = load_config(
        overrides=['lecture.class_names=["Fish", "frog"]', 'lecture.class_colors=["#f28e2b"]']
    )
    assert config.lecture.class_names == ("Fish", "frog", "bird", "cat", "dog")
    colors = config.lecture.class_colors
    assert colors == ("#f28e2b", DEFAULT_CLASS_COLORS[0], *DEFAULT_CLASS_COLORS[2:])


def test_filled_config_round_trips(capsys):
    outcome = run_main(capsys, "config", "--set", 'lecture.class_names=["spam"]')
    assert outcome.status == 0, outcome.stderr
    assert 'class_names = ["spam", "dog", "bird", "fish", "frog"]' in outcome.stdout


@pytest.mark.parametrize("key", ["class_names", "class_colors"])
def test_more_than_five_entries_is_an_error(key, capsys):
    values = ", ".join(f'"#00000{i}"' if key == "class_colors" else f'"c{i}"' for i in range(6))
    outcome = run_main(capsys, "config", "--set", f"lecture.{key}=[{values}]")
    assert_one_line_error(outcome, f"lecture.{key}", "expected a list of 1 to 5 items, got 6")


def test_empty_list_is_an_error(capsys):
    outcome = run_main(capsys, "config", "--set", "lecture.class_names=[]")
    assert_one_line_error(outcome, "lecture.class_names = []", "1 to 5 items, got 0")


def test_bad_colour_is_named(capsys):
    outcome = run_main(capsys, "config", "--set", 'lecture.class_colors=["#112233", "red"]')
    assert_one_line_error(outcome, 'lecture.class_colors[1] = "red"', "#4C9BE8")


# --------------------------------------------------------------------------- #
# --set: bare words and how to quote
# --------------------------------------------------------------------------- #


def test_bare_word_is_a_string(capsys):
    outcome = run_main(capsys, "config", "--set", "lecture.theme=light")
    assert outcome.status == 0, outcome.stderr
    assert 'theme = "light"' in outcome.stdout


def test_bare_word_for_a_list_of_strings_says_how_to_quote(capsys):
    outcome = run_main(capsys, "config", "--set", "lecture.class_names=cat")
    assert_one_line_error(
        outcome,
        'lecture.class_names = "cat": expected a list',
        "write strings in double quotes and the whole setting in single quotes",
        """--set 'lecture.class_names=["cat", "dog", "bird", "fish", "frog"]'""",
    )


def test_unquoted_strings_in_a_list_say_how_to_quote(capsys):
    # What a shell leaves of --set lecture.class_names=["cat","dog"] typed without quotes.
    outcome = run_main(capsys, "config", "--set", "lecture.class_names=[cat,dog]")
    assert_one_line_error(
        outcome, "--set lecture.class_names", "not a TOML value", "in single quotes, e.g. --set '"
    )


def test_bare_word_for_a_number_shows_an_example(capsys):
    outcome = run_main(capsys, "config", "--set", "Temperature.seed=abc")
    assert_one_line_error(
        outcome, 'Temperature.seed = "abc": expected an integer', "e.g. --set 'Temperature.seed=0'"
    )


def test_config_error_is_a_value_error_with_exit_status_2():
    with pytest.raises(ValueError) as error:
        load_config(overrides=["lecture.pace=0"])
    assert isinstance(error.value, ConfigError)
    assert error.value.exit_status == 2


def test_unquoted_text_for_a_string_key_is_that_text(capsys):
    # "true" would read as a TOML boolean; a key holding one string takes the text.
    outcome = run_main(capsys, "config", "--set", "lecture.theme=true")
    assert_one_line_error(outcome, 'lecture.theme = "true"', "allowed: dark, light")
