"""`practika upload` resumes an interrupted upload; `reconcile-media` finds orphans."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from practika.media.uploader import Uploader, UploadFailed
from tests.media.conftest import MediaApi


class Cut(Exception):
    """The network drops."""


def _uploader(mapi: MediaApi, token: str, state_dir: Path, **kw: Any) -> Uploader:
    return Uploader(
        mapi.client, "http://testserver/", token, state_dir, sleep=lambda _: mapi.process(), **kw
    )


def test_an_interrupted_cli_upload_resumes_where_it_stopped(
    mapi: MediaApi, clips: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    learner, coach = mapi.signup("Learner"), mapi.signup("Coach")
    exercise = mapi.exercise(coach)
    thread = mapi.thread(learner, exercise["id"])
    source = clips["h264_aac"]
    sent: list[int] = []
    original_put = Uploader._put_part

    def flaky_put(self: Uploader, url: str, data: bytes) -> str:
        if len(sent) == 2:
            raise Cut()
        sent.append(len(data))
        return original_put(self, url, data)

    monkeypatch.setattr(Uploader, "_put_part", flaky_put)
    with pytest.raises(Cut):
        _uploader(mapi, learner.token, tmp_path, parallel=1).upload(source)
    assert len(list(tmp_path.glob("*.json"))) == 1  # the state survives the failure

    monkeypatch.setattr(Uploader, "_put_part", original_put)
    progress: list[int] = []
    totals: list[tuple[int, int]] = []
    resumed = _uploader(
        mapi,
        learner.token,
        tmp_path,
        on_progress=progress.append,
        on_total=lambda t, d: totals.append((t, d)),
    )
    video_id = resumed.upload(source)
    size = source.stat().st_size
    assert totals == [(size, sum(sent))]  # two parts were already there
    assert sum(sent) + sum(progress) == size  # and were not sent again
    assert list(tmp_path.glob("*.json")) == []

    video = resumed.wait(video_id)
    assert video["status"] == "ready"
    resumed.attach(video_id, exercise=None, thread=thread["id"])
    attempts = mapi.get(f"/api/v1/threads/{thread['id']}/attempts", learner).json()["items"]
    assert [a["video"]["id"] for a in attempts] == [video_id]


def test_the_cli_reports_a_rejected_video(
    mapi: MediaApi, bad_clips: dict[str, tuple[Path, str]], tmp_path: Path
) -> None:
    coach = mapi.signup("Coach")
    uploader = _uploader(mapi, coach.token, tmp_path)
    video = uploader.wait(uploader.upload(bad_clips["text renamed .mp4"][0]))
    assert video["status"] == "failed" and "not a video" in video["failure_reason"]
    with pytest.raises(UploadFailed, match="401"):
        _uploader(mapi, "bogus", tmp_path).upload(bad_clips["zero bytes"][0])


def test_reconcile_media_lists_then_deletes_orphans(
    mapi: MediaApi, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from typer.testing import CliRunner

    from practika.cli import app

    settings = mapi.settings
    ghost = f"videos/{uuid.uuid4()}/original.mp4"
    mapi.storage.put_bytes(ghost, b"orphan", "video/mp4")
    env = {
        "PRACTIKA_DATA_DIR": str(settings.data_dir),
        "PRACTIKA_DATABASE_URL": settings.resolved_database_url,
        "PRACTIKA_SESSION_SECRET": settings.session_secret.get_secret_value(),  # type: ignore[union-attr]
        "PRACTIKA_MIGRATE_ON_START": "false",
    }
    runner = CliRunner()
    listed = runner.invoke(app, ["reconcile-media"], env=env)
    assert listed.exit_code == 0, listed.output
    assert ghost in listed.output and mapi.object_keys() == [ghost]
    removed = runner.invoke(app, ["reconcile-media", "--delete"], env=env)
    assert removed.exit_code == 0, removed.output
    assert mapi.object_keys() == []
