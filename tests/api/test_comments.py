"""Time-coded comments: ranges, replies, drawings, edits, deletes and polling."""

from __future__ import annotations

import uuid

import pytest

from tests.support import Api, World, attempt_body, error_code, exercise_body, thread_body


@pytest.fixture
def scene(api: Api):
    async def build(world: World):
        ana = await world.coach("Ana")
        leo = await world.learner("Leo", coached_by=ana)
        squat = await world.exercise(by=ana)  # on a 30 s reference
        thread = await world.thread(leo, squat)
        attempt = await world.attempt(thread, duration_ms=20_000)
        return (
            await world.signed_in(ana),
            await world.signed_in(leo),
            exercise_body(squat),
            thread_body(thread),
            attempt_body(attempt),
        )

    return api.world(build)


def comments_path(thread: dict) -> str:
    return f"/api/v1/threads/{thread['id']}/comments"


@pytest.mark.parametrize(
    ("start", "end", "status", "field"),
    [
        (-1, 10, 422, "t_start_ms"),
        (5000, 4000, 422, "t_end_ms"),  # named (it was "request": found by fuzzing)
        (0, 20_001, 422, "t_end_ms"),
        ("soon", 10, 422, "t_start_ms"),
        (1.5, 10, 422, "t_start_ms"),
    ],
)
def test_bad_timecodes_are_rejected_and_nothing_is_stored(
    api: Api, scene, start, end, status, field
) -> None:
    coach, learner, _, thread, attempt = scene
    body = {"video_id": attempt["video"]["id"], "t_start_ms": start, "t_end_ms": end, "body": "x"}
    r = api.post(comments_path(thread), learner, json=body)
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert error["code"] == "invalid"
    fields = (
        [d["field"] for d in error["details"]]
        if isinstance(error["details"], list)
        else [error["details"]["field"]]
    )
    assert field in fields
    assert api.get(comments_path(thread), learner).json()["items"] == []


def test_range_past_the_end_says_how_long_the_video_is(api: Api, scene) -> None:
    _, learner, _, thread, attempt = scene
    r = api.post(
        comments_path(thread),
        learner,
        json={
            "video_id": attempt["video"]["id"],
            "t_start_ms": 19_000,
            "t_end_ms": 25_000,
            "body": "x",
        },
    )
    assert r.status_code == 422
    assert "0:20.000" in r.json()["error"]["message"]
    assert r.json()["error"]["details"]["duration_ms"] == 20_000


def test_a_range_may_end_exactly_at_the_end(api: Api, scene) -> None:
    _, learner, _, thread, attempt = scene
    c = api.comment(
        learner, thread["id"], attempt["video"]["id"], t_start_ms=20_000, t_end_ms=20_000
    )
    assert (c["t_start_ms"], c["t_end_ms"]) == (20_000, 20_000)


def test_comment_on_the_reference_video_is_checked_against_its_own_length(api: Api, scene) -> None:
    coach, _, exercise, thread, _ = scene
    ok = api.comment(
        coach, thread["id"], exercise["reference_video_id"], t_start_ms=25_000, t_end_ms=29_000
    )
    assert ok["video_id"] == exercise["reference_video_id"]


def test_comment_on_a_video_outside_the_thread_is_refused(api: Api, scene) -> None:
    coach, learner, _, thread, _ = scene
    foreign = api.ready_video(learner)
    r = api.post(
        comments_path(thread),
        learner,
        json={"video_id": foreign, "t_start_ms": 0, "t_end_ms": 1, "body": "x"},
    )
    assert r.status_code == 422
    assert r.json()["error"]["details"]["field"] == "video_id"


def test_comment_on_an_unprocessed_video_waits_for_its_duration(api: Api, scene) -> None:
    from sqlalchemy import update

    from practika.domain.videos import Video

    _, learner, _, thread, attempt = scene

    async def unprocess(db):
        await db.execute(
            update(Video)
            .where(Video.id == uuid.UUID(attempt["video"]["id"]))
            .values(duration_ms=None)
        )
        await db.commit()

    api.run(unprocess)
    r = api.post(
        comments_path(thread),
        learner,
        json={"video_id": attempt["video"]["id"], "t_start_ms": 0, "t_end_ms": 1, "body": "x"},
    )
    assert r.status_code == 409
    assert error_code(r) == "video_not_ready"


