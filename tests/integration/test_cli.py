"""The `practika` command, run as a real process on a fresh embedded default."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

PRACTIKA = [sys.executable, "-m", "practika.cli"]


def run(args: list[str], env: dict[str, str], **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        PRACTIKA + args, env=env, capture_output=True, text=True, timeout=120, **kw
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PRACTIKA_")}
    return {
        **clean,
        "PRACTIKA_DATA_DIR": str(tmp_path / "var"),
        "PRACTIKA_WEB_DIST": str(tmp_path / "no-web"),
        "PRACTIKA_ARGON2_MEMORY_KIB": "1024",
        "PRACTIKA_ARGON2_TIME_COST": "1",
        "PRACTIKA_RUN_WORKER": "false",
    }


def test_openapi_dump_lists_the_api(env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "openapi.json"
    assert run(["openapi", "-o", str(out)], env).returncode == 0
    spec = json.loads(out.read_text())
    assert "/api/v1/threads/{thread_id}/comments" in spec["paths"]
    assert spec["info"]["title"] == "Practika API"


def test_seed_demo_once_then_refuses_to_reseed(env: dict[str, str]) -> None:
    first = run(["seed-demo"], env)
    assert first.returncode == 0, first.stderr
    assert "coach@practika.test" in first.stdout
    again = run(["seed-demo"], env)
    assert again.returncode == 1
    assert run(["seed-demo", "--if-empty"], env).returncode == 0


def test_create_user_and_duplicate(env: dict[str, str]) -> None:
    args = [
        "create-user",
        "boss@example.com",
        "--name",
        "Boss",
        "--admin",
        "--password",
        "a long admin password",
    ]
    ok = run(args, env)
    assert ok.returncode == 0, ok.stderr + ok.stdout
    assert "as admin" in ok.stdout
    dup = run(args, env)
    assert dup.returncode == 1
    assert "already exists" in dup.stdout


def test_reset_link_for_an_account(env: dict[str, str]) -> None:
    made = run(
        ["create-user", "leo@example.com", "--name", "Leo", "--password", "an old passphrase"], env
    )
    assert made.returncode == 0, made.stderr + made.stdout
    out = run(["reset-link", "LEO@example.com", "--base-url", "https://app.example.com/"], env)
    assert out.returncode == 0, out.stderr + out.stdout
    link = out.stdout.splitlines()[0]
    assert link.startswith("https://app.example.com/reset?token="), link
    assert "single use" in out.stdout
    newer = run(["reset-link", "leo@example.com"], env)
    assert newer.stdout.startswith("http://127.0.0.1:8000/reset?token=")
    missing = run(["reset-link", "nobody@example.com"], env)
    assert missing.returncode == 1
    assert "No account" in missing.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_on_a_fresh_machine_migrates_and_says_where_it_listens(env: dict[str, str]) -> None:
    port = free_port()
    env = {**env, "PRACTIKA_PORT": str(port), "PRACTIKA_COOKIE_SECURE": "false"}
    assert run(["seed-demo"], env).returncode == 0
    proc = subprocess.Popen(
        PRACTIKA + ["serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120  # generous: a busy machine starts slowly
        while time.monotonic() < deadline:
            assert proc.poll() is None, "serve exited"
            try:
                if httpx.get(f"{base}/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        signin = httpx.post(
            f"{base}/api/v1/auth/signin",
            json={"email": "learner@practika.test", "password": "practika-demo"},
        )
        assert signin.status_code == 200
        token = signin.json()["token"]
        threads = httpx.get(
            f"{base}/api/v1/threads", headers={"Authorization": f"Bearer {token}"}
        ).json()["items"]
        assert threads[0]["exercise"]["title"] == "Goblet squat"
        assert httpx.get(f"{base}/api/docs").status_code == 200
    finally:
        proc.terminate()
        output = proc.communicate(timeout=120)[0]
    assert f"http://127.0.0.1:{port}" in output
