"""`practika infra`: offline synthesis for real; the AWS-facing commands with every
external program (npm, cdk, aws, docker) recorded instead of run, and the AWS API calls
the deploy makes itself against moto's server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from practika import infra_cli
from practika.infra_cli import common
from tests.infra import fake_tools

runner = CliRunner()


REPOSITORY = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/practika-dev"


@dataclass
class Tools:
    """npm, cdk, aws and docker on PATH (tests/infra/fake_tools.py): what they were asked,
    and the world they answer from (ECR's tags, the deployed stacks' parameters, ...)."""

    state_file: Path
    log: Path

    @property
    def state(self) -> dict[str, Any]:
        return json.loads(self.state_file.read_text())  # type: ignore[no-any-return]

    def set(self, **values: Any) -> None:
        self.state_file.write_text(json.dumps({**self.state, **values}))

    def calls(self) -> list[list[str]]:
        return fake_tools.calls(self.log)

    def programs(self) -> list[str]:
        """Each call as `tool arg1 arg2` (enough to tell the steps apart)."""
        return [" ".join(c[:3]) for c in self.calls()]

    def parameters(self, call: list[str]) -> dict[str, str]:
        return dict(
            p.split(":", 1)[1].split("=", 1)
            for p in (call[i + 1] for i, a in enumerate(call) if a == "--parameters")
        )

    def clear(self) -> None:
        self.log.write_text("")


@pytest.fixture
def infra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch infra/ (keys, cdk.out) so nothing lands in the working tree."""
    scratch = tmp_path / "infra"
    (scratch / "keys").mkdir(parents=True)
    monkeypatch.setattr(common, "INFRA", scratch)
    return scratch


