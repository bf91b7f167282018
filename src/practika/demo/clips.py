"""Clips of a drawn figure doing squats: the demo's reference and attempt videos, and
the analysis tests' articulated motion.

The figure is simple but person-like enough for the pose model (head with a face,
shirt, trousers, skin-coloured forearms), and its joint angles are known exactly at
every frame: the knee bends by `depth` degrees at the bottom of each rep, the arms
rise as it sinks. `warp` maps clip time to movement time, so two clips of the same
movement at different tempi have a known time map between them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import av
from PIL import Image, ImageDraw

SKIN, SHIRT, TROUSERS, HAIR, SHOES = (
    (224, 172, 140),
    (40, 90, 160),
    (50, 50, 60),
    (60, 40, 20),
    (30, 30, 30),
)
BACKGROUND = (200, 210, 220)


def knee_flexion(t_s: float, period_s: float, depth_deg: float) -> float:
    """Degrees of knee bend at movement time t: 0 standing, `depth` at the bottom."""
    return depth_deg * (1 - math.cos(2 * math.pi * t_s / period_s)) / 2


def draw_figure(size: tuple[int, int], flexion_deg: float) -> Image.Image:
    width, height = size
    u = height / 720  # the figure was drawn for 720 px; scale to the frame
    image = Image.new("RGB", size, BACKGROUND)
    d = ImageDraw.Draw(image)
    cx, ankle_y, leg = width / 2, 650 * u, 125 * u
    half = math.radians(flexion_deg) / 2
    hip_y = ankle_y - 2 * leg * math.cos(half)
    for side in (-1, 1):
        ax = cx + side * 35 * u
        kx, ky = ax + side * leg * math.sin(half), ankle_y - leg * math.cos(half)
        d.line([(ax, hip_y), (kx, ky)], fill=TROUSERS, width=int(46 * u))
        d.line([(kx, ky), (ax, ankle_y)], fill=TROUSERS, width=int(40 * u))
        d.ellipse([ax - 25 * u, ankle_y - 10 * u, ax + 35 * u, ankle_y + 20 * u], fill=SHOES)
    top = hip_y - 190 * u
    d.rounded_rectangle(
        [cx - 70 * u, top, cx + 70 * u, hip_y + 10 * u], radius=int(30 * u), fill=SHIRT
    )
    raise_ = math.radians(15 + flexion_deg * 0.6)  # arms come forward/up as the figure sinks
    for side in (-1, 1):
        sx, sy = cx + side * 70 * u, top + 20 * u
        ex, ey = sx + side * 110 * u * math.sin(raise_), sy + 110 * u * math.cos(raise_)
        wx, wy = ex + side * 100 * u * math.sin(raise_), ey + 100 * u * math.cos(raise_)
        d.line([(sx, sy), (ex, ey)], fill=SHIRT, width=int(34 * u))
        d.line([(ex, ey), (wx, wy)], fill=SKIN, width=int(28 * u))
        d.ellipse([wx - 16 * u, wy - 16 * u, wx + 16 * u, wy + 16 * u], fill=SKIN)
    d.rectangle([cx - 18 * u, top - 30 * u, cx + 18 * u, top + 5 * u], fill=SKIN)
    d.ellipse([cx - 45 * u, top - 130 * u, cx + 45 * u, top - 20 * u], fill=SKIN)
    for side in (-1, 1):
        ex = cx + side * 18 * u
        d.ellipse([ex - 7 * u, top - 95 * u, ex + 7 * u, top - 85 * u], fill=(40, 30, 30))
    d.arc(
        [cx - 20 * u, top - 70 * u, cx + 20 * u, top - 45 * u],
        20,
        160,
        fill=(150, 60, 60),
        width=max(1, int(4 * u)),
    )
    d.pieslice([cx - 48 * u, top - 140 * u, cx + 48 * u, top - 80 * u], 180, 360, fill=HAIR)
    return image


def squat_clip(
    path: Path,
    *,
    seconds: float = 6.0,
    fps: int = 30,
    size: tuple[int, int] = (640, 480),
    period_s: float = 2.0,
    depth_deg: float = 110.0,
    warp: Callable[[float], float] | None = None,
) -> Path:
    """`seconds` of squats, one every `period_s` of movement time (see `warp`)."""
    warp = warp or (lambda t: t)
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuv420p"
        # Small files (the e2e suite uploads them in 16 KB parts); a keyframe a second.
        stream.options = {"g": str(fps), "preset": "veryfast", "crf": "28"}
        for i in range(int(seconds * fps)):
            flexion = knee_flexion(warp(i / fps), period_s, depth_deg)
            frame = av.VideoFrame.from_image(draw_figure(size, flexion))
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path
