"""The web app's typed client is generated from web/openapi.json; it must be the spec the
service serves, or the types would lie. Regenerate with:
`.venv/bin/practika openapi > web/openapi.json && (cd web && npm run api:types)`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_web_clients_spec_is_the_services_spec(tmp_path: Path) -> None:
    # A throwaway data dir: building the app must not leave a key file in the source tree.
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PRACTIKA_")}
    served = subprocess.run(
        [sys.executable, "-m", "practika.cli", "openapi"],
        capture_output=True,
        text=True,
        check=True,
        env={**clean, "PRACTIKA_DATA_DIR": str(tmp_path)},
        timeout=300,  # a generous budget for a busy machine, not a speed requirement
    ).stdout
    committed = (ROOT / "web" / "openapi.json").read_text()
    assert json.loads(committed) == json.loads(served), "web/openapi.json is stale: regenerate it"
