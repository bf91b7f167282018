"""A comment's clip: a short video or voice the author recorded or uploaded for it.

Clips go through the same upload, probe and transcode path as attempts (uploaded
with `purpose: clip`, which may be audio alone); a comment takes one only once it
is processed, only from its own author, and only as long as the rules allow.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from practika.domain import access
from practika.domain.errors import Conflict, Invalid
from practika.domain.timecodes import format_ms
from practika.domain.users import User
from practika.domain.videos import Video, VideoPurpose, VideoStatus

DEFAULT_MAX_REPLY_MS = 180_000  # Settings.max_reply_clip_seconds' default


async def check(
    db: AsyncSession,
    actor: User,
    video_id: uuid.UUID,
    *,
    max_ms: int,
    field: str = "media_video_id",
    needs_sound: bool = False,
) -> Video:
    """The actor's processed clip, or the reason it cannot go with a comment."""
    video = await db.scalar(select(Video).where(Video.id == video_id, access.video_owned(actor)))
    if video is None or video.purpose != VideoPurpose.CLIP:
        raise Invalid(
            "A comment's clip must be one you uploaded as a clip (purpose `clip`).",
            {"field": field},
        )
    if video.status == VideoStatus.FAILED:
        raise Invalid(f"That clip could not be processed: {video.failure_reason}", {"field": field})
    if video.status != VideoStatus.READY or video.duration_ms is None:
        raise Conflict(
            "That clip is still being processed; add it once it is ready.",
            {"field": field, "status": video.status.value},
            code="video_not_ready",
        )
    if video.duration_ms > max_ms:
        raise Invalid(
            f"The clip is {format_ms(video.duration_ms)} long; it may be at most "
            f"{format_ms(max_ms)}.",
            {"field": field, "duration_ms": video.duration_ms, "max_ms": max_ms},
            code="clip_too_long",
        )
    if needs_sound and video.audio_codec is None:
        raise Invalid("A voice-over needs a recording with sound.", {"field": field})
    return video
