"""Shapes of voice-over reviews and rendered exports."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from practika.api.schemas.comments import ReviewEvent
from practika.api.schemas.common import Input, Model
from practika.domain.comments import MAX_BODY_CHARS
from practika.domain.exports import ExportKind, ExportStatus
from practika.domain.reviews import MAX_EVENTS


class ReviewIn(Input):
    nullable = frozenset({"body"})
    video_id: uuid.UUID = Field(description="the attempt's video the review covers")
    audio_video_id: uuid.UUID = Field(
        description="the recorded voice: a processed clip (uploaded with purpose `clip`)"
    )
    events: list[ReviewEvent] = Field(min_length=1, max_length=MAX_EVENTS)
    body: (
        Annotated[
            str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_BODY_CHARS)
        ]
        | None
    ) = None


class ExportOut(Model):
    id: uuid.UUID
    kind: ExportKind
    status: ExportStatus
    attempt_id: uuid.UUID
    comment_id: uuid.UUID | None
    failure_reason: str | None
    duration_ms: int | None
    size_bytes: int | None
    created_at: datetime
    download_url: str | None = Field(
        default=None, description="once ready: a short-lived link that downloads the MP4"
    )
    expires_at: datetime | None = None
