"""Uploaded media objects and the states they move through."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, Float, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from practika.domain.base import Base, IdMixin, TimestampMixin, enum_column, utcnow


class VideoStatus(enum.StrEnum):
    UPLOADING = "uploading"
    UPLOADED = "uploaded"
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"


# The status machine: which state may follow which. Re-entering processing is allowed
# so that a job picked up again after a crash can run to completion.
VIDEO_TRANSITIONS: dict[VideoStatus, frozenset[VideoStatus]] = {
    VideoStatus.UPLOADING: frozenset({VideoStatus.UPLOADED, VideoStatus.FAILED}),
    VideoStatus.UPLOADED: frozenset({VideoStatus.PROCESSING, VideoStatus.FAILED}),
    VideoStatus.PROCESSING: frozenset(
        {VideoStatus.PROCESSING, VideoStatus.READY, VideoStatus.FAILED}
    ),
    VideoStatus.READY: frozenset(),
    # Only by an operator's `practika reprocess`, when the original was kept.
    VideoStatus.FAILED: frozenset({VideoStatus.UPLOADED}),
}


class VideoPurpose(enum.StrEnum):
    ATTEMPT = "attempt"  # a picture to practise with: an attempt or a reference video
    CLIP = "clip"  # what a comment carries: a short video or voice (audio alone is fine)


class Video(IdMixin, TimestampMixin, Base):
    __tablename__ = "videos"
    __table_args__ = (
        CheckConstraint("size_bytes IS NULL OR size_bytes >= 0", name="size_nonnegative"),
        CheckConstraint("duration_ms IS NULL OR duration_ms > 0", name="duration_positive"),
        Index("ix_videos_owner_created", "owner_id", "created_at"),
        Index("ix_videos_status", "status"),
    )

    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    original_name: Mapped[str] = mapped_column(String(255))
    declared_content_type: Mapped[str] = mapped_column(String(100))
    detected_content_type: Mapped[str | None] = mapped_column(String(100))
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    sha256: Mapped[str | None] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(400), unique=True)
    status: Mapped[VideoStatus] = mapped_column(
        enum_column(VideoStatus, "video_status"), default=VideoStatus.UPLOADING
    )
    failure_reason: Mapped[str | None] = mapped_column(String(500))
    purpose: Mapped[VideoPurpose] = mapped_column(
        enum_column(VideoPurpose, "video_purpose"),
        default=VideoPurpose.ATTEMPT,
        server_default=VideoPurpose.ATTEMPT.value,
    )

    # Probed facts: what the file really is, not what the client claimed.
    container: Mapped[str | None] = mapped_column(String(40))
    video_codec: Mapped[str | None] = mapped_column(String(40))
    audio_codec: Mapped[str | None] = mapped_column(String(40))
    duration_ms: Mapped[int | None] = mapped_column(BigInteger)
    width: Mapped[int | None]
    height: Mapped[int | None]
    fps: Mapped[float | None] = mapped_column(Float)
    rotation: Mapped[int | None]

    # Derived assets, as storage keys.
    poster_key: Mapped[str | None] = mapped_column(String(400))
    sprite_key: Mapped[str | None] = mapped_column(String(400))
    sprite_index: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    rendition_key: Mapped[str | None] = mapped_column(String(400))

    # While processing: the share of the clip rendered (0..1, written every few seconds
    # by the worker) and when this run started, for the estimate of the time left.
    processing_progress: Mapped[float | None] = mapped_column(Float)
    processing_started_at: Mapped[datetime | None]

    @property
    def processing_eta_seconds(self) -> int | None:
        """Time left at the pace so far; None until there is a pace to go by."""
        progress, started = self.processing_progress, self.processing_started_at
        if self.status != VideoStatus.PROCESSING or not progress or started is None:
            return None
        if progress >= 1:
            return 0
        elapsed = (utcnow() - started).total_seconds()
        return max(0, round(elapsed * (1 - progress) / progress))

    def can_move_to(self, status: VideoStatus) -> bool:
        return status in VIDEO_TRANSITIONS[self.status]
