"""The coach's inbox (sort, filters, counts, mark reviewed), notifications with context
(issue 16, defect 9) and the coach's page of one learner."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import Api, Person, World, error_code


@pytest.fixture
def scene(api: Api) -> tuple[Person, Person, dict[str, Any]]:
    async def build(world: World) -> tuple[Person, Person, dict[str, Any]]:
        nora = await world.coach("Nora")
        leo = await world.learner("Leo", coached_by=nora)
        squat = await world.exercise(by=nora, visibility="private", title="Goblet squat")
        return await world.signed_in(nora), await world.signed_in(leo), {"id": str(squat.id)}

    return api.world(build)


def test_feedback_notification_names_the_exercise_the_moment_and_a_snippet(api: Api, scene) -> None:
    coach, learner, exercise = scene
    thread = api.thread(learner, exercise["id"])
    attempt = api.attempt(learner, thread["id"])
    body = "Knees out over the toes at the bottom, and keep the chest up " * 4
    api.comment(
        coach, thread["id"], attempt["video"]["id"], t_start_ms=6120, t_end_ms=7000, body=body
    )
    [note] = [n for n in api.get("/api/v1/notifications", learner).json()["items"]]
    assert note["kind"] == "feedback"
    assert note["exercise_title"] == "Goblet squat"
    assert note["actor_name"] == "Nora"
    assert note["t_ms"] == 6120
    assert note["thread_id"] == thread["id"]
    assert note["attempt_id"] == attempt["id"]
    assert note["video_id"] == attempt["video"]["id"]
    assert note["snippet"].startswith("Knees out over the toes")
    assert len(note["snippet"]) <= 141 and note["snippet"].endswith("…")


def test_a_comment_on_the_reference_video_has_no_attempt(api: Api, scene) -> None:
    coach, learner, _ = scene
    exercise = api.exercise(coach, title="Kata", reference_video_id=api.ready_video(coach))
    thread = api.thread(learner, exercise["id"])
    api.comment(learner, thread["id"], exercise["reference_video_id"], body="Why the pause?")
    notes = api.get("/api/v1/notifications", coach).json()["items"]
    [note] = [n for n in notes if n["kind"] == "learner_comment"]
    assert note["attempt_id"] is None
    assert note["exercise_title"] == "Kata"
    assert note["snippet"] == "Why the pause?"


def test_mark_reviewed_clears_the_inbox_without_a_comment(api: Api, scene) -> None:
    coach, learner, exercise = scene
    thread = api.thread(learner, exercise["id"])
    api.attempt(learner, thread["id"])
    inbox = {"role": "coach", "awaiting_feedback": True}
    assert [t["id"] for t in api.get("/api/v1/threads", coach, params=inbox).json()["items"]] == [
        thread["id"]
    ]
    r = api.post(f"/api/v1/threads/{thread['id']}/reviewed", learner)
    assert r.status_code == 403 and error_code(r) == "forbidden"
    r = api.post(f"/api/v1/threads/{thread['id']}/reviewed", coach)
    assert r.status_code == 200, r.text
    assert r.json()["awaiting_feedback"] is False
    assert api.get("/api/v1/threads", coach, params=inbox).json()["items"] == []
    comments = api.get(f"/api/v1/threads/{thread['id']}/comments", coach).json()["items"]
    assert comments == []
    api.attempt(learner, thread["id"])  # a new attempt brings it back
    assert len(api.get("/api/v1/threads", coach, params=inbox).json()["items"]) == 1


def test_the_inbox_sorts_waiting_longest_first_and_filters(api: Api, scene) -> None:
    coach, learner, exercise = scene
    other = api.signup("Mia")
    api.link(coach, other)
    second = api.exercise(coach, visibility="private", title="Lunge")
    first_thread = api.thread(learner, exercise["id"])
    api.attempt(learner, first_thread["id"])  # waiting longest
    mia_thread = api.thread(other, second["id"])
    api.attempt(other, mia_thread["id"])
    api.attempt(other, mia_thread["id"])
    leo_lunge = api.thread(learner, second["id"])
    api.attempt(learner, leo_lunge["id"])  # the newest

    def ids(**params: Any) -> list[str]:
        r = api.get("/api/v1/threads", coach, params={"role": "coach", **params})
        assert r.status_code == 200, r.text
        return [t["id"] for t in r.json()["items"]]

    assert ids(awaiting_feedback=True) == [leo_lunge["id"], mia_thread["id"], first_thread["id"]]
    assert ids(awaiting_feedback=True, sort="waiting") == [
        first_thread["id"],
        mia_thread["id"],
        leo_lunge["id"],
    ]
    assert ids(sort="waiting", limit=2) == [first_thread["id"], mia_thread["id"]]
    page = api.get("/api/v1/threads", coach, params={"sort": "waiting", "limit": 2}).json()
    rest = api.get(
        "/api/v1/threads", coach, params={"sort": "waiting", "cursor": page["next_cursor"]}
    ).json()
    assert [t["id"] for t in rest["items"]] == [leo_lunge["id"]]
    assert ids(exercise_id=second["id"], sort="waiting") == [mia_thread["id"], leo_lunge["id"]]
    assert ids(learner_id=other.id) == [mia_thread["id"]]
    counts = {
        t["id"]: t["attempt_count"]
        for t in api.get("/api/v1/threads", coach, params={"role": "coach"}).json()["items"]
    }
    assert counts == {first_thread["id"]: 1, mia_thread["id"]: 2, leo_lunge["id"]: 1}


def test_the_learner_page_shows_their_threads_attempts_sessions_and_progress(
    api: Api, scene
) -> None:
    coach, learner, exercise = scene
    thread = api.thread(learner, exercise["id"])
    attempt = api.attempt(learner, thread["id"])
    session = api.post("/api/v1/sessions", learner, json={"exercise_id": exercise["id"]}).json()
    r = api.patch(
        f"/api/v1/sessions/{session['id']}", learner, json={"rpe": 7, "notes": "Heavy today"}
    )
    assert r.status_code == 200, r.text
    # Another coach's private exercise stays out of this coach's view of the learner.
    rival = api.signup("Bruno")
    api.link(rival, learner)
    secret = api.exercise(rival, visibility="private", title="Secret drill")
    api.attempt(learner, api.thread(learner, secret["id"])["id"])

    page = api.get(f"/api/v1/learners/{learner.id}", coach)
    assert page.status_code == 200, page.text
    body = page.json()
    assert body["learner"]["display_name"] == "Leo"
    assert [t["id"] for t in body["threads"]] == [thread["id"]]
    assert body["threads"][0]["attempt_count"] == 1
    assert [a["id"] for a in body["recent_attempts"]] == [attempt["id"]]
    assert [(s["rpe"], s["notes"]) for s in body["sessions"]] == [(7, "Heavy today")]
    assert [e["title"] for e in body["progress"]["attempts_per_exercise"]] == ["Goblet squat"]
    # A stranger (even another learner of a different coach) is told it does not exist.
    stranger = api.signup("Olga")
    assert api.get(f"/api/v1/learners/{learner.id}", stranger).status_code == 404
    assert api.get(f"/api/v1/learners/{stranger.id}", coach).status_code == 404
