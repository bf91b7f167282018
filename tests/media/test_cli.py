"""`practika upload` resumes an interrupted upload; `reconcile-media` finds orphans."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from practika.cli.upload_client import EXTENSION_TYPES, Uploader, UploadFailed, content_type_for
from practika.config import Settings
from practika.domain.base import utcnow
from practika.domain.videos import Video
from tests.media.clips import make_clip
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


def test_reconcile_media_lists_then_deletes_orphans(mapi: MediaApi, clips: dict[str, Path]) -> None:
    from typer.testing import CliRunner

    from practika.cli import app

    settings = mapi.settings
    ghost = f"videos/{uuid.uuid4()}/original.mp4"
    mapi.storage.put_bytes(ghost, b"orphan", "video/mp4")
    coach = mapi.signup("Coach")
    loose = mapi.upload(coach, clips["silent"])  # uploaded two days ago, never attached

    async def two_days_ago(db: AsyncSession) -> None:
        await db.execute(update(Video).values(updated_at=utcnow() - timedelta(days=2)))
        await db.commit()

    mapi.run(two_days_ago)
    loose_keys = mapi.object_keys(f"videos/{loose['id']}/")
    env = {
        "PRACTIKA_DATA_DIR": str(settings.data_dir),
        "PRACTIKA_DATABASE_URL": settings.resolved_database_url,
        "PRACTIKA_SESSION_SECRET": settings.session_secret.get_secret_value(),  # type: ignore[union-attr]
        "PRACTIKA_MIGRATE_ON_START": "false",
    }
    runner = CliRunner()
    listed = runner.invoke(app, ["reconcile-media"], env=env)
    assert listed.exit_code == 0, listed.output
    assert ghost in listed.output and f"video   {loose['id']} ready" in listed.output
    assert mapi.object_keys() == sorted([ghost, *loose_keys])
    removed = runner.invoke(app, ["reconcile-media", "--delete"], env=env)
    assert removed.exit_code == 0, removed.output
    assert mapi.get(f"/api/v1/videos/{loose['id']}", coach).status_code == 404
    mapi.process()  # the unattached video's objects go through the delete job
    assert mapi.object_keys() == []


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("squat.mkv", "video/x-matroska"),
        ("SQUAT.MKV", "video/x-matroska"),
        ("squat.mov", "video/quicktime"),
        ("squat.webm", "video/webm"),
        ("squat.m4v", "video/x-m4v"),
        ("squat.3gp", "video/3gpp"),
        ("squat.mp4", "video/mp4"),
        ("squat.avi", "application/octet-stream"),  # the server's probe decides
        ("squat", "application/octet-stream"),
    ],
)
def test_the_declared_type_comes_from_the_extension(name: str, kind: str) -> None:
    assert content_type_for(Path(name)) == kind


def test_every_type_the_uploader_declares_is_on_the_servers_allow_list() -> None:
    allowed = Settings().allowed_content_types
    assert set(EXTENSION_TYPES.values()) | {content_type_for(Path("x.avi"))} <= set(allowed)
    narrow = ["video/mp4", "application/octet-stream"]  # a server that accepts fewer
    assert content_type_for(Path("squat.mkv"), narrow) == "application/octet-stream"


def test_an_mkv_upload_is_declared_as_matroska(mapi: MediaApi, tmp_path: Path) -> None:
    coach = mapi.signup("Coach")
    mkv = make_clip(tmp_path / "squat.mkv", container="matroska")
    uploader = _uploader(mapi, coach.token, tmp_path / "state")
    video_id = uploader.upload(mkv)
    assert uploader.wait(video_id)["status"] == "ready"
    row = mapi.run(lambda db: db.get(Video, uuid.UUID(video_id)))
    assert (row.declared_content_type, row.container) == ("video/x-matroska", "matroska")


def test_reprocess_brings_a_failed_video_back_from_its_kept_original(
    mapi: MediaApi, clips: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from practika.cli import app
    from practika.media import tasks

    coach = mapi.signup("Coach")
    real = tasks.process_file

    def broken(*args: Any, **kwargs: Any) -> Any:  # a bug of ours, fixed by a deploy
        raise tasks.MediaRejected("the transcoder crashed")

    monkeypatch.setattr(tasks, "process_file", broken)
    video = mapi.upload(coach, clips["silent"])
    assert video["status"] == "failed"
    ready = mapi.upload(coach, clips["silent"], process=False)
    monkeypatch.setattr(tasks, "process_file", real)
    mapi.process()

    settings = mapi.settings
    env = {
        "PRACTIKA_DATA_DIR": str(settings.data_dir),
        "PRACTIKA_DATABASE_URL": settings.resolved_database_url,
        "PRACTIKA_SESSION_SECRET": settings.session_secret.get_secret_value(),  # type: ignore[union-attr]
        "PRACTIKA_MIGRATE_ON_START": "false",
    }
    stranger = str(uuid.uuid4())
    runner = CliRunner()
    result = runner.invoke(app, ["reprocess", video["id"], ready["id"], stranger], env=env)
    assert result.exit_code == 1, result.output  # something was skipped: say so
    assert f"queued  {video['id']}" in result.output
    assert f"skipped {ready['id']}: it is ready, not failed" in result.output
    assert f"skipped {stranger}: no such video" in result.output

    mapi.process()
    again = mapi.get(f"/api/v1/videos/{video['id']}", coach).json()
    assert again["status"] == "ready" and again["failure_reason"] is None
    assert mapi.get(f"/api/v1/videos/{video['id']}/playback", coach).status_code == 200
