from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from practika.api.schemas.common import Input, Model
from practika.api.schemas.tools import MAX_MEASURES, CompareView, Measure
from practika.api.schemas.users import UserOut
from practika.domain.comments import MAX_BODY_CHARS, MAX_TAGS, CommentKind
from practika.domain.reviews import MAX_EVENTS, MAX_RATE, MIN_RATE, Action

Unit = Annotated[float, Field(ge=0.0, le=1.0)]
Color = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
CommentTag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
Body = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_BODY_CHARS)
]
TimeMs = Annotated[int, Field(ge=0, le=24 * 3600 * 1000)]


class Shape(BaseModel):
    """A vector shape on the paused frame, in coordinates normalized to 0..1."""

    model_config = ConfigDict(extra="forbid")
    type: Literal["line", "arrow", "circle", "rect", "freehand"]
    points: list[tuple[Unit, Unit]] = Field(min_length=1, max_length=500)
    color: Color = "#ff3b30"
    width: Annotated[float, Field(gt=0, le=0.1)] = 0.005


class Drawing(BaseModel):
    """What a comment shows over the frame: shapes, measuring tools, a saved compare view."""

    model_config = ConfigDict(extra="forbid")
    shapes: list[Shape] = Field(default_factory=list, max_length=50)
    measures: list[Measure] = Field(default_factory=list, max_length=MAX_MEASURES)
    compare: CompareView | None = None
    frame_ms: TimeMs | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> Drawing:
        if not (self.shapes or self.measures or self.compare):
            raise ValueError("a drawing has at least one shape, measure or compare view")
        return self


class ReviewEvent(BaseModel):
    """One action of a voice-over, `at_ms` into the voice, the playhead at `position_ms`."""

    model_config = ConfigDict(extra="forbid")
    at_ms: TimeMs
    action: Action
    position_ms: TimeMs
    rate: Annotated[float, Field(ge=MIN_RATE, le=MAX_RATE)] | None = None
    shape: Shape | None = None


class ReviewTimeline(BaseModel):
    events: list[ReviewEvent] = Field(min_length=1, max_length=MAX_EVENTS)


class CommentIn(Input):
    nullable = frozenset({"kind", "reply_to_id", "drawing", "media_video_id"})
    video_id: uuid.UUID
    t_start_ms: TimeMs
    t_end_ms: TimeMs
    body: Body
    kind: CommentKind | None = None
    tags: list[CommentTag] = Field(default_factory=list, max_length=MAX_TAGS)
    reply_to_id: uuid.UUID | None = None
    drawing: Drawing | None = None
    media_video_id: uuid.UUID | None = Field(
        default=None,
        description="a clip recorded or uploaded for this comment (uploaded with "
        "purpose `clip`, processed): a video or audio reply",
    )

    @field_validator("t_end_ms")
    @classmethod
    def _ordered(cls, end: int, info: ValidationInfo) -> int:
        # On the field, not the model, so the refusal names t_end_ms (a model's error has
        # no field; found by tests/fuzz/test_odd_body_values.py).
        start = info.data.get("t_start_ms")
        if start is not None and end < start:
            raise ValueError("t_end_ms must not be before t_start_ms")
        return end


class CommentUpdateIn(Input):
    nullable = frozenset({"kind", "drawing"})
    t_start_ms: TimeMs | None = None
    t_end_ms: TimeMs | None = None
    body: Body | None = None
    kind: CommentKind | None = None
    tags: list[CommentTag] | None = Field(default=None, max_length=MAX_TAGS)
    drawing: Drawing | None = None


class CommentOut(Model):
    id: uuid.UUID
    thread_id: uuid.UUID
    video_id: uuid.UUID
    author: UserOut
    reply_to_id: uuid.UUID | None
    t_start_ms: int
    t_end_ms: int
    body: str
    kind: CommentKind | None
    tags: list[str]
    drawing: Drawing | None
    media_video_id: uuid.UUID | None = Field(
        default=None, description="the comment's clip: play it via /videos/{id}/playback"
    )
    review: ReviewTimeline | None = Field(
        default=None, description="a voice-over review's actions (kind `review`)"
    )
    created_at: datetime
    updated_at: datetime
    edited_at: datetime | None
    deleted_at: datetime | None


class CommentPage(BaseModel):
    items: list[CommentOut]
    next_cursor: str | None
    server_time: datetime = Field(description="pass as ?since= to poll for later changes")


class RevisionOut(Model):
    id: uuid.UUID
    action: str
    editor_id: uuid.UUID | None
    t_start_ms: int
    t_end_ms: int
    body: str
    kind: str | None
    tags: list[str]
    at: datetime
