"""Deleting attempts and exercises removes their objects; reconciliation finds the rest."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from practika.domain.base import utcnow
from practika.domain.videos import Video
from practika.services import videos
from practika.storage import StoragePort
from tests.media.conftest import MediaApi
from tests.support import Person


def _age_videos(mapi: MediaApi, hours: float) -> None:
    """Time passes for every video (instead of waiting a day)."""

    async def age(db: AsyncSession) -> None:
        await db.execute(update(Video).values(updated_at=utcnow() - timedelta(hours=hours)))
        await db.commit()

    mapi.run(age)


def _keys_by_video(mapi: MediaApi) -> set[str]:
    return {k.split("/")[1] for k in mapi.object_keys()}


def _set_reference(mapi: MediaApi, who: Person, exercise: dict[str, Any], video: Any) -> None:
    r = mapi.patch(f"/api/v1/exercises/{exercise['id']}", who, json={"reference_video_id": video})
    assert r.status_code == 200, r.text


def test_deleting_an_attempt_removes_its_video_objects(
    mapi: MediaApi, clips: dict[str, Path]
) -> None:
    coach, learner = mapi.signup("Coach"), mapi.signup("Learner")
    exercise = mapi.exercise(coach)
    thread = mapi.thread(learner, exercise["id"])
    video = mapi.upload(learner, clips["silent"])
    attempt = mapi.post(
        f"/api/v1/threads/{thread['id']}/attempts", learner, json={"video_id": video["id"]}
    ).json()
    assert mapi.object_keys(f"videos/{video['id']}/") != []

    assert mapi.delete(f"/api/v1/attempts/{attempt['id']}", learner).status_code == 204
    mapi.process()
    assert mapi.object_keys() == []
    assert mapi.get(f"/api/v1/videos/{video['id']}", learner).status_code == 404


def test_deleting_an_exercise_removes_its_reference_and_attempt_videos(
    mapi: MediaApi, clips: dict[str, Path]
) -> None:
    coach, learner = mapi.signup("Coach"), mapi.signup("Learner")
    reference = mapi.upload(coach, clips["silent"])
    exercise = mapi.exercise(coach, reference_video_id=reference["id"])
    thread = mapi.thread(learner, exercise["id"])
    attempt_video = mapi.upload(learner, clips["portrait"])
    r = mapi.post(
        f"/api/v1/threads/{thread['id']}/attempts", learner, json={"video_id": attempt_video["id"]}
    )
    assert r.status_code == 201
    kept = mapi.upload(coach, clips["hevc"])  # another of the coach's videos stays

    assert mapi.delete(f"/api/v1/exercises/{exercise['id']}", coach).status_code == 204
    mapi.process()
    assert {k.split("/")[1] for k in mapi.object_keys()} == {kept["id"]}


def test_deleting_an_unfinished_upload_drops_its_parts(
    mapi: MediaApi, clips: dict[str, Path]
) -> None:
    coach, learner = mapi.signup("Coach"), mapi.signup("Learner")
    exercise = mapi.exercise(coach)
    thread = mapi.thread(learner, exercise["id"])
    video = mapi.upload(learner, clips["silent"], process=False)
    attempt = mapi.post(
        f"/api/v1/threads/{thread['id']}/attempts", learner, json={"video_id": video["id"]}
    ).json()
    assert mapi.delete(f"/api/v1/attempts/{attempt['id']}", learner).status_code == 204
    mapi.process()  # the processing job finds no video; the delete job removes the original
    assert mapi.object_keys() == []


def test_reconciliation_lists_and_removes_orphans_only(
    mapi: MediaApi, clips: dict[str, Path]
) -> None:
    coach = mapi.signup("Coach")
    live = mapi.upload(coach, clips["silent"])
    ghost = uuid.uuid4()
    mapi.storage.put_bytes(f"videos/{ghost}/original.mp4", b"left behind", "video/mp4")
    mapi.storage.put_bytes(f"videos/{ghost}/poster.jpg", b"left behind", "image/jpeg")
    stray = mapi.storage.create_multipart(f"videos/{uuid.uuid4()}/original.mp4", "video/mp4")
    live_keys = mapi.object_keys(f"videos/{live['id']}/")

    found = mapi.run(
        lambda db: videos.find_orphans(db, StoragePort(mapi.storage), grace=timedelta(0))
    )
    assert found.objects == [f"videos/{ghost}/original.mp4", f"videos/{ghost}/poster.jpg"]
    assert [u.upload_id for u in found.uploads] == [stray]
    recent = mapi.run(lambda db: videos.find_orphans(db, StoragePort(mapi.storage)))
    assert recent.uploads == []  # a just-started upload may not be committed yet

    mapi.run(lambda db: videos.remove_orphans(db, StoragePort(mapi.storage), found))
    assert mapi.object_keys() == live_keys
    assert mapi.storage.list_multipart_uploads() == []
    again = mapi.run(
        lambda db: videos.find_orphans(db, StoragePort(mapi.storage), grace=timedelta(0))
    )
    assert (again.objects, again.uploads) == ([], [])


def test_a_rejected_video_keeps_its_original_until_it_is_deleted(
    mapi: MediaApi, bad_clips: dict[str, tuple[Path, str]]
) -> None:
    coach, learner = mapi.signup("Coach"), mapi.signup("Learner")
    thread = mapi.thread(learner, mapi.exercise(coach)["id"])
    video = mapi.upload(learner, bad_clips["text renamed .mp4"][0], process=False)
    attempt = mapi.post(  # attached before processing, as `practika upload --no-wait` does
        f"/api/v1/threads/{thread['id']}/attempts", learner, json={"video_id": video["id"]}
    ).json()
    mapi.process()
    failed = mapi.get(f"/api/v1/videos/{video['id']}", learner).json()
    assert failed["status"] == "failed" and "not a video" in failed["failure_reason"]
    original = f"videos/{video['id']}/original"
    assert mapi.object_keys() == [original]
    assert mapi.get(f"/api/v1/videos/{video['id']}/playback", learner).status_code == 409

    _age_videos(mapi, 48)  # its row accounts for it, and an attempt uses it: no orphan
    found = mapi.run(
        lambda db: videos.find_orphans(db, StoragePort(mapi.storage), grace=timedelta(0))
    )
    assert (found.objects, found.videos) == ([], [])

    assert mapi.delete(f"/api/v1/attempts/{attempt['id']}", learner).status_code == 204
    mapi.process()
    assert mapi.object_keys() == []


def test_replacing_or_clearing_a_reference_video_removes_the_old_one(
    mapi: MediaApi, clips: dict[str, Path]
) -> None:
    coach = mapi.signup("Coach")
    first, second = mapi.upload(coach, clips["silent"]), mapi.upload(coach, clips["portrait"])
    exercise = mapi.exercise(coach, reference_video_id=first["id"])
    _set_reference(mapi, coach, exercise, first["id"])  # the same one again: nothing goes
    r = mapi.patch(f"/api/v1/exercises/{exercise['id']}", coach, json={"title": "Renamed"})
    assert r.status_code == 200
    mapi.process()
    assert _keys_by_video(mapi) == {first["id"], second["id"]}

    _set_reference(mapi, coach, exercise, second["id"])
    mapi.process()
    assert mapi.get(f"/api/v1/videos/{first['id']}", coach).status_code == 404
    assert _keys_by_video(mapi) == {second["id"]}

    _set_reference(mapi, coach, exercise, None)
    mapi.process()
    assert mapi.get(f"/api/v1/videos/{second['id']}", coach).status_code == 404
    assert mapi.object_keys() == []
    assert (
        mapi.get(f"/api/v1/exercises/{exercise['id']}", coach).json()["reference_video_id"] is None
    )


def test_a_replaced_reference_video_another_exercise_uses_stays(
    mapi: MediaApi, clips: dict[str, Path]
) -> None:
    coach = mapi.signup("Coach")
    shared, other = mapi.upload(coach, clips["silent"]), mapi.upload(coach, clips["portrait"])
    one = mapi.exercise(coach, reference_video_id=shared["id"])
    mapi.exercise(coach, title="Also uses it", reference_video_id=shared["id"])
    _set_reference(mapi, coach, one, other["id"])
    mapi.process()
    assert mapi.get(f"/api/v1/videos/{shared['id']}", coach).json()["status"] == "ready"
    assert _keys_by_video(mapi) == {shared["id"], other["id"]}


def test_a_replaced_reference_video_with_feedback_on_it_stays_with_its_comments(
    mapi: MediaApi, clips: dict[str, Path]
) -> None:
    """Learners' questions on the old reference are not lost to the coach's edit."""
    coach, learner = mapi.signup("Coach"), mapi.signup("Learner")
    old, new = mapi.upload(coach, clips["silent"]), mapi.upload(coach, clips["portrait"])
    exercise = mapi.exercise(coach, reference_video_id=old["id"])
    thread = mapi.thread(learner, exercise["id"])
    body = {"video_id": old["id"], "t_start_ms": 100, "t_end_ms": 400, "body": "Eyes where?"}
    r = mapi.post(f"/api/v1/threads/{thread['id']}/comments", learner, json=body)
    assert r.status_code == 201, r.text

    _set_reference(mapi, coach, exercise, new["id"])
    mapi.process()
    assert _keys_by_video(mapi) == {old["id"], new["id"]}
    comments = mapi.get(f"/api/v1/threads/{thread['id']}/comments", learner).json()["items"]
    assert [c["body"] for c in comments] == ["Eyes where?"]
    # Nor does reconciliation sweep it up later as attached to nothing.
    _age_videos(mapi, videos.UNATTACHED_GRACE.total_seconds() / 3600 + 1)
    found = mapi.run(lambda db: videos.find_orphans(db, StoragePort(mapi.storage)))
    assert old["id"] not in {str(v.id) for v in found.videos}


def test_reconciliation_removes_videos_attached_to_nothing_after_a_day(
    mapi: MediaApi, clips: dict[str, Path], bad_clips: dict[str, tuple[Path, str]]
) -> None:
    coach, learner = mapi.signup("Coach"), mapi.signup("Learner")
    reference = mapi.upload(coach, clips["silent"])
    exercise = mapi.exercise(coach, reference_video_id=reference["id"])
    thread = mapi.thread(learner, exercise["id"])
    attempt_video = mapi.upload(learner, clips["silent"])
    r = mapi.post(
        f"/api/v1/threads/{thread['id']}/attempts", learner, json={"video_id": attempt_video["id"]}
    )
    assert r.status_code == 201
    loose = mapi.upload(learner, clips["portrait"])  # uploaded, never attached
    loose_failed = mapi.upload(coach, bad_clips["text renamed .mp4"][0])
    data = clips["hevc"].read_bytes()
    uploading = mapi.start_upload(coach, data)  # still being sent: left to its expiry
    mapi.send_parts(uploading, data)

    recent = mapi.run(lambda db: videos.find_orphans(db, StoragePort(mapi.storage)))
    assert recent.videos == []  # within the grace: a form may be about to use them
    _age_videos(mapi, videos.UNATTACHED_GRACE.total_seconds() / 3600 + 1)
    found = mapi.run(lambda db: videos.find_orphans(db, StoragePort(mapi.storage)))
    assert {str(v.id) for v in found.videos} == {loose["id"], loose_failed["id"]}
    assert found.objects == []  # their objects have rows: not orphans, removed with them

    mapi.run(lambda db: videos.remove_orphans(db, StoragePort(mapi.storage), found))
    mapi.process()
    for gone in (loose, loose_failed):
        assert mapi.get(f"/api/v1/videos/{gone['id']}", coach).status_code == 404
    kept = {reference["id"], attempt_video["id"]}
    assert _keys_by_video(mapi) == kept
    state = mapi.get(f"/api/v1/uploads/{uploading['video_id']}", coach)
    assert state.status_code == 200 and state.json()["status"] == "uploading"
    again = mapi.run(lambda db: videos.find_orphans(db, StoragePort(mapi.storage)))
    assert again.videos == []
