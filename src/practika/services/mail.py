"""Account and notification mail: queued as a job with the change that causes it, composed
and sent by the worker.

`queue` adds a `send_email` job to the caller's session, so the job commits with the
change (a sign-up, a forgot-password request, an invite) or not at all: a process that
dies after the commit leaves the job for the next worker, and nothing is sent inside a
request. The job holds ids, never a link: the worker composes the message when it runs,
issuing the single-use token then, so no usable token sits in the jobs table. A retry
issues a fresh token, which replaces the earlier (so at most one link is ever live).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from practika.config import Settings
from practika.domain.jobs import Job
from practika.domain.users import User
from practika.email import Outgoing, build_mailer, build_message
from practika.email.backends import Undeliverable
from practika.media.jobs import enqueue
from practika.observability.metrics import metrics

if TYPE_CHECKING:
    from practika.media.tasks import MediaContext

log = logging.getLogger("practika.mail")
SEND_EMAIL = "send_email"
MAX_ATTEMPTS = 8  # with the job backoff: about 20 minutes of retries at the default base

Composer = Callable[[AsyncSession, Settings, dict[str, Any]], Awaitable[Outgoing | None]]


def queue(db: AsyncSession, message: str, **payload: Any) -> Job:
    """Queue one message in the caller's transaction (it is sent once the caller commits)."""
    body = {"message": message} | {k: str(v) for k, v in payload.items() if v is not None}
    return enqueue(db, SEND_EMAIL, body, max_attempts=MAX_ATTEMPTS)


def composers() -> dict[str, Composer]:
    # Imported here: each flow's module imports `queue` from this one.
    from practika.services import email_invites, mail_notifications, recovery, verification

    return {
        "verify_email": verification.compose_verification,
        "change_email": verification.compose_change,
        "email_changed": verification.compose_changed_notice,
        "password_reset": recovery.compose_reset,
        "invite": email_invites.compose_invite,
        "notification": mail_notifications.compose_notification,
        "digest": mail_notifications.compose_digest,
    }


def deliverable(user: User | None) -> bool:
    """An account that may get mail at all: active, and its address has neither bounced
    nor complained (marked our mail as spam)."""
    return (
        user is not None
        and user.is_active
        and user.email_bounced_at is None
        and user.email_complained_at is None
    )


async def send_email(ctx: MediaContext, payload: dict[str, Any]) -> None:
    """The job: compose (may issue a token, committed first), then send. Raises to retry."""
    compose = composers().get(str(payload.get("message")))
    if compose is None:
        raise ValueError(f"unknown message {payload.get('message')!r}")
    async with ctx.sessions() as db:
        mail = await compose(db, ctx.settings, payload)
        await db.commit()
    if mail is None:
        metrics.count("EmailsSkipped", Template=str(payload["message"]))
        return
    msg = build_message(mail, ctx.settings.email_from)
    try:
        sent_id = await build_mailer(ctx.settings).send(msg)
    except Undeliverable as exc:
        log.warning("mail to %s undeliverable: %s", mail.to, exc)
        await mark_bounced(ctx, mail.to)
        metrics.count("EmailsBounced", Template=str(payload["message"]))
        return
    metrics.count("EmailsSent", Template=str(payload["message"]))
    log.info("sent %s mail (%s)", payload["message"], sent_id)


async def mark_bounced(ctx: MediaContext, address: str) -> None:
    """A bounced address stops receiving mail until its owner or an admin changes it."""
    from practika.domain.accounts import SuppressionReason
    from practika.services.mail_events import Suppression, suppress

    async with ctx.sessions() as db:
        await suppress(db, Suppression(address, SuppressionReason.BOUNCE, "refused by SMTP"))
        await db.commit()


async def user_by_id(db: AsyncSession, user_id: object) -> User | None:
    import uuid

    return await db.scalar(select(User).where(User.id == uuid.UUID(str(user_id))))
