"""Movement analysis of a video: its state, pose track, alignment, departures and reps."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from practika.api.deps import Actor, SessionDep, StorageDep
from practika.api.schemas.analysis import (
    AlignmentOut,
    AnalysisOut,
    DepartureOut,
    PoseOut,
    RepsOut,
)
from practika.services import analysis

router = APIRouter(prefix="/videos/{video_id}", tags=["analysis"])

Reference = Annotated[
    uuid.UUID, Query(description="the video to compare with (e.g. the reference)")
]


@router.get("/analysis", response_model=AnalysisOut)
async def get_analysis(video_id: uuid.UUID, actor: Actor, db: SessionDep) -> analysis.AnalysisState:
    return await analysis.state(db, actor, video_id)


@router.get("/pose", response_model=PoseOut)
async def get_pose(
    video_id: uuid.UUID,
    actor: Actor,
    db: SessionDep,
    storage: StorageDep,
    max_fps: Annotated[float, Query(gt=0, le=120)] = 30,
) -> analysis.PoseView:
    """The pose track at most `max_fps` frames a second, with joint angles per frame."""
    return await analysis.pose_view(db, storage, actor, video_id, max_fps)


@router.get("/alignment", response_model=AlignmentOut)
async def get_alignment(
    video_id: uuid.UUID, reference: Reference, actor: Actor, db: SessionDep, storage: StorageDep
) -> analysis.AlignmentView:
    """The time map from this video to `reference`, by the movement itself."""
    return await analysis.alignment(db, storage, actor, video_id, reference)


@router.get("/departures", response_model=list[DepartureOut])
async def get_departures(
    video_id: uuid.UUID, reference: Reference, actor: Actor, db: SessionDep, storage: StorageDep
) -> list[analysis.DepartureView]:
    """The largest sustained joint-angle departures from `reference`: suggestions only."""
    return await analysis.departures(db, storage, actor, video_id, reference)


@router.get("/reps", response_model=RepsOut)
async def get_reps(
    video_id: uuid.UUID, actor: Actor, db: SessionDep, storage: StorageDep
) -> analysis.RepsView:
    """Repetitions counted from the dominant periodic joint signal."""
    return await analysis.reps(db, storage, actor, video_id)
