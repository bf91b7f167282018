"""Short synthetic practice clips for the demo data: a figure squatting, with a tone."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import av
from PIL import Image, ImageDraw

RATE = 48_000


def squat_clip(
    path: Path, *, seconds: float, size: tuple[int, int] = (270, 480), fps: int = 12, hue: int = 0
) -> Path:
    """A portrait clip of a stick figure doing slow squats (one every four seconds)."""
    width, height = size
    with av.open(str(path), "w", format="mp4", options={"movflags": "+faststart"}) as out:
        video = out.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.options = {"preset": "ultrafast", "crf": "28"}
        audio = out.add_stream("aac", rate=RATE)
        audio.layout = "mono"
        for i in range(int(seconds * fps)):
            t = i / fps
            depth = (1 - math.cos(2 * math.pi * t / 4)) / 2  # 0 standing … 1 bottom
            image = Image.new("RGB", (width, height), (24 + hue, 28, 40))
            _figure(ImageDraw.Draw(image), width, height, depth, hue)
            for packet in video.encode(av.VideoFrame.from_image(image)):
                out.mux(packet)
        for packet in video.encode(None):
            out.mux(packet)
        step, pts = 1024, 0
        while pts < seconds * RATE:
            frame = av.AudioFrame(format="s16", layout="mono", samples=step)
            beat = (pts // (RATE * 4)) * RATE * 4  # a short click at the start of each rep
            samples = bytearray()
            for j in range(step):
                n = pts + j
                amp = 6000 if n - beat < RATE // 20 else 0
                samples += int(amp * math.sin(2 * math.pi * 880 * n / RATE)).to_bytes(
                    2, "little", signed=True
                )
            frame.planes[0].update(bytes(samples))
            frame.sample_rate, frame.pts, frame.time_base = RATE, pts, Fraction(1, RATE)
            pts += step
            for packet in audio.encode(frame):
                out.mux(packet)
        for packet in audio.encode(None):
            out.mux(packet)
    return path


def _figure(draw: ImageDraw.ImageDraw, width: int, height: int, depth: float, hue: int) -> None:
    floor = int(height * 0.88)
    draw.rectangle([0, floor, width, height], fill=(60, 64, 80))
    cx = width // 2
    hip_y = int(floor - height * (0.42 - 0.18 * depth))
    knee_x = int(cx + width * 0.16 * depth)
    knee_y = int(floor - height * 0.2)
    shoulder_y = hip_y - int(height * 0.24)
    lean = int(width * 0.08 * depth)
    colour = (240, 180 - hue, 80 + hue)
    line = max(3, width // 40)
    for foot_dx in (-width // 10, width // 10):
        draw.line(
            [(cx + foot_dx, floor), (knee_x + foot_dx, knee_y), (cx, hip_y)],
            fill=colour,
            width=line,
        )
    draw.line([(cx, hip_y), (cx + lean, shoulder_y)], fill=colour, width=line)
    draw.line(
        [(cx + lean, shoulder_y + 10), (cx + lean + width // 5, shoulder_y + 20)],
        fill=colour,
        width=line,
    )
    r = width // 14
    draw.ellipse([cx + lean - r, shoulder_y - 2 * r, cx + lean + r, shoulder_y], fill=colour)
