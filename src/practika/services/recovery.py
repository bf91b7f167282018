"""Self-service recovery: "forgot password" emails a single-use, expiring reset link.

The answer is the same whether or not the address has an account (no enumeration), and
the request is throttled per address and per client the same way in both cases.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from practika.config import Settings
from practika.domain.users import User
from practika.email import Outgoing, normalize_address
from practika.email.render import render
from practika.services import mail, mail_throttle, password_resets


async def request_reset(db: AsyncSession, settings: Settings, email: str, ip: str) -> None:
    """Queue a reset mail if the address belongs to an active account; say nothing either way."""
    address = normalize_address(email)
    await mail_throttle.admit(db, settings, "password_reset", address, ip)
    user = await db.scalar(select(User).where(User.email == address))
    if mail.deliverable(user):
        assert user is not None
        mail.queue(db, "password_reset", user_id=user.id)
    await db.commit()


async def compose_reset(
    db: AsyncSession, settings: Settings, payload: dict[str, Any]
) -> Outgoing | None:
    user = await mail.user_by_id(db, payload["user_id"])
    if not mail.deliverable(user):
        return None
    assert user is not None
    _, token = await password_resets.prepare(db, settings, user, issued_by=None)
    return render(
        settings,
        "password_reset",
        to=user.email,
        to_name=user.display_name,
        name=user.display_name,
        link=settings.resolved_public_url + password_resets.reset_path(token),
        ttl_hours=settings.password_reset_ttl_hours,
    )
