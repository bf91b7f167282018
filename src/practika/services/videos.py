"""Looking up videos a person may see; the media pipeline fills them in."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from practika.domain import access
from practika.domain.errors import NotFound
from practika.domain.users import User
from practika.domain.videos import Video


async def get_visible(db: AsyncSession, actor: User | None, video_id: uuid.UUID) -> Video:
    video = await db.scalar(select(Video).where(Video.id == video_id, access.video_visible(actor)))
    if video is None:
        raise NotFound("No such video.")
    return video
