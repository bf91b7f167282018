"""Account, mail preferences, email invites, and the admin's system-health view."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated
from zoneinfo import available_timezones

from pydantic import AfterValidator, EmailStr, Field

from practika.api.schemas.common import Input, Model
from practika.api.schemas.users import DisplayName, Password
from practika.domain.accounts import MailMode

Token = Annotated[str, Field(min_length=1, max_length=100)]


def _known_zone(name: str) -> str:
    if name != "UTC" and name not in available_timezones():
        raise ValueError("use an IANA time zone name such as Europe/Paris")
    return name


TimeZone = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_known_zone)]


class AccountOut(Model):
    id: uuid.UUID
    display_name: str
    email: str
    is_admin: bool
    email_verified: bool
    email_bounced: bool
    email_complained: bool = Field(description="the address marked our mail as spam")
    time_zone: str
    created_at: datetime


class AccountUpdateIn(Input):
    display_name: DisplayName | None = None
    time_zone: TimeZone | None = None


class ForgotPasswordIn(Input):
    email: Annotated[str, Field(min_length=3, max_length=320)]


class TokenIn(Input):
    token: Token


class EmailChangeIn(Input):
    email: EmailStr
    password: Password


class MailPreferencesBody(Input):
    """Each kind of notification mail: "immediate", "digest" (one mail a day) or "off"."""

    feedback: MailMode | None = None
    attempt: MailMode | None = None
    invite_accepted: MailMode | None = None


class MailPreferencesOut(Model):
    feedback: MailMode
    attempt: MailMode
    invite_accepted: MailMode


class EmailInvitesIn(Input):
    nullable = frozenset({"note"})
    emails: list[EmailStr] = Field(min_length=1, max_length=20)
    note: str | None = Field(default=None, max_length=200)


class AuthSessionOut(Model):
    id: uuid.UUID
    user_agent: str | None
    device: str = Field(description='the browser and system, such as "Firefox on Windows"')
    created_at: datetime
    last_seen_at: datetime = Field(description="the last request, to within a minute")
    current: bool


class SignedOutOut(Model):
    signed_out: int = Field(description="how many sessions were ended")


class AccountDeleteIn(Input):
    """The password again, and who takes over one's exercises (none: they are archived)."""

    nullable = frozenset({"successor_email"})
    password: Password
    successor_email: EmailStr | None = None


class AccountDeletedOut(Model):
    threads_removed: int
    videos_removed: int
    exercises_handed_over: int
    exercises_archived: int
    successor_id: uuid.UUID | None


class FailedJobOut(Model):
    id: uuid.UUID
    kind: str
    message: str | None = Field(description="for mail jobs: which message")
    attempts: int
    last_error: str | None
    updated_at: datetime


class FailedVideoOut(Model):
    id: uuid.UUID
    owner_id: uuid.UUID
    original_name: str
    failure_reason: str | None
    updated_at: datetime


class MailStatusOut(Model):
    backend: str
    queued: int
    failed: int
    sent_last_24h: int
    bounced_addresses: int


class SystemHealthOut(Model):
    failed_jobs: list[FailedJobOut]
    failed_videos: list[FailedVideoOut]
    mail: MailStatusOut
