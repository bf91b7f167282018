"""Job handlers: process an uploaded video, remove a video's objects.

Handlers are idempotent: running one twice (after a crash, or a retry) leaves the
same result, because derived assets are written to fixed keys and a video that
is already `ready` or `failed` is left alone. A failure removes only the derived
assets: the original stays (a valid upload must not be lost to a failure on our
side), and goes when the video is deleted.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from practika.analysis.queue import queue_analysis
from practika.config import Settings
from practika.domain.base import utcnow
from practika.domain.exercises import Exercise
from practika.domain.videos import Video, VideoPurpose, VideoStatus
from practika.media.probe import MediaRejected, Probe, ProbeLimits, probe
from practika.media.render import Rendered, RenderOptions, render
from practika.observability.metrics import metrics
from practika.storage import Storage, StoragePort, scratch, video_prefix

log = logging.getLogger("practika.media")
PROCESS_VIDEO = "process_video"
DELETE_OBJECTS = "delete_objects"


@dataclass
class MediaContext:
    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    storage: StoragePort


Handler = Callable[[MediaContext, dict[str, Any]], Awaitable[None]]


def asset_keys(video_id: object) -> dict[str, str]:
    prefix = video_prefix(video_id)
    return {
        "rendition": prefix + "rendition.mp4",
        "poster": prefix + "poster.jpg",
        "sprite": prefix + "sprite.jpg",
    }


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class Processed:
    sha256: str
    probe: Probe
    rendered: Rendered


def process_file(
    storage: Storage,
    settings: Settings,
    video_id: uuid.UUID,
    key: str,
    on_progress: Callable[[float], None] | None = None,
    *,
    audio_alone_ok: bool = False,
) -> Processed:
    """The blocking part: fetch the original, probe, render, store the derived assets.
    `audio_alone_ok`: a comment's clip, which may be a voice with no picture."""
    limits = ProbeLimits(
        tuple(settings.allowed_containers),
        settings.max_video_dimension,
        settings.max_video_duration_seconds,
        settings.max_video_pixels,
    )
    options = RenderOptions(
        # PRACTIKA_RENDITION_MAX_HEIGHT keeps its name; it caps the short side (docs/media.md).
        max_short_side=settings.rendition_max_height,
        crf=settings.rendition_crf,
        preset=settings.rendition_preset,
    )
    with (
        storage.local_copy(key) as original,
        tempfile.TemporaryDirectory(dir=scratch.folder()) as tmp,  # the job's own folder
    ):
        facts = probe(original, limits, audio_alone_ok=audio_alone_ok)
        rendered = render(original, facts, Path(tmp), options, on_progress)
        digest = sha256_of(original)
        keys = asset_keys(video_id)
        storage.put_file(keys["rendition"], rendered.rendition, "video/mp4")
        storage.put_file(keys["poster"], rendered.poster, "image/jpeg")
        storage.put_file(keys["sprite"], rendered.sprite, "image/jpeg")
        return Processed(digest, facts, rendered)


# How often a running job writes its progress to the video row: often enough for a
# progress bar polled every 2 s, rarely enough to cost nothing next to the encoding.
PROGRESS_EVERY_SECONDS = 2.0


class ProgressReport:
    """The latest share rendered, set by the encoding thread and read by the event loop."""

    def __init__(self) -> None:
        self.value = 0.0

    def __call__(self, share: float) -> None:
        self.value = share


async def _persist_progress(
    ctx: MediaContext, video_id: uuid.UUID, report: ProgressReport, every: float
) -> None:
    written = -1.0
    while True:
        await asyncio.sleep(every)
        share = round(report.value, 3)
        if share <= written:
            continue
        written = share
        # Through the ORM, not a bulk UPDATE: the read cache classifies a flushed video
        # row as touching no cached answer, while a bulk statement on `videos` would
        # invalidate every answer (readcache/topics.py), every 2 s of every job.
        async with ctx.sessions() as db:
            video = await db.get(Video, video_id)
            if video is not None and video.status == VideoStatus.PROCESSING:
                video.processing_progress = share
                await db.commit()


