"""Many clients at once against a live server on PostgreSQL: nothing acknowledged is lost,
and one-of-a-kind things stay one of a kind."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from typing import Any

import httpx
import pytest

from tests.reliability.world import LiveWorld
from tests.support import Person

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(120)]

CLIENTS = 16
POSTS_PER_CLIENT = 15


def run(coro: Any) -> Any:
    return asyncio.run(coro)


async def burst(
    live: LiveWorld, requests: list[tuple[str, str, Person | None, Any]]
) -> list[httpx.Response]:
    """Send every request at once, one connection each."""
    limits = httpx.Limits(max_connections=len(requests))
    async with httpx.AsyncClient(base_url=live.url, timeout=60, limits=limits) as client:
        return await asyncio.gather(
            *(
                client.request(method, path, headers=who.auth if who else None, json=body)
                for method, path, who, body in requests
            )
        )


def all_comments(live: LiveWorld, thread_id: str, who: Person) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
        page = live.call("GET", f"/api/v1/threads/{thread_id}/comments", who, params=params)
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items


def fresh_thread(live: LiveWorld) -> tuple[str, str]:
    """A new exercise by the coach and the learner's thread on it, with an attempt video."""
    coach, learner = live.people["coach"], live.people["learner"]
    exercise = live.call(
        "POST",
        "/api/v1/exercises",
        coach,
        json={
            "title": f"Drill {uuid.uuid4().hex[:6]}",
            "category": "balance",
            "difficulty": "beginner",
            "reference_video_id": live.video(coach),
        },
    )
    live.call("POST", f"/api/v1/exercises/{exercise['id']}/publish", coach)
    thread = live.call("POST", "/api/v1/threads", learner, json={"exercise_id": exercise["id"]})
    video = live.video(learner)
    live.call("POST", f"/api/v1/threads/{thread['id']}/attempts", learner, json={"video_id": video})
    return thread["id"], video


async def burst_with_retries(
    live: LiveWorld, requests: list[tuple[str, str, Person, Any]], attempts: int = 20
) -> tuple[list[httpx.Response], int]:
    """Send every request at once, as a careful client does: each with an Idempotency-Key,
    and a `503` (the server shedding a burst it cannot queue in time) sent again after its
    Retry-After. The final answers, and how many 503s the burst met on the way."""
    shed = 0

    async def send(
        client: httpx.AsyncClient, method: str, path: str, who: Person, body: Any
    ) -> httpx.Response:
        nonlocal shed
        headers = {**who.auth, "Idempotency-Key": uuid.uuid4().hex}
        for _ in range(attempts):
            response = await client.request(method, path, headers=headers, json=body)
            if response.status_code != 503:
                return response
            shed += 1
            await asyncio.sleep(float(response.headers.get("Retry-After", "1")))
        return response

    limits = httpx.Limits(max_connections=len(requests))
    async with httpx.AsyncClient(base_url=live.url, timeout=60, limits=limits) as client:
        answers = await asyncio.gather(*(send(client, *request) for request in requests))
    return list(answers), shed


def test_concurrent_comment_posts_are_all_kept(live: LiveWorld) -> None:
    """However many of the burst the server sheds (fewer on a quiet machine, more on a busy
    one: not this test's business), every post is stored exactly once in the end and every
    acknowledged one is there as acknowledged."""
    thread_id, video = fresh_thread(live)
    authors = [live.people["learner"], live.people["coach"]]
    bodies = [f"client {c} comment {n}" for c in range(CLIENTS) for n in range(POSTS_PER_CLIENT)]
    requests = [
        (
            "POST",
            f"/api/v1/threads/{thread_id}/comments",
            authors[i % 2],
            {"video_id": video, "t_start_ms": i, "t_end_ms": i + 100, "body": body},
        )
        for i, body in enumerate(bodies)
    ]
    responses, _shed = run(burst_with_retries(live, requests))
    assert Counter(r.status_code for r in responses) == {201: len(bodies)}
    acknowledged = {r.json()["id"]: r.json()["body"] for r in responses}
    stored = {c["id"]: c["body"] for c in all_comments(live, thread_id, authors[0])}
    assert stored == acknowledged
    assert sorted(stored.values()) == sorted(bodies)


