"""A live server (two worker processes) on a throwaway PostgreSQL database, per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.reliability.world import LiveWorld, live_server, throwaway_database


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveWorld]:
    tmp = tmp_path_factory.mktemp("reliability")
    with (
        throwaway_database("practika_rel") as url,
        live_server(url, tmp, PRACTIKA_SERVER_WORKERS="2") as server,
    ):
        yield LiveWorld(server.url, url).build()
