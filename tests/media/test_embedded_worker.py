"""The embedded default: `serve` processes uploads in-process, with no worker to start."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from practika.app import create_app
from practika.db import migrate
from tests.conftest import make_settings
from tests.media.conftest import MediaApi


def test_the_in_process_worker_makes_an_upload_ready(
    tmp_path: Path, clips: dict[str, Path]
) -> None:
    settings = make_settings(
        tmp_path,
        f"sqlite+aiosqlite:///{tmp_path / 'practika.db'}",
        run_worker=True,
        worker_poll_seconds=0.05,
        upload_part_size=8 * 1024,
    )
    migrate(settings)
    with TestClient(create_app(settings)) as client:
        api = MediaApi(client)
        coach = api.signup("Coach")
        video = api.upload(coach, clips["silent"], process=False)
        deadline = time.monotonic() + 30
        while video["status"] not in ("ready", "failed"):  # waits on the worker, not a clock
            if time.monotonic() > deadline:
                pytest.fail(f"still {video['status']} after 30 s")
            time.sleep(0.05)
            video = api.get(f"/api/v1/videos/{video['id']}", coach).json()
        assert video["status"] == "ready"
