"""`practika infra`: offline synthesis for real; the AWS-facing commands with every
external program (npm, cdk, aws, docker) recorded instead of run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from practika import infra_cli

runner = CliRunner()


class Recorder:
    """Stands in for subprocess.run; answers as npm, the registry deploy and `aws ecr` would."""

    def __init__(self) -> None:
        self.calls: list[tuple[list[str], dict[str, Any]]] = []

    def __call__(self, command: list[str], **kw: Any) -> subprocess.CompletedProcess[str]:
        self.calls.append((command, kw))
        if command[:2] == ["npm", "ci"]:
            cdk = Path(kw["cwd"]) / "node_modules" / ".bin" / "cdk"
            cdk.parent.mkdir(parents=True)
            cdk.touch()
        if "--outputs-file" in command and "--all" not in command:
            outputs = Path(command[command.index("--outputs-file") + 1])
            outputs.parent.mkdir(parents=True, exist_ok=True)
            stack = command[command.index("deploy") + 1]
            uri = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/practika"
            outputs.write_text(json.dumps({stack: {"RepositoryUri": uri}}))
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


def test_deploy_pushes_the_image_to_the_registry_before_the_services_use_it(
    infra: Path, recorder: Recorder
) -> None:
    (infra / "keys" / "prod.pub.pem").write_text("-----BEGIN PUBLIC KEY-----\n")
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
    platform = recorder.calls[-1][0]
    assert "practika:prod:image_tag=abc123" in platform  # the services run exactly that image


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
