"""Password resets: a single-use, expiring link; the person sets a new password.

The link is emailed when the person asks for it (services/recovery.py), or issued by an
admin to hand over (for an address whose mail bounces). Using it signs the account out
everywhere and lifts a sign-in lockout.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from urllib.parse import quote

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from practika.config import Settings
from practika.domain.base import utcnow
from practika.domain.errors import Conflict, Invalid, NotFound
from practika.domain.users import PasswordReset, User
from practika.security import Passwords, new_token, token_hash
from practika.services import signin_throttle
from practika.services.auth import check_password_strength, revoke_sessions


def reset_path(token: str) -> str:
    return f"/reset?token={quote(token)}"


async def issue(
    db: AsyncSession, settings: Settings, user_id: uuid.UUID, *, issued_by: User | None
) -> tuple[PasswordReset, str]:
    """A new link for the account; any earlier unused link for it stops working."""
    user = await db.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    if not user.is_active:
        raise Invalid("This account is deactivated; reactivate it before resetting its password.")
    reset, token = await prepare(db, settings, user, issued_by=issued_by)
    await db.commit()
    return reset, token


async def prepare(
    db: AsyncSession, settings: Settings, user: User, *, issued_by: User | None
) -> tuple[PasswordReset, str]:
    """`issue` without the commit: the mail job issues and sends in one go."""
    now = utcnow()
    await db.execute(
        update(PasswordReset)
        .where(
            PasswordReset.user_id == user.id,
            PasswordReset.used_at.is_(None),
            PasswordReset.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    token = new_token()
    reset = PasswordReset(
        user_id=user.id,
        token_hash=token_hash(token),
        issued_by_id=issued_by.id if issued_by else None,
        created_at=now,
        expires_at=now + timedelta(hours=settings.password_reset_ttl_hours),
    )
    db.add(reset)
    return reset, token


async def redeem(db: AsyncSession, passwords: Passwords, token: str, new_password: str) -> User:
    """Set the new password with a live link, once. A refused password leaves the link usable."""
    reset = await db.scalar(
        select(PasswordReset).where(PasswordReset.token_hash == token_hash(token.strip()))
    )
    now = utcnow()
    if reset is None:
        raise NotFound("This reset link is not valid; ask for a new one.", code="reset_not_found")
    if reset.used_at is not None:
        raise Conflict("This reset link was already used; ask for a new one.", code="reset_used")
    if reset.revoked_at is not None:
        raise Conflict(
            "A newer reset link replaced this one; use the newest.", code="reset_replaced"
        )
    if reset.expires_at <= now:
        raise Conflict("This reset link has expired; ask for a new one.", code="reset_expired")
    user = await db.get(User, reset.user_id)
    if user is None or not user.is_active:
        raise Conflict("This account is deactivated.", code="reset_account_inactive")
    check_password_strength(new_password, user.email)
    # Hash with no transaction open (it takes ~0.2 s; a held connection would drain the
    # pool under load); the claim below still makes the link single use.
    reset_id, user_id, email = reset.id, user.id, user.email
    await db.rollback()
    new_hash = await passwords.hash_async(new_password)
    # Claim the link with a conditional update, so two uses at once cannot both win.
    claimed = await db.execute(
        update(PasswordReset)
        .where(
            PasswordReset.id == reset_id,
            PasswordReset.used_at.is_(None),
            PasswordReset.revoked_at.is_(None),
            PasswordReset.expires_at > now,
        )
        .values(used_at=now)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        await db.rollback()
        raise Conflict("This reset link was just used; ask for a new one.", code="reset_used")
    await db.execute(update(User).where(User.id == user_id).values(password_hash=new_hash))
    await revoke_sessions(db, user_id)
    await signin_throttle.lift(db, email)
    await db.commit()
    user = await db.get(User, user_id, populate_existing=True)
    assert user is not None
    return user
