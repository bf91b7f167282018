"""A killed worker's temporary files (a partial rendition, a downloaded original) live in
its job's scratch folder, and the next worker to start removes what no live job owns."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from practika.domain.base import utcnow
from practika.domain.jobs import Job, JobStatus
from practika.media import tasks
from practika.storage import scratch
from tests.media.conftest import MediaApi


def _leftover(root: Path, name: str, age: float) -> Path:
    folder = root / name
    (folder / "tmpk1ll3d").mkdir(parents=True)
    (folder / "tmpk1ll3d" / "rendition.mp4").write_bytes(b"\x00" * 1000)  # cut mid-write
    then = time.time() - age
    for path in (folder / "tmpk1ll3d" / "rendition.mp4", folder / "tmpk1ll3d", folder):
        os.utime(path, (then, then))
    return folder


def test_a_job_renders_in_its_own_scratch_folder_and_leaves_nothing(
    mapi: MediaApi, clips: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Path] = []
    real_render = tasks.render

    def render(original: Path, facts: Any, out: Path, options: Any, *rest: Any) -> Any:
        seen.append(out)
        return real_render(original, facts, out, options, *rest)

    monkeypatch.setattr(tasks, "render", render)
    coach = mapi.signup("Coach")
    mapi.upload(coach, clips["silent"])
    work = mapi.settings.resolved_work_dir
    [out] = seen
    assert out.parent.parent == work  # <work>/<job id>.<holder>/<tmp>/
    assert out.parent.name.split(".")[0] and not out.exists()
    assert list(work.iterdir()) == []


def test_a_starting_worker_removes_only_stale_scratch_no_live_job_owns(
    mapi: MediaApi,
) -> None:
    worker = mapi.worker("worker-b")
    lease = worker.lease
    work = mapi.settings.resolved_work_dir

    async def jobs() -> tuple[uuid.UUID, uuid.UUID]:
        async with mapi.client.app.state.sessions() as db:  # type: ignore[attr-defined]
            now = utcnow()
            live = Job(
                kind="process_video",
                payload={},
                status=JobStatus.RUNNING,
                locked_by="worker-a",
                locked_until=now + timedelta(seconds=lease),
            )
            dead = Job(
                kind="process_video",
                payload={},
                status=JobStatus.RUNNING,
                locked_by="killed",
                locked_until=now - timedelta(seconds=1),
            )
            db.add_all([live, dead])
            await db.commit()
            return live.id, dead.id

    live_id, dead_id = mapi.client.portal.call(jobs)  # type: ignore[union-attr]
    old = 2 * lease
    killed = _leftover(work, scratch.folder_name(dead_id, "killed"), old)  # lease ran out
    gone_job = _leftover(work, scratch.folder_name(uuid.uuid4(), "killed"), old)  # job done
    stray = work / "partial.tmp"
    stray.write_bytes(b"x")
    os.utime(stray, (time.time() - old, time.time() - old))
    running = _leftover(work, scratch.folder_name(live_id, "worker-a"), old)  # a long job
    fresh = _leftover(work, scratch.folder_name(uuid.uuid4(), "worker-c"), 1)  # just claimed
    outside = mapi.settings.data_dir / "not-scratch"
    outside.mkdir(exist_ok=True)
    os.utime(outside, (time.time() - old, time.time() - old))

    stop = asyncio.Event()

    async def start_and_stop() -> None:
        stop.set()  # one pass: the start-up sweep, then the loop sees the stop
        await worker.run_forever(stop)

    mapi.client.portal.call(start_and_stop)  # type: ignore[union-attr]
    assert not killed.exists() and not gone_job.exists() and not stray.exists()
    assert running.exists() and fresh.exists() and outside.exists()
