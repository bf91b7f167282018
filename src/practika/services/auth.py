"""Sign-up, sign-in, sessions and passwords."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from practika.config import Settings
from practika.domain.base import utcnow
from practika.domain.errors import Conflict, Invalid, Throttled, Unauthenticated
from practika.domain.users import AuthSession, SigninFailure, User
from practika.email.addresses import normalize_address
from practika.security import Passwords, new_token, token_hash

MIN_PASSWORD_CHARS = 10


def normalize_email(email: str) -> str:
    return normalize_address(email)  # the one place addresses are normalised


def check_password_strength(password: str, email: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise Invalid(
            f"Choose a password of at least {MIN_PASSWORD_CHARS} characters.",
            {"field": "password"},
        )
    if password.lower() == normalize_email(email):
        raise Invalid("The password cannot be your email address.", {"field": "password"})


async def create_user(
    db: AsyncSession,
    passwords: Passwords,
    *,
    email: str,
    password: str,
    display_name: str,
    is_admin: bool = False,
) -> User:
    check_password_strength(password, email)
    user = User(
        email=normalize_email(email),
        display_name=display_name.strip(),
        password_hash=passwords.hash(password),
        is_admin=is_admin,
    )
    db.add(user)
    try:
        await db.flush()
    except IntegrityError as exc:
        await db.rollback()
        raise Conflict(
            "An account with this email already exists; sign in instead.",
            {"field": "email"},
            code="email_taken",
        ) from exc
    return user


async def start_session(
    db: AsyncSession, settings: Settings, user: User, user_agent: str | None
) -> str:
    token = new_token()
    db.add(
        AuthSession(
            user_id=user.id,
            token_hash=token_hash(token),
            expires_at=utcnow() + timedelta(days=settings.session_ttl_days),
            user_agent=(user_agent or "")[:300] or None,
        )
    )
    return token


async def _check_throttle(db: AsyncSession, settings: Settings, email: str, ip: str) -> None:
    since = utcnow() - timedelta(seconds=settings.signin_window_seconds)
    per_account = await db.scalar(
        select(func.count()).where(SigninFailure.email == email, SigninFailure.at >= since)
    )
    per_ip = await db.scalar(
        select(func.count()).where(SigninFailure.ip == ip, SigninFailure.at >= since)
    )
    if (per_account or 0) >= settings.signin_max_failures_per_account or (
        per_ip or 0
    ) >= settings.signin_max_failures_per_ip:
        raise Throttled(
            "Too many failed sign-ins. Wait a few minutes before trying again.",
            retry_after_s=settings.signin_window_seconds,
        )


async def sign_in(
    db: AsyncSession,
    settings: Settings,
    passwords: Passwords,
    *,
    email: str,
    password: str,
    ip: str,
    user_agent: str | None,
) -> tuple[User, str]:
    email = normalize_email(email)
    await _check_throttle(db, settings, email, ip)
    user = await db.scalar(select(User).where(User.email == email))
    ok = passwords.verify(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_active:
        db.add(SigninFailure(email=email, ip=ip))
        await db.commit()
        raise Unauthenticated("The email or password is not right.", code="bad_credentials")
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash(password)
    await db.execute(delete(SigninFailure).where(SigninFailure.email == email))
    token = await start_session(db, settings, user, user_agent)
    await db.commit()
    return user, token


@dataclass
class LiveSession:
    user: User
    expires_at: datetime


async def session_for_token(db: AsyncSession, token: str) -> LiveSession | None:
    """The live session a token opens (its active user and its end), or None."""
    row = (
        await db.execute(
            select(User, AuthSession.expires_at)
            .join(AuthSession, AuthSession.user_id == User.id)
            .where(
                AuthSession.token_hash == token_hash(token),
                AuthSession.revoked_at.is_(None),
                AuthSession.expires_at > utcnow(),
                User.is_active.is_(True),
            )
        )
    ).one_or_none()
    return LiveSession(row[0], row[1]) if row else None


async def sign_out(db: AsyncSession, token: str) -> None:
    await db.execute(
        update(AuthSession)
        .where(AuthSession.token_hash == token_hash(token), AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    await db.commit()


async def change_password(
    db: AsyncSession,
    passwords: Passwords,
    user: User,
    *,
    current_password: str,
    new_password: str,
    keep_token: str | None,
) -> None:
    """Change the password and sign out every other session."""
    if not passwords.verify(user.password_hash, current_password):
        raise Invalid("The current password is not right.", {"field": "current_password"})
    check_password_strength(new_password, user.email)
    user.password_hash = passwords.hash(new_password)
    await revoke_sessions(db, user.id, keep_token=keep_token)
    await db.commit()


async def revoke_sessions(
    db: AsyncSession, user_id: uuid.UUID, *, keep_token: str | None = None
) -> None:
    """Sign the person out everywhere (but for `keep_token`); the caller commits."""
    live = update(AuthSession).where(
        AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None)
    )
    if keep_token:
        live = live.where(AuthSession.token_hash != token_hash(keep_token))
    await db.execute(live.values(revoked_at=utcnow()))
