"""Counting repetitions from the dominant periodic joint signal.

The joint whose angle repeats most strongly (autocorrelation peak times amplitude)
is the signal. A person rests where the recording starts and ends; each excursion away
from that rest and back is one rep: its range, its duration, and how consistent the reps are
(coefficient of variation of tempo and range of motion).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
from scipy.signal import find_peaks

from practika.analysis.features import angles, fill_gaps
from practika.analysis.skeleton import ANGLE_LABELS, TRUNK_LEAN
from practika.analysis.track import PoseTrack

MIN_PERIOD_MS = 400
MAX_PERIOD_MS = 12_000
MIN_RANGE_DEG = 15.0
MIN_PERIODICITY = 0.3  # autocorrelation at the period: below, it does not repeat


@dataclass
class Rep:
    start_ms: int
    end_ms: int
    range_deg: float

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms


@dataclass
class RepCount:
    joint: str | None
    reps: list[Rep] = field(default_factory=list)
    period_ms: int | None = None
    reason: str | None = None

    @property
    def count(self) -> int:
        return len(self.reps)

    @property
    def tempo_cv(self) -> float | None:
        return _cv([r.duration_ms for r in self.reps])

    @property
    def range_cv(self) -> float | None:
        return _cv([r.range_deg for r in self.reps])

    @property
    def label(self) -> str | None:
        return ANGLE_LABELS.get(self.joint) if self.joint else None


def _cv(values: list[float] | list[int]) -> float | None:
    if len(values) < 2:
        return None
    arr = np.asarray(values, dtype=np.float64)
    return float(arr.std() / arr.mean()) if arr.mean() else None


def _resampled(series: np.ndarray, times: np.ndarray, step: float) -> tuple[np.ndarray, np.ndarray]:
    grid = np.arange(times[0], times[-1] + 1e-9, step)
    return np.interp(grid, times, fill_gaps(series)), grid


def _periodicity(signal: np.ndarray, step: float) -> tuple[float, int]:
    """Best autocorrelation peak in the plausible period range, and its lag (samples)."""
    x = signal - signal.mean()
    denom = float((x * x).sum())
    if denom <= 0:
        return 0.0, 0
    ac = np.correlate(x, x, "full")[len(x) - 1 :] / denom
    lo = max(1, int(MIN_PERIOD_MS / step))
    hi = min(len(ac) - 1, int(MAX_PERIOD_MS / step))
    if hi <= lo:
        return 0.0, 0
    peaks, _ = find_peaks(ac[lo : hi + 1])
    if len(peaks) == 0:
        return 0.0, 0
    best = peaks[np.argmax(ac[lo + peaks])] + lo
    return float(ac[best]), int(best)


def count_reps(track: PoseTrack) -> RepCount:
    present = track.present
    if present.sum() < 10:
        return RepCount(None, reason="No person was tracked long enough to count repetitions.")
    times = track.times_ms.astype(np.float64)
    step = 1000.0 / 30
    best: tuple[float, str, np.ndarray, np.ndarray, int] | None = None
    for joint, series in angles(track).items():
        if joint == TRUNK_LEAN or np.isfinite(series).sum() < 10:
            continue
        signal, grid = _resampled(series, times, step)
        strength, lag = _periodicity(signal, step)
        amplitude = float(np.percentile(signal, 95) - np.percentile(signal, 5))
        if strength < MIN_PERIODICITY or amplitude < MIN_RANGE_DEG:
            continue
        score = strength * amplitude
        if best is None or score > best[0]:
            best = (score, joint, signal, grid, lag)
    if best is None:
        return RepCount(None, reason="No joint moves repetitively enough to count repetitions.")
    _, joint, signal, grid, lag = best
    # Excursions go away from the rest position, where a recording starts and ends (a
    # person sets up before the first rep), or failing that where the signal dwells.
    edge = max(1, len(signal) // 20)
    ends = np.concatenate([signal[:edge], signal[-edge:]]).mean()
    middle = (signal.max() + signal.min()) / 2
    spread = signal.max() - signal.min()
    rest_high = ends > middle if abs(ends - middle) > 0.1 * spread else np.median(signal) > middle
    excursion = -signal if rest_high else signal
    amplitude = float(excursion.max() - excursion.min())
    prominence = max(MIN_RANGE_DEG, 0.4 * amplitude)
    tips, _props = find_peaks(excursion, distance=max(1, int(0.6 * lag)), prominence=prominence)
    if len(tips) == 0:
        return RepCount(joint, period_ms=int(lag * step), reason="No full repetition was found.")
    reps = []
    bounds = [0, *[(a + b) // 2 for a, b in itertools.pairwise(tips)], len(grid) - 1]
    for k, tip in enumerate(tips):
        lo_i, hi_i = bounds[k], bounds[k + 1]
        # A rep starts and ends at rest: the nearest rest-side extremes around its tip.
        start = lo_i + int(np.argmin(excursion[lo_i : tip + 1]))
        end = tip + int(np.argmin(excursion[tip : hi_i + 1]))
        rom = float(excursion[tip] - min(excursion[start], excursion[end]))
        reps.append(Rep(int(grid[start]), int(grid[end]), round(rom, 1)))
    return RepCount(joint, reps, period_ms=int(lag * step))
