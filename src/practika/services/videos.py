"""Videos a person may see: their facts, short-lived playback URLs, and their removal."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from practika.config import Settings
from practika.domain import access
from practika.domain.base import utcnow
from practika.domain.comments import Comment
from practika.domain.errors import Conflict, NotFound
from practika.domain.exercises import Exercise
from practika.domain.threads import Attempt
from practika.domain.uploads import Upload
from practika.domain.users import User
from practika.domain.videos import Video, VideoStatus
from practika.storage import PendingUpload, Storage, StoragePort

# How long an uploaded video may stay attached to nothing (no attempt, no exercise)
# before `reconcile-media` removes it: time to finish the form it was uploaded for.
UNATTACHED_GRACE = timedelta(hours=24)


async def get_visible(db: AsyncSession, actor: User | None, video_id: uuid.UUID) -> Video:
    video = await db.scalar(select(Video).where(Video.id == video_id, access.video_visible(actor)))
    if video is None:
        raise NotFound("No such video.")
    return video


@dataclass
class Playback:
    original_url: str
    rendition_url: str
    poster_url: str
    sprite_url: str
    sprite_index: dict[str, Any]
    expires_at: datetime


async def playback(
    db: AsyncSession,
    storage: StoragePort,
    settings: Settings,
    actor: User | None,
    video_id: uuid.UUID,
) -> Playback:
    """URLs that expire soon, for people allowed to see the video, once it is ready."""
    video = await get_visible(db, actor, video_id)
    return await sign_playback(storage, settings, video)


async def sign_playback(storage: StoragePort, settings: Settings, video: Video) -> Playback:
    """Signed URLs for a video the caller has already decided may be seen."""
    if video.status != VideoStatus.READY or not (
        video.rendition_key and video.poster_key and video.sprite_key
    ):
        reason = f": {video.failure_reason}" if video.status == VideoStatus.FAILED else ""
        raise Conflict(
            f"This video is {video.status.value}, not ready to play{reason}.",
            {"status": video.status.value, "failure_reason": video.failure_reason},
            code="video_not_ready",
        )
    ttl = settings.media_url_ttl_seconds
    derived = (video.rendition_key, video.poster_key, video.sprite_key)

    def sign(backend: Storage) -> list[str]:
        # The original is served as what the probe found (or as a download), never as
        # what its name says; derived assets have fixed types (storage/serving.py).
        original = backend.playback_url(
            video.storage_key,
            expires_in=ttl,
            content_type=video.detected_content_type,
            filename=video.original_name,
        )
        return [original, *(backend.playback_url(key, expires_in=ttl) for key in derived)]

    original, rendition, poster, sprite = await storage.run(sign)
    return Playback(
        original,
        rendition,
        poster,
        sprite,
        video.sprite_index or {},
        utcnow() + timedelta(seconds=ttl),
    )


async def remove(db: AsyncSession, videos: list[Video]) -> None:
    """Delete video rows and queue the removal of their objects, in the caller's transaction."""
    from practika.services.uploads import schedule_removal

    for video in videos:
        upload = await db.get(Upload, video.id)
        schedule_removal(db, video, upload)
        await db.delete(video)


@dataclass(frozen=True)
class Reprocessed:
    queued: list[uuid.UUID]
    skipped: dict[uuid.UUID, str]  # video id -> why not


async def reprocess(
    db: AsyncSession, storage: StoragePort, video_ids: list[uuid.UUID]
) -> Reprocessed:
    """Queue failed videos for processing again (after a fix on our side: a give-up, a
    codec the pipeline learned). Only a failed video whose original is still stored can
    go back: it becomes `uploaded` with a new processing job, in one transaction."""
    from practika.media import jobs
    from practika.media.tasks import PROCESS_VIDEO

    queued: list[uuid.UUID] = []
    skipped: dict[uuid.UUID, str] = {}
    rows = await db.scalars(select(Video).where(Video.id.in_(video_ids)).with_for_update())
    found = {video.id: video for video in rows}
    for video_id in video_ids:
        video = found.get(video_id)
        if video is None:
            skipped[video_id] = "no such video"
        elif not video.can_move_to(VideoStatus.UPLOADED):
            skipped[video_id] = f"it is {video.status.value}, not failed"
        elif await storage.size(video.storage_key) is None:
            skipped[video_id] = "its original is gone (an upload that never completed)"
        else:
            video.status = VideoStatus.UPLOADED
            video.failure_reason = None
            jobs.enqueue(db, PROCESS_VIDEO, {"video_id": str(video.id)})
            queued.append(video_id)
    await db.commit()
    return Reprocessed(queued, skipped)


