"""A live server on a fresh PostgreSQL database."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import asyncpg
import pytest

from tests.conftest import PG_ADMIN_URL, REQUIRE_PG
from tests.live import LiveServer


def pg(statement: str) -> None:
    async def run() -> None:
        conn = await asyncpg.connect(PG_ADMIN_URL, timeout=5)
        try:
            await conn.execute(statement)
        finally:
            await conn.close()

    asyncio.run(run())


@pytest.fixture
def pg_database() -> Iterator[str]:
    name = f"practika_rt_{uuid.uuid4().hex[:10]}"
    try:
        pg(f'CREATE DATABASE "{name}"')
    except Exception as exc:
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL is required: {exc!r}")
        pytest.skip(f"PostgreSQL is not reachable: {exc!r}")
    yield name
    pg(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def live_pg_server(pg_database: str, tmp_path: Path) -> Iterator[LiveServer]:
    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    server = LiveServer(
        env={
            "PRACTIKA_DATABASE_URL": f"{base}/{pg_database}",
            "PRACTIKA_DATA_DIR": str(tmp_path / "var"),
            "PRACTIKA_WEB_DIST": str(tmp_path / "no-web"),
            "PRACTIKA_LOG_FORMAT": "json",
            "PRACTIKA_ARGON2_MEMORY_KIB": "1024",
            "PRACTIKA_ARGON2_TIME_COST": "1",
            "PRACTIKA_RUN_WORKER": "false",
            "PRACTIKA_METRICS_FLUSH_SECONDS": "1",
            # Not AWS mode (local storage), but these tests read the EMF documents.
            "PRACTIKA_METRICS_FORMAT": "emf",
        },
        log_path=tmp_path / "server.log",
    ).start()
    yield server
    if server.process and server.process.poll() is None:
        server.stop()


class _Collector(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length", 0))
        _Collector.received.append(self.rfile.read(length))
        self.send_response(200)
        self.send_header("content-type", "application/x-protobuf")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def otlp_collector() -> Iterator[tuple[str, list[bytes]]]:
    """A stand-in for the ADOT sidecar: accepts OTLP/HTTP trace exports."""
    _Collector.received = []
    server = HTTPServer(("127.0.0.1", 0), _Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Collector.received
    server.shutdown()
