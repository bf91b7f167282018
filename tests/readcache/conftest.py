"""Read-cache fixtures: real apps (cache, listener and all) on a fresh PostgreSQL database."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from practika.app import create_app
from practika.db import migrate
from practika.readcache import ReadCache
from practika.readcache.topics import CHANNEL
from tests.conftest import PG_ADMIN_URL, _pg, make_settings
from tests.support import Api, Person

# Only how long a failing wait takes: a passing one returns as soon as its check holds.
WAIT_SECONDS = 60.0


def wait_until(check: Callable[[], Any], timeout: float = WAIT_SECONDS, every: float = 0.02) -> Any:
    """Poll `check` until it returns something truthy; that value, or None at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(every)


def sql(database_url: str, statement: str, *args: Any) -> list[Any]:
    """Run one statement on the database behind `database_url` on a connection of its own."""
    dsn = database_url.replace("postgresql+asyncpg://", "postgresql://")

    async def run() -> list[Any]:
        conn = await asyncpg.connect(dsn, timeout=5)
        try:
            return list(await conn.fetch(statement, *args))
        finally:
            await conn.close()

    return asyncio.run(run())


@pytest.fixture(scope="module")
def database_url(postgres_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh, migrated database for this module alone (`postgres_url` fails without PG)."""
    name = f"practika_rc_{uuid.uuid4().hex[:10]}"
    _pg(f'CREATE DATABASE "{name}"')
    url = (
        f"{PG_ADMIN_URL.rsplit('/', 1)[0].replace('postgresql://', 'postgresql+asyncpg://')}/{name}"
    )
    migrate(make_settings(tmp_path_factory.mktemp("rc-migrate"), url))
    yield url
    _pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Node:
    """One app instance (one process's cache and listener) and a client to drive it."""

    def __init__(self, app: FastAPI, client: TestClient) -> None:
        self.app = app
        self.client = client
        self.api = Api(client)

    @property
    def cache(self) -> ReadCache:
        cache = self.app.state.read_cache
        assert cache is not None, "this app runs without a read cache"
        return cache  # type: ignore[no-any-return]

    def get(self, path: str, who: Person | None = None) -> Any:
        return self.api.get(path, who)


def cache_header(response: Any) -> str | None:
    return response.headers.get("x-cache")


@contextmanager
def running(tmp: Path, database_url: str, **overrides: object) -> Iterator[Node]:
    """An app with its lifespan running; with a cache, only once its LISTEN is up."""
    app = create_app(make_settings(tmp, database_url, **overrides))
    with TestClient(app) as client:
        cache = app.state.read_cache
        if cache is not None:
            assert wait_until(lambda: cache.connected), "the cache listener never connected"
        yield Node(app, client)


@pytest.fixture(scope="module")
def node(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Node]:
    with running(tmp_path_factory.mktemp("rc-a"), database_url) as node:
        yield node


def write(node: Node, work: Callable[[AsyncSession], Awaitable[Any]]) -> Any:
    """`work` with a plain session of the node's own session factory, in its event loop."""
    return node.api.run(work)


def barrier(nodes: list[Node], writer: Node) -> None:
    """Send a notification of our own and wait until every node got it: whatever was
    published before it (or would have been) has been delivered by then."""
    topic = f"barrier:{uuid.uuid4()}"
    key = ("probe", topic)

    def probe(node: Node) -> None:
        cache = node.cache
        cache.put(key, True, topics=[topic], epoch=cache.epoch, size=1)

    for node in nodes:
        node.client.portal.call(probe, node)  # type: ignore[union-attr]
        assert node.client.portal.call(node.cache.get, key) is True  # type: ignore[union-attr]

    async def notify(db: AsyncSession) -> None:
        await db.execute(select(func.pg_notify(CHANNEL, json.dumps([topic]))))
        await db.commit()

    write(writer, notify)
    for node in nodes:
        got = wait_until(lambda node=node: node.client.portal.call(node.cache.get, key) is None)  # type: ignore[union-attr,misc]
        assert got, "the barrier notification never arrived"
