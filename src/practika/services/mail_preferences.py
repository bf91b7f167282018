"""Per-person notification-mail preferences and the one-click unsubscribe (RFC 8058).

An unsubscribe link is signed for one person and one kind, so it needs no sign-in and
cannot be forged or turned against anyone else.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from practika.config import Settings
from practika.domain.accounts import DEFAULT_MODE, PREFERENCE_KINDS, MailMode, MailPreference
from practika.domain.errors import Invalid, NotFound
from practika.domain.users import User
from practika.security import sign, verify_signature


async def modes(db: AsyncSession, user_id: uuid.UUID) -> dict[str, MailMode]:
    """Every kind's mode for the person, defaults filled in."""
    chosen = {
        p.kind: p.mode
        for p in await db.scalars(select(MailPreference).where(MailPreference.user_id == user_id))
    }
    return {kind: chosen.get(kind, DEFAULT_MODE) for kind in PREFERENCE_KINDS}


async def set_modes(db: AsyncSession, user: User, changes: dict[str, MailMode]) -> None:
    """Set some kinds' modes (the caller commits)."""
    unknown = set(changes) - set(PREFERENCE_KINDS)
    if unknown:
        raise Invalid(f"Unknown kinds of mail: {', '.join(sorted(unknown))}.")
    rows = {
        p.kind: p
        for p in await db.scalars(select(MailPreference).where(MailPreference.user_id == user.id))
    }
    for kind, mode in changes.items():
        if kind in rows:
            rows[kind].mode = mode
        else:
            db.add(MailPreference(user_id=user.id, kind=kind, mode=mode))


def _message(user_id: uuid.UUID | str, kind: str) -> str:
    return f"unsubscribe:{user_id}:{kind}"


def unsubscribe_url(settings: Settings, user_id: uuid.UUID, kind: str) -> str:
    """The one-click URL for List-Unsubscribe (the API; POST turns the kind off)."""
    query = urlencode(
        {"u": str(user_id), "k": kind, "s": sign(settings.mail_link_key, _message(user_id, kind))}
    )
    return f"{settings.resolved_public_url}/api/v1/email/unsubscribe?{query}"


async def unsubscribe(
    db: AsyncSession, settings: Settings, user_id: str, kind: str, signature: str
) -> None:
    """Turn one kind of mail off for the person the link was made for."""
    if kind not in PREFERENCE_KINDS or not verify_signature(
        settings.mail_link_key, _message(user_id, kind), signature
    ):
        raise NotFound("This unsubscribe link is not valid.", code="unsubscribe_invalid")
    user = await db.get(User, uuid.UUID(user_id))
    if user is None:
        raise NotFound("This unsubscribe link is not valid.", code="unsubscribe_invalid")
    await set_modes(db, user, {kind: MailMode.OFF})
    await db.commit()
