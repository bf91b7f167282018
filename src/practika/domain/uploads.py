"""An upload in progress: the multipart upload behind a video that is still arriving."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from practika.domain.base import Base, utcnow


class Upload(Base):
    """One per video in `uploading`; removed when the upload completes, aborts or expires."""

    __tablename__ = "uploads"

    video_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("videos.id", ondelete="CASCADE"), primary_key=True
    )
    # The storage backend's multipart upload id (S3's UploadId, or the local folder's name).
    upload_id: Mapped[str] = mapped_column(String(1024))
    part_size: Mapped[int] = mapped_column(BigInteger)
    part_count: Mapped[int]
    declared_size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)

    def expected_size(self, part_number: int) -> int:
        """How many bytes part `part_number` must hold for the total to match."""
        if part_number < self.part_count:
            return self.part_size
        return self.declared_size - self.part_size * (self.part_count - 1)
