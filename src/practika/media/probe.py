"""What an uploaded file really is, whatever it claims: container, codecs, duration, size."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TypeVar

import av

# FFmpeg demuxers that read still images rather than videos.
IMAGE_DEMUXERS = {"image2", "gif", "webp", "apng"}
# What a whole live-written WebM holds past its last packet's payload: the last block's
# header bytes (4 in Chromium's files). More is a block cut short.
TRAILING_SLACK_BYTES = 12
# An Opus stream's last block is a BlockGroup: its BlockDuration and DiscardPadding (the
# encoder's end trimming) follow the payload, 14 bytes in libwebm's and FFmpeg's files.
AUDIO_TRAILING_SLACK_BYTES = TRAILING_SLACK_BYTES + 20
_Frame = TypeVar("_Frame")
CONTENT_TYPES = {
    "mp4": "video/mp4",
    "mov": "video/quicktime",
    "webm": "video/webm",
    "matroska": "video/x-matroska",
}


class MediaRejected(Exception):
    """The file is not a video we accept; the message is the user-facing `failure_reason`."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ProbeLimits:
    allowed_containers: tuple[str, ...]
    max_dimension: int
    max_duration_s: int
    # 8K UHD. Decoding cost grows with the area: a 8000x8000 "phone video" is a bomb.
    max_pixels: int = 7680 * 4320


@dataclass(frozen=True)
class Probe:
    container: str
    content_type: str
    video_codec: str | None  # None: a clip of audio alone (a voice-over, a voice reply)
    audio_codec: str | None
    duration_ms: int
    width: int  # as stored, before rotation
    height: int
    fps: float | None
    rotation: int  # clockwise degrees a player turns the picture: 0, 90, 180 or 270

    @property
    def display_size(self) -> tuple[int, int]:
        return (
            (self.height, self.width) if self.rotation in (90, 270) else (self.width, self.height)
        )


