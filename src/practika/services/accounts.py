"""A person's own account: profile, time zone, mail preferences and sign-in sessions."""

from __future__ import annotations

import uuid

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from practika.domain import access
from practika.domain.accounts import MailMode
from practika.domain.base import utcnow
from practika.domain.errors import NotFound
from practika.domain.users import AuthSession, User
from practika.readcache import topics
from practika.security import token_hash
from practika.services import mail_preferences


async def update_profile(db: AsyncSession, user: User, changes: dict[str, object]) -> User:
    if changes.get("display_name") is not None:
        user.display_name = str(changes["display_name"])
    if changes.get("time_zone") is not None:
        user.time_zone = str(changes["time_zone"])
    await db.commit()
    return user


async def preferences(db: AsyncSession, user: User) -> dict[str, MailMode]:
    return await mail_preferences.modes(db, user.id)


async def set_preferences(
    db: AsyncSession, user: User, changes: dict[str, MailMode]
) -> dict[str, MailMode]:
    await mail_preferences.set_modes(db, user, changes)
    await db.commit()
    return await mail_preferences.modes(db, user.id)


async def live_sessions(db: AsyncSession, user: User) -> list[AuthSession]:
    return list(
        await db.scalars(
            select(AuthSession)
            .where(
                access.auth_session_owned(user),
                AuthSession.revoked_at.is_(None),
                AuthSession.expires_at > utcnow(),
            )
            .order_by(AuthSession.created_at.desc())
            .limit(100)
        )
    )


def is_current(session: AuthSession, token: str | None) -> bool:
    return token is not None and session.token_hash == token_hash(token)


async def end_sessions(db: AsyncSession, user: User, *, keep_token: str | None) -> int:
    """Sign out every session of one's own but `keep_token`'s; how many ended."""
    live = update(AuthSession).where(
        access.auth_session_owned(user), AuthSession.revoked_at.is_(None)
    )
    if keep_token:
        live = live.where(AuthSession.token_hash != token_hash(keep_token))
    result = await db.execute(live.values(revoked_at=utcnow()))
    await db.commit()
    return int(result.rowcount)  # type: ignore[attr-defined]


_BROWSERS = (  # first match wins: Edge and Opera also say "Chrome", Chrome says "Safari"
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("CrOS", "ChromeOS"),
    ("Mac OS X", "macOS"),
    ("Macintosh", "macOS"),
    ("Linux", "Linux"),
)


def device_label(user_agent: str | None) -> str:
    """A person-readable name for the device a session signed in from, such as "Safari on
    iPhone"; other clients by their first product name ("curl")."""
    if not user_agent or not user_agent.strip():
        return "Unknown device"
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), None)
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), None)
    if browser is None:
        product = user_agent.strip().split()[0].split("/")[0][:40]
        return f"{product} on {system}" if system else product
    return f"{browser} on {system}" if system else browser


async def end_session(db: AsyncSession, user: User, session_id: uuid.UUID) -> None:
    """Sign one of one's own sessions out (others' are reported missing)."""
    result = await db.execute(
        update(AuthSession)
        .where(
            AuthSession.id == session_id,
            access.auth_session_owned(user),
            AuthSession.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow())
        .execution_options(**topics.names(topics.auth(user.id)))
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        await db.rollback()
        raise NotFound("No such session.")
    await db.commit()