@pytest.mark.parametrize(
    "body",
    [
        {"body": ""},
        {"body": "   "},
        {"body": "x" * 5001},
        {"kind": "praise"},
        {"tags": ["t"] * 11},
        {"unknown_field": 1},
        {"drawing": {"shapes": [{"type": "line", "points": [[0.1, 1.5]]}]}},
        {"drawing": {"shapes": [{"type": "blob", "points": [[0.1, 0.2]]}]}},
        {"drawing": {"shapes": []}},
    ],
)
def test_invalid_comment_bodies_get_field_errors(api: Api, scene, body) -> None:
    _, learner, _, thread, attempt = scene
    payload = {"video_id": attempt["video"]["id"], "t_start_ms": 0, "t_end_ms": 10, "body": "ok"}
    payload.update(body)
    r = api.post(comments_path(thread), learner, json=payload)
    assert r.status_code == 422, r.text
    assert error_code(r) == "invalid"
    assert r.json()["error"]["details"]


def test_reply_with_a_drawing_round_trips(api: Api, scene) -> None:
    coach, learner, _, thread, attempt = scene
    question = api.comment(
        learner, thread["id"], attempt["video"]["id"], body="Knee?", kind="question"
    )
    drawing = {
        "shapes": [
            {"type": "arrow", "points": [[0.1, 0.2], [0.3, 0.4]], "color": "#00ff00", "width": 0.01}
        ],
        "frame_ms": 1500,
    }
    reply = api.comment(
        coach,
        thread["id"],
        attempt["video"]["id"],
        body="Knee out",
        kind="correction",
        reply_to_id=question["id"],
        drawing=drawing,
        tags=["knee"],
    )
    assert reply["reply_to_id"] == question["id"]
    assert reply["drawing"] == {**drawing, "measures": [], "compare": None}
    assert reply["author"]["display_name"] == "Ana"


def test_reply_to_a_comment_of_another_thread_is_refused(api: Api, scene) -> None:
    coach, learner, _, thread, attempt = scene
    other_ex = api.exercise(coach, title="Other")
    other_thread = api.thread(learner, other_ex["id"])
    other_attempt = api.attempt(learner, other_thread["id"])
    elsewhere = api.comment(learner, other_thread["id"], other_attempt["video"]["id"])
    r = api.post(
        comments_path(thread),
        learner,
        json={
            "video_id": attempt["video"]["id"],
            "t_start_ms": 0,
            "t_end_ms": 1,
            "body": "x",
            "reply_to_id": elsewhere["id"],
        },
    )
    assert r.status_code == 422


def test_edits_and_deletes_keep_history(api: Api, scene) -> None:
    _, learner, _, thread, attempt = scene
    c = api.comment(learner, thread["id"], attempt["video"]["id"], body="first words")
    r = api.patch(
        f"/api/v1/comments/{c['id']}", learner, json={"body": "second words", "t_end_ms": 3000}
    )
    assert r.status_code == 200
    assert r.json()["edited_at"] is not None and r.json()["t_end_ms"] == 3000
    d = api.delete(f"/api/v1/comments/{c['id']}", learner)
    assert d.status_code == 200
    assert d.json()["deleted_at"] is not None and d.json()["body"] == ""
    history = api.get(f"/api/v1/comments/{c['id']}/history", learner).json()
    assert [(h["action"], h["body"]) for h in history] == [
        ("edit", "first words"),
        ("delete", "second words"),
    ]
    # The deleted comment stays in the thread, so replies keep their place.
    listed = api.get(comments_path(thread), learner).json()["items"]
    assert [x["id"] for x in listed] == [c["id"]]
    assert (
        api.patch(f"/api/v1/comments/{c['id']}", learner, json={"body": "again"}).status_code == 409
    )


