"""Deleting attempts and exercises removes their objects; reconciliation finds the rest."""

from __future__ import annotations

import uuid
from pathlib import Path

from tests.media.conftest import MediaApi


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
    from datetime import timedelta

    from practika.services import videos

    coach = mapi.signup("Coach")
    live = mapi.upload(coach, clips["silent"])
    ghost = uuid.uuid4()
    mapi.storage.put_bytes(f"videos/{ghost}/original.mp4", b"left behind", "video/mp4")
    mapi.storage.put_bytes(f"videos/{ghost}/poster.jpg", b"left behind", "image/jpeg")
    stray = mapi.storage.create_multipart(f"videos/{uuid.uuid4()}/original.mp4", "video/mp4")
    live_keys = mapi.object_keys(f"videos/{live['id']}/")

    found = mapi.run(lambda db: videos.find_orphans(db, mapi.storage, grace=timedelta(0)))
    assert found.objects == [f"videos/{ghost}/original.mp4", f"videos/{ghost}/poster.jpg"]
    assert [u.upload_id for u in found.uploads] == [stray]
    recent = mapi.run(lambda db: videos.find_orphans(db, mapi.storage))
    assert recent.uploads == []  # a just-started upload may not be committed yet

    mapi.client.portal.call(videos.remove_orphans, mapi.storage, found)  # type: ignore[union-attr]
    assert mapi.object_keys() == live_keys
    assert mapi.storage.list_multipart_uploads() == []
    again = mapi.run(lambda db: videos.find_orphans(db, mapi.storage, grace=timedelta(0)))
    assert (again.objects, again.uploads) == ([], [])
