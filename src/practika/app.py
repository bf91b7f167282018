"""The FastAPI application factory: routers, middleware, error handlers; the lifespan runs
the components `startup.py` lists, in order."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse
from starlette.staticfiles import StaticFiles

from practika import startup
from practika.api import docs as api_docs
from practika.api import errors, hot_routes
from practika.api.cached import ReadCacheMiddleware
from practika.api.middleware import BodyLimitMiddleware, SecurityHeadersMiddleware
from practika.api.routes import (
    account,
    admin,
    analysis,
    auth,
    coaching,
    comments,
    exercises,
    feedback_export,
    health,
    media,
    notifications,
    playlists,
    practice,
    reviews,
    sharing,
    threads,
    uploads,
    videos,
)
from practika.api.schemas.common import ErrorResponse
from practika.config import Settings
from practika.observability import logging as practika_logging
from practika.observability import tracing
from practika.observability.metrics import metrics
from practika.observability.requests import RequestLogMiddleware
from practika.security import Passwords
from practika.storage import build_storage

API_PREFIX = "/api/v1"
ERROR_RESPONSES = {
    code: {"model": ErrorResponse} for code in (400, 401, 403, 404, 409, 413, 422, 429, 503)
}


API_ROUTERS = (
    auth,
    account,
    coaching,
    exercises,
    threads,
    comments,
    reviews,
    feedback_export,
    videos,
    analysis,
    uploads,
    playlists,
    practice,
    notifications,
    sharing,
    admin,
)


def include_api(app: FastAPI) -> None:
    """Each API module's routes under the version prefix, included in the app itself: a
    router nested in another is matched by scanning it once to see whether it matches
    and again to pick the route, so every level of nesting adds a scan of its routes to
    every request (FastAPI 0.165)."""
    for module in API_ROUTERS:
        app.include_router(module.router, prefix=API_PREFIX, responses=ERROR_RESPONSES)  # type: ignore[arg-type]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    practika_logging.configure(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with startup.running(startup.components(app, settings)):
            yield

    app = FastAPI(
        title="Practika API",
        version="1.0.0",
        summary="Movement-training videos with time-coded feedback.",
        docs_url=None,  # api/docs.py serves Swagger UI from its package (works offline)
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.read_cache = None  # set at start-up (lifespan) when the database allows
    app.state.passwords = Passwords(settings)
    app.state.storage = build_storage(settings)
    errors.install(app)
    app.include_router(health.router)
    api_docs.install(app)
    include_api(app)
    app.include_router(media.router)
    if settings.email_backend == "outbox" and not settings.is_aws_mode:
        from practika.api.routes import dev_outbox

        app.include_router(dev_outbox.router)
    _serve_spa(app, settings.web_dist)
    # Last, once every route is in: the hot API routes are matched right after /healthz
    # and /readyz instead of after ~55 others (the check proves that none of the docs and
    # API routes they now precede could have answered their requests). The SPA's catch-all
    # (it would take every GET) and /assets stay behind them, declared after the API.
    hot_routes.hoist(app, after=health.router, prefix=API_PREFIX, responses=ERROR_RESPONSES)

    # Innermost: a cached answer still gets CORS, security headers, logs and metrics.
    app.add_middleware(ReadCacheMiddleware, prefix=API_PREFIX)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=True,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=[
                "Authorization",
                "Content-Type",
                "X-CSRF-Token",
                "X-Request-Id",
                "Idempotency-Key",
            ],
            expose_headers=["X-Request-Id", "Retry-After", "ETag", "Idempotent-Replayed"],
        )
    app.add_middleware(
        BodyLimitMiddleware, max_bytes=settings.max_request_bytes, exempt_prefixes=("/media/",)
    )
    app.add_middleware(RequestLogMiddleware, metrics=metrics)
    app.add_middleware(SecurityHeadersMiddleware)
    tracing.configure(settings, app=app)
    return app


def _serve_spa(app: FastAPI, dist: Path) -> None:
    """In the embedded default the service serves the built web app itself."""
    index = dist / "index.html"
    if not index.is_file():
        return
    if (dist / "assets").is_dir():
        app.mount("/assets", StaticFiles(directory=dist / "assets"), name="assets")

    @app.get("/{path:path}", include_in_schema=False)
    def spa(path: str) -> FileResponse:  # sync: FastAPI runs it in a thread (file I/O)
        candidate = (dist / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(dist.resolve()):
            return FileResponse(candidate)
        if path.startswith(("api/", "media/")):
            from starlette.exceptions import HTTPException

            raise HTTPException(404)
        return FileResponse(index, headers={"Cache-Control": "no-cache"})
