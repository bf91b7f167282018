"""What the service starts, in order, and stops in reverse: one small named component each.

`components()` is the list a reader looks at to see the start-up order; `running()` starts
them one by one, and on the way out (or when one fails to start) stops those already
started, newest first, naming any that fails.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from typing import Any

from practika.config import Settings

log = logging.getLogger("practika.startup")


async def _nothing() -> None:
    return None


@dataclass(frozen=True)
class Component:
    """Something the process runs: `start` brings it up, `stop` takes it down."""

    name: str
    start: Callable[[], Awaitable[None]]
    stop: Callable[[], Awaitable[None]] = _nothing


class StartupFailed(RuntimeError):
    def __init__(self, name: str, cause: BaseException) -> None:
        super().__init__(f"{name} did not start: {type(cause).__name__}: {cause}")
        self.component = name


class ShutdownFailed(RuntimeError):
    def __init__(self, failures: dict[str, BaseException]) -> None:
        named = "; ".join(f"{n}: {type(e).__name__}: {e}" for n, e in failures.items())
        super().__init__(f"did not stop cleanly: {named}")
        self.components = list(failures)


@asynccontextmanager
async def running(components: Sequence[Component]) -> AsyncIterator[None]:
    """Start `components` in order; stop the started ones in reverse on exit or failure."""
    started: list[Component] = []
    try:
        for component in components:
            try:
                await component.start()
            except Exception as exc:
                log.error("%s did not start: %s", component.name, exc)
                raise StartupFailed(component.name, exc) from exc
            started.append(component)
        yield
    finally:
        await _stop(reversed(started))


async def _stop(components: Any) -> None:
    """Every component is stopped even if one before it fails; the failures are named."""
    failures: dict[str, BaseException] = {}
    for component in components:
        try:
            await component.stop()
        except Exception as exc:
            log.error("%s did not stop: %s", component.name, exc)
            failures[component.name] = exc
    if failures:
        raise ShutdownFailed(failures)


# The service's components. Each reads and sets what it needs on `app.state`.


def components(app: Any, settings: Settings) -> list[Component]:
    """The API process's start-up order (the embedded default adds the media worker)."""
    return [
        database(app, settings),
        tracing(settings, app),
        metrics_flusher(settings),
        *([media_worker(app, settings)] if settings.run_worker else []),
        frozen_heap(),
        *([read_cache_listener(app)] if has_read_cache(settings) else []),
        idempotency_sweeper(app, settings),
    ]


def has_read_cache(settings: Settings) -> bool:
    """The hot reads are cached on PostgreSQL, kept exact by LISTEN/NOTIFY (readcache/)."""
    return not settings.is_sqlite and settings.read_cache_mb > 0


def database(app: Any, settings: Settings) -> Component:
    """The engine, the session factory (with the read cache on PostgreSQL) and the
    engine's autocommit view for the hot reads (db_reads.py)."""
    from practika.db import create_engine, raw_connector, session_factory
    from practika.readcache import ReadCache
    from practika.readcache.listener import Listener

    async def start() -> None:
        app.state.engine = create_engine(settings)
        if has_read_cache(settings):
            cache = ReadCache(
                settings.read_cache_mb * 1024 * 1024, settings.read_cache_max_age_seconds
            )
            app.state.read_cache = cache
            app.state.read_cache_listener = Listener(cache, raw_connector(settings))
        app.state.sessions = session_factory(app.state.engine, app.state.read_cache)
        app.state.read_engine = app.state.engine.execution_options(isolation_level="AUTOCOMMIT")

    async def stop() -> None:
        await app.state.engine.dispose()

    return Component("database", start, stop)


def tracing(settings: Settings, app: Any) -> Component:
    """OpenTelemetry (when configured), with the engine instrumented; spans flushed at stop."""
    from practika.observability import tracing as otel

    async def start() -> None:
        otel.configure(settings, engine=app.state.engine)

    async def stop() -> None:
        otel.flush()

    return Component("tracing", start, stop)


def metrics_flusher(settings: Settings) -> Component:
    """The periodic metrics flush (EMF in AWS mode, a summary line on a laptop)."""
    from practika.observability.metrics import PeriodicFlusher, metrics

    flusher = PeriodicFlusher(
        metrics, settings.metrics_flush_seconds, settings.resolved_metrics_format
    )

    async def start() -> None:
        flusher.start()

    async def stop() -> None:
        flusher.stop()

    return Component("metrics", start, stop)


def media_worker(app: Any, settings: Settings) -> Component:
    """The embedded default processes videos inside the server process."""
    stop_event = asyncio.Event()
    task: list[asyncio.Task[None]] = []

    async def start() -> None:
        from practika.media.tasks import MediaContext
        from practika.media.worker import Worker
        from practika.storage import StoragePort

        worker = Worker(MediaContext(settings, app.state.sessions, StoragePort(app.state.storage)))
        task.append(asyncio.create_task(worker.run_forever(stop_event)))

    async def stop() -> None:
        # A job cut short here is not lost: its lease runs out and it is claimed again.
        stop_event.set()
        with suppress(TimeoutError):
            await asyncio.wait_for(task[0], settings.shutdown_grace_seconds)

    return Component("media worker", start, stop)


def frozen_heap() -> Component:
    """What is alive now (modules, routes, schemas: ~150k objects) lives as long as the
    process. Frozen, it is left out of the cyclic GC, whose full passes otherwise walk all
    of it, up to ~95 ms each: the p99 tail measured in docs/benchmarks.md."""

    async def start() -> None:
        gc.collect()
        gc.freeze()

    async def stop() -> None:
        gc.unfreeze()

    return Component("frozen heap", start, stop)


def read_cache_listener(app: Any) -> Component:
    """LISTEN for the writes that change cached reads; the cache is bypassed while down."""

    async def start() -> None:
        app.state.read_cache_listener.start()

    async def stop() -> None:
        await app.state.read_cache_listener.stop()

    return Component("read-cache listener", start, stop)


def idempotency_sweeper(app: Any, settings: Settings) -> Component:
    """Removes expired idempotency keys every so often."""
    from practika.services import idempotency

    task: list[asyncio.Task[None]] = []

    async def start() -> None:
        every = settings.idempotency_sweep_seconds
        task.append(asyncio.create_task(idempotency.sweep_forever(app.state.sessions, every)))

    async def stop() -> None:
        task[0].cancel()

    return Component("idempotency sweeper", start, stop)
