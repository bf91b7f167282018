"""Test videos, generated with PyAV: no binary fixtures are downloaded or committed."""

from __future__ import annotations

import array
import math
import struct
from fractions import Fraction
from pathlib import Path

import av
from PIL import Image, ImageDraw, ImageStat


def make_clip(
    path: Path,
    *,
    codec: str = "libx264",
    size: tuple[int, int] = (64, 48),
    seconds: float = 1.0,
    fps: int = 15,
    audio: bool = False,
    rotation: int | None = None,
    container: str | None = None,
    faststart: bool = False,
) -> Path:
    """A short moving test pattern (and a 440 Hz tone if `audio`)."""
    width, height = size
    options = {"movflags": "+faststart"} if faststart else {}
    with av.open(str(path), "w", format=container, options=options) as out:
        stream = out.add_stream(codec, rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        if codec == "libx265":
            stream.options = {"x265-params": "log-level=error"}
        if rotation is not None:
            stream.set_display_rotation(rotation)
        sound = (
            out.add_stream("aac" if container != "webm" else "libopus", rate=48000)
            if audio
            else None
        )
        if sound is not None:
            sound.layout = "mono"
        for i in range(int(seconds * fps)):
            image = Image.new("RGB", (width, height), (20, 20, 20))
            draw = ImageDraw.Draw(image)
            draw.rectangle([0, 0, (i * 7) % width, height // 2], fill=(220, 60, 40))
            draw.rectangle([0, height // 2, width // 3, height], fill=(40, 200, 80))
            for packet in stream.encode(av.VideoFrame.from_image(image)):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
        if sound is not None:
            step, pts = 960, 0
            while pts < seconds * 48000:
                frame = av.AudioFrame(format="flt", layout="mono", samples=step)
                samples = (
                    0.2 * math.sin(2 * math.pi * 440 * (pts + j) / 48000) for j in range(step)
                )
                frame.planes[0].update(array.array("f", samples).tobytes())
                frame.sample_rate, frame.pts, frame.time_base = 48000, pts, Fraction(1, 48000)
                pts += step
                for packet in sound.encode(frame):
                    out.mux(packet)
            for packet in sound.encode(None):
                out.mux(packet)
    return path


def make_marked_clip(
    path: Path, *, size: tuple[int, int], rotation: int | None = None, frames: int = 3
) -> Path:
    """A dark picture with a bright block in its stored top-left corner, to see where the
    rendition puts it. `rotation` is PyAV's display rotation: counter-clockwise degrees."""
    width, height = size
    image = Image.new("RGB", size, (10, 10, 10))
    ImageDraw.Draw(image).rectangle([0, 0, width // 3, height // 3], fill=(250, 250, 250))
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=5)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        if rotation is not None:
            stream.set_display_rotation(rotation)
        for _ in range(frames):
            for packet in stream.encode(av.VideoFrame.from_image(image)):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def bright_corner(image: Image.Image) -> str:
    """Which corner of the picture is brightest: "top-left", "bottom-right", …"""
    gray = image.convert("L")
    w, h = gray.size
    qw, qh = w // 4, h // 4
    boxes = {
        "top-left": (0, 0, qw, qh),
        "top-right": (w - qw, 0, w, qh),
        "bottom-left": (0, h - qh, qw, h),
        "bottom-right": (w - qw, h - qh, w, h),
    }
    return max(boxes, key=lambda name: ImageStat.Stat(gray.crop(boxes[name])).mean[0])


def make_audio_only(path: Path, seconds: float = 1.0) -> Path:
    with av.open(str(path), "w", format="mp4") as out:
        sound = out.add_stream("aac", rate=48000)
        sound.layout = "mono"
        step, pts = 1024, 0
        while pts < seconds * 48000:
            frame = av.AudioFrame(format="flt", layout="mono", samples=step)
            frame.planes[0].update(bytes(4 * step))
            frame.sample_rate, frame.pts, frame.time_base = 48000, pts, Fraction(1, 48000)
            pts += step
            for packet in sound.encode(frame):
                out.mux(packet)
        for packet in sound.encode(None):
            out.mux(packet)
    return path


def make_long_declared(path: Path, hours: float = 5.0) -> Path:
    """Two frames, hours apart: a tiny file that declares an absurd duration."""
    with av.open(str(path), "w", format="mp4") as out:
        stream = out.add_stream("libx264", rate=1)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        stream.codec_context.time_base = Fraction(1, 1)
        for pts in (0, int(hours * 3600)):
            frame = av.VideoFrame.from_image(Image.new("RGB", (64, 48), (90, 90, 90)))
            frame.pts, frame.time_base = pts, Fraction(1, 1)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def top_level_boxes(path: Path) -> list[str]:
    """The MP4's top-level box types, in file order (faststart puts moov before mdat)."""
    data, boxes, offset = path.read_bytes(), [], 0
    while offset + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[offset : offset + 8])
        boxes.append(kind.decode("latin-1"))
        if size == 1:
            size = struct.unpack(">Q", data[offset + 8 : offset + 16])[0]
        if size < 8:
            break
        offset += size
    return boxes


def bad_inputs(folder: Path) -> dict[str, tuple[Path, str]]:
    """Each bad input the issue names, with a word its failure reason must contain."""
    folder.mkdir(parents=True, exist_ok=True)
    zero = folder / "zero.mp4"
    zero.write_bytes(b"")
    text = folder / "notes.mp4"
    text.write_text("These are my training notes, not a video.\n" * 40)
    whole = make_clip(folder / "whole.mp4", seconds=2)
    truncated = folder / "truncated.mp4"
    truncated.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    huge = make_clip(folder / "huge.mp4", size=(9000, 16), seconds=1, fps=2)
    audio = make_audio_only(folder / "voice.mp4")
    still = folder / "photo.mp4"  # a JPEG renamed
    Image.new("RGB", (64, 48), (200, 100, 50)).save(still, "JPEG")
    long = make_long_declared(folder / "long.mp4")
    return {
        "zero bytes": (zero, "empty"),
        "text renamed .mp4": (text, "not a video"),
        "truncated mp4": (truncated, "incomplete"),
        "huge dimension": (huge, "9000x16"),
        "audio only": (audio, "only audio"),
        "still image": (still, "still image"),
        "absurd duration": (long, "limit"),
    }


_CONTAINER_BOXES = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf"}


def _boxes(data: bytes, start: int, end: int) -> list[tuple[int, int, bytes]]:
    """(offset, size, type) of the boxes in data[start:end] (32-bit sizes: tiny clips)."""
    found, at = [], start
    while at + 8 <= end:
        size, kind = struct.unpack(">I4s", data[at : at + 8])
        found.append((at, size, kind))
        at += size
    return found


def with_free_box_after_ftyp(mp4: bytes, payload: bytes) -> bytes:
    """The same MP4 with a `free` box holding `payload` right after `ftyp`, in the first
    bytes a content sniffer reads; chunk offsets (stco/co64) moved to stay valid."""
    box = struct.pack(">I4s", len(payload) + 8, b"free") + payload
    top = _boxes(mp4, 0, len(mp4))
    assert top[0][2] == b"ftyp", top
    cut = top[0][1]
    out = bytearray(mp4[:cut] + box + mp4[cut:])
    shift = len(box)

    def fix(start: int, end: int) -> None:
        for at, size, kind in _boxes(out, start, end):
            if kind in _CONTAINER_BOXES:
                fix(at + 8, at + size)
            elif kind in (b"stco", b"co64"):
                count = struct.unpack(">I", out[at + 12 : at + 16])[0]
                width, code = (4, ">I") if kind == b"stco" else (8, ">Q")
                for i in range(count):
                    pos = at + 16 + i * width
                    (value,) = struct.unpack(code, out[pos : pos + width])
                    out[pos : pos + width] = struct.pack(code, value + shift)

    fix(cut + shift, len(out))
    return bytes(out)


def _pattern(i: int, size: tuple[int, int]) -> av.VideoFrame:
    width, height = size
    image = Image.new("RGB", size, (20, 20, 20))
    # A block sliding slowly (a pixel a frame): no scene cuts for the encoder to find.
    x = i % (width - 8)
    ImageDraw.Draw(image).rectangle([x, 0, x + 8, height // 2], fill=(220, 60, 40))
    return av.VideoFrame.from_image(image)


def make_timed_clip(
    path: Path,
    times_ms: list[int],
    *,
    codec: str = "libx264",
    container: str | None = None,
    size: tuple[int, int] = (64, 48),
    options: dict[str, str] | None = None,
) -> Path:
    """A clip whose frames are shown at exactly `times_ms` (millisecond timestamps), so
    the frame rate can vary as a phone's or a browser's does."""
    with av.open(str(path), "w", format=container, options=options or {}) as out:
        stream = out.add_stream(codec, rate=30)
        stream.width, stream.height, stream.pix_fmt = *size, "yuv420p"
        stream.codec_context.time_base = Fraction(1, 1000)
        for i, ms in enumerate(times_ms):
            frame = _pattern(i, size)
            frame.pts, frame.time_base = ms, Fraction(1, 1000)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def make_live_webm(path: Path, seconds: float = 2.0, fps: int = 15) -> Path:
    """A VP9 WebM written as a live stream, as a browser's MediaRecorder writes it: no
    duration in its header and no cues."""
    times = [round(i * 1000 / fps) for i in range(int(seconds * fps))]
    return make_timed_clip(path, times, codec="libvpx-vp9", container="webm", options={"live": "1"})


def variable_rate_times(seconds: float = 3.0) -> list[int]:
    """Frame times of a phone clip that drops from 30 to 15 fps half-way (low light)."""
    half = int(seconds * 500)
    return [*range(0, half, 33), *range(half, int(seconds * 1000), 67)]
