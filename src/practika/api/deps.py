"""Dependencies, declared once so routes read like sentences.

`Reader` answers the hot reads: a route hands it a service call that returns a `Read`
(its answer and the topics it was read from); the answer is serialized once (orjson,
from the plain dicts the service shaped as the route's response model has them) and kept in
the process's read cache under the person and the exact URL asked, where
`api/cached.py`'s middleware finds it before routing, until a write touches one of its
topics. A hit needs no database: the token is checked against a cached copy of its
session, invalidated like everything else (sign-out, password change, deactivation)
and never kept past its end. Every other signed-in request (a miss, a write) finds its
user in that copy too, and looks the token up only when it is not there.
"""

from __future__ import annotations

import hmac
import uuid
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Any

import orjson
from fastapi import Depends, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.types import Scope

from practika.config import Settings
from practika.db import close_or_discard
from practika.db_reads import Reads, reading
from practika.domain.base import utcnow
from practika.domain.errors import Forbidden, Unauthenticated
from practika.domain.users import User
from practika.observability.requests import route_template
from practika.readcache import ReadCache, topics
from practika.readcache.read import ReadCall
from practika.security import Passwords, csrf_token_for, token_hash
from practika.services import auth
from practika.storage import StoragePort

SESSION_COOKIE = "practika_session"
CSRF_COOKIE = "practika_csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@asynccontextmanager
async def database_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A session for one request."""
    session: AsyncSession = request.app.state.sessions()
    try:
        yield session
    finally:
        await close_or_discard(session, "a session")


async def get_db(request: Request) -> AsyncIterator[AsyncSession]:
    async with database_session(request) as session:
        yield session


# Plain accessors are `async def` so FastAPI calls them inline instead of in a thread.
async def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


async def get_passwords(request: Request) -> Passwords:
    return request.app.state.passwords  # type: ignore[no-any-return]


def storage_of(request: Request) -> StoragePort:
    return StoragePort(request.app.state.storage)


async def get_storage(request: Request) -> StoragePort:
    return storage_of(request)


SessionDep = Annotated[AsyncSession, Depends(get_db)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
PasswordsDep = Annotated[Passwords, Depends(get_passwords)]
StorageDep = Annotated[StoragePort, Depends(get_storage)]


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


def reads_of(request: Request) -> AbstractAsyncContextManager[Reads]:
    """A connection for statements that only read (db_reads.py)."""
    return reading(request.app.state.read_engine)


async def authenticate(
    request: Request, creds: Credentials | None, reads: Reads | None = None
) -> auth.LiveSession | None:
    """The signed-in user's live session, or None for an anonymous visitor.

    Cookie-authenticated writes must echo the CSRF token: a cross-site form can send
    the cookie but cannot read the token. Bearer tokens are never sent by a browser
    on its own, so they need no CSRF check.
    """
    if creds is None:
        return None
    live = await _live_session(request, creds, reads)
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


@dataclass(frozen=True, slots=True)
class KnownSession:
    """A live token as the read cache keeps it: whose it is, for a cached answer, and the
    session itself, so that a request the cache cannot answer needs no lookup either."""

    who: str
    live: auth.LiveSession


SESSION_ENTRY_BYTES = 2000  # the key, the user's columns and the entry, roughly


async def _live_session(
    request: Request, creds: Credentials, reads: Reads | None
) -> auth.LiveSession | None:
    """The token's session: from the read cache while no write touched the person's account
    or sessions (and for at most `auth.SEEN_EVERY`, so "last seen" stays right), else
    looked up on `reads` or on a connection of its own, and remembered."""
    cache: ReadCache | None = request.app.state.read_cache
    if cache is not None:
        known: KnownSession | None = cache.get(session_key(creds.token))
        if known is not None:
            return known.live.again()
        epoch = cache.epoch  # before the lookup: a write during it refuses the entry
    if reads is None:
        async with reads_of(request) as own:
            live = await auth.session_for_token(own, creds.token)
    else:
        live = await auth.session_for_token(reads, creds.token)
    if cache is not None and live is not None:
        who = str(live.user.id)
        remaining = (live.expires_at - utcnow()).total_seconds()
        cache.put(
            session_key(creds.token),
            KnownSession(who, live),
            topics=(topics.user(who), topics.auth(who), topics.AUTH),
            epoch=epoch,
            size=SESSION_ENTRY_BYTES,
            max_age=min(remaining, auth.SEEN_EVERY.total_seconds()),
        )
    return live


async def get_actor(request: Request, db: SessionDep) -> User | None:
    """The signed-in user (one of the request's session's), or None for a visitor."""
    live = await authenticate(request, read_credentials(request))
    return await auth.attach(db, live.user) if live else None


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


# The read cache


ANONYMOUS = "anonymous"
ENTRY_OVERHEAD_BYTES = 300  # the key, the entry and its topics, roughly


@dataclass(slots=True)
class CachedAnswer:
    body: bytes
    route: str  # the endpoint's path template, so a hit is logged and measured under it


def answer_key(scope: Scope, who: str) -> tuple[str, str, str, bytes]:
    return ("answer", who, scope["path"], scope["query_string"])


def session_key(token: str) -> tuple[str, str]:
    return ("session", token_hash(token))


def _json_default(value: object) -> str:
    # asyncpg's UUID subclasses uuid.UUID, which orjson serializes only exactly.
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not a JSON value of a hot read")


def serialized(value: Any) -> bytes:
    """A hot read's answer as the route's response model would write it, ~9x faster.

    The service already shaped it as the model's JSON (tests/readcache/test_equivalence.py
    holds every answer to its route's response model). Pydantic's serializer handed plain
    dicts instead of model instances falls back to inferring each value's type, and
    asyncpg's UUIDs fall off its fast path: it cost a thread list page 0.37 ms, orjson
    0.04 ms (docs/benchmarks.md). Datetimes are UTC, written with `Z` as pydantic does."""
    return orjson.dumps(value, default=_json_default, option=orjson.OPT_UTC_Z)


@dataclass(slots=True)
class CachedReader:
    request: Request

    async def answer(self, read: ReadCall) -> Response:
        """For the signed-in (401 otherwise, as `CurrentUser` gives)."""
        return await self._answer(read, anyone=False)

    async def answer_anyone(self, read: ReadCall) -> Response:
        """For visitors and the signed-in alike."""
        return await self._answer(read, anyone=True)

    async def _answer(self, read: ReadCall, *, anyone: bool) -> Response:
        request = self.request
        cache: ReadCache | None = request.app.state.read_cache
        epoch = cache.epoch if cache is not None else 0
        creds = read_credentials(request)
        async with reads_of(request) as reads:
            live = await authenticate(request, creds, reads)
            actor = live.user if live else None
            result = await read(reads, actor if anyone else signed_in(actor))
        body = serialized(result.value)

        if cache is not None and (creds is None or live is not None):
            who, depends_on = ANONYMOUS, result.topics
            if live is not None:
                who = str(live.user.id)
                depends_on = (*depends_on, topics.user(who))
            cache.put(
                answer_key(request.scope, who),
                CachedAnswer(body, route_template(request.scope)),
                topics=depends_on,
                epoch=epoch,
                size=len(body) + ENTRY_OVERHEAD_BYTES,
                max_age=result.max_age,
            )
        return Response(body, media_type="application/json", headers={"X-Cache": "MISS"})


async def cached_reader(request: Request) -> CachedReader:
    return CachedReader(request)


Reader = Annotated[CachedReader, Depends(cached_reader)]
