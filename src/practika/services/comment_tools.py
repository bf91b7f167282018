"""The checks a comment's drawing needs beyond its shape: times inside the video, and a
saved compare view that points at a video of the same thread."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from practika.domain import measures
from practika.domain.errors import Invalid
from practika.domain.exercises import Exercise
from practika.domain.threads import Attempt, PracticeThread
from practika.domain.timecodes import format_ms
from practika.domain.videos import Video


async def check_drawing(
    db: AsyncSession, thread_id: uuid.UUID, video: Video, drawing: dict[str, Any] | None
) -> None:
    """Raise `Invalid` (a 422 naming the field) unless the drawing fits its videos."""
    if not drawing:
        return
    measures.check_times(drawing, video.duration_ms)
    view = drawing.get("compare")
    if not view:
        return
    other_id = uuid.UUID(str(view["other_video_id"]))
    if other_id == video.id:
        raise Invalid(
            "A compare view lines up two different videos.",
            {"field": "drawing.compare.other_video_id"},
        )
    if view["sync_ms"] > (video.duration_ms or 0):
        raise Invalid(
            f"The sync point ({format_ms(view['sync_ms'])}) is after the video ends.",
            {"field": "drawing.compare.sync_ms", "duration_ms": video.duration_ms},
        )
    other = await db.scalar(
        select(Video)
        .join(PracticeThread, PracticeThread.id == thread_id)
        .join(Exercise, Exercise.id == PracticeThread.exercise_id)
        .where(
            Video.id == other_id,
            or_(
                Exercise.reference_video_id == Video.id,
                Video.id.in_(select(Attempt.video_id).where(Attempt.thread_id == thread_id)),
            ),
        )
    )
    if other is None:
        raise Invalid(
            "A compare view lines up this thread's videos: its reference or its attempts.",
            {"field": "drawing.compare.other_video_id"},
        )
    if other.duration_ms is None or view["other_sync_ms"] > other.duration_ms:
        raise Invalid(
            "The other video's sync point is after that video ends.",
            {"field": "drawing.compare.other_sync_ms", "duration_ms": other.duration_ms},
        )
