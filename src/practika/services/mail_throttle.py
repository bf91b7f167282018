"""Every request that sends mail is counted per address and per client, and refused past
the hourly limits (429 with Retry-After), whether or not the address has an account."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from practika.config import Settings
from practika.domain.accounts import MailRequest
from practika.domain.base import utcnow
from practika.domain.errors import Throttled

WINDOW = timedelta(hours=1)


async def admit(db: AsyncSession, settings: Settings, purpose: str, email: str, ip: str) -> None:
    """Record the request (the caller commits), or raise Throttled if over a limit."""
    since = utcnow() - WINDOW
    per_address = await db.scalar(
        select(func.count()).where(MailRequest.email == email, MailRequest.at >= since)
    )
    per_ip = await db.scalar(
        select(func.count()).where(MailRequest.ip == ip, MailRequest.at >= since)
    )
    if (per_address or 0) >= settings.mail_requests_per_address_per_hour or (
        per_ip or 0
    ) >= settings.mail_requests_per_ip_per_hour:
        raise Throttled(
            "Too many emails asked for. Wait a while before asking again.",
            retry_after_s=int(WINDOW.total_seconds()),
        )
    db.add(MailRequest(purpose=purpose, email=email, ip=ip))
