"""Asking for an export (a review's MP4, an attempt's annotated MP4) and fetching it.

The worker renders (media/exports.py); the download is a short-lived signed link
handed to whoever sees the attempt's thread, served as a download of video/mp4.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from practika.config import Settings
from practika.domain import access
from practika.domain.base import utcnow
from practika.domain.comments import CommentKind
from practika.domain.errors import Invalid, NotFound
from practika.domain.exports import ExportKind, ExportStatus, MediaExport
from practika.domain.threads import Attempt
from practika.domain.users import User
from practika.media import jobs
from practika.media.exports import RENDER_EXPORT
from practika.services import comments, threads
from practika.storage import StoragePort

PENDING = (ExportStatus.QUEUED, ExportStatus.RENDERING)


@dataclass
class ExportView:
    export: MediaExport
    download_url: str | None
    expires_at: datetime | None


async def _queue(
    db: AsyncSession,
    actor: User,
    kind: ExportKind,
    attempt_id: uuid.UUID,
    comment_id: uuid.UUID | None,
    reuse: tuple[ExportStatus, ...],
) -> MediaExport:
    existing = await db.scalar(
        select(MediaExport)
        .where(
            MediaExport.kind == kind,
            MediaExport.attempt_id == attempt_id,
            MediaExport.comment_id == comment_id
            if comment_id
            else MediaExport.comment_id.is_(None),
            MediaExport.status.in_(reuse),
        )
        .order_by(MediaExport.created_at.desc())
        .limit(1)
    )
    if existing is not None:
        return existing
    export = MediaExport(
        id=uuid.uuid4(),
        kind=kind,
        attempt_id=attempt_id,
        comment_id=comment_id,
        requested_by_id=actor.id,
        status=ExportStatus.QUEUED,
    )
    db.add(export)
    jobs.enqueue(db, RENDER_EXPORT, {"export_id": str(export.id)})
    await db.commit()
    return export


async def export_review(db: AsyncSession, actor: User, comment_id: uuid.UUID) -> MediaExport:
    """The review's MP4: one per review (its actions never change), rendered once."""
    comment = await comments.get_visible(db, actor, comment_id)
    if comment.kind != CommentKind.REVIEW or comment.deleted_at is not None:
        raise Invalid("Only a voice-over review is rendered as a video.", {"field": "comment_id"})
    attempt_id = await db.scalar(select(Attempt.id).where(Attempt.video_id == comment.video_id))
    if attempt_id is None:
        raise NotFound("No such attempt.")
    return await _queue(
        db, actor, ExportKind.REVIEW, attempt_id, comment.id, (*PENDING, ExportStatus.READY)
    )


async def export_annotated(db: AsyncSession, actor: User, attempt_id: uuid.UUID) -> MediaExport:
    """An attempt with its feedback burnt in, as it stands now (a new render each time
    one is asked for, unless one is still on its way)."""
    attempt = await threads.get_attempt(db, actor, attempt_id)
    return await _queue(db, actor, ExportKind.ANNOTATED, attempt.id, None, PENDING)


async def get_export(
    db: AsyncSession, storage: StoragePort, settings: Settings, actor: User, export_id: uuid.UUID
) -> ExportView:
    export = await db.scalar(
        select(MediaExport).where(MediaExport.id == export_id, access.export_visible(actor))
    )
    if export is None:
        raise NotFound("No such export.")
    if export.status != ExportStatus.READY or not export.storage_key:
        return ExportView(export, None, None)
    ttl = settings.media_url_ttl_seconds
    key, name = export.storage_key, f"practika-{export.kind.value}.mp4"
    url = storage.playback_url(key, expires_in=ttl, content_type="video/mp4", filename=name)
    return ExportView(export, url, utcnow() + timedelta(seconds=ttl))
