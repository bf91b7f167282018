"""The hot reads, answered from the process's read cache when nothing they show changed.

A route hands `CachedReader.answer` (or `answer_anyone`) a function that computes its
answer from the database and names the topics it is made of (readcache/topics.py); the answer
is stored under the person and the exact URL asked. `ReadCacheMiddleware` answers the
same person asking the same URL again from memory, ahead of routing, until a write
touches one of those topics. Answers are per person: the function ran with that
person's access rules, so a hit shows only what a miss would. A hit needs no database:
the token is checked against a cached copy of its session, invalidated like
everything else (sign-out, password change, deactivation) and never kept past its end.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request, Response
from pydantic import TypeAdapter
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.types import ASGIApp, Receive, Scope, Send

from practika.api.deps import (
    Credentials,
    authenticate,
    database_session,
    read_credentials,
    signed_in,
)
from practika.domain.base import utcnow
from practika.domain.users import User
from practika.observability.requests import route_template
from practika.readcache import ReadCache, topics
from practika.security import token_hash

Person = TypeVar("Person", User, User | None)
# What a route computes its answer with: (session, who asks) -> (answer, its topics).
Compute = Callable[[AsyncSession, Person], Awaitable[tuple[Any, Iterable[str]]]]
ANONYMOUS = "anonymous"
ENTRY_OVERHEAD_BYTES = 300  # the key, the entry and its topics, roughly
CACHE_HEADER = b"x-cache"  # HIT or MISS: which path answered, for tests and operators


@dataclass(slots=True)
class Answer:
    body: bytes
    route: str  # the endpoint's path template, so a hit is logged and measured under it


def _who(cache: ReadCache, creds: Credentials | None) -> str | None:
    """The person a cached answer may be for: None when the token is not known live."""
    if creds is None:
        return ANONYMOUS
    who: str | None = cache.get(("session", token_hash(creds.token)))
    return who


def _key(scope: Scope, who: str) -> tuple[str, str, str, bytes]:
    return ("answer", who, scope["path"], scope["query_string"])


@dataclass
class CachedReader:
    request: Request

    async def answer(
        self,
        adapter: TypeAdapter[Any],
        compute: Compute[User],
        *,
        max_age: float | None = None,
    ) -> Response:
        """For the signed-in (401 otherwise, as `CurrentUser` gives). `max_age`: when the
        answer goes stale on its own (e.g. at midnight)."""

        async def for_user(db: AsyncSession, actor: User | None) -> tuple[Any, Iterable[str]]:
            return await compute(db, signed_in(actor))

        return await self._answer(adapter, for_user, max_age)

    async def answer_anyone(
        self,
        adapter: TypeAdapter[Any],
        compute: Compute[User | None],
        *,
        max_age: float | None = None,
    ) -> Response:
        """For visitors and the signed-in alike."""
        return await self._answer(adapter, compute, max_age)

    async def _answer(
        self, adapter: TypeAdapter[Any], compute: Compute[User | None], max_age: float | None
    ) -> Response:
        request = self.request
        cache: ReadCache | None = request.app.state.read_cache
        epoch = cache.epoch if cache is not None else 0
        creds = read_credentials(request)
        async with database_session(request) as db:
            live = await authenticate(request, db, creds)
            value, depends_on = await compute(db, live.user if live else None)
        body = adapter.dump_json(adapter.validate_python(value, from_attributes=True))

        if cache is not None and (creds is None or live is not None):
            who = ANONYMOUS
            if creds is not None and live is not None:
                who = str(live.user.id)
                cache.put(
                    ("session", token_hash(creds.token)),
                    who,
                    topics=(topics.user(who), topics.AUTH),
                    epoch=epoch,
                    size=ENTRY_OVERHEAD_BYTES,
                    max_age=(live.expires_at - utcnow()).total_seconds(),
                )
                depends_on = (*depends_on, topics.user(who))
            cache.put(
                _key(request.scope, who),
                Answer(body, route_template(request.scope)),
                topics=depends_on,
                epoch=epoch,
                size=len(body) + ENTRY_OVERHEAD_BYTES,
                max_age=max_age,
            )
        return Response(body, media_type="application/json", headers={"X-Cache": "MISS"})


async def cached_reader(request: Request) -> CachedReader:
    return CachedReader(request)


Reader = Annotated[CachedReader, Depends(cached_reader)]


class ReadCacheMiddleware:
    """Serves a cached answer before routing; everything else passes through."""

    def __init__(self, app: ASGIApp, prefix: str) -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            cache: ReadCache | None = scope["app"].state.read_cache
            if cache is not None and cache.connected and scope["path"].startswith(self.prefix):
                answer = self._cached(cache, scope)
                if answer is not None:
                    await self._send(answer, send)
                    return
        await self.app(scope, receive, send)

    @staticmethod
    def _cached(cache: ReadCache, scope: Scope) -> Answer | None:
        who = _who(cache, read_credentials(Request(scope)))
        if who is None:
            return None
        answer: Answer | None = cache.get(_key(scope, who))
        if answer is not None:
            state = scope.setdefault("state", {})
            state["route"] = answer.route
            if who != ANONYMOUS:
                state["user_id"] = who
        return answer

    @staticmethod
    async def _send(answer: Answer, send: Send) -> None:
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(answer.body)).encode()),
            (CACHE_HEADER, b"HIT"),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": answer.body})
