"""`practika infra`: offline synthesis for real; the AWS-facing commands with every
external program (npm, cdk, aws, docker) recorded instead of run, and the AWS API calls
the deploy makes itself against moto's server."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from practika import infra_cli

runner = CliRunner()


class Recorder:
    """Stands in for subprocess.run; answers as npm, the deploys and `aws ecr` would."""

    def __init__(self) -> None:
        self.calls: list[tuple[list[str], dict[str, Any]]] = []
        self.platform_outputs: dict[str, str] = {}  # what `cdk deploy --all` reports

    def __call__(self, command: list[str], **kw: Any) -> subprocess.CompletedProcess[str]:
        self.calls.append((command, kw))
        if command[:2] == ["npm", "ci"]:
            cdk = Path(kw["cwd"]) / "node_modules" / ".bin" / "cdk"
            cdk.parent.mkdir(parents=True)
            cdk.touch()
        if "--outputs-file" in command:
            outputs = Path(command[command.index("--outputs-file") + 1])
            outputs.parent.mkdir(parents=True, exist_ok=True)
            uri = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/practika"
            env = next(c.removeprefix("env=") for c in command if c.startswith("env="))
            written = {f"practika-{env}-registry": {"RepositoryUri": uri}}
            if "--all" in command:
                written[f"practika-{env}"] = self.platform_outputs
            outputs.write_text(json.dumps(written))
        stdout = "password" if command[:2] == ["aws", "ecr"] else "0123456789ab\n"
        return subprocess.CompletedProcess(command, 0, stdout=stdout, stderr="")

    def programs(self) -> list[str]:
        return [" ".join([Path(c[0]).name, *c[1:3]]) for c, _ in self.calls]


@pytest.fixture
def infra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch infra/ (keys, cdk.out) so nothing lands in the working tree."""
    (tmp_path / "keys").mkdir()
    monkeypatch.setattr(infra_cli, "INFRA", tmp_path)
    return tmp_path


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    fake = Recorder()
    monkeypatch.setattr(infra_cli.subprocess, "run", fake)
    monkeypatch.setattr(infra_cli.shutil, "which", lambda _name: "/usr/bin/npm")
    return fake


def test_an_unknown_environment_is_refused() -> None:
    result = runner.invoke(infra_cli.app, ["synth", "--env", "qa"])
    assert result.exit_code == 2 and "dev, staging, prod" in result.output


def test_context_must_be_key_value(recorder: Recorder) -> None:
    result = runner.invoke(infra_cli.app, ["diff", "--env", "dev", "-c", "domain"])
    assert result.exit_code == 2 and "KEY=VALUE" in result.output
    assert recorder.calls == []


def test_diff_runs_the_pinned_cdk_cli_with_the_environment_as_context(
    infra: Path, recorder: Recorder
) -> None:
    result = runner.invoke(
        infra_cli.app, ["diff", "--env", "staging", "-c", "practika:alarm_email=ops@example.com"]
    )
    assert result.exit_code == 0, result.output
    (npm, npm_kw), (cdk, cdk_kw) = recorder.calls
    assert npm[:2] == ["npm", "ci"] and npm_kw["cwd"] == infra  # package-lock.json, exactly
    assert cdk == [
        str(infra / "node_modules" / ".bin" / "cdk"),
        "diff",
        "--all",
        "--app",
        f"{sys.executable} app.py",
        "--output",
        str(infra / "cdk.out" / "staging"),
        "--context",
        "env=staging",
        "--context",
        "practika:alarm_email=ops@example.com",
    ]
    assert cdk_kw["env"]["JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"] == "20"


def test_deploy_refuses_an_environment_without_its_own_signing_key(
    infra: Path, recorder: Recorder
) -> None:
    result = runner.invoke(infra_cli.app, ["deploy", "--env", "prod"])
    assert result.exit_code == 2 and "keygen --env prod" in result.output
    assert recorder.calls == []


@dataclass
class Platform:
    """What the platform stack made, in moto: the key secret (still its placeholder), the
    cluster and both services; `outputs` is what `cdk deploy` reports about them."""

    secrets: Any
    ecs: Any
    outputs: dict[str, str]

    @property
    def secret(self) -> str:
        value = self.secrets.get_secret_value(SecretId=self.outputs["CloudFrontKeySecretArn"])
        return str(value["SecretString"])

    def deployments(self) -> dict[str, str]:
        """service name → the id of its primary deployment (a forced one changes it)."""
        described = self.ecs.describe_services(
            cluster=self.outputs["ClusterName"],
            services=[self.outputs["ApiServiceName"], self.outputs["WorkerServiceName"]],
        )["services"]
        return {s["serviceName"]: s["deployments"][0]["id"] for s in described}


@pytest.fixture
def platform(moto_endpoint: str, recorder: Recorder, monkeypatch: pytest.MonkeyPatch) -> Platform:
    import uuid

    import boto3
    from practika_infra.security import CLOUDFRONT_KEY_PLACEHOLDER

    from tests.aws_emulator import REGION

    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)  # boto3 reads it for every client
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    unique = uuid.uuid4().hex[:8]  # the moto server is shared by the whole session
    secrets = boto3.client("secretsmanager", region_name=REGION)
    arn = secrets.create_secret(
        Name=f"cloudfront-key-{unique}", SecretString=CLOUDFRONT_KEY_PLACEHOLDER
    )["ARN"]
    ecs = boto3.client("ecs", region_name=REGION)
    cluster = ecs.create_cluster(clusterName=f"practika-{unique}")["cluster"]["clusterName"]
    task = ecs.register_task_definition(
        family=f"app-{unique}",
        containerDefinitions=[{"name": "app", "image": "practika", "memory": 512}],
    )["taskDefinition"]["taskDefinitionArn"]
    names = {}
    for role in ("Api", "Worker"):
        names[role] = ecs.create_service(
            cluster=cluster, serviceName=f"{role}-{unique}", taskDefinition=task, desiredCount=1
        )["service"]["serviceName"]
    recorder.platform_outputs = {
        "CloudFrontKeySecretArn": arn,
        "ClusterName": cluster,
        "ApiServiceName": names["Api"],
        "WorkerServiceName": names["Worker"],
    }
    return Platform(secrets, ecs, recorder.platform_outputs)


