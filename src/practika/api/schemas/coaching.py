from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import EmailStr, Field

from practika.api.schemas.common import Input, Model
from practika.api.schemas.practice import ProgressOut, SessionOut
from practika.api.schemas.threads import AttemptOut, ThreadOut
from practika.api.schemas.users import UserOut


class InviteIn(Input):
    nullable = frozenset({"email", "note", "ttl_days"})
    email: EmailStr | None = Field(default=None, description="only this address may accept")
    note: str | None = Field(default=None, max_length=200)
    ttl_days: int | None = Field(default=None, ge=1, le=90)


class InviteOut(Model):
    id: uuid.UUID
    code_hint: str
    code: str | None = Field(
        default=None, description="the code to share, while the invite is pending"
    )
    email: str | None
    note: str | None
    state: str
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None


class NewInviteOut(InviteOut):
    code: str = Field(description="share it, or the link /join?code=...")


class InvitePreviewOut(Model):
    """What the join page shows before anyone signs in: whose invite it is, and whether
    it can still be used."""

    coach: UserOut
    state: str
    expires_at: datetime


class AcceptInviteIn(Input):
    code: str = Field(min_length=1, max_length=100)


class LinkOut(Model):
    id: uuid.UUID
    coach: UserOut
    learner: UserOut
    created_at: datetime


class LearnerOverviewOut(Model):
    learner: UserOut
    threads: list[ThreadOut] = Field(description="their threads you see, newest activity first")
    recent_attempts: list[AttemptOut] = Field(description="their latest attempts, with posters")
    sessions: list[SessionOut] = Field(description="their latest practice sessions (RPE, notes)")
    progress: ProgressOut
