"""Issue 17: the smoke test after a deploy checks health, readiness, the web app and a
signed playback URL through CloudFront, in that order.

S3 and Secrets Manager are moto's; CloudFront is a fake that records every GET and
answers as the real edge would: a video URL needs a canned-policy signature by the key
it trusts (else 403) and an object in the bucket (else 404).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from typer.testing import CliRunner

from practika import infra_cli
from practika.infra_cli import smoke as infra_smoke
from practika.infra_cli.smoke import SMOKE_PREFIX, Deployment, SmokeFailed
from tests.aws_emulator import (
    KEY_PAIR_ID,
    REGION,
    cloudfront_signature_holds,
    new_signing_key,
    pem_of,
)

API, APP = "https://api.practika.example.com", "https://app.practika.example.com"


@dataclass
class FakeEdge:
    """The API behind the ALB and CloudFront in front of the buckets, as GETs see them."""

    s3: Any
    bucket: str
    trusted: rsa.RSAPublicKey
    answers: dict[str, int] = field(default_factory=dict)  # path → status, else 200
    unsigned_status: int = 403  # what CloudFront does with an unsigned video URL
    calls: list[str] = field(default_factory=list)
    seen_objects: list[str] = field(default_factory=list)

    def get(self, url: str) -> int:
        self.calls.append(url)
        parts = urlsplit(url)
        if not parts.path.startswith("/videos/"):
            return self.answers.get(f"{parts.netloc}{parts.path}", 200)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if not {"Expires", "Signature", "Key-Pair-Id"} <= set(query):
            return self.unsigned_status
        if not cloudfront_signature_holds(url, self.trusted):
            return 403
        key = parts.path.removeprefix("/")
        listed = self.s3.list_objects_v2(Bucket=self.bucket, Prefix=key).get("Contents", [])
        if not listed:
            return 404
        self.seen_objects.append(key)
        return 200

    def steps(self) -> list[str]:
        """Each call named: which check it was."""
        named = []
        for url in self.calls:
            parts = urlsplit(url)
            if parts.path.startswith("/videos/"):
                named.append("signed video" if parts.query else "unsigned video")
            else:
                named.append(f"{parts.netloc.split('.')[0]} {parts.path}")
        return named


@pytest.fixture
def world(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Deployment, Any, Any]:
    import boto3

    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    s3 = boto3.client("s3", region_name=REGION)
    secrets = boto3.client("secretsmanager", region_name=REGION)
    bucket = f"videos-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    key = new_signing_key()
    arn = secrets.create_secret(Name=f"cf-{uuid.uuid4().hex[:8]}", SecretString=pem_of(key))["ARN"]
    deployment = Deployment(API, APP, bucket, arn, KEY_PAIR_ID)
    return deployment, s3, secrets


def _edge(world: tuple[Deployment, Any, Any], **kw: Any) -> FakeEdge:
    deployment, s3, secrets = world
    pem = secrets.get_secret_value(SecretId=deployment.key_secret_arn)["SecretString"]
    private = serialization.load_pem_private_key(pem.encode(), password=None)
    assert isinstance(private, rsa.RSAPrivateKey)
    return FakeEdge(s3, deployment.videos_bucket, kw.pop("trusted", private.public_key()), **kw)


def _run(world: tuple[Deployment, Any, Any], edge: FakeEdge) -> list[str]:
    deployment, s3, secrets = world
    said: list[str] = []
    infra_smoke.run(
        deployment, get=edge.get, s3=s3, secrets=secrets, sleep=lambda _: None, say=said.append
    )
    return said


def _smoke_objects(world: tuple[Deployment, Any, Any]) -> list[str]:
    deployment, s3, _ = world
    listed = s3.list_objects_v2(Bucket=deployment.videos_bucket, Prefix=SMOKE_PREFIX)
    return [o["Key"] for o in listed.get("Contents", [])]


def test_a_healthy_deployment_passes_every_check_in_order(world) -> None:
    edge = _edge(world)
    said = _run(world, edge)
    assert edge.steps() == [
        "api /healthz",
        "api /readyz",
        "app /",
        "signed video",
        "unsigned video",
    ]
    # The signed URL fetched the object the test put there, and it is gone again.
    assert len(edge.seen_objects) == 1 and edge.seen_objects[0].startswith(SMOKE_PREFIX)
    assert _smoke_objects(world) == []
    assert said[-1].startswith("smoke test passed")


def test_a_distribution_that_serves_unsigned_videos_fails_it(world) -> None:
    edge = _edge(world, unsigned_status=200)
    with pytest.raises(SmokeFailed, match=r"unsigned video URL refused: .* answered 200, not 403"):
        _run(world, edge)
    assert _smoke_objects(world) == []  # cleaned up on failure too


def test_a_signing_key_cloudfront_does_not_trust_fails_it(world) -> None:
    edge = _edge(world, trusted=new_signing_key().public_key())
    with pytest.raises(SmokeFailed, match=r"signed video URL: .* answered 403, not 200"):
        _run(world, edge)
    assert edge.steps().count("signed video") == 10  # retried, then given up
    assert "unsigned video" not in edge.steps()
    assert _smoke_objects(world) == []


def test_an_api_that_never_turns_ready_stops_before_the_bucket_is_touched(world) -> None:
    edge = _edge(world, answers={"api.practika.example.com/readyz": 503})
    with pytest.raises(SmokeFailed, match=r"api ready: .*/readyz answered 503, not 200"):
        _run(world, edge)
    assert set(edge.steps()) == {"api /healthz", "api /readyz"}
    assert edge.seen_objects == [] and _smoke_objects(world) == []


def test_a_signing_key_not_installed_yet_is_named(world) -> None:
    deployment, _, secrets = world
    secrets.put_secret_value(
        SecretId=deployment.key_secret_arn, SecretString="UNSET: run practika infra deploy"
    )
    edge = FakeEdge(world[1], deployment.videos_bucket, new_signing_key().public_key())
    with pytest.raises(SmokeFailed, match="placeholder"):
        _run(world, edge)
    assert _smoke_objects(world) == []


def test_the_cli_reads_the_stack_outputs_and_exits_1_on_a_failure(
    world, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.infra import fake_tools

    deployment, _, _ = world
    state, log = tmp_path / "state.json", tmp_path / "calls.jsonl"
    outputs = {
        "ApiUrl": API,
        "AppUrl": APP,
        "VideosBucketName": deployment.videos_bucket,
        "CloudFrontKeySecretArn": deployment.key_secret_arn,
        "CloudFrontKeyPairId": deployment.key_pair_id,
    }
    state.write_text(json.dumps({"stacks": {"practika-dev": {}}, "platform_outputs": outputs}))
    for name, value in fake_tools.install(tmp_path / "bin", state, log).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:{__import__('os').environ['PATH']}")
    edge = _edge(world)
    get: Callable[[str], int] = edge.get
    monkeypatch.setattr(infra_smoke, "http_status", get)
    monkeypatch.setattr(infra_smoke.time, "sleep", lambda _: None)

    result = CliRunner().invoke(infra_cli.app, ["smoke", "--env", "dev"])
    assert result.exit_code == 0, result.output
    assert "smoke test passed" in result.output
    assert [c[:3] for c in fake_tools.calls(log)] == [["aws", "cloudformation", "describe-stacks"]]

    edge.unsigned_status = 200
    failed = CliRunner().invoke(infra_cli.app, ["smoke", "--env", "dev"])
    assert failed.exit_code == 1
    assert "smoke test failed: unsigned video URL refused" in failed.output
