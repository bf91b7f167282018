"""`practika infra smoke --env ENV`: after a deploy, what a person's first minute needs.

In order: the API is alive (`/healthz`) and ready (`/readyz`: database and storage), the
SPA is served at `/`, and CloudFront plays a video through a signed URL (200) while
refusing the same URL unsigned (403). The video is a few bytes put under
`videos/smoke-test/` for the check and deleted after it, so the test needs no data of
the environment and leaves none (docs/operations.md, "Smoke test").
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import typer

from practika.infra_cli.common import (
    ContextOption,
    EnvOption,
    cdk_context,
    env_name,
    env_region,
    fail,
)
from practika.infra_cli.deployed import stack_outputs

SMOKE_PREFIX = "videos/smoke-test/"
SMOKE_BODY = b"practika smoke test\n"
SMOKE_OUTPUTS = (
    "ApiUrl",
    "AppUrl",
    "VideosBucketName",
    "CloudFrontKeySecretArn",
    "CloudFrontKeyPairId",
)


@dataclass(frozen=True)
class Deployment:
    """The stack outputs the smoke test reads (`practika-ENV`'s CfnOutputs)."""

    api_url: str
    app_url: str
    videos_bucket: str
    key_secret_arn: str
    key_pair_id: str

    @classmethod
    def from_outputs(cls, outputs: dict[str, str]) -> Deployment:
        return cls(
            api_url=outputs["ApiUrl"].rstrip("/"),
            app_url=outputs["AppUrl"].rstrip("/"),
            videos_bucket=outputs["VideosBucketName"],
            key_secret_arn=outputs["CloudFrontKeySecretArn"],
            key_pair_id=outputs["CloudFrontKeyPairId"],
        )


class SmokeFailed(Exception):
    """One check did not answer as a working deployment would; says which and what came."""


# An HTTP GET that answers the status code, whatever it is (urllib raises on 4xx/5xx).
Get = Callable[[str], int]


def http_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=15) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except (urllib.error.URLError, TimeoutError, ConnectionError):
        return 0  # no answer at all: retried like a 5xx


def run(
    deployment: Deployment,
    *,
    get: Get,
    s3: Any,
    secrets: Any,
    attempts: int = 10,
    pause: float = 6.0,
    sleep: Callable[[float], None] = time.sleep,
    say: Callable[[str], None] = print,
) -> None:
    """Every check in order; raises SmokeFailed at the first that fails."""

    def expect(what: str, url: str, status: int, *, retry: bool = True) -> None:
        got = 0
        for attempt in range(attempts if retry else 1):
            got = get(url)
            if got == status:
                say(f"ok   {what}: {status}")
                return
            if attempt + 1 < (attempts if retry else 1):
                sleep(pause)
        raise SmokeFailed(f"{what}: {url} answered {got or 'nothing'}, not {status}")

    expect("api alive", f"{deployment.api_url}/healthz", 200)
    expect("api ready", f"{deployment.api_url}/readyz", 200)
    expect("web app", f"{deployment.app_url}/", 200)

    from practika.aws.cloudfront import CloudFrontSigner, is_unset

    pem = secrets.get_secret_value(SecretId=deployment.key_secret_arn)["SecretString"]
    if is_unset(pem):
        raise SmokeFailed(
            "signed playback: the CloudFront key secret still holds its placeholder "
            "(`practika infra deploy` installs the key)"
        )
    key = f"{SMOKE_PREFIX}{uuid.uuid4().hex}.txt"
    s3.put_object(Bucket=deployment.videos_bucket, Key=key, Body=SMOKE_BODY)
    try:
        signer = CloudFrontSigner(deployment.app_url, deployment.key_pair_id, pem)
        signed = signer.url(key, expires_in=300)
        expect("signed video URL", signed, 200)
        unsigned = signed.split("?", 1)[0]
        # CloudFront decides this at the edge: no retry would change a wrong answer.
        expect("unsigned video URL refused", unsigned, 403, retry=False)
    finally:
        s3.delete_object(Bucket=deployment.videos_bucket, Key=key)
    say(f"smoke test passed ({urlsplit(deployment.api_url).netloc})")


def smoke(env: EnvOption = "dev", context: ContextOption = None) -> None:
    """After a deploy (needs AWS credentials): /healthz, /readyz, the web app, then a
    video through CloudFront, signed (200) and unsigned (403); stops at the first failure."""
    import boto3

    ctx = cdk_context(env_name(env), context)
    region = env_region(env, ctx)
    outputs = stack_outputs(env, region)
    missing = sorted(set(SMOKE_OUTPUTS) - set(outputs))
    if missing:
        fail(f"practika-{env} has no outputs {missing}: deploy this version of the stack first")
    try:
        run(
            Deployment.from_outputs(outputs),
            get=http_status,
            s3=boto3.client("s3", region_name=region),
            secrets=boto3.client("secretsmanager", region_name=region),
            say=typer.echo,
        )
    except SmokeFailed as exc:
        fail(f"smoke test failed: {exc}", 1)
