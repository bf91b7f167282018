"""Answers the hot reads from the process's read cache, ahead of routing.

`api/deps.py`'s `Reader` stores each hot read's answer under the person and the exact
URL asked; this middleware answers the same person asking the same URL again from
memory until a write touches one of the answer's topics. Answers are per person: the
service ran with that person's access rules, so a hit shows only what a miss would.
"""

from __future__ import annotations

from fastapi import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from practika.api.deps import (
    ANONYMOUS,
    CachedAnswer,
    Credentials,
    KnownSession,
    answer_key,
    read_credentials,
    session_key,
)
from practika.readcache import ReadCache

CACHE_HEADER = b"x-cache"  # HIT or MISS: which path answered, for tests and operators


def _who(cache: ReadCache, creds: Credentials | None) -> str | None:
    """The person a cached answer may be for: None when the token is not known live."""
    if creds is None:
        return ANONYMOUS
    known: KnownSession | None = cache.get(session_key(creds.token))
    return known.who if known is not None else None


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
    def _cached(cache: ReadCache, scope: Scope) -> CachedAnswer | None:
        who = _who(cache, read_credentials(Request(scope)))
        if who is None:
            return None
        answer: CachedAnswer | None = cache.get(answer_key(scope, who))
        if answer is not None:
            state = scope.setdefault("state", {})
            state["route"] = answer.route
            if who != ANONYMOUS:
                state["user_id"] = who
        return answer

    @staticmethod
    async def _send(answer: CachedAnswer, send: Send) -> None:
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(answer.body)).encode()),
            (CACHE_HEADER, b"HIT"),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": answer.body})
