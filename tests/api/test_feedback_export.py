"""A thread's feedback as CSV, JSON and WebVTT: the timecodes, kinds, text and tools of
what was said, for whoever may read the thread, and nothing deleted."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from tests.support import Api, World, error_code, thread_body

ANGLE = {"type": "angle", "points": [[0.5, 0.1], [0.5, 0.5], [0.9, 0.5]]}


@pytest.fixture
def scene(api: Api):
    async def build(world: World) -> tuple[Any, ...]:
        ana = await world.coach("Ana")
        leo = await world.learner("Leo", coached_by=ana)
        squat = await world.exercise(by=ana, title="Goblet squat")
        thread = await world.thread(leo, squat)
        attempt = await world.attempt(thread, duration_ms=20_000)
        await world.comment(
            ana,
            attempt,
            at_ms=(12_400, 14_800),
            body="Knees out, over the toes",
            kind="correction",
            drawing={"measures": [ANGLE]},
        )
        await world.comment(
            leo,
            attempt,
            at_ms=(3_000, 3_000),
            body='=HYPERLINK("x")\n\nsecond line --> here',
            kind="question",
        )
        gone = await world.comment(ana, attempt, body="Never mind")
        await world.delete_comment(ana, gone)
        coach, learner = await world.signed_in(ana), await world.signed_in(leo)
        return coach, learner, thread_body(thread), str(attempt.video_id)

    return api.world(build)


def export(api: Api, who, thread, fmt: str, **params):
    return api.get(f"/api/v1/threads/{thread['id']}/feedback/{fmt}", who, params=params)


def test_csv_lists_each_comment_in_timeline_order_with_its_tools(api: Api, scene) -> None:
    _, learner, thread, video = scene
    r = export(api, learner, thread, "csv")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    assert 'filename="feedback-goblet-squat.csv"' in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["start"] for row in rows] == ["00:00:03.000", "00:00:12.400"]
    question, correction = rows
    assert correction["end"] == "00:00:14.800" and correction["kind"] == "correction"
    assert correction["text"] == "Knees out, over the toes"
    assert correction["tools"].endswith("°") and correction["video"] == "attempt 1"
    # Text a spreadsheet would run as a formula stays text.
    assert question["text"].startswith("'=HYPERLINK")
    assert "Never mind" not in r.text


def test_json_carries_the_tools_geometry_and_their_labels(api: Api, scene) -> None:
    coach, _, thread, video = scene
    body = export(api, coach, thread, "json", video_id=video).json()
    assert body["exercise"] == "Goblet squat" and body["video_id"] == video
    correction = body["comments"][1]
    assert correction["measures"][0]["points"] == ANGLE["points"]
    assert correction["tools"] == ["90.0°"]  # axis-aligned rays: square at any aspect


def test_webvtt_captions_one_video_and_keep_cues_intact(api: Api, scene) -> None:
    _, learner, thread, video = scene
    r = export(api, learner, thread, "vtt", video_id=video)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/vtt")
    cues = r.text.split("\n\n")
    assert cues[0] == "WEBVTT"
    first = cues[1].splitlines()
    # A single moment shows for one second; a blank line or an arrow cannot split a cue.
    assert first[1] == "00:00:03.000 --> 00:00:04.000"
    assert first[2].startswith("Leo (question): =HYPERLINK")
    assert first[3] == "second line → here"
    second = cues[2].splitlines()
    assert second[1] == "00:00:12.400 --> 00:00:14.800"
    assert second[3] == "90.0°"


def test_webvtt_without_a_video_is_a_clear_422(api: Api, scene) -> None:
    _, learner, thread, _ = scene
    r = export(api, learner, thread, "vtt")
    assert r.status_code == 422
    assert "video_id" in r.json()["error"]["message"]


def test_a_video_of_another_thread_or_an_unknown_format_is_refused(api: Api, scene) -> None:
    coach, learner, thread, _ = scene
    stranger = api.ready_video(api.signup("Eve"))
    r = export(api, learner, thread, "csv", video_id=stranger)
    assert r.status_code == 422 and error_code(r) == "invalid"
    assert export(api, learner, thread, "xlsx").status_code == 422


def test_only_those_who_may_read_the_thread_can_export_it(api: Api, scene) -> None:
    _, _, thread, _ = scene
    assert export(api, None, thread, "csv").status_code == 401
    assert export(api, api.signup("Eve"), thread, "json").status_code == 404
