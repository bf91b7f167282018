"""A frozen database (a partition: PostgreSQL stops answering, nothing is closed).

Every wait on it is bounded (config.py, db.py), so requests get `503 unavailable` within
the configured timeouts instead of hanging; and a write whose COMMIT went out but whose
answer never came back is retried safely with its Idempotency-Key.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from tests.conftest import PG_ADMIN_URL
from tests.live import LiveServer
from tests.runtime.freeze_proxy import FreezeProxy
from tests.runtime.test_database_faults import setup_thread

# Short in the test, so the test is short; the bounds asserted below are generous.
TIMEOUTS = {
    "PRACTIKA_DATABASE_STATEMENT_TIMEOUT_SECONDS": "1",
    "PRACTIKA_DATABASE_COMMAND_TIMEOUT_SECONDS": "2",
    "PRACTIKA_DATABASE_CONNECT_TIMEOUT_SECONDS": "2",
    "PRACTIKA_DATABASE_POOL_TIMEOUT_SECONDS": "2",
}
# Well above what the timeouts add up to (a ping, a few connects, a pool wait), yet far
# below "forever": the point is that the answer comes, not how fast.
ANSWER_WITHIN = 45.0


@pytest.fixture
def frozen_world(pg_database: str, tmp_path: Path) -> Iterator[tuple[LiveServer, FreezeProxy]]:
    pg = urlsplit(PG_ADMIN_URL)
    with FreezeProxy((pg.hostname or "127.0.0.1", pg.port or 5432)) as proxy:
        user = f"{pg.username}{':' + pg.password if pg.password else ''}@"
        server = LiveServer(
            env={
                "PRACTIKA_DATABASE_URL": (
                    f"postgresql+asyncpg://{user}127.0.0.1:{proxy.port}/{pg_database}"
                ),
                "PRACTIKA_DATA_DIR": str(tmp_path / "var"),
                "PRACTIKA_WEB_DIST": str(tmp_path / "no-web"),
                "PRACTIKA_LOG_FORMAT": "json",
                "PRACTIKA_ARGON2_MEMORY_KIB": "1024",
                "PRACTIKA_ARGON2_TIME_COST": "1",
                "PRACTIKA_RUN_WORKER": "false",
                # One pooled connection: each write runs on the one the request's session
                # lookup (an autocommit read) has just used, as it often does in production.
                "PRACTIKA_DATABASE_POOL_SIZE": "1",
                **TIMEOUTS,
            },
            log_path=tmp_path / "server.log",
        ).start()
        try:
            yield server, proxy
        finally:
            proxy.thaw()
            server.stop()


def recovered(client: httpx.Client, headers: dict[str, str]) -> None:
    """Poll (generously) until the service answers reads again."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if client.get("/api/v1/threads", headers=headers).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError("the service did not recover after the database came back")


def test_a_frozen_database_answers_503_instead_of_hanging(
    frozen_world: tuple[LiveServer, FreezeProxy], pg_database: str
) -> None:
    server, proxy = frozen_world
    headers, _, _ = setup_thread(server.url, pg_database)
    with httpx.Client(base_url=server.url, timeout=ANSWER_WITHIN + 30) as client:
        proxy.freeze()
        for method, path, body in (
            ("GET", "/api/v1/threads", None),
            ("POST", "/api/v1/playlists", {"title": "during the partition"}),
        ):
            started = time.monotonic()
            r = client.request(method, path, headers=headers, json=body)
            took = time.monotonic() - started
            assert r.status_code == 503, (method, path, r.status_code, r.text)
            assert r.json()["error"]["code"] == "unavailable"
            assert int(r.headers["retry-after"]) > 0
            assert took < ANSWER_WITHIN, f"{method} {path} took {took:.1f} s"
        proxy.thaw()
        recovered(client, headers)
        assert (
            client.post("/api/v1/playlists", headers=headers, json={"title": "after"}).status_code
            == 201
        )


def test_a_write_whose_commit_outcome_is_unknown_is_retried_safely_with_its_key(
    frozen_world: tuple[LiveServer, FreezeProxy], pg_database: str
) -> None:
    server, proxy = frozen_world
    headers, _, exercise_id = setup_thread(server.url, pg_database)
    key = {**headers, "Idempotency-Key": str(uuid.uuid4())}
    body = {"exercise_id": exercise_id}
    with httpx.Client(base_url=server.url, timeout=ANSWER_WITHIN + 30) as client:
        # The COMMIT reaches PostgreSQL, which commits; its answer never comes back. The
        # marker is asyncpg's COMMIT message exactly (a simple query, NUL-terminated): a
        # bare b"COMMIT" also matched "BEGIN ISOLATION LEVEL READ COMMITTED", which a
        # pooled connection sends once an autocommit read has used it, and the write
        # then froze before it ever committed.
        proxy.freeze_after(b"COMMIT;\x00")
        first = client.post("/api/v1/sessions", headers=key, json=body)
        assert proxy.frozen, "the write never reached its COMMIT"
        assert first.status_code == 503, first.text
        proxy.thaw()
        recovered(client, headers)
        # The client cannot know whether it was written; it retries with the same key.
        retry = client.post("/api/v1/sessions", headers=key, json=body)
        again = client.post("/api/v1/sessions", headers=key, json=body)
        listed = client.get("/api/v1/sessions", headers=headers).json()["items"]
    assert retry.status_code == 201, retry.text
    assert len(listed) == 1, "the retry started a second practice session"
    assert retry.headers["idempotent-replayed"] == "true"  # the first one did commit
    assert again.json() == retry.json() == {**listed[0], **retry.json()}
