"""Properties that matter, per environment: encryption, exposure, placement, sizes,
redirects, alarms, retention and least privilege."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.infra.conftest import Synth
from tests.infra.template import of_type, one, policy_roles, props, refs, statements


def test_buckets_are_private_encrypted_and_tls_only(synth: Synth) -> None:
    buckets = of_type(synth.main, "AWS::S3::Bucket")
    assert len(buckets) == 3
    for key, bucket in buckets.items():
        p = props(bucket)
        assert p["PublicAccessBlockConfiguration"] == {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        }, key
        assert (
            p["BucketEncryption"]["ServerSideEncryptionConfiguration"][0][
                "ServerSideEncryptionByDefault"
            ]["SSEAlgorithm"]
            == "AES256"
        )
        assert bucket["DeletionPolicy"] == "Retain"
        policy = next(
            v
            for v in of_type(synth.main, "AWS::S3::BucketPolicy").values()
            if key in refs(props(v)["Bucket"])
        )
        denies = [s for s in props(policy)["PolicyDocument"]["Statement"] if s["Effect"] == "Deny"]
        assert any(s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} for s in denies)


def test_the_videos_bucket_takes_browser_multipart_uploads_and_aborts_stale_ones(
    synth: Synth,
) -> None:
    _, videos = one(synth.main, "AWS::S3::Bucket", "StorageVideos")
    [cors] = props(videos)["CorsConfiguration"]["CorsRules"]
    assert "PUT" in cors["AllowedMethods"] and cors["ExposedHeaders"] == ["ETag"]
    expected = ["https://app.practika.example.com"] if synth.env != "dev" else ["*"]
    assert cors["AllowedOrigins"] == expected
    rules = {r["Id"]: r for r in props(videos)["LifecycleConfiguration"]["Rules"]}
    assert rules["abort-incomplete-uploads"]["AbortIncompleteMultipartUpload"] == {
        "DaysAfterInitiation": 2
    }


def test_logs_age_into_cheaper_storage_then_expire(synths: dict[str, Synth]) -> None:
    for env, days in (("dev", 30), ("prod", 365)):
        _, logs = one(synths[env].main, "AWS::S3::Bucket", "StorageLogs")
        [rule] = props(logs)["LifecycleConfiguration"]["Rules"]
        assert rule["ExpirationInDays"] == days
    [rule] = props(one(synths["prod"].main, "AWS::S3::Bucket", "StorageLogs")[1])[
        "LifecycleConfiguration"
    ]["Rules"]
    assert [t["StorageClass"] for t in rule["Transitions"]] == ["STANDARD_IA", "GLACIER"]


def test_the_database_is_private_encrypted_backed_up_and_sized_per_environment(
    synths: dict[str, Synth],
) -> None:
    expected = {
        "dev": ("db.t4g.micro", False, False, 7),
        "staging": ("db.t4g.small", True, True, 7),
        "prod": ("db.m6g.large", True, True, 30),
    }
    for env, (size, multi_az, protected, backups) in expected.items():
        _, db = one(synths[env].main, "AWS::RDS::DBInstance")
        p = props(db)
        assert p["PubliclyAccessible"] is False and p["StorageEncrypted"] is True
        assert (
            p["DBInstanceClass"],
            p["MultiAZ"],
            p["DeletionProtection"],
            p["BackupRetentionPeriod"],
        ) == (size, multi_az, protected, backups)
        assert p["EnableIAMDatabaseAuthentication"] is True
        assert db["DeletionPolicy"] == "Snapshot"
    schedules = of_type(synths["prod"].main, "AWS::SecretsManager::RotationSchedule").values()
    assert len(schedules) == 2  # the master user's and the app user's
    for schedule in schedules:
        assert props(schedule)["RotationRules"]["ScheduleExpression"] == "rate(30 days)"


def test_security_groups_admit_only_the_arrows(synth: Synth) -> None:
    alb = one(synth.main, "AWS::EC2::SecurityGroup", "NetworkingAlbSg")[1]
    assert sorted(r["FromPort"] for r in props(alb)["SecurityGroupIngress"]) == [80, 443]
    service = one(synth.main, "AWS::EC2::SecurityGroup", "NetworkingServiceSg")[1]
    database = one(synth.main, "AWS::EC2::SecurityGroup", "NetworkingDatabaseSg")[1]
    assert "SecurityGroupIngress" not in props(service) and "SecurityGroupIngress" not in props(
        database
    )
    ingress = [props(r) for r in of_type(synth.main, "AWS::EC2::SecurityGroupIngress").values()]
    # ALB → app port, ECS → PostgreSQL, the two rotation functions (the master's and the
    # app user's) → the database's port.
    db, _ = one(synth.main, "AWS::RDS::DBInstance")
    assert sorted(r["FromPort"] for r in ingress if isinstance(r["FromPort"], int)) == [5432, 8000]
    rotations = [r for r in ingress if not isinstance(r["FromPort"], int)]
    assert len(rotations) == 2 and all(refs(r["FromPort"]) == {db} for r in rotations)
    assert all(r.get("CidrIp") is None for r in ingress)


def test_https_with_a_domain_and_http_redirects_to_it(synths: dict[str, Synth]) -> None:
    listeners = [
        props(li)
        for li in of_type(synths["prod"].main, "AWS::ElasticLoadBalancingV2::Listener").values()
    ]
    https = next(li for li in listeners if li["Port"] == 443)
    assert https["Protocol"] == "HTTPS" and https["SslPolicy"].startswith("ELBSecurityPolicy-TLS13")
    http = next(li for li in listeners if li["Port"] == 80)
    assert http["DefaultActions"][0]["RedirectConfig"] == {
        "Port": "443",
        "Protocol": "HTTPS",
        "StatusCode": "HTTP_301",
    }
    dev = [
        props(li)
        for li in of_type(synths["dev"].main, "AWS::ElasticLoadBalancingV2::Listener").values()
    ]
    assert [(li["Port"], li["Protocol"]) for li in dev] == [
        (80, "HTTP")
    ]  # no domain, no certificate
    assert not of_type(synths["dev"].main, "AWS::Route53::RecordSet")
    assert not of_type(synths["dev"].main, "AWS::CertificateManager::Certificate")


def test_the_alb_logs_to_the_logs_bucket_and_waf_guards_it(synth: Synth) -> None:
    _, lb = one(synth.main, "AWS::ElasticLoadBalancingV2::LoadBalancer")
    attributes = {a["Key"]: a["Value"] for a in props(lb)["LoadBalancerAttributes"]}
    assert attributes["access_logs.s3.enabled"] == "true"
    assert attributes["routing.http.drop_invalid_header_fields.enabled"] == "true"
    _, acl = one(synth.main, "AWS::WAFv2::WebACL")
    rules = {r["Name"]: r for r in props(acl)["Rules"]}
    assert rules["rate-per-address"]["Statement"]["RateBasedStatement"]["AggregateKeyType"] == "IP"
    assert {
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
        "AWSManagedRulesSQLiRuleSet",
    } <= set(rules)


def test_services_roll_back_failed_deploys_and_scale(synth: Synth) -> None:
    for service in of_type(synth.main, "AWS::ECS::Service").values():
        config = props(service)["DeploymentConfiguration"]
        assert config["DeploymentCircuitBreaker"] == {"Enable": True, "Rollback": True}
        assert config["MinimumHealthyPercent"] == 100
    policies = {
        k: props(v)
        for k, v in of_type(synth.main, "AWS::ApplicationAutoScaling::ScalingPolicy").items()
    }
    metrics = {
        p["TargetTrackingScalingPolicyConfiguration"]["PredefinedMetricSpecification"][
            "PredefinedMetricType"
        ]
        for p in policies.values()
        if "TargetTrackingScalingPolicyConfiguration" in p
    }
    assert metrics == {"ECSServiceAverageCPUUtilization", "ALBRequestCountPerTarget"}
    assert any(k.startswith("ComputeWorkerTaskCountTargetBacklog") for k in policies)


def test_task_sizes_follow_the_environment(synths: dict[str, Synth]) -> None:
    sizes = {
        env: sorted(
            (props(t)["Cpu"], props(t)["Memory"])
            for t in of_type(s.main, "AWS::ECS::TaskDefinition").values()
        )
        for env, s in synths.items()
    }
    # api, worker, and the migration task (0.25 vCPU, 0.5 GiB everywhere)
    assert sizes["dev"] == [("1024", "2048"), ("256", "512"), ("512", "1024")]
    assert sizes["prod"] == [("1024", "2048"), ("2048", "4096"), ("256", "512")]


def test_workers_get_time_to_finish_a_transcode_on_stop(synth: Synth) -> None:
    for task in of_type(synth.main, "AWS::ECS::TaskDefinition").values():
        [app] = [c for c in props(task)["ContainerDefinitions"] if c["Name"] == "app"]
        env = {e["Name"]: e["Value"] for e in app["Environment"]}
        if app["Command"] == ["worker"]:
            assert app["StopTimeout"] == 120 and int(env["PRACTIKA_SHUTDOWN_GRACE_SECONDS"]) < 120
        else:
            assert app["StopTimeout"] == 30
        # The migration task migrates; nothing migrates on start (test_deploys.py).
        assert env["PRACTIKA_MIGRATE_ON_START"] == "false"
        assert env["PRACTIKA_LOG_FORMAT"] == "json"
        # The migration task touches the database only: no storage, no signing settings.
        assert env.get("PRACTIKA_STORAGE_BACKEND") == (
            None if app["Command"] == ["migrate"] else "s3"
        )
        assert not any("PASSWORD" in k or k.endswith("_SECRET") for k in env)  # ARNs only


def test_alarms_watch_what_breaks_and_notify_the_topic(synths: dict[str, Synth]) -> None:
    alarms = {
        k: props(v) for k, v in of_type(synths["prod"].main, "AWS::CloudWatch::Alarm").items()
    }
    by_metric = {(a.get("Namespace"), a.get("MetricName")): a for a in alarms.values()}
    assert by_metric[("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count")]["Threshold"] == 10
    assert by_metric[("AWS/ApplicationELB", "TargetResponseTime")]["ExtendedStatistic"] == "p99"
    assert by_metric[("AWS/ApplicationELB", "UnHealthyHostCount")]["Threshold"] == 0
    assert by_metric[("AWS/RDS", "FreeStorageSpace")]["ComparisonOperator"] == "LessThanThreshold"
    failed = by_metric[("Practika", "VideosFailed")]
    assert {d["Name"]: d["Value"] for d in failed["Dimensions"]} == {
        "Service": "worker",
        "Reason": "gave_up",
    }
    assert ("AWS/ECS", "MemoryUtilization") in by_metric and (
        "AWS/RDS",
        "DatabaseConnections",
    ) in by_metric


def test_log_groups_keep_logs_as_long_as_the_environment_says(synths: dict[str, Synth]) -> None:
    for env, days in (("dev", 14), ("staging", 30), ("prod", 90)):
        groups = of_type(synths[env].main, "AWS::Logs::LogGroup")
        app = [g for k, g in groups.items() if k.startswith("Compute")]
        assert len(app) == 2 and all(props(g)["RetentionInDays"] == days for g in app)


def test_task_roles_reach_only_their_bucket_prefix_and_secrets(synth: Synth) -> None:
    tasks = of_type(synth.main, "AWS::ECS::TaskDefinition")
    roles = {r for t in tasks.values() for r in refs(props(t)["TaskRoleArn"])}
    videos, _ = one(synth.main, "AWS::S3::Bucket", "StorageVideos")
    for key, statement in statements(synth.main):
        if not policy_roles(synth.main, key) & roles:
            continue
        actions = _actions(statement)
        resources = json.dumps(statement["Resource"])
        assert "*" not in [a.split(":")[1] for a in actions], statement  # no service-wide wildcards
        if any(a.startswith("s3:") for a in actions):
            assert videos in refs(statement["Resource"])
            object_level = [
                a
                for a in actions
                if a.split(":")[1].startswith(
                    ("GetObject", "PutObject", "DeleteObject", "Abort", "ListMultipartUploadParts")
                )
            ]
            if object_level:
                assert "/videos/*" in resources, statement
        elif any(a.startswith("secretsmanager:") for a in actions):
            assert resources != '"*"'
        elif any(a.startswith("ses:") for a in actions):  # the worker's mail (email.py)
            assert sorted(actions) == ["ses:SendEmail", "ses:SendRawEmail"], statement
            assert ":identity/" in resources and ":configuration-set/" in resources, statement
        elif any(a.startswith("sqs:") for a in actions):  # the worker drains SES's event queue
            queue, _ = one(synth.main, "AWS::SQS::Queue", "EmailEventsQueue")
            assert refs(statement["Resource"]) == {queue}, statement
            assert not [a for a in actions if a.startswith("sqs:") and "Send" in a], statement
        elif any(a.startswith("kms:") for a in actions):  # reading that queue's encrypted messages
            key_id, _ = one(synth.main, "AWS::KMS::Key", "EmailEventsKey")
            assert refs(statement["Resource"]) == {key_id}, statement
            assert _actions(statement) == ["kms:Decrypt"], statement
        else:
            # X-Ray for the ADOT sidecar, ssmmessages for ECS Exec; no rds-db:connect.
            assert all(a.startswith(("xray:", "ssmmessages:")) for a in actions), statement


def _actions(statement: dict[str, Any]) -> list[str]:
    action = statement["Action"]
    return action if isinstance(action, list) else [action]


def _s3_actions(synth: Synth, command: str) -> dict[str, set[str]]:
    """The S3 actions the task role of the service running `command` has, by resource:
    "objects" (under videos/) or "bucket"."""
    [task] = [
        t
        for t in of_type(synth.main, "AWS::ECS::TaskDefinition").values()
        if any(c.get("Command") == [command] for c in props(t)["ContainerDefinitions"])
    ]
    [role] = refs(props(task)["TaskRoleArn"])
    granted: dict[str, set[str]] = {"objects": set(), "bucket": set()}
    for key, statement in statements(synth.main):
        if role not in policy_roles(synth.main, key):
            continue
        s3 = {a for a in _actions(statement) if a.startswith("s3:")}
        if s3:
            where = "objects" if "/videos/*" in json.dumps(statement["Resource"]) else "bucket"
            granted[where] |= s3
    return granted


def test_each_task_role_may_do_to_videos_only_what_its_process_does(synth: Synth) -> None:
    """src/practika/storage/s3.py by caller: the api runs multipart uploads and probes the
    bucket; the worker reads originals, writes renditions, deletes removed videos."""
    assert _s3_actions(synth, "serve") == {
        "objects": {"s3:PutObject", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload"},
        "bucket": {"s3:ListBucket"},
    }
    assert _s3_actions(synth, "worker") == {
        "objects": {
            "s3:GetObject",
            "s3:PutObject",
            "s3:AbortMultipartUpload",
            "s3:DeleteObject",
        },
        "bucket": {"s3:ListBucket", "s3:ListBucketMultipartUploads"},
    }
    for command in ("serve", "worker"):
        granted = set().union(*_s3_actions(synth, command).values())
        # Versioning keeps a deleted video recoverable; no task may delete versions.
        assert not {a for a in granted if "*" in a or "Version" in a}, (command, granted)


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_cdk_nag_finds_nothing_unacknowledged_and_every_acknowledgement_says_why(
    synths: dict[str, Synth], env: str
) -> None:
    [nag] = [r for r in synths[env].report["pluginReports"] if r["pluginName"] == "AwsSolutions"]
    assert nag["conclusion"] == "success" and nag["violations"] == []
    for suppressed in nag["suppressedViolations"]:
        assert len(suppressed["reason"]) >= 20, suppressed["ruleName"]


def test_the_web_build_goes_to_the_static_bucket_when_there_is_one(
    synths: dict[str, Synth],
) -> None:
    assert not of_type(synths["dev"].main, "Custom::CDKBucketDeployment")  # no build, no upload
    for env in ("staging", "prod"):
        _, upload = one(synths[env].main, "Custom::CDKBucketDeployment", "WebApp")
        static, _ = one(synths[env].main, "AWS::S3::Bucket", "StorageStatic")
        distribution, _ = one(synths[env].main, "AWS::CloudFront::Distribution")
        assert refs(props(upload)["DestinationBucketName"]) == {static}
        assert refs(props(upload)["DistributionId"]) == {distribution}
        assert props(upload)["DistributionPaths"] == ["/index.html"]


def _web_config(synth: Synth) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The deployment that writes /config.json and the JSON it writes, if there is one."""
    uploads = [
        u
        for k, u in of_type(synth.main, "Custom::CDKBucketDeployment").items()
        if k.startswith("WebConfig")
    ]
    if not uploads:
        return None
    [upload] = uploads
    [key] = props(upload)["SourceObjectKeys"]
    staged = synth.outdir / f"asset.{key.removesuffix('.zip')}"
    return upload, json.loads((staged / "config.json").read_text())


