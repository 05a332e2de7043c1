"""Caption cues, .srt/.vtt and transcripts (softmax_video.core.captions)."""

from __future__ import annotations

import itertools

import srt
from hypothesis import given, settings
from hypothesis import strategies as st

from softmax_video.core.captions import (
    MAX_LINE_CHARS,
    MAX_LINES,
    Cue,
    TimedText,
    make_cues,
    split_lines,
    srt_text,
    transcript_text,
    vtt_text,
    write_srt,
    write_transcript,
    write_vtt,
)
from softmax_video.core.errors import SoftmaxVideoError

LONG = (
    "Five classes need a 4D space, so we watch 3D slices of it: as the fourth coordinate "
    "moves toward the first class's corner, that class appears in the middle as a closed "
    "blob and grows while the other four recede."
)

symbols = ["p1,", "z1", "-", "one.", "softmax:", "(1,", "1)", "T", "=", "0.5;"]
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=14) | st.sampled_from(
    symbols
)
sentences = st.lists(words, min_size=1, max_size=40).map(" ".join)


@st.composite
def timed_sentences(draw):
    """Sentences in order, some with word timings, with gaps between them."""
    items = []
    t = draw(st.floats(0, 5))
    for text in draw(st.lists(sentences, min_size=1, max_size=5)):
        t += draw(st.floats(0, 2))
        span = draw(st.floats(0.3, 25))
        tokens = text.split()
        timing = None
        if draw(st.booleans()):
            # Word timings inside the span, monotonic, said words = shown words or not.
            said = tokens if draw(st.booleans()) else [*tokens, "extra", "words"]
            edges = sorted(
                draw(st.lists(st.floats(0, 1), min_size=2 * len(said), max_size=2 * len(said)))
            )
            timing = [
                (w, t + span * edges[2 * k], t + span * edges[2 * k + 1])
                for k, w in enumerate(said)
            ]
        items.append(TimedText(text, t, t + span, None if timing is None else tuple(timing)))
        t += span
    return items


def check_cues(items, cues):
    assert all(1 <= len(c.lines) <= MAX_LINES for c in cues)
    assert all(len(line) <= MAX_LINE_CHARS for c in cues for line in c.lines)
    assert " ".join(c.text for c in cues) == " ".join(" ".join(i.text.split()) for i in items)
    for a, b in itertools.pairwise(cues):
        assert a.end <= b.start
    assert all(c.end > c.start for c in cues)
    # Each cue inside its sentence's span, and readable where the span allows it.
    k = 0
    for item in items:
        n_words = len(item.text.split())
        mine = []
        while n_words > 0:
            mine.append(cues[k])
            n_words -= len(cues[k].text.split())
            k += 1
        assert all(item.start - 1e-3 <= c.start and c.end <= item.end + 1e-3 for c in mine)
        if sum(len(c.text) for c in mine) / 17.0 <= (item.end - item.start) - 0.01:
            assert all(c.chars_per_second <= 17.5 for c in mine), mine


@settings(max_examples=150, deadline=None)
@given(timed_sentences())
def test_cue_limits(items):
    check_cues(items, make_cues(items))


@settings(max_examples=60, deadline=None)
@given(timed_sentences())
def test_srt_and_vtt_parse_back(items):
    cues = make_cues(items)
    parsed = list(srt.parse(srt_text(cues)))
    assert [s.content for s in parsed] == ["\n".join(c.lines) for c in cues]
    assert [round(s.start.total_seconds(), 3) for s in parsed] == [c.start for c in cues]
    assert [round(s.end.total_seconds(), 3) for s in parsed] == [c.end for c in cues]
    vtt = vtt_text(cues)
    assert vtt.startswith("WEBVTT\n\n")
    # srt's parser reads WebVTT cues too (no index, "." before the milliseconds).
    parsed = list(srt.parse(vtt.removeprefix("WEBVTT\n")))
    assert [s.content.replace("&amp;", "&") for s in parsed] == ["\n".join(c.lines) for c in cues]
    assert [round(s.end.total_seconds(), 3) for s in parsed] == [c.end for c in cues]


