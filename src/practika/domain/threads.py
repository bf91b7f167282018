"""Practice threads (one per learner and exercise) and the attempts inside them."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import ColumnElement, ForeignKey, Index, Text, UniqueConstraint, and_, false, or_
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from practika.domain.base import Base, IdMixin, TimestampMixin, enum_column, utcnow
from practika.domain.exercises import Exercise
from practika.domain.videos import Video


class ThreadStatus(enum.StrEnum):
    OPEN = "open"
    ARCHIVED = "archived"


class PracticeThread(IdMixin, TimestampMixin, Base):
    __tablename__ = "practice_threads"
    __table_args__ = (
        UniqueConstraint("learner_id", "exercise_id"),
        Index("ix_practice_threads_learner_activity", "learner_id", "last_activity_at", "id"),
        Index("ix_practice_threads_coach_activity", "coach_id", "last_activity_at", "id"),
    )

    learner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    exercise_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("exercises.id", ondelete="CASCADE"), index=True
    )
    # The exercise's author, copied so that "threads I coach" is one indexed lookup.
    coach_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[ThreadStatus] = mapped_column(
        enum_column(ThreadStatus, "thread_status"), default=ThreadStatus.OPEN
    )
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_learner_activity_at: Mapped[datetime | None]
    last_coach_activity_at: Mapped[datetime | None]

    exercise: Mapped[Exercise] = relationship(lazy="raise")
    # Read-only history (access.thread_read_only), loaded with the thread where it matters.
    read_only: Mapped[bool] = query_expression(default_expr=false())

    @property
    def waiting_since(self) -> datetime | None:
        return self.last_learner_activity_at if self.awaiting_feedback else None

    @hybrid_property
    def awaiting_feedback(self) -> bool:
        """The learner did something the coach has not answered yet (the coach's inbox);
        one definition for a loaded thread and, as SQL, for filtering and sorting."""
        if self.last_learner_activity_at is None:
            return False
        return (
            self.last_coach_activity_at is None
            or self.last_coach_activity_at < self.last_learner_activity_at
        )

    @awaiting_feedback.inplace.expression
    @classmethod
    def _awaiting_feedback_sql(cls) -> ColumnElement[bool]:
        return and_(
            cls.last_learner_activity_at.is_not(None),
            or_(
                cls.last_coach_activity_at.is_(None),
                cls.last_coach_activity_at < cls.last_learner_activity_at,
            ),
        )


class Attempt(IdMixin, TimestampMixin, Base):
    """A learner's practice video inside a thread."""

    __tablename__ = "attempts"
    __table_args__ = (Index("ix_attempts_thread_created", "thread_id", "created_at", "id"),)

    thread_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("practice_threads.id", ondelete="CASCADE")
    )
    video_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("videos.id", ondelete="CASCADE"), unique=True
    )
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime | None]

    video: Mapped[Video] = relationship(lazy="raise")
