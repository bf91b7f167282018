from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import EmailStr, Field, StrictBool, StringConstraints

from practika.api.schemas.common import Input, Model

DisplayName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Password = Annotated[str, Field(min_length=1, max_length=256)]


class UserOut(Model):
    id: uuid.UUID
    display_name: str


class MeOut(UserOut):
    email: str
    is_admin: bool
    created_at: datetime


class AdminUserOut(MeOut):
    is_active: bool
    email_verified_at: datetime | None = None
    email_bounced_at: datetime | None = None
    email_complained_at: datetime | None = None
    deleted_at: datetime | None = None


class SignUpIn(Input):
    nullable = frozenset({"invite_code"})
    email: EmailStr
    password: Password
    display_name: DisplayName
    invite_code: str | None = Field(default=None, max_length=100)


class SignInIn(Input):
    email: Annotated[str, Field(max_length=320)]
    password: Password


class SessionOut(Model):
    user: MeOut
    token: str = Field(description="send as `Authorization: Bearer <token>`; also set as a cookie")
    csrf_token: str = Field(
        description="echo in the X-CSRF-Token header on cookie-authenticated writes"
    )


class MeUpdateIn(Input):
    display_name: DisplayName


class PasswordChangeIn(Input):
    current_password: Password
    new_password: Password


class PasswordResetIn(Input):
    token: Annotated[str, Field(min_length=1, max_length=100)]
    new_password: Password


class PasswordResetOut(Model):
    user_id: uuid.UUID
    token: str = Field(description="shown once; only its hash is kept")
    reset_path: str = Field(description="the web app's page for it: `/reset?token=…`")
    expires_at: datetime


class AdminUserUpdateIn(Input):
    # Strict: account flags take true/false only, never 0, 1.0 or "yes".
    is_active: StrictBool | None = None
    is_admin: StrictBool | None = None
