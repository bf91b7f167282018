"""Movement analysis through the real pipeline: upload, process, analyse (the worker's
own job), then the routes; the video's access rules; a video with nobody in it."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from practika.demo.clips import squat_clip
from tests.media.clips import make_clip
from tests.media.conftest import MediaApi
from tests.support import error_code


@pytest.fixture
def analysing(mapi: MediaApi, monkeypatch: pytest.MonkeyPatch) -> MediaApi:
    monkeypatch.setattr(mapi.settings, "analysis_enabled", True)
    return mapi


@pytest.fixture(scope="module")
def squat_clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("squats")

    def warp(t: float) -> float:
        return 0.8 * t if t < 3 else 2.4 + 1.2 * (t - 3)

    return {
        "reference": squat_clip(folder / "reference.mp4", seconds=6, size=(320, 240)),
        "attempt": squat_clip(
            folder / "attempt.mp4", seconds=6, size=(320, 240), warp=warp, depth_deg=70
        ),
    }


def test_a_ready_video_is_analysed_by_the_worker(
    analysing: MediaApi, squat_clips: dict[str, Path]
) -> None:
    api = analysing
    coach = api.signup("Coach")
    video = api.upload(coach, squat_clips["reference"])
    assert video["status"] == "ready"
    state = api.get(f"/api/v1/videos/{video['id']}/analysis", coach).json()
    assert state["status"] == "done", state
    assert state["person_frames"] == state["frame_count"] == 180

    pose = api.get(f"/api/v1/videos/{video['id']}/pose?max_fps=10", coach).json()
    assert len(pose["times_ms"]) == len(pose["landmarks"]) == 60
    assert all(len(frame) == 33 * 3 for frame in pose["landmarks"])
    knee = [a for a in pose["angles"]["left_knee"] if a is not None]
    assert max(knee) > 165 and min(knee) < 95
    assert (pose["width"], pose["height"]) == (320, 240)

    reps = api.get(f"/api/v1/videos/{video['id']}/reps", coach).json()
    assert reps["count"] == 3 and reps["joint"].endswith("knee")
    # The track is a derived object of the video, next to its rendition.
    assert any(key.endswith("pose.bin") for key in api.object_keys())


def test_an_attempt_aligns_to_the_reference_and_shows_where_it_departs(
    analysing: MediaApi, squat_clips: dict[str, Path]
) -> None:
    api = analysing
    coach = api.signup("Coach")
    reference = api.upload(coach, squat_clips["reference"])["id"]
    attempt = api.upload(coach, squat_clips["attempt"])["id"]
    path = f"/api/v1/videos/{attempt}/alignment?reference={reference}"
    first = api.get(path, coach)
    assert first.status_code == 200, first.text
    pairs = first.json()["pairs"]
    assert all(b[1] >= a[1] for a, b in itertools.pairwise(pairs))
    assert api.get(path, coach).json() == first.json()  # stored, not recomputed differently

    found = api.get(f"/api/v1/videos/{attempt}/departures?reference={reference}", coach).json()
    assert found and "knee" in found[0]["joint"]
    assert "more extended than the reference" in found[0]["text"]


def test_nobody_in_the_video_ends_analysis_none_and_the_video_stays_ready(
    analysing: MediaApi, tmp_path: Path
) -> None:
    api = analysing
    coach = api.signup("Coach")
    video = api.upload(coach, make_clip(tmp_path / "pattern.mp4", size=(160, 120), seconds=1))
    assert video["status"] == "ready"
    state = api.get(f"/api/v1/videos/{video['id']}/analysis", coach).json()
    assert state["status"] == "none"
    assert "No person" in state["reason"]
    r = api.get(f"/api/v1/videos/{video['id']}/pose", coach)
    assert r.status_code == 409 and error_code(r) == "analysis_not_ready"
    assert api.get(f"/api/v1/videos/{video['id']}/playback", coach).status_code == 200


def test_analysis_follows_the_video_s_access_rules(
    analysing: MediaApi, squat_clips: dict[str, Path]
) -> None:
    api = analysing
    owner, stranger = api.signup("Owner"), api.signup("Stranger")
    mine = api.upload(owner, squat_clips["reference"])["id"]
    theirs = api.upload(stranger, squat_clips["attempt"])["id"]
    for path in ("analysis", "pose", "reps"):
        assert api.get(f"/api/v1/videos/{mine}/{path}", stranger).status_code == 404
        assert api.get(f"/api/v1/videos/{mine}/{path}").status_code == 404
    # Aligning to a video one may not see is as missing as the video itself.
    r = api.get(f"/api/v1/videos/{theirs}/alignment?reference={mine}", stranger)
    assert r.status_code == 404
    r = api.get(f"/api/v1/videos/{mine}/alignment?reference={mine}", owner)
    assert r.status_code == 422


def test_analysis_off_leaves_videos_unanalysed(mapi: MediaApi, tmp_path: Path) -> None:
    coach = mapi.signup("Coach")
    video = mapi.upload(coach, squat_clip(tmp_path / "s.mp4", seconds=1, size=(160, 120)))
    state = mapi.get(f"/api/v1/videos/{video['id']}/analysis", coach).json()
    assert state["status"] == "unavailable"


def test_a_session_item_takes_its_reps_from_an_analysed_attempt(
    analysing: MediaApi, squat_clips: dict[str, Path], tmp_path: Path
) -> None:
    api = analysing
    learner, stranger = api.signup("Learner"), api.signup("Stranger")
    video = api.upload(learner, squat_clips["reference"])["id"]
    exercise = api.exercise(learner, visibility="public", title="Squats")
    session = api.post("/api/v1/sessions", learner, json={"exercise_id": exercise["id"]}).json()
    path = f"/api/v1/sessions/{session['id']}/items"
    r = api.post(path, learner, json={"reps_from_video_id": video})
    assert r.status_code == 201, r.text
    item = r.json()["items"][0]
    assert item["reps_done"] == 3
    assert item["rep_tempo_cv"] is not None and item["rep_tempo_cv"] < 0.2
    assert item["rep_range_cv"] is not None
    # Someone else's video is as missing as ever; a video with nobody in it counts nothing.
    theirs = api.upload(stranger, squat_clips["attempt"])["id"]
    assert api.post(path, learner, json={"reps_from_video_id": theirs}).status_code == 404
    empty = api.upload(learner, make_clip(tmp_path / "p.mp4", size=(160, 120), seconds=1))["id"]
    r = api.post(path, learner, json={"reps_from_video_id": empty})
    assert r.status_code == 409 and error_code(r) == "analysis_not_ready"
