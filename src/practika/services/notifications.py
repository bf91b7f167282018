"""Telling people what happened: creating, listing and reading notifications."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from practika.domain import access
from practika.domain.base import utcnow
from practika.domain.notifications import Notification, NotificationKind
from practika.domain.users import User
from practika.services import mail
from practika.services.pagination import Page, keyset_page


def notify(db: AsyncSession, user_id: uuid.UUID, kind: NotificationKind, **payload: Any) -> None:
    """Queue a notification in the caller's transaction, so it commits with its cause;
    its mail job too (services/mail_notifications.py decides whether and when it goes)."""
    note = Notification(
        id=uuid.uuid4(),
        user_id=user_id,
        kind=kind,
        payload={k: str(v) if isinstance(v, uuid.UUID) else v for k, v in payload.items()},
    )
    db.add(note)
    mail.queue(db, "notification", notification_id=note.id)


async def list_notifications(
    db: AsyncSession,
    actor: User,
    *,
    unread_only: bool,
    since: datetime | None,
    cursor: str | None,
    limit: int,
) -> Page[Notification]:
    stmt = select(Notification).where(access.notification_visible(actor))
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    if since:
        stmt = stmt.where(Notification.created_at > since)
    return await keyset_page(
        db, stmt, sort=Notification.created_at, row_id=Notification.id, cursor=cursor, limit=limit
    )


async def unread_count(db: AsyncSession, actor: User) -> int:
    return (
        await db.scalar(
            select(func.count()).where(
                access.notification_visible(actor), Notification.read_at.is_(None)
            )
        )
        or 0
    )


async def mark_read(db: AsyncSession, actor: User, ids: list[uuid.UUID] | None) -> int:
    """Mark the given notifications (or all) read; other people's ids are ignored."""
    stmt = update(Notification).where(
        access.notification_visible(actor), Notification.read_at.is_(None)
    )
    if ids is not None:
        stmt = stmt.where(Notification.id.in_(ids))
    result = await db.execute(stmt.values(read_at=utcnow()))
    await db.commit()
    return result.rowcount or 0  # type: ignore[attr-defined]
