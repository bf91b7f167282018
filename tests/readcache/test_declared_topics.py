"""Each cached read declares topics that cover every table its queries read.

The statements a cached route runs are captured at the engine and where db_reads.py runs
them on the driver; for each table they read,
a write to that table (any row of this test's world, as `readcache/topics.py` classifies
it) must name at least one topic the stored answer depends on. A read that starts
reading a new table without declaring its topic fails here, not in production.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Column, Table, event, select
from sqlalchemy.sql import visitors
from sqlalchemy.sql.util import find_tables

from practika.db import create_engine, session_factory
from practika.domain.models import Base
from practika.readcache import ReadCache, topics
from tests.readcache.conftest import Node, cache_header
from tests.readcache.scene import EXERCISES, PROGRESS, THREADS, Scene, make_scene, search
from tests.support import driver_statements

# Classes by table, to load a table's rows and classify them with the rules.
CLASSES = {mapper.local_table.name: mapper.class_ for mapper in Base.registry.mappers}


@pytest.fixture(scope="module")
def scene(node: Node) -> Scene:
    s = make_scene(node.api, visibility="private")
    node.api.comment(s.coach, s.thread_id, s.video_id, body="Knees out")
    r = node.api.post("/api/v1/sessions", s.learner, json={"exercise_id": s.exercise_id})
    assert r.status_code == 201, r.text
    return s


def _tables(statement: Any) -> set[str]:
    """The tables a statement reads, but for those it reads only unchanging columns of."""
    found: set[str] = set()
    for table in find_tables(statement, include_aliases=True, include_crud=True):
        base = getattr(table, "element", table)
        if isinstance(base, Table):
            found.add(base.name)
    columns: dict[str, set[str]] = {}
    for element in visitors.iterate(statement):
        table = getattr(element, "table", None)
        base = getattr(table, "element", table)
        if isinstance(element, Column) and isinstance(base, Table):
            columns.setdefault(base.name, set()).add(element.name)
    return {t for t in found if not columns.get(t, {"*"}) <= topics.UNCHANGING.get(t, frozenset())}


@contextmanager
def capture(node: Node) -> Iterator[tuple[set[str], list[tuple[Any, tuple[str, ...]]]]]:
    """(the tables read, the (key, topics) stored) while inside."""
    tables: set[str] = set()
    stored: list[tuple[Any, tuple[str, ...]]] = []
    engine = node.app.state.sessions.kw["bind"].sync_engine

    def on_execute(conn: Any, clause: Any, *args: Any) -> None:
        tables.update(_tables(clause))

    cache: ReadCache = node.cache
    put = cache.put

    def recording_put(key: Any, value: Any, *, topics: Any, **kw: Any) -> None:
        stored.append((key, tuple(topics)))
        put(key, value, topics=topics, **kw)

    event.listen(engine, "before_execute", on_execute)
    cache.put = recording_put  # type: ignore[method-assign]
    try:
        with driver_statements() as direct:
            yield tables, stored
            for statement, _ in direct:
                tables.update(_tables(statement))
    finally:
        event.remove(engine, "before_execute", on_execute)
        del cache.put


async def _topics_of_tables(node: Node, tables: set[str]) -> dict[str, set[str]]:
    """Every topic a change to any row of each table would name (changed or new)."""
    found: dict[str, set[str]] = {}
    engine = create_engine(node.app.state.settings)  # the app's runs on its client's loop
    async with session_factory(engine)() as db:
        for name in tables:
            cls = CLASSES[name]
            rule = topics.RULES[cls]
            rows = (await db.scalars(select(cls))).all()
            found[name] = {
                t for row in rows for c in (topics.NEW, topics.CHANGED) for t in rule(row, c)
            }
    await engine.dispose()
    return found


def check(node: Node, path: str, who: Any) -> None:
    import asyncio

    with capture(node) as (tables, stored):
        r = node.get(path, who)
    assert r.status_code == 200, r.text
    assert cache_header(r) == "MISS", f"{path} was cached before this test"
    declared = {t for _, names in stored for t in names}
    assert declared, f"{path} stored nothing"
    assert tables, "no statement was captured"
    by_table = asyncio.run(_topics_of_tables(node, tables))
    uncovered = sorted(t for t, names in by_table.items() if not names & declared)
    assert not uncovered, f"{path} reads {uncovered} but declares none of their topics"


def test_the_library_declares_what_it_reads(node: Node, scene: Scene) -> None:
    check(node, search(scene.exercise_title), scene.learner)
    # A visitor's page with an exercise on it (the scene's is private), so that its
    # reference video, joined into the page, is read and must be declared.
    node.api.exercise(scene.coach, title="Open squat")
    check(node, f"{EXERCISES}?limit=5", None)


def test_the_thread_lists_declare_what_they_read(node: Node, scene: Scene) -> None:
    check(node, f"{THREADS}?role=coach", scene.coach)
    check(node, f"{THREADS}?role=learner&awaiting_feedback=false", scene.learner)


def test_a_comments_page_declares_what_it_reads(node: Node, scene: Scene) -> None:
    check(node, scene.comments, scene.learner)
    check(node, f"{scene.comments}?limit=1", scene.coach)


def test_progress_declares_what_it_reads(node: Node, scene: Scene) -> None:
    check(node, PROGRESS, scene.learner)
