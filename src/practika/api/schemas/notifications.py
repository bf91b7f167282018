from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import Field

from practika.api.schemas.common import Input, Model
from practika.domain.notifications import NotificationKind


class NotificationOut(Model):
    id: uuid.UUID
    kind: NotificationKind
    payload: dict[str, Any]
    thread_id: uuid.UUID | None = Field(description="the practice thread it is about")
    attempt_id: uuid.UUID | None = Field(
        description="the attempt (none for a comment on the reference video or an invite)"
    )
    video_id: uuid.UUID | None
    exercise_title: str | None
    actor_name: str | None = Field(description="who did it")
    t_ms: int | None = Field(description="the moment a comment points at, in ms")
    snippet: str | None = Field(description="the start of the comment or the attempt's notes")
    created_at: datetime
    read_at: datetime | None


class MarkReadIn(Input):
    nullable = frozenset({"ids"})
    ids: list[uuid.UUID] | None = Field(default=None, max_length=500, description="omit for all")


class UnreadCountOut(Model):
    unread: int
