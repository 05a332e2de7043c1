"""Audio of finished videos: decode to PCM, cut by time, join sample-exact, mux beside copied video.

The chapter videos carry the narration; the outputs made from them (the joined
lecture, beat clips, slide videos) copy their video packets and re-encode only the
audio, once, from PCM. Encoding once is what keeps a join free of gaps and clicks
(two encoded tracks laid end to end would each bring their own encoder delay and
padding), and working in samples keeps every slice in step with its video: a
span's first sample is ``round(start * rate)``, so slices of one track meet
exactly and the lecture never drifts over many chapters.

Only paths, times and arrays come in; nothing here knows about chapters or manim.
"""

from __future__ import annotations

import itertools
import os
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

__all__ = [
    "AudioEncoder",
    "Track",
    "audio_codec",
    "has_audio",
    "mux_with_audio",
    "read_audio",
    "sample_index",
    "video_duration",
    "video_stream_like",
]

#: Encoder for each codec a chapter's audio may come in (manim writes AAC into
#: mp4, Opus or Vorbis into webm, PCM into mov). Vorbis maps to Opus: webm takes
#: both and PyAV's wheels ship no Vorbis encoder.
ENCODERS = {
    "aac": "aac",
    "opus": "libopus",
    "libopus": "libopus",
    "vorbis": "libopus",
    "libvorbis": "libopus",
    "pcm_s16le": "pcm_s16le",
    "pcm_s24le": "pcm_s24le",
    "pcm_f32le": "pcm_f32le",
}
#: Encoder for a container when no source says otherwise; absent: no audio (gif, png).
CONTAINER_ENCODERS = {".mp4": "aac", ".m4v": "aac", ".mov": "aac", ".webm": "libopus"}
#: Sample rates the Opus encoder takes; anything else is resampled to 48 kHz.
OPUS_RATES = frozenset({8000, 12000, 16000, 24000, 48000})
#: Bit rate when the source does not give one: transparent for speech, small beside video.
DEFAULT_BIT_RATE = 128_000


@dataclass(frozen=True)
class Track:
    """Decoded audio: float samples in [-1, 1], shape ``(channels, n)``, on the video's clock.

    Sample 0 is time 0 of the video the track came from.
    """

    samples: np.ndarray
    rate: int
    layout: str = "mono"
    codec: str | None = None
    bit_rate: int = 0

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return self.samples.shape[1] / self.rate

    @classmethod
    def silence(cls, count: int, rate: int, layout: str = "mono") -> Track:
        """``count`` samples of silence."""
        channels = av.AudioLayout(layout).nb_channels
        return cls(np.zeros((channels, count), np.float32), rate, layout)

    def between(self, first: int, last: int) -> Track:
        """Samples ``first`` to ``last`` (exclusive), silence where the track has none.

        Examples
        --------
        >>> track = Track(np.arange(1, 5, dtype=np.float32)[None, :], 4)
        >>> track.between(-1, 6).samples.tolist()
        [[0.0, 1.0, 2.0, 3.0, 4.0, 0.0, 0.0]]
        """
        count = max(0, last - first)
        out = np.zeros((self.samples.shape[0], count), np.float32)
        lo, hi = max(first, 0), min(last, self.samples.shape[1])
        if hi > lo:
            out[:, lo - first : hi - first] = self.samples[:, lo:hi]
        return Track(out, self.rate, self.layout, self.codec, self.bit_rate)

    def span(self, start: float | Fraction, end: float | Fraction) -> Track:
        """The track from ``start`` to ``end`` seconds (sample-exact, see :func:`sample_index`)."""
        return self.between(sample_index(start, self.rate), sample_index(end, self.rate))


def sample_index(seconds: float | Fraction, rate: int) -> int:
    """The sample at ``seconds``: ``round(seconds * rate)``.

    Spans cut at the same times from one track meet without gap or overlap.

    Examples
    --------
    >>> sample_index(Fraction(1, 15), 48_000), sample_index(0.5, 44_100)
    (3200, 22050)
    """
    return round(Fraction(seconds) * rate)


