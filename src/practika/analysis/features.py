"""Joint angles over time and the pose features that alignment compares.

Angles are in degrees in the picture's plane (a 2D track cannot know depth: a knee
seen from the front reads straighter than it is), NaN where a landmark of the joint
is not visible enough. Features for alignment are invariant to where the person
stands and how large they appear: the unit directions of the limbs, plus the
angles, so two people of different size at different distances compare alike.
"""

from __future__ import annotations

import numpy as np

from practika.analysis.skeleton import INDEX, JOINTS, TRUNK_LEAN
from practika.analysis.track import PoseTrack

MIN_VISIBILITY = 0.5

# Limb segments whose directions make the alignment features.
_SEGMENTS = tuple(
    (INDEX[a], INDEX[b])
    for a, b in (
        ("left_shoulder", "left_elbow"), ("left_elbow", "left_wrist"),
        ("right_shoulder", "right_elbow"), ("right_elbow", "right_wrist"),
        ("left_hip", "left_knee"), ("left_knee", "left_ankle"),
        ("right_hip", "right_knee"), ("right_knee", "right_ankle"),
        ("left_hip", "left_shoulder"), ("right_hip", "right_shoulder"),
    )
)  # fmt: skip


def _angle_at(pts: np.ndarray, a: int, v: int, b: int) -> np.ndarray:
    u = pts[:, a] - pts[:, v]
    w = pts[:, b] - pts[:, v]
    cos = (u * w).sum(axis=1) / (np.linalg.norm(u, axis=1) * np.linalg.norm(w, axis=1) + 1e-12)
    return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))


def trunk_lean(pts: np.ndarray) -> np.ndarray:
    """Degrees from vertical of mid-hip → mid-shoulder; positive leans to the picture's right."""
    hips = (pts[:, INDEX["left_hip"]] + pts[:, INDEX["right_hip"]]) / 2
    shoulders = (pts[:, INDEX["left_shoulder"]] + pts[:, INDEX["right_shoulder"]]) / 2
    d = shoulders - hips
    return np.degrees(np.arctan2(d[:, 0], -d[:, 1]))  # y grows downwards in pictures


def angles(track: PoseTrack, min_visibility: float = MIN_VISIBILITY) -> dict[str, np.ndarray]:
    """Each joint's angle per frame (degrees), NaN where it cannot be read."""
    pts = track.points()
    vis = track.visibility
    out: dict[str, np.ndarray] = {}
    for joint in JOINTS:
        value = _angle_at(pts, joint.a, joint.vertex, joint.b)
        seen = vis[:, [joint.a, joint.vertex, joint.b]].min(axis=1) >= min_visibility
        out[joint.name] = np.where(seen, value, np.nan)
    torso = [INDEX[n] for n in ("left_hip", "right_hip", "left_shoulder", "right_shoulder")]
    seen = vis[:, torso].min(axis=1) >= min_visibility
    out[TRUNK_LEAN] = np.where(seen, trunk_lean(pts), np.nan)
    return out


def fill_gaps(values: np.ndarray) -> np.ndarray:
    """Linear interpolation across NaN frames (edges held); all-NaN columns become 0."""
    out = np.array(values, dtype=np.float64, copy=True)
    flat = out.reshape(len(out), -1)
    idx = np.arange(len(flat))
    for col in range(flat.shape[1]):
        series = flat[:, col]
        ok = np.isfinite(series)
        if not ok.any():
            series[:] = 0.0
        elif not ok.all():
            series[~ok] = np.interp(idx[~ok], idx[ok], series[ok])
    return out


def pose_features(track: PoseTrack) -> np.ndarray:
    """(N, F) features for alignment: limb unit vectors and scaled angles, gaps filled."""
    pts = track.points()
    vis = track.visibility
    cols = []
    for a, b in _SEGMENTS:
        d = pts[:, b] - pts[:, a]
        norm = np.linalg.norm(d, axis=1, keepdims=True) + 1e-12
        unit = d / norm
        seen = np.minimum(vis[:, a], vis[:, b]) >= MIN_VISIBILITY
        unit[~seen] = np.nan
        cols.append(unit)
    limbs = np.concatenate(cols, axis=1)
    joint_angles = np.stack([angles(track)[j.name] for j in JOINTS], axis=1) / 90.0
    return fill_gaps(np.concatenate([limbs, joint_angles], axis=1))
