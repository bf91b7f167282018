"""`/api/docs` works offline: the page, its scripts, styles and icon, and the spec it loads
are all served by the app, and its CSP allows no other origin and no inline script."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from practika.app import create_app
from tests.conftest import make_settings

LOCAL = re.compile(r"^/[^/]")  # a path on this origin, not //host or scheme://


@pytest.fixture(scope="module")
def docs_client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    tmp = tmp_path_factory.mktemp("docs")
    return TestClient(create_app(make_settings(tmp, f"sqlite+aiosqlite:///{tmp / 'p.db'}")))


def references(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', html)


def test_every_asset_the_docs_page_references_is_served_by_the_app(
    docs_client: TestClient,
) -> None:
    page = docs_client.get("/api/docs")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    refs = references(page.text)
    assert len(refs) == 4, refs  # stylesheet, icon, Swagger UI's bundle, the start script
    assert [ref for ref in refs if not LOCAL.match(ref)] == []
    kinds = {}
    for ref in refs:
        asset = docs_client.get(ref)
        assert asset.status_code == 200, ref
        assert len(asset.content) > 0, ref
        kinds[Path(ref).suffix] = asset.headers["content-type"]
    assert "javascript" in kinds[".js"] and "text/css" in kinds[".css"]
    assert kinds[".png"] == "image/png"
    assert "SwaggerUIBundle" in docs_client.get("/api/docs/static/swagger-ui-bundle.js").text


def test_the_start_script_loads_the_app_s_own_spec(docs_client: TestClient) -> None:
    start = docs_client.get("/api/docs/start.js").text
    urls = re.findall(r'url: "([^"]+)"', start)
    assert urls == ["/api/openapi.json"]
    spec = docs_client.get(urls[0])
    assert spec.status_code == 200 and spec.json()["info"]["title"] == "Practika API"
    assert "https://" not in start


def test_the_docs_csp_names_no_other_origin_and_allows_no_inline_script(
    docs_client: TestClient,
) -> None:
    for path in ("/api/docs", "/api/docs/start.js", "/api/docs/static/swagger-ui.css"):
        policy = docs_client.get(path).headers["content-security-policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert "https:" not in policy and "http:" not in policy, path
        assert directives["script-src"] == "'self'", path
        assert directives["default-src"] == "'self'", path


def test_a_missing_docs_asset_is_a_404_not_the_web_app(docs_client: TestClient) -> None:
    assert docs_client.get("/api/docs/static/nothing-here.js").status_code == 404
    assert docs_client.get("/api/docs/static/../../../etc/passwd").status_code == 404
