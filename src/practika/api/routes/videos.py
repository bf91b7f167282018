"""Videos: status and probed facts (the media pipeline adds uploads and playback)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from practika.api.deps import Actor, SessionDep, SettingsDep, StorageDep
from practika.api.schemas.media import PlaybackOut, VideoOut
from practika.domain.videos import Video
from practika.services import thumbnails, videos

router = APIRouter(prefix="/videos", tags=["videos"])


@router.get("/{video_id}", response_model=VideoOut)
async def get_video(
    video_id: uuid.UUID, actor: Actor, db: SessionDep, storage: StorageDep, settings: SettingsDep
) -> Video:
    """Status (with progress while processing), probed facts and, once ready, the poster."""
    video = await videos.get_visible(db, actor, video_id)
    thumbnails.attach(storage, settings, [video])
    return video


@router.get("/{video_id}/playback", response_model=PlaybackOut)
async def playback(
    video_id: uuid.UUID, actor: Actor, db: SessionDep, storage: StorageDep, settings: SettingsDep
) -> videos.Playback:
    """Short-lived URLs for the original, the rendition, the poster and the scrub sprite."""
    return await videos.playback(db, storage, settings, actor, video_id)
