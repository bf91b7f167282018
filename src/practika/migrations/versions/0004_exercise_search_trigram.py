"""trigram indexes for exercise search (PostgreSQL)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 10:05:00

Search is `ILIKE '%word%'` on title and description, which a B-tree cannot serve; on
PostgreSQL, pg_trgm's GIN indexes can. SQLite (the embedded default, one person's
library) keeps scanning. On RDS the master user may create pg_trgm (a trusted extension).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("title", "description")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        op.create_index(
            f"ix_exercises_{column}_trgm",
            "exercises",
            [column],
            postgresql_using="gin",
            postgresql_ops={column: "gin_trgm_ops"},
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for column in COLUMNS:
        op.drop_index(f"ix_exercises_{column}_trgm", table_name="exercises")
