"""An attempt is the coach's business only once its video is ready (issue 16, defect 3).

Through the real upload path and the real worker: a failed upload never notifies the
coach, never enters the inbox, never counts in progress, and its technical reason is
the learner's alone; the learner retries it (again from the kept original, or with a
new upload) or deletes it. A good upload attached while it is still processing is
announced by the worker, in the transaction that makes it ready.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from practika.domain.videos import Video, VideoStatus
from tests.media.conftest import MediaApi
from tests.support import Person, World, error_code, thread_body


@pytest.fixture
def scene(mapi: MediaApi) -> tuple[Person, Person, dict[str, Any]]:
    async def build(world: World) -> tuple[Person, Person, dict[str, Any]]:
        nora = await world.coach("Nora")
        leo = await world.learner("Leo", coached_by=nora)
        squat = await world.exercise(by=nora, visibility="private", title="Goblet squat")
        thread = await world.thread(leo, squat)
        return await world.signed_in(nora), await world.signed_in(leo), thread_body(thread)

    return mapi.world(build)


def _attach_unprocessed(mapi: MediaApi, learner: Person, thread: dict[str, Any], path: Path) -> Any:
    """Upload the way the web app does: attach the attempt right after completing."""
    video = mapi.upload(learner, path, process=False)
    r = mapi.post(
        f"/api/v1/threads/{thread['id']}/attempts",
        learner,
        json={"video_id": video["id"], "notes": "Felt the left knee cave in the second rep"},
    )
    assert r.status_code == 201, r.text
    return r.json()


def _notifications(mapi: MediaApi, who: Person) -> list[dict[str, Any]]:
    """What the person was told about attempts (the link's invite notice aside)."""
    items = mapi.get("/api/v1/notifications", who).json()["items"]
    return [n for n in items if n["kind"] == "attempt"]


def _inbox(mapi: MediaApi, coach: Person) -> list[str]:
    r = mapi.get("/api/v1/threads", coach, params={"role": "coach", "awaiting_feedback": True})
    return [t["id"] for t in r.json()["items"]]


def test_a_failed_upload_is_not_an_attempt_for_the_coach(
    mapi: MediaApi, scene, bad_clips: dict[str, tuple[Path, str]]
) -> None:
    coach, learner, thread = scene
    attempt = _attach_unprocessed(mapi, learner, thread, bad_clips["still image"][0])
    mapi.process()

    assert _notifications(mapi, coach) == []
    assert _inbox(mapi, coach) == []
    assert mapi.get(f"/api/v1/threads/{thread['id']}", coach).json()["awaiting_feedback"] is False
    # The coach sees neither the attempt nor its video, so no technical failure reason.
    coach_list = mapi.get(f"/api/v1/threads/{thread['id']}/attempts", coach).json()["items"]
    assert coach_list == []
    assert mapi.get(f"/api/v1/attempts/{attempt['id']}", coach).status_code == 404
    assert mapi.get(f"/api/v1/videos/{attempt['video']['id']}", coach).status_code == 404
    threads = mapi.get("/api/v1/threads", coach, params={"role": "coach"}).json()["items"]
    assert [t["attempt_count"] for t in threads] == [0]
    # Progress does not count it.
    progress = mapi.get("/api/v1/progress", learner).json()
    assert progress["attempts_per_exercise"] == []
    assert progress["practice_days"] == 0
    # The learner sees it, with the reason in words.
    mine = mapi.get(f"/api/v1/threads/{thread['id']}/attempts", learner).json()["items"]
    assert [a["id"] for a in mine] == [attempt["id"]]
    assert mine[0]["video"]["status"] == "failed"
    assert "still image" in mine[0]["video"]["failure_reason"]


def test_an_attempt_attached_while_processing_is_announced_when_ready(
    mapi: MediaApi, scene, clips: dict[str, Path]
) -> None:
    coach, learner, thread = scene
    attempt = _attach_unprocessed(mapi, learner, thread, clips["h264_aac"])
    assert _notifications(mapi, coach) == []  # not yet: it is still processing
    assert _inbox(mapi, coach) == []
    assert mapi.get(f"/api/v1/threads/{thread['id']}/attempts", coach).json()["items"] == []

    mapi.process()

    [note] = _notifications(mapi, coach)
    assert note["kind"] == "attempt"
    assert note["attempt_id"] == attempt["id"]
    assert note["exercise_title"] == "Goblet squat"
    assert note["actor_name"] == "Leo"
    assert note["snippet"] == "Felt the left knee cave in the second rep"
    assert _inbox(mapi, coach) == [thread["id"]]
    [listed] = mapi.get("/api/v1/threads", coach, params={"role": "coach"}).json()["items"]
    assert listed["attempt_count"] == 1
    assert listed["latest_video"]["id"] == attempt["video"]["id"]
    assert listed["latest_video"]["poster_url"]
    assert mapi.get(listed["latest_video"]["poster_url"]).status_code == 200
    attempts = mapi.get(f"/api/v1/threads/{thread['id']}/attempts", coach).json()["items"]
    assert [a["id"] for a in attempts] == [attempt["id"]]
    assert attempts[0]["video"]["sprite_url"]
    progress = mapi.get("/api/v1/progress", learner).json()
    assert [e["attempts"] for e in progress["attempts_per_exercise"]] == [1]


def test_a_failed_attempt_is_retried_from_its_kept_original(
    mapi: MediaApi, scene, clips: dict[str, Path]
) -> None:
    coach, learner, thread = scene
    attempt = _attach_unprocessed(mapi, learner, thread, clips["h264_aac"])

    async def fail_on_our_side(db: AsyncSession) -> None:
        video = await db.get(Video, uuid.UUID(attempt["video"]["id"]))
        assert video is not None
        video.status = VideoStatus.FAILED
        video.failure_reason = "Processing failed repeatedly on our side."
        await db.commit()

    mapi.run(fail_on_our_side)
    mapi.process()  # the queued job finds it failed and leaves it
    assert _notifications(mapi, coach) == []

    # To the coach a failed attempt does not exist.
    assert mapi.post(f"/api/v1/attempts/{attempt['id']}/retry", coach, json={}).status_code == 404
    r = mapi.post(f"/api/v1/attempts/{attempt['id']}/retry", learner, json={})
    assert r.status_code == 200, r.text
    assert r.json()["video"]["status"] == "uploaded"
    mapi.process()

    assert [n["kind"] for n in _notifications(mapi, coach)] == ["attempt"]
    assert _inbox(mapi, coach) == [thread["id"]]
    again = mapi.post(f"/api/v1/attempts/{attempt['id']}/retry", learner, json={})
    assert again.status_code == 409
    assert error_code(again) == "attempt_not_failed"


def test_a_failed_attempt_is_retried_with_a_new_upload_that_replaces_it(
    mapi: MediaApi, scene, clips: dict[str, Path], bad_clips: dict[str, tuple[Path, str]]
) -> None:
    coach, learner, thread = scene
    attempt = _attach_unprocessed(mapi, learner, thread, bad_clips["text renamed .mp4"][0])
    mapi.process()
    failed_video = attempt["video"]["id"]

    replacement = mapi.upload(learner, clips["silent"], process=False)
    r = mapi.post(
        f"/api/v1/attempts/{attempt['id']}/retry", learner, json={"video_id": replacement["id"]}
    )
    assert r.status_code == 200, r.text
    assert r.json()["video"]["id"] == replacement["id"]
    assert r.json()["notes"] == "Felt the left knee cave in the second rep"  # kept
    mapi.process()

    assert mapi.get(f"/api/v1/videos/{failed_video}", learner).status_code == 404
    assert not mapi.object_keys(f"videos/{failed_video}/")
    [note] = _notifications(mapi, coach)
    assert note["attempt_id"] == attempt["id"]
    assert note["video_id"] == replacement["id"]


def test_the_learner_deletes_a_failed_attempt(
    mapi: MediaApi, scene, bad_clips: dict[str, tuple[Path, str]]
) -> None:
    coach, learner, thread = scene
    attempt = _attach_unprocessed(mapi, learner, thread, bad_clips["zero bytes"][0])
    mapi.process()
    assert mapi.delete(f"/api/v1/attempts/{attempt['id']}", learner).status_code == 204
    assert mapi.get(f"/api/v1/threads/{thread['id']}/attempts", learner).json()["items"] == []
