"""sign-in throttles: one atomically counted row per (account, address) and per address

Replaces signin_failures (one row per failure, counted with a check-then-act SELECT).
Its rows are short-lived throttling state, not records, so they are not carried over.

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-01 22:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import practika.domain.base

revision: str = "0006"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "signin_throttles",
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_at", practika.domain.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("locked_until", practika.domain.base.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("email", "ip", name=op.f("pk_signin_throttles")),
    )
    with op.batch_alter_table("signin_failures", schema=None) as batch_op:
        batch_op.drop_index("ix_signin_failures_ip_at")
        batch_op.drop_index("ix_signin_failures_email_at")
    op.drop_table("signin_failures")


def downgrade() -> None:
    op.create_table(
        "signin_failures",
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.Column("at", practika.domain.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signin_failures")),
    )
    with op.batch_alter_table("signin_failures", schema=None) as batch_op:
        batch_op.create_index("ix_signin_failures_email_at", ["email", "at"], unique=False)
        batch_op.create_index("ix_signin_failures_ip_at", ["ip", "at"], unique=False)
    op.drop_table("signin_throttles")
