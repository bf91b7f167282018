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
from tests.reliability.world import (
    SESSION_SECRET,
    LiveWorld,
    live_server,
    throwaway_database,
)
from tests.support import Person

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(180)]

PART = 64 * 1024
BIG = 2 * 1024 * 1024  # half a part is more than the part route buffers before a write


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
        world.people["coach"] = world.person("Ana")
        yield world, tmp


def start_upload(world: LiveWorld, who: Person, data: bytes) -> dict[str, Any]:
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


def worker(world: LiveWorld, tmp: Path, **extra: str) -> subprocess.Popen[bytes]:
    """A `practika worker` process next to the server, on the same database and media folder."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PRACTIKA_")}
    env = {
        **clean,
        "PRACTIKA_DATABASE_URL": world.database_url,
        "PRACTIKA_DATA_DIR": str(tmp / "var"),
        "PRACTIKA_SESSION_SECRET": SESSION_SECRET,
        "PRACTIKA_JOB_LEASE_SECONDS": "5",
        "PRACTIKA_JOB_RETRY_BASE_SECONDS": "0",
        "PRACTIKA_WORKER_POLL_SECONDS": "0.2",
        "PRACTIKA_LOG_LEVEL": "WARNING",
        **extra,
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


def uploaded_long_clip(world: LiveWorld, tmp_path: Path) -> str:
    """A completed upload whose transcode takes seconds, so a signal lands mid-job."""
    coach = world.people["coach"]
    data = make_clip(tmp_path / "long.mp4", size=(1280, 720), seconds=6, fps=30).read_bytes()
    started = start_upload(world, coach, data)
    video_id = str(started["video_id"])
    parts = send_parts(world, started, data)
    world.call("POST", f"/api/v1/uploads/{video_id}/complete", coach, json={"parts": parts})
    return video_id


def wait_until_processed(world: LiveWorld, video_id: str) -> dict[str, Any]:
    coach = world.people["coach"]
    return wait_for(  # type: ignore[no-any-return]
        lambda: (
            (v := world.call("GET", f"/api/v1/videos/{video_id}", coach))["status"]
            in ("ready", "failed")
            and v
        ),
        "the job to finish",
        timeout=120,
    )


def test_a_worker_killed_mid_transcode_is_retried_to_one_result(
    media_live: tuple[LiveWorld, Path], tmp_path: Path
) -> None:
    world, tmp = media_live
    coach = world.people["coach"]
    video_id = uploaded_long_clip(world, tmp_path)
    work = tmp / "var" / "work"
    first = worker(world, tmp)
    try:
        # Killed once it is transcoding, not merely claimed: a job marked running has yet
        # to make its scratch folder, and on a busy machine the kill could come between.
        wait_for(
            lambda: (
                any(j["status"] == "running" for j in jobs_for(world, video_id))
                and work.is_dir()
                and any(work.iterdir())
            ),
            "the job to start transcoding",
        )
        first.send_signal(signal.SIGKILL)
        killed_at = time.time()
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    assert jobs_for(world, video_id)[0]["status"] == "running", "the job finished before the kill"
    assert world.call("GET", f"/api/v1/videos/{video_id}", coach)["status"] != "ready"
    # The killed job's scratch folder (its partial rendition) is left behind, beside any
    # other the killed worker had open (another lane's job, one of an earlier test's)...
    left = list(work.iterdir())
    assert left
    # ...until a worker starts after its lease ran out (5 s) and it is older than a lease.
    wait_for(
        lambda: (
            all(time.time() - folder.stat().st_mtime > 6 for folder in left)
            and time.time() - killed_at > 6
        ),
        "the killed job's lease to run out",
    )

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
    assert list(work.iterdir()) == []  # the stale folder went at start, the new one after
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


def test_sigterm_mid_transcode_hands_the_job_back_and_it_resumes(
    media_live: tuple[LiveWorld, Path], tmp_path: Path
) -> None:
    """ECS stops a task with SIGTERM: past the grace period the worker hands its job back
    (due at once, the run not counted) and exits; another worker finishes it."""
    world, tmp = media_live
    video_id = uploaded_long_clip(world, tmp_path)
    first = worker(world, tmp, PRACTIKA_SHUTDOWN_GRACE_SECONDS="0")
    try:
        wait_for(lambda: any(j["status"] == "running" for j in jobs_for(world, video_id)), "start")
        first.send_signal(signal.SIGTERM)
        assert first.wait(timeout=15) == 0
    finally:
        if first.poll() is None:
            first.kill()
    [job] = [j for j in jobs_for(world, video_id) if j["kind"] == "process_video"]
    assert (job["status"], job["attempts"]) == ("queued", 0), job

    second = worker(world, tmp)
    try:
        video = wait_until_processed(world, video_id)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
    assert video["status"] == "ready", video
    [job] = [j for j in jobs_for(world, video_id) if j["kind"] == "process_video"]
    assert (job["status"], job["attempts"]) == ("done", 1), job


def test_sigterm_with_time_to_spare_lets_the_job_finish_first(
    media_live: tuple[LiveWorld, Path], tmp_path: Path
) -> None:
    world, tmp = media_live
    video_id = uploaded_long_clip(world, tmp_path)
    proc = worker(world, tmp, PRACTIKA_SHUTDOWN_GRACE_SECONDS="120")
    try:
        wait_for(lambda: any(j["status"] == "running" for j in jobs_for(world, video_id)), "start")
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=120) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    [job] = [j for j in jobs_for(world, video_id) if j["kind"] == "process_video"]
    assert (job["status"], job["attempts"]) == ("done", 1), job
    coach = world.people["coach"]
    assert world.call("GET", f"/api/v1/videos/{video_id}", coach)["status"] == "ready"


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.3])
def test_sigterm_during_upload_completion_loses_nothing(tmp_path: Path, delay: float) -> None:
    """The server is stopped while a complete is in flight. Whatever the timing, either
    the client got its answer and the video is queued for processing, or it did not and
    the upload is still open with every part, so retrying after the restart works."""
    with throwaway_database("practika_sigterm") as url:
        env = {"PRACTIKA_UPLOAD_PART_SIZE": str(PART), "PRACTIKA_SHUTDOWN_GRACE_SECONDS": "20"}
        with live_server(url, tmp_path, **env) as server:
            world = LiveWorld(server.url, url)
            coach = world.person("Ana")
            clip = make_clip(tmp_path / "clip.mp4", size=(320, 240), seconds=3)
            data = clip.read_bytes() + bytes(8 * 1024 * 1024)  # assembly takes a moment
            started = start_upload(world, coach, data)
            parts = send_parts(world, started, data)
            path = f"/api/v1/uploads/{started['video_id']}/complete"
            outcome: dict[str, Any] = {}

            def complete() -> None:
                try:
                    outcome["response"] = httpx.post(
                        server.url + path, headers=coach.auth, json={"parts": parts}, timeout=30
                    )
                except httpx.HTTPError as exc:
                    outcome["error"] = exc

            import threading

            sender = threading.Thread(target=complete)
            sender.start()
            time.sleep(delay)
            # uvicorn finishes in-flight requests, then re-raises the signal it caught.
            assert server.stop(signal.SIGTERM) in (0, -signal.SIGTERM)
            sender.join(timeout=30)
        with live_server(url, tmp_path) as server:
            world = LiveWorld(server.url, url)
            response = outcome.get("response")
            if response is not None and response.status_code == 200:
                video = world.call("GET", f"/api/v1/videos/{started['video_id']}", coach)
                assert video["status"] == "uploaded"
            else:
                state = world.call("GET", f"/api/v1/uploads/{started['video_id']}", coach)
                if state["status"] == "uploading":  # the complete never ran: retry it
                    assert len(state["parts_received"]) == started["part_count"]
                    video = world.call("POST", path, coach, json={"parts": parts})
                    assert video["status"] == "uploaded"
                else:  # it ran, but its answer was lost with the connection
                    assert state["status"] == "uploaded"
            jobs = [j for j in jobs_for(world, started["video_id"]) if j["kind"] == "process_video"]
            assert len(jobs) == 1 and jobs[0]["status"] == "queued"


@pytest.mark.timeout(600)  # two server starts on a busy machine
def test_a_server_killed_between_and_inside_parts_resumes_to_the_exact_bytes(
    tmp_path: Path,
) -> None:
    """Parts are written in place into one file: SIGKILL the server after two parts, when
    half of the third is on disk; restart it, send what the upload says is missing,
    complete, and the stored original is the file, byte for byte."""
    data = os.urandom(BIG * 5 + 1234)  # six parts, the last one short
    env = {"PRACTIKA_UPLOAD_PART_SIZE": str(BIG)}
    with throwaway_database("practika_inplace") as url:
        with live_server(url, tmp_path, **env) as server:
            world = LiveWorld(server.url, url)
            coach = world.person("Ana")
            started = start_upload(world, coach, data)
            send_parts(world, {**started, "parts": started["parts"][:2]}, data)

            def half_then_kill() -> Iterator[bytes]:
                yield data[2 * BIG : 2 * BIG + BIG // 2]
                wait_for(lambda: _holds_bytes_of_part(tmp_path, 3), "half of part 3 on disk")
                server.stop(signal.SIGKILL)
                yield data[2 * BIG + BIG // 2 : 3 * BIG]

            with pytest.raises(httpx.TransportError):
                httpx.put(server.url + started["parts"][2]["url"], content=half_then_kill())

        with live_server(url, tmp_path, **env) as server:
            world = LiveWorld(server.url, url)
            state = world.call("GET", f"/api/v1/uploads/{started['video_id']}", coach)
            assert [p["part_number"] for p in state["parts_received"]] == [1, 2]  # not half of 3
            send_parts(world, {**started, "parts": started["parts"][2:]}, data)
            state = world.call("GET", f"/api/v1/uploads/{started['video_id']}", coach)
            parts = [
                {"part_number": p["part_number"], "etag": p["etag"]}
                for p in state["parts_received"]
            ]
            path = f"/api/v1/uploads/{started['video_id']}/complete"
            assert world.call("POST", path, coach, json={"parts": parts})["status"] == "uploaded"
    [original] = (tmp_path / "var" / "media" / "objects").rglob("original*")
    assert original.read_bytes() == data
    assert list((tmp_path / "var" / "media" / "uploads").iterdir()) == []


def _holds_bytes_of_part(tmp: Path, n: int) -> bool:
    """The server has written some of part n into the upload's file (it is not all zeros)."""
    [data] = (tmp / "var" / "media" / "uploads").glob("*/data")
    with data.open("rb") as f:
        f.seek((n - 1) * BIG)
        return any(f.read(BIG // 2))