@pytest.fixture
def clone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh clone: one commit, no web/dist, no node_modules (real git)."""
    root = tmp_path / "clone"
    (root / "web").mkdir(parents=True)
    (root / "web" / "package.json").write_text('{"name": "practika-web"}')
    (root / "README.md").write_text("Practika\n")
    (root / ".gitignore").write_text("web/dist/\nnode_modules/\n")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    for command in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "first"]):
        subprocess.run([*git, *command], cwd=root, check=True)
    monkeypatch.setattr(common, "ROOT", root)
    return root


def _head(clone: Path) -> str:
    return subprocess.run(
        ["git", "rev-parse", "--short=12", "HEAD"],
        cwd=clone,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


@pytest.fixture
def tools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Tools:
    state, log = tmp_path / "fake-state.json", tmp_path / "fake-calls.jsonl"
    state.write_text(json.dumps({"repository_uri": REPOSITORY, "images": [], "stacks": {}}))
    log.write_text("")
    for name, value in fake_tools.install(tmp_path / "bin", state, log).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    return Tools(state, log)


def test_an_unknown_environment_is_refused() -> None:
    result = runner.invoke(infra_cli.app, ["synth", "--env", "qa"])
    assert result.exit_code == 2 and "dev, staging, prod" in result.output


def test_context_must_be_key_value(tools: Tools) -> None:
    result = runner.invoke(infra_cli.app, ["diff", "--env", "dev", "-c", "domain"])
    assert result.exit_code == 2 and "KEY=VALUE" in result.output
    assert tools.calls() == []


def test_diff_compares_against_the_image_the_environment_runs(infra: Path, tools: Tools) -> None:
    """Issue 17 (2): diff used to pass no tag, so the template said `latest` and every
    diff showed both task definitions replaced."""
    tools.set(stacks={"practika-staging": {"ImageTag": "abc123", "MigrationImageTag": "abc123"}})
    result = runner.invoke(
        infra_cli.app, ["diff", "--env", "staging", "-c", "practika:alarm_email=ops@example.com"]
    )
    assert result.exit_code == 0, result.output
    describe, npm, cdk = tools.calls()
    assert describe[:3] == ["aws", "cloudformation", "describe-stacks"]
    assert describe[describe.index("--stack-name") + 1] == "practika-staging"
    assert npm[:2] == ["npm", "ci"]  # package-lock.json, exactly
    assert cdk[1:] == [
        "diff",
        "--all",
        "--parameters",
        "practika-staging:ImageTag=abc123",
        "--parameters",
        "practika-staging:MigrationImageTag=abc123",
        "--app",
        f"{sys.executable} app.py",
        "--output",
        str(infra / "cdk.out" / "staging"),
        "--context",
        "env=staging",
        "--context",
        "practika:alarm_email=ops@example.com",
    ]
    assert "image: abc123 -> abc123" in result.output


def test_diff_of_an_undeployed_environment_needs_a_tag(infra: Path, tools: Tools) -> None:
    result = runner.invoke(infra_cli.app, ["diff", "--env", "dev"])
    assert result.exit_code == 2 and "pass --tag" in result.output
    assert tools.programs() == ["aws cloudformation describe-stacks"]
    explicit = runner.invoke(infra_cli.app, ["diff", "--env", "dev", "--tag", "0123abcd"])
    assert explicit.exit_code == 0, explicit.output
    assert "practika-dev:ImageTag=0123abcd" in tools.calls()[-1]


def test_deploy_refuses_an_environment_without_its_own_signing_key(
    infra: Path, tools: Tools
) -> None:
    result = runner.invoke(infra_cli.app, ["deploy", "--env", "prod"])
    assert result.exit_code == 2 and "keygen --env prod" in result.output
    assert tools.calls() == []


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
def platform(moto_endpoint: str, tools: Tools, monkeypatch: pytest.MonkeyPatch) -> Platform:
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
    outputs = {
        "CloudFrontKeySecretArn": arn,
        "ClusterName": cluster,
        "ApiServiceName": names["Api"],
        "WorkerServiceName": names["Worker"],
        "MigrationTaskDefinitionArn": f"arn:aws:ecs:{REGION}:123456789012:task-definition/m:1",
        "ServiceSubnetIds": "subnet-1,subnet-2",
        "ServiceSecurityGroupId": "sg-1",
    }
    tools.set(platform_outputs=outputs)
    return Platform(secrets, ecs, outputs)


def _deployed(tools: Tools, env: str = "dev") -> dict[str, str]:
    return tools.state["stacks"][f"practika-{env}"]  # type: ignore[no-any-return]


def test_the_first_deploy_from_a_fresh_clone(
    infra: Path, clone: Path, tools: Tools, platform: Platform
) -> None:
    """Issue 17 (3): the web app is built (web/dist is not in git) and handed to the stack;
    then the image, the platform, the migration task, the signing key."""
    runner.invoke(infra_cli.app, ["keygen", "--env", "dev"])
    head = _head(clone)
    result = runner.invoke(infra_cli.app, ["deploy", "--env", "dev"])
    assert result.exit_code == 0, result.output
    assert tools.programs() == [
        "npm ci --no-audit",  # web/
        "npm run build",
        "npm ci --no-audit",  # infra/ (the pinned CDK CLI)
        "cdk deploy practika-dev-registry",
        "aws ecr describe-images",
        "aws ecr get-login-password",
        "docker login --username",
        "docker build --platform",
        f"docker push {REPOSITORY}:{head}",
        "aws cloudformation describe-stacks",
        "cdk deploy --all",
        "aws ecs run-task",
        "aws ecs wait",
        "aws ecs describe-tasks",
        "cdk deploy --all",
    ]
    calls = tools.calls()
    assert (clone / "web" / "dist" / "index.html").is_file()
    deploy = calls[10]
    assert f"practika:dev:web_dist={clone / 'web' / 'dist'}" in deploy
    assert tools.parameters(deploy) == {"ImageTag": head, "MigrationImageTag": head}
    # The services' own database user exists only once the migration has run: until
    # then they sign in as the owner (bootstrap), and the last step moves them to it.
    assert "practika:dev:database_bootstrap=true" in deploy
    switch = calls[14]
    assert not [c for c in switch if "database_bootstrap" in c]
    assert tools.parameters(switch) == {"ImageTag": head, "MigrationImageTag": head}
    assert tools.state["services_db_user"] == "app"
    assert "and to their own database user" in result.output
    run_task = calls[11]
    assert run_task[run_task.index("--task-definition") + 1].endswith("task-definition/m:1")
    assert (
        "awsvpcConfiguration={subnets=[subnet-1,subnet-2],securityGroups=[sg-1],"
        in (run_task[run_task.index("--network-configuration") + 1])
    )
    assert tools.state["images"] == [head] and _deployed(tools)["ImageTag"] == head
    assert "put infra/keys/dev.private.pem into" in result.output


def test_redeploying_the_same_commit_builds_and_pushes_nothing(
    infra: Path, clone: Path, tools: Tools, platform: Platform
) -> None:
    """Issue 17 (1): a retried first deploy or an infra-only redeploy of the same commit
    used to push the tag again, which ECR's immutable tags refuse (the fake docker too)."""
    runner.invoke(infra_cli.app, ["keygen", "--env", "dev"])
    assert runner.invoke(infra_cli.app, ["deploy", "--env", "dev"]).exit_code == 0
    tools.clear()
    again = runner.invoke(infra_cli.app, ["deploy", "--env", "dev"])
    assert again.exit_code == 0, again.output
    assert "in ECR already: not building it again" in again.output
    programs = tools.programs()
    assert not [p for p in programs if p.startswith("docker")]
    assert programs[-5:] == [
        "aws cloudformation describe-stacks",
        "cdk deploy --all",
        "aws ecs run-task",
        "aws ecs wait",
        "aws ecs describe-tasks",
    ]
    assert tools.state["images"] == [_head(clone)]


