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
:func:`scenes.cameras.use_camera` gives it to every lecture scene's renderer.
The render-speed benchmark's encode floor uses :func:`rgba_video_frame` too,
so floor and render encode the same way.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from manim.scene.scene_file_writer import SceneFileWriter
from manim.scene.video_segment_encoder import VideoSegmentEncoder

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
    """Manim's ``SceneFileWriter`` encoding with :class:`ZeroCopySegmentEncoder`."""

    def _create_segment_encoder(self, target: Path) -> VideoSegmentEncoder:
        if self.video_encoder is None:
            return super()._create_segment_encoder(target)  # raises manim's own error
        return ZeroCopySegmentEncoder(target=target, spec=self.video_encoder)
