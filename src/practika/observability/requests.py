"""One log line and a few metric samples per request, with its route and duration."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from practika.observability.logging import get_logger
from practika.observability.metrics import Metrics

log = get_logger("practika.request")
QUIET_PATHS = frozenset({"/healthz", "/readyz"})
# What a request cut short by the server's own shutdown is logged as: not a 5xx (it
# would page someone on every deploy), nginx's "client closed request" code.
CANCELLED_STATUS = 499
SHUTTING_DOWN = json.dumps(
    {
        "error": {
            "code": "shutting_down",
            "message": "The server restarted before answering; send the request again.",
            "details": None,
        }
    }
).encode()


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
        responding = False
        cancelled: str | None = None

        async def capture(message: Message) -> None:
            nonlocal status, responding
            if message["type"] == "http.response.start":
                status = message["status"]
                responding = True
            await send(message)

        try:
            await self.app(scope, receive, capture)
        except asyncio.CancelledError as exc:
            # uvicorn cancels what is still running when the shutdown grace period runs
            # out. The client is told to retry (with its Idempotency-Key, safely); the
            # cancellation is not passed on, which uvicorn would log as an application
            # error and answer with a 500.
            cancelled = "shutdown" if "shutdown" in str(exc) else "cancelled"
            if not responding:
                await send(
                    {
                        "type": "http.response.start",
                        "status": 503,
                        "headers": [
                            (b"content-type", b"application/json"),
                            (b"retry-after", b"1"),
                            (b"connection", b"close"),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": SHUTTING_DOWN})
        finally:
            elapsed_ms = (time.perf_counter() - started) * 1000
            route = route_template(scope)
            self.metrics.timing("RequestLatency", elapsed_ms, Route=route, Method=scope["method"])
            if cancelled:
                status = CANCELLED_STATUS
                self.metrics.count("RequestsCancelled", Route=route, Reason=cancelled)
            else:
                self.metrics.count("Requests", Route=route, StatusClass=f"{status // 100}xx")
            if scope["path"] not in QUIET_PATHS or status >= 500 or cancelled:
                (log.warning if cancelled else log.info)(
                    "request cancelled" if cancelled else "request",
                    method=scope["method"],
                    route=route,
                    path=scope["path"],
                    status=status,
                    duration_ms=round(elapsed_ms, 2),
                    user_id=state.get("user_id"),
                    client=(scope.get("client") or ("", 0))[0],
                    **({"cancelled_by": cancelled} if cancelled else {}),
                )
            structlog.contextvars.clear_contextvars()
