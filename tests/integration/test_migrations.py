"""Alembic migrations build exactly the models' schema, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
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


def test_tasks_starting_together_migrate_once_without_racing(tmp_path) -> None:
    """ECS starts several tasks at once, each migrating first: the advisory lock serialises
    them, so one upgrades and the others find the schema at head. Without it they would
    race on CREATE TABLE and some would crash."""
    import os
    import subprocess
    import sys
    import uuid

    from tests.conftest import PG_ADMIN_URL, _pg

    name = f"practika_race_{uuid.uuid4().hex[:8]}"
    _pg(f'CREATE DATABASE "{name}"')
    try:
        url = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
        url = f"{url}/{name}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("PRACTIKA_")}
        env |= {"PRACTIKA_DATABASE_URL": url, "PRACTIKA_DATA_DIR": str(tmp_path)}
        tasks = [
            subprocess.Popen(
                [sys.executable, "-m", "practika.cli", "migrate"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for _ in range(4)
        ]
        outputs = [task.communicate(timeout=120)[0] for task in tasks]
        assert [task.returncode for task in tasks] == [0] * 4, outputs
        settings = Settings(database_url=url, data_dir=tmp_path)
        assert _diff(settings) == []

        async def versions() -> list[str]:
            engine = create_engine(settings)
            try:
                async with engine.connect() as conn:
                    rows = await conn.exec_driver_sql("SELECT version_num FROM alembic_version")
                    return [r[0] for r in rows]
            finally:
                await engine.dispose()

        head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
        assert asyncio.run(versions()) == [head]
    finally:
        _pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
