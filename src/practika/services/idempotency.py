"""Idempotency keys (`Idempotency-Key` on creating POSTs): a retried write gets the first
answer back instead of writing again.

The key is claimed in the request's own transaction before the write runs, and the
answer stored in it before the commit; so the write and its key commit together or not
at all. A client that saw a timeout or a 503 cannot know which it was, and need not: it
sends the same request with the same key, and gets either the stored answer (the write
had committed) or a first execution (it had not). The api's half is api/idempotency.py.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from practika.domain.base import utcnow
from practika.domain.errors import Conflict, Invalid
from practika.domain.idempotency import IdempotencyRecord

log = logging.getLogger("practika.idempotency")


@dataclass(frozen=True)
class Answer:
    status: int
    body: str


def fingerprint(path: str, body: bytes) -> str:
    """What makes two requests "the same": the address and the body's JSON value (so
    whitespace and key order do not matter)."""
    try:
        value = json.loads(body) if body else None
    except ValueError:
        value = body.decode("utf-8", "replace")
    canonical = json.dumps({"path": path, "body": value}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


async def claim(
    db: AsyncSession,
    user_id: uuid.UUID,
    key: str,
    route: str,
    print_: str,
    ttl: timedelta,
) -> IdempotencyRecord | Answer:
    """Claim `key` for this request, or return the answer stored under it.

    The claim is a row flushed in the request's transaction: a concurrent request with
    the same key blocks on it (PostgreSQL) or on the write lock (SQLite) until this one
    commits or rolls back, then sees the stored answer or claims it itself."""
    now = utcnow()
    existing = await _stored(db, user_id, key)
    if existing is not None and existing.expires_at > now:
        return _answer(existing, route, print_)
    if existing is not None:
        await db.delete(existing)  # expired and not swept yet: the key is free again
        await db.flush()
    record = IdempotencyRecord(
        user_id=user_id,
        key=key,
        route=route,
        fingerprint=print_,
        status=None,
        body=None,
        created_at=now,
        expires_at=now + ttl,
    )
    db.add(record)
    try:
        await db.flush()
    except IntegrityError:
        # A concurrent request with this key committed first.
        await db.rollback()
        existing = await _stored(db, user_id, key)
        if existing is None:
            raise Conflict(
                "A request with this Idempotency-Key was under way; send it again.",
                {"header": "Idempotency-Key"},
                code="idempotency_key_in_use",
            ) from None
        return _answer(existing, route, print_)
    return record


def store(record: IdempotencyRecord, answer: Answer) -> None:
    """Keep the answer with the claim; it is written at the request's commit."""
    record.status = answer.status
    record.body = answer.body


async def _stored(db: AsyncSession, user_id: uuid.UUID, key: str) -> IdempotencyRecord | None:
    result = await db.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.user_id == user_id, IdempotencyRecord.key == key
        )
    )
    return result


def _answer(record: IdempotencyRecord, route: str, print_: str) -> Answer:
    if record.route != route or record.fingerprint != print_ or record.status is None:
        raise Invalid(
            "This Idempotency-Key was already used for a different request; "
            "use a new key for a new request.",
            {"header": "Idempotency-Key"},
            code="idempotency_key_reused",
        )
    return Answer(record.status, record.body or "")


async def sweep(db: AsyncSession) -> int:
    """Delete expired keys (after which the same key would write again)."""
    result = await db.execute(
        delete(IdempotencyRecord).where(IdempotencyRecord.expires_at <= utcnow())
    )
    await db.commit()
    return int(getattr(result, "rowcount", 0) or 0)


async def sweep_forever(sessions: async_sessionmaker[AsyncSession], every_s: float) -> None:
    """The api process's background sweep; several processes sweeping is harmless."""
    while True:
        await asyncio.sleep(every_s)
        try:
            async with sessions() as db:
                removed = await sweep(db)
        except Exception as exc:  # a database outage: try again next time
            log.warning("idempotency sweep failed: %s", type(exc).__name__)
            continue
        if removed:
            log.info("swept %d expired idempotency keys", removed)
