"""Every response, API or web app, success or error, carries the browser security headers."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.support import Api


def assert_security_headers(response) -> None:  # type: ignore[no-untyped-def]
    h = response.headers
    assert h["x-content-type-options"] == "nosniff"
    assert h["strict-transport-security"].startswith("max-age=")
    assert int(h["strict-transport-security"].split("=")[1].split(";")[0]) >= 15552000
    assert h["x-frame-options"] == "DENY"
    csp = {d.strip().split(" ")[0]: d.strip() for d in h["content-security-policy"].split(";") if d}
    assert csp["frame-ancestors"] == "frame-ancestors 'none'"
    assert csp["default-src"] == "default-src 'self'"
    assert "'unsafe-eval'" not in h["content-security-policy"]
    assert csp["base-uri"] == "base-uri 'self'"
    assert h["referrer-policy"] == "strict-origin-when-cross-origin"


def test_api_successes_carry_the_security_headers(api: Api) -> None:
    me = api.signup("Ana")
    for response in (
        api.get("/healthz"),
        api.get("/api/v1/auth/me", me),
        api.get("/api/v1/exercises"),
        api.get("/api/openapi.json"),
    ):
        assert response.status_code == 200
        assert_security_headers(response)


@pytest.mark.parametrize(
    ("method", "path", "kw", "status"),
    [
        ("GET", "/api/v1/auth/me", {}, 401),
        ("GET", "/api/v1/threads/00000000-0000-0000-0000-000000000000", {}, 401),
        ("GET", "/api/v1/exercises/not-a-uuid", {}, 404),
        ("GET", "/api/v1/nowhere", {}, 404),
        ("POST", "/api/v1/auth/signin", {"content": b"x" * (2 * 1024 * 1024)}, 413),
    ],
)
def test_api_errors_carry_the_security_headers(
    api: Api, method: str, path: str, kw: dict, status: int
) -> None:
    response = api.request(method, path, **kw)
    assert response.status_code == status
    assert_security_headers(response)


def test_the_web_app_is_served_with_a_strict_csp(spa_client: TestClient) -> None:
    for path in ("/", "/threads/some-client-route", "/assets/app.js"):
        response = spa_client.get(path)
        assert response.status_code == 200, path
        assert_security_headers(response)
    index = spa_client.get("/")
    assert "text/html" in index.headers["content-type"]
    assert index.headers["cache-control"] == "no-cache"
    # No inline script and no third-party origin: only Swagger's page is allowed those.
    script = next(
        d for d in index.headers["content-security-policy"].split(";") if "script-src" in d
    )
    assert script.strip() == "script-src 'self'"
    docs = spa_client.get("/api/docs")
    assert "https:" not in docs.headers["content-security-policy"]  # served from a package
    assert_security_headers(docs)


def test_unknown_api_paths_are_json_404s_not_the_web_app(spa_client: TestClient) -> None:
    response = spa_client.get("/api/v1/nowhere")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
    assert_security_headers(response)


def test_web_app_files_outside_the_build_folder_are_not_served(spa_client: TestClient) -> None:
    for path in ("/../spa.db", "/%2e%2e/spa.db", "/assets/../../spa.db"):
        response = spa_client.get(path)
        assert b"SQLite" not in response.content, path
