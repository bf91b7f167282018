"""Read-only share links: a capability to view one thread's feedback (or one attempt's)
without an account. Only the token's SHA-256 is stored; a link expires and can be revoked."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from practika.domain.base import Base, IdMixin, utcnow


class ShareLink(IdMixin, Base):
    __tablename__ = "share_links"

    thread_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("practice_threads.id", ondelete="CASCADE"), index=True
    )
    # One attempt's review only; null shares every attempt of the thread.
    attempt_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("attempts.id", ondelete="CASCADE")
    )
    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    note: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    last_opened_at: Mapped[datetime | None]

    def state_at(self, now: datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= now else "active"