def video_duration(path: Path) -> Fraction:
    """Exact length of ``path``'s first video stream in seconds: the end of its last frame.

    The last frame lasts the video's usual frame step (the median step between
    frames), not its packet's duration: files concatenated by manim and
    manim-slides carry packet durations of a tick or of two frames here and there.
    A video of one frame takes its packet's duration.
    """
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        time_base = stream.time_base
        packets = sorted(
            (packet.pts, packet.duration or 0)
            for packet in container.demux(stream)
            if packet.pts is not None
        )
    if not packets:
        return Fraction(0)
    steps = sorted(b[0] - a[0] for a, b in itertools.pairwise(packets) if b[0] > a[0])
    step = steps[len(steps) // 2] if steps else packets[-1][1]
    return (packets[-1][0] + step) * time_base


def has_audio(path: Path) -> bool:
    """Whether ``path`` has an audio stream."""
    with av.open(str(path)) as container:
        return bool(container.streams.audio)


def read_audio(path: Path, *, rate: int | None = None, layout: str | None = None) -> Track | None:
    """Decode the first audio stream of ``path``; None when it has none.

    Samples are placed on the container's clock: a stream that starts late gets
    leading silence, one that starts before 0 loses its early samples. Frames
    follow each other without gaps (decoders emit contiguous audio; a timestamp
    jitter of a millisecond in webm must not shift samples).

    Parameters
    ----------
    path
        A video (or audio) file.
    rate, layout
        Resample to this rate and channel layout (default: the stream's own).
    """
    with av.open(str(path)) as container:
        if not container.streams.audio:
            return None
        stream = container.streams.audio[0]
        context = stream.codec_context
        rate = rate or context.sample_rate
        layout = layout or context.layout.name
        resampler = av.AudioResampler(format="fltp", layout=layout, rate=rate)
        chunks: list[np.ndarray] = []
        first: float | None = None
        for frame in container.decode(stream):
            if first is None and frame.pts is not None and frame.time_base is not None:
                first = float(frame.pts * frame.time_base)
            chunks.extend(out.to_ndarray() for out in resampler.resample(frame))
        chunks.extend(out.to_ndarray() for out in resampler.resample(None))
        channels = av.AudioLayout(layout).nb_channels
        samples = (
            np.concatenate(chunks, axis=1).astype(np.float32, copy=False)
            if chunks
            else np.zeros((channels, 0), np.float32)
        )
        start = stream.start_time * stream.time_base if stream.start_time is not None else 0
        lead = sample_index(first if first is not None else start, rate)
        if lead > 0:
            samples = np.concatenate([np.zeros((channels, lead), np.float32), samples], axis=1)
        elif lead < 0:
            samples = samples[:, -lead:]
        return Track(samples, rate, layout, context.name, context.bit_rate or 0)


def audio_codec(suffix: str, source: str | None = None) -> str | None:
    """The encoder for audio in a ``suffix`` file whose source audio was ``source``.

    The source's own codec family when the container takes it, else the
    container's usual one; None for containers without audio (gif, png).

    Examples
    --------
    >>> audio_codec(".mp4", "aac"), audio_codec(".webm", "opus"), audio_codec(".webm", "aac")
    ('aac', 'libopus', 'libopus')
    >>> audio_codec(".mov", "pcm_s16le"), audio_codec(".gif", "aac")
    ('pcm_s16le', None)
    """
    suffix = suffix.lower()
    default = CONTAINER_ENCODERS.get(suffix)
    if default is None:
        return None
    chosen = ENCODERS.get(source or "", default)
    if suffix == ".webm" and chosen != "libopus":
        return "libopus"
    if suffix in (".mp4", ".m4v") and chosen.startswith("pcm_"):
        return "aac"
    return chosen


class AudioEncoder:
    """One audio stream of an open output container, fed PCM in pieces of any length.

    Pieces are cut into the encoder's frames across piece boundaries, so a track
    fed in several pieces encodes exactly as if fed whole: one encoder delay at
    the start, no padding between pieces.
    """

    def __init__(
        self,
        output: av.container.OutputContainer,
        codec: str,
        rate: int,
        layout: str = "mono",
        bit_rate: int = 0,
    ) -> None:
        if codec == "libopus" and rate not in OPUS_RATES:
            raise ValueError(f"Opus does not take {rate} Hz audio")
        self.stream = output.add_stream(codec, rate=rate)
        self.stream.layout = layout
        if not codec.startswith("pcm_"):
            self.stream.bit_rate = bit_rate or DEFAULT_BIT_RATE
        self.rate = rate
        self.layout = layout
        self._pending = np.zeros((av.AudioLayout(layout).nb_channels, 0), np.float32)
        self._pts = 0

    @property
    def _frame_size(self) -> int:
        return self.stream.codec_context.frame_size or 1024

    def encode(self, samples: np.ndarray) -> list[av.Packet]:
        """Encode ``samples`` (``(channels, n)`` floats); returns the packets ready so far."""
        pending = np.concatenate([self._pending, samples.astype(np.float32)], axis=1)
        size = self._frame_size
        whole = pending.shape[1] - pending.shape[1] % size
        packets = [
            packet
            for i in range(0, whole, size)
            for packet in self._frame(pending[:, i : i + size])
        ]
        self._pending = pending[:, whole:]
        return packets

    def flush(self) -> list[av.Packet]:
        """Encode what is left and drain the encoder; returns the last packets."""
        packets = self._frame(self._pending) if self._pending.shape[1] else []
        self._pending = self._pending[:, :0]
        return [*packets, *self.stream.encode(None)]

    def _frame(self, samples: np.ndarray) -> list[av.Packet]:
        frame = av.AudioFrame.from_ndarray(
            np.ascontiguousarray(samples), format="fltp", layout=self.layout
        )
        frame.rate = self.rate
        frame.pts = self._pts
        frame.time_base = Fraction(1, self.rate)
        self._pts += samples.shape[1]
        return self.stream.encode(frame)


def _time(packet: av.Packet, stamp: int | None) -> float:
    return float(stamp * packet.time_base) if stamp is not None else float("-inf")


def mux_interleaved(
    output: av.container.OutputContainer,
    video_packets: Iterable[av.Packet],
    audio_packets: Iterable[av.Packet],
) -> None:
    """Mux both packet sequences into ``output`` in time order (each is already in order).

    Muxers want streams interleaved; handing them all video first makes them hold
    every packet in memory (mp4) or write clusters out of order (webm).
    """
    audio: Iterator[av.Packet] = iter(audio_packets)
    waiting = next(audio, None)
    for packet in video_packets:
        when = _time(packet, packet.dts)
        while waiting is not None and _time(waiting, waiting.pts) <= when:
            output.mux(waiting)
            waiting = next(audio, None)
        output.mux(packet)
    while waiting is not None:
        output.mux(waiting)
        waiting = next(audio, None)


def video_stream_like(
    output: av.container.OutputContainer, template: av.video.stream.VideoStream
) -> av.video.stream.VideoStream:
    """A stream of ``output`` that takes ``template``'s packets as they are.

    The frame rate is set too: without it webm stores no default frame duration,
    and its last frame would read back as lasting no time.
    """
    stream = output.add_stream_from_template(template)
    if template.average_rate:
        stream.codec_context.framerate = template.average_rate
    return stream


def copy_video_packets(
    source: av.container.InputContainer,
    stream: av.video.stream.VideoStream,
    into: av.stream.Stream,
    shift: int = 0,
) -> Iterator[av.Packet]:
    """``stream``'s packets, shifted by ``shift`` ticks and assigned to output stream ``into``."""
    for packet in source.demux(stream):
        if packet.dts is None:  # the demuxer's flush packet
            continue
        packet.pts += shift
        packet.dts += shift
        packet.stream = into
        yield packet


def mux_with_audio(
    video: Path, target: Path, audio: Track | None, codec: str | None = None
) -> Path:
    """Write ``target``: ``video``'s video packets as they are, and ``audio`` encoded beside them.

    The audio is cut or padded with silence to the video's exact length. Without
    ``audio`` (or without an encoder for ``target``'s container) ``target`` gets
    the video stream alone. Written under a temporary name and renamed into place.

    Parameters
    ----------
    video
        The source of the picture (its own audio, if any, is not copied).
    target
        The file to write; its suffix chooses the container.
    audio
        Samples on ``video``'s clock (sample 0 at its start).
    codec
        Audio encoder; default :func:`audio_codec` of ``target``'s suffix and the
        track's source codec.
    """
    if audio is not None and codec is None:
        codec = audio_codec(target.suffix, audio.codec)
    if audio is not None and codec is not None:
        audio = resampled_for(audio, codec)
        audio = audio.between(0, sample_index(video_duration(video), audio.rate))
    temporary = target.with_name(
        f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp{target.suffix}"
    )
    try:
        with av.open(str(video)) as source, av.open(str(temporary), "w") as output:
            in_stream = source.streams.video[0]
            out_stream = video_stream_like(output, in_stream)
            packets: list[av.Packet] = []
            if audio is not None and codec is not None:
                encoder = AudioEncoder(output, codec, audio.rate, audio.layout, audio.bit_rate)
                packets = [*encoder.encode(audio.samples), *encoder.flush()]
            mux_interleaved(output, copy_video_packets(source, in_stream, out_stream), packets)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target


def resampled_for(track: Track, codec: str) -> Track:
    """``track`` at a rate ``codec`` takes (Opus: 48 kHz unless the rate is one of its own)."""
    if codec != "libopus" or track.rate in OPUS_RATES:
        return track
    return resample(track, 48_000)


def resample(track: Track, rate: int) -> Track:
    """``track`` at ``rate`` (libswresample), same layout."""
    resampler = av.AudioResampler(format="fltp", layout=track.layout, rate=rate)
    frame = av.AudioFrame.from_ndarray(
        np.ascontiguousarray(track.samples), format="fltp", layout=track.layout
    )
    frame.rate = track.rate
    frame.pts = 0
    chunks = [out.to_ndarray() for out in (*resampler.resample(frame), *resampler.resample(None))]
    samples = np.concatenate(chunks, axis=1) if chunks else track.samples[:, :0]
    count = sample_index(Fraction(track.samples.shape[1], track.rate), rate)
    result = Track(samples.astype(np.float32), rate, track.layout, track.codec, track.bit_rate)
    return result.between(0, count)


class JoinedAudio:
    """The audio of videos laid end to end, as one track encoded once.

    Each video adds exactly its video's length of samples (its own audio cut or
    padded with silence, or silence when it has none), counted from the lecture's
    start, so the track stays in step with the joined picture to the sample.
    The track's rate, layout and codec family are the first voiced video's.
    """

    def __init__(self, output: av.container.OutputContainer, voiced: Path, suffix: str) -> None:
        with av.open(str(voiced)) as container:
            context = container.streams.audio[0].codec_context
            source, rate = context.name, context.sample_rate
            layout, bit_rate = context.layout.name, context.bit_rate or 0
        codec = audio_codec(suffix, source)
        if codec is None:
            raise ValueError(f"{suffix} files take no audio")
        if codec == "libopus" and rate not in OPUS_RATES:
            rate = 48_000
        self.encoder = AudioEncoder(output, codec, rate, layout, bit_rate)
        self.rate = rate
        self.layout = layout
        self._end = Fraction(0)

    @classmethod
    def of(
        cls, output: av.container.OutputContainer, videos: Iterable[Path], suffix: str
    ) -> JoinedAudio | None:
        """The joined audio of ``videos`` in ``output``; None when none has audio or
        ``suffix``'s container takes none."""
        if audio_codec(suffix) is None:
            return None
        voiced = next((video for video in videos if has_audio(video)), None)
        return cls(output, voiced, suffix) if voiced is not None else None

    def append(self, video: Path, duration: Fraction) -> list[av.Packet]:
        """Add ``video``'s audio, ``duration`` seconds of it; returns the packets ready."""
        first = sample_index(self._end, self.rate)
        self._end += duration
        count = sample_index(self._end, self.rate) - first
        track = read_audio(video, rate=self.rate, layout=self.layout)
        if track is None:
            track = Track.silence(count, self.rate, self.layout)
        return self.encoder.encode(track.between(0, count).samples)

    def finish(self) -> list[av.Packet]:
        """The last packets."""
        return self.encoder.flush()