def test_with_a_domain_the_spa_is_told_where_the_api_is(synths: dict[str, Synth]) -> None:
    found = _web_config(synths["prod"])
    assert found is not None
    upload, written = found
    assert written == {"apiBaseUrl": "https://api.practika.example.com"}
    static, _ = one(synths["prod"].main, "AWS::S3::Bucket", "StorageStatic")
    assert refs(props(upload)["DestinationBucketName"]) == {static}
    # Read at every start: CloudFront and browsers revalidate it; the SPA's upload, which
    # prunes, leaves it alone; nor does the config's own upload prune the SPA.
    assert props(upload)["SystemMetadata"] == {
        "cache-control": "no-cache",
        "content-type": "application/json",
    }
    assert props(upload)["Prune"] is False
    _, spa = one(synths["prod"].main, "Custom::CDKBucketDeployment", "WebApp")
    assert props(spa)["Exclude"] == ["config.json"]


def test_without_a_domain_the_spa_calls_its_own_origin(synths: dict[str, Synth]) -> None:
    """No certificate for the ALB: a page on HTTPS cannot call it (docs/operations.md)."""
    # Only dev may lack a domain (staging and prod refuse to synthesize: test_deploys.py).
    assert _web_config(synths["dev"]) is None


def _app_env(synth: Synth, command: str) -> dict[str, Any]:
    [app] = [
        c
        for t in of_type(synth.main, "AWS::ECS::TaskDefinition").values()
        for c in props(t)["ContainerDefinitions"]
        if c.get("Command") == [command]
    ]
    return {e["Name"]: e["Value"] for e in app["Environment"]}


