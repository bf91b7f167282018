"""Email verification and email changes.

Sign-up queues a verification mail; an unverified account works but is reminded, and
gets no notification mail. A new address takes effect only once a link sent to it is
used, and the old address is told.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from practika.config import Settings
from practika.domain.accounts import TokenPurpose
from practika.domain.base import utcnow
from practika.domain.errors import Conflict, Invalid
from practika.domain.users import User
from practika.email import Outgoing, normalize_address
from practika.email.render import render
from practika.security import Passwords
from practika.services import account_tokens, mail, mail_throttle


def queue_verification(db: AsyncSession, user: User) -> None:
    """Queue the verification mail in the caller's transaction (sign-up calls this)."""
    if user.email_verified_at is None:
        mail.queue(db, "verify_email", user_id=user.id)


async def resend(db: AsyncSession, settings: Settings, user: User, ip: str) -> None:
    if user.email_verified_at is not None:
        raise Conflict("Your email address is already verified.", code="already_verified")
    await mail_throttle.admit(db, settings, "verify_email", user.email, ip)
    queue_verification(db, user)
    await db.commit()


async def confirm(db: AsyncSession, token: str) -> User:
    """Use a verification link: the address it was sent to is verified (if still the
    account's: a link for an address since changed verifies nothing)."""
    row = await account_tokens.redeem(db, token, TokenPurpose.VERIFY_EMAIL)
    user = await db.get(User, row.user_id)
    if user is None or user.email != row.email:
        await db.rollback()
        raise Conflict("This link is for an address the account no longer has.", code="link_stale")
    user.email_verified_at = user.email_verified_at or utcnow()
    await db.commit()
    return user


async def request_change(
    db: AsyncSession,
    settings: Settings,
    passwords: Passwords,
    user: User,
    *,
    new_email: str,
    password: str,
    ip: str,
) -> None:
    """Send a confirmation link to the new address; nothing changes until it is used."""
    if not passwords.verify(user.password_hash, password):
        raise Invalid("The password is not right.", {"field": "password"})
    address = normalize_address(new_email)
    if address == user.email:
        raise Invalid("This is already your address.", {"field": "email"})
    await mail_throttle.admit(db, settings, "change_email", address, ip)
    if await db.scalar(select(User.id).where(User.email == address)) is not None:
        await db.rollback()
        raise Conflict("Another account uses this address.", {"field": "email"}, code="email_taken")
    mail.queue(db, "change_email", user_id=user.id, email=address)
    await db.commit()


async def confirm_change(db: AsyncSession, token: str) -> User:
    row = await account_tokens.redeem(db, token, TokenPurpose.CHANGE_EMAIL)
    user = await db.get(User, row.user_id)
    if user is None or not user.is_active:
        await db.rollback()
        raise Conflict("This account is deactivated.", code="account_inactive")
    if await db.scalar(select(User.id).where(User.email == row.email)) is not None:
        await db.rollback()
        raise Conflict("Another account uses this address now.", code="email_taken")
    old = user.email
    user.email = row.email
    user.email_verified_at = utcnow()
    user.email_bounced_at = None
    user.email_complained_at = None
    mail.queue(db, "email_changed", user_id=user.id, old_email=old, new_email=row.email)
    await db.commit()
    return user


async def compose_verification(
    db: AsyncSession, settings: Settings, payload: dict[str, Any]
) -> Outgoing | None:
    user = await mail.user_by_id(db, payload["user_id"])
    if not mail.deliverable(user):
        return None
    assert user is not None
    if user.email_verified_at is not None:
        return None  # verified meanwhile
    token = await account_tokens.issue(db, settings, user, TokenPurpose.VERIFY_EMAIL, user.email)
    return render(
        settings,
        "verify_email",
        to=user.email,
        to_name=user.display_name,
        name=user.display_name,
        email=user.email,
        link=f"{settings.resolved_public_url}/verify?token={quote(token)}",
        ttl_hours=settings.verification_ttl_hours,
    )


async def compose_change(
    db: AsyncSession, settings: Settings, payload: dict[str, Any]
) -> Outgoing | None:
    user = await mail.user_by_id(db, payload["user_id"])
    if user is None or not user.is_active:
        return None
    address = str(payload["email"])
    token = await account_tokens.issue(db, settings, user, TokenPurpose.CHANGE_EMAIL, address)
    return render(
        settings,
        "change_email",
        to=address,
        to_name=user.display_name,
        name=user.display_name,
        email=address,
        link=f"{settings.resolved_public_url}/confirm-email?token={quote(token)}",
        ttl_hours=settings.verification_ttl_hours,
    )


async def compose_changed_notice(
    db: AsyncSession, settings: Settings, payload: dict[str, Any]
) -> Outgoing | None:
    user = await mail.user_by_id(db, payload["user_id"])
    if user is None:
        return None
    return render(
        settings,
        "email_changed",
        to=str(payload["old_email"]),
        to_name=user.display_name,
        name=user.display_name,
        old_email=str(payload["old_email"]),
        new_email=str(payload["new_email"]),
    )
