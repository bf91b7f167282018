from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import Field

from practika.api.schemas.common import Input, Model, Notes


class SessionIn(Input):
    nullable = frozenset({"playlist_id", "exercise_id", "started_at"})
    playlist_id: uuid.UUID | None = None
    exercise_id: uuid.UUID | None = None
    started_at: datetime | None = None


class SessionItemIn(Input):
    nullable = frozenset(
        {
            "playlist_item_id",
            "exercise_id",
            "sets_done",
            "reps_done",
            "duration_s",
            "reps_from_video_id",
        }
    )
    playlist_item_id: uuid.UUID | None = None
    exercise_id: uuid.UUID | None = None
    sets_done: int | None = Field(default=None, ge=0, le=10_000)
    reps_done: int | None = Field(default=None, ge=0, le=100_000)
    duration_s: int | None = Field(default=None, ge=0, le=24 * 3600)
    reps_from_video_id: uuid.UUID | None = Field(
        default=None,
        description="take reps_done (and the reps' consistency) from this analysed video",
    )
    notes: Notes = ""


class SessionUpdateIn(Input):
    nullable = frozenset({"ended_at", "rpe"})
    ended_at: datetime | None = None
    rpe: int | None = Field(default=None, ge=1, le=10, description="rate of perceived exertion")
    notes: Notes | None = None


class SessionItemOut(Model):
    id: uuid.UUID
    playlist_item_id: uuid.UUID | None
    exercise_id: uuid.UUID
    sets_done: int | None
    reps_done: int | None
    duration_s: int | None
    rep_tempo_cv: float | None = Field(description="variation of rep durations (counted reps)")
    rep_range_cv: float | None = Field(description="variation of range of motion (counted reps)")
    notes: str
    completed_at: datetime


class SessionOut(Model):
    id: uuid.UUID
    playlist_id: uuid.UUID | None
    exercise_id: uuid.UUID | None
    started_at: datetime
    ended_at: datetime | None
    duration_s: int
    rpe: int | None
    notes: str
    items: list[SessionItemOut]


class WeekMinutesOut(Model):
    week_start: date
    minutes: int


class ExerciseAttemptsOut(Model):
    exercise_id: str
    title: str
    attempts: int
    last_attempt_at: datetime | None


class ProgressOut(Model):
    current_streak_days: int
    longest_streak_days: int
    practice_days: int
    minutes_per_week: list[WeekMinutesOut]
    attempts_per_exercise: list[ExerciseAttemptsOut]
    feedback_received: int
    sessions_completed: int
