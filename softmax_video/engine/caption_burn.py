"""Captions drawn into a finished video's frames, in a readable box inside the safe area.

For players that show no subtitle track (phones playing a portrait clip in a feed,
slides projected from a file). Each frame inside a cue gets the cue's lines in a
translucent dark box at the bottom centre: 5% above the bottom edge in landscape
and square frames, in the middle of the bottom 15% kept free for captions in
portrait ones. The text shrinks until the box fits 90% of the width. Frames are
decoded and encoded again (same size and rate); the audio packets are copied.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from softmax_video.core.captions import Cue

__all__ = ["FONT", "burn_captions", "caption_box"]

#: Bold sans serif from Debian's fonts-dejavu-core (installed with LaTeX and manim).
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
#: Title-safe margin, share of the frame.
SAFE_MARGIN = 0.05
#: Bottom share of a portrait frame that the layouts keep free for captions.
PORTRAIT_BAND = 0.15
_ENCODERS = {".mp4": "libx264", ".mov": "libx264", ".webm": "libvpx-vp9"}


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(os.fspath(FONT), size)


def caption_box(lines: Sequence[str], width: int, height: int) -> tuple[Image.Image, int, int]:
    """The cue drawn as an RGBA image and where its top-left corner goes (x, y).

    Examples
    --------
    >>> box, x, y = caption_box(["Two lines of", "caption text"], 1920, 1080)
    >>> x > 0.05 * 1920 and x + box.width < 0.95 * 1920 and y + box.height <= 0.95 * 1080
    True
    """
    portrait = width < height
    size = max(4, round((0.045 if not portrait else 0.05) * min(width, height * 0.75)))
    while True:
        font = _font(size)
        boxes = [font.getbbox(line) for line in lines]
        text_width = max(b[2] - b[0] for b in boxes)
        line_height = round(size * 1.25)
        pad = round(size * 0.45)
        box_width, box_height = text_width + 2 * pad, line_height * len(lines) + 2 * pad
        if box_width <= width * (1 - 2 * SAFE_MARGIN) or size <= 4:
            break
        size -= 1
    image = Image.new("RGBA", (box_width, box_height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, box_width - 1, box_height - 1), radius=pad, fill=(0, 0, 0, 185))
    for k, (line, bbox) in enumerate(zip(lines, boxes, strict=True)):
        x = (box_width - (bbox[2] - bbox[0])) // 2 - bbox[0]
        y = pad + k * line_height + (line_height - size) // 2 - round(size * 0.1)
        draw.text((x, y), line, font=font, fill=(255, 255, 255, 255))
    x = (width - box_width) // 2
    if portrait:
        band_top = height * (1 - SAFE_MARGIN - PORTRAIT_BAND)
        y = round(band_top + (height * PORTRAIT_BAND - box_height) / 2)
    else:
        y = round(height * (1 - SAFE_MARGIN)) - box_height
    return image, x, max(0, y)


def _cue_at(cues: Sequence[Cue], seconds: float) -> int | None:
    for k, cue in enumerate(cues):
        if cue.start <= seconds < cue.end:
            return k
    return None


def burn_captions(video: str | os.PathLike, cues: Sequence[Cue], out: str | os.PathLike) -> Path:
    """Write ``video`` with ``cues`` drawn into its frames to ``out`` (mp4, mov or webm).

    ``out`` is written to a temporary name and moved into place, so an existing
    file is never left half-written.
    """
    out = Path(out)
    encoder = _ENCODERS.get(out.suffix.lower())
    if encoder is None:
        raise ValueError(f"cannot burn captions into {out.suffix} files; use mp4, mov or webm")
    partial = out.with_name(f".{out.stem}.burning{out.suffix}")
    try:
        _burn(Path(video), cues, partial, encoder)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return out


def _burn(video: Path, cues: Sequence[Cue], out: Path, encoder: str) -> None:
    with av.open(os.fspath(video)) as source, av.open(os.fspath(out), "w") as target:
        video_in = source.streams.video[0]
        rate = video_in.average_rate or Fraction(video_in.guessed_rate or 30)
        video_out = target.add_stream(encoder, rate=rate)
        video_out.width, video_out.height = video_in.width, video_in.height
        video_out.pix_fmt = "yuv420p"
        if encoder == "libx264":
            video_out.options = {"crf": "18", "preset": "medium"}
        audio_in = source.streams.audio[0] if source.streams.audio else None
        audio_out = target.add_stream_from_template(audio_in) if audio_in is not None else None
        overlays: dict[int, tuple[Image.Image, int, int]] = {}
        index = 0
        streams = [video_in] + ([audio_in] if audio_in is not None else [])
        for packet in source.demux(*streams):
            if packet.stream is audio_in:
                if packet.dts is not None:
                    packet.stream = audio_out
                    target.mux(packet)
                continue
            for frame in packet.decode():
                seconds = float(frame.time or 0.0)
                k = _cue_at(cues, seconds)
                if k is not None:
                    if k not in overlays:
                        overlays[k] = caption_box(cues[k].lines, frame.width, frame.height)
                    image = frame.to_image().convert("RGBA")
                    box, x, y = overlays[k]
                    image.alpha_composite(box, (x, y))
                    frame = av.VideoFrame.from_ndarray(
                        np.asarray(image.convert("RGB")), format="rgb24"
                    )
                else:
                    frame = av.VideoFrame.from_ndarray(
                        frame.to_ndarray(format="rgb24"), format="rgb24"
                    )
                frame.pts, frame.time_base = index, Fraction(1) / rate
                index += 1
                for encoded in video_out.encode(frame):
                    target.mux(encoded)
        for encoded in video_out.encode():
            target.mux(encoded)
