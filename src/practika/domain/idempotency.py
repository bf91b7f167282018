"""Idempotency keys: the stored answer to a creating request, so a retry gets it again."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from practika.domain.base import Base, utcnow


class IdempotencyRecord(Base):
    """One (user, key): written in the same transaction as the write it answers, so the
    two commit together or not at all. The primary key makes a concurrent duplicate wait
    for the first and then fail, never write twice."""

    __tablename__ = "idempotency_keys"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    route: Mapped[str] = mapped_column(String(300))  # "POST /api/v1/sessions"
    fingerprint: Mapped[str] = mapped_column(String(64))  # sha256 of path and body
    # None only inside the claiming transaction, before its answer is known.
    status: Mapped[int | None]
    body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)