def test_a_new_commit_migrates_before_the_services_move_to_it(
    infra: Path, clone: Path, tools: Tools, platform: Platform
) -> None:
    runner.invoke(infra_cli.app, ["keygen", "--env", "dev"])
    head = _head(clone)
    tools.set(
        images=["0ld0ld0ld0ld"],
        stacks={"practika-dev": {"ImageTag": "0ld0ld0ld0ld", "MigrationImageTag": "0ld0ld0ld0ld"}},
    )
    result = runner.invoke(infra_cli.app, ["deploy", "--env", "dev"])
    assert result.exit_code == 0, result.output
    calls = tools.calls()
    steps = [
        (" ".join(c[:3]), tools.parameters(c) if c[0] == "cdk" else None)
        for c in calls
        if c[:2] in (["cdk", "deploy"], ["aws", "ecs"])
    ]
    assert steps == [
        ("cdk deploy practika-dev-registry", {}),
        ("cdk deploy --all", {"ImageTag": "0ld0ld0ld0ld", "MigrationImageTag": head}),
        ("aws ecs run-task", None),
        ("aws ecs wait", None),
        ("aws ecs describe-tasks", None),
        ("cdk deploy --all", {"ImageTag": head, "MigrationImageTag": head}),
    ]
    assert _deployed(tools)["ImageTag"] == head


def test_a_failed_migration_stops_the_deploy_with_the_services_on_the_old_image(
    infra: Path, clone: Path, tools: Tools, platform: Platform
) -> None:
    runner.invoke(infra_cli.app, ["keygen", "--env", "dev"])
    tools.set(
        images=["0ld0ld0ld0ld"],
        stacks={"practika-dev": {"ImageTag": "0ld0ld0ld0ld", "MigrationImageTag": "0ld0ld0ld0ld"}},
        migration_exit=1,
    )
    result = runner.invoke(infra_cli.app, ["deploy", "--env", "dev"])
    assert result.exit_code == 2 and "the migration failed (exit 1" in result.output
    assert [p for p in tools.programs() if p.startswith("cdk deploy --all")] == ["cdk deploy --all"]
    assert _deployed(tools)["ImageTag"] == "0ld0ld0ld0ld"


