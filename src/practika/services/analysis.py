"""Movement analysis a person may see: a video's analysis state, its pose track (as a
view at a chosen rate), its alignment to another video, departures, and reps.

Access is the video's: whoever may see a video may see its analysis (through
`videos.get_visible`, i.e. `domain/access.py`); an alignment needs both videos.
The numeric work (numpy, DTW) is imported on first use: the core installs without
the `analysis` extra and then reports analysis as unavailable.
"""

from __future__ import annotations

import asyncio
import math
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cachetools import LRUCache
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from practika.domain.analysis import AnalysisStatus, PoseAlignment, VideoAnalysis
from practika.domain.errors import Conflict, Invalid
from practika.domain.users import User
from practika.services import videos
from practika.storage import Storage, StoragePort

if TYPE_CHECKING:
    from practika.analysis.align import Alignment
    from practika.analysis.track import PoseTrack

# Decoded tracks by (storage key, analysis version): a review screen asks for the same
# track again on every renewal and compare; decoding is cheap but not free.
_TRACKS: LRUCache[tuple[str, str], PoseTrack] = LRUCache(maxsize=32)


@dataclass
class AnalysisState:
    video_id: uuid.UUID
    status: str  # an AnalysisStatus, or "unavailable" when the video is not analysed
    reason: str | None = None
    model: str | None = None
    frame_count: int | None = None
    person_frames: int | None = None
    analysed_fps: float | None = None


async def _analysis_of(db: AsyncSession, video_id: uuid.UUID) -> VideoAnalysis | None:
    return await db.scalar(select(VideoAnalysis).where(VideoAnalysis.video_id == video_id))


async def state(db: AsyncSession, actor: User | None, video_id: uuid.UUID) -> AnalysisState:
    await videos.get_visible(db, actor, video_id)
    analysis = await _analysis_of(db, video_id)
    if analysis is None:
        return AnalysisState(
            video_id, "unavailable", "This video has not been analysed (it may not be ready)."
        )
    return AnalysisState(
        video_id,
        analysis.status.value,
        analysis.reason,
        analysis.model,
        analysis.frame_count,
        analysis.person_frames,
        analysis.analysed_fps,
    )


def _version(analysis: VideoAnalysis) -> str:
    return f"{analysis.id}:{analysis.updated_at.isoformat()}"


def _load(storage: Storage, key: str) -> PoseTrack:
    from practika.analysis.track import decode

    with storage.local_copy(key) as path:
        return decode(path.read_bytes())


async def _done(
    db: AsyncSession, storage: StoragePort, actor: User | None, video_id: uuid.UUID
) -> tuple[VideoAnalysis, PoseTrack]:
    """The video's finished analysis and its track; 409 while there is none."""
    await videos.get_visible(db, actor, video_id)
    analysis = await _analysis_of(db, video_id)
    if analysis is None or analysis.status != AnalysisStatus.DONE or not analysis.track_key:
        status = analysis.status.value if analysis is not None else "unavailable"
        reason = analysis.reason if analysis is not None else None
        raise Conflict(
            f"This video's movement analysis is {status}{': ' + reason if reason else ''}.",
            {"status": status, "reason": reason},
            code="analysis_not_ready",
        )
    cache_key = (analysis.track_key, _version(analysis))
    track = _TRACKS.get(cache_key)
    if track is None:
        track = await storage.run(_load, analysis.track_key)
        _TRACKS[cache_key] = track
    return analysis, track


def _rounded(values: Any, digits: int) -> list[float | None]:
    return [None if not math.isfinite(v) else round(float(v), digits) for v in values]


@dataclass
class PoseView:
    video_id: uuid.UUID
    model: str
    width: int
    height: int
    times_ms: list[int]
    # Per frame, 33 × (x, y, visibility) flattened; x, y normalised to the upright picture.
    landmarks: list[list[float]]
    angles: dict[str, list[float | None]]
    bones: list[list[int]]
    angle_labels: dict[str, str] = field(default_factory=dict)


def _frame_points(track: PoseTrack, i: int) -> list[float]:
    flat: list[float] = []
    for (x, y), v in zip(track.xy[i], track.visibility[i], strict=True):
        flat += [round(float(x), 4), round(float(y), 4), round(float(v), 3)]
    return flat


def _pick_frames(times: Any, max_fps: float) -> list[int]:
    """Indices of frames at most `max_fps` apart (evenly, by time)."""
    picked: list[int] = []
    next_due = -math.inf
    for i, t in enumerate(times):
        if t + 1e-6 >= next_due:
            picked.append(i)
            next_due = t + 1000.0 / max_fps
    return picked


