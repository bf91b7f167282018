"""Issue 17: what the templates must say so that every deploy, the first and the next
ones, works (the deploy tool's side is test_infra_cli.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App
from practika_infra import config
from practika_infra.stack import build

from tests.infra.conftest import DOMAIN, ENVS, INFRA, ROOT, WEB_BUILD, Synth
from tests.infra.template import of_type, one, props, refs


def _containers(synth: Synth) -> dict[str, dict[str, Any]]:
    """task definition logical id → its `app` container."""
    return {
        key: next(c for c in props(task)["ContainerDefinitions"] if c["Name"] == "app")
        for key, task in of_type(synth.main, "AWS::ECS::TaskDefinition").items()
    }


def test_no_task_definition_names_an_image_nobody_pushed(synth: Synth) -> None:
    """Issue 17 (2): `image_tag="latest"` landed in both task definitions, and `latest` is
    never pushed. The tag is a parameter without a default, and `latest` is not allowed."""
    parameters = synth.main["Parameters"]
    for name in ("ImageTag", "MigrationImageTag"):
        assert "Default" not in parameters[name]
        pattern = re.compile(parameters[name]["AllowedPattern"])
        assert not pattern.match("latest")
        assert pattern.match("0123456789ab") and pattern.match("v1.2.3")
    tags = {}
    for key, app in _containers(synth).items():
        assert "latest" not in json.dumps(app["Image"]), key
        tags[key] = refs(app["Image"]) & {"ImageTag", "MigrationImageTag"}
    assert sorted(map(sorted, tags.values())) == [
        ["ImageTag"],
        ["ImageTag"],
        ["MigrationImageTag"],
    ]
    outputs = synth.main["Outputs"]
    assert outputs["DeployedImageTag"]["Value"] == {"Ref": "ImageTag"}


def test_migrations_run_as_their_own_task_and_never_on_service_start(synth: Synth) -> None:
    containers = _containers(synth)
    [migrate] = [k for k, c in containers.items() if c.get("Command") == ["migrate"]]
    assert refs(containers[migrate]["Image"]) >= {"MigrationImageTag"}
    services = of_type(synth.main, "AWS::ECS::Service")
    running = {r for s in services.values() for r in refs(props(s)["TaskDefinition"])}
    assert migrate not in running and len(running) == 2
    for key in running:
        env = {e["Name"]: e["Value"] for e in containers[key]["Environment"]}
        assert env["PRACTIKA_MIGRATE_ON_START"] == "false", key
    outputs = synth.main["Outputs"]
    assert refs(outputs["MigrationTaskDefinitionArn"]["Value"]) == {migrate}
    assert {"ServiceSubnetIds", "ServiceSecurityGroupId", "ClusterName"} <= set(outputs)


def test_a_deploy_leaves_the_autoscaled_task_count_alone(synth: Synth) -> None:
    """Issue 17 (5): a pinned DesiredCount reset prod from 10 tasks to 2 on every deploy."""
    for key, service in of_type(synth.main, "AWS::ECS::Service").items():
        assert "DesiredCount" not in props(service), key
    targets = of_type(synth.main, "AWS::ApplicationAutoScaling::ScalableTarget")
    assert len(targets) == 2


@pytest.mark.parametrize(("env", "zones"), [("dev", 2), ("staging", 2), ("prod", 3)])
def test_each_environment_spreads_over_its_availability_zones(
    synths: dict[str, Synth], env: str, zones: int
) -> None:
    """Issue 17 (6): environment-agnostic stacks got two AZs whatever max_azs said."""
    subnets = of_type(synths[env].main, "AWS::EC2::Subnet").values()
    placed = {json.dumps(props(s)["AvailabilityZone"]) for s in subnets}
    assert len(placed) == zones and len(subnets) == 2 * zones
    assert synths[env].regions[f"practika-{env}"] == "eu-west-1"


def test_the_cross_region_certificate_is_a_weak_reference(synths: dict[str, Synth]) -> None:
    """Issue 17 (7): the strong, SSM-backed cross-region reference blocks replacing the
    certificate; a weak one reads the certificate stack's output at deploy time."""
    for env in ("staging", "prod"):
        _, distribution = one(synths[env].main, "AWS::CloudFront::Distribution")
        arn = props(distribution)["DistributionConfig"]["ViewerCertificate"]["AcmCertificateArn"]
        assert arn["Fn::GetStackOutput"]["StackName"] == f"practika-{env}-certificate"
        assert arn["Fn::GetStackOutput"]["Region"] == "us-east-1"
        kinds = {r["Type"] for r in synths[env].main["Resources"].values()}
        assert not {k for k in kinds if "CrossRegion" in k}, kinds
        cert_stack = synths[env].templates[f"practika-{env}-certificate"]
        assert not of_type(cert_stack, "Custom::CrossRegionExportWriter")


