"""Jobs: at-least-once, idempotent, retried with backoff, re-claimed after a worker crash."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from practika.domain.base import utcnow
from practika.domain.jobs import Job, JobStatus
from practika.domain.videos import Video, VideoStatus
from practika.media import jobs, tasks
from tests.media.conftest import MediaApi
from tests.support import holding


def _jobs(mapi: MediaApi) -> list[Job]:
    async def load(db: AsyncSession) -> list[Job]:
        # The media jobs: sign-up's mail job is not what these tests are about.
        media = select(Job).where(Job.kind != "send_email")
        return list(await db.scalars(media.order_by(Job.created_at)))

    return mapi.run(load)


def _age_leases_and_backoffs(mapi: MediaApi) -> None:
    """Time passes: every lease and every backoff runs out (instead of sleeping)."""

    async def age(db: AsyncSession) -> None:
        past = utcnow() - timedelta(seconds=1)
        await db.execute(update(Job).where(Job.locked_until.is_not(None)).values(locked_until=past))
        await db.execute(update(Job).values(run_after=past))
        await db.commit()

    mapi.run(age)


def _uploaded(mapi: MediaApi, clip: Path) -> tuple[Any, str]:
    coach = mapi.signup("Coach")
    return coach, mapi.upload(coach, clip, process=False)["id"]


def test_processing_the_same_video_twice_gives_the_same_result(
    mapi: MediaApi, clips: dict[str, Path]
) -> None:
    coach, video_id = _uploaded(mapi, clips["h264_aac"])
    worker = mapi.worker()
    payload = {"video_id": video_id}
    mapi.client.portal.call(tasks.process_video, worker.ctx, payload)  # type: ignore[union-attr]
    first = mapi.get(f"/api/v1/videos/{video_id}", coach).json()
    keys = mapi.object_keys()

    async def back_to_processing(db: AsyncSession) -> None:  # as if the first run's ack was lost
        await db.execute(
            update(Video)
            .where(Video.id == uuid.UUID(video_id))
            .values(status=VideoStatus.PROCESSING)
        )
        await db.commit()

    mapi.run(back_to_processing)
    mapi.client.portal.call(tasks.process_video, worker.ctx, payload)  # type: ignore[union-attr]
    mapi.client.portal.call(tasks.process_video, worker.ctx, payload)  # type: ignore[union-attr]
    second = mapi.get(f"/api/v1/videos/{video_id}", coach).json()
    assert second["status"] == "ready"

    # Signed poster/sprite URLs carry their expiry (the clock moves between the two
    # reads): compare what they point at, not the signature.
    def facts(video: dict[str, object]) -> dict[str, object]:
        out = {k: v for k, v in video.items() if k != "updated_at"}
        for k in ("poster_url", "sprite_url"):
            if isinstance(out.get(k), str):
                out[k] = str(out[k]).split("?")[0]
        return out

    assert facts(second) == facts(first)
    assert mapi.object_keys() == keys


def test_a_job_left_running_by_a_crashed_worker_is_claimed_again(
    mapi: MediaApi, clips: dict[str, Path]
) -> None:
    coach, video_id = _uploaded(mapi, clips["silent"])

    async def claim(db: AsyncSession, who: str) -> Job | None:
        return await jobs.claim(db, who, lease_seconds=60)

    crashed = mapi.run(lambda db: claim(db, "worker-a"))  # claims, then dies without a word
    assert crashed is not None and crashed.attempts == 1
    assert mapi.run(lambda db: claim(db, "worker-b")) is None  # the lease still holds

    _age_leases_and_backoffs(mapi)
    assert mapi.process() == 1
    job = _jobs(mapi)[0]
    assert (job.status, job.attempts, job.locked_by) == (JobStatus.DONE, 2, job.locked_by)
    assert job.locked_by != "worker-a"
    assert mapi.get(f"/api/v1/videos/{video_id}", coach).json()["status"] == "ready"


def test_concurrent_claims_never_hand_out_the_same_job(
    mapi: MediaApi, clips: dict[str, Path]
) -> None:
    _uploaded(mapi, clips["silent"])
    sessions = mapi.client.app.state.sessions  # type: ignore[attr-defined]

    async def race() -> list[Job | None]:
        async def one(name: str) -> Job | None:
            async with sessions() as db:
                return await jobs.claim(db, name, lease_seconds=60)

        return await asyncio.gather(*(one(f"w{i}") for i in range(4)))

    claimed = [j for j in mapi.client.portal.call(race) if j is not None]  # type: ignore[union-attr]
    assert len(claimed) == 1


def test_a_failing_job_is_retried_with_backoff_then_given_up(
    mapi: MediaApi, clips: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    coach, video_id = _uploaded(mapi, clips["silent"])
    runs: list[str] = []

    async def flaky(ctx: Any, payload: dict[str, Any]) -> None:
        runs.append(payload["video_id"])
        raise RuntimeError("storage is having a bad day")

    monkeypatch.setitem(tasks.HANDLERS, tasks.PROCESS_VIDEO, flaky)
    max_attempts = _jobs(mapi)[0].max_attempts
    base = mapi.settings.job_retry_base_seconds
    for attempt in range(1, max_attempts + 1):
        before = utcnow()
        assert mapi.process() == 1
        assert mapi.process() == 0  # backing off: not due yet
        job = _jobs(mapi)[0]
        assert job.attempts == attempt and "bad day" in (job.last_error or "")
        if attempt == max_attempts - 1:  # a run on our side that left half its assets
            mapi.storage.put_bytes(f"videos/{video_id}/rendition.mp4", b"partial", "video/mp4")
            mapi.storage.put_bytes(f"videos/{video_id}/poster.jpg.tmp", b"partial", "image/jpeg")
        if attempt < max_attempts:
            assert job.status == JobStatus.QUEUED
            delay = (job.run_after - before).total_seconds()
            assert base * 2 ** (attempt - 1) - 1 <= delay <= base * 2 ** (attempt - 1) + 5
        _age_leases_and_backoffs(mapi)
    assert job.status == JobStatus.FAILED
    assert len(runs) == max_attempts
    video = mapi.get(f"/api/v1/videos/{video_id}", coach).json()
    assert video["status"] == "failed" and "upload the video again" in video["failure_reason"]
    # The upload was valid: the original stays for a retry, the partial assets go.
    assert mapi.object_keys(f"videos/{video_id}/") == [f"videos/{video_id}/original"]


def test_a_job_that_keeps_killing_its_worker_is_given_up(
    mapi: MediaApi, clips: dict[str, Path]
) -> None:
    coach, video_id = _uploaded(mapi, clips["silent"])
    max_attempts = _jobs(mapi)[0].max_attempts
    for n in range(max_attempts):
        assert mapi.run(lambda db, n=n: jobs.claim(db, f"doomed-{n}", 60)) is not None
        _age_leases_and_backoffs(mapi)
    assert mapi.process() == 1
    assert _jobs(mapi)[0].status == JobStatus.FAILED
    assert mapi.get(f"/api/v1/videos/{video_id}", coach).json()["status"] == "failed"


def test_backoff_doubles_and_is_capped() -> None:
    assert [jobs.backoff_seconds(n, 5) for n in (1, 2, 3, 4)] == [5, 10, 20, 40]
    assert jobs.backoff_seconds(30, 5) == jobs.MAX_BACKOFF_SECONDS


def test_an_upload_is_transcoded_while_an_earlier_analysis_runs(
    mapi: MediaApi, clips: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pose analysis has a lane of its own: the next upload is made ready beside a running
    analysis, not after it. The analysis here runs until told to finish, so a worker with
    one media queue would never get to the upload."""
    from practika.analysis import tasks as analysis_tasks
    from practika.analysis.queue import ANALYSE_VIDEO

    coach, video_id = _uploaded(mapi, clips["h264_aac"])

    async def due_only_after_the_analysis(db: AsyncSession) -> None:
        jobs.enqueue(db, ANALYSE_VIDEO, {"video_id": str(uuid.uuid4())})
        await db.execute(
            update(Job)
            .where(Job.kind == tasks.PROCESS_VIDEO)
            .values(run_after=utcnow() + timedelta(days=1))
        )
        await db.commit()

    async def due_now(db: AsyncSession) -> None:
        await db.execute(
            update(Job).where(Job.kind == tasks.PROCESS_VIDEO).values(run_after=utcnow())
        )
        await db.commit()

    mapi.run(due_only_after_the_analysis)
    worker = mapi.worker()

    async def scenario() -> tuple[str, bool]:
        async with holding(worker, analysis_tasks.HANDLERS, ANALYSE_VIDEO, monkeypatch) as release:
            async with worker.ctx.sessions() as db:  # the upload comes in while it runs
                await due_now(db)
            async with asyncio.timeout(120):  # a deadline for failing, not a speed target
                while True:
                    async with worker.ctx.sessions() as db:
                        status = await db.scalar(
                            select(Video.status).where(Video.id == uuid.UUID(video_id))
                        )
                    if status is VideoStatus.READY:
                        return status.value, release.is_set()
                    await asyncio.sleep(0.05)

    status, analysis_finished = mapi.client.portal.call(scenario)  # type: ignore[union-attr]
    assert (status, analysis_finished) == ("ready", False)


def test_a_video_someone_waits_for_goes_before_an_export_queued_earlier(
    mapi: MediaApi,
) -> None:
    """One media lane runs transcodes and exports; the learner waiting for their attempt
    to be ready should not wait for a coach's annotated export (a minute's render) first."""
    from practika.media.exports import RENDER_EXPORT
    from practika.media.worker import MEDIA

    async def work(db: AsyncSession) -> list[str]:
        earlier = jobs.enqueue(db, RENDER_EXPORT, {"export_id": str(uuid.uuid4())})
        earlier.run_after = utcnow() - timedelta(minutes=1)
        jobs.enqueue(db, tasks.PROCESS_VIDEO, {"video_id": str(uuid.uuid4())})
        await db.commit()
        claimed = [await jobs.claim(db, "w", 60, MEDIA) for _ in range(2)]
        return [job.kind for job in claimed if job is not None]

    assert mapi.run(work) == [tasks.PROCESS_VIDEO, RENDER_EXPORT]
