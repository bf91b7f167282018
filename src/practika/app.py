"""The FastAPI application factory: routers, middleware, error handlers, lifespan."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse
from starlette.staticfiles import StaticFiles

from practika.api import errors
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
    threads,
    uploads,
    videos,
)
from practika.api.schemas.common import ErrorResponse
from practika.config import Settings
from practika.db import create_engine, raw_connector, session_factory
from practika.observability import logging as practika_logging
from practika.observability import tracing
from practika.observability.metrics import PeriodicFlusher, metrics
from practika.observability.requests import RequestLogMiddleware
from practika.readcache import ReadCache
from practika.readcache.listener import Listener
from practika.security import Passwords
from practika.services import idempotency
from practika.storage import build_storage

API_PREFIX = "/api/v1"
ERROR_RESPONSES = {
    code: {"model": ErrorResponse} for code in (400, 401, 403, 404, 409, 413, 422, 429, 503)
}


def api_router() -> APIRouter:
    router = APIRouter(prefix=API_PREFIX, responses=ERROR_RESPONSES)  # type: ignore[arg-type]
    for module in (
        auth,
        account,
        coaching,
        exercises,
        threads,
        comments,
        feedback_export,
        videos,
        analysis,
        uploads,
        playlists,
        practice,
        notifications,
        admin,
    ):
        router.include_router(module.router)
    return router


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    practika_logging.configure(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings)
        app.state.engine = engine
        read_cache, listener = _read_cache(settings)
        app.state.read_cache = read_cache
        app.state.sessions = session_factory(engine, read_cache)
        tracing.configure(settings, engine=engine)
        flusher = PeriodicFlusher(metrics, settings.metrics_flush_seconds)
        flusher.start()
        stop_worker = _start_worker(app, settings) if settings.run_worker else None
        # What is alive now (modules, routes, schemas: ~150k objects) lives as long as the
        # process. Frozen, it is left out of the cyclic GC, whose full passes otherwise walk
        # all of it, up to ~95 ms each: the p99 tail measured in docs/benchmarks.md.
        gc.collect()
        gc.freeze()
        if listener is not None:
            listener.start()
        sweeper = asyncio.create_task(
            idempotency.sweep_forever(app.state.sessions, settings.idempotency_sweep_seconds)
        )
        try:
            yield
        finally:
            sweeper.cancel()
            if listener is not None:
                await listener.stop()
            gc.unfreeze()
            if stop_worker is not None:
                await stop_worker()
            flusher.stop()
            tracing.flush()
            await engine.dispose()

    app = FastAPI(
        title="Practika API",
        version="1.0.0",
        summary="Movement-training videos with time-coded feedback.",
        docs_url="/api/docs",
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
    app.include_router(api_router())
    app.include_router(media.router)
    if settings.email_backend == "outbox" and not settings.is_aws_mode:
        from practika.api.routes import dev_outbox

        app.include_router(dev_outbox.router)
    _serve_spa(app, settings.web_dist)

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


def _read_cache(settings: Settings) -> tuple[ReadCache | None, Listener | None]:
    """On PostgreSQL, a cache of the hot reads kept exact by LISTEN/NOTIFY (readcache/)."""
    if settings.is_sqlite or settings.read_cache_mb == 0:
        return None, None
    cache = ReadCache(settings.read_cache_mb * 1024 * 1024, settings.read_cache_max_age_seconds)
    return cache, Listener(cache, raw_connector(settings))


def _start_worker(app: FastAPI, settings: Settings) -> Callable[[], Awaitable[None]]:
    """The embedded default processes videos inside the server process."""
    from practika.media.tasks import MediaContext
    from practika.media.worker import Worker

    stop = asyncio.Event()
    worker = Worker(MediaContext(settings, app.state.sessions, app.state.storage))
    task = asyncio.create_task(worker.run_forever(stop))

    async def stop_worker() -> None:
        # A job cut short here is not lost: its lease runs out and it is claimed again.
        stop.set()
        with suppress(TimeoutError):
            await asyncio.wait_for(task, settings.shutdown_grace_seconds)

    return stop_worker


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
