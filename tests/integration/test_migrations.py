"""Alembic migrations build exactly the models' schema, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from practika.config import Settings
from practika.db import alembic_config, create_engine, migrate, schema_filter
from practika.domain.models import Base


def _diff(settings: Settings) -> list:
    async def run() -> list:
        engine = create_engine(settings)
        try:
            async with engine.connect() as conn:
                return await conn.run_sync(
                    lambda sync: compare_metadata(
                        MigrationContext.configure(
                            sync,
                            opts={
                                "compare_type": True,
                                "include_object": schema_filter(sync.dialect.name),
                            },
                        ),
                        Base.metadata,
                    )
                )
        finally:
            await engine.dispose()

    return asyncio.run(run())


def _tables(settings: Settings) -> set[str]:
    async def run() -> set[str]:
        engine = create_engine(settings)
        try:
            async with engine.connect() as conn:
                return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
        finally:
            await engine.dispose()

    return asyncio.run(run())


def test_migrated_schema_matches_the_models(settings: Settings) -> None:
    assert _diff(settings) == []


def test_migrations_go_down_and_up_again(settings: Settings) -> None:
    command.downgrade(alembic_config(settings.resolved_database_url), "base")
    assert _tables(settings) <= {"alembic_version"}
    migrate(settings)
    assert {t.name for t in Base.metadata.sorted_tables} <= _tables(settings)


def test_migrating_twice_is_harmless(settings: Settings) -> None:
    migrate(settings)
    migrate(settings)
    assert _diff(settings) == []
