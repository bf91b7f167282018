"""Coach–learner links and the invites that create them."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from practika.domain.base import Base, IdMixin, utcnow


class Invite(IdMixin, Base):
    """A single-use, expiring, revocable code a coach hands to a learner; found by its hash."""

    __tablename__ = "invites"

    coach_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    code_hint: Mapped[str] = mapped_column(String(8))
    # The code as shared, for the coach's list while pending; null for invites made before
    # codes were kept (migration 0010), which only their hash can find.
    code: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(320))
    note: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    accepted_at: Mapped[datetime | None]
    accepted_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    @property
    def state(self) -> str:
        return self.state_at(utcnow())

    def state_at(self, now: datetime) -> str:
        if self.revoked_at:
            return "revoked"
        if self.accepted_at:
            return "accepted"
        if self.expires_at <= now:
            return "expired"
        return "pending"


class CoachLink(IdMixin, Base):
    """A coach and one of their learners; coaches see only learners linked to them."""

    __tablename__ = "coach_links"
    __table_args__ = (UniqueConstraint("coach_id", "learner_id"),)

    coach_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    learner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
