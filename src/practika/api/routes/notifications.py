"""Notifications: list, poll and mark read."""

from __future__ import annotations

from fastapi import APIRouter

from practika.api.deps import CurrentUser, Paging, SessionDep
from practika.api.schemas.common import Instant, Page
from practika.api.schemas.notifications import MarkReadIn, NotificationOut, UnreadCountOut
from practika.domain.notifications import Notification
from practika.services import notifications
from practika.services.pagination import Page as ResultPage

router = APIRouter(prefix="/notifications", tags=["notifications"])


@router.get("", response_model=Page[NotificationOut])
async def list_notifications(
    user: CurrentUser,
    db: SessionDep,
    page: Paging,
    unread: bool = False,
    since: Instant | None = None,
) -> ResultPage[Notification]:
    result = await notifications.list_notifications(
        db, user, unread_only=unread, since=since, cursor=page.cursor, limit=page.limit
    )
    return result


@router.get("/unread-count", response_model=UnreadCountOut)
async def unread_count(user: CurrentUser, db: SessionDep) -> UnreadCountOut:
    return UnreadCountOut(unread=await notifications.unread_count(db, user))


@router.post("/read", response_model=UnreadCountOut)
async def mark_read(body: MarkReadIn, user: CurrentUser, db: SessionDep) -> UnreadCountOut:
    """Mark the given notifications read (all when `ids` is omitted)."""
    await notifications.mark_read(db, user, body.ids)
    return UnreadCountOut(unread=await notifications.unread_count(db, user))
