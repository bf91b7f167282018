"""One live server on a throwaway PostgreSQL database, with a world to fuzz, per run."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.reliability.world import LiveWorld, live_server, throwaway_database


@pytest.fixture(scope="session")
def fuzz_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveWorld]:
    tmp = tmp_path_factory.mktemp("fuzz")
    with throwaway_database("practika_fuzz") as url, live_server(url, tmp) as server:
        yield LiveWorld(server.url, url).build()
