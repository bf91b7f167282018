"""The analysis stage of the worker: a ready video's pose track, as its own job.

It runs after the rendition, from the rendition (upright, small), and never changes
the video's own status: a failure here leaves the video playable, the analysis
`failed` (retried like any job first), and no person found ends it `none`.
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from practika.analysis import pose
from practika.analysis.queue import ANALYSE_VIDEO, track_key
from practika.analysis.track import PoseTrack, encode
from practika.domain.analysis import AnalysisStatus, VideoAnalysis
from practika.domain.videos import Video, VideoStatus
from practika.media.tasks import MediaContext
from practika.observability.metrics import metrics
from practika.storage import Storage

log = logging.getLogger("practika.analysis")
# Below this share of analysed frames with a person, there is nothing to analyse.
MIN_PERSON_SHARE = 0.2


async def _analysis(db: AsyncSession, video_id: uuid.UUID) -> VideoAnalysis | None:
    return await db.scalar(select(VideoAnalysis).where(VideoAnalysis.video_id == video_id))


def _extract(storage: Storage, key: str, max_fps: float) -> PoseTrack:
    with storage.local_copy(key) as rendition:
        return pose.extract(rendition, max_fps=max_fps)


async def analyse_video(ctx: MediaContext, payload: dict[str, Any]) -> None:
    video_id = uuid.UUID(payload["video_id"])
    async with ctx.sessions() as db:
        video = await db.get(Video, video_id)
        analysis = await _analysis(db, video_id)
        if video is None or analysis is None or video.status != VideoStatus.READY:
            return  # deleted meanwhile
        if analysis.status in (AnalysisStatus.DONE, AnalysisStatus.NONE):
            return  # an earlier run finished
        if not video.rendition_key:
            return
        analysis.status = AnalysisStatus.RUNNING
        await db.commit()
        rendition = video.rendition_key
    started = time.process_time()
    track = await ctx.storage.run(_extract, rendition, ctx.settings.analysis_max_fps)
    metrics.timing("PoseAnalysisCpuTime", (time.process_time() - started) * 1000)
    people = int(track.present.sum())
    found = track.frame_count > 0 and people / track.frame_count >= MIN_PERSON_SHARE
    key = track_key(video_id)
    if found:
        await ctx.storage.put_bytes(key, encode(track), "application/octet-stream")
    async with ctx.sessions() as db:
        analysis = await _analysis(db, video_id)
        if analysis is None:  # the video went while we worked
            await ctx.storage.delete_keys([key])
            return
        analysis.model = track.model
        analysis.frame_count = track.frame_count
        analysis.person_frames = people
        analysis.frames_done = track.frame_count
        duration = (track.times_ms[-1] - track.times_ms[0]) / 1000 if track.frame_count > 1 else 0
        analysis.analysed_fps = round((track.frame_count - 1) / duration, 2) if duration else None
        if found:
            analysis.status, analysis.track_key, analysis.reason = AnalysisStatus.DONE, key, None
        else:
            analysis.status, analysis.track_key = AnalysisStatus.NONE, None
            analysis.reason = (
                "No person was found in the video."
                if people == 0
                else (
                    f"A person was found in only {people} of {track.frame_count} analysed frames."
                )
            )
        await db.commit()
    log.info(
        "video %s analysed: %s (%d/%d frames)", video_id, analysis.status, people, track.frame_count
    )


async def give_up_analysis(ctx: MediaContext, payload: dict[str, Any], error: str) -> None:
    async with ctx.sessions() as db:
        analysis = await _analysis(db, uuid.UUID(payload["video_id"]))
        if analysis is not None and analysis.status not in (
            AnalysisStatus.DONE,
            AnalysisStatus.NONE,
        ):
            analysis.status = AnalysisStatus.FAILED
            analysis.reason = "Movement analysis failed on our side; the video itself is fine."
            await db.commit()
    metrics.count("PoseAnalysisFailed")


HANDLERS = {ANALYSE_VIDEO: analyse_video}
GIVE_UP = {ANALYSE_VIDEO: give_up_analysis}
