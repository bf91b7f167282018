"""Where an attempt departs from the reference: per-joint angle differences along the
alignment, and the largest sustained ones as suggestions a coach may turn into a
comment (never posted by themselves)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from practika.analysis.align import Alignment
from practika.analysis.features import angles, fill_gaps
from practika.analysis.skeleton import ANGLE_LABELS, TRUNK_LEAN
from practika.analysis.track import PoseTrack

THRESHOLD_DEG = 12.0  # below this, 2D angle noise and camera angle dominate
MIN_DURATION_MS = 300  # a departure a coach would name lasts a moment, not a frame
SMOOTH_MS = 200


@dataclass
class Departure:
    joint: str
    start_ms: int
    end_ms: int
    mean_difference_deg: float  # attempt minus reference (signed)
    peak_difference_deg: float
    text: str

    @property
    def score(self) -> float:
        return abs(self.mean_difference_deg) * (self.end_ms - self.start_ms)


def angle_differences(
    attempt: PoseTrack, reference: PoseTrack, alignment: Alignment
) -> dict[str, np.ndarray]:
    """Per joint, attempt angle minus the reference's at the matched moment (per attempt
    frame; NaN where either side cannot be read)."""
    att, ref = angles(attempt), angles(reference)
    matched = alignment.reference_at(attempt.times_ms.astype(np.float64))
    ref_times = reference.times_ms.astype(np.float64)
    out: dict[str, np.ndarray] = {}
    for name, series in att.items():
        ref_series = ref[name]
        if name == TRUNK_LEAN:  # compare how far each leans, whichever way they face
            series, ref_series = np.abs(series), np.abs(ref_series)
        readable = np.isfinite(ref_series)
        if readable.sum() < 2:
            out[name] = np.full(len(series), np.nan)
            continue
        at_match = np.interp(matched, ref_times[readable], ref_series[readable])
        out[name] = series - at_match
    return out


def _smooth(values: np.ndarray, times_ms: np.ndarray) -> np.ndarray:
    if len(values) < 3:
        return values
    step = float(np.median(np.diff(times_ms))) or 33.0
    width = max(1, round(SMOOTH_MS / step))
    filled = fill_gaps(values)
    kernel = np.ones(width) / width
    smooth = np.convolve(
        np.pad(filled, (width // 2, width - 1 - width // 2), "edge"), kernel, "valid"
    )
    return np.where(np.isfinite(values), smooth, np.nan)


def _clock(ms: int) -> str:
    seconds = ms / 1000
    return f"{int(seconds // 60)}:{seconds % 60:04.1f}"


def describe(joint: str, diff: float, start_ms: int, end_ms: int) -> str:
    label = ANGLE_LABELS[joint]
    amount = f"{abs(diff):.0f}°"
    if joint == TRUNK_LEAN:
        how = f"trunk leans {amount} {'more' if diff > 0 else 'less'}"
    else:
        how = f"{label} {amount} {'more flexed' if diff < 0 else 'more extended'}"
    return f"{how} than the reference, {_clock(start_ms)}–{_clock(end_ms)}"


def departures(
    attempt: PoseTrack,
    reference: PoseTrack,
    alignment: Alignment,
    *,
    threshold_deg: float = THRESHOLD_DEG,
    limit: int = 5,
) -> list[Departure]:
    """The largest sustained departures, at most `limit`, largest first."""
    times = attempt.times_ms.astype(np.int64)
    found: list[Departure] = []
    for joint, diff in angle_differences(attempt, reference, alignment).items():
        smooth = _smooth(diff, times)
        sign = np.where(smooth >= threshold_deg, 1, np.where(smooth <= -threshold_deg, -1, 0))
        i = 0
        while i < len(sign):
            if sign[i] == 0:
                i += 1
                continue
            j = i
            while j + 1 < len(sign) and sign[j + 1] == sign[i]:
                j += 1
            start, end = int(times[i]), int(times[j])
            if end - start >= MIN_DURATION_MS:
                run = smooth[i : j + 1]
                mean = float(np.nanmean(run))
                peak = float(run[np.nanargmax(np.abs(run))])
                found.append(
                    Departure(joint, start, end, mean, peak, describe(joint, mean, start, end))
                )
            i = j + 1
    found.sort(key=lambda d: d.score, reverse=True)
    return found[:limit]
