"""The zero-copy segment encoder writes what manim's own encoder writes."""

from __future__ import annotations

from fractions import Fraction

import av
import numpy as np
import pytest
from manim import tempconfig
from manim._config.video_encoder import VideoEncoderSpec
from manim.scene.video_segment_encoder import VideoSegmentEncoder

from softmax_video.engine.cameras import LectureCamera
from softmax_video.engine.mesh import MeshCamera
from softmax_video.engine.video_writer import (
    LectureFileWriter,
    ZeroCopySegmentEncoder,
    rgba_video_frame,
)
from softmax_video.kit.lecture_scene import LectureScene, LectureThreeDScene

WIDTH, HEIGHT = 64, 48


def _spec(codec: str, pixel_format: str, container: str) -> VideoEncoderSpec:
    return VideoEncoderSpec(
        container_format=container,
        codec=codec,
        pixel_format=pixel_format,
        width=WIDTH,
        height=HEIGHT,
        frame_rate=Fraction(15),
        options=(("crf", "23"), ("preset", "veryfast")) if codec == "libx264" else (),
    )


def _frames() -> list[np.ndarray]:
    rng = np.random.default_rng(7)
    # Smooth pictures with a few sharp edges, opaque, as manim hands them over.
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH]
    frames = []
    for k in range(6):
        rgba = np.empty((HEIGHT, WIDTH, 4), dtype=np.uint8)
        rgba[..., 0] = (x * 4 + 20 * k) % 256
        rgba[..., 1] = (y * 5) % 256
        rgba[..., 2] = rng.integers(0, 256, size=(HEIGHT, WIDTH))
        rgba[..., 3] = 255
        frames.append(rgba)
    return frames


def _decode(path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="rgba") for f in container.decode(video=0)]


@pytest.mark.parametrize(
    ("codec", "pixel_format", "container", "suffix"),
    [("libx264", "yuv420p", "mp4", "mp4"), ("qtrle", "argb", "mov", "mov")],
)
def test_zero_copy_encoder_writes_the_same_frames(tmp_path, codec, pixel_format, container, suffix):
    spec = _spec(codec, pixel_format, container)
    frames = _frames()
    outputs = []
    for kind in (VideoSegmentEncoder, ZeroCopySegmentEncoder):
        target = tmp_path / f"{kind.__name__}.{suffix}"
        encoder = kind(target=target, spec=spec)
        for index, frame in enumerate(frames):
            encoder.write_frame(frame.copy(), repeat=1 + index % 2)
        encoder.finish()
        outputs.append(_decode(target))
    stock, zero_copy = outputs
    assert len(stock) == len(zero_copy) == sum(1 + i % 2 for i in range(len(frames)))
    for a, b in zip(stock, zero_copy, strict=True):
        np.testing.assert_array_equal(a, b)
    assert np.ptp(np.stack(stock)[..., :3]) > 100  # the frames are not blank


def test_zero_copy_frame_shares_the_array():
    pixels = np.zeros((HEIGHT, WIDTH, 4), dtype=np.uint8)
    frame = rgba_video_frame(pixels)
    pixels[1, 2] = (10, 20, 30, 255)  # a later write shows through: nothing was copied
    assert tuple(frame.to_ndarray()[1, 2]) == (10, 20, 30, 255)


def test_encoder_rejects_frames_manim_rejects(tmp_path):
    encoder = ZeroCopySegmentEncoder(
        target=tmp_path / "bad.mp4", spec=_spec("libx264", "yuv420p", "mp4")
    )
    with pytest.raises(ValueError, match="shape"):
        encoder.write_frame(np.zeros((HEIGHT, WIDTH, 3), dtype=np.uint8))
    with pytest.raises(ValueError, match="C-contiguous"):
        encoder.write_frame(np.zeros((WIDTH, HEIGHT, 4), dtype=np.uint8).swapaxes(0, 1))
    encoder.abort()


@pytest.mark.parametrize(
    ("scene_class", "camera_class"),
    [(LectureScene, LectureCamera), (LectureThreeDScene, MeshCamera)],
)
def test_lecture_scenes_render_with_the_zero_copy_writer(scene_class, camera_class):
    with tempconfig({"dry_run": True}):
        scene = scene_class()
    assert isinstance(scene.renderer.camera, camera_class)
    assert scene.renderer._file_writer_class is LectureFileWriter
