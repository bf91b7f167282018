"""Clips of a real person for the model path: a photo that scikit-image ships
(its `astronaut` sample), moved across a frame by known transforms, encoded with
PyAV. Nothing is downloaded; the motion is known exactly, so landmarks can be
checked against it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import av
import numpy as np
from PIL import Image
from skimage import data

# (frame index) -> (dx, dy, scale): the photo's offset (fraction of the frame) and size.
Motion = Callable[[int], tuple[float, float, float]]


def sliding(frames: int, span: float = 0.3) -> Motion:
    """Left to right by `span` of the frame width, size unchanged."""
    return lambda i: (span * i / max(1, frames - 1), 0.0, 1.0)


def person_clip(
    path: Path,
    *,
    seconds: float = 2.0,
    fps: int = 30,
    size: tuple[int, int] = (1280, 720),
    motion: Motion | None = None,
) -> Path:
    width, height = size
    photo = Image.fromarray(data.astronaut())
    frames = int(seconds * fps)
    motion = motion or sliding(frames)
    base = int(height * 0.9)
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        for i in range(frames):
            dx, dy, scale = motion(i)
            side = int(base * scale)
            canvas = Image.new("RGB", (width, height), (96, 104, 112))
            canvas.paste(photo.resize((side, side)), placement(i, motion, size))
            for packet in stream.encode(av.VideoFrame.from_image(canvas)):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def placement(i: int, motion: Motion, size: tuple[int, int]) -> tuple[int, int]:
    """Top-left corner of the photo in frame `i` (pixels)."""
    width, height = size
    dx, dy, _ = motion(i)
    return int(width * (0.1 + dx)), int(height * (0.05 + dy))


def photo_scale(i: int, motion: Motion, size: tuple[int, int]) -> float:
    return int(size[1] * 0.9 * motion(i)[2]) / 512


def expected_points(
    reference: np.ndarray, i: int, motion: Motion, size: tuple[int, int]
) -> np.ndarray:
    """Where landmarks found at `reference` (photo pixels, (K, 2)) should be in frame i,
    normalised to the frame."""
    x0, y0 = placement(i, motion, size)
    s = photo_scale(i, motion, size)
    out = np.empty_like(reference, dtype=np.float64)
    out[:, 0] = (x0 + reference[:, 0] * s) / size[0]
    out[:, 1] = (y0 + reference[:, 1] * s) / size[1]
    return out
