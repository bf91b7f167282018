"""Pooled PostgreSQL connections that died (a restart, a failover, an idle cut):
one that sat idle is checked and replaced unseen; a busy one costs one fast 503."""

from __future__ import annotations

from collections.abc import Iterator

import asyncpg
import pytest

from practika import db as practika_db
from tests.support import Api

pytestmark = pytest.mark.postgres


def kill_app_connections(api: Api) -> int:
    """Terminate every server process of the app's database but this one."""
    url = api.client.app.state.settings.resolved_database_url  # type: ignore[attr-defined]

    async def run() -> int:
        conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            rows = await conn.fetch(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return len(rows)
        finally:
            await conn.close()

    return api.client.portal.call(run)  # type: ignore[union-attr,no-any-return]


# A route that always asks the database: the signed-in person's token alone may be
# answered from the read cache's copy of the session, touching no pooled connection.
ASKS_THE_DATABASE = "/api/v1/account/sessions"


@pytest.fixture
def pg_api(api: Api) -> Iterator[Api]:
    engine = api.client.app.state.engine  # type: ignore[attr-defined]
    if engine.dialect.name != "postgresql":
        pytest.skip("pooled server connections exist on PostgreSQL only")
    yield api
    # The app outlives this test: a killed connection left in its pool would be the next
    # test's (its fixture empties the database through this pool).
    api.client.portal.call(engine.dispose)  # type: ignore[union-attr]


def test_a_dead_idle_connection_is_replaced_before_use(
    pg_api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    me = pg_api.signup("Ana")
    assert pg_api.get(ASKS_THE_DATABASE, me).status_code == 200
    assert kill_app_connections(pg_api) >= 1
    monkeypatch.setattr(practika_db, "PING_WHEN_IDLE_SECONDS", 0.0)  # "idle long enough"
    for _ in range(3):
        assert pg_api.get(ASKS_THE_DATABASE, me).status_code == 200


def test_a_dead_busy_connection_costs_one_503_then_the_pool_recovers(
    pg_api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    me = pg_api.signup("Ana")
    assert pg_api.get(ASKS_THE_DATABASE, me).status_code == 200
    monkeypatch.setattr(practika_db, "PING_WHEN_IDLE_SECONDS", 3600.0)  # "just used"
    assert kill_app_connections(pg_api) >= 1
    first = pg_api.get(ASKS_THE_DATABASE, me)
    assert first.status_code == 503, first.text
    assert first.json()["error"]["code"] == "unavailable"
    for _ in range(3):
        assert pg_api.get(ASKS_THE_DATABASE, me).status_code == 200
