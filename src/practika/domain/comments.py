"""Time-coded comments on a thread's videos, and the history of their edits."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from practika.domain.base import Base, IdMixin, TimestampMixin, enum_column, utcnow
from practika.domain.users import User

MAX_BODY_CHARS = 5000
MAX_TAGS = 10


class CommentKind(enum.StrEnum):
    QUESTION = "question"
    CORRECTION = "correction"
    CUE = "cue"
    ENCOURAGEMENT = "encouragement"
    PROGRESS = "progress"
    REVIEW = "review"  # a voice-over review: `review` holds its actions, `media` its voice


class Comment(IdMixin, TimestampMixin, Base):
    __tablename__ = "comments"
    __table_args__ = (
        CheckConstraint("t_start_ms >= 0", name="start_nonnegative"),
        CheckConstraint("t_start_ms <= t_end_ms", name="start_before_end"),
        Index("ix_comments_thread_created", "thread_id", "created_at", "id"),
        Index("ix_comments_video_start", "video_id", "t_start_ms", "id"),
        Index("ix_comments_thread_updated", "thread_id", "updated_at"),
    )

    thread_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("practice_threads.id", ondelete="CASCADE")
    )
    video_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"))
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reply_to_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("comments.id", ondelete="SET NULL"), index=True
    )
    t_start_ms: Mapped[int] = mapped_column(BigInteger)
    t_end_ms: Mapped[int] = mapped_column(BigInteger)
    body: Mapped[str] = mapped_column(Text)
    kind: Mapped[CommentKind | None] = mapped_column(enum_column(CommentKind, "comment_kind"))
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    drawing: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # A recorded or uploaded clip the comment carries (a video/audio reply, a review's
    # voice): a processed video row of purpose `clip`, seen by whoever sees the thread.
    media_video_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("videos.id", ondelete="SET NULL"), index=True
    )
    # A voice-over review's actions (domain/reviews.py), on the voice's clock.
    review: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]

    author: Mapped[User] = relationship(lazy="raise")


class CommentRevision(IdMixin, Base):
    """What a comment said before an edit or a delete; nothing said is silently lost."""

    __tablename__ = "comment_revisions"
    __table_args__ = (Index("ix_comment_revisions_comment_at", "comment_id", "at"),)

    comment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    editor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(10))  # "edit" or "delete"
    t_start_ms: Mapped[int] = mapped_column(BigInteger)
    t_end_ms: Mapped[int] = mapped_column(BigInteger)
    body: Mapped[str] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(String(32))
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    drawing: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(default=utcnow)