def test_rolling_back_to_an_existing_tag_builds_nothing(
    infra: Path, clone: Path, tools: Tools, platform: Platform
) -> None:
    """Issue 17 (1): `deploy --tag <old sha>` used to build this checkout and push it under
    the old tag (refused by ECR; and it would have labelled new code with the old tag)."""
    runner.invoke(infra_cli.app, ["keygen", "--env", "dev"])
    (clone / "README.md").write_text("work in progress\n")  # a dirty tree does not matter here
    tools.set(
        images=["0ld0ld0ld0ld", "n3wn3wn3wn3w"],
        stacks={"practika-dev": {"ImageTag": "n3wn3wn3wn3w", "MigrationImageTag": "n3wn3wn3wn3w"}},
    )
    result = runner.invoke(
        infra_cli.app, ["deploy", "--env", "dev", "--tag", "0ld0ld0ld0ld", "--no-migrate"]
    )
    assert result.exit_code == 0, result.output
    programs = tools.programs()
    assert not [p for p in programs if p.startswith(("docker", "aws ecs"))]
    deploys = [tools.parameters(c) for c in tools.calls() if c[:3] == ["cdk", "deploy", "--all"]]
    assert deploys == [
        {"ImageTag": "n3wn3wn3wn3w", "MigrationImageTag": "0ld0ld0ld0ld"},
        {"ImageTag": "0ld0ld0ld0ld", "MigrationImageTag": "0ld0ld0ld0ld"},
    ]
    assert tools.state["images"] == ["0ld0ld0ld0ld", "n3wn3wn3wn3w"]


def test_a_tag_that_is_not_in_ecr_is_refused_before_cloudformation(
    infra: Path, clone: Path, tools: Tools, platform: Platform
) -> None:
    runner.invoke(infra_cli.app, ["keygen", "--env", "dev"])
    result = runner.invoke(infra_cli.app, ["deploy", "--env", "dev", "--tag", "n0tpushed"])
    assert result.exit_code == 2 and "is not in ECR" in result.output
    programs = tools.programs()
    assert programs[-1] == "aws ecr describe-images"
    assert not [p for p in programs if p.startswith(("docker", "cdk deploy --all"))]


def test_a_dirty_working_tree_is_refused_for_a_commit_tagged_build(
    infra: Path, clone: Path, tools: Tools, platform: Platform
) -> None:
    runner.invoke(infra_cli.app, ["keygen", "--env", "dev"])
    (clone / "src.py").write_text("print('not committed')\n")
    result = runner.invoke(infra_cli.app, ["deploy", "--env", "dev"])
    assert result.exit_code == 2 and "uncommitted changes" in result.output
    assert "src.py" in result.output and tools.calls() == []


def test_a_failed_web_build_stops_the_deploy(
    infra: Path, clone: Path, tools: Tools, platform: Platform
) -> None:
    runner.invoke(infra_cli.app, ["keygen", "--env", "dev"])
    tools.set(web_build_fails=True)
    result = runner.invoke(infra_cli.app, ["deploy", "--env", "dev"])
    assert result.exit_code != 0
    assert tools.programs() == ["npm ci --no-audit", "npm run build"]


def test_a_plain_cdk_deploy_of_a_new_stack_fails_without_an_image_tag(tools: Tools) -> None:
    """What CloudFormation does with a parameter that has no default and no value (the
    fake cdk mirrors it; the template side is tests/infra/test_stacks.py)."""
    done = subprocess.run(
        ["cdk", "deploy", "--all", "--context", "env=dev"], capture_output=True, text=True
    )
    assert done.returncode == 1 and "must have values" in done.stderr


def test_a_first_deploy_installs_the_signing_key_and_restarts_both_services(
    infra: Path, clone: Path, tools: Tools, platform: Platform
) -> None:
    runner.invoke(infra_cli.app, ["keygen", "--env", "staging"])
    before = platform.deployments()
    result = runner.invoke(infra_cli.app, ["deploy", "--env", "staging"])
    assert result.exit_code == 0, result.output
    assert platform.secret == (infra / "keys" / "staging.private.pem").read_text()
    after = platform.deployments()
    assert set(after) == set(before) and all(after[s] != before[s] for s in before)
    assert "put infra/keys/staging.private.pem into" in result.output
    for service in before:
        assert f"restarting {service}" in result.output

    # The next deploy finds the key in place: nothing is put, nothing restarted.
    again = runner.invoke(infra_cli.app, ["deploy", "--env", "staging"])
    assert again.exit_code == 0, again.output
    assert "already installed" in again.output and platform.deployments() == after


