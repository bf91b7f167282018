"""People, their sign-in sessions, sign-in throttles and password resets."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from practika.domain.base import Base, IdMixin, TimestampMixin, utcnow


class User(IdMixin, TimestampMixin, Base):
    """A person; being a coach or a learner is what they do, not what they are."""

    __tablename__ = "users"
    # Stored lower-cased, so the unique constraint is case-insensitive on every database.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(default=True)
    is_admin: Mapped[bool] = mapped_column(default=False)
    # Email state (services/verification.py): notification mail goes only to a verified,
    # unbounced address.
    email_verified_at: Mapped[datetime | None]
    email_bounced_at: Mapped[datetime | None]
    # Marked as spam by the recipient (an SES complaint event): no more mail, like a bounce.
    email_complained_at: Mapped[datetime | None]
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    # The pending daily digest (services/mail_notifications.py): when it goes, and up to
    # when the last one covered.
    digest_due_at: Mapped[datetime | None]
    digest_sent_at: Mapped[datetime | None]
    # Set when the person deleted their account (services/account_deletion.py): the row
    # stays as an anonymous tombstone so what others said in shared threads keeps an author.
    deleted_at: Mapped[datetime | None]


class AuthSession(IdMixin, Base):
    """An opaque sign-in token; only its SHA-256 is stored, so a database leak signs no one in."""

    __tablename__ = "auth_sessions"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    user_agent: Mapped[str | None] = mapped_column(String(300))
    # Refreshed by requests at most once a minute (services/auth.py), so reading a session
    # costs no write in the common case.
    last_seen_at: Mapped[datetime | None]


class SigninThrottle(Base):
    """Sign-in attempts counted per (account, client address), and per address alone
    (`email` empty): one row each, incremented atomically by an UPSERT, so concurrent
    attempts cannot all pass a check made before any of them is counted.

    `locked_until` is set by the attempt that reaches the limit; while it lies ahead no
    attempt is evaluated. The row starts over after a quiet `signin_window_seconds`.
    """

    __tablename__ = "signin_throttles"

    email: Mapped[str] = mapped_column(String(320), primary_key=True)
    ip: Mapped[str] = mapped_column(String(64), primary_key=True)
    attempts: Mapped[int]
    last_at: Mapped[datetime]
    locked_until: Mapped[datetime | None]


class PasswordReset(IdMixin, Base):
    """A single-use, expiring link to set a new password, issued by an admin.

    There is no mail service in the platform: an admin (API or `practika reset-link`)
    hands the link to the person. Only the token's SHA-256 is stored.
    """

    __tablename__ = "password_resets"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    # Set when a newer link for the same person replaces this one, or it is used.
    revoked_at: Mapped[datetime | None]
