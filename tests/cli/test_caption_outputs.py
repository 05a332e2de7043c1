"""Caption files beside every video (srt, vtt, transcript), burnt-in captions, voice checks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import av
import pytest

from softmax_video.core.captions import cues_from_srt

CLI = [sys.executable, "-m", "softmax_video"]
TINY = ["--resolution", "128x72", "--fps", "4", "--voice", "none"]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=cwd)


@pytest.mark.render
def test_a_lecture_has_vtt_transcript_and_a_captioned_copy(tmp_path):
    result = run(
        "lecture", "SigmoidRecap", *TINY, "--burn-captions", "--output", str(tmp_path), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr[-2000:]
    printed = [Path(line) for line in result.stdout.split()]
    lecture = tmp_path / "lecture" / "72p4" / "softmax-lecture.mp4"
    assert lecture in printed and all(p.exists() for p in printed)
    cues = cues_from_srt(lecture.with_suffix(".srt").read_text())
    vtt = lecture.with_suffix(".vtt").read_text()
    assert vtt.startswith("WEBVTT") and vtt.count(" --> ") == len(cues)
    transcript = lecture.with_suffix(".transcript.txt").read_text()
    assert "1. The sigmoid, recapped" in transcript
    said = " ".join(" ".join(cue.lines) for cue in cues)
    assert " ".join(transcript.split("-\n\n", 1)[1].split()) == said
    chapter = tmp_path / "72p4" / "01-SigmoidRecap.mp4"
    assert chapter.with_suffix(".vtt").exists() and chapter.with_suffix(".transcript.txt").exists()
    captioned = lecture.with_name("softmax-lecture.captioned.mp4")
    with av.open(str(lecture)) as a, av.open(str(captioned)) as b:
        assert b.streams.video[0].frames == a.streams.video[0].frames
    assert "silent" in result.stderr


def test_list_names_every_beat(tmp_path):
    result = run("list", "--beats", cwd=tmp_path)
    assert result.returncode == 0
    assert "logits, exponentiate, normalise, raise, lower" in result.stdout


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--voice", "espeak-ng", "--set", "voice.voice=klingon"], 'voice.voice = "klingon"'),
        (["--set", "voice.engine=loud"], "allowed: auto, piper, espeak-ng, none"),
        (["--set", "narration.SoftmaxBars.rise=Up"], "allowed: logits, exponentiate"),
        (["--set", 'narration.SoftmaxBars.raise=""'], "must not be empty"),
        (["--set", "narration.Softmaxbarz.raise=Up"], "unknown chapter"),
        (["--set", "voice.speed=3"], "voice.speed = 3"),
        (["--burn-captions", "--format", "png"], "--burn-captions needs"),
    ],
)
def test_voice_and_caption_mistakes_are_one_line(args, fragment, tmp_path):
    result = run("render", "SoftmaxBars", *args, "--output", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert fragment in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.mp4"))
