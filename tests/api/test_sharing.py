"""Read-only share links through the HTTP app: the thread's learner or coach makes one,
anyone holding it sees the videos and comments with no account, until it expires or is
revoked; a token never issued is indistinguishable from garbage."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from practika.domain.base import utcnow
from practika.domain.sharing import ShareLink
from practika.domain.videos import Video
from practika.security import token_hash
from tests.support import Api, Person, error_code


def rendered(api: Api, video_id: str) -> None:
    async def work(db: Any) -> None:
        key = f"test/{video_id}"
        await db.execute(
            update(Video)
            .where(Video.id == uuid.UUID(video_id))
            .values(rendition_key=f"{key}.mp4", poster_key=f"{key}.jpg", sprite_key=f"{key}.webp")
        )
        await db.commit()

    api.run(work)


def world(api: Api) -> tuple[Person, Person, dict[str, Any], list[dict[str, Any]]]:
    coach, learner = api.signup("Ana"), api.signup("Leo")
    api.link(coach, learner)
    exercise = api.exercise(coach, visibility="private", title="Private kata")
    thread = api.thread(learner, exercise["id"])
    attempts = [api.attempt(learner, thread["id"]) for _ in range(2)]
    for attempt in attempts:
        rendered(api, attempt["video"]["id"])
    api.comment(coach, thread["id"], attempts[0]["video"]["id"], body="Knees out")
    api.comment(learner, thread["id"], attempts[1]["video"]["id"], body="Better?")
    gone = api.comment(coach, thread["id"], attempts[1]["video"]["id"], body="Oops")
    assert api.delete(f"/api/v1/comments/{gone['id']}", coach).status_code in (200, 204)
    return coach, learner, thread, attempts


def share(api: Api, who: Person, thread_id: str, **body: Any) -> dict[str, Any]:
    r = api.post(f"/api/v1/threads/{thread_id}/share-links", who, json=body)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def test_a_coachs_link_shows_the_threads_videos_and_comments_to_anyone(api: Api) -> None:
    coach, _, thread, attempts = world(api)
    link = share(api, coach, thread["id"], note="for the physio")
    assert link["path"] == f"/shared/{link['token']}" and link["state"] == "active"

    r = api.get(f"/api/v1/shared/{link['token']}")  # no account

    assert r.status_code == 200, r.text
    assert r.headers["cache-control"] == "private, no-store"
    view = r.json()
    assert view["exercise_title"] == "Private kata" and view["coach_name"] == "Ana"
    assert [a["id"] for a in view["attempts"]] == [a["id"] for a in attempts]
    said = [[c["body"] for c in a["comments"]] for a in view["attempts"]]
    assert said == [["Knees out"], ["Better?"]]  # the deleted one is not shown
    assert view["attempts"][0]["playback"]["rendition_url"]
    assert api.get(f"/api/v1/threads/{thread['id']}/share-links", coach).json()[0]["last_opened_at"]


def test_a_learners_link_to_one_attempt_shows_that_attempt_only(api: Api) -> None:
    _, learner, thread, attempts = world(api)
    link = share(api, learner, thread["id"], attempt_id=attempts[1]["id"])
    view = api.get(f"/api/v1/shared/{link['token']}").json()
    assert [a["id"] for a in view["attempts"]] == [attempts[1]["id"]]


def test_an_attempt_of_another_thread_cannot_be_shared(api: Api) -> None:
    coach, learner, thread, _ = world(api)
    other = api.thread(learner, api.exercise(coach, title="Other")["id"])
    foreign = api.attempt(learner, other["id"])
    r = api.post(
        f"/api/v1/threads/{thread['id']}/share-links", coach, json={"attempt_id": foreign["id"]}
    )
    assert r.status_code == 404


def test_a_revoked_link_is_gone_at_once_and_either_side_may_revoke(api: Api) -> None:
    coach, learner, thread, _ = world(api)
    link = share(api, coach, thread["id"])
    r = api.delete(f"/api/v1/threads/{thread['id']}/share-links/{link['id']}", learner)
    assert r.status_code == 204
    r = api.get(f"/api/v1/shared/{link['token']}")
    assert r.status_code == 410 and error_code(r) == "share_revoked"
    listed = api.get(f"/api/v1/threads/{thread['id']}/share-links", coach).json()
    assert [(x["id"], x["state"]) for x in listed] == [(link["id"], "revoked")]
    again = api.delete(f"/api/v1/threads/{thread['id']}/share-links/{link['id']}", coach)
    assert again.status_code == 204


def test_an_expired_link_is_gone(api: Api) -> None:
    coach, _, thread, _ = world(api)
    link = share(api, coach, thread["id"], expires_in_days=1)

    async def expire(db: Any) -> None:
        await db.execute(
            update(ShareLink)
            .where(ShareLink.id == uuid.UUID(link["id"]))
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
        await db.commit()

    api.run(expire)
    r = api.get(f"/api/v1/shared/{link['token']}")
    assert r.status_code == 410 and error_code(r) == "share_expired"
    listed = api.get(f"/api/v1/threads/{thread['id']}/share-links", coach).json()
    assert listed[0]["state"] == "expired"


def test_only_the_tokens_hash_is_stored(api: Api) -> None:
    coach, _, thread, _ = world(api)
    link = share(api, coach, thread["id"])

    async def stored(db: Any) -> list[str]:
        return list(await db.scalars(select(ShareLink.token_hash)))

    assert api.run(stored) == [token_hash(link["token"])]
    assert "token" not in api.get(f"/api/v1/threads/{thread['id']}/share-links", coach).json()[0]


def test_bad_share_requests_are_refused_clearly(api: Api) -> None:
    coach, _, thread, _ = world(api)
    path = f"/api/v1/threads/{thread['id']}/share-links"
    for body in ({"expires_in_days": 0}, {"expires_in_days": 91}, {"note": "x" * 201}, {"x": 1}):
        r = api.post(path, coach, json=body)
        assert r.status_code == 422, (body, r.text)
    assert api.get(path, coach).json() == []  # nothing made


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(token=st.text(min_size=0, max_size=120))
def test_a_token_never_issued_is_not_found_whatever_it_looks_like(api: Api, token: str) -> None:
    from urllib.parse import quote

    if not token.strip("/") or token in (".", ".."):
        return
    r = api.get(f"/api/v1/shared/{quote(token, safe='')}")
    assert r.status_code == 404, r.text
    assert set(r.json()["error"]) == {"code", "message", "details"}
