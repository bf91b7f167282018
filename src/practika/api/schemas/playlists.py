from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from practika.api.schemas.common import Input, LongText, Model, Notes, Title
from practika.api.schemas.media import VideoOut
from practika.domain.exercises import Visibility

Count = Field(default=None, ge=1, le=10_000)


class PlaylistIn(Input):
    title: Title
    description: LongText = ""
    visibility: Visibility = Visibility.PRIVATE


class PlaylistUpdateIn(Input):
    title: Title | None = None
    description: LongText | None = None
    visibility: Visibility | None = None


class PlaylistItemIn(Input):
    nullable = frozenset({"sets", "reps", "duration_s", "rest_s"})
    exercise_id: uuid.UUID
    sets: int | None = Count
    reps: int | None = Count
    duration_s: int | None = Field(default=None, ge=1, le=24 * 3600)
    rest_s: int | None = Field(default=None, ge=0, le=3600)
    notes: Notes = ""


class PlaylistItemUpdateIn(Input):
    nullable = frozenset({"sets", "reps", "duration_s", "rest_s"})
    sets: int | None = Count
    reps: int | None = Count
    duration_s: int | None = Field(default=None, ge=1, le=24 * 3600)
    rest_s: int | None = Field(default=None, ge=0, le=3600)
    notes: Notes | None = None


class PlaylistExerciseOut(Model):
    """What a playlist shows of an item's exercise: its name and its poster."""

    id: uuid.UUID
    title: str
    category: str
    reference_video: VideoOut | None = Field(
        default=None, description="the ready reference video, with its poster and sprite"
    )


class PlaylistItemOut(Model):
    id: uuid.UUID
    exercise_id: uuid.UUID
    exercise: PlaylistExerciseOut | None = Field(
        default=None, description="the exercise's title and poster (items you may see)"
    )
    position: int
    sets: int | None
    reps: int | None
    duration_s: int | None
    rest_s: int | None
    notes: str


class PlaylistOut(Model):
    id: uuid.UUID
    owner_id: uuid.UUID
    title: str
    description: str
    visibility: Visibility
    items: list[PlaylistItemOut]
    created_at: datetime
    updated_at: datetime


class ReorderIn(Input):
    item_ids: list[uuid.UUID] = Field(max_length=500)
