"""What a committed write tells caches: the writer's own at commit, everyone's by NOTIFY.

A session of `practika.db.session_factory` with a cache of its own and no listener: every
invalidation seen here came from the write itself, not from a notification.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import asyncpg
import pytest
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from practika.config import Settings
from practika.db import create_engine, session_factory
from practika.domain.comments import Comment
from practika.domain.users import AuthSession, User
from practika.readcache import ReadCache, topics
from practika.readcache.listener import Listener
from tests.conftest import make_settings
from tests.readcache.conftest import Node
from tests.readcache.scene import Scene, make_scene


@pytest.fixture(scope="module")
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return make_settings(tmp_path_factory.mktemp("rc-writes"), database_url)


@pytest.fixture
def scene(node: Node) -> Scene:
    s = make_scene(node.api)
    node.api.comment(s.coach, s.thread_id, s.video_id, body="Knees out")
    return s


@dataclass
class Writer:
    cache: ReadCache
    sessions: async_sessionmaker[AsyncSession]
    heard: asyncio.Queue[str]  # the notifications' payloads, as sent

    def entries(self, **made_of: list[str]) -> None:
        """Cache one entry per name, made of the given topics."""
        for name, names in made_of.items():
            self.cache.put(name, name, topics=names, epoch=self.cache.epoch, size=1)

    def left(self, *names: str) -> set[str]:
        return {n for n in names if self.cache.get(n) is not None}

    async def notified(self) -> set[str]:
        """The topics of the next notification (generous: what is checked is what it
        names, not how fast it comes)."""
        return set(json.loads(await self.payload())["topics"])

    async def payload(self) -> str:
        return await asyncio.wait_for(self.heard.get(), 60)

    async def quiet(self, seconds: float = 0.2) -> bool:
        await asyncio.sleep(seconds)
        return self.heard.empty()


@asynccontextmanager
async def writer(settings: Settings) -> AsyncIterator[Writer]:
    engine = create_engine(settings)
    cache = ReadCache(1 << 20, 300)
    cache.set_connected(True)
    heard: asyncio.Queue[str] = asyncio.Queue()
    dsn = settings.resolved_database_url.replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(dsn, timeout=5)
    await conn.add_listener(topics.CHANNEL, lambda *args: heard.put_nowait(args[-1]))
    try:
        yield Writer(cache, session_factory(engine, cache), heard)
    finally:
        await conn.close()
        await engine.dispose()


def run(settings: Settings, test: Callable[[Writer], Awaitable[None]]) -> None:
    async def main() -> None:
        async with writer(settings) as w:
            await test(w)

    asyncio.run(main())


ALL = ("thread", "other_thread", "people", "auth", "catalog", "nothing")


def standard_entries(w: Writer, scene: Scene) -> None:
    w.entries(
        thread=[topics.comments(scene.thread_id)],
        other_thread=[topics.comments(uuid.uuid4())],
        people=[topics.PEOPLE],
        auth=[topics.AUTH],
        catalog=[topics.CATALOG],
        nothing=[],
    )


def first_comment(scene: Scene) -> Any:
    return select(Comment).where(Comment.thread_id == uuid.UUID(scene.thread_id))


def test_an_orm_write_invalidates_its_topics_at_commit(settings: Settings, scene: Scene) -> None:
    async def test(w: Writer) -> None:
        standard_entries(w, scene)
        async with w.sessions() as db:
            comment = (await db.scalars(first_comment(scene))).one()
            comment.body = "Chest up"
            await db.flush()
            assert w.left(*ALL) == set(ALL), "invalidated before the commit"
            assert await w.quiet(), "notified before the commit"
            await db.commit()
            # at once, in the writer: no notification was needed for that
            assert w.left(*ALL) == set(ALL) - {"thread"}
        assert await w.notified() == {topics.comments(scene.thread_id)}

    run(settings, test)


def test_a_rollback_invalidates_nothing_and_tells_no_one(settings: Settings, scene: Scene) -> None:
    async def test(w: Writer) -> None:
        standard_entries(w, scene)
        async with w.sessions() as db:
            comment = (await db.scalars(first_comment(scene))).one()
            comment.body = "Never"
            await db.flush()
            await db.rollback()
            assert w.left(*ALL) == set(ALL)
            assert await w.quiet()
            # the session's next transaction does not carry the abandoned topics
            user = await db.get(User, uuid.UUID(scene.coach.id))
            assert user is not None
            user.display_name = "Coach Two"
            await db.commit()
        assert topics.comments(scene.thread_id) not in await w.notified()
        assert w.left(*ALL) == set(ALL) - {"people"}

    run(settings, test)


def test_a_sessions_update_that_names_nobody_names_auth(settings: Settings, scene: Scene) -> None:
    async def test(w: Writer) -> None:
        standard_entries(w, scene)
        async with w.sessions() as db:
            await db.execute(
                update(AuthSession)
                .where(AuthSession.user_id == uuid.UUID(scene.learner.id))
                .values(revoked_at=AuthSession.expires_at)
            )
            await db.commit()
        assert w.left(*ALL) == set(ALL) - {"auth"}
        assert await w.notified() == {topics.AUTH}

    run(settings, test)


def test_a_sign_out_names_its_person_only(settings: Settings, scene: Scene) -> None:
    async def test(w: Writer) -> None:
        from practika.services import auth

        learner = auth_token_user(scene)
        w.entries(
            learner=[topics.auth(scene.learner.id)],
            coach=[topics.auth(scene.coach.id)],
            every_session=[topics.AUTH],
        )
        async with w.sessions() as db:
            await auth.sign_out(db, learner, scene.learner.token)
        assert w.left("learner", "coach", "every_session") == {"coach", "every_session"}
        assert await w.notified() == {topics.auth(scene.learner.id)}

    run(settings, test)


def auth_token_user(scene: Scene) -> User:
    return User(id=uuid.UUID(scene.learner.id), email="x@example.com", display_name="L")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE comments SET body = 'raw' WHERE thread_id = :thread",
        "  update comments SET body = 'raw' WHERE thread_id = :thread",
        "WITH changed AS (UPDATE comments SET body = 'raw' WHERE thread_id = :thread"
        " RETURNING id) SELECT count(*) FROM changed",
    ],
    ids=["update", "lowercase", "cte"],
)
def test_a_raw_sql_write_empties_every_cache(
    settings: Settings, scene: Scene, statement: str
) -> None:
    """A write the ORM cannot explain must name everything (readcache/__init__.py)."""

    async def test(w: Writer) -> None:
        standard_entries(w, scene)
        async with w.sessions() as db:
            await db.execute(text(statement), {"thread": uuid.UUID(scene.thread_id)})
            await db.commit()
        assert w.left(*ALL) == set(), "the writer's own cache kept answers the write changed"
        assert topics.EVERYTHING in await w.notified()

    run(settings, test)


def test_a_raw_sql_read_invalidates_nothing(settings: Settings, scene: Scene) -> None:
    async def test(w: Writer) -> None:
        standard_entries(w, scene)
        async with w.sessions() as db:
            await db.execute(text("SELECT count(*) FROM comments"))
            await db.commit()
        assert w.left(*ALL) == set(ALL)
        assert await w.quiet()

    run(settings, test)


def test_a_write_after_a_rolled_back_savepoint_is_still_announced(
    settings: Settings, scene: Scene
) -> None:
    async def test(w: Writer) -> None:
        async with w.sessions() as db:
            comment = (await db.scalars(first_comment(scene))).one()
            nested = await db.begin_nested()
            comment.body = "Draft"
            await db.flush()
            await nested.rollback()
            comment = (await db.scalars(first_comment(scene))).one()
            comment.body = "Final"
            await db.commit()
        heard: set[str] = set()
        while topics.comments(scene.thread_id) not in heard:
            heard |= await w.notified()

    run(settings, test)


def test_a_write_naming_many_topics_commits_and_is_announced(
    settings: Settings, scene: Scene
) -> None:
    """Renaming 200 people in one transaction names 201 topics: a JSON list longer than a
    NOTIFY payload may be (8000 bytes). The write must still commit, and still reach every
    process (naming everything would do)."""
    tag = uuid.uuid4().hex[:8]

    async def test(w: Writer) -> None:
        standard_entries(w, scene)
        async with w.sessions() as db:
            db.add_all(
                User(email=f"bulk.{tag}.{n}@example.com", display_name="Bulk", password_hash="x")
                for n in range(200)
            )
            await db.commit()
        async with w.sessions() as db:
            people = await db.scalars(select(User).where(User.email.like(f"bulk.{tag}.%")))
            for person in people:
                person.display_name = f"Renamed {tag}"
            await db.commit()  # fails today: "payload string too long"
        async with w.sessions() as db:
            renamed = await db.scalar(
                select(User.id).where(User.display_name == f"Renamed {tag}").limit(1)
            )
            assert renamed is not None
        assert "people" not in w.left(*ALL)
        heard = await w.notified()
        assert topics.PEOPLE in heard or topics.EVERYTHING in heard

    run(settings, test)


def test_the_echo_of_a_write_spares_what_its_own_process_computed_after_it(
    settings: Settings, scene: Scene
) -> None:
    """The writing process applies a write to its cache at commit; the write's NOTIFY then
    comes back to it through LISTEN. That echo must not evict a page computed after the
    write (it did: a needless miss, and under load a flaky cache test). The same
    notification from another process still evicts it."""

    async def test(w: Writer) -> None:
        async with w.sessions() as db:
            comment = (await db.scalars(first_comment(scene))).one()
            comment.body = "edited"
            await db.commit()
        w.entries(page=[topics.comments(scene.thread_id)])  # computed after the commit
        echo = await w.payload()
        Listener(w.cache, connect=_never)._on_notify(None, 0, topics.CHANNEL, echo)
        assert w.left("page") == {"page"}
        elsewhere = ReadCache(1 << 20, 300)
        elsewhere.set_connected(True)
        elsewhere.put("page", "page", topics=[topics.comments(scene.thread_id)], epoch=0, size=1)
        Listener(elsewhere, connect=_never)._on_notify(None, 0, topics.CHANNEL, echo)
        assert elsewhere.get("page") is None

    run(settings, test)


async def _never() -> Any:
    raise AssertionError("not connected in this test")