def test_every_adopted_feature_flag_is_explained_in_the_operations_guide() -> None:
    flags = config.feature_flags()
    assert flags["@aws-cdk/core:defaultCrossStackReferences"] == "weak"
    guide = (ROOT / "docs" / "operations.md").read_text()
    missing = [flag for flag in flags if f"`{flag}`" not in guide]
    assert missing == []
    context = json.loads((INFRA / "cdk.json").read_text())["context"]
    assert {k: v for k, v in context.items() if k.startswith("@aws-cdk")} == flags


def _refusal(env: str, context: dict[str, str]) -> str:
    with pytest.raises(ValueError) as refused:
        build(App(context={"env": env}), config.load(env, context))
    return str(refused.value)


@pytest.mark.parametrize("env", ["staging", "prod"])
def test_public_environments_refuse_to_synthesize_without_https_alarms_or_a_site(
    env: str, tmp_path: Path
) -> None:
    """HTTPS by default; issue 17 (3): a fresh clone has no web/dist, and staging and prod
    silently skipped the upload (CloudFront then answers 403 at /)."""
    without_domain = {k: v for k, v in ENVS[env].items() if not k.endswith(("domain", "zone_id"))}
    assert "needs a domain" in _refusal(env, without_domain)
    without_alarms = {k: v for k, v in ENVS[env].items() if k != "practika:alarm_email"}
    assert "alarms" in _refusal(env, without_alarms)
    no_site = DOMAIN | {"practika:web_dist": str(tmp_path)}
    assert "index.html" in _refusal(env, no_site)


def test_dev_without_a_domain_synthesizes_and_says_so(synths: dict[str, Synth]) -> None:
    warnings = (synths["dev"].outdir / "practika-dev.metadata.json").read_text()
    assert "plain HTTP" in warnings and "[ack: practika:no-domain]" in warnings
    assert "CloudFront will answer 403" in warnings


def test_public_environments_serve_the_api_over_https_only(synths: dict[str, Synth]) -> None:
    for env in ("staging", "prod"):
        listeners = of_type(synths[env].main, "AWS::ElasticLoadBalancingV2::Listener")
        by_port = {props(v)["Port"]: props(v) for v in listeners.values()}
        assert set(by_port) == {80, 443}
        assert by_port[443]["Protocol"] == "HTTPS"
        [action] = by_port[80]["DefaultActions"]
        assert action["Type"] == "redirect"
        assert action["RedirectConfig"]["Protocol"] == "HTTPS"


def test_the_test_context_builds_every_environment() -> None:
    """The context tests and `make synth` pass: an example domain for staging and prod."""
    for env in ("staging", "prod"):
        config.load(env, ENVS[env]).check()
    assert WEB_BUILD["practika:web_dist"].endswith("web-dist")


def _signing_keys(tmp_path: Path, context: dict[str, str]) -> tuple[dict[str, Any], Any]:
    from aws_cdk import Environment, Stack
    from aws_cdk import aws_s3 as s3
    from aws_cdk.assertions import Template
    from practika_infra.global_services import Cdn

    stack = Stack(App(), "Keys", env=Environment(region="eu-west-1"))
    buckets = {name: s3.Bucket(stack, name) for name in ("Static", "Videos", "Logs")}
    cdn = Cdn(
        stack,
        "Cdn",
        config=config.load("dev", context),
        static=buckets["Static"],
        videos=buckets["Videos"],
        logs=buckets["Logs"],
        certificate=None,
    )
    template = Template.from_stack(stack).to_json()
    return template, stack.get_logical_id(cdn.public_key.node.default_child)  # type: ignore[arg-type]


