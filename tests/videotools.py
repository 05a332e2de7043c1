"""Test helpers: render a chapter with the real manim CLI and decode the result with PyAV."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from softmax_video.core.chapters import find_chapter
from softmax_video.engine.audio_mux import AudioEncoder, audio_codec

PROJECT_ROOT = Path(__file__).resolve().parents[1]

#: Tiny but legible-enough size for smoke renders; even numbers for yuv420p.
TINY_WIDTH, TINY_HEIGHT, TINY_FPS = 256, 144, 5


@dataclass(frozen=True)
class Rendered:
    """Files one render produced."""

    video: Path
    subtitles: Path
    sections: list[dict]
    section_dir: Path
    log: str


@dataclass(frozen=True)
class VideoInfo:
    width: int
    height: int
    fps: Fraction
    frame_count: int
    duration: float


def render_chapter(
    name: str,
    out_dir: Path,
    *,
    width: int = TINY_WIDTH,
    height: int = TINY_HEIGHT,
    fps: int = TINY_FPS,
    config_toml: str = "",
    extra_args: tuple[str, ...] = (),
) -> Rendered:
    """Render chapter ``name`` with ``python -m manim`` into ``out_dir`` (no cache)."""
    chapter = find_chapter(name)
    out_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.pop("SOFTMAX_VIDEO_CONFIG", None)
    env["PYTHONHASHSEED"] = "0"  # as the render front end: one order of manim's string sets
    if config_toml:
        config_path = out_dir / "config.toml"
        config_path.write_text(config_toml, encoding="utf-8")
        env["SOFTMAX_VIDEO_CONFIG"] = str(config_path)
    command = [
        sys.executable,
        "-m",
        "manim",
        "render",
        "--media_dir",
        str(out_dir),
        "--disable_caching",
        "--save_sections",
        "-r",
        f"{width},{height}",
        "--fps",
        str(fps),
        "--progress_bar",
        "none",
        "-v",
        "WARNING",
        *extra_args,
        chapter.source_file,
        chapter.name,
    ]
    result = subprocess.run(
        command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, f"manim failed for {name}:\n{log[-4000:]}"
    videos = [
        p
        for p in out_dir.rglob(f"{chapter.name}.mp4")
        if "partial_movie_files" not in p.parts and "sections" not in p.parts
    ]
    assert len(videos) == 1, f"expected one video for {name}, found {videos}\n{log[-2000:]}"
    video = videos[0]
    section_dir = video.parent / "sections"
    index = section_dir / f"{chapter.name}.json"
    sections = json.loads(index.read_text()) if index.exists() else []
    return Rendered(video, video.with_suffix(".srt"), sections, section_dir, log)


def probe(path: Path) -> VideoInfo:
    """Decode every frame of ``path``: size, rate, frame count and duration."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        count = sum(1 for _ in container.decode(stream))
        fps = Fraction(stream.average_rate)
        return VideoInfo(stream.width, stream.height, fps, count, float(count / fps))


def sample_frames(path: Path, count: int = 6) -> list[np.ndarray]:
    """``count`` RGB frames evenly spread over the video (first and last included)."""
    with av.open(str(path)) as container:
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    if not frames:
        return []
    picks = np.linspace(0, len(frames) - 1, num=min(count, len(frames))).round().astype(int)
    return [frames[i] for i in picks]


def last_frame(path: Path) -> np.ndarray:
    return sample_frames(path, 1 + 1)[-1]


def is_blank(frame: np.ndarray, tolerance: float = 2.0) -> bool:
    """A frame is blank when no pixel differs from the median colour by more than ``tolerance``."""
    median = np.median(frame.reshape(-1, frame.shape[-1]), axis=0)
    return bool(np.abs(frame.astype(float) - median).max() <= tolerance)


def mean_abs_difference(a: np.ndarray, b: np.ndarray) -> float:
    """Mean absolute pixel difference of two same-size frames, in 0..255."""
    return float(np.abs(a.astype(float) - b.astype(float)).mean())


#: Video encoder of each container the synthetic test videos use.
VIDEO_CODECS = {".mp4": "libx264", ".mov": "libx264", ".webm": "libvpx-vp9"}


def make_video(
    path: Path,
    frames: int,
    audio: np.ndarray | None = None,
    codec: str | None = None,
    fps: int = 10,
    rate: int = 48_000,
) -> Path:
    """A 64x36 video of ``frames`` frames with ``audio`` (mono samples) in ``codec``."""
    with av.open(str(path), "w") as output:
        video = output.add_stream(VIDEO_CODECS[path.suffix], rate=fps)
        video.width, video.height, video.pix_fmt = 64, 36, "yuv420p"
        packets = []
        if audio is not None:
            encoder = AudioEncoder(output, codec or audio_codec(path.suffix), rate)
            packets = [*encoder.encode(audio[None, :]), *encoder.flush()]
        for i in range(frames):
            picture = np.full((36, 64, 3), (i * 37) % 256, np.uint8)
            frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
            frame.pts = i
            for packet in video.encode(frame):
                output.mux(packet)
        for packet in video.encode(None):
            output.mux(packet)
        for packet in packets:
            output.mux(packet)
    return path


#: In-process still size of the chapter logic tests.
DRY_RUN_STILL = {"pixel_width": 427, "pixel_height": 240, "frame_rate": 5}


def dry_run_still(scene_class, tmp_path: Path, monkeypatch, toml: str = "", **size):
    """Run a chapter in-process with manim's dry run (every play skipped, final state
    kept) under the TOML ``toml``; returns the scene and its last frame (RGB)."""
    from manim import tempconfig

    from softmax_video.core.params import CONFIG_ENV_VAR

    if toml:
        path = tmp_path / "config.toml"
        path.write_text(toml, encoding="utf-8")
        monkeypatch.setenv(CONFIG_ENV_VAR, str(path))
    with tempconfig({"dry_run": True, "disable_caching": True, **DRY_RUN_STILL, **size}):
        scene = scene_class(skip_animations=True)
        scene.render()
        scene.renderer.update_frame(scene)
        frame = np.array(scene.renderer.get_frame())[..., :3]
    return scene, frame
