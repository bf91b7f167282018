"""The hot reads' statements, run on PostgreSQL's driver directly.

Every hot read is a SQLAlchemy Core statement built once (with bind parameters). Run
through SQLAlchemy's asyncio adaptation, each cost the app ~0.38 ms of CPU (the greenlet
switch, the emulated DBAPI cursor, the result objects) where the same statement prepared
on asyncpg costs 0.05 ms (docs/benchmarks.md): two statements a read made that most of its
price. So on PostgreSQL a statement is compiled once by SQLAlchemy, and its SQL and its
parameters (processed by SQLAlchemy's own bind processors, as an execution would) go to
asyncpg, which prepares it once per connection. On SQLite, the embedded default, the
same statements run through SQLAlchemy.

Rows are mappings read by column name (asyncpg records on PostgreSQL, SQLAlchemy's row
mappings on SQLite) holding the driver's values: an enum column reads as its `StrEnum`
member on SQLite and as the same string on PostgreSQL, which compare and serialize alike.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from sqlalchemy.sql import ClauseElement, Executable

from practika.db import close_or_discard, database_unavailable
from practika.observability.tracing import statement_span

Row = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class _Prepared:
    sql: str
    compiled: Any  # SQLCompiler
    positions: tuple[str, ...]
    processors: Mapping[str, Callable[[Any], Any]]
    expanding: bool  # an `IN` list: its SQL depends on the list's length

    def statement(self, params: Mapping[str, Any]) -> tuple[str, list[Any]]:
        # What SQLAlchemy's execution context does (engine/default.py, _init_compiled).
        values = self.compiled.construct_params(params, escape_names=False)
        sql, positions, processors = self.sql, self.positions, self.processors
        if self.expanding:
            expanded = self.compiled._process_parameters_for_postcompile(values)
            sql, positions = expanded.statement, expanded.positiontup
            processors = {**processors, **expanded.processors}
            values = {**values, **expanded.additional_parameters}
        args = []
        for name in positions:
            process = processors.get(name)
            args.append(process(values[name]) if process is not None else values[name])
        return sql, args


# Keyed by the statement object itself: the hot reads' statements are built once, so
# this holds one entry each (a statement built per call would only churn it).
@functools.lru_cache(maxsize=512)
def _prepared(statement: Executable, dialect: Dialect) -> _Prepared:
    compiled: Any = cast(ClauseElement, statement).compile(dialect=dialect)
    return _Prepared(
        sql=compiled.string,
        compiled=compiled,
        positions=tuple(compiled.positiontup or ()),
        processors=compiled._bind_processors,
        expanding=bool(compiled.literal_execute_params or compiled.post_compile_params),
    )


class Reads:
    """Read-only statements on one connection; see the module's docstring."""

    def __init__(self, connection: AsyncConnection, driver: Any | None) -> None:
        self._connection = connection
        self._driver = driver  # asyncpg's connection on PostgreSQL, None on SQLite
        self.dialect = connection.dialect.name
        # A driver call that never returned (its task was cancelled: the client left, the
        # server is stopping) may leave the connection mid-protocol; it must not go back
        # to the pool (`reading`), where SQLAlchemy would take it for an idle one.
        self.interrupted = False

    @classmethod
    async def on(cls, connection: AsyncConnection) -> Reads:
        driver = None
        if connection.dialect.name == "postgresql":
            driver = (await connection.get_raw_connection()).driver_connection
        return cls(connection, driver)

    @classmethod
    async def of(cls, db: AsyncSession) -> Reads:
        """Reads on a session's connection (a route that also writes; tests)."""
        return await cls.on(await db.connection())

    async def rows(self, statement: Executable, params: Mapping[str, Any]) -> Sequence[Row]:
        if self._driver is None:
            result = await self._connection.execute(statement, params)
            return cast(Sequence[Row], result.mappings().all())
        rows: Sequence[Row] = await self._on_driver("fetch", statement, params)
        return rows

    async def first(self, statement: Executable, params: Mapping[str, Any]) -> Row | None:
        rows = await self.rows(statement, params)
        return rows[0] if rows else None

    async def column(self, statement: Executable, params: Mapping[str, Any]) -> list[Any]:
        """The first column of every row."""
        if self._driver is None:
            return list((await self._connection.execute(statement, params)).scalars())
        return [row[0] for row in await self.rows(statement, params)]  # type: ignore[index]

    async def execute(self, statement: Executable, params: Mapping[str, Any]) -> None:
        """A write that belongs to no cached answer (a session's last-seen time): it
        commits on its own and invalidates nothing (see `reading`)."""
        if self._driver is None:
            await self._connection.execute(statement, params)
            return
        await self._on_driver("execute", statement, params)

    async def _on_driver(self, call: str, statement: Executable, params: Mapping[str, Any]) -> Any:
        sql, args = _prepared(statement, self._connection.dialect).statement(params)
        self.interrupted = True
        try:
            with statement_span(sql):
                result = await getattr(self._driver, call)(sql, *args)
        except Exception as exc:
            self.interrupted = False  # answered, with an error: `_failed` sorts it
            raise await self._failed(exc, sql, args) from exc
        self.interrupted = False
        return result

    async def _failed(self, exc: Exception, sql: str, args: list[Any]) -> DBAPIError:
        """The error SQLAlchemy would have raised, so `api/errors.py` answers it alike: a
        lost connection (or a statement the client gave up on, mid-protocol) is dropped
        from the pool and answered 503."""
        # As SQLAlchemy's own asyncpg dialect decides (`is_disconnect`): a connection the
        # server ended may fail its next statement with no SQLSTATE at all.
        lost = database_unavailable(exc) or (self._driver is not None and self._driver.is_closed())
        if lost:
            # As SQLAlchemy does on a disconnect: this connection and every other pooled
            # one opened before it are replaced (a restarted server ended them all), so the
            # next requests do not each find a dead one (tests/integration/test_db_pool.py).
            pooled = await self._connection.get_raw_connection()
            self._connection.sync_engine.pool._invalidate(pooled, exc)
        return DBAPIError(sql, args, exc, connection_invalidated=lost)


@asynccontextmanager
async def reading(autocommit: AsyncEngine) -> AsyncIterator[Reads]:
    """A pooled connection of the engine's AUTOCOMMIT view (startup.py): no transaction,
    each statement commits on its own, which spares a read the BEGIN and ROLLBACK round
    trips (on loopback, a round trip costs the app as much CPU as a small query). It sees
    what a transaction would: at READ COMMITTED, PostgreSQL's default and ours, each
    statement sees what was committed before it began."""
    connection = await autocommit.connect()
    reads: Reads | None = None
    try:
        reads = await Reads.on(connection)
        yield reads
    finally:
        if reads is not None and reads.interrupted:
            with suppress(Exception):
                await connection.invalidate()
        await close_or_discard(connection, "a read")
