"""Fixtures: the real app on SQLite and on the machine's PostgreSQL, one fresh database each."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from practika.app import create_app
from practika.config import Settings
from practika.db import migrate
from practika.domain.models import Base
from tests.aws_emulator import moto_server
from tests.support import Api

PG_ADMIN_URL = os.environ.get(
    "PRACTIKA_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_PG = os.environ.get("PRACTIKA_REQUIRE_POSTGRES") == "1" or bool(os.environ.get("CI"))


def _pg(statement: str) -> None:
    import asyncpg

    async def run() -> None:
        conn = await asyncpg.connect(PG_ADMIN_URL, timeout=5)
        try:
            await conn.execute(statement)
        finally:
            await conn.close()

    asyncio.run(run())


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL database for this run, dropped at the end."""
    name = f"practika_test_{uuid.uuid4().hex[:10]}"
    try:
        _pg(f'CREATE DATABASE "{name}"')
    except (OSError, Exception) as exc:  # any failure means "no server"
        message = f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {exc!r}"
        if REQUIRE_PG:
            pytest.fail(message + " (PRACTIKA_REQUIRE_POSTGRES=1: PostgreSQL tests must run)")
        pytest.skip(message)
    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    yield f"{base}/{name}"
    _pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_settings(tmp: Path, database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "data_dir": tmp,
        "database_url": database_url,
        "session_secret": "test-secret-" + "x" * 32,
        "argon2_time_cost": 1,
        "argon2_memory_kib": 1024,
        "web_dist": tmp / "no-web",
        "run_worker": False,
        # Pose analysis runs a model on every ready video: only the analysis tests ask.
        "analysis_enabled": False,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def settings(
    backend: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Settings:
    tmp = tmp_path_factory.mktemp(f"practika-{backend}")
    if backend == "postgresql":
        url = request.getfixturevalue("postgres_url")
    else:
        url = f"sqlite+aiosqlite:///{tmp / 'practika.db'}"
    settings = make_settings(tmp, url)
    migrate(settings)
    return settings


@pytest.fixture(scope="session")
def client(settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings)
    with TestClient(app) as client:
        yield client


async def _truncate(engine: AsyncEngine) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    async with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            await conn.execute(text(f"TRUNCATE {', '.join(tables)} CASCADE"))
        else:
            for table in tables:
                await conn.execute(text(f"DELETE FROM {table}"))


@pytest.fixture
def api(client: TestClient) -> Iterator[Api]:
    """The app with an empty database."""
    client.cookies.clear()
    client.portal.call(_truncate, client.app.state.engine)  # type: ignore[union-attr,attr-defined]
    yield Api(client)


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """moto's server mode, shared by every AWS-mode test of the session."""
    with moto_server() as endpoint:
        yield endpoint