def test_long_sentence_splits_at_punctuation():
    cues = make_cues([(LONG, 10.0, 24.0)])
    assert len(cues) >= 3
    assert cues[0].text.endswith("it:") or cues[0].text.endswith("space,")
    assert cues[0].start == 10.0 and cues[-1].end == 24.0
    # Proportional timing: every cue asks the same reading speed, the sentence's.
    rate = len(LONG) / 14.0
    assert all(abs(c.chars_per_second - rate) < 1.0 for c in cues)
    check_cues([TimedText(LONG, 10.0, 24.0)], cues)


def test_word_timings_place_the_cues():
    text = "Take a few logits, and then their softmax probabilities, one by one."
    tokens = text.split()
    words = [(w, 2.0 + 0.4 * k, 2.0 + 0.4 * k + 0.3) for k, w in enumerate(tokens)]
    cues = make_cues([(text, 0.0, 20.0, words)])
    assert cues[0].start == 2.0  # speech starts at 2 s, not at the span's start
    assert cues[-1].end < 20.0  # and the last cue goes when it has been read
    assert cues[-1].end >= words[-1][2]


def test_said_words_differ_from_shown_words():
    shown = "Plot p1 against z1."
    said = [
        ("Plot", 1.0, 1.3),
        ("p", 1.4, 1.5),
        ("one", 1.5, 1.8),
        ("against", 1.9, 2.4),
        ("z", 2.5, 2.6),
        ("one.", 2.6, 3.0),
    ]
    cues = make_cues([(shown, 0.0, 10.0, said)])
    assert len(cues) == 1 and cues[0].start == 1.0 and cues[0].text == shown


def test_too_fast_speech_gets_proportional_cues():
    cues = make_cues([(LONG, 0.0, 3.0)])
    assert cues[0].start == 0.0 and cues[-1].end == 3.0
    for a, b in itertools.pairwise(cues):
        assert a.end <= b.start


def test_split_lines_balances():
    lines = split_lines("The sigmoid, one over one plus e to the minus x, takes any".split())
    assert len(lines) == 2 and all(len(line) <= MAX_LINE_CHARS for line in lines)
    assert split_lines(["a" * 50]) == ("a" * 50,)  # a single overlong word stays whole


def test_bad_spans_are_one_line_errors():
    import pytest

    with pytest.raises(SoftmaxVideoError, match=r"caption 2: starts at 1 s, before caption 1"):
        make_cues([("one", 0.0, 2.0), ("two", 1.0, 3.0)])
    with pytest.raises(SoftmaxVideoError, match="caption 1: end 1 s is not after start 1 s"):
        make_cues([("one", 1.0, 1.0)])
    assert make_cues([("   ", 0.0, 1.0)]) == []


def test_files(tmp_path):
    cues = [Cue(0.0, 1.5, ("Hello & <welcome>",)), Cue(2.0, 3.0, ("p1", "p2"))]
    srt_path = write_srt(cues, tmp_path / "sub" / "a.srt")
    vtt_path = write_vtt(cues, tmp_path / "a.vtt")
    assert [s.content for s in srt.parse(srt_path.read_text())] == ["Hello & <welcome>", "p1\np2"]
    assert "Hello &amp; &lt;welcome&gt;" in vtt_path.read_text()
    assert "00:00:02.000 --> 00:00:03.000" in vtt_path.read_text()
    chapters = [
        ("Sigmoid recap", ["The sigmoid squashes.", "Its slope peaks at zero."]),
        ("Softmax bars", [LONG]),
    ]
    txt = write_transcript(chapters, tmp_path / "t.txt", title="The softmax function")
    text = txt.read_text()
    assert text.startswith("The softmax function\n====")
    assert "1. Sigmoid recap\n" in text and "2. Softmax bars\n" in text
    assert all(len(line) <= 79 for line in text.splitlines())
    assert " ".join(text.split()).count("grows while the other four recede.") == 1
    assert transcript_text([]) == ""
    assert not list(tmp_path.glob("**/.*"))  # no temp files left behind
