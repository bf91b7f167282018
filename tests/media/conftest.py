"""Media fixtures: generated clips, an app with small upload parts, a worker, moto S3."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from practika.app import create_app
from practika.config import Settings
from practika.db import migrate
from practika.media.tasks import MediaContext
from practika.media.worker import Worker
from practika.storage import StoragePort
from tests.conftest import _truncate, make_settings
from tests.media.clips import bad_inputs, make_clip
from tests.support import Api, Person

PART_SIZE = 8 * 1024


@pytest.fixture(scope="session")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One of each kind of phone video we expect, tiny."""
    folder = tmp_path_factory.mktemp("clips")
    return {
        "h264_aac": make_clip(folder / "squat.mp4", size=(160, 120), seconds=2, audio=True),
        "hevc": make_clip(folder / "iphone.mov", codec="libx265", seconds=1),
        "vp9_webm": make_clip(
            folder / "browser.webm", codec="libvpx-vp9", container="webm", audio=True
        ),
        "portrait": make_clip(folder / "portrait.mp4", size=(96, 64), rotation=90),
        "silent": make_clip(folder / "silent.mp4", seconds=1),
    }


@pytest.fixture(scope="session")
def bad_clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    return bad_inputs(tmp_path_factory.mktemp("bad"))


@pytest.fixture(scope="session")
def media_settings(
    backend: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Settings:
    tmp = tmp_path_factory.mktemp(f"media-{backend}")
    if backend == "postgresql":
        url = request.getfixturevalue("postgres_url")
    else:
        url = f"sqlite+aiosqlite:///{tmp / 'practika.db'}"
    settings = make_settings(tmp, url, upload_part_size=PART_SIZE, max_upload_bytes=2 * 1024 * 1024)
    migrate(settings)
    return settings


@pytest.fixture(scope="session")
def media_client(media_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(media_settings)) as client:
        yield client


class MediaApi(Api):
    """The API plus the pieces of the media pipeline a test drives by hand."""

    def signup(self, name: str = "Someone", **kw: Any) -> Person:
        """Sign up; the verification mail job is set aside, so the media jobs are the only
        ones a test's worker runs (mail has its own tests, tests/email)."""
        from sqlalchemy import update

        from practika.domain.jobs import Job, JobStatus

        person = super().signup(name, **kw)

        async def set_aside(db: Any) -> None:
            await db.execute(
                update(Job)
                .where(Job.kind == "send_email", Job.status == JobStatus.QUEUED)
                .values(status=JobStatus.DONE)
            )
            await db.commit()

        self.run(set_aside)
        return person

    @property
    def storage(self) -> Any:
        return self.client.app.state.storage  # type: ignore[attr-defined]

    @property
    def settings(self) -> Settings:
        return self.client.app.state.settings  # type: ignore[attr-defined]

    def worker(self, worker_id: str | None = None) -> Worker:
        app = self.client.app
        return Worker(
            MediaContext(self.settings, app.state.sessions, StoragePort(app.state.storage)),
            worker_id,
        )  # type: ignore[attr-defined]

    def process(self) -> int:
        """Run queued jobs until none is due."""
        return self.client.portal.call(self.worker().run_until_idle)  # type: ignore[union-attr]

    def put(self, path: str, who: Person | None = None, **kw: Any) -> Any:
        if path.startswith("http"):  # a presigned S3 URL: straight to S3, no app involved
            return httpx.put(path, **kw)
        return super().put(path, who, **kw)

    def start_upload(
        self, who: Person, data: bytes, name: str = "clip.mp4", **extra: Any
    ) -> dict[str, Any]:
        body = {"filename": name, "content_type": "video/mp4", "size_bytes": len(data)}
        body.update(extra)
        r = self.post("/api/v1/uploads", who, json=body)
        assert r.status_code == 201, r.text
        return r.json()  # type: ignore[no-any-return]

    def send_parts(
        self, started: dict[str, Any], data: bytes, numbers: list[int] | None = None
    ) -> dict[int, str]:
        size = started["part_size"]
        etags = {}
        for part in started["parts"]:
            n = part["part_number"]
            if numbers is not None and n not in numbers:
                continue
            r = self.put(part["url"], content=data[(n - 1) * size : n * size])
            assert r.status_code == 200, r.text
            etags[n] = r.headers["ETag"]
        return etags

    def complete(self, who: Person, video_id: str, etags: dict[int, str]) -> Any:
        parts = [{"part_number": n, "etag": e} for n, e in sorted(etags.items())]
        return self.post(f"/api/v1/uploads/{video_id}/complete", who, json={"parts": parts})

    def upload(self, who: Person, path: Path, *, process: bool = True) -> dict[str, Any]:
        """Upload a file the way a client does and (by default) process it; the video."""
        data = path.read_bytes()
        started = self.start_upload(who, data, path.name)
        etags = self.send_parts(started, data)
        r = self.complete(who, started["video_id"], etags)
        assert r.status_code == 200, r.text
        if process:
            self.process()
        return self.get(f"/api/v1/videos/{started['video_id']}", who).json()  # type: ignore[no-any-return]

    def object_keys(self, prefix: str = "") -> list[str]:
        return sorted(self.storage.list_keys(prefix))


@pytest.fixture
def mapi(media_client: TestClient, media_settings: Settings) -> Iterator[MediaApi]:
    media_client.cookies.clear()
    media_client.portal.call(_truncate, media_client.app.state.engine)  # type: ignore[union-attr,attr-defined]
    shutil.rmtree(media_settings.resolved_media_dir, ignore_errors=True)
    yield MediaApi(media_client)


# S3 mode against moto's server: a real HTTP endpoint on 127.0.0.1.


@pytest.fixture(scope="session")
def moto_s3(moto_endpoint: str) -> str:
    return moto_endpoint
