"""Practice sessions: a run of a playlist or a single exercise, item by item."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from practika.domain.base import Base, IdMixin, utcnow


class PracticeSession(IdMixin, Base):
    __tablename__ = "practice_sessions"
    __table_args__ = (
        Index("ix_practice_sessions_user_started", "user_id", "started_at", "id"),
        CheckConstraint("rpe IS NULL OR (rpe >= 1 AND rpe <= 10)", name="rpe_range"),
        CheckConstraint("ended_at IS NULL OR ended_at >= started_at", name="ends_after_start"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    playlist_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("playlists.id", ondelete="SET NULL"), index=True
    )
    exercise_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("exercises.id", ondelete="SET NULL"), index=True
    )
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    rpe: Mapped[int | None]
    notes: Mapped[str] = mapped_column(Text, default="")

    items: Mapped[list[SessionItem]] = relationship(
        cascade="all, delete-orphan", order_by="SessionItem.completed_at", lazy="raise"
    )

    @property
    def duration_s(self) -> int:
        if self.ended_at is None:
            return 0
        return int((self.ended_at - self.started_at).total_seconds())


class SessionItem(IdMixin, Base):
    """One item marked done within a session."""

    __tablename__ = "session_items"
    __table_args__ = (
        CheckConstraint("sets_done IS NULL OR sets_done >= 0", name="sets_nonnegative"),
        CheckConstraint("reps_done IS NULL OR reps_done >= 0", name="reps_nonnegative"),
        CheckConstraint("duration_s IS NULL OR duration_s >= 0", name="duration_nonnegative"),
    )

    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("practice_sessions.id", ondelete="CASCADE"), index=True
    )
    playlist_item_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("playlist_items.id", ondelete="SET NULL")
    )
    exercise_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("exercises.id", ondelete="CASCADE"), index=True
    )
    sets_done: Mapped[int | None]
    reps_done: Mapped[int | None]
    duration_s: Mapped[int | None]
    # Consistency of the reps when the count came from an analysed video (coefficient of
    # variation of rep durations and of range of motion: 0 = every rep alike).
    rep_tempo_cv: Mapped[float | None] = mapped_column(Float)
    rep_range_cv: Mapped[float | None] = mapped_column(Float)
    notes: Mapped[str] = mapped_column(Text, default="")
    completed_at: Mapped[datetime] = mapped_column(default=utcnow)
