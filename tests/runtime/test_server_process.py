"""The production server process: JSON logs, EMF metrics, X-Ray traces, proxies, CORS."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.live import LiveServer
from tests.support import PASSWORD


@pytest.fixture
def traced_server(
    live_pg_server: LiveServer, otlp_collector, tmp_path: Path
) -> Iterator[LiveServer]:
    live_pg_server.stop()
    endpoint, _ = otlp_collector
    server = LiveServer(
        env={
            **live_pg_server.env,
            "PRACTIKA_TRACING": "true",
            "PRACTIKA_OTLP_ENDPOINT": endpoint,
            "PRACTIKA_CORS_ORIGINS": '["https://app.example.com"]',
            "PRACTIKA_COOKIE_DOMAIN": "example.com",
        },
        log_path=tmp_path / "traced.log",
    ).start()
    yield server
    if server.process and server.process.poll() is None:
        server.stop()


def test_logs_metrics_and_traces(traced_server: LiveServer, otlp_collector) -> None:
    base = traced_server.url
    signup = httpx.post(
        f"{base}/api/v1/auth/signup",
        json={"email": "ana@example.com", "password": PASSWORD, "display_name": "Ana"},
    ).json()
    token = signup["token"]
    r = httpx.get(
        f"{base}/api/v1/threads",
        headers={
            "Authorization": f"Bearer {token}",
            "X-Request-Id": "req-123",
            "X-Amzn-Trace-Id": "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
        },
    )
    assert r.status_code == 200
    assert r.headers["x-request-id"] == "req-123"
    # SIGTERM: uvicorn drains, runs the lifespan shutdown (flushing metrics and spans),
    # then re-raises the signal so the exit status still says "terminated".
    assert traced_server.stop() in (0, -15)
    assert "Finished server process" in traced_server.logs()

    lines = [json.loads(line) for line in traced_server.logs().splitlines() if line.startswith("{")]
    request = next(
        x for x in lines if x.get("event") == "request" and x.get("request_id") == "req-123"
    )
    assert request["route"] == "/api/v1/threads"
    assert request["status"] == 200
    assert request["user_id"] == signup["user"]["id"]
    assert request["duration_ms"] > 0
    # The ALB's X-Ray header continues the same trace, and the log line carries its id.
    assert request["trace_id"] == "1-5759e988-bd862e3fe1be46a994272793"
    assert not any(token in json.dumps(x) for x in lines), "a token was logged"

    emf = [x for x in lines if "_aws" in x]
    from tests.infra.test_emf import emf_problems

    assert [p for doc in emf for p in emf_problems(doc)] == []  # the EMF specification
    latency = next(x for x in emf if "RequestLatency" in x and x.get("Route") == "/api/v1/threads")
    assert latency["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "Practika"
    _, received = otlp_collector
    assert received, "no spans were exported to the collector"
    assert any(bytes.fromhex("5759e988bd862e3fe1be46a994272793") in body for body in received)


def test_cross_site_spa_and_forwarded_https(traced_server: LiveServer) -> None:
    base = traced_server.url
    preflight = httpx.options(
        f"{base}/api/v1/auth/signin",
        headers={
            "Origin": "https://app.example.com",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-csrf-token",
        },
    )
    assert preflight.headers["access-control-allow-origin"] == "https://app.example.com"
    assert preflight.headers["access-control-allow-credentials"] == "true"
    evil = httpx.options(
        f"{base}/api/v1/auth/signin",
        headers={"Origin": "https://evil.example.net", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in evil.headers

    # Behind the ALB (a trusted proxy) the request arrived over HTTPS: cookies are Secure
    # and scoped to the parent domain, so app.example.com → api.example.com works.
    r = httpx.post(
        f"{base}/api/v1/auth/signup",
        headers={"X-Forwarded-Proto": "https"},
        json={"email": "leo@example.com", "password": PASSWORD, "display_name": "Leo"},
    )
    cookie = next(c for c in r.headers.get_list("set-cookie") if c.startswith("practika_session="))
    assert "Secure" in cookie and "Domain=example.com" in cookie and "HttpOnly" in cookie
    assert r.headers["strict-transport-security"].startswith("max-age=")


def test_forwarded_headers_from_outside_the_trusted_proxies_are_ignored(
    live_pg_server: LiveServer, tmp_path: Path
) -> None:
    """Only the ALB (the VPC range) may say a request came over HTTPS: a client talking to
    the task directly cannot make its cookies Secure-scoped or spoof its address."""
    live_pg_server.stop()
    server = LiveServer(
        env={**live_pg_server.env, "PRACTIKA_FORWARDED_ALLOW_IPS": "10.0.0.0/16"},
        log_path=tmp_path / "untrusted.log",
    ).start()
    try:
        r = httpx.post(
            f"{server.url}/api/v1/auth/signup",
            headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.0.9.9"},
            json={"email": "mia@example.com", "password": PASSWORD, "display_name": "Mia"},
        )
        assert r.status_code == 201, r.text
        cookie = next(
            c for c in r.headers.get_list("set-cookie") if c.startswith("practika_session=")
        )
        assert "Secure" not in cookie
    finally:
        server.stop()
