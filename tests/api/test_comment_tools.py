"""Measuring tools and saved compare views on comments: stored as sent, read back alike,
and refused with a 422 naming the field when their geometry or times do not fit."""

from __future__ import annotations

import pytest

from tests.support import Api, World, attempt_body, error_code, thread_body


@pytest.fixture
def scene(api: Api):
    async def build(world: World):
        ana = await world.coach("Ana")
        leo = await world.learner("Leo", coached_by=ana)
        squat = await world.exercise(by=ana)  # on a 30 s reference
        thread = await world.thread(leo, squat)
        first = await world.attempt(thread, duration_ms=20_000)
        second = await world.attempt(thread, duration_ms=10_000)
        return (
            await world.signed_in(ana),
            await world.signed_in(leo),
            thread_body(thread),
            attempt_body(first),
            attempt_body(second),
            str(squat.reference_video_id),
        )

    return api.world(build)


ANGLE = {"type": "angle", "points": [[0.5, 0.1], [0.5, 0.5], [0.9, 0.5]], "color": "#ffd60a"}
RULER = {"type": "ruler", "points": [[0.1, 0.5], [0.3, 0.5]], "metres": 1.0, "color": "#ffffff"}
LINE = {"type": "line", "points": [[0.1, 0.2], [0.5, 0.2]], "color": "#30d158"}
STOPWATCH = {
    "type": "stopwatch",
    "start_ms": 1000,
    "end_ms": 1500,
    "laps": [1200],
    "color": "#ff3b30",
}


def post(api: Api, who, thread, video_id: str, drawing: dict):
    body = {
        "video_id": video_id,
        "t_start_ms": 1000,
        "t_end_ms": 1000,
        "body": "Look here",
        "drawing": drawing,
    }
    return api.post(f"/api/v1/threads/{thread['id']}/comments", who, json=body)


def test_every_measuring_tool_round_trips_with_the_comment(api: Api, scene) -> None:
    coach, learner, thread, first, *_ = scene
    drawing = {"measures": [ANGLE, RULER, LINE, STOPWATCH], "frame_ms": 1000}
    r = post(api, coach, thread, first["video"]["id"], drawing)
    assert r.status_code == 201, r.text
    saved = r.json()["drawing"]
    assert saved["measures"] == [ANGLE, RULER, LINE, STOPWATCH]
    assert saved["shapes"] == [] and saved["compare"] is None
    # The learner reads the same geometry.
    listed = api.get(f"/api/v1/threads/{thread['id']}/comments", learner).json()["items"]
    assert listed[0]["drawing"]["measures"][0]["points"] == ANGLE["points"]


def test_a_compare_view_of_two_attempts_is_saved_for_the_learner(api: Api, scene) -> None:
    coach, learner, thread, first, second, _ = scene
    view = {
        "other_video_id": second["video"]["id"],
        "sync_ms": 1500,
        "other_sync_ms": 800,
        "mode": "overlay",
        "opacity": 0.4,
        "swipe": "vertical",
        "split": 0.3,
    }
    r = post(api, coach, thread, first["video"]["id"], {"compare": view})
    assert r.status_code == 201, r.text
    got = api.get(f"/api/v1/comments/{r.json()['id']}", learner).json()["drawing"]["compare"]
    assert got == view


@pytest.mark.parametrize(
    ("drawing", "field"),
    [
        ({"measures": [{**STOPWATCH, "end_ms": 20_001}]}, "drawing.measures.0.end_ms"),
        ({"measures": [{**STOPWATCH, "laps": [999]}]}, None),
        ({"measures": [ANGLE], "frame_ms": 25_000}, "drawing.frame_ms"),
        ({"measures": [{**ANGLE, "points": [[0.5, 0.1], [0.5, 0.5]]}]}, None),
        ({"measures": [{**ANGLE, "points": [[0.5, 0.1], [0.5, 1.01], [0.1, 0.1]]}]}, None),
        ({"measures": [{**LINE, "points": [[0.1, 0.1]] * 500}]}, None),
        ({"measures": [LINE] * 21}, None),
        ({"measures": [{**RULER, "metres": -1}]}, None),
    ],
)
def test_bad_tool_geometry_is_a_422_and_nothing_is_stored(api: Api, scene, drawing, field) -> None:
    coach, _, thread, first, *_ = scene
    r = post(api, coach, thread, first["video"]["id"], drawing)
    assert r.status_code == 422, r.text
    assert error_code(r) == "invalid"
    details = r.json()["error"]["details"]
    if field:
        assert details["field"] == field
        assert details["duration_ms"] == 20_000
    assert api.get(f"/api/v1/threads/{thread['id']}/comments", coach).json()["items"] == []


def test_a_compare_view_must_line_up_videos_of_this_thread(api: Api, scene) -> None:
    coach, learner, thread, first, second, reference = scene
    stranger = api.ready_video(api.signup("Eve"), 30_000)
    base = {"sync_ms": 1000, "other_sync_ms": 1000}
    cases = [
        ({**base, "other_video_id": stranger}, "drawing.compare.other_video_id"),
        ({**base, "other_video_id": first["video"]["id"]}, "drawing.compare.other_video_id"),
        (
            {**base, "other_video_id": second["video"]["id"], "other_sync_ms": 10_001},
            "drawing.compare.other_sync_ms",
        ),
        ({**base, "other_video_id": reference, "sync_ms": 20_001}, "drawing.compare.sync_ms"),
    ]
    for view, field in cases:
        r = post(api, coach, thread, first["video"]["id"], {"compare": view})
        assert r.status_code == 422, (view, r.text)
        assert r.json()["error"]["details"]["field"] == field
    # The reference, at a moment inside it, is fine.
    ok = post(
        api,
        coach,
        thread,
        first["video"]["id"],
        {"compare": {**base, "other_video_id": reference, "other_sync_ms": 29_000}},
    )
    assert ok.status_code == 201, ok.text


def test_an_edit_with_bad_tool_times_keeps_the_comment_as_it_was(api: Api, scene) -> None:
    coach, _, thread, first, *_ = scene
    made = post(api, coach, thread, first["video"]["id"], {"measures": [ANGLE]}).json()
    bad = {
        "drawing": {"measures": [{**STOPWATCH, "start_ms": 19_000, "end_ms": 21_000, "laps": []}]}
    }
    r = api.patch(f"/api/v1/comments/{made['id']}", coach, json=bad)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["details"]["field"] == "drawing.measures.0.end_ms"
    kept = api.get(f"/api/v1/comments/{made['id']}", coach).json()
    assert kept["drawing"]["measures"][0]["type"] == "angle" and kept["edited_at"] is None
    good = {"drawing": {"measures": [STOPWATCH]}}
    assert api.patch(f"/api/v1/comments/{made['id']}", coach, json=good).status_code == 200


def test_drawings_saved_before_the_tools_still_read(api: Api, scene) -> None:
    coach, _, thread, first, *_ = scene
    shapes = [
        {"type": "arrow", "points": [[0.1, 0.2], [0.3, 0.4]], "color": "#00ff00", "width": 0.01}
    ]
    r = post(api, coach, thread, first["video"]["id"], {"shapes": shapes})
    assert r.status_code == 201
    assert r.json()["drawing"] == {
        "shapes": shapes,
        "measures": [],
        "compare": None,
        "frame_ms": None,
    }