def test_concurrent_edits_of_one_comment_each_leave_a_trace(live: LiveWorld) -> None:
    """Every acknowledged edit is either the current text or a revision in the history."""
    thread_id, video = fresh_thread(live)
    learner = live.people["learner"]
    comment = live.call(
        "POST",
        f"/api/v1/threads/{thread_id}/comments",
        learner,
        json={"video_id": video, "t_start_ms": 0, "t_end_ms": 10, "body": "original"},
    )
    edits = [f"edit {i}" for i in range(24)]
    responses = run(
        burst(
            live,
            [("PATCH", f"/api/v1/comments/{comment['id']}", learner, {"body": b}) for b in edits],
        )
    )
    assert Counter(r.status_code for r in responses) == {200: len(edits)}
    final = live.call("GET", f"/api/v1/comments/{comment['id']}", learner)["body"]
    history = live.call("GET", f"/api/v1/comments/{comment['id']}/history", learner)
    before_each_edit = [rev["body"] for rev in history]
    assert len(before_each_edit) == len(edits)
    # Serialized edits: the revisions are the original and all edits but the last, each once.
    assert sorted([*before_each_edit, final]) == sorted(["original", *edits])


def test_concurrent_edits_of_different_comments_all_land(live: LiveWorld) -> None:
    thread_id, video = fresh_thread(live)
    learner = live.people["learner"]
    ids = [
        live.call(
            "POST",
            f"/api/v1/threads/{thread_id}/comments",
            learner,
            json={"video_id": video, "t_start_ms": i, "t_end_ms": i, "body": f"draft {i}"},
        )["id"]
        for i in range(20)
    ]
    responses = run(
        burst(
            live, [("PATCH", f"/api/v1/comments/{c}", learner, {"body": f"final {c}"}) for c in ids]
        )
    )
    assert Counter(r.status_code for r in responses) == {200: len(ids)}
    stored = {c["id"]: c["body"] for c in all_comments(live, thread_id, learner)}
    assert stored == {c: f"final {c}" for c in ids}


def test_concurrent_accepts_of_one_invite_have_exactly_one_winner(live: LiveWorld) -> None:
    coach = live.people["coach"]
    code = live.call("POST", "/api/v1/invites", coach, json={})["code"]
    learners = [live.person(f"Racer{i}") for i in range(12)]
    responses = run(
        burst(live, [("POST", "/api/v1/invites/accept", who, {"code": code}) for who in learners])
    )
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {200: 1, 409: len(learners) - 1}, statuses
    winner = next(who for who, r in zip(learners, responses, strict=True) if r.status_code == 200)
    linked = {
        link["learner"]["id"]
        for link in live.call(
            "GET", "/api/v1/links", coach, params={"role": "coach", "limit": 100}
        )["items"]
    }
    assert winner.id in linked
    assert not linked & {who.id for who in learners if who is not winner}


def test_concurrent_uses_of_one_reset_link_have_exactly_one_winner(live: LiveWorld) -> None:
    admin, person = live.people["admin"], live.person("Forgetful")
    token = live.call("POST", f"/api/v1/admin/users/{person.id}/password-reset", admin)["token"]
    passwords = [f"racing passphrase {i}" for i in range(8)]
    responses = run(
        burst(
            live,
            [
                ("POST", "/api/v1/auth/password-reset", None, {"token": token, "new_password": p})
                for p in passwords
            ],
        )
    )
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {204: 1, 409: len(passwords) - 1}, statuses
    winner = next(p for p, r in zip(passwords, responses, strict=True) if r.status_code == 204)
    # The winner's password works; losers' do not (a few only: five failures would trip
    # the per-account sign-in throttle, and the winner must be tried before that).
    losers = [p for p in passwords if p != winner][:3]
    for p in [winner, *losers]:
        r = live.http.post("/api/v1/auth/signin", json={"email": person.email, "password": p})
        assert r.status_code == (200 if p == winner else 401), (p, r.status_code)
    live.http.cookies.clear()


def test_concurrent_opens_of_the_same_thread_make_one_thread(live: LiveWorld) -> None:
    coach, learner = live.people["coach"], live.people["learner"]
    exercise = live.call(
        "POST",
        "/api/v1/exercises",
        coach,
        json={
            "title": "Single leg stand",
            "category": "balance",
            "difficulty": "beginner",
            "reference_video_id": live.video(coach),
        },
    )
    live.call("POST", f"/api/v1/exercises/{exercise['id']}/publish", coach)
    responses = run(
        burst(
            live,
            [("POST", "/api/v1/threads", learner, {"exercise_id": exercise["id"]})] * 12,
        )
    )
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {201: 1, 409: 11}, statuses
    assert {r.json()["error"]["code"] for r in responses if r.status_code == 409} == {
        "thread_exists"
    }
    threads = live.call("GET", "/api/v1/threads", learner, params={"exercise_id": exercise["id"]})[
        "items"
    ]
    assert [t["id"] for t in threads] == [r.json()["id"] for r in responses if r.status_code == 201]