def test_edit_cannot_move_the_range_past_the_end(api: Api, scene) -> None:
    _, learner, _, thread, attempt = scene
    c = api.comment(learner, thread["id"], attempt["video"]["id"])
    r = api.patch(f"/api/v1/comments/{c['id']}", learner, json={"t_end_ms": 99_000})
    assert r.status_code == 422
    assert api.get(f"/api/v1/comments/{c['id']}", learner).json()["t_end_ms"] == 2000


def test_explicit_null_for_a_required_field_is_refused(api: Api, scene) -> None:
    _, learner, _, thread, attempt = scene
    c = api.comment(learner, thread["id"], attempt["video"]["id"])
    r = api.patch(f"/api/v1/comments/{c['id']}", learner, json={"body": None})
    assert r.status_code == 422
    assert "cannot be null" in r.json()["error"]["message"]
    assert [d["field"] for d in r.json()["error"]["details"]] == ["body"]  # named


def test_polling_with_since_returns_only_changes(api: Api, scene) -> None:
    coach, learner, _, thread, attempt = scene
    old = api.comment(learner, thread["id"], attempt["video"]["id"], body="old")
    first = api.get(comments_path(thread), coach).json()
    since = first["server_time"]
    assert [c["id"] for c in first["items"]] == [old["id"]]
    assert api.get(comments_path(thread), coach, params={"since": since}).json()["items"] == []
    new = api.comment(coach, thread["id"], attempt["video"]["id"], body="new")
    api.patch(f"/api/v1/comments/{old['id']}", learner, json={"body": "old, edited"})
    changed = api.get(comments_path(thread), coach, params={"since": since}).json()["items"]
    assert {c["id"] for c in changed} == {old["id"], new["id"]}


def test_video_comments_come_in_timeline_order(api: Api, scene) -> None:
    coach, learner, _, thread, attempt = scene
    vid = attempt["video"]["id"]
    for start in (9000, 1000, 5000):
        api.comment(learner, thread["id"], vid, t_start_ms=start, t_end_ms=start + 500)
    items = api.get(f"/api/v1/videos/{vid}/comments", coach).json()["items"]
    assert [c["t_start_ms"] for c in items] == [1000, 5000, 9000]


def test_reference_video_comments_from_other_learners_stay_private(api: Api, scene) -> None:
    coach, learner, exercise, thread, _ = scene
    other = api.signup("Olga")
    api.link(coach, other)
    other_thread = api.thread(other, exercise["id"])
    ref = exercise["reference_video_id"]
    api.comment(other, other_thread["id"], ref, body="olga's private question")
    api.comment(learner, thread["id"], ref, body="leo's question")
    seen_by_leo = api.get(f"/api/v1/videos/{ref}/comments", learner).json()["items"]
    assert [c["body"] for c in seen_by_leo] == ["leo's question"]
    seen_by_coach = api.get(f"/api/v1/videos/{ref}/comments", coach).json()["items"]
    assert len(seen_by_coach) == 2


def test_comments_notify_the_other_side(api: Api, scene) -> None:
    coach, learner, _, thread, attempt = scene
    api.comment(learner, thread["id"], attempt["video"]["id"], body="Is this right?")
    api.comment(coach, thread["id"], attempt["video"]["id"], body="Almost")
    coach_kinds = [n["kind"] for n in api.get("/api/v1/notifications", coach).json()["items"]]
    learner_kinds = [n["kind"] for n in api.get("/api/v1/notifications", learner).json()["items"]]
    assert coach_kinds == ["learner_comment", "attempt", "invite_accepted"]
    assert learner_kinds == ["feedback"]
    feedback = api.get("/api/v1/notifications", learner).json()["items"][0]
    assert feedback["payload"]["thread_id"] == thread["id"]
    assert api.get("/api/v1/notifications/unread-count", learner).json() == {"unread": 1}
    assert api.post("/api/v1/notifications/read", learner, json={}).json() == {"unread": 0}