def test_the_api_admits_the_spa_cross_site_and_shares_its_cookies_with_it(
    synths: dict[str, Synth],
) -> None:
    api = _app_env(synths["prod"], "serve")
    assert json.loads(api["PRACTIKA_CORS_ORIGINS"]) == ["https://app.practika.example.com"]
    assert api["PRACTIKA_COOKIE_DOMAIN"] == "practika.example.com"
    dev = _app_env(synths["dev"], "serve")
    assert "PRACTIKA_COOKIE_DOMAIN" not in dev  # cloudfront.net and elb hosts share no site
    for synth in synths.values():
        assert not {"PRACTIKA_CORS_ORIGINS", "PRACTIKA_COOKIE_DOMAIN"} & set(
            _app_env(synth, "worker")
        )


def test_each_service_says_which_it_is(synth: Synth) -> None:
    assert _app_env(synth, "serve")["PRACTIKA_SERVICE_ROLE"] == "api"
    assert _app_env(synth, "worker")["PRACTIKA_SERVICE_ROLE"] == "worker"


def _connect_sources(synth: Synth) -> list[str]:
    _, policy = one(synth.main, "AWS::CloudFront::ResponseHeadersPolicy")
    csp = props(policy)["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"][
        "ContentSecurityPolicy"
    ]["ContentSecurityPolicy"]
    [directive] = [d.split()[1:] for d in csp.split(";") if d.split()[:1] == ["connect-src"]]
    return directive


def test_the_spa_may_connect_to_the_api(synths: dict[str, Synth]) -> None:
    sources = _connect_sources(synths["prod"])
    assert "https://api.practika.example.com" in sources or "https:" in sources, sources
    assert "'self'" in sources  # /config.json


def test_the_deploy_tool_finds_the_key_secret_and_the_services(synth: Synth) -> None:
    outputs = synth.main["Outputs"]
    secret, _ = one(synth.main, "AWS::SecretsManager::Secret", "AppSecretsCloudFront")
    assert refs(outputs["CloudFrontKeySecretArn"]["Value"]) == {secret}
    cluster, _ = one(synth.main, "AWS::ECS::Cluster")
    assert refs(outputs["ClusterName"]["Value"]) == {cluster}
    services = of_type(synth.main, "AWS::ECS::Service")
    named = {refs(outputs[f"{s}ServiceName"]["Value"]).pop() for s in ("Api", "Worker")}
    assert named == set(services)