def test_deploy_pushes_the_image_to_the_registry_before_the_services_use_it(
    infra: Path, recorder: Recorder, platform: Platform
) -> None:
    runner.invoke(infra_cli.app, ["keygen", "--env", "prod"])
    result = runner.invoke(infra_cli.app, ["deploy", "--env", "prod", "--tag", "abc123"])
    assert result.exit_code == 0, result.output
    assert recorder.programs() == [
        "npm ci --no-audit",
        "cdk deploy practika-prod-registry",
        "aws ecr get-login-password",
        "docker login --username",
        "docker build --platform",
        "docker push 123456789012.dkr.ecr.eu-west-1.amazonaws.com/practika:abc123",
        "cdk deploy --all",
    ]
    build = recorder.calls[4][0]
    assert build[-3:] == [
        "-t",
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com/practika:abc123",
        str(infra_cli.ROOT),
    ]
    deploy = recorder.calls[-1][0]
    assert "practika:prod:image_tag=abc123" in deploy  # the services run exactly that image


def test_a_first_deploy_installs_the_signing_key_and_restarts_both_services(
    infra: Path, recorder: Recorder, platform: Platform
) -> None:
    runner.invoke(infra_cli.app, ["keygen", "--env", "staging"])
    before = platform.deployments()
    result = runner.invoke(infra_cli.app, ["deploy", "--env", "staging", "--tag", "abc123"])
    assert result.exit_code == 0, result.output
    assert platform.secret == (infra / "keys" / "staging.private.pem").read_text()
    after = platform.deployments()
    assert set(after) == set(before) and all(after[s] != before[s] for s in before)
    assert "put infra/keys/staging.private.pem into" in result.output
    for service in before:
        assert f"restarting {service}" in result.output

    # The next deploy finds the key in place: nothing is put, nothing restarted.
    again = runner.invoke(infra_cli.app, ["deploy", "--env", "staging", "--tag", "def456"])
    assert again.exit_code == 0, again.output
    assert "already installed" in again.output and platform.deployments() == after


def test_without_the_private_key_the_deploy_says_so_and_touches_nothing(
    infra: Path, recorder: Recorder, platform: Platform
) -> None:
    from practika_infra.security import CLOUDFRONT_KEY_PLACEHOLDER

    runner.invoke(infra_cli.app, ["keygen", "--env", "dev"])
    (infra / "keys" / "dev.private.pem").unlink()  # made on another machine, say
    before = platform.deployments()
    result = runner.invoke(infra_cli.app, ["deploy", "--env", "dev", "--tag", "abc123"])
    assert result.exit_code == 2 and "dev.private.pem is missing" in result.output
    assert platform.secret == CLOUDFRONT_KEY_PLACEHOLDER and platform.deployments() == before


def test_a_private_key_that_does_not_match_the_trusted_public_key_is_not_installed(
    infra: Path, recorder: Recorder, platform: Platform
) -> None:
    from practika_infra.security import CLOUDFRONT_KEY_PLACEHOLDER

    from tests.aws_emulator import new_signing_key, pem_of

    runner.invoke(infra_cli.app, ["keygen", "--env", "dev"])
    (infra / "keys" / "dev.private.pem").write_text(pem_of(new_signing_key()))
    result = runner.invoke(infra_cli.app, ["deploy", "--env", "dev", "--tag", "abc123"])
    assert result.exit_code == 2 and "not the private half" in result.output
    assert platform.secret == CLOUDFRONT_KEY_PLACEHOLDER


def test_keygen_writes_a_key_pair_once(infra: Path) -> None:
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    result = runner.invoke(infra_cli.app, ["keygen", "--env", "staging"])
    assert result.exit_code == 0, result.output
    load_pem_public_key((infra / "keys" / "staging.pub.pem").read_bytes())
    assert (infra / "keys" / "staging.private.pem").stat().st_mode & 0o777 == 0o600
    again = runner.invoke(infra_cli.app, ["keygen", "--env", "staging"])
    assert again.exit_code == 2 and "rotate" in again.output


@pytest.mark.slow
def test_synth_writes_an_environment_offline_with_context_overrides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(infra_cli, "outdir", lambda env: tmp_path / env)
    result = runner.invoke(
        infra_cli.app, ["synth", "--env", "dev", "-c", "practika:dev:alarm_email=ops@example.com"]
    )
    assert result.exit_code == 0, result.output
    template = json.loads((tmp_path / "dev" / "practika-dev.template.json").read_text())
    [subscription] = [
        r for r in template["Resources"].values() if r["Type"] == "AWS::SNS::Subscription"
    ]
    assert subscription["Properties"]["Endpoint"] == "ops@example.com"
    assert (tmp_path / "dev" / "validation-report.json").exists()  # cdk-nag ran
