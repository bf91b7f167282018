"""The app's lifespan runs the start-up components, and on the embedded default the
metrics reach the console as a summary line, never as CloudWatch EMF."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from practika.app import create_app
from practika.db import migrate
from tests.conftest import make_settings


def test_the_embedded_default_prints_a_metrics_summary_and_no_emf(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = make_settings(tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'practika.db'}")
    migrate(settings)
    assert settings.resolved_metrics_format == "summary"
    with TestClient(create_app(settings)) as client:
        for _ in range(3):
            assert client.get("/healthz").status_code == 200
    # Stopping the app flushes what was recorded, in the form the settings chose.
    out = capsys.readouterr().out
    assert '"_aws"' not in out
    summary = [line for line in out.splitlines() if line.startswith("metrics (")]
    assert len(summary) == 1, out
    assert "Requests " in summary[0] and "RequestLatency median" in summary[0]


def test_the_app_s_state_is_set_by_the_database_component_and_released_at_stop(
    tmp_path: Path,
) -> None:
    settings = make_settings(tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'practika.db'}")
    migrate(settings)
    app = create_app(settings)
    with TestClient(app) as client:
        assert client.get("/readyz").status_code == 200
        assert app.state.sessions is not None and app.state.read_cache is None
    # A second start of the same app builds its components afresh.
    with TestClient(app) as client:
        assert client.get("/readyz").status_code == 200
