"""Service-layer fixtures: a real session on SQLite and on PostgreSQL, no HTTP app."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from practika.config import Settings
from practika.db import create_engine, session_factory
from tests.conftest import _truncate
from tests.support import World


@pytest.fixture(scope="session")
async def service_engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(settings)
    yield engine
    await engine.dispose()


@pytest.fixture
async def db(service_engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """A session on an empty database."""
    await _truncate(service_engine)
    async with session_factory(service_engine)() as session:
        yield session


@pytest.fixture
def world(db: AsyncSession, settings: Settings) -> World:
    return World(db, settings)
