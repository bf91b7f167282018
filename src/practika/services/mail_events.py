"""SES's bounce and complaint events, read by the worker from an SQS queue subscribed to
the configuration set's SNS topic (infra/practika_infra/email.py), and the suppression of
the addresses they name.

A queue rather than an SNS HTTPS endpoint: the worker needs no public route, no SNS
signature checking and no subscription handshake, and events wait in the queue (with a
dead-letter queue for ones that keep failing) while no worker runs. A message is deleted
only after its suppressions are committed, so a crash in between repeats an idempotent
update, never loses one.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from practika.domain.accounts import SuppressedAddress, SuppressionReason
from practika.domain.base import utcnow
from practika.domain.users import User
from practika.email.addresses import normalize_address
from practika.observability.metrics import metrics

log = logging.getLogger("practika.mail")
BATCHES_PER_POLL = 10  # up to 100 events a poll; the rest wait for the next


@dataclass(frozen=True)
class Suppression:
    email: str
    reason: SuppressionReason
    detail: str | None


def suppressions_in(body: str) -> list[Suppression]:
    """The addresses an SQS message body tells us to stop mailing: an SES event wrapped
    in an SNS notification, or raw (raw message delivery). Transient bounces, deliveries
    and delays name none. Raises ValueError for a body that is no such event."""
    data = json.loads(body)
    if not isinstance(data, dict):
        raise ValueError("not an event object")
    if data.get("Type") == "Notification" and isinstance(data.get("Message"), str):
        data = json.loads(data["Message"])
        if not isinstance(data, dict):
            raise ValueError("not an event object")
    kind = data.get("eventType") or data.get("notificationType")
    if not isinstance(kind, str):
        raise ValueError("no eventType")
    if kind == "Bounce":
        bounce = data.get("bounce") or {}
        if bounce.get("bounceType") != "Permanent":
            return []  # a full mailbox or a greylisting: SES retries, we keep mailing
        detail = f"{bounce.get('bounceType')}/{bounce.get('bounceSubType', '')}"
        return _recipients(bounce.get("bouncedRecipients"), SuppressionReason.BOUNCE, detail)
    if kind == "Complaint":
        complaint = data.get("complaint") or {}
        detail = str(complaint.get("complaintFeedbackType") or "complaint")
        return _recipients(
            complaint.get("complainedRecipients"), SuppressionReason.COMPLAINT, detail
        )
    return []


def _recipients(rows: Any, reason: SuppressionReason, detail: str) -> list[Suppression]:
    if not isinstance(rows, list):
        raise ValueError("no recipients")
    found = []
    for row in rows:
        address = row.get("emailAddress") if isinstance(row, dict) else None
        if not isinstance(address, str) or "@" not in address:
            raise ValueError("a recipient without an address")
        # SES may report "Name <a@b>"; keep the address.
        address = address.rsplit("<", 1)[-1].rstrip(">").strip()
        found.append(Suppression(normalize_address(address), reason, detail[:300]))
    return found


async def suppress(db: AsyncSession, found: Suppression) -> None:
    """Stop mail to the address (the caller commits). A complaint outranks a bounce; doing
    it twice changes nothing."""
    row = await db.get(SuppressedAddress, found.email)
    if row is None:
        db.add(SuppressedAddress(email=found.email, reason=found.reason, detail=found.detail))
    elif found.reason == SuppressionReason.COMPLAINT:
        row.reason, row.detail = found.reason, found.detail
    column = (
        User.email_complained_at
        if found.reason == SuppressionReason.COMPLAINT
        else User.email_bounced_at
    )
    await db.execute(
        update(User)
        .where(User.email == found.email, column.is_(None))
        .values({column.key: utcnow()})
    )


async def is_suppressed(db: AsyncSession, address: str) -> bool:
    """No mail to this address: it is suppressed, or its account's address bounced."""
    address = normalize_address(address)
    if await db.get(SuppressedAddress, address) is not None:
        return True
    stopped = or_(User.email_bounced_at.is_not(None), User.email_complained_at.is_not(None))
    return await db.scalar(select(User.id).where(User.email == address, stopped)) is not None


async def poll(sessions: async_sessionmaker[AsyncSession], sqs: Any, queue_url: str) -> int:
    """Apply what is waiting in the queue; how many messages were handled."""
    handled = 0
    for _ in range(BATCHES_PER_POLL):
        got = await asyncio.to_thread(
            sqs.receive_message, QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0
        )
        messages = got.get("Messages") or []
        if not messages:
            break
        done = []
        async with sessions() as db:
            for message in messages:
                try:
                    found = suppressions_in(message.get("Body", ""))
                except (ValueError, TypeError, AttributeError) as exc:
                    # Left in the queue: after a few receives SQS moves it to the DLQ.
                    log.warning("unreadable mail event %s: %s", message.get("MessageId"), exc)
                    metrics.count("MailEventsUnreadable")
                    continue
                for each in found:
                    await suppress(db, each)
                    log.info("suppressed %s (%s)", each.email, each.reason.value)
                    metrics.count("AddressesSuppressed", Reason=each.reason.value)
                done.append(message)
            await db.commit()
        for start in range(0, len(done), 10):
            entries = [
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                for i, m in enumerate(done[start : start + 10])
            ]
            if entries:
                await asyncio.to_thread(
                    sqs.delete_message_batch, QueueUrl=queue_url, Entries=entries
                )
        handled += len(done)
        if len(messages) < 10:
            break
    return handled
