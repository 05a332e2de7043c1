"""Hand rendered frames to the video encoder without copying them.

Manim's segment encoder turns each RGBA frame into a PyAV frame with
``VideoFrame.from_ndarray``, which copies the 8 MB of a 1080p frame twice
(``tobytes``, then row by row into the frame's plane) while holding Python's
GIL. The encoder runs in its own thread, so those copies stall the drawing
thread too. ``VideoFrame.from_numpy_buffer`` wraps the array as it is; the
conversion to the codec's pixel format (``sws_scale``, which releases the GIL)
then reads it directly. Manim hands every frame over for good (callers must not
reuse it), so the array stays valid until it is encoded.

:class:`LectureFileWriter` is manim's ``SceneFileWriter`` with this encoder;
:func:`softmax_video.engine.cameras.use_camera` gives it to every lecture scene's renderer.
It also joins the partial movies of a chapter that several processes render
together (:mod:`softmax_video.core.shares`).
The render-speed benchmark's encode floor uses :func:`rgba_video_frame` too,
so floor and render encode the same way.
"""

from __future__ import annotations

import json
import os
import time
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from manim.scene.scene_file_writer import SceneFileWriter
from manim.scene.video_segment_encoder import VideoSegmentEncoder

from softmax_video.core.shares import Share, gather_segments, publish_segments

__all__ = ["LectureFileWriter", "ZeroCopySegmentEncoder", "rgba_video_frame"]


def rgba_video_frame(pixels: np.ndarray) -> av.VideoFrame:
    """A PyAV frame over ``pixels`` (``(height, width, 4)`` C-contiguous ``uint8``), not a copy.

    Examples
    --------
    >>> import numpy as np
    >>> pixels = np.zeros((4, 6, 4), dtype=np.uint8)
    >>> frame = rgba_video_frame(pixels)
    >>> (frame.width, frame.height, frame.format.name)
    (6, 4, 'rgba')
    """
    return av.VideoFrame.from_numpy_buffer(pixels, format="rgba")


class ZeroCopySegmentEncoder(VideoSegmentEncoder):
    """Manim's :class:`~manim.scene.video_segment_encoder.VideoSegmentEncoder`,
    wrapping each frame instead of copying it (same packets, same file)."""

    def write_frame(self, pixels: np.ndarray, *, repeat: int = 1) -> None:
        self._validate_frame(pixels, repeat)
        rate = self.spec.frame_rate
        time_base = Fraction(rate.denominator, rate.numerator)
        try:
            for _ in range(repeat):
                frame = rgba_video_frame(pixels)
                frame.pts = self._next_pts
                frame.time_base = time_base
                self._next_pts += 1
                for packet in self._stream.encode(frame):
                    self._container.mux(packet)
        except BaseException as error:
            raise self._operation_error("encode", error) from error


class LectureFileWriter(SceneFileWriter):
    """Manim's ``SceneFileWriter`` encoding with :class:`ZeroCopySegmentEncoder`.

    In a chapter rendered in shares (:mod:`softmax_video.core.shares`), share ``k > 0`` only
    encodes its plays and publishes their files; share 0 fills those in and joins
    the whole chapter (video, sections, subtitles) as manim always does.
    """

    #: File to keep ``{"frames": N}`` in (the frames handed to the encoder so far),
    #: set by the scene from the parent's ``$SOFTMAX_VIDEO_PROGRESS``; ``None``: no report.
    progress_file: Path | None = None
    #: This process's share of the chapter, set by the scene; ``None``: the whole chapter.
    share: Share | None = None
    _frames_written = 0
    _reported_at = 0.0

    def write_frame(self, pixels: np.ndarray, *, repeat: int = 1) -> None:
        super().write_frame(pixels, repeat=repeat)
        self._frames_written += repeat
        if self.progress_file is not None and time.monotonic() - self._reported_at >= 0.2:
            self.report_progress()

    def report_progress(self) -> None:
        """Write the frames so far to :attr:`progress_file` (atomically, for the parent)."""
        if self.progress_file is None:
            return
        self._reported_at = time.monotonic()
        temporary = self.progress_file.with_name(f".{self.progress_file.name}.{os.getpid()}")
        try:
            temporary.write_text(json.dumps({"frames": self._frames_written}))
            os.replace(temporary, self.progress_file)
        except OSError:
            pass  # a report is a courtesy: never fail a render over it

    def finish(self) -> None:
        self.report_progress()
        share = self.share
        if share is None or not self.output_spec.is_video:
            super().finish()
            return
        sections = [section.partial_movie_files for section in self.sections]
        if share.index > 0:
            self.join_all_encode_jobs()
            publish_segments(share, (self.partial_movie_files, sections))
            return
        plays, sections = gather_segments(share, (self.partial_movie_files, sections))
        self.partial_movie_files = plays
        for section, files in zip(self.sections, sections, strict=True):
            section.partial_movie_files = files
        super().finish()

    def _create_segment_encoder(self, target: Path) -> VideoSegmentEncoder:
        if self.video_encoder is None:
            return super()._create_segment_encoder(target)  # raises manim's own error
        return ZeroCopySegmentEncoder(target=target, spec=self.video_encoder)
