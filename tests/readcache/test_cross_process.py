"""Two app instances (two caches, two listeners) on one database: a write on one reaches both."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import AsyncSession

from practika.db import create_engine, session_factory
from practika.domain.comments import Comment
from tests.conftest import make_settings
from tests.readcache.conftest import Node, barrier, cache_header, running, wait_until, write
from tests.readcache.scene import PROGRESS, THREADS, Scene, make_scene, search
from tests.support import Person


@pytest.fixture(scope="module")
def a(node: Node) -> Node:
    return node


@pytest.fixture(scope="module")
def b(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Node]:
    with running(tmp_path_factory.mktemp("rc-b"), database_url) as node:
        yield node


@pytest.fixture
def scene(a: Node, b: Node) -> Scene:
    return make_scene(b.api)


def hit(node: Node, path: str, who: Person | None = None) -> Any:
    """Warm `path` on `node`: the second answer must come from its cache."""
    first = node.get(path, who)
    assert first.status_code == 200, first.text
    second = node.get(path, who)
    assert cache_header(second) == "HIT", second.headers
    assert second.content == first.content
    return second.json()


def eventually(node: Node, path: str, who: Person | None, shows: Callable[[Any], bool]) -> Any:
    """Poll `node` until its answer `shows` the change; that answer (or the last one)."""

    def attempt() -> Any:
        r = node.get(path, who)
        return r if r.status_code == 200 and shows(r.json()) else None

    found = wait_until(attempt)
    if found is None:
        last = node.get(path, who)
        pytest.fail(f"{path} never showed the change: {cache_header(last)} {last.text[:300]}")
    return found


def bodies(page: dict[str, Any]) -> list[str]:
    return [c["body"] for c in page["items"]]


def test_a_comment_posted_on_b_shows_on_a(a: Node, b: Node, scene: Scene) -> None:
    assert hit(a, scene.comments, scene.learner)["items"] == []
    epoch = a.cache.epoch
    b.api.comment(scene.coach, scene.thread_id, scene.video_id, body="From B")
    r = eventually(a, scene.comments, scene.learner, lambda page: bodies(page) == ["From B"])
    assert cache_header(r) == "MISS"
    assert a.cache.epoch > epoch, "A never counted an invalidation"
    assert bodies(hit(a, scene.comments, scene.learner)) == ["From B"]


def test_every_cached_route_on_a_follows_writes_on_b(a: Node, b: Node, scene: Scene) -> None:
    library = search(scene.exercise_title)
    hit(a, THREADS, scene.learner)
    hit(a, PROGRESS, scene.learner)
    hit(a, library)
    b.api.comment(scene.coach, scene.thread_id, scene.video_id)
    eventually(a, THREADS, scene.learner, lambda p: p["items"][0]["awaiting_feedback"] is False)
    eventually(a, PROGRESS, scene.learner, lambda p: p["feedback_received"] == 1)
    title = f"{scene.exercise_title} B"
    r = b.api.patch(f"/api/v1/exercises/{scene.exercise_id}", scene.coach, json={"title": title})
    assert r.status_code == 200, r.text
    eventually(a, library, None, lambda p: [e["title"] for e in p["items"]] == [title])


def test_a_sign_out_on_b_signs_the_token_out_on_a(a: Node, b: Node, scene: Scene) -> None:
    for path in (scene.comments, THREADS, PROGRESS, search(scene.exercise_title)):
        hit(a, path, scene.learner)
    assert b.api.post("/api/v1/auth/signout", scene.learner).status_code == 204

    def refused() -> bool:
        return a.get(scene.comments, scene.learner).status_code == 401

    assert wait_until(refused), "A kept answering a signed-out token"
    for path in (THREADS, PROGRESS, search(scene.exercise_title)):
        r = a.get(path, scene.learner)
        assert r.status_code == 401, (path, cache_header(r))


def test_an_orm_write_from_a_plain_session_on_b_reaches_a(a: Node, b: Node, scene: Scene) -> None:
    c = b.api.comment(scene.coach, scene.thread_id, scene.video_id, body="Before")
    eventually(a, scene.comments, scene.learner, lambda page: bodies(page) == ["Before"])
    hit(a, scene.comments, scene.learner)
    hit(b, scene.comments, scene.learner)

    async def edit(db: AsyncSession) -> None:
        comment = await db.get(Comment, uuid.UUID(c["id"]))
        assert comment is not None
        comment.body = "After"
        await db.commit()

    write(b, edit)
    # the writer's own cache at once (read-your-writes), the other one soon
    r = b.get(scene.comments, scene.learner)
    assert cache_header(r) == "MISS" and bodies(r.json()) == ["After"]
    r = eventually(a, scene.comments, scene.learner, lambda page: bodies(page) == ["After"])
    assert cache_header(r) == "MISS"


def test_bulk_and_raw_sql_writes_on_b_reach_a(a: Node, b: Node, scene: Scene) -> None:
    c = b.api.comment(scene.coach, scene.thread_id, scene.video_id, body="One")
    eventually(a, scene.comments, scene.learner, lambda page: bodies(page) == ["One"])
    hit(a, scene.comments, scene.learner)

    async def bulk(db: AsyncSession) -> None:
        await db.execute(update(Comment).where(Comment.id == uuid.UUID(c["id"])).values(body="Two"))
        await db.commit()

    write(b, bulk)
    eventually(a, scene.comments, scene.learner, lambda page: bodies(page) == ["Two"])
    hit(a, scene.comments, scene.learner)

    async def raw(db: AsyncSession) -> None:
        await db.execute(
            text("UPDATE comments SET body = 'Three' WHERE id = :id"), {"id": uuid.UUID(c["id"])}
        )
        await db.commit()

    write(b, raw)
    eventually(a, scene.comments, scene.learner, lambda page: bodies(page) == ["Three"])


def test_a_write_from_another_process_without_a_cache_reaches_both(
    a: Node, b: Node, scene: Scene, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Like the worker or the CLI: its own engine and sessions, no cache of its own."""
    c = b.api.comment(scene.coach, scene.thread_id, scene.video_id, body="Old")
    eventually(a, scene.comments, scene.learner, lambda page: bodies(page) == ["Old"])
    hit(a, scene.comments, scene.learner)
    hit(b, scene.comments, scene.learner)
    settings = make_settings(tmp_path_factory.mktemp("rc-cli"), database_url)

    async def elsewhere() -> None:
        engine = create_engine(settings)
        try:
            async with session_factory(engine)() as db:
                comment = await db.get(Comment, uuid.UUID(c["id"]))
                assert comment is not None
                comment.body = "New"
                await db.commit()
        finally:
            await engine.dispose()

    asyncio.run(elsewhere())
    eventually(a, scene.comments, scene.learner, lambda page: bodies(page) == ["New"])
    eventually(b, scene.comments, scene.learner, lambda page: bodies(page) == ["New"])


def test_a_rolled_back_write_invalidates_nothing(a: Node, b: Node, scene: Scene) -> None:
    c = b.api.comment(scene.coach, scene.thread_id, scene.video_id, body="Kept")
    eventually(a, scene.comments, scene.learner, lambda page: bodies(page) == ["Kept"])
    barrier([a, b], b)  # nothing of the above still on its way
    hit(a, scene.comments, scene.learner)
    hit(b, scene.comments, scene.learner)

    async def abandoned(db: AsyncSession) -> None:
        comment = await db.get(Comment, uuid.UUID(c["id"]))
        assert comment is not None
        comment.body = "Never"
        await db.flush()  # its NOTIFY is queued in the transaction...
        await db.rollback()  # ...and dropped with it

    write(b, abandoned)
    barrier([a, b], b)
    for node in (a, b):
        r = node.get(scene.comments, scene.learner)
        assert cache_header(r) == "HIT" and bodies(r.json()) == ["Kept"]