def attached(video_id: Any) -> Any:
    """SQL: an attempt or an exercise shows this video, or feedback points at it.

    A replaced reference video that people commented on stays with its comments: feedback
    is never dropped as a side effect of someone else's edit."""
    return or_(
        exists().where(Attempt.video_id == video_id),
        exists().where(Exercise.reference_video_id == video_id),
        exists().where(Comment.video_id == video_id),
        exists().where(Comment.media_video_id == video_id),  # a reply's or review's clip
    )


async def in_use(db: AsyncSession, video_id: uuid.UUID) -> bool:
    """Whether anything still shows the video (flush pending changes first)."""
    return bool(await db.scalar(select(attached(video_id))))


def _unattached(cutoff: datetime) -> Any:
    # Uploads still in progress are left to their expiry; a failed video is included:
    # its original is kept for a retry, but not forever when nothing uses it.
    return select(Video).where(
        Video.status != VideoStatus.UPLOADING,
        Video.updated_at < cutoff,
        ~attached(Video.id),
    )


@dataclass(frozen=True)
class StaleVideo:
    id: uuid.UUID
    status: VideoStatus
    updated_at: datetime


@dataclass
class Orphans:
    """Stored bytes no video row accounts for, and videos nothing uses."""

    objects: list[str]
    uploads: list[PendingUpload]
    videos: list[StaleVideo] = field(default_factory=list)


async def find_orphans(
    db: AsyncSession,
    storage: StoragePort,
    *,
    grace: timedelta = timedelta(hours=1),
    unattached_grace: timedelta = UNATTACHED_GRACE,
) -> Orphans:
    """Objects under `videos/` whose video is gone, multipart uploads nobody tracks, and
    uploaded videos attached to no attempt or exercise for longer than `unattached_grace`.

    Uploads younger than `grace` are left alone: one may be starting right now, its
    row not yet committed. Objects of a video with a row (a failed video's kept
    original too) are never orphans.
    """
    keys = await storage.list_keys("videos/")
    by_video: dict[str, list[str]] = {}
    for key in keys:
        by_video.setdefault(key.split("/")[1], []).append(key)
    ids = {}
    for name in by_video:
        try:
            ids[name] = uuid.UUID(name)
        except ValueError:
            continue
    known: set[uuid.UUID] = set()
    wanted = list(ids.values())
    for start in range(0, len(wanted), 500):
        known.update(
            await db.scalars(select(Video.id).where(Video.id.in_(wanted[start : start + 500])))
        )
    objects = sorted(
        key for name, group in by_video.items() if ids.get(name) not in known for key in group
    )
    pending = await storage.list_multipart_uploads()
    tracked = set(await db.scalars(select(Upload.upload_id)))
    cutoff = utcnow() - grace
    stale = [u for u in pending if u.upload_id not in tracked and u.initiated < cutoff]
    unused = await db.scalars(_unattached(utcnow() - unattached_grace).order_by(Video.updated_at))
    videos = [StaleVideo(v.id, v.status, v.updated_at) for v in unused]
    return Orphans(objects, stale, videos)


async def remove_orphans(
    db: AsyncSession,
    storage: StoragePort,
    orphans: Orphans,
    *,
    unattached_grace: timedelta = UNATTACHED_GRACE,
) -> None:
    """Remove orphan objects and stale uploads now; unattached videos the way an attempt
    delete does (row gone, a job removes the objects), unless attached meanwhile."""
    if orphans.videos:
        ids = [v.id for v in orphans.videos]
        still = _unattached(utcnow() - unattached_grace).where(Video.id.in_(ids))
        await remove(db, list(await db.scalars(still.with_for_update())))
        await db.commit()

    def remove_stored(backend: Storage) -> None:
        for key in orphans.objects:
            backend.delete_prefix(key)
        for upload in orphans.uploads:
            backend.abort_multipart(upload.key, upload.upload_id)

    await storage.run(remove_stored)
