"""Synthetic pose tracks: a stick body whose joint angles are known at every frame."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from practika.analysis.skeleton import INDEX
from practika.analysis.track import N_LANDMARKS, PoseTrack


def body(
    knee_deg: float, elbow_deg: float = 180.0, scale: float = 0.3, x0: float = 0.5
) -> np.ndarray:
    """33 landmarks (normalised, square picture) of a side-on body: the knee's inner angle
    `knee_deg` (180 = straight), the elbow's `elbow_deg`."""
    pts = np.full((N_LANDMARKS, 2), np.nan)
    leg = 0.25 * scale / 0.3
    ankle = np.array([x0, 0.9])
    half = math.radians(180 - knee_deg) / 2
    knee = ankle + leg * np.array([math.sin(half), -math.cos(half)])
    hip = knee + leg * np.array([-math.sin(half), -math.cos(half)])
    shoulder = hip + np.array([0.0, -0.3 * scale / 0.3])
    forearm = math.radians(180 - elbow_deg)
    elbow = shoulder + np.array([0.0, 0.15 * scale / 0.3])
    wrist = elbow + 0.15 * scale / 0.3 * np.array([math.sin(forearm), math.cos(forearm)])
    for side in ("left", "right"):
        pts[INDEX[f"{side}_ankle"]] = ankle
        pts[INDEX[f"{side}_knee"]] = knee
        pts[INDEX[f"{side}_hip"]] = hip
        pts[INDEX[f"{side}_shoulder"]] = shoulder
        pts[INDEX[f"{side}_elbow"]] = elbow
        pts[INDEX[f"{side}_wrist"]] = wrist
    head = shoulder + np.array([0.0, -0.08])
    for i in range(N_LANDMARKS):
        if np.isnan(pts[i, 0]):
            pts[i] = head if i <= 10 else ankle
    return pts


def squats(
    seconds: float,
    *,
    fps: float = 30,
    period_s: float = 2.0,
    depth_deg: float = 100.0,
    warp: Callable[[float], float] | None = None,
    scale: float = 0.3,
    x0: float = 0.5,
) -> PoseTrack:
    warp = warp or (lambda t: t)
    times = np.arange(0, seconds, 1 / fps)
    frames = []
    for t in times:
        bend = depth_deg * (1 - math.cos(2 * math.pi * warp(t) / period_s)) / 2
        frames.append(body(180 - bend, elbow_deg=180 - bend / 2, scale=scale, x0=x0))
    xy = np.array(frames)
    vis = np.ones((len(times), N_LANDMARKS))
    return PoseTrack(np.rint(times * 1000).astype(np.int64), xy, vis, 720, 720, "synthetic")