def _public_pem(path: Path) -> str:
    from cryptography.hazmat.primitives import serialization

    from tests.aws_emulator import new_signing_key

    path.write_bytes(
        new_signing_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return str(path)


def test_rotating_the_signing_key_adds_a_key_instead_of_changing_one(tmp_path: Path) -> None:
    """Issue 17 (4): one PublicKey with a fixed logical id, whose EncodedKey CloudFormation
    cannot change in place, failed the stack update of every rotation."""
    old, new = _public_pem(tmp_path / "old.pem"), _public_pem(tmp_path / "new.pem")
    before, before_id = _signing_keys(tmp_path, {"practika:cloudfront_public_key": old})
    during, during_id = _signing_keys(
        tmp_path,
        {"practika:cloudfront_public_key": new, "practika:cloudfront_previous_public_key": old},
    )
    after, after_id = _signing_keys(tmp_path, {"practika:cloudfront_public_key": new})

    def keys(template: dict[str, Any]) -> dict[str, str]:
        return {
            k: v["Properties"]["PublicKeyConfig"]["EncodedKey"]
            for k, v in of_type(template, "AWS::CloudFront::PublicKey").items()
        }

    assert list(keys(before)) == [before_id] and keys(before)[before_id] == Path(old).read_text()
    # During the rotation the old key keeps its resource (unchanged), the new one is added,
    # the group trusts both, and the app signs with the new one.
    assert keys(during) == {before_id: Path(old).read_text(), during_id: Path(new).read_text()}
    [(_, group)] = of_type(during, "AWS::CloudFront::KeyGroup").items()
    assert sorted(refs(group["Properties"]["KeyGroupConfig"]["Items"])) == sorted(keys(during))
    # Removing the old file removes its key; the new one stays as it was.
    assert after_id == during_id and keys(after) == {during_id: Path(new).read_text()}


def test_a_release_that_answers_5xx_rolls_back(synth: Synth) -> None:
    """Circuit breaker with rollback (tasks that fail to start) and deployment alarms
    (tasks that start but answer 5xx), on the api; ECS Exec on both services."""
    alarms = of_type(synth.main, "AWS::CloudWatch::Alarm")
    services = of_type(synth.main, "AWS::ECS::Service")
    guarded = []
    for key, service in services.items():
        p = props(service)
        config_ = p["DeploymentConfiguration"]
        assert config_["DeploymentCircuitBreaker"] == {"Enable": True, "Rollback": True}, key
        assert p["EnableExecuteCommand"] is True, key
        if "Alarms" in config_:
            guarded.append(key)
            deployment = config_["Alarms"]
            assert deployment["Enable"] is True and deployment["Rollback"] is True
            names = refs(deployment["AlarmNames"])
            assert names and names <= set(alarms)
            metrics = {props(alarms[n])["MetricName"] for n in names}
            assert metrics == {"HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count"}
    assert len(guarded) == 1  # the api (the worker has no traffic to judge it by)
    assert "LoadBalancers" in props(services[guarded[0]])


def test_the_api_gets_time_to_turn_healthy_before_the_alb_judges_it(synth: Synth) -> None:
    [(_, target_group)] = of_type(synth.main, "AWS::ElasticLoadBalancingV2::TargetGroup").items()
    tg = props(target_group)
    to_healthy = tg["HealthCheckIntervalSeconds"] * tg["HealthyThresholdCount"]
    graces = [
        props(s).get("HealthCheckGracePeriodSeconds")
        for s in of_type(synth.main, "AWS::ECS::Service").values()
    ]
    [grace] = [g for g in graces if g is not None]
    assert grace >= 2 * to_healthy


def test_the_app_keeps_idle_connections_longer_than_the_alb(
    synths: dict[str, Synth], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ALB must close an idle connection first: if the app closes it while the ALB
    sends a request on it, the client gets a 502."""
    from typer.testing import CliRunner

    from practika import server
    from practika.cli import app as cli

    captured: dict[str, Any] = {}
    # `practika serve` hands its uvicorn config to practika.server.run: keep it, run nothing.
    monkeypatch.setattr(
        server, "run", lambda config: captured.update(timeout_keep_alive=config.timeout_keep_alive)
    )
    monkeypatch.setenv("PRACTIKA_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("PRACTIKA_MIGRATE_ON_START", "false")
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 0, result.output
    for synth in synths.values():
        _, alb = one(synth.main, "AWS::ElasticLoadBalancingV2::LoadBalancer")
        attributes = {a["Key"]: a["Value"] for a in props(alb)["LoadBalancerAttributes"]}
        idle = int(attributes["idle_timeout.timeout_seconds"])
        assert captured["timeout_keep_alive"] > idle, synth.env


def test_the_database_runs_the_newest_16_minor_with_performance_insights(synth: Synth) -> None:
    from aws_cdk import aws_rds as rds

    known = [
        tuple(int(n) for n in name.removeprefix("VER_").split("_"))
        for name in dir(rds.PostgresEngineVersion)
        if re.fullmatch(r"VER_16_\d+", name)
    ]
    _, db = one(synth.main, "AWS::RDS::DBInstance")
    assert props(db)["EngineVersion"] == f"16.{max(known)[1]}"
    assert props(db)["EnablePerformanceInsights"] is True


def test_images_logs_secrets_and_traces_reach_aws_without_the_nat(synths: dict[str, Synth]) -> None:
    for synth in synths.values():
        endpoints = of_type(synth.main, "AWS::EC2::VPCEndpoint").values()
        services = {
            json.dumps(props(e)["ServiceName"]).split(".")[-1].strip('"]}')
            for e in endpoints
            if props(e).get("VpcEndpointType") == "Interface"
        }
        names = {json.dumps(props(e)["ServiceName"]) for e in endpoints}
        for service in ("ecr.api", "ecr.dkr", "logs", "secretsmanager", "xray"):
            assert any(service in n for n in names), (synth.env, service)
        assert all(
            props(e).get("PrivateDnsEnabled")
            for e in endpoints
            if "Interface" in json.dumps(props(e))
        )
        assert services
    assert config.load("dev", {"practika:dev:vpc_endpoints": "logs"}).vpc_endpoints == ("logs",)


def test_github_deploys_through_oidc_with_a_role_per_environment(
    synths: dict[str, Synth],
) -> None:
    ci = synths["prod"].templates["practika-prod-ci"]
    [(provider_id, provider)] = of_type(ci, "AWS::IAM::OIDCProvider").items()
    assert props(provider)["Url"] == "https://token.actions.githubusercontent.com"
    assert props(provider)["ClientIdList"] == ["sts.amazonaws.com"]
    [(_, role)] = of_type(ci, "AWS::IAM::Role").items()
    [trust] = props(role)["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert refs(trust["Principal"]["Federated"]) == {provider_id}
    assert trust["Condition"]["StringEquals"] == {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "token.actions.githubusercontent.com:sub": "repo:example/practika:environment:prod",
    }
    actions = {
        a
        for policy in of_type(ci, "AWS::IAM::Policy").values()
        for st in props(policy)["PolicyDocument"]["Statement"]
        for a in ([st["Action"]] if isinstance(st["Action"], str) else st["Action"])
    }
    assert "ecs:RunTask" in actions and "ecr:PutImage" in actions
    assert not [a for a in actions if a.endswith("*")]
    assert not of_type(ci, "AWS::IAM::User") and not of_type(ci, "AWS::IAM::AccessKey")
    assert "practika-dev-ci" not in synths["dev"].templates  # only with github_repository


def test_archived_logs_are_one_json_event_per_line_partitioned_by_day(synth: Synth) -> None:
    """Subscription payloads are gzip'd CloudWatch envelopes; archived as they came (and
    gzipped again) Athena could not read them."""
    from practika_infra.observability import ATHENA_TABLE

    _, stream = one(synth.main, "AWS::KinesisFirehose::DeliveryStream")
    s3 = props(stream)["ExtendedS3DestinationConfiguration"]
    processing = s3["ProcessingConfiguration"]
    assert processing["Enabled"] is True
    kinds = [p["Type"] for p in processing["Processors"]]
    assert kinds == ["Decompression", "CloudWatchLogProcessing", "AppendDelimiterToRecord"]
    extraction = processing["Processors"][1]["Parameters"]
    assert extraction == [{"ParameterName": "DataMessageExtraction", "ParameterValue": "true"}]
    assert s3["Prefix"] == "app-logs/dt=!{timestamp:yyyy-MM-dd}/"
    assert s3["CompressionFormat"] == "GZIP"  # one layer, over plain JSON lines
    guide = (ROOT / "docs" / "operations.md").read_text()
    assert ATHENA_TABLE.splitlines()[0] in guide and "storage.location.template" in guide


def test_the_waf_logs_what_it_judged_without_cookies(synth: Synth) -> None:
    _, logging_config = one(synth.main, "AWS::WAFv2::LoggingConfiguration")
    acl, _ = one(synth.main, "AWS::WAFv2::WebACL")
    assert refs(props(logging_config)["ResourceArn"]) == {acl}
    [destination] = props(logging_config)["LogDestinationConfigs"]
    [group] = refs(destination)
    name = props(synth.main["Resources"][group])["LogGroupName"]
    assert name == f"aws-waf-logs-practika-{synth.env}"
    redacted = {f["SingleHeader"]["Name"] for f in props(logging_config)["RedactedFields"]}
    assert redacted == {"cookie", "x-csrf-token"}


def test_the_cost_estimate_comes_from_the_template_and_the_price_table(
    synths: dict[str, Synth], monkeypatch: pytest.MonkeyPatch
) -> None:
    from practika_infra import cost
    from typer.testing import CliRunner

    from practika import infra_cli
    from practika.infra_cli import stacks

    price = cost.prices("eu-west-1")
    lines = cost.estimate(synths["prod"].main, price)
    by_kind: dict[str, float] = {}
    for line in lines:
        kind = synths["prod"].main["Resources"][line.resource]["Type"]
        by_kind[kind] = by_kind.get(kind, 0.0) + line.monthly
    hours = price["hours_per_month"]
    assert by_kind["AWS::EC2::NatGateway"] == pytest.approx(2 * hours * price["nat_gateway_hour"])
    # api: 2 tasks × (1 vCPU, 2 GiB); worker: 1 × (2 vCPU, 4 GiB), plus 40 GiB of extra disk
    fargate = hours * (
        2 * (price["fargate_vcpu_hour"] + 2 * price["fargate_gb_hour"])
        + (2 * price["fargate_vcpu_hour"] + 4 * price["fargate_gb_hour"])
        + 40 * price["fargate_ephemeral_gb_hour_over_20"]
    )
    assert by_kind["AWS::ECS::Service"] == pytest.approx(fargate)
    rds = 2 * (hours * price["rds_instance_hour"]["db.m6g.large"] + 100 * price["rds_gp3_gb_month"])
    assert by_kind["AWS::RDS::DBInstance"] == pytest.approx(rds)
    assert by_kind["AWS::EC2::VPCEndpoint"] == pytest.approx(
        5 * 3 * hours * price["interface_endpoint_az_hour"]
    )
    assert by_kind["AWS::WAFv2::WebACL"] == price["waf_web_acl_month"] + 5 * price["waf_rule_month"]

    monkeypatch.setattr(stacks, "synthesize", lambda env, ctx: synths["prod"].outdir)
    result = CliRunner().invoke(infra_cli.app, ["cost", "--env", "prod"])
    assert result.exit_code == 0, result.output
    total = sum(line.monthly for line in lines)
    assert f"{total:9.2f}  total" in result.output
    assert f"≈ ${round(total)}" in (ROOT / "docs" / "operations.md").read_text()


def test_the_worker_cannot_read_the_signing_key_and_nobody_holds_rds_db_connect(
    synth: Synth,
) -> None:
    from tests.infra.template import policy_roles, statements

    secrets = {key: k for k in of_type(synth.main, "AWS::SecretsManager::Secret") for key in [k]}
    cloudfront = [k for k in secrets if k.startswith("AppSecretsCloudFrontPrivateKey")]
    assert len(cloudfront) == 1
    containers = _containers(synth)
    roles = {}
    for key, task in of_type(synth.main, "AWS::ECS::TaskDefinition").items():
        command = containers[key]["Command"][0]
        roles[command] = refs(props(task)["TaskRoleArn"])
        env = {e["Name"] for e in containers[key]["Environment"]}
        signs = {"PRACTIKA_CLOUDFRONT_KEY_PAIR_ID", "PRACTIKA_CLOUDFRONT_PRIVATE_KEY_SECRET_ARN"}
        assert (signs <= env) is (command == "serve"), command
    readers: dict[str, set[str]] = {}
    for policy, statement in statements(synth.main):
        actions = (
            statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        )
        assert "rds-db:connect" not in actions, policy
        if "secretsmanager:GetSecretValue" in actions:
            for role in policy_roles(synth.main, policy):
                readers.setdefault(role, set()).update(refs(statement["Resource"]))
    assert cloudfront[0] in readers[next(iter(roles["serve"]))]
    for command in ("worker", "migrate"):
        assert cloudfront[0] not in readers[next(iter(roles[command]))], command


def _self_signed_ca(path: Path) -> Path:
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509.oid import NameOID

    from tests.aws_emulator import new_signing_key

    key = new_signing_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test RDS CA")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path


def test_the_database_connection_verifies_the_server_against_the_shipped_ca(
    synth: Synth, tmp_path: Path
) -> None:
    """`require` encrypts but trusts any certificate; with the bundle it is verify-full."""
    import ssl

    from practika_infra.compute.environment import RDS_CA_BUNDLE

    from practika.aws.rds import database_tls
    from practika.config import Settings

    bundle = _self_signed_ca(tmp_path / "ca.pem")
    context = database_tls(Settings(database_ssl=True, database_ssl_root_cert=bundle))
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname is True
    assert any(c["subject"] for c in context.get_ca_certs())
    assert database_tls(Settings(database_ssl=True)) == "require"

    dockerfile = (ROOT / "Dockerfile").read_text()
    assert f"truststore.pki.rds.amazonaws.com/global/global-bundle.pem {RDS_CA_BUNDLE}" in (
        dockerfile
    )
    assert f"PRACTIKA_DATABASE_SSL_ROOT_CERT={RDS_CA_BUNDLE}" in dockerfile
    for key, app in _containers(synth).items():
        env = {e["Name"]: e["Value"] for e in app["Environment"]}
        assert env["PRACTIKA_DATABASE_SSL_ROOT_CERT"] == RDS_CA_BUNDLE, key


def test_each_service_stops_within_ecs_stop_timeout(synth: Synth) -> None:
    """Issue 18 (5): the app's shutdown grace is derived from the task's stop timeout, so
    a request or transcode still running at the grace's end has time to be handed back
    before ECS's SIGKILL, whatever either number becomes."""
    from practika_infra.compute.specs import API, ECS_MAX_STOP_TIMEOUT, WORKER

    specs = {"serve": API, "worker": WORKER}
    for key, app in _containers(synth).items():
        command = app["Command"][0]
        env = {e["Name"]: e["Value"] for e in app["Environment"]}
        if command not in specs:
            assert "PRACTIKA_SHUTDOWN_GRACE_SECONDS" not in env, key  # the migration task
            continue
        spec = specs[command]
        grace = int(env["PRACTIKA_SHUTDOWN_GRACE_SECONDS"])
        assert app["StopTimeout"] == spec.stop_timeout <= ECS_MAX_STOP_TIMEOUT, key
        assert 0 < grace == spec.stop_timeout - spec.exit_margin < app["StopTimeout"], key
        assert ("PortMappings" in app) is (spec.port is not None), key
