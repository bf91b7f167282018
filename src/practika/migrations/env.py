"""Alembic environment: async engines, and a PostgreSQL advisory lock around upgrades."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import Connection, pool, text
from sqlalchemy.ext.asyncio import create_async_engine

from practika.aws.rds import rds_connector
from practika.config import Settings
from practika.db import MIGRATION_LOCK_ID, schema_filter
from practika.db_users import ensure_app_user
from practika.domain.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    is_pg = connection.dialect.name == "postgresql"
    if is_pg:
        # Several tasks may start together; the lock makes them upgrade one at a time.
        connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": MIGRATION_LOCK_ID})
        connection.commit()
    try:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,  # SQLite alters tables by copying them
            compare_type=True,
            include_object=schema_filter(connection.dialect.name),
        )
        with context.begin_transaction():
            context.run_migrations()
        settings = config.attributes.get("settings")
        if is_pg and settings is not None and settings.database_app_secret_arn:
            _provision_app_user(connection, settings)
    finally:
        if is_pg:
            connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": MIGRATION_LOCK_ID})
            connection.commit()


def _provision_app_user(connection: Connection, settings: Settings) -> None:
    """The services' own user, granted DML on the tables just upgraded (db_users.py)."""
    from practika.aws.secrets import SecretsReader, boto_client

    assert settings.database_app_secret_arn
    creds = SecretsReader(boto_client("secretsmanager", settings)).json(
        settings.database_app_secret_arn
    )
    ensure_app_user(connection, str(creds["username"]), str(creds["password"]))


async def _run_async() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url, "practika.db.alembic_config sets sqlalchemy.url"
    settings = config.attributes.get("settings")
    if settings is not None and settings.database_secret_arn and not settings.database_url:
        # AWS mode: the same Secrets Manager-backed connections the service uses.
        engine = create_async_engine(
            url, async_creator=rds_connector(settings), poolclass=pool.NullPool
        )
    else:
        engine = create_async_engine(url, poolclass=pool.NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(_run_async())
