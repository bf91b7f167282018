from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from practika.api.schemas.common import Input, Model, Notes
from practika.api.schemas.exercises import ExerciseOut
from practika.api.schemas.media import VideoOut
from practika.domain.threads import ThreadStatus


class ThreadIn(Input):
    exercise_id: uuid.UUID


class ThreadUpdateIn(Input):
    status: ThreadStatus


class ThreadOut(Model):
    id: uuid.UUID
    learner_id: uuid.UUID
    coach_id: uuid.UUID
    exercise: ExerciseOut
    status: ThreadStatus
    awaiting_feedback: bool
    last_activity_at: datetime
    created_at: datetime


class AttemptIn(Input):
    nullable = frozenset({"recorded_at"})
    video_id: uuid.UUID
    notes: Notes = ""
    recorded_at: datetime | None = None


class AttemptUpdateIn(Input):
    nullable = frozenset({"recorded_at"})
    notes: Notes | None = None
    recorded_at: datetime | None = None


class AttemptOut(Model):
    id: uuid.UUID
    thread_id: uuid.UUID
    notes: str
    recorded_at: datetime | None
    created_at: datetime
    video: VideoOut = Field(description="the attempt's video; playback URLs come from /videos/{id}")
