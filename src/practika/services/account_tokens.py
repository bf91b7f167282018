"""One-purpose account links (verify an address, confirm a new one): single use, expiring,
bound to their purpose and to the address they were sent to. Only a hash is stored."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from practika.config import Settings
from practika.domain.accounts import AccountToken, TokenPurpose
from practika.domain.base import utcnow
from practika.domain.errors import Conflict, NotFound
from practika.domain.users import User
from practika.security import new_token, token_hash


async def issue(
    db: AsyncSession, settings: Settings, user: User, purpose: TokenPurpose, email: str
) -> str:
    """A new link of this purpose for the person; earlier unused ones of it stop working.
    The caller commits."""
    now = utcnow()
    await db.execute(
        update(AccountToken)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == purpose,
            AccountToken.used_at.is_(None),
            AccountToken.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    token = new_token()
    db.add(
        AccountToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=token_hash(token),
            email=email,
            created_at=now,
            expires_at=now + timedelta(hours=settings.verification_ttl_hours),
        )
    )
    return token


async def redeem(db: AsyncSession, token: str, purpose: TokenPurpose) -> AccountToken:
    """Claim a live link of exactly this purpose, once (the caller commits with its effect).

    A token of another purpose is reported as not found: a verification link can never
    confirm an address change, nor anything else.
    """
    row = await db.scalar(
        select(AccountToken).where(
            AccountToken.token_hash == token_hash(token.strip()), AccountToken.purpose == purpose
        )
    )
    now = utcnow()
    if row is None:
        raise NotFound("This link is not valid; ask for a new one.", code="link_not_found")
    if row.used_at is not None:
        raise Conflict("This link was already used.", code="link_used")
    if row.revoked_at is not None:
        raise Conflict("A newer link replaced this one; use the newest.", code="link_replaced")
    if row.expires_at <= now:
        raise Conflict("This link has expired; ask for a new one.", code="link_expired")
    claimed = await db.execute(
        update(AccountToken)
        .where(
            AccountToken.id == row.id,
            AccountToken.used_at.is_(None),
            AccountToken.revoked_at.is_(None),
        )
        .values(used_at=now)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        await db.rollback()
        raise Conflict("This link was just used.", code="link_used")
    return row
