"""Practice sessions and the progress summary."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.support import Api


@pytest.fixture
def plan(api: Api):
    coach, learner = api.signup("Ana"), api.signup("Leo")
    a, b = api.exercise(coach, title="Squat"), api.exercise(coach, title="Lunge")
    p = api.post("/api/v1/playlists", coach, json={"title": "Legs", "visibility": "public"}).json()
    for e in (a, b):
        p = api.post(
            f"/api/v1/playlists/{p['id']}/items",
            coach,
            json={"exercise_id": e["id"], "sets": 3, "reps": 10},
        ).json()
    return coach, learner, p, (a, b)


def test_running_a_playlist_marks_items_done(api: Api, plan) -> None:
    _, learner, p, (a, b) = plan
    s = api.post("/api/v1/sessions", learner, json={"playlist_id": p["id"]}).json()
    for item in p["items"]:
        r = api.post(
            f"/api/v1/sessions/{s['id']}/items",
            learner,
            json={"playlist_item_id": item["id"], "sets_done": 3, "reps_done": 10},
        )
        assert r.status_code == 201
    done = api.patch(f"/api/v1/sessions/{s['id']}", learner, json={"rpe": 7}).json()
    assert [i["exercise_id"] for i in done["items"]] == [a["id"], b["id"]]
    assert done["ended_at"] is not None and done["rpe"] == 7
    assert (
        api.post(
            f"/api/v1/sessions/{s['id']}/items",
            learner,
            json={"playlist_item_id": p["items"][0]["id"]},
        ).status_code
        == 409
    )


def test_an_abandoned_run_is_found_to_resume(api: Api, plan) -> None:
    coach, learner, p, _ = plan
    first = api.post("/api/v1/sessions", learner, json={"playlist_id": p["id"]}).json()
    item = p["items"][0]
    api.post(
        f"/api/v1/sessions/{first['id']}/items", learner, json={"playlist_item_id": item["id"]}
    )
    api.post("/api/v1/sessions", learner, json={"exercise_id": item["exercise_id"]})
    finished = api.post("/api/v1/sessions", learner, json={"playlist_id": p["id"]}).json()
    api.patch(f"/api/v1/sessions/{finished['id']}", learner, json={"rpe": 5})

    def resumable(who):  # type: ignore[no-untyped-def]
        r = api.get("/api/v1/sessions", who, params={"playlist_id": p["id"], "open": "true"})
        assert r.status_code == 200, r.text
        return r.json()["items"]

    found = resumable(learner)
    assert [s["id"] for s in found] == [first["id"]]
    assert [i["playlist_item_id"] for i in found[0]["items"]] == [item["id"]]
    assert resumable(coach) == []  # sessions are their owner's alone
    # Resuming is recording into it; finishing it leaves nothing to resume.
    r = api.post(
        f"/api/v1/sessions/{first['id']}/items",
        learner,
        json={"playlist_item_id": p["items"][1]["id"]},
    )
    assert r.status_code == 201, r.text
    api.patch(f"/api/v1/sessions/{first['id']}", learner, json={"rpe": 6})
    assert resumable(learner) == []


def test_session_needs_exactly_one_subject(api: Api, plan) -> None:
    _, learner, p, (a, _) = plan
    assert api.post("/api/v1/sessions", learner, json={}).status_code == 422
    both = {"playlist_id": p["id"], "exercise_id": a["id"]}
    assert api.post("/api/v1/sessions", learner, json=both).status_code == 422


def test_item_from_another_playlist_is_refused(api: Api, plan) -> None:
    coach, learner, p, (a, _) = plan
    s = api.post("/api/v1/sessions", learner, json={"exercise_id": a["id"]}).json()
    r = api.post(
        f"/api/v1/sessions/{s['id']}/items", learner, json={"playlist_item_id": p["items"][0]["id"]}
    )
    assert r.status_code == 422


def test_session_cannot_end_before_it_starts(api: Api, plan) -> None:
    _, learner, _, (a, _) = plan
    s = api.post("/api/v1/sessions", learner, json={"exercise_id": a["id"]}).json()
    before = (datetime.fromisoformat(s["started_at"]) - timedelta(hours=1)).isoformat()
    r = api.patch(f"/api/v1/sessions/{s['id']}", learner, json={"ended_at": before})
    assert r.status_code == 422
    assert api.patch(f"/api/v1/sessions/{s['id']}", learner, json={"rpe": 11}).status_code == 422


def test_progress_counts_minutes_streaks_attempts_and_feedback(api: Api, plan) -> None:
    coach, learner, _, (a, b) = plan
    now = datetime.now(UTC)
    for days_ago, minutes in ((0, 20), (1, 30), (2, 10), (6, 15)):
        start = now - timedelta(days=days_ago, minutes=minutes + 1)
        s = api.post(
            "/api/v1/sessions",
            learner,
            json={"exercise_id": a["id"], "started_at": start.isoformat()},
        ).json()
        api.patch(
            f"/api/v1/sessions/{s['id']}",
            learner,
            json={"ended_at": (start + timedelta(minutes=minutes)).isoformat()},
        )
    thread = api.thread(learner, a["id"])
    attempt = api.attempt(learner, thread["id"])
    api.attempt(learner, thread["id"])
    api.comment(coach, thread["id"], attempt["video"]["id"], body="Nice")
    api.comment(learner, thread["id"], attempt["video"]["id"], body="Thanks")

    p = api.get("/api/v1/progress", learner).json()
    # Sessions minutes before midnight UTC fall on the day before (the attempts are
    # today): the expected run follows the calendar days the data really has, counted
    # here independently of the service.
    days = {(now - timedelta(days=d, minutes=m + 1)).date() for d, m in ((0, 20), (1, 30), (2, 10))}
    days.add(now.date())
    run, day = 0, now.date()
    while day in days:
        run, day = run + 1, day - timedelta(days=1)
    # 3 for most of the day; near midnight UTC the sessions straddle days differently.
    assert p["current_streak_days"] == run
    assert p["longest_streak_days"] == run
    assert p["sessions_completed"] == 4
    assert sum(w["minutes"] for w in p["minutes_per_week"]) == 75
    assert len(p["minutes_per_week"]) == 12
    assert p["attempts_per_exercise"][0]["attempts"] == 2
    assert p["attempts_per_exercise"][0]["title"] == "Squat"
    assert p["feedback_received"] == 1
