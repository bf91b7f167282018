"""Aligning two performances of a movement by the movement itself (dynamic time warping).

The result is a time map: for every analysed frame of the attempt, the moment of the
reference that matches it. DTW (dtaidistance's C implementation) runs over the
position- and scale-invariant pose features of `features.pose_features`, resampled
to a common rate so that a 60 s pair costs well under a second.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from dtaidistance import dtw_ndim

from practika.analysis.features import pose_features
from practika.analysis.track import PoseTrack

ALIGN_FPS = 15.0  # fine enough for moments a coach names, 4x cheaper than 30 fps
STD_FLOOR = 0.1  # in feature units: unit-vector components, angles / 90°


@dataclass
class Alignment:
    """Matched times, monotone in both: `attempt_ms[i]` matches `reference_ms[i]`."""

    attempt_ms: np.ndarray
    reference_ms: np.ndarray
    cost: float  # mean standardised feature distance along the path: 0 = same shape

    def reference_at(self, t_ms: float | np.ndarray) -> np.ndarray:
        return np.interp(t_ms, self.attempt_ms, self.reference_ms)

    def as_pairs(self) -> list[list[int]]:
        return [[int(a), int(r)] for a, r in zip(self.attempt_ms, self.reference_ms, strict=True)]


def resample(track: PoseTrack, fps: float = ALIGN_FPS) -> tuple[np.ndarray, np.ndarray]:
    """Features on an even time grid (nearest analysed frame), and the grid's times."""
    feats = pose_features(track)
    times = track.times_ms.astype(np.float64)
    if len(times) == 0:
        return np.zeros((0, feats.shape[1] if feats.ndim == 2 else 0)), np.zeros(0)
    grid = np.arange(times[0], times[-1] + 1e-9, 1000.0 / fps)
    nearest = np.clip(np.searchsorted(times, grid), 0, len(times) - 1)
    before = np.clip(nearest - 1, 0, len(times) - 1)
    pick = np.where(np.abs(times[before] - grid) <= np.abs(times[nearest] - grid), before, nearest)
    return feats[pick], grid


def standardise(features: np.ndarray) -> np.ndarray:
    """Each feature centred and scaled over its own clip, so that the warp matches the
    shape of the movement, not its amplitude: a shallow squat's bottom still matches the
    reference's bottom (plain DTW would match it to the reference's half-way frames, and
    hide exactly the departure a coach wants to see). The floor keeps a joint that
    barely moves from turning its noise into a signal."""
    centred = features - features.mean(axis=0, keepdims=True)
    spread = np.maximum(features.std(axis=0, keepdims=True), STD_FLOOR)
    return centred / spread


def align(attempt: PoseTrack, reference: PoseTrack, fps: float = ALIGN_FPS) -> Alignment:
    a, ta = resample(attempt, fps)
    r, tr = resample(reference, fps)
    a, r = standardise(a), standardise(r)
    if len(a) < 2 or len(r) < 2:
        raise ValueError("both videos need at least two analysed frames to be aligned")
    path = dtw_ndim.warping_path(
        np.ascontiguousarray(a, dtype=np.double),
        np.ascontiguousarray(r, dtype=np.double),
        use_c=True,
    )
    ia = np.array([p[0] for p in path])
    ir = np.array([p[1] for p in path])
    cost = float(np.linalg.norm(a[ia] - r[ir], axis=1).mean())
    # One reference moment per attempt frame (the middle of its matches), so the map is
    # a function of attempt time that players can follow.
    att_ms, ref_ms = [], []
    for i in range(len(a)):
        matched = ir[ia == i]
        att_ms.append(ta[i])
        ref_ms.append(tr[int(np.median(matched))] if len(matched) else np.nan)
    ref = np.maximum.accumulate(np.nan_to_num(np.array(ref_ms), nan=tr[0]))
    return Alignment(np.rint(att_ms).astype(np.int64), np.rint(ref).astype(np.int64), cost)
