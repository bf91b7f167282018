"""Practice threads: one per learner and exercise; attempts; the coach's inbox."""

from __future__ import annotations

import pytest

from tests.support import Api, World, error_code


@pytest.fixture
def scene(api: Api):
    async def build(world: World):
        ana = await world.coach("Ana")
        leo = await world.learner("Leo", coached_by=ana)
        squat = await world.exercise(by=ana, visibility="private")
        return await world.signed_in(ana), await world.signed_in(leo), {"id": str(squat.id)}

    return api.world(build)


def test_a_second_thread_on_the_same_exercise_is_a_conflict_naming_the_first(
    api: Api, scene
) -> None:
    _, learner, exercise = scene
    first = api.thread(learner, exercise["id"])
    r = api.post("/api/v1/threads", learner, json={"exercise_id": exercise["id"]})
    assert r.status_code == 409
    assert error_code(r) == "thread_exists"
    assert r.json()["error"]["details"]["thread_id"] == first["id"]


def test_thread_on_a_private_exercise_of_an_unlinked_coach_is_not_found(api: Api, scene) -> None:
    _, _, exercise = scene
    stranger = api.signup("Olga")
    r = api.post("/api/v1/threads", stranger, json={"exercise_id": exercise["id"]})
    assert r.status_code == 404


def test_inbox_shows_threads_awaiting_feedback_until_the_coach_answers(api: Api, scene) -> None:
    coach, learner, exercise = scene
    thread = api.thread(learner, exercise["id"])

    def inbox() -> list[str]:
        r = api.get("/api/v1/threads", coach, params={"role": "coach", "awaiting_feedback": True})
        return [t["id"] for t in r.json()["items"]]

    assert inbox() == []
    attempt = api.attempt(learner, thread["id"])
    assert inbox() == [thread["id"]]
    api.comment(coach, thread["id"], attempt["video"]["id"], body="Good depth")
    assert inbox() == []
    api.comment(learner, thread["id"], attempt["video"]["id"], body="Thanks! And this?")
    assert inbox() == [thread["id"]]
    t = api.get(f"/api/v1/threads/{thread['id']}", coach).json()
    assert t["awaiting_feedback"] is True
    assert t["exercise"]["id"] == exercise["id"]


def test_attempt_needs_the_learners_own_video(api: Api, scene) -> None:
    coach, learner, exercise = scene
    thread = api.thread(learner, exercise["id"])
    someone_elses = api.ready_video(coach)
    r = api.post(
        f"/api/v1/threads/{thread['id']}/attempts", learner, json={"video_id": someone_elses}
    )
    assert r.status_code == 422
    assert r.json()["error"]["details"]["field"] == "video_id"


def test_the_same_video_cannot_be_two_attempts(api: Api, scene) -> None:
    _, learner, exercise = scene
    thread = api.thread(learner, exercise["id"])
    attempt = api.attempt(learner, thread["id"])
    r = api.post(
        f"/api/v1/threads/{thread['id']}/attempts",
        learner,
        json={"video_id": attempt["video"]["id"]},
    )
    assert r.status_code == 409
    assert len(api.get(f"/api/v1/threads/{thread['id']}/attempts", learner).json()["items"]) == 1


def test_archived_thread_takes_no_new_attempts_until_reopened(api: Api, scene) -> None:
    _, learner, exercise = scene
    thread = api.thread(learner, exercise["id"])
    api.patch(f"/api/v1/threads/{thread['id']}", learner, json={"status": "archived"})
    video = api.ready_video(learner)
    r = api.post(f"/api/v1/threads/{thread['id']}/attempts", learner, json={"video_id": video})
    assert r.status_code == 409 and error_code(r) == "thread_archived"
    api.patch(f"/api/v1/threads/{thread['id']}", learner, json={"status": "open"})
    r = api.post(f"/api/v1/threads/{thread['id']}/attempts", learner, json={"video_id": video})
    assert r.status_code == 201


def test_deleting_an_attempt_removes_its_comments(api: Api, scene) -> None:
    coach, learner, exercise = scene
    thread = api.thread(learner, exercise["id"])
    attempt = api.attempt(learner, thread["id"])
    api.comment(coach, thread["id"], attempt["video"]["id"])
    assert api.delete(f"/api/v1/attempts/{attempt['id']}", learner).status_code == 204
    assert api.get(f"/api/v1/threads/{thread['id']}/comments", learner).json()["items"] == []
    assert api.get(f"/api/v1/videos/{attempt['video']['id']}", learner).status_code == 404


def test_bad_thread_filters_are_clear_errors(api: Api, scene) -> None:
    _, learner, _ = scene
    r = api.get("/api/v1/threads", learner, params={"role": "boss"})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "role"
