"""One log line and a few metric samples per request, with its route and duration."""

from __future__ import annotations

import time
from typing import Any

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from practika.observability.logging import get_logger
from practika.observability.metrics import Metrics

log = get_logger("practika.request")
QUIET_PATHS = frozenset({"/healthz", "/readyz"})


def route_template(scope: Scope) -> str:
    """The matched route's full path template (`/api/v1/threads/{thread_id}`), not the URL,
    so metrics group by endpoint. FastAPI keeps nested routers; it records the effective
    route on the scope; a read-cache hit, answered before routing, names it in the state."""
    cached = scope.get("state", {}).get("route")
    if cached:
        return str(cached)
    context = scope.get("fastapi", {}).get("effective_route_context")
    for candidate in (getattr(context, "starlette_route", None), context):
        path = getattr(candidate, "path_format", None)
        if path:
            return str(path)
    return getattr(scope.get("route"), "path_format", None) or "unmatched"


class RequestLogMiddleware:
    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        state: dict[str, Any] = scope.setdefault("state", {})
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=state.get("request_id"))
        status = 500

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            elapsed_ms = (time.perf_counter() - started) * 1000
            route = route_template(scope)
            self.metrics.timing("RequestLatency", elapsed_ms, Route=route, Method=scope["method"])
            self.metrics.count("Requests", Route=route, StatusClass=f"{status // 100}xx")
            if scope["path"] not in QUIET_PATHS or status >= 500:
                log.info(
                    "request",
                    method=scope["method"],
                    route=route,
                    path=scope["path"],
                    status=status,
                    duration_ms=round(elapsed_ms, 2),
                    user_id=state.get("user_id"),
                    client=(scope.get("client") or ("", 0))[0],
                )
            structlog.contextvars.clear_contextvars()
