"""The database engine, sessions and migrations, for SQLite and PostgreSQL alike."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from contextlib import suppress
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from practika.config import Settings
from practika.readcache import ReadCache, topics
from practika.readcache.topics import TrackedSession

log = logging.getLogger("practika.db")

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Arbitrary, fixed: every task starting at once queues on this PostgreSQL advisory lock.
MIGRATION_LOCK_ID = 0x50524B41


def create_engine(settings: Settings, url: str | None = None) -> AsyncEngine:
    url = url or settings.resolved_database_url
    if url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 30})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    extra: dict[str, Any] = {}
    if settings.database_secret_arn and not settings.database_url:
        from practika.aws.rds import rds_connector

        extra["async_creator"] = rds_connector(settings, bounded_connect_args(settings))
    else:
        extra["connect_args"] = bounded_connect_args(settings)
    engine = create_async_engine(
        url,
        **extra,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_pool_size,
        pool_recycle=1800,
        # fail fast (503) rather than queue behind a dead database
        pool_timeout=settings.database_pool_timeout_seconds,
    )
    _ping_when_idle(engine)
    _discard_on_timeout(engine)
    return engine


# SQLSTATE classes meaning "no usable connection": 08 connection exception,
# 57P0x operator intervention (shutdown, restart), 53300 too many connections,
# 57014 a statement cancelled by statement_timeout, 25P03 a session ended by
# idle_in_transaction_session_timeout (config.py: the database is too slow to answer).
_UNAVAILABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03", "53300", "57014", "25P03")


def database_unavailable(exc: BaseException) -> bool:
    """Whether a database error means "cannot reach it now" rather than a bug."""
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated or isinstance(exc, OperationalError):
            return True
        return database_unavailable(exc.orig) if exc.orig is not None else False
    sqlstate = str(getattr(exc, "sqlstate", "") or "")
    if sqlstate.startswith(_UNAVAILABLE_SQLSTATES):
        return True
    # 55000 "database ... is not currently accepting connections" (closed for maintenance)
    if sqlstate == "55000" and "connections" in str(exc):
        return True
    if isinstance(exc, OSError | TimeoutError | PoolTimeout):
        return True
    cause = exc.__cause__
    return cause is not None and cause is not exc and database_unavailable(cause)


class _Closable(Protocol):
    async def close(self) -> None: ...
    async def invalidate(self) -> None: ...


async def close_or_discard(held: _Closable, what: str) -> None:
    """Give back a request's session or connection; one that died after the answer was
    decided (a database restart in between) is dropped from the pool instead. Raising
    here would cut off a response that may already be on its way, leaving the client
    unsure of a done write."""
    try:
        await held.close()
    except Exception:
        log.warning("database connection lost while closing %s; discarded", what)
        with suppress(Exception):
            await held.invalidate()


def bounded_connect_args(settings: Settings) -> dict[str, Any]:
    """asyncpg arguments that bound every wait: the connect handshake, each statement on
    the client (`command_timeout`: a frozen server never answers, so only the client can
    give up) and on the server (`statement_timeout`; `idle_in_transaction_session_timeout`
    ends a transaction whose client vanished, releasing its locks). Migrations do not use
    them: an index build may rightly take minutes."""
    server = {
        "statement_timeout": _ms(settings.database_statement_timeout_seconds),
        "idle_in_transaction_session_timeout": _ms(
            settings.database_idle_in_transaction_timeout_seconds
        ),
    }
    return {
        "timeout": settings.database_connect_timeout_seconds,
        "command_timeout": settings.database_command_timeout_seconds,
        "server_settings": server,
    }


def _ms(seconds: float) -> str:
    return str(int(seconds * 1000))


def _discard_on_timeout(engine: AsyncEngine) -> None:
    """A statement (or COMMIT) the client gave up on leaves its connection in an unknown
    state: mid-protocol, maybe on a dead network. Treating it as a disconnect makes
    SQLAlchemy drop that connection at once instead of sending it a ROLLBACK, which on a
    frozen network would wait out a second timeout."""

    @event.listens_for(engine.sync_engine, "handle_error")
    def _timeout_is_disconnect(context: Any) -> None:
        if isinstance(context.original_exception, TimeoutError):
            context.is_disconnect = True


# Under traffic a pooled connection was in use milliseconds ago; pinging it before every
# request (pool_pre_ping) cost ~0.2 ms of CPU each, ~5% of a read. Only a connection that
# sat idle this long is pinged; a dead busy one fails its request with 503, and SQLAlchemy
# then discards the whole pool (tests/runtime/test_database_faults.py).
PING_WHEN_IDLE_SECONDS = 2.0


def _ping_when_idle(engine: AsyncEngine) -> None:
    pool = engine.sync_engine.pool

    @event.listens_for(pool, "checkin")
    def _idle_from(dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(pool, "checkout")
    def _ping_if_idle(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < PING_WHEN_IDLE_SECONDS:
            return
        try:
            dbapi_connection.ping()
        except Exception as exc:
            # The pool replaces this connection with a new one and retries the checkout.
            raise DisconnectionError("idle connection is dead") from exc


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Foreign keys are off by default in SQLite; WAL lets readers run beside one writer.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def session_factory(
    engine: AsyncEngine, read_cache: ReadCache | None = None
) -> async_sessionmaker[AsyncSession]:
    """Sessions whose writes invalidate read caches (every process's, via NOTIFY, and
    `read_cache`, this process's own, at commit). The hot reads need none: db_reads.py."""
    return async_sessionmaker(
        engine,
        expire_on_commit=False,
        autoflush=False,
        sync_session_class=TrackedSession,
        info={topics.LOCAL: read_cache} if read_cache is not None else None,
    )


def raw_connector(settings: Settings) -> Callable[[], Awaitable[Any]]:
    """A plain asyncpg connection to the app's PostgreSQL, outside the pool (for LISTEN)."""
    import asyncpg
    from sqlalchemy.engine import make_url

    if settings.database_secret_arn and not settings.database_url:
        from practika.aws.rds import rds_connector

        return rds_connector(settings)
    url = make_url(settings.resolved_database_url).set(drivername="postgresql")
    dsn = url.render_as_string(hide_password=False)
    return lambda: asyncpg.connect(dsn, timeout=settings.database_connect_timeout_seconds)


SQLITE_SEARCH_TABLES = ("exercises_fts", "exercises_words")


def schema_filter(dialect: str) -> Callable[..., bool]:
    """Alembic's comparison of models and schema, minus indexes meant for other databases
    (declared with `info={"dialects": (...)}`, e.g. PostgreSQL's trigram indexes)."""

    def include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
        # SQLite's FTS5 search tables (and their shadow tables) are no model's: see 0010.
        if type_ == "table" and reflected and name and name.startswith(SQLITE_SEARCH_TABLES):
            return False
        if type_ == "index" and not reflected:
            only = obj.info.get("dialects")
            return only is None or dialect in only
        return True

    return include


def alembic_config(url: str, settings: Settings | None = None) -> Any:
    from alembic.config import Config

    config = Config()
    config.attributes["settings"] = settings
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(settings: Settings, url: str | None = None, revision: str = "head") -> None:
    """Bring the schema to `revision`; safe to call from several processes at once."""
    from alembic import command

    url = url or settings.resolved_database_url
    if url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url, settings), revision)
