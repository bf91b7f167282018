"""Rendered exports: an attempt's feedback burnt into one shareable MP4.

Two kinds, one compositor (media/compose.py): a voice-over review as the coach
made it, and an attempt's annotated copy (comments as captions, drawings over
their ranges). Each is rendered by the worker and downloaded with a signed link
by whoever sees the attempt's thread.
"""

from __future__ import annotations

import enum
import uuid

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from practika.domain.base import Base, IdMixin, TimestampMixin, enum_column


class ExportKind(enum.StrEnum):
    REVIEW = "review"
    ANNOTATED = "annotated"


class ExportStatus(enum.StrEnum):
    QUEUED = "queued"
    RENDERING = "rendering"
    READY = "ready"
    FAILED = "failed"


class MediaExport(IdMixin, TimestampMixin, Base):
    __tablename__ = "media_exports"
    __table_args__ = (Index("ix_media_exports_attempt_created", "attempt_id", "created_at"),)

    kind: Mapped[ExportKind] = mapped_column(enum_column(ExportKind, "export_kind"))
    attempt_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    # The review rendered (kind `review`); none for an annotated export.
    comment_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    requested_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    status: Mapped[ExportStatus] = mapped_column(
        enum_column(ExportStatus, "export_status"), default=ExportStatus.QUEUED
    )
    storage_key: Mapped[str | None] = mapped_column(String(400))
    failure_reason: Mapped[str | None] = mapped_column(String(500))
    duration_ms: Mapped[int | None] = mapped_column(BigInteger)
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