def test_without_the_private_key_the_deploy_says_so_and_touches_nothing(
    infra: Path, clone: Path, tools: Tools, platform: Platform
) -> None:
    from practika_infra.security import CLOUDFRONT_KEY_PLACEHOLDER

    runner.invoke(infra_cli.app, ["keygen", "--env", "dev"])
    (infra / "keys" / "dev.private.pem").unlink()  # made on another machine, say
    before = platform.deployments()
    result = runner.invoke(infra_cli.app, ["deploy", "--env", "dev"])
    assert result.exit_code == 2 and "dev.private.pem is missing" in result.output
    assert platform.secret == CLOUDFRONT_KEY_PLACEHOLDER and platform.deployments() == before


def test_a_private_key_that_does_not_match_the_trusted_public_key_is_not_installed(
    infra: Path, clone: Path, tools: Tools, platform: Platform
) -> None:
    from practika_infra.security import CLOUDFRONT_KEY_PLACEHOLDER

    from tests.aws_emulator import new_signing_key, pem_of

    runner.invoke(infra_cli.app, ["keygen", "--env", "dev"])
    (infra / "keys" / "dev.private.pem").write_text(pem_of(new_signing_key()))
    result = runner.invoke(infra_cli.app, ["deploy", "--env", "dev"])
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
    monkeypatch.setattr(common, "outdir", lambda env: tmp_path / env)
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


def test_keygen_rotate_keeps_the_old_pair_until_the_rotation_is_finished(infra: Path) -> None:
    keys = infra / "keys"
    runner.invoke(infra_cli.app, ["keygen", "--env", "prod"])
    old = (keys / "prod.pub.pem").read_text()
    result = runner.invoke(infra_cli.app, ["keygen", "--env", "prod", "--rotate"])
    assert result.exit_code == 0, result.output
    assert (keys / "prod.previous.pub.pem").read_text() == old
    assert (keys / "prod.previous.private.pem").exists()
    assert (keys / "prod.pub.pem").read_text() != old
    again = runner.invoke(infra_cli.app, ["keygen", "--env", "prod", "--rotate"])
    assert again.exit_code == 2 and "rotation is under way" in again.output


def test_a_deploy_after_a_rotation_installs_the_new_key_and_restarts(
    infra: Path, clone: Path, tools: Tools, platform: Platform
) -> None:
    runner.invoke(infra_cli.app, ["keygen", "--env", "dev"])
    assert runner.invoke(infra_cli.app, ["deploy", "--env", "dev"]).exit_code == 0
    old_secret, before = platform.secret, platform.deployments()
    runner.invoke(infra_cli.app, ["keygen", "--env", "dev", "--rotate"])
    result = runner.invoke(infra_cli.app, ["deploy", "--env", "dev"])
    assert result.exit_code == 0, result.output
    assert platform.secret == (infra / "keys" / "dev.private.pem").read_text() != old_secret
    after = platform.deployments()
    assert all(after[s] != before[s] for s in before)


def test_push_sends_the_commit_image_once(infra: Path, clone: Path, tools: Tools) -> None:
    """CI builds the image once per commit; each environment's push skips a tag ECR has."""
    head = _head(clone)
    result = runner.invoke(infra_cli.app, ["push", "--env", "dev"])
    assert result.exit_code == 0, result.output
    assert tools.programs()[-4:] == [
        "aws ecr get-login-password",
        "docker login --username",
        f"docker tag practika:{head}",
        f"docker push {REPOSITORY}:{head}",
    ]
    tools.clear()
    again = runner.invoke(infra_cli.app, ["push", "--env", "dev"])
    assert again.exit_code == 0 and "in ECR already" in again.output
    assert tools.programs() == ["cdk deploy practika-dev-registry", "aws ecr describe-images"]
