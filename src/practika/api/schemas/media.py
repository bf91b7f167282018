"""Shapes of videos, uploads and playback URLs (see docs/media-protocol.md)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import Field

from practika.api.schemas.common import Input, Model
from practika.domain.videos import VideoPurpose, VideoStatus


class VideoOut(Model):
    id: uuid.UUID
    owner_id: uuid.UUID
    original_name: str
    status: VideoStatus
    purpose: VideoPurpose = VideoPurpose.ATTEMPT
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
    detected_content_type: str | None
    sprite_index: dict[str, Any] | None
    created_at: datetime
    poster_url: str | None = Field(
        default=None, description="a short-lived URL of the poster, once ready (lists)"
    )
    sprite_url: str | None = Field(
        default=None, description="a short-lived URL of the scrub sprite, once ready (lists)"
    )
    processing_progress: float | None = Field(
        default=None, description="while processing: the share rendered so far, 0 to 1"
    )
    processing_eta_seconds: int | None = Field(
        default=None, description="while processing: the time left at the pace so far"
    )


class UploadStartIn(Input):
    filename: str = Field(min_length=1, max_length=255)
    content_type: str = Field(min_length=1, max_length=100)
    size_bytes: int = Field(ge=0, description="the exact size of the file")
    purpose: VideoPurpose = Field(
        default=VideoPurpose.ATTEMPT,
        description="`clip`: a comment's recorded or uploaded clip, which may be audio alone",
    )


class PartUrlOut(Model):
    part_number: int
    url: str = Field(description="PUT the part's raw bytes here; relative URLs are on this API")


class UploadStartOut(Model):
    video_id: uuid.UUID
    part_size: int
    part_count: int
    expires_at: datetime
    parts: list[PartUrlOut]


class PartNumbersIn(Input):
    part_numbers: list[Annotated[int, Field(ge=1)]] = Field(min_length=1, max_length=1000)


class PartUrlsOut(Model):
    parts: list[PartUrlOut]


class ReceivedPartOut(Model):
    part_number: int
    etag: str
    size: int


class UploadStateOut(Model):
    video_id: uuid.UUID
    status: VideoStatus
    part_size: int | None
    part_count: int | None
    expires_at: datetime | None
    parts_received: list[ReceivedPartOut]


class CompletePartIn(Input):
    part_number: int = Field(ge=1)
    etag: str = Field(min_length=1, max_length=200)


class CompleteIn(Input):
    parts: list[CompletePartIn] = Field(min_length=1, max_length=10_000)


class PlaybackOut(Model):
    original_url: str
    rendition_url: str
    poster_url: str
    sprite_url: str
    sprite_index: dict[str, Any]
    expires_at: datetime
