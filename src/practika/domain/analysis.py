"""Movement analysis of a video: its pose track's state, and alignments between videos.

The analysis is a derived object of its video: it follows the video's access rules,
goes when the video goes, and never holds the video back from `ready`.
"""

from __future__ import annotations

import enum
import uuid
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from practika.domain.base import Base, IdMixin, TimestampMixin, enum_column


class AnalysisStatus(enum.StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    NONE = "none"  # analysed, and no person was found: not an error
    FAILED = "failed"


class VideoAnalysis(IdMixin, TimestampMixin, Base):
    __tablename__ = "video_analyses"

    video_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("videos.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[AnalysisStatus] = mapped_column(
        enum_column(AnalysisStatus, "analysis_status"), default=AnalysisStatus.PENDING
    )
    reason: Mapped[str | None] = mapped_column(String(500))
    model: Mapped[str | None] = mapped_column(String(80))
    track_key: Mapped[str | None] = mapped_column(String(400))
    frame_count: Mapped[int | None]
    person_frames: Mapped[int | None]
    frames_done: Mapped[int | None]
    analysed_fps: Mapped[float | None] = mapped_column(Float)


class PoseAlignment(IdMixin, TimestampMixin, Base):
    """The time map from one video (the attempt) to another (the reference). `source`
    names the two analyses it was computed from, so a re-analysed video is re-aligned."""

    __tablename__ = "pose_alignments"
    __table_args__ = (UniqueConstraint("video_id", "reference_video_id"),)

    video_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"))
    reference_video_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("videos.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(String(200))
    pairs: Mapped[list[Any]] = mapped_column(JSON)
    cost: Mapped[float] = mapped_column(Float)