def clock(ms: float) -> str:
    seconds = int(ms // 1000)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def probe(path: Path, limits: ProbeLimits, *, audio_alone_ok: bool = False) -> Probe:
    """Open and inspect `path`, decoding one frame; raise MediaRejected with the reason.
    `audio_alone_ok` (a comment's clip, not an attempt) accepts a file with no picture."""
    head = _head(path)
    with _open(path, head) as container:
        demuxers = _accepted_demuxers(container, limits)
        name = _container_name(demuxers, head)
        if not container.streams.video:
            if container.streams.audio and audio_alone_ok:
                return _probe_audio(path, container, limits, name)
            if container.streams.audio:
                raise MediaRejected("This file holds only audio; an attempt needs a picture.")
            raise MediaRejected("This file holds no video stream.")
        stream = container.streams.video[0]
        ctx = stream.codec_context
        width, height = _picture_size(ctx, limits)
        duration_ms, fps = _video_timing(path, container, stream)
        _check_length(duration_ms, limits, "video")
        frame = _first_frame(container.decode(stream), stream)
        audio = container.streams.audio[0].codec_context.name if container.streams.audio else None
        return Probe(
            container=name,
            content_type=CONTENT_TYPES[name],
            video_codec=ctx.name,
            audio_codec=audio,
            duration_ms=duration_ms,
            width=width,
            height=height,
            fps=round(fps, 3) if fps else None,
            rotation=display_rotation(frame.rotation),
        )


def _head(path: Path) -> bytes:
    """The file's first bytes (to name an MP4 whose index is missing); refuses an empty file."""
    if path.stat().st_size == 0:
        raise MediaRejected("The file is empty (0 bytes).")
    with path.open("rb") as f:
        return f.read(64)


def _open(path: Path, head: bytes) -> av.container.InputContainer:
    try:
        return av.open(str(path), metadata_errors="ignore")
    except (av.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        if head[4:8] == b"ftyp":
            raise MediaRejected(
                "The MP4/MOV file is incomplete or damaged: its index (moov box) is missing. "
                "Was the upload or the recording cut short?"
            ) from exc
        raise MediaRejected("This is not a video file: its format is not recognised.") from exc


def _accepted_demuxers(container: av.container.InputContainer, limits: ProbeLimits) -> set[str]:
    """The demuxers FFmpeg read the file with; refuses a still image and a container we
    do not accept."""
    demuxers = set(container.format.name.split(","))
    first_codec = container.streams[0].codec_context.name if container.streams else "unknown"
    if demuxers & IMAGE_DEMUXERS or any(d.endswith("_pipe") for d in demuxers):
        raise MediaRejected(f"This is a still image ({first_codec}), not a video.")
    if not demuxers & set(limits.allowed_containers):
        raise MediaRejected(
            f"The container format ({container.format.long_name}) is not accepted; "
            "upload MP4, MOV, WebM or MKV."
        )
    return demuxers


def _picture_size(
    ctx: av.video.codeccontext.VideoCodecContext, limits: ProbeLimits
) -> tuple[int, int]:
    """The stored width and height; refuses none, a side too long or too many pixels."""
    width, height = ctx.width, ctx.height
    if not width or not height:
        raise MediaRejected("The video stream declares no picture size.")
    if max(width, height) > limits.max_dimension:
        raise MediaRejected(
            f"The video is {width}x{height} pixels; the limit is "
            f"{limits.max_dimension} pixels a side."
        )
    if width * height > limits.max_pixels:
        raise MediaRejected(
            f"The video is {width}x{height} pixels ({width * height / 1e6:.0f} megapixels); "
            f"the limit is {limits.max_pixels / 1e6:.0f} megapixels a frame."
        )
    return width, height


def _video_timing(
    path: Path, container: av.container.InputContainer, stream: av.VideoStream
) -> tuple[int, float | None]:
    """The video's duration (ms) and frame rate; refuses a still picture."""
    duration_ms = _duration_ms(container, stream)
    frames = stream.frames
    rate = stream.average_rate or stream.guessed_rate
    fps = float(rate) if rate else None
    if duration_ms is None:
        # A browser's MediaRecorder writes WebM as a live stream: no duration, no cues.
        # The packets' timestamps say how long it is (demuxing, not decoding: cheap).
        frames, duration_ms, fps = scan_video_packets(path, stream.codec_context.name)
    if duration_ms is None or duration_ms <= 0:
        raise MediaRejected("The file has no duration: it is a still image, not a video.")
    if frames == 1:
        raise MediaRejected("The file holds a single still frame, not a video.")
    return duration_ms, fps


def _check_length(duration_ms: int, limits: ProbeLimits, what: str) -> None:
    """`what` is "video" or "recording", as the message names the file."""
    if duration_ms > limits.max_duration_s * 1000:
        raise MediaRejected(
            f"The {what} is {clock(duration_ms)} long; the limit is "
            f"{clock(limits.max_duration_s * 1000)}."
        )


def _first_frame(frames: Iterator[_Frame], stream: av.stream.Stream) -> _Frame:
    """The first of `stream`'s decoded `frames`, so a damaged stream is refused here."""
    try:
        return next(frames)
    except (av.FFmpegError, StopIteration) as exc:
        raise MediaRejected(
            f"The {stream.type} data ({stream.codec_context.name}) cannot be decoded: "
            "the file is truncated or damaged."
        ) from exc


def _probe_audio(
    path: Path, container: av.container.InputContainer, limits: ProbeLimits, name: str
) -> Probe:
    """A file of audio alone: its length (from the packets when a browser's recording
    declares none) and one decoded frame, so a damaged stream is refused here."""
    stream = container.streams.audio[0]
    ctx = stream.codec_context
    duration_ms = _duration_ms(container, stream)
    if duration_ms is None:
        _, duration_ms, _ = scan_video_packets(path, ctx.name, audio=True)
    if duration_ms is None or duration_ms <= 0:
        raise MediaRejected("The recording has no duration: no sound was recorded.")
    _check_length(duration_ms, limits, "recording")
    _first_frame(container.decode(stream), stream)
    return Probe(
        container=name,
        content_type=CONTENT_TYPES[name],
        video_codec=None,
        audio_codec=ctx.name,
        duration_ms=duration_ms,
        width=0,
        height=0,
        fps=None,
        rotation=0,
    )


def display_rotation(matrix_rotation: float) -> int:
    """FFmpeg's display-matrix angle is counter-clockwise; players turn clockwise."""
    return round(-matrix_rotation / 90.0) * 90 % 360


def _duration_ms(container: av.container.InputContainer, stream: av.stream.Stream) -> int | None:
    if stream.duration and stream.time_base:
        return int(stream.duration * Fraction(stream.time_base) * 1000)
    if container.duration:
        return int(container.duration / 1000)  # AV_TIME_BASE is microseconds
    return None


def scan_video_packets(
    path: Path, codec: str, *, audio: bool = False
) -> tuple[int, int, float | None]:
    """The video (or, with `audio`, the audio) stream's packet count, its span in ms
    (first timestamp to the end of the last packet) and its mean frame rate, read by
    demuxing the whole file. Timestamps,
    not a declared rate: a variable-frame-rate recording (a browser's) comes out right."""
    frames, first, last, read_to = 0, None, 0, 0
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            stream = (container.streams.audio if audio else container.streams.video)[0]
            time_base = Fraction(stream.time_base or Fraction(1, 1000))
            last_duration = 0
            for packet in container.demux():
                if packet.pos is not None and packet.pos >= 0:
                    read_to = max(read_to, packet.pos + packet.size)
                if packet.pts is None or packet.stream.index != stream.index:
                    continue  # the demuxer's flush packet, or audio
                frames += 1
                first = packet.pts if first is None else min(first, packet.pts)
                if packet.pts >= last:
                    last, last_duration = packet.pts, packet.duration or 0
    except av.FFmpegError as exc:
        raise MediaRejected(
            f"The video data ({codec}) cannot be read to its end: the file is truncated or damaged."
        ) from exc
    # A live-written file ends with its last block; the demuxer silently drops a block cut
    # short, so bytes left over past the last whole packet mean the file was truncated.
    slack = AUDIO_TRAILING_SLACK_BYTES if audio else TRAILING_SLACK_BYTES
    if path.stat().st_size - read_to > slack:
        raise MediaRejected(
            f"The recording is truncated: it stops part-way through a frame after "
            f"{clock(float((last - (first or 0)) * time_base * 1000))}. Was the upload cut short?"
        )
    if first is None:
        return 0, 0, None
    fps = float((frames - 1) / ((last - first) * time_base)) if last > first else None
    # The last frame is shown for its stated duration, or for an average frame's.
    shown = last_duration or ((last - first) / (frames - 1) if frames > 1 else 0)
    return frames, int((last + shown - first) * time_base * 1000), fps


def _container_name(demuxers: set[str], head: bytes) -> str:
    if "mov" in demuxers:
        return "mov" if head[8:12] == b"qt  " else "mp4"
    return "webm" if b"webm" in head else "matroska"
