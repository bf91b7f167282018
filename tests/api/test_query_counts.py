"""No N+1: each list endpoint issues the same number of SQL statements for 2 or 8 rows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from tests.support import Api, Person, driver_statements


@contextmanager
def counting(api: Api) -> Iterator[list[str]]:
    statements: list[str] = []
    engine = api.client.app.state.engine.sync_engine  # type: ignore[attr-defined]

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        with driver_statements() as direct:
            yield statements
            statements += [sql for _, sql in direct]
    finally:
        event.remove(engine, "before_cursor_execute", record)


def populate(api: Api, n: int) -> tuple[dict[str, Person], dict[str, str]]:
    coach, learner, admin = api.signup("Ana"), api.signup("Leo"), api.signup("Root", admin=True)
    api.link(coach, learner)
    ids: dict[str, str] = {}
    exercises = [
        api.exercise(
            coach, title=f"E{i}", tags=["a", "b"], reference_video_id=api.ready_video(coach)
        )
        for i in range(n)
    ]
    threads = [api.thread(learner, e["id"]) for e in exercises]
    first = threads[0]
    attempts = [api.attempt(learner, first["id"]) for _ in range(n)]
    video = attempts[0]["video"]["id"]
    for i in range(n):
        api.comment(learner if i % 2 else coach, first["id"], video, t_start_ms=i, t_end_ms=i + 1)
    playlist = None
    for i in range(n):
        p = api.post(
            "/api/v1/playlists", coach, json={"title": f"P{i}", "visibility": "public"}
        ).json()
        for e in exercises[:3]:
            api.post(f"/api/v1/playlists/{p['id']}/items", coach, json={"exercise_id": e["id"]})
        playlist = playlist or p
    for _ in range(n):
        s = api.post("/api/v1/sessions", learner, json={"exercise_id": exercises[0]["id"]}).json()
        api.post(f"/api/v1/sessions/{s['id']}/items", learner, json={"reps_done": 5})
        api.post("/api/v1/invites", coach, json={})
        other = api.signup("L")
        api.link(coach, other)
    ids.update(thread=first["id"], video=video)
    return {"coach": coach, "learner": learner, "admin": admin}, ids


LISTS: list[tuple[str, str, Callable[[dict[str, str]], str]]] = [
    ("exercises", "learner", lambda ids: "/api/v1/exercises"),
    ("threads", "coach", lambda ids: "/api/v1/threads"),
    ("attempts", "coach", lambda ids: f"/api/v1/threads/{ids['thread']}/attempts"),
    ("thread comments", "learner", lambda ids: f"/api/v1/threads/{ids['thread']}/comments"),
    ("video comments", "coach", lambda ids: f"/api/v1/videos/{ids['video']}/comments"),
    ("playlists", "learner", lambda ids: "/api/v1/playlists"),
    ("sessions", "learner", lambda ids: "/api/v1/sessions"),
    ("notifications", "coach", lambda ids: "/api/v1/notifications"),
    ("invites", "coach", lambda ids: "/api/v1/invites"),
    ("links", "coach", lambda ids: "/api/v1/links"),
    ("admin users", "admin", lambda ids: "/api/v1/admin/users"),
]


@pytest.mark.parametrize(("name", "who", "path"), LISTS, ids=[x[0] for x in LISTS])
def test_list_query_count_does_not_grow_with_the_page(api: Api, name: str, who: str, path) -> None:
    counts = []
    for n in (2, 8):
        api.client.portal.call(_reset, api)  # type: ignore[union-attr]
        people, ids = populate(api, n)
        with counting(api) as statements:
            r = api.get(path(ids), people[who], params={"limit": 50})
        assert r.status_code == 200, r.text
        assert len(r.json()["items"]) >= n
        # A session's last-seen write (at most once a minute) is no N+1: not counted.
        counts.append(len([s for s in statements if not _touches_session(s)]))
    assert counts[0] == counts[1], f"{name}: {counts[0]} statements for 2 rows, {counts[1]} for 8"


def _touches_session(statement: str) -> bool:
    return statement.lstrip().upper().startswith("UPDATE AUTH_SESSIONS")


async def _reset(api: Api) -> None:
    from tests.conftest import _truncate

    await _truncate(api.client.app.state.engine)  # type: ignore[attr-defined]
