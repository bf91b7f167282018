"""The read cache's copy of a session: every signed-in request finds its person there,
not only a cached answer, and never past what the session's own lookup would say."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from practika.api.deps import CSRF_HEADER, SESSION_COOKIE
from practika.security import csrf_token_for
from practika.services import auth
from tests.readcache.conftest import Node, cache_header
from tests.readcache.scene import Scene, make_scene
from tests.support import driver_statements


@pytest.fixture
def scene(node: Node) -> Scene:
    return make_scene(node.api)


def session_lookups(statements: list[tuple[Any, str]]) -> list[str]:
    return [sql for _, sql in statements if "FROM users JOIN auth_sessions" in sql]


class Clock:
    """The cache's clock, moved by hand (entries expire by it)."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(node: Node) -> Iterator[Clock]:
    cache = node.cache
    real = cache._clock
    cache._clock = clock = Clock(real())
    try:
        yield clock
    finally:
        cache._clock = real


def test_a_miss_and_a_write_find_the_person_without_a_lookup(node: Node, scene: Scene) -> None:
    with driver_statements() as statements:
        assert node.get(scene.comments, scene.learner).status_code == 200
    assert len(session_lookups(statements)) == 1  # the first request looks the token up

    node.api.comment(scene.coach, scene.thread_id, scene.video_id, body="Knees out")
    with driver_statements() as statements:
        r = node.get(scene.comments, scene.learner)  # the page changed: computed again
        assert r.status_code == 200 and cache_header(r) == "MISS"
        assert [c["body"] for c in r.json()["items"]] == ["Knees out"]
        node.api.comment(scene.learner, scene.thread_id, scene.video_id, body="Like this?")
    assert statements, "the page's own statement ran on the driver"
    assert session_lookups(statements) == []


def test_a_cached_session_still_needs_the_csrf_token_for_a_cookie_write(
    node: Node, scene: Scene
) -> None:
    path = f"/api/v1/threads/{scene.thread_id}/comments"
    body = {"video_id": scene.video_id, "t_start_ms": 0, "t_end_ms": 500, "body": "From a form"}
    node.client.cookies.set(SESSION_COOKIE, scene.learner.token)
    try:
        with driver_statements() as statements:
            assert node.client.get(path).status_code == 200  # the session is now cached
            forged = node.client.post(path, json=body)
        assert len(session_lookups(statements)) == 1
        assert forged.status_code == 403 and forged.json()["error"]["code"] == "csrf"
        csrf = csrf_token_for(node.app.state.settings.secret_key, scene.learner.token)
        posted = node.client.post(path, json=body, headers={CSRF_HEADER: csrf})
        assert posted.status_code == 201, posted.text
    finally:
        node.client.cookies.clear()


def test_a_cached_session_is_looked_up_again_after_seen_every(
    node: Node, scene: Scene, clock: Clock
) -> None:
    """So "last seen" (which the lookup refreshes) stays right to within a minute."""
    with driver_statements() as statements:
        node.get("/api/v1/auth/me", scene.learner)
        clock.now += auth.SEEN_EVERY.total_seconds() - 1
        node.get("/api/v1/auth/me", scene.learner)
    assert len(session_lookups(statements)) == 1
    clock.now += 2
    with driver_statements() as statements:
        assert node.get("/api/v1/auth/me", scene.learner).status_code == 200
    assert len(session_lookups(statements)) == 1


def test_a_change_to_the_account_reaches_the_next_request_at_once(node: Node, scene: Scene) -> None:
    assert node.get("/api/v1/auth/me", scene.learner).json()["display_name"] == scene.learner.name
    r = node.api.patch("/api/v1/auth/me", scene.learner, json={"display_name": "Lea Renamed"})
    assert r.status_code == 200, r.text
    assert node.get("/api/v1/auth/me", scene.learner).json()["display_name"] == "Lea Renamed"
