"""One decoding pass that produces the playback rendition, the poster and the scrub sprite.

The rendition is H.264/AAC in MP4 with the index up front (faststart), a keyframe
every second (so seeking and frame stepping stay fast in a browser), the
rotation applied to the pixels (so every player shows it upright) and the short
side capped, so a portrait phone clip gets the same resolution as a landscape one.
Poster and sprite tiles are taken from the same rotated, scaled frames (stills.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
from av.filter import Graph
from av.video.frame import PictureType

from practika.media.probe import MediaRejected, Probe, clock
from practika.media.stills import Stills, save_audio_stills, scaled, tile_size

AUDIO_RATE = 48_000
ROTATE_FILTERS = {90: ["transpose=clock"], 180: ["hflip", "vflip"], 270: ["transpose=cclock"]}


@dataclass(frozen=True)
class RenderOptions:
    max_short_side: int = 720  # 720p for landscape and portrait alike
    crf: int = 23
    preset: str = "veryfast"
    # Cheap to decode (no CABAC, no deblocking, no weighted prediction): a frame step
    # decodes up to a second of video, and this halves its time in Chromium for about a
    # quarter more bytes at the same quality (docs/benchmarks.md, "Review player").
    tune: str | None = "fastdecode"


@dataclass(frozen=True)
class Rendered:
    rendition: Path
    poster: Path
    sprite: Path
    sprite_index: dict[str, int]
    width: int
    height: int


def output_size(probe: Probe, max_short_side: int) -> tuple[int, int]:
    """The upright (rotated) size with its short side capped: 1080x1920 gives 720x1280."""
    width, height = probe.display_size
    return scaled(width, height, Fraction(max_short_side, min(width, height)))


def gop_size(fps: float | None) -> int:
    """Frames between keyframes: one second's worth, so a seek or a frame step decodes at
    most a second of video (x264's default of 250 frames made a step take half a second)."""
    return max(1, round(fps or 30))


def gop_options(probe: Probe) -> dict[str, str]:
    """libx264 options for a keyframe exactly every second: the GOP and its minimum both
    one second, and no scene-cut keyframes in between (they would only add size)."""
    gop = str(gop_size(probe.fps))
    return {"g": gop, "keyint_min": gop, "sc_threshold": "0"}


class Keyframes:
    """When to force a keyframe: after `gop` frames or a second, whichever comes first, so
    a variable-frame-rate clip (a phone in low light, a browser recording) also has one
    every second where its rate drops below the nominal one."""

    def __init__(self, gop: int) -> None:
        self.gop = gop
        self.count = 0
        self.last_ms: float | None = None

    def due(self, ms: float) -> bool:
        due = self.last_ms is None or self.count >= self.gop or ms - self.last_ms >= 999
        if due:
            self.count, self.last_ms = 0, ms
        self.count += 1
        return due


def render(
    source: Path,
    probe: Probe,
    out_dir: Path,
    options: RenderOptions,
    on_progress: Callable[[float], None] | None = None,
) -> Rendered:
    """`on_progress` hears the share of the clip rendered so far (0..1), frame by frame."""
    if probe.video_codec is None:
        return render_audio(source, probe, out_dir, on_progress)
    size = output_size(probe, options.max_short_side)
    stills = Stills(probe.duration_ms, *tile_size(*size))
    rendition = out_dir / "rendition.mp4"
    last_ms = _transcode(source, rendition, probe, options, size, stills, on_progress)
    poster = stills.poster()
    _check_not_truncated(probe, last_ms)
    poster_path, sprite_path, index = stills.save(out_dir, poster)
    return Rendered(rendition, poster_path, sprite_path, index, *size)


def _transcode(
    source: Path,
    rendition: Path,
    probe: Probe,
    options: RenderOptions,
    size: tuple[int, int],
    stills: Stills,
    on_progress: Callable[[float], None] | None,
) -> float:
    """Decode `source` once into the rendition (and its audio), handing each upright,
    scaled frame to `stills` on the way; the time (ms) of the last frame."""
    with av.open(str(source), metadata_errors="ignore") as inp:
        vin = inp.streams.video[0]
        vin.thread_type = "AUTO"
        ain = inp.streams.audio[0] if inp.streams.audio else None
        with av.open(str(rendition), "w", format="mp4", options={"movflags": "+faststart"}) as out:
            video = VideoPath(out, vin, probe, options, size)
            graph = _video_graph(vin, probe.rotation, *size)
            audio = AudioPath(out, ain) if ain is not None else None

            def emit(frame: av.VideoFrame) -> None:
                ms = video.timestamp(frame)
                stills.take(frame, ms)
                video.encode(frame, ms)
                if on_progress is not None:
                    on_progress(min(1.0, video.last_ms / probe.duration_ms))

            try:
                _decode(inp, [s for s in (vin, ain) if s is not None], graph, emit, audio)
            except av.FFmpegError as exc:
                raise MediaRejected(
                    f"The video data is damaged near {clock(video.last_ms)} and cannot be decoded."
                ) from exc
            graph.push(None)
            for filtered in _pull(graph):
                emit(filtered)
            video.flush()
            if audio is not None:
                audio.flush()
    return video.last_ms


def _decode(
    inp: Any,
    streams: list[Any],
    graph: Graph,
    emit: Callable[[av.VideoFrame], None],
    audio: AudioPath | None,
) -> None:
    """Every packet decoded: pictures through the rotate-and-scale graph to `emit`, sound
    to `audio`."""
    for packet in inp.demux(*streams):
        for frame in packet.decode():
            if isinstance(frame, av.VideoFrame):
                graph.push(frame)
                for filtered in _pull(graph):
                    emit(filtered)
            elif audio is not None and isinstance(frame, av.AudioFrame):
                audio.encode(frame)


def _check_not_truncated(probe: Probe, last_ms: float) -> None:
    covered = last_ms + 1000 / (probe.fps or 30)
    if covered < probe.duration_ms * 0.9 - 500:
        raise MediaRejected(
            f"The file is truncated: only {clock(covered)} of its {clock(probe.duration_ms)} "
            "could be decoded."
        )


class VideoPath:
    """Upright, scaled frames → H.264 with a keyframe every second, in MP4."""

    def __init__(
        self,
        out: Any,
        vin: av.VideoStream,
        probe: Probe,
        options: RenderOptions,
        size: tuple[int, int],
    ) -> None:
        self.out = out
        self.stream = out.add_stream("libx264", rate=_rate(vin))
        self.stream.width, self.stream.height = size
        self.stream.pix_fmt = "yuv420p"
        self.time_base = vin.time_base or Fraction(1, 90_000)
        self.stream.codec_context.time_base = self.time_base
        tune = {"tune": options.tune} if options.tune else {}
        self.stream.options = {
            "crf": str(options.crf),
            "preset": options.preset,
            **tune,
            **gop_options(probe),
        }
        self.keys = Keyframes(gop_size(probe.fps))
        self.last_pts: int | None = None
        self.last_ms = 0.0

    def timestamp(self, frame: av.VideoFrame) -> float:
        """The frame's time in ms (a frame with none keeps the last one's)."""
        # Browsers' recordings can stamp two frames with the same time; MP4 needs
        # them strictly increasing, so the second moves a tick later.
        if frame.pts is not None:
            if self.last_pts is not None and frame.pts <= self.last_pts:
                frame.pts = self.last_pts + 1
            self.last_pts = frame.pts
        ms = float(frame.pts * self.time_base * 1000) if frame.pts is not None else self.last_ms
        self.last_ms = max(self.last_ms, ms)
        return ms

    def encode(self, frame: av.VideoFrame, ms: float) -> None:
        frame.pict_type = PictureType.I if self.keys.due(ms) else PictureType.NONE
        for packet in self.stream.encode(frame):
            self.out.mux(packet)

    def flush(self) -> None:
        for packet in self.stream.encode(None):
            self.out.mux(packet)


def _rate(stream: av.VideoStream) -> Fraction:
    rate = stream.average_rate or stream.guessed_rate or Fraction(30)
    return Fraction(rate).limit_denominator(1001)


def _video_graph(vin: av.VideoStream, rotation: int, width: int, height: int) -> Graph:
    graph = Graph()
    node: Any = graph.add_buffer(template=vin)
    for spec in [*ROTATE_FILTERS.get(rotation, []), f"scale={width}:{height}", "format=yuv420p"]:
        name, _, args = spec.partition("=")
        nxt = graph.add(name, args or None)
        node.link_to(nxt)
        node = nxt
    sink = graph.add("buffersink")
    node.link_to(sink)
    graph.configure()
    return graph


def _pull(graph: Graph) -> list[av.VideoFrame]:
    frames = []
    while True:
        try:
            frames.append(graph.vpull())
        except (av.BlockingIOError, av.EOFError):
            return frames


class AudioPath:
    """Decoded audio → 48 kHz stereo AAC, with timestamps counted in samples."""

    def __init__(self, out: Any, ain: av.AudioStream) -> None:
        self.out = out
        self.stream = out.add_stream("aac", rate=AUDIO_RATE)
        self.stream.layout = "stereo"
        self.stream.bit_rate = 128_000
        self.resampler = av.AudioResampler(format="fltp", layout="stereo", rate=AUDIO_RATE)
        self.samples = 0

    def encode(self, frame: av.AudioFrame | None) -> None:
        for chunk in self.resampler.resample(frame):
            chunk.pts = self.samples
            chunk.time_base = Fraction(1, AUDIO_RATE)
            self.samples += chunk.samples
            for packet in self.stream.encode(chunk):
                self.out.mux(packet)

    def flush(self) -> None:
        self.encode(None)
        for packet in self.stream.encode(None):
            self.out.mux(packet)


def render_audio(
    source: Path,
    probe: Probe,
    out_dir: Path,
    on_progress: Callable[[float], None] | None = None,
) -> Rendered:
    """A clip of audio alone (a voice-over, a voice reply): AAC in an MP4 with no picture,
    and a plain poster and one-tile sprite, so it plays and lists like any other clip."""
    rendition = out_dir / "rendition.mp4"
    with (
        av.open(str(source), metadata_errors="ignore") as inp,
        av.open(str(rendition), "w", format="mp4", options={"movflags": "+faststart"}) as out,
    ):
        ain = inp.streams.audio[0]
        audio = AudioPath(out, ain)
        try:
            for frame in inp.decode(ain):
                audio.encode(frame)
                if on_progress is not None and probe.duration_ms:
                    on_progress(min(1.0, audio.samples * 1000 / AUDIO_RATE / probe.duration_ms))
        except av.FFmpegError as exc:
            heard = audio.samples * 1000 / AUDIO_RATE
            raise MediaRejected(
                f"The audio data is damaged near {clock(heard)} and cannot be decoded."
            ) from exc
        audio.flush()
    heard = audio.samples * 1000 / AUDIO_RATE
    if heard < probe.duration_ms * 0.9 - 500:
        raise MediaRejected(
            f"The recording is truncated: only {clock(heard)} of its "
            f"{clock(probe.duration_ms)} could be decoded."
        )
    poster_path, sprite_path, index = save_audio_stills(out_dir, probe.duration_ms)
    return Rendered(rendition, poster_path, sprite_path, index, 0, 0)
