"""Poster and sprite URLs for videos in lists: signed like every media URL, short-lived.

Lists (attempts, threads, a learner's page) show a poster per video and scrub through
its sprite on hover. Signing is local work (an HMAC, or an S3/CloudFront presign: no
request), so a page of rows costs no query and no round trip. The URLs are set on the
loaded rows as plain attributes, which the response schemas read like columns.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from practika.config import Settings
from practika.domain.exercises import Exercise
from practika.domain.videos import Video, VideoStatus
from practika.storage import StoragePort


def url_ttl(settings: Settings) -> int:
    return settings.media_url_ttl_seconds


def cache_max_age(settings: Settings) -> float:
    """How long an answer holding these URLs may be served from the read cache: half
    their life, so a cached page never hands out a URL about to expire."""
    return settings.media_url_ttl_seconds / 2


def urls(storage: StoragePort, settings: Settings, video: Any) -> dict[str, str | None]:
    """The poster's and sprite's URLs of a video read as a row (a mapping of its columns)."""
    if video is None or video["status"] != VideoStatus.READY:
        return {"poster_url": None, "sprite_url": None}
    ttl = url_ttl(settings)
    poster, sprite = video["poster_key"], video["sprite_key"]
    return {
        "poster_url": storage.playback_url(poster, expires_in=ttl) if poster else None,
        "sprite_url": storage.playback_url(sprite, expires_in=ttl) if sprite else None,
    }


def attach(storage: StoragePort, settings: Settings, videos: Iterable[Video | None]) -> None:
    """Set `poster_url` and `sprite_url` on each ready video (None on the others)."""
    ttl = url_ttl(settings)
    for video in videos:
        if video is None:
            continue
        ready = video.status == VideoStatus.READY
        poster = video.poster_key if ready else None
        sprite = video.sprite_key if ready else None
        urls = {
            "poster_url": storage.playback_url(poster, expires_in=ttl) if poster else None,
            "sprite_url": storage.playback_url(sprite, expires_in=ttl) if sprite else None,
        }
        video.__dict__.update(urls)  # plain attributes, not columns: the ORM ignores them


async def attach_reference_videos(
    db: AsyncSession, storage: StoragePort, settings: Settings, exercises: Sequence[Exercise]
) -> None:
    """Set `reference_video` (ready, with its poster) on each exercise: one statement for
    the whole page. Whoever may see an exercise may see its reference video."""
    ids = {e.reference_video_id for e in exercises if e.reference_video_id}
    found: dict[object, Video] = {}
    if ids:
        rows = await db.scalars(
            select(Video).where(Video.id.in_(ids), Video.status == VideoStatus.READY)
        )
        found = {v.id: v for v in rows}
    attach(storage, settings, found.values())
    for exercise in exercises:
        exercise.__dict__["reference_video"] = found.get(exercise.reference_video_id)
