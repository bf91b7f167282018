"""An app that also serves a (tiny) built web app, for headers on SPA responses."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from practika.app import create_app
from tests.conftest import make_settings


@pytest.fixture(scope="module")
def spa_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    tmp: Path = tmp_path_factory.mktemp("spa")
    dist = tmp / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><div id=root></div>")
    (dist / "assets" / "app.js").write_text("console.log('practika')")
    settings = make_settings(tmp, f"sqlite+aiosqlite:///{tmp / 'spa.db'}", web_dist=dist)
    with TestClient(create_app(settings)) as client:
        yield client
