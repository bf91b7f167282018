"""What a person should know about: new feedback, a new attempt, an accepted invite."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from practika.domain.base import Base, IdMixin, enum_column, utcnow


class NotificationKind(enum.StrEnum):
    FEEDBACK = "feedback"  # the coach commented in your thread
    LEARNER_COMMENT = "learner_comment"  # a learner commented in a thread you coach
    ATTEMPT = "attempt"  # a learner uploaded an attempt to review
    INVITE_ACCEPTED = "invite_accepted"


class Notification(IdMixin, Base):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_created", "user_id", "created_at", "id"),)

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(
        enum_column(NotificationKind, "notification_kind")
    )
    # Ids the client needs to link to the subject (thread, comment, attempt, user).
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    # The context a notification is shown with, read from its payload (older ones may
    # lack some of it): which exercise, which attempt and moment, who, and a snippet.

    def _text(self, key: str) -> str | None:
        value = (self.payload or {}).get(key)
        return str(value) if value is not None else None

    @property
    def thread_id(self) -> str | None:
        return self._text("thread_id")

    @property
    def attempt_id(self) -> str | None:
        return self._text("attempt_id")

    @property
    def video_id(self) -> str | None:
        return self._text("video_id")

    @property
    def exercise_title(self) -> str | None:
        return self._text("exercise_title")

    @property
    def actor_name(self) -> str | None:
        return self._text("author_name") or self._text("learner_name")

    @property
    def snippet(self) -> str | None:
        return self._text("snippet")

    @property
    def t_ms(self) -> int | None:
        value = (self.payload or {}).get("t_start_ms")
        return int(value) if isinstance(value, int | float) else None
