from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from practika.api.schemas.common import Model
from practika.domain.videos import VideoStatus


class VideoOut(Model):
    id: uuid.UUID
    owner_id: uuid.UUID
    original_name: str
    status: VideoStatus
    failure_reason: str | None
    size_bytes: int | None
    sha256: str | None
    container: str | None
    video_codec: str | None
    audio_codec: str | None
    duration_ms: int | None
    width: int | None
    height: int | None
    fps: float | None
    rotation: int | None
    sprite_index: dict[str, Any] | None
    created_at: datetime
