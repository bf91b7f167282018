"""Media faults against live processes on PostgreSQL: duplicate completion, a worker
SIGKILLed mid-transcode, and a full disk in local media mode."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.media.clips import make_clip
from tests.reliability.world import LiveWorld, Someone, live_server, throwaway_database

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(180)]

PART = 64 * 1024


def wait_for(condition: Any, what: str, timeout: float = 60) -> Any:
    """Poll a condition of the system under test (not a sleep standing in for sync)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(scope="module")
def media_live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveWorld, Path]]:
    tmp = tmp_path_factory.mktemp("media-faults")
    with (
        throwaway_database("practika_media") as url,
        live_server(
            url,
            tmp,
            PRACTIKA_UPLOAD_PART_SIZE=str(PART),
            PRACTIKA_SERVER_WORKERS="2",
            PRACTIKA_JOB_LEASE_SECONDS="5",
        ) as server,
    ):
        world = LiveWorld(server.url, url)
        world.people["coach"] = world.signup("Ana")
        yield world, tmp


def start_upload(world: LiveWorld, who: Someone, data: bytes) -> dict[str, Any]:
    body = {"filename": "clip.mp4", "content_type": "video/mp4", "size_bytes": len(data)}
    return world.call("POST", "/api/v1/uploads", who, json=body)  # type: ignore[no-any-return]


def send_parts(world: LiveWorld, started: dict[str, Any], data: bytes) -> list[dict[str, Any]]:
    size, parts = started["part_size"], []
    for part in started["parts"]:
        n = part["part_number"]
        r = world.http.put(part["url"], content=data[(n - 1) * size : n * size])
        assert r.status_code == 200, r.text
        parts.append({"part_number": n, "etag": r.headers["ETag"]})
    return parts


def jobs_for(world: LiveWorld, video_id: str) -> list[dict[str, Any]]:
    import asyncpg

    async def fetch() -> list[dict[str, Any]]:
        dsn = world.database_url.replace("postgresql+asyncpg://", "postgresql://")
        conn = await asyncpg.connect(dsn)
        try:
            rows = await conn.fetch(
                "SELECT kind, status, attempts FROM jobs WHERE payload->>'video_id' = $1",
                video_id,
            )
            return [dict(r) for r in rows]
        finally:
            await conn.close()

    return asyncio.run(fetch())


def worker(world: LiveWorld, tmp: Path) -> subprocess.Popen[bytes]:
    """A `practika worker` process next to the server, on the same database and media folder."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PRACTIKA_")}
    env = {
        **clean,
        "PRACTIKA_DATABASE_URL": world.database_url,
        "PRACTIKA_DATA_DIR": str(tmp / "var"),
        "PRACTIKA_SESSION_SECRET": "reliability-secret-" + "x" * 32,
        "PRACTIKA_JOB_LEASE_SECONDS": "5",
        "PRACTIKA_JOB_RETRY_BASE_SECONDS": "0",
        "PRACTIKA_WORKER_POLL_SECONDS": "0.2",
        "PRACTIKA_LOG_LEVEL": "WARNING",
    }
    log = (tmp / "worker.log").open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "practika.cli", "worker"], env=env, stdout=log, stderr=log
    )


def test_concurrent_completions_of_one_upload_make_one_video_and_one_job(
    media_live: tuple[LiveWorld, Path], tmp_path: Path
) -> None:
    world, _ = media_live
    coach = world.people["coach"]
    data = make_clip(tmp_path / "clip.mp4", size=(160, 120), seconds=2).read_bytes()
    started = start_upload(world, coach, data)
    parts = send_parts(world, started, data)
    path = f"/api/v1/uploads/{started['video_id']}/complete"

    async def burst() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=world.url, timeout=30) as client:
            return await asyncio.gather(
                *(client.post(path, headers=coach.auth, json={"parts": parts}) for _ in range(8))
            )

    responses = asyncio.run(burst())
    assert Counter(r.status_code for r in responses) == {200: 8}, [r.text for r in responses]
    assert {r.json()["id"] for r in responses} == {started["video_id"]}
    assert [j["kind"] for j in jobs_for(world, started["video_id"])].count("process_video") == 1


def test_a_worker_killed_mid_transcode_is_retried_to_one_result(
    media_live: tuple[LiveWorld, Path], tmp_path: Path
) -> None:
    world, tmp = media_live
    coach = world.people["coach"]
    # Big enough that transcoding takes seconds, so the kill lands mid-job.
    data = make_clip(tmp_path / "long.mp4", size=(1280, 720), seconds=6, fps=30).read_bytes()
    started = start_upload(world, coach, data)
    video_id = started["video_id"]
    world.call(
        "POST",
        f"/api/v1/uploads/{video_id}/complete",
        coach,
        json={"parts": send_parts(world, started, data)},
    )
    first = worker(world, tmp)
    try:
        wait_for(
            lambda: any(j["status"] == "running" for j in jobs_for(world, video_id)),
            "the job to start",
        )
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    assert jobs_for(world, video_id)[0]["status"] == "running", "the job finished before the kill"
    assert world.call("GET", f"/api/v1/videos/{video_id}", coach)["status"] != "ready"

    second = worker(world, tmp)
    try:
        video = wait_for(
            lambda: (
                (v := world.call("GET", f"/api/v1/videos/{video_id}", coach))["status"]
                in ("ready", "failed")
                and v
            ),
            "the retried job to finish",
            timeout=120,
        )
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
    assert video["status"] == "ready", video
    process = [j for j in jobs_for(world, video_id) if j["kind"] == "process_video"]
    assert len(process) == 1 and process[0]["status"] == "done" and process[0]["attempts"] == 2
    media = tmp / "var" / "media"
    assets = sorted(
        p.name
        for p in media.rglob("*")
        if p.is_file() and video_id.replace("-", "") in str(p).replace("-", "")
    )
    assert Counter(name.split(".")[0] for name in assets if not name.startswith(".")) >= Counter(
        {"rendition": 1, "poster": 1, "sprite": 1}
    ), assets
    assert not [name for name in assets if ".tmp" in name or name.startswith(".")], assets
