"""One live server on a throwaway PostgreSQL database, with a world to fuzz, per run."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from practika.config import Settings
from practika.storage.local import LocalStorage
from tests.reliability.world import SESSION_SECRET, LiveWorld, live_server, throwaway_database

# A stored file for the signed media GETs to find.
MEDIA_KEY = "fuzz/clip.mp4"


@pytest.fixture(scope="session")
def fuzz_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveWorld]:
    tmp = tmp_path_factory.mktemp("fuzz")
    with throwaway_database("practika_fuzz") as url, live_server(url, tmp) as server:
        world = LiveWorld(server.url, url).build()
        # Where the live server (data dir tmp/var, see live_server) keeps this object.
        media_dir = Settings(data_dir=tmp / "var", media_dir=None).resolved_media_dir
        stored = LocalStorage(media_dir, SESSION_SECRET.encode()).path_of(MEDIA_KEY)
        stored.parent.mkdir(parents=True, exist_ok=True)
        stored.write_bytes(bytes(range(256)) * 64)
        # An upload left open, so that rightly signed part PUTs reach a real one.
        started = world.call(
            "POST",
            "/api/v1/uploads",
            world.people["coach"],
            json={"filename": "fuzz.mp4", "content_type": "video/mp4", "size_bytes": 1 << 20},
        )
        _, _, upload_id, part_number = urlsplit(started["parts"][0]["url"]).path.rsplit("/", 3)
        world.ids |= {"key": MEDIA_KEY, "upload_id": upload_id, "part_number": part_number}
        yield world
