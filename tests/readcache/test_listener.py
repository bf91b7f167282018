"""Losing the LISTEN connection switches the cache off until it is back, then on, empty."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from practika.db import create_engine, session_factory
from practika.domain.comments import Comment
from tests.conftest import make_settings
from tests.readcache.conftest import Node, cache_header, sql, wait_until
from tests.readcache.scene import PROGRESS, THREADS, make_scene

# The listener is the only connection that runs LISTEN and then pings with `SELECT 1`
# (SQLAlchemy's pool pings with `;`); this module's database is its own.
LISTENER = (
    "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
    " AND pid <> pg_backend_pid() AND state = 'idle'"
    " AND (query LIKE 'LISTEN %' OR query = 'SELECT 1')"
)
RECONNECT_SECONDS = 10.0  # a ping interval (5 s) plus a retry delay, with room


def kill_listener(database_url: str) -> None:
    pids = [row["pid"] for row in sql(database_url, LISTENER)]
    assert len(pids) == 1, f"expected one listener connection, found {pids}"
    killed = sql(database_url, "SELECT pg_terminate_backend($1) AS ok", pids[0])
    assert killed[0]["ok"] is True


def elsewhere(database_url: str, tmp: Any, work: Callable[[AsyncSession], Awaitable[None]]) -> None:
    """A write by another process (its own engine, no cache): only NOTIFY tells this app."""
    settings = make_settings(tmp, database_url)

    async def run() -> None:
        engine = create_engine(settings)
        try:
            async with session_factory(engine)() as db:
                await work(db)
        finally:
            await engine.dispose()

    asyncio.run(run())


def test_a_lost_listener_bypasses_the_cache_until_it_is_back(
    node: Node, database_url: str, tmp_path: Any
) -> None:
    s = make_scene(node.api)
    c = node.api.comment(s.coach, s.thread_id, s.video_id, body="Before")
    for path in (s.comments, THREADS):
        node.get(path, s.learner)
        assert cache_header(node.get(path, s.learner)) == "HIT"
    assert node.cache.stats()["entries"] > 0

    kill_listener(database_url)
    assert wait_until(lambda: not node.cache.connected), "the loss went unnoticed"
    assert node.cache.stats()["entries"] == 0

    async def edit(db: AsyncSession) -> None:
        comment = await db.get(Comment, uuid.UUID(c["id"]))
        assert comment is not None
        comment.body = "Written while the listener was down"
        await db.commit()

    elsewhere(database_url, tmp_path, edit)  # its notification reaches no one here

    # while down: every read goes to the database, and nothing is kept
    checked = 0
    for path in (THREADS, PROGRESS, s.comments.replace("comments", "comments?limit=5")):
        down = not node.cache.connected
        answers = [node.get(path, s.learner) for _ in range(2)]
        if down and not node.cache.connected:
            checked += 1
            for r in answers:
                assert r.status_code == 200
                assert cache_header(r) == "MISS", (path, r.headers)
            assert node.cache.stats()["entries"] == 0
    assert checked, "the listener came back before any read could be checked"

    assert wait_until(lambda: node.cache.connected, timeout=RECONNECT_SECONDS), "never reconnected"
    # the answer cached before the loss is gone: the write made meanwhile shows
    r = node.get(s.comments, s.learner)
    assert cache_header(r) == "MISS"
    assert [x["body"] for x in r.json()["items"]] == ["Written while the listener was down"]
    again = node.get(s.comments, s.learner)
    assert cache_header(again) == "HIT" and again.content == r.content

    # and the new connection hears later writes
    async def edit_again(db: AsyncSession) -> None:
        comment = await db.get(Comment, uuid.UUID(c["id"]))
        assert comment is not None
        comment.body = "After the reconnect"
        await db.commit()

    elsewhere(database_url, tmp_path, edit_again)

    def updated() -> bool:
        page = node.get(s.comments, s.learner).json()
        return [x["body"] for x in page["items"]] == ["After the reconnect"]

    assert wait_until(updated), "the new listener missed a write"
