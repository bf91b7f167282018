"""Dependencies, declared once so routes read like sentences."""

from __future__ import annotations

import hmac
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession

from practika.config import Settings
from practika.domain.errors import Forbidden, Unauthenticated
from practika.domain.users import User
from practika.security import Passwords, csrf_token_for
from practika.services import auth

log = logging.getLogger("practika.db")

SESSION_COOKIE = "practika_session"
CSRF_COOKIE = "practika_csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@asynccontextmanager
async def database_session(request: Request) -> AsyncIterator[AsyncSession]:
    session: AsyncSession = request.app.state.sessions()
    try:
        yield session
    finally:
        try:
            await session.close()
        except Exception:
            # The connection died after the answer was decided (a database restart in
            # between): drop it from the pool. Raising here would cut off a response
            # that may already be on its way, leaving the client unsure of a done write.
            log.warning("database connection lost while closing a session; discarded")
            with suppress(Exception):
                await session.invalidate()


async def get_db(request: Request) -> AsyncIterator[AsyncSession]:
    async with database_session(request) as session:
        yield session


# Plain accessors are `async def` so FastAPI calls them inline instead of in a thread.
async def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


async def get_passwords(request: Request) -> Passwords:
    return request.app.state.passwords  # type: ignore[no-any-return]


SessionDep = Annotated[AsyncSession, Depends(get_db)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
PasswordsDep = Annotated[Passwords, Depends(get_passwords)]


@dataclass
class Credentials:
    token: str
    via_cookie: bool


def read_credentials(request: Request) -> Credentials | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return Credentials(value.strip(), via_cookie=False)
    cookie = request.cookies.get(SESSION_COOKIE)
    return Credentials(cookie, via_cookie=True) if cookie else None


async def authenticate(
    request: Request, db: AsyncSession, creds: Credentials | None
) -> auth.LiveSession | None:
    """The signed-in user's live session, or None for an anonymous visitor.

    Cookie-authenticated writes must echo the CSRF token: a cross-site form can send
    the cookie but cannot read the token. Bearer tokens are never sent by a browser
    on its own, so they need no CSRF check.
    """
    if creds is None:
        return None
    live = await auth.session_for_token(db, creds.token)
    if live is None:
        if creds.via_cookie:
            return None  # a stale cookie is just a signed-out visitor
        raise Unauthenticated("This token is not valid or has expired; sign in again.")
    if creds.via_cookie and request.method not in SAFE_METHODS:
        settings: Settings = request.app.state.settings
        sent = request.headers.get(CSRF_HEADER, "")
        expected = csrf_token_for(settings.secret_key, creds.token)
        if not hmac.compare_digest(sent.encode(), expected.encode()):
            raise Forbidden(
                f"Missing or wrong {CSRF_HEADER} header for a cookie-authenticated request.",
                code="csrf",
            )
    request.state.user_id = str(live.user.id)
    return live


async def get_actor(request: Request, db: SessionDep) -> User | None:
    """The signed-in user, or None for an anonymous visitor."""
    live = await authenticate(request, db, read_credentials(request))
    return live.user if live else None


def signed_in(actor: User | None) -> User:
    if actor is None:
        raise Unauthenticated("Sign in to do this.")
    return actor


async def require_user(actor: Annotated[User | None, Depends(get_actor)]) -> User:
    return signed_in(actor)


async def require_admin(user: Annotated[User, Depends(require_user)]) -> User:
    if not user.is_admin:
        raise Forbidden("Only admins can do this.")
    return user


Actor = Annotated[User | None, Depends(get_actor)]
CurrentUser = Annotated[User, Depends(require_user)]
AdminUser = Annotated[User, Depends(require_admin)]


@dataclass
class PageParams:
    cursor: str | None
    limit: int


async def page_params(
    request: Request,
    cursor: Annotated[
        str | None, Query(max_length=300, description="next_cursor of the previous page")
    ] = None,
    limit: Annotated[int | None, Query(ge=1, le=100, description="page size")] = None,
) -> PageParams:
    settings: Settings = request.app.state.settings
    return PageParams(cursor, min(limit or settings.page_size_default, settings.page_size_max))


Paging = Annotated[PageParams, Depends(page_params)]
