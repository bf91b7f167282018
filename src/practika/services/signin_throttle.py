"""Sign-in throttling: count an attempt atomically before its password is evaluated.

Two counters per attempt: the (account, client address) pair, so that nobody can lock
an account from another address, and the address alone (`email` empty), a ceiling
across accounts against one address spraying many. Each is one row, incremented by an
INSERT ... ON CONFLICT DO UPDATE ... RETURNING (PostgreSQL and SQLite alike), so
concurrent attempts are numbered one by one and exactly the limit is evaluated. The
attempt that reaches the limit sets the lockout (it is evaluated; if it fails, the lock
stands); after a lockout, each further failing attempt doubles the next one. Sign-ups
have a per-address counter of their own (refused sign-ups: see docs/reliability.md).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import Table, and_, case, delete, literal, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from practika.config import Settings
from practika.domain.base import UTCDateTime, utcnow
from practika.domain.errors import Throttled
from practika.domain.users import SigninThrottle

ADDRESS_WIDE = ""  # the `email` of an address's own counter
SIGNUP = "#signup"  # the `email` of an address's sign-up counter (never a valid address)
_T: Table = SigninThrottle.__table__  # type: ignore[assignment]


def _when(value: datetime) -> object:
    return literal(value, UTCDateTime())


async def _count(
    db: AsyncSession, settings: Settings, email: str, ip: str, now: datetime
) -> tuple[int, datetime | None]:
    """Count one attempt (unless locked out); the attempts so far and the lock's end."""
    locked = and_(_T.c.locked_until.is_not(None), _T.c.locked_until > _when(now))
    quiet = _T.c.last_at < _when(now - timedelta(seconds=settings.signin_window_seconds))
    insert = postgresql.insert if db.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = (
        insert(_T)
        .values(email=email, ip=ip, attempts=1, last_at=now, locked_until=None)
        .on_conflict_do_update(
            index_elements=[_T.c.email, _T.c.ip],
            set_={
                "attempts": case((locked, _T.c.attempts), (quiet, 1), else_=_T.c.attempts + 1),
                "locked_until": case((locked, _T.c.locked_until), else_=None),
                "last_at": case((locked, _T.c.last_at), else_=_when(now)),
            },
        )
        .returning(_T.c.attempts, _T.c.locked_until)
    )
    attempts, locked_until = (await db.execute(stmt)).one()
    return attempts, locked_until


def _lockout(settings: Settings, beyond: int) -> timedelta:
    """The wait after the `beyond`-th attempt at or past the limit (1, 2, 3...)."""
    seconds = settings.signin_lockout_seconds * 2 ** min(beyond - 1, 30)
    return timedelta(seconds=min(seconds, settings.signin_lockout_max_seconds))


async def _claim(
    db: AsyncSession, settings: Settings, email: str, ip: str, limit: int, now: datetime
) -> datetime | None:
    """Count one attempt on a counter; the end of the lockout refusing it, if any."""
    attempts, locked_until = await _count(db, settings, email, ip, now)
    if locked_until is not None and locked_until > now:
        return locked_until
    if attempts >= limit:
        # This attempt is the last evaluated one; if it fails, the lock stands.
        until = now + _lockout(settings, attempts - limit + 1)
        await db.execute(
            update(SigninThrottle)
            .where(SigninThrottle.email == email, SigninThrottle.ip == ip)
            .values(locked_until=until, last_at=until)
        )
    return None


def _refuse(refused: datetime | None, now: datetime, message: str) -> None:
    if refused is not None:
        raise Throttled(message, retry_after_s=max(1, math.ceil((refused - now).total_seconds())))


async def count_attempt(db: AsyncSession, settings: Settings, *, email: str, ip: str) -> None:
    """Count a sign-in attempt; Throttled if it must not be evaluated. The caller commits,
    in either case, before evaluating the password (the counts must be visible first)."""
    now = utcnow()
    per_account = await _claim(
        db, settings, email, ip, settings.signin_max_failures_per_account, now
    )
    per_address = await _claim(
        db, settings, ADDRESS_WIDE, ip, settings.signin_max_failures_per_ip, now
    )
    refused = max((t for t in (per_account, per_address) if t is not None), default=None)
    _refuse(refused, now, "Too many failed sign-ins. Wait a little before trying again.")


async def count_signup(db: AsyncSession, settings: Settings, *, ip: str) -> None:
    """Count a sign-up attempt from an address (given back when it succeeds), so that
    probing which emails have accounts (409 email_taken) is bounded like sign-in is."""
    now = utcnow()
    refused = await _claim(db, settings, SIGNUP, ip, settings.signup_max_failures_per_ip, now)
    _refuse(refused, now, "Too many refused sign-ups from here. Wait a little and try again.")


async def signup_succeeded(db: AsyncSession, settings: Settings, *, ip: str) -> None:
    """A created account gives its attempt back: the ceiling counts refused sign-ups."""
    await _give_back(db, SIGNUP, ip, settings.signup_max_failures_per_ip)


async def _give_back(db: AsyncSession, email: str, ip: str, limit: int) -> None:
    """Undo one counted attempt (and the lockout it set, if it was the one that did)."""
    await db.execute(
        update(SigninThrottle)
        .where(SigninThrottle.email == email, SigninThrottle.ip == ip, SigninThrottle.attempts > 0)
        .values(
            attempts=SigninThrottle.attempts - 1,
            locked_until=case(
                (SigninThrottle.attempts - 1 < limit, None), else_=SigninThrottle.locked_until
            ),
        )
    )


async def succeeded(db: AsyncSession, settings: Settings, *, email: str, ip: str) -> None:
    """The password was right: forget this pair's attempts, and give the address back
    the one this attempt used (its ceiling counts failures, not people signing in)."""
    await db.execute(
        delete(SigninThrottle).where(SigninThrottle.email == email, SigninThrottle.ip == ip)
    )
    await _give_back(db, ADDRESS_WIDE, ip, settings.signin_max_failures_per_ip)


async def not_evaluated(db: AsyncSession, settings: Settings, *, email: str, ip: str) -> None:
    """The attempt was counted but shed before its password was checked (overload):
    it must not bring the person closer to a lockout."""
    await _give_back(db, email, ip, settings.signin_max_failures_per_account)
    await _give_back(db, ADDRESS_WIDE, ip, settings.signin_max_failures_per_ip)


async def lift(db: AsyncSession, email: str) -> None:
    """A password reset lifts the account's throttle on every address; the caller commits."""
    await db.execute(delete(SigninThrottle).where(SigninThrottle.email == email))
