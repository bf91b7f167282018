"""The web app's typed client is generated from web/openapi.json; it must be the spec the
service serves, or the types would lie. Regenerate with:
`.venv/bin/practika openapi > web/openapi.json && (cd web && npm run api:types)`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_web_clients_spec_is_the_services_spec() -> None:
    served = subprocess.run(
        [sys.executable, "-m", "practika.cli", "openapi"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    committed = (ROOT / "web" / "openapi.json").read_text()
    assert json.loads(committed) == json.loads(served), "web/openapi.json is stale: regenerate it"
