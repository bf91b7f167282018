"""exercise full-text search (PostgreSQL tsvector, SQLite FTS5), drafts, invite codes kept

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 22:20:00

Search matches words by their stem ("squats" finds "squat") in the title, the tags and
the description, which `exercises.search_document` holds together (the service writes
it with the row). PostgreSQL indexes `to_tsvector('english', search_document)` with GIN
(next to the trigram indexes of 0004, which keep serving substring matches); SQLite, the
embedded default, keeps two FTS5 tables in step by triggers: `exercises_fts` (porter
stems, what a search matches) and `exercises_words` (the words as written: the
vocabulary a typo is corrected against; PostgreSQL reads its own with ts_stat).

A later migration that recreates `exercises` on SQLite (batch mode) drops these triggers
with the old table and must create them again (see `sqlite_search_triggers`).

Drafts: `published_at` is null until the author publishes. Every existing exercise was
visible before, so it migrates as published (at its creation time).

Invites keep their code (`invites.code`) so the coach's list can show it while pending;
earlier invites kept only a hash and stay null.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import practika.domain.base

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_TABLES = ("exercises_fts", "exercises_words")


def sqlite_search_triggers() -> list[str]:
    """The triggers that keep both FTS5 tables equal to exercises.search_document."""
    statements = []
    for table in SQLITE_TABLES:
        insert = (
            f"INSERT INTO {table} (exercise_id, document) VALUES (new.id, new.search_document);"
        )
        delete = f"DELETE FROM {table} WHERE exercise_id = old.id;"
        statements += [
            f"CREATE TRIGGER {table}_ai AFTER INSERT ON exercises BEGIN {insert} END",
            f"CREATE TRIGGER {table}_ad AFTER DELETE ON exercises BEGIN {delete} END",
            f"CREATE TRIGGER {table}_au AFTER UPDATE OF search_document ON exercises "
            f"BEGIN {delete} {insert} END",
        ]
    return statements


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    with op.batch_alter_table("invites", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code", sa.String(length=32), nullable=True))
    with op.batch_alter_table("exercises", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("search_document", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column(
                "published_at", practika.domain.base.UTCDateTime(timezone=True), nullable=True
            )
        )
    tags = (
        "string_agg(t.tag, ' ' ORDER BY t.tag)"
        if dialect == "postgresql"
        else "group_concat(t.tag, ' ')"
    )
    op.execute(
        "UPDATE exercises SET published_at = created_at, search_document = title || ' ' || "
        f"coalesce((SELECT {tags} FROM exercise_tags t WHERE t.exercise_id = exercises.id), '')"
        " || ' ' || description"
    )
    if dialect == "postgresql":
        op.execute(
            "CREATE INDEX ix_exercises_search ON exercises "
            "USING gin (to_tsvector('english', search_document))"
        )
        return
    op.execute(
        "CREATE VIRTUAL TABLE exercises_fts USING "
        "fts5(exercise_id UNINDEXED, document, tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    op.execute(
        "CREATE VIRTUAL TABLE exercises_words USING "
        "fts5(exercise_id UNINDEXED, document, tokenize = 'unicode61 remove_diacritics 2')"
    )
    op.execute("CREATE VIRTUAL TABLE exercises_words_vocab USING fts5vocab(exercises_words, 'row')")
    for table in SQLITE_TABLES:
        op.execute(
            f"INSERT INTO {table} (exercise_id, document) SELECT id, search_document FROM exercises"
        )
    for statement in sqlite_search_triggers():
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_exercises_search")
    else:
        for table in SQLITE_TABLES:
            for suffix in ("ai", "ad", "au"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{suffix}")
        op.execute("DROP TABLE IF EXISTS exercises_words_vocab")
        for table in SQLITE_TABLES:
            op.execute(f"DROP TABLE IF EXISTS {table}")
    with op.batch_alter_table("exercises", schema=None) as batch_op:
        batch_op.drop_column("published_at")
        batch_op.drop_column("search_document")
    with op.batch_alter_table("invites", schema=None) as batch_op:
        batch_op.drop_column("code")
