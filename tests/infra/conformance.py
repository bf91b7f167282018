"""What implements each box and arrow of the seed diagram, checked on a synthesized
environment. A box or arrow without a check here is reported as unimplemented."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.infra.conftest import Synth
from tests.infra.template import mentions, of_type, one, policy_roles, props, refs, statements

Check = Callable[[Synth], None]


def _bucket(s: Synth, name: str) -> str:
    return one(s.main, "AWS::S3::Bucket", f"Storage{name}")[0]


def _services(s: Synth) -> dict[str, dict[str, Any]]:
    return of_type(s.main, "AWS::ECS::Service")


def _tasks(s: Synth) -> dict[str, dict[str, Any]]:
    return of_type(s.main, "AWS::ECS::TaskDefinition")


def _service_tasks(s: Synth) -> dict[str, dict[str, Any]]:
    """The api's and the worker's (not the one-off migration task's)."""
    running = {r for svc in _services(s).values() for r in refs(props(svc)["TaskDefinition"])}
    return {k: v for k, v in _tasks(s).items() if k in running}


def _sg(s: Synth, name: str) -> str:
    return one(s.main, "AWS::EC2::SecurityGroup", f"Networking{name}")[0]


def _subnets(s: Synth, public: bool) -> set[str]:
    return {
        k
        for k, v in of_type(s.main, "AWS::EC2::Subnet").items()
        if bool(props(v).get("MapPublicIpOnLaunch")) == public
    }


def _task_roles(s: Synth) -> set[str]:
    return {r for t in _tasks(s).values() for r in refs(props(t)["TaskRoleArn"])}


def _role_statements(s: Synth, roles: set[str]) -> list[dict[str, Any]]:
    return [st for key, st in statements(s.main) if policy_roles(s.main, key) & roles]


def _actions(statement: dict[str, Any]) -> list[str]:
    action = statement["Action"]
    return action if isinstance(action, list) else [action]


def _env(s: Synth) -> list[dict[str, Any]]:
    return [
        e
        for t in _service_tasks(s).values()
        for c in props(t)["ContainerDefinitions"]
        for e in c.get("Environment", [])
    ]


def _env_refs(s: Synth, name: str) -> set[str]:
    return {r for e in _env(s) if e["Name"] == name for r in refs(e["Value"])}


# Boxes ------------------------------------------------------------------------


def _route53(s: Synth) -> None:
    records = of_type(s.main, "AWS::Route53::RecordSet")
    # DKIM records (email.py) are named by SES's tokens, known only at deploy time.
    named = [r for r in records.values() if isinstance(props(r)["Name"], str)]
    assert {(props(r)["Name"], props(r)["Type"]) for r in named} >= {
        ("app.practika.example.com.", "A"),
        ("app.practika.example.com.", "AAAA"),
        ("api.practika.example.com.", "A"),
        ("api.practika.example.com.", "AAAA"),
    }


def _acm(s: Synth) -> None:
    cert_stack = s.templates[f"practika-{s.env}-certificate"]
    # CloudFront takes certificates from us-east-1 only; the ALB's lives in its own region.
    assert s.regions[f"practika-{s.env}-certificate"] == "us-east-1"
    assert s.regions[f"practika-{s.env}"] == "eu-west-1"
    [(_, cdn)] = of_type(cert_stack, "AWS::CertificateManager::Certificate").items()
    assert props(cdn)["DomainName"] == "app.practika.example.com"
    assert props(cdn)["ValidationMethod"] == "DNS"
    _, api = one(s.main, "AWS::CertificateManager::Certificate")
    assert props(api)["DomainName"] == "api.practika.example.com"


def _cloudfront(s: Synth) -> None:
    _, dist = one(s.main, "AWS::CloudFront::Distribution")
    config = props(dist)["DistributionConfig"]
    assert config["Enabled"] is True
    assert config["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "redirect-to-https"
    assert _bucket(s, "Logs") in refs(config["Logging"]["Bucket"])  # access logs


def _ecs(s: Synth) -> None:
    one(s.main, "AWS::ECS::Cluster")
    assert len(_services(s)) == 2
    assert all(props(v)["LaunchType"] == "FARGATE" for v in _services(s).values())


def _ecr(s: Synth) -> None:
    _, repo = one(s.templates[f"practika-{s.env}-registry"], "AWS::ECR::Repository")
    assert props(repo)["ImageScanningConfiguration"] == {"ScanOnPush": True}
    assert props(repo)["LifecyclePolicy"]["LifecyclePolicyText"]


def _bucket_box(name: str) -> Check:
    def check(s: Synth) -> None:
        bucket = s.main["Resources"][_bucket(s, name)]
        assert props(bucket)["BucketEncryption"]
        assert all(props(bucket)["PublicAccessBlockConfiguration"].values())

    return check


def _vpc(s: Synth) -> None:
    vpc, _ = one(s.main, "AWS::EC2::VPC")
    _, flow_log = one(s.main, "AWS::EC2::FlowLog")
    assert vpc in refs(props(flow_log)["ResourceId"])


def _alb(s: Synth) -> None:
    _, lb = one(s.main, "AWS::ElasticLoadBalancingV2::LoadBalancer")
    assert props(lb)["Scheme"] == "internet-facing"


def _sgs(s: Synth) -> None:
    for name in ("AlbSg", "ServiceSg", "DatabaseSg"):
        _sg(s, name)


def _nat(s: Synth) -> None:
    assert of_type(s.main, "AWS::EC2::NatGateway")


def _public(s: Synth) -> None:
    assert len(_subnets(s, public=True)) >= 2


def _private(s: Synth) -> None:
    assert len(_subnets(s, public=False)) >= 2


def _rds(s: Synth) -> None:
    _, db = one(s.main, "AWS::RDS::DBInstance")
    assert props(db)["Engine"] == "postgres"
    assert props(db)["StorageEncrypted"] is True and props(db)["PubliclyAccessible"] is False


def _secrets(s: Synth) -> None:
    # The database credentials of the master and the app user (both rotated), the session
    # secret, the mail-link key, the CloudFront signing key.
    secrets = set(of_type(s.main, "AWS::SecretsManager::Secret"))
    assert len(secrets) == 5
    schedules = of_type(s.main, "AWS::SecretsManager::RotationSchedule").values()
    assert len(schedules) == 2
    rotated = set().union(*(refs(props(schedule)["SecretId"]) for schedule in schedules))
    for key, attachment in of_type(s.main, "AWS::SecretsManager::SecretTargetAttachment").items():
        if key in rotated:
            rotated |= refs(props(attachment)["SecretId"])
    assert rotated & secrets
    named = _env_refs(s, "PRACTIKA_SESSION_SECRET_ARN") | _env_refs(
        s, "PRACTIKA_CLOUDFRONT_PRIVATE_KEY_SECRET_ARN"
    )
    assert len(named & secrets) == 2


def _waf(s: Synth) -> None:
    _, acl = one(s.main, "AWS::WAFv2::WebACL")
    assert props(acl)["Scope"] == "REGIONAL"


def _iam(s: Synth) -> None:
    assert len(_task_roles(s)) == 3  # api, worker, the migration task


def _cw_logs(s: Synth) -> None:
    groups = of_type(s.main, "AWS::Logs::LogGroup")
    assert all("RetentionInDays" in props(g) for g in groups.values())


def _cw_metrics(s: Synth) -> None:
    _, board = one(s.main, "AWS::CloudWatch::Dashboard")
    assert mentions(board, "Practika") and mentions(board, "AWS/ApplicationELB")


def _cw_alarms(s: Synth) -> None:
    topic, _ = one(s.main, "AWS::SNS::Topic", "Monitoring")  # not the mail events topic
    alarms = [
        a
        for k, a in of_type(s.main, "AWS::CloudWatch::Alarm").items()
        if k.startswith("Monitoring")
    ]
    assert len(alarms) >= 12
    assert all(topic in refs(props(a)["AlarmActions"]) for a in alarms)


def _xray(s: Synth) -> None:
    for task in _service_tasks(s).values():
        images = [c["Image"] for c in props(task)["ContainerDefinitions"]]
        assert any("aws-otel-collector" in str(i) for i in images)


# Arrows -----------------------------------------------------------------------


def _alias_to(kind: str) -> Check:
    def check(s: Synth) -> None:
        target, _ = one(s.main, kind)
        aliased = [
            r
            for r in of_type(s.main, "AWS::Route53::RecordSet").values()
            if target in refs(props(r).get("AliasTarget"))
        ]
        assert len(aliased) == 2, f"A and AAAA aliases to {target}"

    return check


def _acm_to_cloudfront(s: Synth) -> None:
    _, dist = one(s.main, "AWS::CloudFront::Distribution")
    config = props(dist)["DistributionConfig"]
    assert config["Aliases"] == ["app.practika.example.com"]
    assert config["ViewerCertificate"]["AcmCertificateArn"]  # read across regions from us-east-1
    assert config["ViewerCertificate"]["MinimumProtocolVersion"] == "TLSv1.2_2021"


def _acm_to_alb(s: Synth) -> None:
    cert, _ = one(s.main, "AWS::CertificateManager::Certificate")
    https = [
        li
        for li in of_type(s.main, "AWS::ElasticLoadBalancingV2::Listener").values()
        if props(li)["Port"] == 443
    ]
    assert https and cert in refs(props(https[0])["Certificates"])


def _cdn_to_bucket(name: str) -> Check:
    def check(s: Synth) -> None:
        bucket = _bucket(s, name)
        dist_key, dist = one(s.main, "AWS::CloudFront::Distribution")
        origins = props(dist)["DistributionConfig"]["Origins"]
        [origin] = [o for o in origins if bucket in refs(o["DomainName"])]
        assert origin["OriginAccessControlId"], "OAC, not a public bucket"
        policy = next(
            p
            for p in of_type(s.main, "AWS::S3::BucketPolicy").values()
            if bucket in refs(props(p)["Bucket"])
        )
        grants = [
            st
            for st in props(policy)["PolicyDocument"]["Statement"]
            if st.get("Principal") == {"Service": "cloudfront.amazonaws.com"}
        ]
        assert grants and dist_key in refs(grants[0]["Condition"])
        if name == "Videos":
            [behavior] = [
                b
                for b in props(dist)["DistributionConfig"]["CacheBehaviors"]
                if b["PathPattern"] == "videos/*"
            ]
            assert behavior["TargetOriginId"] == origin["Id"] and behavior["TrustedKeyGroups"]

    return check


def _vpc_to_subnets(public: bool) -> Check:
    def check(s: Synth) -> None:
        vpc, _ = one(s.main, "AWS::EC2::VPC")
        subnets = of_type(s.main, "AWS::EC2::Subnet")
        assert all(vpc in refs(props(subnets[k])["VpcId"]) for k in _subnets(s, public))

    return check


def _public_to_alb(s: Synth) -> None:
    _, lb = one(s.main, "AWS::ElasticLoadBalancingV2::LoadBalancer")
    assert refs(props(lb)["Subnets"]) == _subnets(s, public=True)


def _public_to_nat(s: Synth) -> None:
    for nat in of_type(s.main, "AWS::EC2::NatGateway").values():
        assert refs(props(nat)["SubnetId"]) <= _subnets(s, public=True)


def _private_to_ecs(s: Synth) -> None:
    for service in _services(s).values():
        network = props(service)["NetworkConfiguration"]["AwsvpcConfiguration"]
        assert refs(network["Subnets"]) == _subnets(s, public=False)
        assert network["AssignPublicIp"] == "DISABLED"


def _private_to_rds(s: Synth) -> None:
    _, group = one(s.main, "AWS::RDS::DBSubnetGroup")
    assert refs(props(group)["SubnetIds"]) == _subnets(s, public=False)


def _alb_to_ecs(s: Synth) -> None:
    lb, _ = one(s.main, "AWS::ElasticLoadBalancingV2::LoadBalancer")
    group, tg = one(s.main, "AWS::ElasticLoadBalancingV2::TargetGroup")
    assert props(tg)["HealthCheckPath"] == "/readyz"
    listeners = [
        li
        for li in of_type(s.main, "AWS::ElasticLoadBalancingV2::Listener").values()
        if group in refs(props(li)["DefaultActions"])
    ]
    assert listeners and all(lb in refs(props(li)["LoadBalancerArn"]) for li in listeners)
    registered = [
        v for v in _services(s).values() if group in refs(props(v).get("LoadBalancers", []))
    ]
    assert len(registered) == 1


def _nat_to_ecs(s: Synth) -> None:
    nats = set(of_type(s.main, "AWS::EC2::NatGateway"))
    private = _subnets(s, public=False)
    tables = {
        t
        for a in of_type(s.main, "AWS::EC2::SubnetRouteTableAssociation").values()
        if refs(props(a)["SubnetId"]) & private
        for t in refs(props(a)["RouteTableId"])
    }
    routes = [
        r
        for r in of_type(s.main, "AWS::EC2::Route").values()
        if refs(props(r)["RouteTableId"]) & tables
    ]
    assert tables and all(
        refs(props(r).get("NatGatewayId", {})) & nats
        for r in routes
        if props(r)["DestinationCidrBlock"] == "0.0.0.0/0"
    )


def _sg_to(kind: str, field: str, sg_name: str) -> Check:
    def check(s: Synth) -> None:
        sg = _sg(s, sg_name)
        for resource in of_type(s.main, kind).values():
            value = props(resource)
            for part in field.split("."):
                value = value[part]
            assert sg in refs(value)

    return check


def _ingress(target: str, source: str, port: int) -> Check:
    """The arrow's meaning: `target` admits `source`'s security group on `port`, only."""

    def check(s: Synth) -> None:
        to, frm = _sg(s, target), _sg(s, source)
        rules = [props(r) for r in of_type(s.main, "AWS::EC2::SecurityGroupIngress").values()]
        assert any(
            to in refs(r["GroupId"])
            and frm in refs(r.get("SourceSecurityGroupId", {}))
            and r["FromPort"] == r["ToPort"] == port
            for r in rules
        )

    return check


def _all(*checks: Check) -> Check:
    def check(s: Synth) -> None:
        for each in checks:
            each(s)

    return check


def _ecr_to_ecs(s: Synth) -> None:
    for task in _tasks(s).values():
        [app] = [c for c in props(task)["ContainerDefinitions"] if c["Name"] == "app"]
        # A weak cross-stack reference (docs/operations.md, feature flags).
        assert mentions(app["Image"], "Fn::GetStackOutput") and mentions(app["Image"], "Repository")


def _ecs_to_videos(s: Synth) -> None:
    bucket = _bucket(s, "Videos")
    assert _env_refs(s, "PRACTIKA_S3_VIDEOS_BUCKET") == {bucket}
    granted = [st for st in _role_statements(s, _task_roles(s)) if bucket in refs(st["Resource"])]
    assert any("s3:PutObject" in _actions(st) for st in granted)


def _ecs_to_logs(s: Synth) -> None:
    logs_bucket = _bucket(s, "Logs")
    stream, firehose = one(s.main, "AWS::KinesisFirehose::DeliveryStream")
    assert logs_bucket in refs(props(firehose)["ExtendedS3DestinationConfiguration"]["BucketARN"])
    app_groups = {
        c["LogConfiguration"]["Options"]["awslogs-group"]["Ref"]
        for t in _tasks(s).values()
        for c in props(t)["ContainerDefinitions"]
    }
    archived = {
        g
        for f in of_type(s.main, "AWS::Logs::SubscriptionFilter").values()
        if stream in refs(props(f)["DestinationArn"])
        for g in refs(props(f)["LogGroupName"])
    }
    assert app_groups <= archived


def _ecs_to_rds(s: Synth) -> None:
    db, _ = one(s.main, "AWS::RDS::DBInstance")
    assert _env_refs(s, "PRACTIKA_DATABASE_HOST") == {db}


def _ecs_to_secrets(s: Synth) -> None:
    secrets = set(of_type(s.main, "AWS::SecretsManager::Secret"))
    read = {
        r
        for st in _role_statements(s, _task_roles(s))
        if "secretsmanager:GetSecretValue" in _actions(st)
        for r in refs(st["Resource"])
    }
    # The database secret is granted through its target attachment (same ARN).
    for key, attachment in of_type(s.main, "AWS::SecretsManager::SecretTargetAttachment").items():
        if key in read:
            read |= refs(props(attachment)["SecretId"])
    assert secrets <= read, secrets - read
    assert _env_refs(s, "PRACTIKA_SESSION_SECRET_ARN")


def _waf_to_alb(s: Synth) -> None:
    lb, _ = one(s.main, "AWS::ElasticLoadBalancingV2::LoadBalancer")
    acl, _ = one(s.main, "AWS::WAFv2::WebACL")
    _, assoc = one(s.main, "AWS::WAFv2::WebACLAssociation")
    assert lb in refs(props(assoc)["ResourceArn"]) and acl in refs(props(assoc)["WebACLArn"])


def _iam_to_ecs(s: Synth) -> None:
    roles = set(of_type(s.main, "AWS::IAM::Role"))
    for task in _tasks(s).values():
        assert (
            refs(props(task)["TaskRoleArn"]) <= roles
            and refs(props(task)["ExecutionRoleArn"]) <= roles
        )


def _iam_to_rds(s: Synth) -> None:
    # The instance's Enhanced Monitoring role (the tasks sign in with the secret's
    # password, so no task role holds the unused rds-db:connect: issue 17).
    db, instance = one(s.main, "AWS::RDS::DBInstance")
    [role] = refs(props(instance)["MonitoringRoleArn"])
    trust = props(s.main["Resources"][role])["AssumeRolePolicyDocument"]["Statement"]
    assert any(t["Principal"] == {"Service": "monitoring.rds.amazonaws.com"} for t in trust)
    assert not [
        st for st in _role_statements(s, _task_roles(s)) if "rds-db:connect" in _actions(st)
    ]


def _iam_to_videos(s: Synth) -> None:
    bucket = _bucket(s, "Videos")
    scoped = [st for st in _role_statements(s, _task_roles(s)) if bucket in refs(st["Resource"])]
    assert scoped and all(
        mentions(st["Resource"], "videos/")
        or _actions(st)[0].startswith("s3:List")
        or "s3:GetBucket" in str(_actions(st))
        for st in scoped
    )


def _logs_to_ecs(s: Synth) -> None:
    groups = set(of_type(s.main, "AWS::Logs::LogGroup"))
    for task in _tasks(s).values():
        for c in props(task)["ContainerDefinitions"]:
            assert c["LogConfiguration"]["LogDriver"] == "awslogs"
            assert refs(c["LogConfiguration"]["Options"]["awslogs-group"]) <= groups


def _metrics_to(namespace: str, dimension: str, kind: str) -> Check:
    def check(s: Synth) -> None:
        targets = set(of_type(s.main, kind))
        watched = [
            a
            for a in of_type(s.main, "AWS::CloudWatch::Alarm").values()
            if props(a).get("Namespace") == namespace
            and any(
                d["Name"] == dimension and refs(d["Value"]) & targets
                for d in props(a).get("Dimensions", [])
            )
        ]
        assert watched, f"no {namespace} metric of {kind}"

    return check


def _alarms_to_metrics(s: Synth) -> None:
    alarms = [
        a
        for k, a in of_type(s.main, "AWS::CloudWatch::Alarm").items()
        if k.startswith("Monitoring")
    ]
    assert all(props(a).get("MetricName") or props(a).get("Metrics") for a in alarms)
    names = {props(a).get("MetricName") for a in alarms}
    assert {
        "VideosFailed",
        "JobQueueOldestSeconds",
        "UnHealthyHostCount",
        "FreeStorageSpace",
    } <= names


def _xray_to_ecs(s: Synth) -> None:
    assert {e["Value"] for e in _env(s) if e["Name"] == "PRACTIKA_TRACING"} == {"true"}
    xray = [
        st for st in _role_statements(s, _task_roles(s)) if "xray:PutTraceSegments" in _actions(st)
    ]
    service_roles = {r for t in _service_tasks(s).values() for r in refs(props(t)["TaskRoleArn"])}
    assert {
        r for key, st in statements(s.main) if st in xray for r in policy_roles(s.main, key)
    } == service_roles


NODES: dict[str, Check] = {
    "ROUTE53": _route53,
    "ACM": _acm,
    "CLOUDFRONT": _cloudfront,
    "ECS": _ecs,
    "ECR": _ecr,
    "S3_VIDEOS": _bucket_box("Videos"),
    "S3_STATIC": _bucket_box("Static"),
    "S3_LOGS": _bucket_box("Logs"),
    "VPC": _vpc,
    "ALB": _alb,
    "SG": _sgs,
    "NAT": _nat,
    "SUBNET_PUB": _public,
    "SUBNET_PRIV": _private,
    "RDS": _rds,
    "SECRETS": _secrets,
    "WAF": _waf,
    "IAM": _iam,
    "CW_LOGS": _cw_logs,
    "CW_METRICS": _cw_metrics,
    "CW_ALARMS": _cw_alarms,
    "XRAY": _xray,
}

EDGES: dict[tuple[str, str], Check] = {
    ("ROUTE53", "CLOUDFRONT"): _alias_to("AWS::CloudFront::Distribution"),
    ("ROUTE53", "ALB"): _alias_to("AWS::ElasticLoadBalancingV2::LoadBalancer"),
    ("ACM", "CLOUDFRONT"): _acm_to_cloudfront,
    ("ACM", "ALB"): _acm_to_alb,
    ("CLOUDFRONT", "S3_STATIC"): _cdn_to_bucket("Static"),
    ("CLOUDFRONT", "S3_VIDEOS"): _cdn_to_bucket("Videos"),
    ("VPC", "SUBNET_PUB"): _vpc_to_subnets(public=True),
    ("VPC", "SUBNET_PRIV"): _vpc_to_subnets(public=False),
    ("SUBNET_PUB", "ALB"): _public_to_alb,
    ("SUBNET_PUB", "NAT"): _public_to_nat,
    ("SUBNET_PRIV", "ECS"): _private_to_ecs,
    ("SUBNET_PRIV", "RDS"): _private_to_rds,
    ("ALB", "ECS"): _alb_to_ecs,
    ("NAT", "ECS"): _nat_to_ecs,
    ("SG", "ALB"): _sg_to("AWS::ElasticLoadBalancingV2::LoadBalancer", "SecurityGroups", "AlbSg"),
    ("SG", "ECS"): _all(
        _sg_to(
            "AWS::ECS::Service",
            "NetworkConfiguration.AwsvpcConfiguration.SecurityGroups",
            "ServiceSg",
        ),
        _ingress("ServiceSg", "AlbSg", 8000),
    ),
    ("SG", "RDS"): _all(
        _sg_to("AWS::RDS::DBInstance", "VPCSecurityGroups", "DatabaseSg"),
        _ingress("DatabaseSg", "ServiceSg", 5432),
    ),
    ("ECR", "ECS"): _ecr_to_ecs,
    ("ECS", "S3_VIDEOS"): _ecs_to_videos,
    ("ECS", "S3_LOGS"): _ecs_to_logs,
    ("ECS", "RDS"): _ecs_to_rds,
    ("ECS", "SECRETS"): _ecs_to_secrets,
    ("WAF", "ALB"): _waf_to_alb,
    ("IAM", "ECS"): _iam_to_ecs,
    ("IAM", "RDS"): _iam_to_rds,
    ("IAM", "S3_VIDEOS"): _iam_to_videos,
    ("CW_LOGS", "ECS"): _logs_to_ecs,
    ("CW_METRICS", "ECS"): _metrics_to("AWS/ECS", "ServiceName", "AWS::ECS::Service"),
    ("CW_METRICS", "ALB"): _metrics_to(
        "AWS/ApplicationELB", "LoadBalancer", "AWS::ElasticLoadBalancingV2::LoadBalancer"
    ),
    ("CW_ALARMS", "CW_METRICS"): _alarms_to_metrics,
    ("XRAY", "ECS"): _xray_to_ecs,
}


def unimplemented(nodes: set[str], edges: set[tuple[str, str]], synth: Synth) -> list[str]:
    """Every box and arrow that has no check, or whose check fails, with the reason."""
    problems = []
    for node in sorted(nodes):
        problems += _run(f"box {node}", NODES.get(node), synth)
    for edge in sorted(edges):
        problems += _run(f"arrow {edge[0]} --> {edge[1]}", EDGES.get(edge), synth)
    return problems


def _run(what: str, check: Check | None, synth: Synth) -> list[str]:
    if check is None:
        return [f"{what}: nothing implements it"]
    try:
        check(synth)
    except (AssertionError, KeyError, ValueError) as exc:
        return [f"{what}: {type(exc).__name__} {exc}"]
    return []