async def process_video(ctx: MediaContext, payload: dict[str, Any]) -> None:
    video_id = uuid.UUID(payload["video_id"])
    async with ctx.sessions() as db:
        video = await db.get(Video, video_id)
        if video is None or video.status in (VideoStatus.READY, VideoStatus.FAILED):
            return  # deleted meanwhile, or already done by an earlier run
        video.status = VideoStatus.PROCESSING
        video.processing_progress = 0.0
        video.processing_started_at = utcnow()
        await db.commit()
        key = video.storage_key
        clip = video.purpose == VideoPurpose.CLIP
    started = time.perf_counter()
    report = ProgressReport()
    reporter = asyncio.create_task(_persist_progress(ctx, video_id, report, PROGRESS_EVERY_SECONDS))
    try:
        try:
            done = await ctx.storage.run(
                partial(process_file, audio_alone_ok=clip), ctx.settings, video_id, key, report
            )
        finally:
            reporter.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reporter
    except MediaRejected as exc:
        metrics.timing("VideoProcessingTime", _ms_since(started), Outcome="rejected")
        await mark_failed(ctx, video_id, exc.reason)
        metrics.count("VideosFailed", Reason="rejected")
        return
    metrics.timing("VideoProcessingTime", _ms_since(started), Outcome="ready")
    from practika.services.threads import announce_ready_attempt

    async with ctx.sessions() as db:
        # Locked, so an attempt being added to this video right now either commits first
        # (and is announced here) or sees the video ready (and announces itself).
        video = await db.scalar(select(Video).where(Video.id == video_id).with_for_update())
        if video is None:  # deleted while we worked: leave nothing behind
            await ctx.storage.delete_prefix(video_prefix(video_id))
            return
        facts, keys = done.probe, asset_keys(video_id)
        video.sha256 = done.sha256
        video.container = facts.container
        video.detected_content_type = facts.content_type
        video.video_codec = facts.video_codec
        video.audio_codec = facts.audio_codec
        video.duration_ms = facts.duration_ms
        video.width, video.height = facts.display_size if facts.video_codec else (None, None)
        video.fps = facts.fps
        video.rotation = facts.rotation
        video.rendition_key = keys["rendition"]
        video.poster_key = keys["poster"]
        video.sprite_key = keys["sprite"]
        video.sprite_index = done.rendered.sprite_index
        video.failure_reason = None
        video.processing_progress = 1.0
        video.status = VideoStatus.READY
        # Only now is it an attempt for the coach: notified, in the inbox, counted.
        await announce_ready_attempt(db, video)
        if not clip:  # a comment's clip is no movement to analyse
            queue_analysis(db, ctx.settings, video)
        # The library shows reference videos' posters: its cached pages must hear of it.
        for exercise in await db.scalars(
            select(Exercise).where(Exercise.reference_video_id == video.id)
        ):
            exercise.updated_at = utcnow()
        await db.commit()
    log.info("video %s ready (%s, %d ms)", video_id, facts.video_codec, facts.duration_ms)


def _ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


async def mark_failed(ctx: MediaContext, video_id: uuid.UUID, reason: str) -> None:
    """The video ends `failed` with the reason; its derived assets go, so nothing of it is
    served, but the original stays so it can be processed again."""
    async with ctx.sessions() as db:
        video = await db.get(Video, video_id)
        if video is not None and video.status == VideoStatus.READY:
            return  # an earlier run finished: its assets are in use
        if video is not None:
            video.status = VideoStatus.FAILED
            video.failure_reason = reason[:500]
            video.rendition_key = video.poster_key = video.sprite_key = None
            video.sprite_index = None
            await db.commit()
        original = video.storage_key if video is not None else None
    # Deleted meanwhile: its delete job removes everything; so do we, it is harmless.
    await ctx.storage.run(remove_derived, video_id, original)
    log.info("video %s failed: %s", video_id, reason)


def remove_derived(storage: Storage, video_id: object, original: str | None) -> None:
    """Every object of the video but its original: rendition, poster, sprite and any
    partial write of them. With no original to keep, the whole prefix."""
    prefix = video_prefix(video_id)
    if original is None:
        storage.delete_prefix(prefix)
        return
    storage.delete_keys([key for key in storage.list_keys(prefix) if key != original])


async def give_up_processing(ctx: MediaContext, payload: dict[str, Any], error: str) -> None:
    metrics.count("VideosFailed", Reason="gave_up")
    await mark_failed(
        ctx,
        uuid.UUID(payload["video_id"]),
        "Processing failed repeatedly on our side; please upload the video again.",
    )


async def delete_objects(ctx: MediaContext, payload: dict[str, Any]) -> None:
    if payload.get("upload_id"):
        await ctx.storage.abort_multipart(payload["key"], payload["upload_id"])
    await ctx.storage.delete_prefix(payload["prefix"])


def _handlers() -> dict[str, Handler]:
    from practika.services.mail import SEND_EMAIL, send_email  # mail is sent by jobs too

    return {PROCESS_VIDEO: process_video, DELETE_OBJECTS: delete_objects, SEND_EMAIL: send_email}


HANDLERS: dict[str, Handler] = _handlers()
GIVE_UP: dict[str, Callable[[MediaContext, dict[str, Any], str], Awaitable[None]]] = {
    PROCESS_VIDEO: give_up_processing
}
