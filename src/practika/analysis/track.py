"""A video's pose track and its compact stored form.

Coordinates are normalised to the upright picture (x of its width, y of its height,
as the rendition shows it), so the overlay fits any rendition size. Stored as a
small JSON header and three arrays (times, coordinates quantised to uint16 over
[-0.25, 1.25], visibility as uint8), zlib-compressed: about 130 bytes a frame
before compression, a few MB an hour.
"""

from __future__ import annotations

import json
import struct
import zlib
from dataclasses import dataclass

import numpy as np

from practika.analysis.skeleton import LANDMARKS

MAGIC = b"PKPOSE1\n"
N_LANDMARKS = len(LANDMARKS)
_LO, _HI = -0.25, 1.25  # landmarks may lie a little outside the picture
_SCALE = 65535 / (_HI - _LO)


class TrackFormatError(ValueError):
    """The bytes are not a pose track this code wrote."""


@dataclass
class PoseTrack:
    """`times_ms` (N,), `xy` (N, 33, 2) normalised, `visibility` (N, 33) in [0, 1]; a frame
    with no person has visibility 0 everywhere. `width`/`height`: the upright picture."""

    times_ms: np.ndarray
    xy: np.ndarray
    visibility: np.ndarray
    width: int
    height: int
    model: str

    def __post_init__(self) -> None:
        n = len(self.times_ms)
        if self.xy.shape != (n, N_LANDMARKS, 2) or self.visibility.shape != (n, N_LANDMARKS):
            raise ValueError("a pose track's arrays must agree in length and landmark count")

    @property
    def frame_count(self) -> int:
        return len(self.times_ms)

    @property
    def present(self) -> np.ndarray:
        """Frames in which a person was found."""
        return self.visibility.max(axis=1) > 0 if self.frame_count else np.zeros(0, bool)

    @property
    def aspect(self) -> float:
        return self.width / self.height if self.height else 1.0

    def points(self) -> np.ndarray:
        """Coordinates in a square-pixel space (x scaled by the aspect), for angles."""
        pts = self.xy.astype(np.float64).copy()
        pts[..., 0] *= self.aspect
        return pts


def encode(track: PoseTrack) -> bytes:
    header = json.dumps(
        {
            "frames": track.frame_count,
            "landmarks": N_LANDMARKS,
            "width": track.width,
            "height": track.height,
            "model": track.model,
        }
    ).encode()
    times = np.asarray(track.times_ms, dtype="<i4")
    xy = np.clip(np.rint((track.xy - _LO) * _SCALE), 0, 65535).astype("<u2")
    vis = np.clip(np.rint(track.visibility * 255), 0, 255).astype(np.uint8)
    body = zlib.compress(times.tobytes() + xy.tobytes() + vis.tobytes(), 6)
    return MAGIC + struct.pack("<I", len(header)) + header + body


def decode(data: bytes) -> PoseTrack:
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 4:
        raise TrackFormatError("not a pose track")
    (size,) = struct.unpack_from("<I", data, len(MAGIC))
    start = len(MAGIC) + 4
    try:
        head = json.loads(data[start : start + size])
        raw = zlib.decompress(data[start + size :])
    except (ValueError, zlib.error) as exc:
        raise TrackFormatError(f"damaged pose track: {exc}") from exc
    n, m = int(head["frames"]), int(head["landmarks"])
    if m != N_LANDMARKS or len(raw) != n * 4 + n * m * 2 * 2 + n * m:
        raise TrackFormatError("pose track arrays do not match their header")
    times = np.frombuffer(raw, "<i4", n, 0).astype(np.int64)
    xy = np.frombuffer(raw, "<u2", n * m * 2, n * 4).reshape(n, m, 2) / _SCALE + _LO
    vis = np.frombuffer(raw, np.uint8, n * m, n * 4 + n * m * 4).reshape(n, m) / 255.0
    return PoseTrack(times, xy, vis, int(head["width"]), int(head["height"]), str(head["model"]))
