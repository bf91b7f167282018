"""db_reads.py: a statement run on the driver reads what SQLAlchemy reads, and fails as
SQLAlchemy fails (the error handlers answer it alike)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import Integer, bindparam, event, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from practika.db import database_unavailable
from practika.db_reads import Reads, reading
from practika.domain.comments import Comment
from practika.domain.exercises import Exercise
from practika.domain.users import User
from tests.support import World

COMMENTS, EXERCISES, USERS = Comment.__table__.c, Exercise.__table__.c, User.__table__.c

# Every kind of value the hot reads read: UUIDs, aware datetimes, a StrEnum, JSON, NULLs,
# booleans, integers; bound as UUIDs, datetimes, enums, lists (`IN`) and a LIMIT.
STATEMENTS: dict[str, Any] = {
    "exercises": select(*EXERCISES)
    .where(
        EXERCISES.author_id == bindparam("author"),
        EXERCISES.visibility == bindparam("visibility"),
        EXERCISES.created_at > bindparam("since"),
    )
    .order_by(EXERCISES.created_at)
    .limit(bindparam("limit", type_=Integer)),
    "comments": select(*COMMENTS, USERS.display_name)
    .join_from(Comment.__table__, User.__table__, USERS.id == COMMENTS.author_id)
    .where(COMMENTS.id.in_(bindparam("ids", expanding=True)))
    .order_by(COMMENTS.created_at),
    "text": text("SELECT count(*) AS n FROM users WHERE is_admin = :admin"),
}


async def _scene(world: World) -> dict[str, Any]:
    coach = await world.person("Ana")
    learner = await world.learner("Leo", coached_by=coach)
    exercise = await world.exercise(by=coach, title="Goblet squat", tags=("squat", "hips"))
    await world.exercise(by=coach, title="Lunge", visibility="private")
    attempt = await world.attempt(await world.thread(learner, exercise))
    drawn = await world.comment(
        coach, attempt, drawing={"shapes": [{"type": "arrow", "points": [[0.1, 0.2], [0.3, 0.4]]}]}
    )
    plain = await world.comment(learner, attempt, body="Like this?", kind="question")
    await world.db.commit()
    return {
        "author": coach.id,
        "visibility": "public",
        "since": exercise.created_at.replace(year=2000),
        "limit": 10,
        "ids": [drawn.id, plain.id],
        "admin": False,
    }


def _plain(rows: Any) -> list[dict[str, Any]]:
    return [dict(row) for row in rows]


async def test_rows_on_the_driver_are_what_sqlalchemy_reads(world: World, db: AsyncSession) -> None:
    params = await _scene(world)
    reads = await Reads.of(db)
    conn = await db.connection()
    for name, statement in STATEMENTS.items():
        expected = (await conn.execute(statement, params)).mappings().all()
        got = await reads.rows(statement, params)
        assert expected, f"{name}: the scene has rows for it"
        assert _plain(got) == _plain(expected), name
        assert list(got[0].keys()) == list(expected[0].keys()), name
    first = await reads.first(STATEMENTS["exercises"], params)
    assert first is not None and first["title"] == "Goblet squat"
    empty = await reads.first(STATEMENTS["exercises"], params | {"visibility": "link"})
    assert empty is None
    ids = await reads.column(select(COMMENTS.id).order_by(COMMENTS.created_at), {})
    assert ids == params["ids"]


async def test_a_statement_bug_is_sqlalchemys_error_and_keeps_the_connection(
    service_engine: AsyncEngine, backend: str
) -> None:
    broken = text("SELECT no_such_column FROM users")
    async with reading(service_engine.execution_options(isolation_level="AUTOCOMMIT")) as reads:
        with pytest.raises(DBAPIError) as caught:
            await reads.rows(broken, {})
        assert not caught.value.connection_invalidated
        if backend == "postgresql":  # (SQLite calls any error of its own "operational")
            assert not database_unavailable(caught.value)  # a bug (500), not an outage (503)
        row = await reads.first(STATEMENTS["text"], {"admin": False})  # the same connection
        assert row is not None


async def test_a_lost_connection_is_an_outage_and_leaves_the_pool(
    service_engine: AsyncEngine, backend: str
) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite has no connection to lose")
    autocommit = service_engine.execution_options(isolation_level="AUTOCOMMIT")
    async with reading(autocommit) as reads:
        pid = (await reads.first(text("SELECT pg_backend_pid() AS pid"), {}))["pid"]  # type: ignore[index]
        async with reading(autocommit) as other:
            await other.rows(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        with pytest.raises(DBAPIError) as caught:
            await reads.rows(STATEMENTS["text"], {"admin": False})
        assert caught.value.connection_invalidated
        assert database_unavailable(caught.value)  # answered 503 (api/errors.py)
    async with reading(autocommit) as reads:  # a new connection, not the dead one
        row = await reads.first(text("SELECT pg_backend_pid() AS pid"), {})
        assert row is not None and row["pid"] != pid


async def test_a_read_cut_short_does_not_go_back_to_the_pool(
    service_engine: AsyncEngine, backend: str
) -> None:
    """A cancelled request (the client left) leaves its statement half-done on the wire:
    that connection is dropped, or the next request to draw it would fail on it."""
    if backend != "postgresql":
        pytest.skip("SQLite's statements run through SQLAlchemy")
    autocommit = service_engine.execution_options(isolation_level="AUTOCOMMIT")
    dropped: list[Any] = []
    event.listen(service_engine.sync_engine.pool, "invalidate", lambda *a: dropped.append(a))
    started = asyncio.Event()

    async def slow() -> None:
        async with reading(autocommit) as reads:
            started.set()
            await reads.rows(text("SELECT pg_sleep(30)"), {})

    task = asyncio.create_task(slow())
    await started.wait()
    await asyncio.sleep(0.2)  # the statement is on the wire (it runs for 30 s)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert len(dropped) == 1
    for _ in range(3):  # whichever pooled connection comes next works
        async with reading(autocommit) as reads:
            row = await reads.first(text("SELECT 1 AS one"), {})
            assert row is not None and dict(row) == {"one": 1}
