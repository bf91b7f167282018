"""`Idempotency-Key` on creating POSTs: a retried write is answered, not written again."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select, update

from practika.domain.base import utcnow
from practika.domain.comments import Comment
from practika.domain.idempotency import IdempotencyRecord
from practika.services import idempotency
from tests.support import Api, World, error_code, thread_body


@pytest.fixture
def scene(api: Api):
    async def build(world: World):
        ana = await world.coach("Ana")
        leo = await world.learner("Leo", coached_by=ana)
        thread = await world.thread(leo, await world.exercise(by=ana))
        attempt = await world.attempt(thread, duration_ms=20_000)
        return await world.signed_in(leo), thread_body(thread), str(attempt.video_id)

    learner, thread, video = api.world(build)
    path = f"/api/v1/threads/{thread['id']}/comments"
    body = {"video_id": video, "t_start_ms": 0, "t_end_ms": 500, "body": "knee"}
    return learner, thread, path, body


def count_comments(api: Api) -> int:
    async def work(db):
        return await db.scalar(select(func.count()).select_from(Comment))

    return int(api.run(work))


def test_the_same_key_twice_writes_one_comment_and_answers_alike(api: Api, scene) -> None:
    learner, _, path, body = scene
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = api.post(path, learner, json=body, headers=key)
    second = api.post(path, learner, json=body, headers=key)
    assert first.status_code == second.status_code == 201, second.text
    assert second.content == first.content
    assert second.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert count_comments(api) == 1
    # Key order and spacing do not make a different request.
    reordered = api.post(
        path,
        learner,
        content=httpx.Request("POST", "/", json=dict(reversed(body.items()))).content,
        headers={**key, "Content-Type": "application/json"},
    )
    assert reordered.status_code == 201 and reordered.content == first.content
    # Without a key, or with a new one, each request writes.
    assert api.post(path, learner, json=body).status_code == 201
    assert api.post(path, learner, json=body, headers={"Idempotency-Key": "k2"}).status_code == 201
    assert count_comments(api) == 3


def test_a_key_reused_for_a_different_request_is_refused(api: Api, scene) -> None:
    learner, thread, path, body = scene
    key = {"Idempotency-Key": "once"}
    assert api.post(path, learner, json=body, headers=key).status_code == 201
    other = api.post(path, learner, json={**body, "body": "hip"}, headers=key)
    assert other.status_code == 422 and error_code(other) == "idempotency_key_reused"
    elsewhere = api.post(
        "/api/v1/sessions", learner, json={"exercise_id": thread["exercise"]["id"]}, headers=key
    )
    assert error_code(elsewhere) == "idempotency_key_reused"
    assert count_comments(api) == 1


def test_keys_belong_to_their_user_and_expire(api: Api, scene) -> None:
    learner, thread, path, body = scene
    key = {"Idempotency-Key": "mine"}
    assert api.post(path, learner, json=body, headers=key).status_code == 201
    # Someone else's identical key is theirs: it starts their own session.
    coach_session = api.post(
        "/api/v1/sessions",
        learner,
        json={"exercise_id": thread["exercise"]["id"]},
        headers={"Idempotency-Key": "session"},
    )
    assert coach_session.status_code == 201

    async def expire(db):
        await db.execute(update(IdempotencyRecord).values(expires_at=utcnow() - timedelta(1)))
        await db.commit()
        removed = await idempotency.sweep(db)
        return removed, await db.scalar(select(func.count()).select_from(IdempotencyRecord))

    assert api.run(expire) == (2, 0)
    again = api.post(path, learner, json=body, headers=key)
    assert again.status_code == 201 and "idempotent-replayed" not in again.headers
    assert count_comments(api) == 2


def test_an_error_is_not_stored_and_a_bad_key_is_refused_at_the_edge(api: Api, scene) -> None:
    learner, _, path, body = scene
    key = {"Idempotency-Key": "retry-me"}
    bad = api.post(path, learner, json={**body, "t_end_ms": 99_999_999}, headers=key)
    assert bad.status_code == 422
    # A refused request wrote nothing and stored nothing: its key is still free.
    assert api.post(path, learner, json=body, headers=key).status_code == 201
    for wrong in ("", "x" * 256, "has space"):
        r = api.post(path, learner, json=body, headers={"Idempotency-Key": wrong})
        assert r.status_code == 422, (wrong, r.text)
    assert count_comments(api) == 1


def test_concurrent_requests_with_one_key_write_once(api: Api, scene, backend: str) -> None:
    """Sent at once (the client retried before the first answer came): one row, and both
    get the same answer."""
    if backend != "postgresql":
        pytest.skip("SQLite runs one writer at a time: there is no race to lose")
    learner, _, path, body = scene
    app = api.client.app
    headers = {"Authorization": f"Bearer {learner.token}", "Idempotency-Key": "race"}

    async def burst() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return list(
                await asyncio.gather(
                    *(client.post(path, json=body, headers=headers) for _ in range(8))
                )
            )

    answers = api.client.portal.call(burst)  # type: ignore[attr-defined]
    assert {r.status_code for r in answers} == {201}, [r.text for r in answers]
    assert len({r.content for r in answers}) == 1
    assert sum(r.headers.get("idempotent-replayed") == "true" for r in answers) == 7
    assert count_comments(api) == 1
