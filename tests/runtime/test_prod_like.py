"""The prod-like run: the service and a worker as real processes in AWS mode.

They get everything the ECS task definitions give them — database credentials,
the session secret and the CloudFront key from Secrets Manager, the videos
bucket in S3 — with moto's server standing in for AWS and the machine's
PostgreSQL for RDS. A coach and a learner then go through the product's main
flow over HTTP, the video travelling by presigned URLs straight to the emulated
S3, and the logs, metrics and playback URLs are checked as CloudWatch and
CloudFront would see them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.aws_emulator import (
    DISTRIBUTION,
    KEY_PAIR_ID,
    REGION,
    cloudfront_signature_holds,
    new_signing_key,
    pem_of,
)
from tests.live import LiveServer
from tests.media.clips import make_clip
from tests.support import PASSWORD

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(240)]

SESSION_SECRET = "prod-like-session-secret-" + uuid.uuid4().hex
DB_PASSWORD = "prod-like-db-password-" + uuid.uuid4().hex  # trust auth ignores it
PART_SIZE = 4 * 1024


@dataclass
class AwsMode:
    env: dict[str, str]
    bucket: str
    signing_key: rsa.RSAPrivateKey
    secrets: list[str]  # values that must never reach a log


@pytest.fixture
def aws_mode(moto_endpoint: str, pg_database: str, otlp_collector: Any) -> AwsMode:
    s3 = boto3.client("s3", region_name=REGION, endpoint_url=moto_endpoint)
    sm = boto3.client("secretsmanager", region_name=REGION, endpoint_url=moto_endpoint)
    bucket = f"practika-videos-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    key = new_signing_key()
    pem = pem_of(key)

    def secret(name: str, value: str) -> str:
        return str(sm.create_secret(Name=f"{name}-{bucket}", SecretString=value)["ARN"])

    db_secret = json.dumps(
        {"username": "postgres", "password": DB_PASSWORD, "engine": "postgres", "port": 5432}
    )
    otlp, _ = otlp_collector
    env = {
        # What the CDK task definition sets (infra/), and nothing else.
        "PRACTIKA_DATABASE_HOST": "127.0.0.1",
        "PRACTIKA_DATABASE_NAME": pg_database,
        "PRACTIKA_DATABASE_SECRET_ARN": secret("db", db_secret),
        "PRACTIKA_SESSION_SECRET_ARN": secret("session", SESSION_SECRET),
        "PRACTIKA_STORAGE_BACKEND": "s3",
        "PRACTIKA_S3_VIDEOS_BUCKET": bucket,
        "PRACTIKA_CLOUDFRONT_DOMAIN": DISTRIBUTION,
        "PRACTIKA_CLOUDFRONT_KEY_PAIR_ID": KEY_PAIR_ID,
        "PRACTIKA_CLOUDFRONT_PRIVATE_KEY_SECRET_ARN": secret("cloudfront", pem),
        "PRACTIKA_AWS_REGION": REGION,
        "PRACTIKA_LOG_FORMAT": "json",
        "PRACTIKA_TRACING": "true",
        "PRACTIKA_OTLP_ENDPOINT": otlp,
        "PRACTIKA_METRICS_FLUSH_SECONDS": "1",
        "PRACTIKA_RUN_WORKER": "false",  # the worker is its own ECS service
        # MediaPipe's native start-up lines (TFLite, absl) are not JSON; this test holds
        # every log line to JSON, so the movement analysis stays off here (docs/analysis.md).
        "PRACTIKA_ANALYSIS_ENABLED": "false",
        # Test-only: the emulator's endpoint, small parts, cheap password hashing.
        "PRACTIKA_AWS_ENDPOINT_URL": moto_endpoint,
        "PRACTIKA_UPLOAD_PART_SIZE": str(PART_SIZE),
        "PRACTIKA_ARGON2_MEMORY_KIB": "1024",
        "PRACTIKA_ARGON2_TIME_COST": "1",
        "PRACTIKA_WORKER_POLL_SECONDS": "0.2",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }
    secrets = [SESSION_SECRET, DB_PASSWORD, pem.splitlines()[1]]
    return AwsMode(env, bucket, key, secrets)


@pytest.fixture
def processes(aws_mode: AwsMode, tmp_path: Path) -> Iterator[tuple[LiveServer, Path]]:
    env = {**aws_mode.env, "PRACTIKA_DATA_DIR": str(tmp_path / "var")}
    server = LiveServer(
        env={**env, "PRACTIKA_WEB_DIST": str(tmp_path / "none")}, log_path=tmp_path / "api.log"
    ).start()
    worker_log = tmp_path / "worker.log"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PRACTIKA_")}
    with worker_log.open("ab") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "practika.cli", "worker"],
            env={**clean, **env, "PRACTIKA_MIGRATE_ON_START": "false"},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield server, worker_log
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        server.stop()


class Client:
    def __init__(self, base: str) -> None:
        self.http = httpx.Client(base_url=base, timeout=30)
        self.headers: dict[str, str] = {}

    def call(self, method: str, path: str, **kw: Any) -> Any:
        r = self.http.request(method, path, headers=self.headers, **kw)
        assert r.status_code < 300, f"{method} {path}: {r.status_code} {r.text}"
        return r.json() if r.content else None

    def signup(self, name: str, **extra: str) -> dict[str, Any]:
        email = f"{name.lower()}.{uuid.uuid4().hex[:6]}@example.com"
        body = {"email": email, "password": PASSWORD, "display_name": name, **extra}
        me = self.call("POST", "/api/v1/auth/signup", json=body)
        self.http.cookies.clear()
        self.headers = {"Authorization": f"Bearer {me['token']}"}
        return me


def upload_with_a_network_cut(client: Client, data: bytes, s3_endpoint: str) -> str:
    """Start, send all parts but the last two, 'reconnect', resume, complete."""
    started = client.call(
        "POST",
        "/api/v1/uploads",
        json={"filename": "attempt.mp4", "content_type": "video/mp4", "size_bytes": len(data)},
    )
    video_id, size = started["video_id"], started["part_size"]
    assert started["part_count"] >= 3, "the clip must span several parts"
    direct = httpx.Client(timeout=30)  # no cookies, no token: the URL is the authorisation

    def send(part: dict[str, Any]) -> None:
        assert part["url"].startswith(s3_endpoint + "/"), "parts go to S3, not through the app"
        assert "X-Amz-Signature=" in part["url"]
        n = part["part_number"]
        r = direct.put(part["url"], content=data[(n - 1) * size : n * size])
        assert r.status_code == 200, r.text

    for part in started["parts"][:-2]:
        send(part)
    state = client.call("GET", f"/api/v1/uploads/{video_id}")
    arrived = {p["part_number"] for p in state["parts_received"]}
    missing = [n for n in range(1, state["part_count"] + 1) if n not in arrived]
    assert missing == [state["part_count"] - 1, state["part_count"]]
    fresh = client.call("POST", f"/api/v1/uploads/{video_id}/parts", json={"part_numbers": missing})
    for part in fresh["parts"]:
        send(part)
    received = client.call("GET", f"/api/v1/uploads/{video_id}")["parts_received"]
    parts = [{"part_number": p["part_number"], "etag": p["etag"]} for p in received]
    done = client.call("POST", f"/api/v1/uploads/{video_id}/complete", json={"parts": parts})
    assert done["status"] in ("uploaded", "processing", "ready")
    return str(video_id)


def wait_until_ready(client: Client, video_id: str, timeout: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        video = client.call("GET", f"/api/v1/videos/{video_id}")
        if video["status"] in ("ready", "failed"):
            return video  # type: ignore[no-any-return]
        time.sleep(0.2)
    raise AssertionError(f"video {video_id} still {video['status']}")


def json_lines(path: Path) -> list[dict[str, Any]]:
    lines = [line for line in path.read_text().splitlines() if line.strip()]
    parsed = []
    for line in lines:
        try:
            parsed.append(json.loads(line))
        except json.JSONDecodeError:
            raise AssertionError(f"{path.name}: not a JSON log line: {line[:200]}") from None
    return parsed


def test_coach_and_learner_flow_in_aws_mode(
    processes: tuple[LiveServer, Path],
    aws_mode: AwsMode,
    moto_endpoint: str,
    tmp_path: Path,
) -> None:
    server, worker_log = processes
    assert httpx.get(f"{server.url}/readyz").json()["checks"] == {
        "database": "ok",
        "storage": "ok",
    }

    coach, learner = Client(server.url), Client(server.url)
    coach_me = coach.signup("Ana")
    clip = make_clip(tmp_path / "reference.mp4", size=(96, 160), seconds=2, audio=True)
    reference = upload_with_a_network_cut(coach, clip.read_bytes(), moto_endpoint)
    assert wait_until_ready(coach, reference)["status"] == "ready"
    exercise = coach.call(
        "POST",
        "/api/v1/exercises",
        json={
            "title": "Goblet squat",
            "category": "strength",
            "difficulty": "beginner",
            "visibility": "private",
            "reference_video_id": reference,
        },
    )
    code = coach.call("POST", "/api/v1/invites", json={})["code"]
    learner_me = learner.signup("Leo", invite_code=code)

    coach.call("POST", f"/api/v1/exercises/{exercise['id']}/publish")
    thread = learner.call("POST", "/api/v1/threads", json={"exercise_id": exercise["id"]})
    attempt_clip = make_clip(tmp_path / "attempt.mp4", size=(160, 96), seconds=2, audio=True)
    attempt_video = upload_with_a_network_cut(learner, attempt_clip.read_bytes(), moto_endpoint)
    learner.call(
        "POST", f"/api/v1/threads/{thread['id']}/attempts", json={"video_id": attempt_video}
    )
    ready = wait_until_ready(learner, attempt_video)
    assert ready["status"] == "ready", ready.get("failure_reason")
    coach.call(
        "POST",
        f"/api/v1/threads/{thread['id']}/comments",
        json={"video_id": attempt_video, "t_start_ms": 400, "t_end_ms": 1200, "body": "Knees out"},
    )
    comments = learner.call("GET", f"/api/v1/threads/{thread['id']}/comments")["items"]
    assert [(c["t_start_ms"], c["body"]) for c in comments] == [(400, "Knees out")]

    # Playback: CloudFront signed URLs that CloudFront would accept, over objects in S3.
    playback = learner.call("GET", f"/api/v1/videos/{attempt_video}/playback")
    s3 = boto3.client("s3", region_name=REGION, endpoint_url=moto_endpoint)
    public = aws_mode.signing_key.public_key()
    for name in ("original", "rendition", "poster", "sprite"):
        url = playback[f"{name}_url"]
        parts = urlsplit(url)
        assert parts.netloc == DISTRIBUTION, url
        assert cloudfront_signature_holds(url, public), name
        s3.head_object(Bucket=aws_mode.bucket, Key=parts.path.lstrip("/"))
    stranger = Client(server.url)
    stranger.signup("Olga")
    r = stranger.http.get(f"/api/v1/videos/{attempt_video}/playback", headers=stranger.headers)
    assert r.status_code == 404

    # Logs: every line JSON; request lines carry the fields CloudWatch queries use.
    wanted = {"Requests", "RequestLatency", "UploadsStarted", "UploadsCompleted"}
    deadline = time.monotonic() + 60  # a metrics flush or two, however busy the machine
    while True:
        api_lines, worker_lines = json_lines(server.log_path), json_lines(worker_log)
        if (
            wanted <= metric_names(api_lines)
            and "VideoProcessingTime" in metric_names(worker_lines)
        ) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    requests = [line for line in api_lines if line.get("event") == "request"]
    comment_post = next(
        line
        for line in requests
        if line["route"] == "/api/v1/threads/{thread_id}/comments" and line["method"] == "POST"
    )
    assert comment_post["status"] == 201 and comment_post["user_id"] == coach_me["user"]["id"]
    assert len(comment_post["request_id"]) >= 16 and len(comment_post["trace_id"]) == 35
    assert comment_post["trace_id"].startswith("1-")  # X-Ray form
    assert isinstance(comment_post["duration_ms"], float)
    assert any(line.get("user_id") == learner_me["user"]["id"] for line in requests)

    assert wanted <= metric_names(api_lines)
    assert "VideoProcessingTime" in metric_names(worker_lines)

    # Secrets came from Secrets Manager and went nowhere else.
    everything = server.log_path.read_text() + worker_log.read_text()
    for value in aws_mode.secrets:
        assert value not in everything


def metric_names(lines: list[dict[str, Any]]) -> set[str]:
    return {
        m["Name"]
        for line in lines
        if "_aws" in line
        for group in line["_aws"]["CloudWatchMetrics"]
        for m in group["Metrics"]
    }


def video_rows(database: str) -> int:
    import asyncio

    import asyncpg

    async def count() -> int:
        conn = await asyncpg.connect(f"postgresql://postgres@127.0.0.1:5432/{database}")
        try:
            return int(await conn.fetchval("SELECT count(*) FROM videos"))
        finally:
            await conn.close()

    return asyncio.run(count())


def test_unreachable_s3_fails_upload_start_cleanly_and_recovers(
    pg_database: str, tmp_path: Path
) -> None:
    from tests.aws_emulator import moto_server
    from tests.live import free_port

    port, bucket = free_port(), f"videos-{uuid.uuid4().hex[:8]}"
    env = {
        "PRACTIKA_DATABASE_URL": f"postgresql+asyncpg://postgres@127.0.0.1:5432/{pg_database}",
        "PRACTIKA_DATA_DIR": str(tmp_path / "var"),
        "PRACTIKA_WEB_DIST": str(tmp_path / "none"),
        "PRACTIKA_SESSION_SECRET": "s" * 40,
        "PRACTIKA_STORAGE_BACKEND": "s3",
        "PRACTIKA_S3_VIDEOS_BUCKET": bucket,
        "PRACTIKA_AWS_REGION": REGION,
        "PRACTIKA_AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "PRACTIKA_LOG_FORMAT": "json",
        "PRACTIKA_RUN_WORKER": "false",
        "PRACTIKA_ARGON2_MEMORY_KIB": "1024",
        "PRACTIKA_ARGON2_TIME_COST": "1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }
    body = {"filename": "a.mp4", "content_type": "video/mp4", "size_bytes": 1000}
    with moto_server(port) as endpoint:
        boto3.client("s3", region_name=REGION, endpoint_url=endpoint).create_bucket(
            Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        server = LiveServer(env=env, log_path=tmp_path / "api.log").start()
        client = Client(server.url)
        client.signup("Ana")
        assert client.http.get("/readyz").status_code == 200
        first = client.call("POST", "/api/v1/uploads", json=body)
    try:
        # S3 is gone: a clear 503, quickly, and no video row left behind.
        began = time.monotonic()
        r = client.http.post("/api/v1/uploads", json=body, headers=client.headers)
        assert r.status_code == 503, r.text
        assert r.json()["error"]["code"] == "storage_unavailable"
        assert "Retry-After" in r.headers
        assert time.monotonic() - began < 60  # bounded (2 s connects, 3 tries), not hung
        ready = client.http.get("/readyz")
        assert ready.status_code == 503 and ready.json()["checks"]["database"] == "ok"
        assert ready.json()["checks"]["storage"].startswith("unavailable")
        state = client.http.get(f"/api/v1/uploads/{first['video_id']}", headers=client.headers)
        assert state.status_code == 503  # cannot say which parts arrived: not "none did"
        assert client.http.get("/healthz").status_code == 200  # alive, just not ready
        assert video_rows(pg_database) == 1  # the refused start left nothing behind

        # S3 is back (same endpoint, same bucket): the same process serves uploads again.
        with moto_server(port):
            assert client.http.get("/readyz").status_code == 200
            again = client.call("POST", "/api/v1/uploads", json=body)
            assert again["video_id"] != first["video_id"]
    finally:
        server.stop()
    assert json_lines(server.log_path)  # the outage was logged as JSON, not a traceback
