"""What an account knows about its email: verification, bounces, one-purpose links,
notification-mail preferences and the record that throttles mail-sending requests."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from practika.domain.base import Base, IdMixin, enum_column, utcnow
from practika.domain.notifications import NotificationKind


class TokenPurpose(enum.StrEnum):
    """What a link may do; a token of one purpose is never accepted for another."""

    VERIFY_EMAIL = "verify_email"  # confirm the address the account already has
    CHANGE_EMAIL = "change_email"  # confirm a new address, which then replaces the old


class AccountToken(IdMixin, Base):
    """A single-use, expiring link bound to one purpose and one address; stored hashed."""

    __tablename__ = "account_tokens"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[TokenPurpose] = mapped_column(enum_column(TokenPurpose, "token_purpose"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class MailMode(enum.StrEnum):
    IMMEDIATE = "immediate"
    DIGEST = "digest"  # batched into one mail a day, in the morning of the person's zone
    OFF = "off"


# The kinds a person chooses for; a learner's comment mails as "feedback" does.
MAIL_KINDS: dict[NotificationKind, str] = {
    NotificationKind.FEEDBACK: "feedback",
    NotificationKind.LEARNER_COMMENT: "feedback",
    NotificationKind.ATTEMPT: "attempt",
    NotificationKind.INVITE_ACCEPTED: "invite_accepted",
}
PREFERENCE_KINDS = ("feedback", "attempt", "invite_accepted")
DEFAULT_MODE = MailMode.IMMEDIATE


class MailPreference(Base):
    """One person's choice for one kind of notification mail; no row means the default."""

    __tablename__ = "mail_preferences"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    mode: Mapped[MailMode] = mapped_column(enum_column(MailMode, "mail_mode"))


class MailRequest(IdMixin, Base):
    """One request that sends mail (forgot password, resend verification, invites), counted
    per address and per client address to throttle them."""

    __tablename__ = "mail_requests"
    __table_args__ = (
        Index("ix_mail_requests_email_at", "email", "at"),
        Index("ix_mail_requests_ip_at", "ip", "at"),
    )

    purpose: Mapped[str] = mapped_column(String(32))
    email: Mapped[str] = mapped_column(String(320))
    ip: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class SuppressionReason(enum.StrEnum):
    BOUNCE = "bounce"  # a permanent bounce: the mailbox does not exist
    COMPLAINT = "complaint"  # the recipient marked our mail as spam


class SuppressedAddress(Base):
    """An address no mail goes to any more, account or not (an invitee's too), from SES's
    bounce and complaint events (services/mail_events.py) or an SMTP refusal."""

    __tablename__ = "suppressed_addresses"

    email: Mapped[str] = mapped_column(String(320), primary_key=True)
    reason: Mapped[SuppressionReason] = mapped_column(
        enum_column(SuppressionReason, "suppression_reason")
    )
    detail: Mapped[str | None] = mapped_column(String(300))
    at: Mapped[datetime] = mapped_column(default=utcnow)
