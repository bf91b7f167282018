"""The compositor: a processed video re-timed, with drawings and captions burnt in.

One pass writes an H.264/AAC MP4. A `Plan` says, for each moment of the output,
which moment of the source to show (a pause holds a frame, slow motion repeats
frames, a scrub jumps) and what to draw over it; the audio comes from a file of
its own (a voice-over) or the source itself (an annotated export). Voice-over
reviews and annotated exports are two plans for this one compositor.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Protocol

import av
from av.video.frame import PictureType
from PIL import Image, ImageDraw

from practika.media.measuring import Measures, font, paint_measures, rgb
from practika.media.render import AudioPath, Keyframes, gop_size

SEEK_SLACK_MS = 0.5  # a requested time this close to a frame's is that frame


@dataclass(frozen=True)
class Shape:
    """A drawing in coordinates normalised to the picture (the API's drawing shape)."""

    type: str
    points: tuple[tuple[float, float], ...]
    color: str = "#ff3b30"
    width: float = 0.005

    @classmethod
    def of(cls, data: dict[str, Any]) -> Shape:
        return cls(
            str(data.get("type", "line")),
            tuple((float(x), float(y)) for x, y in data.get("points", ())),
            str(data.get("color") or "#ff3b30"),
            float(data.get("width") or 0.005),
        )


@dataclass(frozen=True)
class Layers:
    """What is drawn over one output frame."""

    shapes: tuple[Shape, ...] = ()
    captions: tuple[str, ...] = ()
    measures: tuple[Measures, ...] = ()  # one group per comment, as the player groups them

    def __bool__(self) -> bool:
        return bool(self.shapes or self.captions or self.measures)


class Plan(Protocol):
    duration_ms: int

    def source_ms(self, t_ms: float) -> float: ...
    def layers_at(self, t_ms: float) -> Layers: ...


@dataclass(frozen=True)
class ComposeOptions:
    crf: int = 23
    preset: str = "veryfast"


@dataclass(frozen=True)
class Composed:
    path: Path
    duration_ms: int
    frames: int
    width: int
    height: int


class _Frames:
    """The source's frames by time: decoding forward, seeking back (a keyframe a second
    in the rendition keeps a backward jump to at most a second of decoding)."""

    def __init__(self, container: Any, stream: Any) -> None:
        self.container, self.stream = container, stream
        self.time_base = Fraction(stream.time_base or Fraction(1, 90_000))
        self.earliest = -math.inf
        self._restart(None)

    def _restart(self, ms: float | None) -> None:
        if ms is not None:
            self.container.seek(int(ms / 1000 / self.time_base), stream=self.stream)
        self._decoded = self.container.decode(self.stream)
        self.current = self._next()
        if self.current is None:
            raise ValueError("the source holds no picture")
        self.ahead = self._next()
        if ms is not None and self.current[1] > ms:
            self.earliest = self.current[1]  # nothing earlier to seek to

    def _next(self) -> tuple[av.VideoFrame, float] | None:
        for frame in self._decoded:
            if frame.pts is not None:
                return frame, float(frame.pts * self.time_base * 1000)
        return None

    def at(self, ms: float) -> tuple[av.VideoFrame, float]:
        """The frame on screen `ms` into the source: the last one starting at or before."""
        assert self.current is not None
        if ms + SEEK_SLACK_MS < self.current[1] and self.current[1] > self.earliest:
            self._restart(ms)
        while self.ahead is not None and self.ahead[1] <= ms + SEEK_SLACK_MS:
            self.current, self.ahead = self.ahead, self._next()
        assert self.current is not None
        return self.current


def paint(layers: Layers, size: tuple[int, int]) -> Image.Image:
    """The layers as a transparent picture `size` big: shapes as the web player paints
    them (web/src/features/review/drawing.ts), the measuring tools over them as its
    measure layer does (media/measuring.py), captions in a band at the bottom."""
    w, h = size
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    for shape in layers.shapes:
        pts = [(x * w, y * h) for x, y in shape.points]
        color = (*rgb(shape.color, (255, 59, 48)), 255)
        width = max(2, round(shape.width * w))
        if not pts:
            continue
        if shape.type == "circle" and len(pts) >= 2:
            (x0, y0), (x1, y1) = pts[0], pts[-1]
            box = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
            draw.ellipse(box, outline=color, width=width)
        elif shape.type == "rect" and len(pts) >= 2:
            (x0, y0), (x1, y1) = pts[0], pts[-1]
            box = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
            draw.rectangle(box, outline=color, width=width)
        elif len(pts) == 1:
            x, y = pts[0]
            draw.ellipse((x - width, y - width, x + width, y + width), fill=color)
        else:  # line, arrow, freehand and any polyline tool
            draw.line(pts, fill=color, width=width, joint="curve")
            if shape.type == "arrow":
                (x0, y0), (x1, y1) = pts[0], pts[-1]
                angle = math.atan2(y1 - y0, x1 - x0)
                head = max(10, width * 4)
                for side in (-1, 1):
                    tip = (
                        x1 - head * math.cos(angle + side * 0.45),
                        y1 - head * math.sin(angle + side * 0.45),
                    )
                    draw.line([(x1, y1), tip], fill=color, width=width)
    paint_measures(draw, layers.measures, size)
    if layers.captions:
        font_size = max(12, h // 20)
        face = font(font_size)
        per_line = max(10, int(w / (font_size * 0.55)))
        lines = [
            line
            for caption in layers.captions
            for line in textwrap.wrap(caption, per_line, max_lines=3, placeholder=" …")
        ][-6:]
        line_h = round(font_size * 1.3)
        top = h - line_h * len(lines) - font_size // 2
        draw.rectangle((0, top - font_size // 4, w, h), fill=(0, 0, 0, 170))
        for i, line in enumerate(lines):
            draw.text((font_size // 2, top + i * line_h), line, font=face, fill=(255, 255, 255))
    return image


def compose(
    source: Path,
    out_path: Path,
    plan: Plan,
    *,
    audio: Path | None,
    options: ComposeOptions = ComposeOptions(),
    on_progress: Callable[[float], None] | None = None,
) -> Composed:
    """Write `plan` over `source` to `out_path`; `audio` is the sound track's file (the
    source itself for its own sound, None for silence)."""
    with av.open(str(source), metadata_errors="ignore") as inp:
        vin = inp.streams.video[0]
        vin.thread_type = "AUTO"
        rate = Fraction(vin.average_rate or vin.guessed_rate or 30).limit_denominator(1001)
        fps = float(rate)
        width, height = vin.codec_context.width, vin.codec_context.height
        frames = _Frames(inp, vin)
        count = max(1, math.ceil(plan.duration_ms * fps / 1000))
        with av.open(str(out_path), "w", format="mp4", options={"movflags": "+faststart"}) as out:
            vout = out.add_stream("libx264", rate=rate)
            vout.width, vout.height, vout.pix_fmt = width, height, "yuv420p"
            vout.codec_context.time_base = 1 / rate
            gop = str(gop_size(fps))
            vout.options = {
                "crf": str(options.crf),
                "preset": options.preset,
                "g": gop,
                "keyint_min": gop,
                "sc_threshold": "0",
            }
            keys = Keyframes(gop_size(fps))
            sound = _Sound(out, audio, plan.duration_ms) if audio is not None else None
            overlays: dict[Layers, Image.Image] = {}
            last: tuple[float, Layers, av.VideoFrame] | None = None
            for i in range(count):
                t_ms = i * 1000 / fps
                frame, frame_ms = frames.at(plan.source_ms(t_ms))
                layers = plan.layers_at(t_ms)
                if last is not None and last[0] == frame_ms and last[1] == layers:
                    picture = last[2]  # a held frame: encode the same picture again
                else:
                    picture = _composited(frame, layers, overlays)
                    last = (frame_ms, layers, picture)
                out_frame = picture.reformat(format="yuv420p")
                out_frame.pts = i
                out_frame.time_base = vout.codec_context.time_base
                out_frame.pict_type = PictureType.I if keys.due(t_ms) else PictureType.NONE
                for packet in vout.encode(out_frame):
                    out.mux(packet)
                if on_progress is not None:
                    on_progress((i + 1) / count)
            for packet in vout.encode(None):
                out.mux(packet)
            if sound is not None:
                sound.mux()
    return Composed(out_path, round(count * 1000 / fps), count, width, height)


def _composited(
    frame: av.VideoFrame, layers: Layers, overlays: dict[Layers, Image.Image]
) -> av.VideoFrame:
    if not layers:
        return frame
    picture = frame.to_image()
    overlay = overlays.get(layers)
    if overlay is None:
        if len(overlays) > 64:  # a long review draws many states: keep the recent ones
            overlays.clear()
        overlay = overlays[layers] = paint(layers, picture.size)
    picture.paste(overlay, (0, 0), overlay)
    return av.VideoFrame.from_image(picture)


class _Sound:
    """The first audio stream of a file, cut at `duration_ms`, as 48 kHz AAC. Its output
    stream is added before the first packet is written (the header lists every stream)."""

    def __init__(self, out: Any, path: Path, duration_ms: int) -> None:
        self.inp = av.open(str(path), metadata_errors="ignore")
        self.ain = self.inp.streams.audio[0] if self.inp.streams.audio else None
        self.track = AudioPath(out, self.ain) if self.ain is not None else None
        self.limit = duration_ms * 48  # samples at 48 kHz

    def mux(self) -> None:
        try:
            if self.track is None:
                return
            for frame in self.inp.decode(self.ain):
                if not isinstance(frame, av.AudioFrame) or self.track.samples >= self.limit:
                    break
                self.track.encode(frame)
            self.track.flush()
        finally:
            self.inp.close()
