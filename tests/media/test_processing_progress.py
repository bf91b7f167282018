"""Processing shows how far it got: the renderer reports, the worker persists, cheaply."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import timedelta
from pathlib import Path

from practika.domain.base import utcnow
from practika.domain.videos import Video, VideoStatus
from practika.media import tasks
from practika.media.probe import probe
from practika.media.render import RenderOptions, render
from tests.media.conftest import MediaApi
from tests.media.test_processing import LIMITS


def test_the_renderer_reports_its_progress_up_to_the_whole_clip(
    clips: dict[str, Path], tmp_path: Path
) -> None:
    source = clips["h264_aac"]
    shares: list[float] = []
    render(source, probe(source, LIMITS), tmp_path, RenderOptions(), shares.append)
    assert len(shares) > 10  # once per frame
    assert shares == sorted(shares)
    assert 0 <= shares[0] < 0.2
    assert shares[-1] > 0.9


def test_the_worker_writes_the_latest_progress_to_the_video_row(
    mapi: MediaApi, clips: dict[str, Path]
) -> None:
    learner = mapi.signup("Leo")
    video = mapi.upload(learner, clips["h264_aac"], process=False)
    video_id = uuid.UUID(video["id"])

    async def scenario() -> float | None:
        ctx = mapi.worker().ctx
        async with ctx.sessions() as db:
            row = await db.get(Video, video_id)
            assert row is not None
            row.status = VideoStatus.PROCESSING
            await db.commit()
        report = tasks.ProgressReport()
        report(0.42)
        writer = asyncio.create_task(tasks._persist_progress(ctx, video_id, report, 0.01))
        deadline = time.monotonic() + 60
        seen = None
        try:
            while time.monotonic() < deadline and seen != 0.42:
                await asyncio.sleep(0.02)
                async with ctx.sessions() as db:
                    row = await db.get(Video, video_id)
                    assert row is not None
                    seen = row.processing_progress
        finally:
            writer.cancel()
        return seen

    assert mapi.client.portal.call(scenario) == 0.42  # type: ignore[union-attr]
    shown = mapi.get(f"/api/v1/videos/{video_id}", learner).json()
    assert shown["status"] == "processing"
    assert shown["processing_progress"] == 0.42


def test_a_processed_video_reports_it_is_done(mapi: MediaApi, clips: dict[str, Path]) -> None:
    learner = mapi.signup("Leo")
    video = mapi.upload(learner, clips["silent"])
    assert video["status"] == "ready"
    assert video["processing_progress"] == 1.0
    assert video["processing_eta_seconds"] is None
    assert video["poster_url"] and video["sprite_url"]


def test_the_estimate_is_the_time_left_at_the_pace_so_far() -> None:
    video = Video(status=VideoStatus.PROCESSING, processing_progress=0.25)
    video.processing_started_at = utcnow() - timedelta(seconds=30)
    assert video.processing_eta_seconds is not None
    assert 88 <= video.processing_eta_seconds <= 92  # 30 s for a quarter: 90 s to go
    video.processing_progress = 0.0
    assert video.processing_eta_seconds is None  # no pace yet
    video.status = VideoStatus.READY
    assert video.processing_eta_seconds is None
