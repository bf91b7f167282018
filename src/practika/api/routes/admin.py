"""Admin: managing accounts, password-reset links for people locked out, system health."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from practika.api.deps import AdminUser, Paging, SessionDep, SettingsDep, StorageDep
from practika.api.schemas.accounts import SystemHealthOut
from practika.api.schemas.common import Page, QueryText
from practika.api.schemas.users import AdminUserOut, AdminUserUpdateIn, PasswordResetOut
from practika.domain.errors import Conflict, Invalid, NotFound
from practika.domain.users import User
from practika.services import admin, mail, password_resets, system_health, videos
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


@router.post("/users/{user_id}/password-reset-email", status_code=status.HTTP_202_ACCEPTED)
async def email_password_reset(user_id: uuid.UUID, _: AdminUser, db: SessionDep) -> dict[str, str]:
    """Email the person a reset link (the same mail "forgot password" sends)."""
    user = await db.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    if not mail.deliverable(user):
        raise Invalid("This account is deactivated or its address bounces; issue a link instead.")
    mail.queue(db, "password_reset", user_id=user.id)
    await db.commit()
    return {"status": "queued"}


@router.get("/health", response_model=SystemHealthOut)
async def health(me: AdminUser, db: SessionDep, settings: SettingsDep) -> dict[str, object]:
    """Recent failed jobs and failed videos with their reasons, and outgoing mail status."""
    return await system_health.overview(db, settings, me)


@router.post("/jobs/{job_id}/retry", status_code=status.HTTP_204_NO_CONTENT)
async def retry_job(job_id: uuid.UUID, me: AdminUser, db: SessionDep) -> None:
    await system_health.retry_job(db, me, job_id)


@router.post("/videos/{video_id}/retry", status_code=status.HTTP_204_NO_CONTENT)
async def retry_video(
    video_id: uuid.UUID, _: AdminUser, db: SessionDep, storage: StorageDep
) -> None:
    """Process a failed video again from its kept original."""
    result = await videos.reprocess(db, storage, [video_id])
    if video_id in result.skipped:
        raise Conflict(f"This video cannot be retried: {result.skipped[video_id]}.")