async def pose_view(
    db: AsyncSession, storage: StoragePort, actor: User | None, video_id: uuid.UUID, max_fps: float
) -> PoseView:
    from practika.analysis.features import angles
    from practika.analysis.skeleton import ANGLE_LABELS, BONES

    _, track = await _done(db, storage, actor, video_id)
    keep = _pick_frames(track.times_ms, max_fps)
    xyv = [_frame_points(track, i) for i in keep]
    series = {name: _rounded(values[keep], 1) for name, values in angles(track).items()}
    return PoseView(
        video_id,
        track.model,
        track.width,
        track.height,
        [int(track.times_ms[i]) for i in keep],
        xyv,
        series,
        [list(bone) for bone in BONES],
        dict(ANGLE_LABELS),
    )


@dataclass
class AlignmentView:
    video_id: uuid.UUID
    reference_video_id: uuid.UUID
    pairs: list[list[int]]  # [video ms, matching reference ms], monotone in both
    cost: float


async def _alignment(
    db: AsyncSession,
    storage: StoragePort,
    actor: User | None,
    video_id: uuid.UUID,
    reference_id: uuid.UUID,
) -> tuple[Alignment, PoseTrack, PoseTrack]:
    from practika.analysis.align import Alignment, align

    if video_id == reference_id:
        raise Invalid("A video cannot be aligned to itself.", {"field": "reference"})
    analysis, track = await _done(db, storage, actor, video_id)
    ref_analysis, ref_track = await _done(db, storage, actor, reference_id)
    source = f"{_version(analysis)}|{_version(ref_analysis)}"
    stored = await db.scalar(
        select(PoseAlignment).where(
            PoseAlignment.video_id == video_id, PoseAlignment.reference_video_id == reference_id
        )
    )
    if stored is not None and stored.source == source:
        import numpy as np

        pairs = np.array(stored.pairs, dtype=np.int64).reshape(-1, 2)
        return Alignment(pairs[:, 0], pairs[:, 1], stored.cost), track, ref_track
    try:
        result = await asyncio.to_thread(align, track, ref_track)
    except ValueError as exc:
        raise Conflict(str(exc), code="analysis_not_alignable") from exc
    if stored is None:
        stored = PoseAlignment(video_id=video_id, reference_video_id=reference_id)
        db.add(stored)
    stored.source, stored.pairs, stored.cost = source, result.as_pairs(), result.cost
    try:
        await db.commit()
    except IntegrityError:  # a concurrent request stored the same pair first: same result
        await db.rollback()
    return result, track, ref_track


async def alignment(
    db: AsyncSession,
    storage: StoragePort,
    actor: User | None,
    video_id: uuid.UUID,
    reference_id: uuid.UUID,
) -> AlignmentView:
    result, _, _ = await _alignment(db, storage, actor, video_id, reference_id)
    return AlignmentView(video_id, reference_id, result.as_pairs(), round(result.cost, 4))


@dataclass
class DepartureView:
    joint: str
    start_ms: int
    end_ms: int
    mean_difference_deg: float
    peak_difference_deg: float
    text: str


async def departures(
    db: AsyncSession,
    storage: StoragePort,
    actor: User | None,
    video_id: uuid.UUID,
    reference_id: uuid.UUID,
) -> list[DepartureView]:
    from practika.analysis import departures as found

    result, track, ref_track = await _alignment(db, storage, actor, video_id, reference_id)
    return [
        DepartureView(
            d.joint,
            d.start_ms,
            d.end_ms,
            round(d.mean_difference_deg, 1),
            round(d.peak_difference_deg, 1),
            d.text,
        )
        for d in found.departures(track, ref_track, result)
    ]


@dataclass
class RepView:
    start_ms: int
    end_ms: int
    duration_ms: int
    range_deg: float


@dataclass
class RepsView:
    video_id: uuid.UUID
    count: int
    joint: str | None
    joint_label: str | None
    period_ms: int | None
    tempo_cv: float | None
    range_cv: float | None
    reason: str | None
    reps: list[RepView]


async def reps(
    db: AsyncSession, storage: StoragePort, actor: User | None, video_id: uuid.UUID
) -> RepsView:
    from practika.analysis.reps import count_reps

    _, track = await _done(db, storage, actor, video_id)
    counted = count_reps(track)

    def cv(value: float | None) -> float | None:
        return None if value is None else round(value, 3)

    return RepsView(
        video_id,
        counted.count,
        counted.joint,
        counted.label,
        counted.period_ms,
        cv(counted.tempo_cv),
        cv(counted.range_cv),
        counted.reason,
        [RepView(r.start_ms, r.end_ms, r.duration_ms, r.range_deg) for r in counted.reps],
    )
