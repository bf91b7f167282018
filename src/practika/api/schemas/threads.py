from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field, model_validator

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
    read_only: bool = Field(
        default=False,
        description="read-only history: the coaching link behind its private exercise ended; "
        "no new attempts or comments (409 thread_read_only), and the exercise shows only "
        "its title",
    )
    last_activity_at: datetime
    waiting_since: datetime | None = Field(
        default=None, description="when the learner's unanswered activity began (the inbox)"
    )
    created_at: datetime
    attempt_count: int | None = Field(
        default=None, description="attempts you see in it (in lists; ready ones for a coach)"
    )
    latest_video: VideoOut | None = Field(
        default=None, description="the newest ready attempt's video, with its poster (in lists)"
    )

    @model_validator(mode="after")
    def _exercise_gone_from_history(self) -> ThreadOut:
        # The learner lost the private exercise with the link: the thread keeps what was
        # said, not the exercise's instructions or reference video.
        if self.read_only:
            self.exercise = self.exercise.model_copy(
                update={"description": "", "reference_video_id": None}
            )
        return self


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


class AttemptRetryIn(Input):
    nullable = frozenset({"video_id"})
    video_id: uuid.UUID | None = Field(
        default=None,
        description="a new upload to replace the failed video; omit to process the original again",
    )
