"""Read-only share links and the page they open."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from practika.api.schemas.common import Input, Model
from practika.api.schemas.media import PlaybackOut
from practika.api.schemas.users import UserOut

Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


class ShareLinkIn(Input):
    nullable = frozenset({"attempt_id", "note"})
    attempt_id: uuid.UUID | None = Field(
        default=None, description="share this attempt's review only; leave out for the thread"
    )
    expires_in_days: int = Field(default=7, ge=1, le=90)
    note: Note | None = Field(default=None, description="who it is for, for your own list")


class ShareLinkOut(Model):
    id: uuid.UUID
    thread_id: uuid.UUID
    attempt_id: uuid.UUID | None
    created_by_id: uuid.UUID
    note: str | None
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_opened_at: datetime | None
    state: Literal["active", "expired", "revoked"]


class NewShareLinkOut(ShareLinkOut):
    token: str = Field(description="shown once: only its hash is kept")
    path: str = Field(description="the web app's page for the link, /shared/<token>")


class SharedCommentOut(Model):
    id: uuid.UUID
    author: UserOut
    reply_to_id: uuid.UUID | None
    t_start_ms: int
    t_end_ms: int
    body: str
    kind: str | None
    created_at: datetime


class SharedAttemptOut(Model):
    id: uuid.UUID
    created_at: datetime
    duration_ms: int | None
    width: int | None
    height: int | None
    playback: PlaybackOut
    comments: list[SharedCommentOut]


class SharedViewOut(Model):
    exercise_title: str
    learner_name: str
    coach_name: str
    expires_at: datetime
    attempts: list[SharedAttemptOut]
