"""Admin: managing accounts, and password-reset links for people locked out."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from practika.api.deps import AdminUser, Paging, SessionDep, SettingsDep
from practika.api.schemas.common import Page, QueryText
from practika.api.schemas.users import AdminUserOut, AdminUserUpdateIn, PasswordResetOut
from practika.domain.users import User
from practika.services import admin, password_resets
from practika.services.pagination import Page as ResultPage

router = APIRouter(prefix="/admin", tags=["admin"])


@router.get("/users", response_model=Page[AdminUserOut])
async def list_users(
    _: AdminUser,
    db: SessionDep,
    page: Paging,
    q: Annotated[QueryText | None, Query(max_length=200)] = None,
) -> ResultPage[User]:
    result = await admin.list_users(db, q=q, cursor=page.cursor, limit=page.limit)
    return result


@router.patch("/users/{user_id}", response_model=AdminUserOut)
async def update_user(
    user_id: uuid.UUID, body: AdminUserUpdateIn, me: AdminUser, db: SessionDep
) -> User:
    """Deactivate (signs them out everywhere) or promote an account."""
    return await admin.update_user(db, me, user_id, body.changes())


@router.post(
    "/users/{user_id}/password-reset",
    status_code=status.HTTP_201_CREATED,
    response_model=PasswordResetOut,
)
async def issue_password_reset(
    user_id: uuid.UUID, me: AdminUser, db: SessionDep, settings: SettingsDep
) -> PasswordResetOut:
    """A single-use link to set a new password, to hand to the person (there is no mail).

    It expires after `PRACTIKA_PASSWORD_RESET_TTL_HOURS`; issuing another replaces it.
    """
    reset, token = await password_resets.issue(db, settings, user_id, issued_by=me)
    return PasswordResetOut(
        user_id=reset.user_id,
        token=token,
        reset_path=password_resets.reset_path(token),
        expires_at=reset.expires_at,
    )
