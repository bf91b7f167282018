"""Resumable uploads: the S3 multipart protocol, for S3 and the local folder alike.

The client starts an upload and gets a URL per part, sends parts (in parallel,
again after a network cut), asks which parts arrived, then completes. Completing
checks every part against the declared size, assembles the object and queues
processing in the same transaction that marks the video `uploaded`.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import uuid
import weakref
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from practika.config import Settings
from practika.domain import access
from practika.domain.base import utcnow
from practika.domain.errors import Conflict, Invalid, NotFound
from practika.domain.uploads import Upload
from practika.domain.users import User
from practika.domain.videos import Video, VideoPurpose, VideoStatus
from practika.media import jobs
from practika.media.tasks import DELETE_OBJECTS, PROCESS_VIDEO, MediaContext
from practika.observability.metrics import metrics
from practika.storage import Part, Storage, StoragePort, video_prefix
from practika.storage.serving import original_key

MAX_PARTS = 10_000  # S3's limit
URL_BATCH = 1_000  # part URLs handed out at once; more on request
_completing_locks: weakref.WeakValueDictionary[uuid.UUID, asyncio.Lock] = (
    weakref.WeakValueDictionary()
)


def _completing(video_id: uuid.UUID) -> asyncio.Lock:
    lock = _completing_locks.get(video_id)
    if lock is None:
        lock = _completing_locks[video_id] = asyncio.Lock()
    return lock


@dataclass
class PartUrl:
    part_number: int
    url: str


@dataclass
class StartedUpload:
    video: Video
    upload: Upload
    parts: list[PartUrl]


@dataclass
class UploadState:
    video: Video
    upload: Upload | None
    parts_received: list[Part]


def part_size_for(size: int, settings: Settings) -> int:
    """The configured part size, grown when a file would otherwise need too many parts."""
    return max(settings.upload_part_size, math.ceil(size / MAX_PARTS))


def _url_ttl(settings: Settings, upload: Upload) -> int:
    left = (upload.expires_at - utcnow()).total_seconds()
    return max(1, int(min(left, settings.media_url_ttl_seconds * 4)))


async def _part_urls(
    storage: StoragePort, settings: Settings, video: Video, upload: Upload, numbers: list[int]
) -> list[PartUrl]:
    ttl = _url_ttl(settings, upload)

    def sign(backend: Storage) -> list[PartUrl]:
        return [
            PartUrl(
                n,
                backend.part_url(
                    video.storage_key,
                    upload.upload_id,
                    n,
                    max_bytes=upload.expected_size(n),
                    expires_in=ttl,
                ),
            )
            for n in numbers
        ]

    return await storage.run(sign)


async def start(
    db: AsyncSession,
    storage: StoragePort,
    settings: Settings,
    actor: User,
    *,
    filename: str,
    content_type: str,
    size_bytes: int,
    purpose: VideoPurpose = VideoPurpose.ATTEMPT,
) -> StartedUpload:
    content_type = content_type.split(";")[0].strip().lower()
    allowed = list(settings.allowed_content_types)
    if purpose == VideoPurpose.CLIP:  # a voice recorded in the browser is audio/webm
        allowed += settings.allowed_clip_content_types
    if content_type not in allowed:
        raise Invalid(
            f"Videos are uploaded as one of {', '.join(allowed)}; got {content_type!r}.",
            {"field": "content_type"},
            code="unsupported_media_type",
        )
    if size_bytes > settings.max_upload_bytes:
        raise Invalid(
            f"The file is {size_bytes} bytes; uploads are limited to "
            f"{settings.max_upload_bytes} bytes.",
            {"field": "size_bytes", "max_bytes": settings.max_upload_bytes},
            code="upload_too_large",
        )
    video_id = uuid.uuid4()
    key = original_key(video_id)  # never the uploader's extension: it is no type of ours
    part_size = part_size_for(size_bytes, settings)
    upload_id = await storage.create_multipart(
        key, content_type, filename=filename, size=size_bytes, part_size=part_size
    )
    now = utcnow()
    video = Video(
        id=video_id,
        owner_id=actor.id,
        original_name=filename,
        declared_content_type=content_type,
        size_bytes=size_bytes,
        storage_key=key,
        status=VideoStatus.UPLOADING,
        purpose=purpose,
    )
    upload = Upload(
        video_id=video_id,
        upload_id=upload_id,
        part_size=part_size,
        part_count=max(1, math.ceil(size_bytes / part_size)),
        declared_size=size_bytes,
        created_at=now,
        expires_at=now + timedelta(hours=settings.upload_expiry_hours),
    )
    db.add(video)
    await db.flush()
    db.add(upload)
    await db.commit()
    metrics.count("UploadsStarted")
    numbers = list(range(1, min(upload.part_count, URL_BATCH) + 1))
    return StartedUpload(video, upload, await _part_urls(storage, settings, video, upload, numbers))


async def _own_upload(
    db: AsyncSession, actor: User, video_id: uuid.UUID, *, lock: bool = False
) -> tuple[Video, Upload | None]:
    query = select(Video).where(Video.id == video_id, access.video_owned(actor))
    video = await db.scalar(query.with_for_update() if lock else query)
    if video is None:
        raise NotFound("No such upload.")
    return video, await db.get(Upload, video_id)


def _still_open(video: Video, upload: Upload | None) -> Upload:
    if video.status != VideoStatus.UPLOADING or upload is None:
        raise Conflict(
            f"This upload is no longer open (the video is {video.status.value}).",
            {"status": video.status.value},
            code="upload_closed",
        )
    return upload


def _not_expired(upload: Upload) -> None:
    """An upload past its expiry is refused at once, before the sweeper gets to it."""
    if upload.expires_at <= utcnow():
        raise Conflict(
            "This upload expired before it was completed; please upload the video again.",
            {"expires_at": upload.expires_at.isoformat()},
            code="upload_expired",
        )


async def more_part_urls(
    db: AsyncSession,
    storage: StoragePort,
    settings: Settings,
    actor: User,
    video_id: uuid.UUID,
    numbers: list[int],
) -> list[PartUrl]:
    video, upload = await _own_upload(db, actor, video_id)
    upload = _still_open(video, upload)
    _not_expired(upload)
    bad = [n for n in numbers if not 1 <= n <= upload.part_count]
    if bad:
        raise Invalid(
            f"Part numbers run from 1 to {upload.part_count}.",
            {"field": "part_numbers", "invalid": bad[:20]},
        )
    return await _part_urls(storage, settings, video, upload, sorted(set(numbers)))


async def state(
    db: AsyncSession, storage: StoragePort, actor: User, video_id: uuid.UUID
) -> UploadState:
    """What arrived so far, so an interrupted client sends only the rest."""
    video, upload = await _own_upload(db, actor, video_id)
    parts: list[Part] = []
    if video.status == VideoStatus.UPLOADING and upload is not None:
        with contextlib.suppress(Invalid):  # the backend lost it: nothing has arrived
            parts = await storage.received_parts(video.storage_key, upload.upload_id)
    return UploadState(video, upload, parts)


async def complete(
    db: AsyncSession,
    storage: StoragePort,
    actor: User,
    video_id: uuid.UUID,
    parts: list[tuple[int, str]],
) -> Video:
    # Clients retry a complete whose answer was lost, sometimes while the first is still
    # running: the row lock (PostgreSQL) and the in-process lock (SQLite, which has no
    # row locks) make the second wait and then answer with the first one's result.
    async with _completing(video_id):
        return await _complete_locked(db, storage, actor, video_id, parts)


async def _complete_locked(
    db: AsyncSession,
    storage: StoragePort,
    actor: User,
    video_id: uuid.UUID,
    parts: list[tuple[int, str]],
) -> Video:
    video, upload = await _own_upload(db, actor, video_id, lock=True)
    if video.status in (VideoStatus.UPLOADED, VideoStatus.PROCESSING, VideoStatus.READY):
        return video  # a retried complete (the first answer was lost): same result
    upload = _still_open(video, upload)
    _not_expired(upload)
    _lists_every_part(upload, parts)
    received = await storage.received_parts(video.storage_key, upload.upload_id)
    sent = _matching_parts(upload, {p.part_number: p for p in received}, parts)
    await storage.complete_multipart(video.storage_key, upload.upload_id, sent)
    video.status = VideoStatus.UPLOADED
    video.size_bytes = upload.declared_size
    await db.delete(upload)
    jobs.enqueue(db, PROCESS_VIDEO, {"video_id": str(video.id)})
    await db.commit()
    metrics.count("UploadsCompleted")
    metrics.count("UploadedBytes", float(upload.declared_size))
    return video


def _lists_every_part(upload: Upload, parts: list[tuple[int, str]]) -> None:
    if [n for n, _ in parts] != list(range(1, upload.part_count + 1)):
        raise Invalid(
            f"Complete with every part, 1 to {upload.part_count}, in order.",
            {"field": "parts", "part_count": upload.part_count},
        )


def _matching_parts(
    upload: Upload, received: dict[int, Part], parts: list[tuple[int, str]]
) -> list[tuple[int, str]]:
    """The parts to assemble, once each has arrived whole and is the one the client sent."""
    missing = [n for n, _ in parts if n not in received]
    if missing:
        raise Invalid(
            f"{len(missing)} part(s) have not arrived yet.",
            {"field": "parts", "missing": missing[:100]},
            code="parts_missing",
        )
    for n, _ in parts:
        if received[n].size != upload.expected_size(n):
            raise Invalid(
                f"Part {n} holds {received[n].size} bytes; it must hold "
                f"{upload.expected_size(n)} for the declared size of {upload.declared_size}.",
                {"field": "parts", "part_number": n},
                code="part_size_mismatch",
            )
    if any(received[n].etag.strip('"') != etag.strip('"') for n, etag in parts):
        raise Invalid("A part's ETag does not match what arrived.", {"field": "parts"})
    return [(n, received[n].etag) for n, _ in parts]


async def abort(db: AsyncSession, storage: StoragePort, actor: User, video_id: uuid.UUID) -> None:
    video, upload = await _own_upload(db, actor, video_id)
    upload = _still_open(video, upload)
    await storage.abort_multipart(video.storage_key, upload.upload_id)
    await db.delete(video)
    await db.commit()


def schedule_removal(db: AsyncSession, video: Video, upload: Upload | None = None) -> None:
    """Queue the removal of a video's objects; it happens once the caller commits."""
    payload: dict[str, str] = {"prefix": video_prefix(video.id), "key": video.storage_key}
    if upload is not None:
        payload["upload_id"] = upload.upload_id
    jobs.enqueue(db, DELETE_OBJECTS, payload)


async def expire_stale(ctx: MediaContext, now: datetime | None = None) -> int:
    """Uploads left unfinished past their expiry end `failed`; their parts are dropped."""
    now = now or utcnow()
    async with ctx.sessions() as db:
        rows = (
            await db.execute(
                select(Video, Upload)
                .join(Upload, Upload.video_id == Video.id)
                .where(Upload.expires_at < now)
            )
        ).all()
        for video, upload in rows:
            video.status = VideoStatus.FAILED
            video.failure_reason = "The upload expired before it was completed."
            schedule_removal(db, video, upload)
            await db.delete(upload)
        await db.commit()
    return len(rows)
