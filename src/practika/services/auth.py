"""Sign-up, sign-in, sessions and passwords."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached

from practika.config import Settings
from practika.db_reads import Reads
from practika.domain.base import utcnow
from practika.domain.errors import Conflict, Invalid, Overloaded, Unauthenticated
from practika.domain.users import AuthSession, User
from practika.email.addresses import normalize_address
from practika.readcache import topics
from practika.security import Passwords, new_token, token_hash
from practika.services import invites, signin_throttle, verification

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
    # Hashed before the first statement, so no connection is held while it runs.
    password_hash = await passwords.hash_async(password)
    user = User(
        email=normalize_email(email),
        display_name=display_name.strip(),
        password_hash=password_hash,
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


async def sign_up(
    db: AsyncSession,
    settings: Settings,
    passwords: Passwords,
    *,
    email: str,
    password: str,
    display_name: str,
    invite_code: str | None,
    ip: str,
    user_agent: str | None,
) -> tuple[User, str]:
    """Create an account, its first session and (with a code) its coach link: one
    transaction, so a refused invite code leaves no account behind. The attempt is
    counted first (its own transaction) and given back on success."""
    check_password_strength(password, email)
    try:
        await signin_throttle.count_signup(db, settings, ip=ip)
    finally:
        await db.commit()
    try:
        user = await create_user(
            db, passwords, email=email, password=password, display_name=display_name
        )
    except Overloaded:  # shed before anything was decided: not a refused sign-up
        await signin_throttle.signup_succeeded(db, settings, ip=ip)
        await db.commit()
        raise
    token = await start_session(db, settings, user, user_agent)
    if invite_code:
        await invites.claim_invite(db, user, invite_code)
    verification.queue_verification(db, user)  # the mail job commits with the account
    await signin_throttle.signup_succeeded(db, settings, ip=ip)
    await db.commit()
    return user, token


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
            last_seen_at=utcnow(),
        )
    )
    return token


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
    """Count the attempt, then check the password with no database connection held.

    The attempt is counted (and committed) before its password is evaluated, so
    concurrent attempts cannot all pass the throttle; the hash runs off the event loop
    after the session has given its connection back, so a burst of sign-ins neither
    stalls other requests nor drains the pool.
    """
    email = normalize_email(email)
    try:
        await signin_throttle.count_attempt(db, settings, email=email, ip=ip)
        found = (
            await db.execute(
                select(User.id, User.password_hash).where(
                    User.email == email, User.is_active.is_(True)
                )
            )
        ).one_or_none()
    finally:
        await db.commit()  # the count stands whatever follows; the connection goes back
    user_id, password_hash = found if found else (None, None)
    try:
        ok = await passwords.verify_async(password_hash, password)
    except Overloaded:
        await signin_throttle.not_evaluated(db, settings, email=email, ip=ip)
        await db.commit()
        raise
    if not ok or user_id is None or password_hash is None:
        raise Unauthenticated("The email or password is not right.", code="bad_credentials")
    new_hash = (
        await passwords.hash_async(password) if passwords.needs_rehash(password_hash) else None
    )
    user = await db.get(User, user_id)
    if user is None or not user.is_active:  # removed or deactivated while hashing
        raise Unauthenticated("The email or password is not right.", code="bad_credentials")
    if new_hash:
        user.password_hash = new_hash
    await signin_throttle.succeeded(db, settings, email=email, ip=ip)
    token = await start_session(db, settings, user, user_agent)
    await db.commit()
    return user, token


# How stale a session's "last seen" may get: one write per half minute per active session
# at most, never one per request. A session the read cache knows is not looked up for as
# long again (api/deps.py), so "last seen" is right to within a minute.
SEEN_EVERY = timedelta(seconds=30)


@dataclass(frozen=True)
class LiveSession:
    user: User
    expires_at: datetime
    columns: dict[str, Any]  # the user's, as read: `again` builds another copy from them

    def again(self) -> LiveSession:
        """The same session with a user of its own, for another request: a route that
        writes attaches its user to its session, where it may change."""
        return LiveSession(_detached_user(self.columns), self.expires_at, self.columns)


USERS = User.__table__.c
SESSIONS = AuthSession.__table__.c
# (attribute, column) of each of a user's columns, to build one from a row
_USER_COLUMNS = tuple((a.key, a.columns[0].name) for a in User.__mapper__.column_attrs)
_NEW_USER = User.__mapper__.class_manager.new_instance


def _detached_user(columns: dict[str, Any]) -> User:
    """A user as if loaded and then its session closed. The columns go straight into the
    instance's dict, as a load puts them: the constructor's attribute events (a change to
    track per column) were a quarter of the session lookup."""
    user = _NEW_USER()
    user.__dict__.update(columns)
    make_transient_to_detached(user)
    return user


# Built once (every signed-in request runs it): the values are bind parameters. Columns,
# not the ORM entity: db_reads.py runs it on the driver (see `session_for_token`).
_LIVE_SESSION = (
    select(*USERS, SESSIONS.expires_at, SESSIONS.id.label("session_id"), SESSIONS.last_seen_at)
    .join_from(User.__table__, AuthSession.__table__, SESSIONS.user_id == USERS.id)
    .where(
        SESSIONS.token_hash == bindparam("token_hash"),
        SESSIONS.revoked_at.is_(None),
        SESSIONS.expires_at > bindparam("now"),
        USERS.is_active.is_(True),
    )
)
_SEEN = (
    update(AuthSession)
    .where(
        SESSIONS.id == bindparam("session_id"),
        or_(SESSIONS.last_seen_at.is_(None), SESSIONS.last_seen_at <= bindparam("stale")),
    )
    .values(last_seen_at=bindparam("now"))
)


async def session_for_token(reads: Reads, token: str) -> LiveSession | None:
    """The live session a token opens (its active user and its end), or None.

    The user is detached, as if loaded and then the session closed: a read needs only its
    columns; a route that writes attaches it to its own session (`attach`). Refreshes the
    session's `last_seen_at` when it is older than `SEEN_EVERY`, committed on its own and
    outside any ORM session: the last-seen time is in no cached answer, so it must not
    invalidate the read caches as a sign-out does; of concurrent requests only one writes."""
    now = utcnow()
    row = await reads.first(_LIVE_SESSION, {"token_hash": token_hash(token), "now": now})
    if row is None:
        return None
    columns = {key: row[name] for key, name in _USER_COLUMNS}
    last_seen = row["last_seen_at"]
    if last_seen is None or now - last_seen >= SEEN_EVERY:
        params = {"session_id": row["session_id"], "now": now, "stale": now - SEEN_EVERY}
        await reads.execute(_SEEN, params)
    return LiveSession(_detached_user(columns), row["expires_at"], columns)


async def attach(db: AsyncSession, user: User) -> User:
    """A detached user (from `session_for_token`) as one of `db`'s, with no query: its
    columns were just read."""
    return await db.merge(user, load=False)


async def sign_out(db: AsyncSession, user: User, token: str) -> None:
    """End the session of `token`; the read cache forgets this person's tokens only."""
    await db.execute(
        update(AuthSession)
        .where(AuthSession.token_hash == token_hash(token), AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(**topics.names(topics.auth(user.id)))
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
    if not await passwords.verify_async(user.password_hash, current_password):
        raise Invalid("The current password is not right.", {"field": "current_password"})
    check_password_strength(new_password, user.email)
    user.password_hash = await passwords.hash_async(new_password)
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
    await db.execute(
        live.values(revoked_at=utcnow()).execution_options(**topics.names(topics.auth(user_id)))
    )
