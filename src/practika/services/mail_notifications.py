"""Notification mail: each in-app notification may also go by mail, as the person chose
per kind (immediately, in a daily digest, or not), only to a verified address that has
not bounced, and never in the quiet hours of the person's time zone.

Every notification queues one `notification` mail job with it (services/notifications.py);
the job decides when it runs. A digest is one job per person, due at the end of their
next quiet hours, covering every digest-kind notification since the last one.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from practika.config import Settings
from practika.domain.accounts import MAIL_KINDS, MailMode
from practika.domain.base import utcnow
from practika.domain.notifications import Notification, NotificationKind
from practika.domain.threads import Attempt
from practika.domain.users import User
from practika.email import Outgoing
from practika.email.render import render
from practika.services import mail, mail_preferences


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def quiet_now(settings: Settings, tz: ZoneInfo, now: datetime) -> bool:
    hour = now.astimezone(tz).hour
    start, end = settings.quiet_hours_start, settings.quiet_hours_end
    if start == end:
        return False
    return (hour >= start or hour < end) if start > end else start <= hour < end


def quiet_end(settings: Settings, tz: ZoneInfo, now: datetime) -> datetime:
    """The next end of the quiet hours (the local morning), as a UTC time."""
    local = now.astimezone(tz)
    end = local.replace(hour=settings.quiet_hours_end, minute=0, second=0, microsecond=0)
    if end <= local:
        end += timedelta(days=1)
    return end.astimezone(now.tzinfo)


async def describe(db: AsyncSession, settings: Settings, note: Notification) -> tuple[str, str]:
    """A headline and the deep link to the exact attempt and moment."""
    p = note.payload
    base = settings.resolved_public_url
    on = f" on {p['exercise_title']}" if p.get("exercise_title") else ""
    if note.kind in (NotificationKind.FEEDBACK, NotificationKind.LEARNER_COMMENT):
        attempt = (
            await db.scalar(select(Attempt.id).where(Attempt.video_id == uuid.UUID(p["video_id"])))
            if p.get("video_id")
            else None
        )
        link = f"{base}/threads/{p['thread_id']}"
        if attempt is not None:
            link += f"/review/{attempt}?t={int(p.get('t_start_ms') or 0)}"
        who = p.get("author_name") or "Someone"
        at = _clock(int(p.get("t_start_ms") or 0))
        verb = "left feedback" if note.kind == NotificationKind.FEEDBACK else "commented"
        return f"{who} {verb}{on} at {at}", link
    if note.kind == NotificationKind.ATTEMPT:
        attempt = await db.scalar(
            select(Attempt.id)
            .where(Attempt.thread_id == uuid.UUID(p["thread_id"]))
            .order_by(Attempt.created_at.desc())
            .limit(1)
        )
        link = f"{base}/threads/{p['thread_id']}"
        if attempt is not None:
            link += f"/review/{attempt}"
        return f"{p.get('learner_name') or 'A learner'} sent a new attempt to review{on}", link
    return f"{p.get('learner_name') or 'A learner'} accepted your invite", f"{base}/coach"


def _clock(ms: int) -> str:
    seconds = ms // 1000
    return f"{seconds // 60}:{seconds % 60:02d}"


def _mailable(user: User | None) -> bool:
    return mail.deliverable(user) and user is not None and user.email_verified_at is not None


async def compose_notification(
    db: AsyncSession, settings: Settings, payload: dict[str, Any]
) -> Outgoing | None:
    note = await db.get(Notification, uuid.UUID(str(payload["notification_id"])))
    if note is None or note.read_at is not None:
        return None  # gone, or already seen in the app
    user = await db.get(User, note.user_id)
    if not _mailable(user):
        return None
    assert user is not None
    kind = MAIL_KINDS[note.kind]
    mode = (await mail_preferences.modes(db, user.id))[kind]
    now, tz = utcnow(), zone(user.time_zone)
    if mode == MailMode.OFF:
        return None
    if mode == MailMode.DIGEST:
        if user.digest_due_at is None:
            user.digest_due_at = quiet_end(settings, tz, now)
            job = mail.queue(db, "digest", user_id=user.id)
            job.run_after = user.digest_due_at
        return None
    if quiet_now(settings, tz, now):
        job = mail.queue(db, "notification", notification_id=note.id)
        job.run_after = quiet_end(settings, tz, now)
        return None
    headline, link = await describe(db, settings, note)
    return render(
        settings,
        "notification",
        to=user.email,
        to_name=user.display_name,
        unsubscribe_url=mail_preferences.unsubscribe_url(settings, user.id, kind),
        name=user.display_name,
        headline=headline,
        link=link,
    )


async def compose_digest(
    db: AsyncSession, settings: Settings, payload: dict[str, Any]
) -> Outgoing | None:
    user = await mail.user_by_id(db, payload["user_id"])
    if user is None:
        return None
    now = utcnow()
    since = user.digest_sent_at or now - timedelta(days=1)
    user.digest_due_at = None
    user.digest_sent_at = now
    if not _mailable(user):
        return None
    chosen = await mail_preferences.modes(db, user.id)
    digest_kinds = [k for k, mapped in MAIL_KINDS.items() if chosen[mapped] == MailMode.DIGEST]
    notes = list(
        await db.scalars(
            select(Notification)
            .where(
                Notification.user_id == user.id,
                Notification.kind.in_(digest_kinds),
                Notification.created_at > since,
                Notification.read_at.is_(None),
            )
            .order_by(Notification.created_at)
            .limit(50)
        )
    )
    if not notes:
        return None
    items = []
    for note in notes:
        headline, link = await describe(db, settings, note)
        items.append({"headline": headline, "link": link})
    kind = MAIL_KINDS[notes[0].kind]
    return render(
        settings,
        "digest",
        to=user.email,
        to_name=user.display_name,
        unsubscribe_url=mail_preferences.unsubscribe_url(settings, user.id, kind),
        name=user.display_name,
        items=items,
    )
