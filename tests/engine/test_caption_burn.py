"""Captions burnt into frames: inside the cue's time and the safe area, nothing else changed."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from softmax_video.core.captions import Cue
from softmax_video.engine.caption_burn import burn_captions, caption_box

BACKGROUND = (40, 60, 90)
FPS = 10
CUE = Cue(0.5, 2.0, ("Dividing each exponential by", "their sum gives probabilities,"))


def make_video(path: Path, width: int, height: int, seconds: float = 3.0) -> Path:
    with av.open(str(path), "w") as container:
        video = container.add_stream("libx264", rate=FPS)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        audio = container.add_stream("aac", rate=48_000)
        for _ in range(round(seconds * FPS)):
            frame = av.VideoFrame.from_ndarray(
                np.full((height, width, 3), BACKGROUND, np.uint8), format="rgb24"
            )
            for packet in video.encode(frame):
                container.mux(packet)
        for packet in video.encode():
            container.mux(packet)
        t = np.arange(round(48_000 * seconds)) / 48_000
        tone = (0.2 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)[None]
        for start in range(0, tone.shape[1], 1024):
            chunk = np.ascontiguousarray(tone[:, start : start + 1024])
            frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout="mono")
            frame.sample_rate, frame.pts = 48_000, start
            for packet in audio.encode(frame):
                container.mux(packet)
        for packet in audio.encode():
            container.mux(packet)
    return path


def frames(path: Path) -> list[tuple[float, np.ndarray]]:
    with av.open(str(path)) as container:
        return [(float(f.time), f.to_ndarray(format="rgb24")) for f in container.decode(video=0)]


@pytest.mark.parametrize("size", [(256, 144), (144, 256), (192, 192)], ids=str)
def test_captions_are_drawn_during_their_cue_inside_the_safe_area(size, tmp_path):
    width, height = size
    source = make_video(tmp_path / "in.mp4", width, height)
    burnt = burn_captions(source, [CUE], tmp_path / "out.mp4")
    before, after = frames(source), frames(burnt)
    assert len(after) == len(before)
    with av.open(str(burnt)) as container:
        assert container.streams.audio, "the audio is kept"
    for (t, a), (_, b) in zip(before, after, strict=True):
        changed = np.abs(a.astype(int) - b.astype(int)).max(axis=2) > 40
        if CUE.start <= t < CUE.end:
            ys, xs = np.nonzero(changed)
            assert ys.size > 0.01 * width * height, t
            assert xs.min() >= 0.05 * width - 1 and xs.max() <= 0.95 * width
            assert ys.max() <= 0.95 * height
            if height > width:  # portrait: in the band kept free for captions
                assert ys.min() >= 0.80 * height - 1
            assert b[changed].max() > 200  # white text
        else:
            assert not changed.any(), t


def test_caption_box_fits_a_long_line_by_shrinking():
    box, x, _ = caption_box(["W" * 42, "W" * 42], 480, 854)
    assert x >= 0.05 * 480 and x + box.width <= 0.95 * 480 + 1


def test_unknown_container_is_refused(tmp_path):
    with pytest.raises(ValueError, match="gif"):
        burn_captions(tmp_path / "in.mp4", [CUE], tmp_path / "out.gif")
