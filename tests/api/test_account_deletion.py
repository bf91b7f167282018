"""Deleting one's own account through the HTTP app (docs/domain.md, "Deleting an account"):
confirmed with the password, every session ends, a learner's threads and videos go, a
coach's exercises are handed over or archived, and the media objects are removed by jobs."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select

from practika.domain.jobs import Job
from practika.domain.users import User
from practika.domain.videos import Video
from practika.media.tasks import DELETE_OBJECTS, MediaContext
from practika.media.worker import Worker
from practika.storage import StoragePort
from tests.support import PASSWORD, Api, Person, error_code

DELETE = "/api/v1/account/delete"


def coaching(api: Api) -> tuple[Person, Person, dict[str, Any], dict[str, Any], dict[str, Any]]:
    """A coach with a private exercise, a linked learner's thread with an attempt, and a
    comment from each."""
    coach, learner = api.signup("Ana"), api.signup("Leo")
    api.link(coach, learner)
    exercise = api.exercise(coach, visibility="private", title="Private kata")
    thread = api.thread(learner, exercise["id"])
    attempt = api.attempt(learner, thread["id"])
    api.comment(learner, thread["id"], attempt["video"]["id"], body="Is my knee right?")
    api.comment(coach, thread["id"], attempt["video"]["id"], body="Push the knee out")
    return coach, learner, exercise, thread, attempt


def count(api: Api, stmt: Any) -> int:
    async def work(db: Any) -> int:
        return int(await db.scalar(stmt))

    return api.run(work)


def delete_jobs(api: Api) -> list[dict[str, Any]]:
    async def work(db: Any) -> list[dict[str, Any]]:
        return [j.payload for j in await db.scalars(select(Job).where(Job.kind == DELETE_OBJECTS))]

    return api.run(work)


def test_the_password_must_be_given_again_and_nothing_changes_without_it(api: Api) -> None:
    coach, learner, *_ = coaching(api)
    r = api.post(DELETE, learner, json={"password": "not my password"})
    assert r.status_code == 422 and error_code(r) == "wrong_password"
    assert api.get("/api/v1/auth/me", learner).status_code == 200
    assert api.post(DELETE, learner, json={}).status_code == 422
    assert api.post(DELETE, None, json={"password": PASSWORD}).status_code == 401


def test_a_learner_deleting_their_account_removes_their_threads_videos_and_sessions(
    api: Api,
) -> None:
    coach, learner, exercise, thread, attempt = coaching(api)
    second = api.post(
        "/api/v1/auth/signin", json={"email": learner.email, "password": PASSWORD}
    ).json()["token"]

    r = api.post(DELETE, learner, json={"password": PASSWORD})

    assert r.status_code == 200, r.text
    assert r.json()["threads_removed"] == 1 and r.json()["videos_removed"] == 1
    # Every session ended, this one and the other device's.
    assert api.get("/api/v1/auth/me", learner).status_code == 401
    headers = {"Authorization": f"Bearer {second}"}
    assert api.get("/api/v1/auth/me", headers=headers).status_code == 401
    assert (
        api.post(
            "/api/v1/auth/signin", json={"email": learner.email, "password": PASSWORD}
        ).status_code
        == 401
    )
    # The coach's side stays coherent: the thread is gone from their list, no dangling ids.
    assert api.get(f"/api/v1/threads/{thread['id']}", coach).status_code == 404
    assert api.get("/api/v1/threads", coach).json()["items"] == []
    assert api.get(f"/api/v1/exercises/{exercise['id']}", coach).status_code == 200
    assert (
        count(
            api,
            select(func.count())
            .select_from(Video)
            .where(Video.id == uuid.UUID(attempt["video"]["id"])),
        )
        == 0
    )
    # The objects go by job, committed with the deletion.
    prefixes = [p["prefix"] for p in delete_jobs(api)]
    assert any(attempt["video"]["id"] in p for p in prefixes)
    # The address is free to sign up again.
    again = api.post(
        "/api/v1/auth/signup",
        json={"email": learner.email, "password": PASSWORD, "display_name": "Leo again"},
    )
    assert again.status_code == 201, again.text


def test_a_coach_who_names_a_successor_hands_over_exercises_threads_and_learners(
    api: Api,
) -> None:
    coach, learner, exercise, thread, attempt = coaching(api)
    successor = api.signup("Bruno")

    r = api.post(DELETE, coach, json={"password": PASSWORD, "successor_email": successor.email})

    assert r.status_code == 200, r.text
    assert r.json()["exercises_handed_over"] == 1 and r.json()["successor_id"] == successor.id
    got = api.get(f"/api/v1/threads/{thread['id']}", successor)
    assert got.status_code == 200, got.text
    # The learner keeps practising: the private exercise is open to them via the new link.
    assert api.get(f"/api/v1/exercises/{exercise['id']}", learner).status_code == 200
    assert api.get(f"/api/v1/threads/{thread['id']}", learner).json()["read_only"] is False
    comments = api.get(f"/api/v1/threads/{thread['id']}/comments", learner).json()["items"]
    authors = sorted(c["author"]["display_name"] for c in comments)
    assert authors == ["Deleted account", "Leo"]
    # The reference video went with the exercise; nothing of it is queued for removal.
    reference = api.get(f"/api/v1/exercises/{exercise['id']}", successor).json()
    assert reference["reference_video_id"] is not None
    assert not any(reference["reference_video_id"] in p["prefix"] for p in delete_jobs(api))
    r = api.post(
        f"/api/v1/threads/{thread['id']}/comments",
        successor,
        json={"video_id": attempt["video"]["id"], "t_start_ms": 0, "t_end_ms": 1, "body": "Hi"},
    )
    assert r.status_code == 201, r.text


def test_without_a_successor_a_coachs_exercises_are_archived_as_read_only_history(
    api: Api,
) -> None:
    coach, learner, exercise, thread, _ = coaching(api)
    public = api.exercise(coach, visibility="public", title="Open squat")

    r = api.post(DELETE, coach, json={"password": PASSWORD})

    assert r.status_code == 200, r.text
    assert r.json()["exercises_archived"] == 2
    seen = api.get(f"/api/v1/threads/{thread['id']}", learner).json()
    assert seen["read_only"] is True and seen["status"] == "archived"
    comments = api.get(f"/api/v1/threads/{thread['id']}/comments", learner).json()["items"]
    assert {c["body"] for c in comments} == {"Is my knee right?", "Push the knee out"}
    assert api.get(f"/api/v1/exercises/{public['id']}", learner).status_code == 404
    listed = api.get("/api/v1/exercises", api.signup("Someone")).json()["items"]
    assert public["id"] not in {e["id"] for e in listed}


def test_a_successor_must_be_another_active_account(api: Api) -> None:
    coach, *_ = coaching(api)
    for email in ("nobody@example.com", coach.email):
        r = api.post(DELETE, coach, json={"password": PASSWORD, "successor_email": email})
        assert r.status_code == 422 and error_code(r) == "no_successor", r.text
    assert api.get("/api/v1/auth/me", coach).status_code == 200


def test_the_media_objects_are_removed_by_the_worker_and_a_second_run_is_harmless(
    api: Api,
) -> None:
    _, learner, _, _, attempt = coaching(api)
    app: Any = api.client.app
    storage = app.state.storage
    video_id = attempt["video"]["id"]
    key = f"videos/{video_id}/original.mp4"
    storage.put_bytes(key, b"clip", "video/mp4")

    assert api.post(DELETE, learner, json={"password": PASSWORD}).status_code == 200
    worker = Worker(MediaContext(app.state.settings, app.state.sessions, StoragePort(storage)))
    api.client.portal.call(worker.run_until_idle)

    assert [k for k in storage.list_keys(f"videos/{video_id}/")] == []
    # The job again (a retry after a crash) finds nothing and succeeds.
    from practika.media.tasks import delete_objects

    payload = next(p for p in delete_jobs(api) if video_id in p["prefix"])
    api.client.portal.call(delete_objects, worker.ctx, payload)


def test_a_deleted_account_shows_anonymised_to_admins_and_cannot_be_reactivated(
    api: Api,
) -> None:
    _, learner, *_ = coaching(api)
    admin = api.signup("Root", admin=True)
    assert api.post(DELETE, learner, json={"password": PASSWORD}).status_code == 200

    users = api.get("/api/v1/admin/users", admin).json()["items"]
    tomb = next(u for u in users if u["id"] == learner.id)
    assert tomb["display_name"] == "Deleted account" and tomb["deleted_at"] is not None
    assert learner.email not in str(users)
    r = api.patch(f"/api/v1/admin/users/{learner.id}", admin, json={"is_active": True})
    assert r.status_code == 422

    async def row(db: Any) -> User:
        return await db.get(User, uuid.UUID(learner.id))

    assert api.run(row).is_active is False
