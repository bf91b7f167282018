"""processing progress on videos

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-01 22:30:00

The worker writes how much of a clip it has rendered and when the run started, so the
"Processing" badge can show a percentage and an estimate. Two nullable columns: additive.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from practika.domain.base import UTCDateTime

revision: str = "0009"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("videos") as batch:
        batch.add_column(sa.Column("processing_progress", sa.Float(), nullable=True))
        batch.add_column(
            sa.Column("processing_started_at", UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("videos") as batch:
        batch.drop_column("processing_started_at")
        batch.drop_column("processing_progress")
