"""Each construct of infra/practika_infra on its own, in a bare stack, read with
`aws_cdk.assertions`: what it makes and how it is wired, independent of the others."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from aws_cdk import App, Environment, Stack
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Match, Template
from constructs import IConstruct
from practika_infra import config
from practika_infra.compute import image_repository
from practika_infra.database import Database
from practika_infra.global_services import Cdn, Dns, hosted_zone
from practika_infra.networking import Networking
from practika_infra.security import AppSecrets, Waf
from practika_infra.storage import Buckets

ACCOUNT, REGION = "123456789012", "eu-west-1"
# What `cdk synth` would look up once and keep in cdk.context.json.
AZS = {f"availability-zones:account={ACCOUNT}:region={REGION}": [f"{REGION}{z}" for z in "abc"]}
ALB_ARN = (
    f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:loadbalancer/app/practika/0123456789abcdef"
)


def _stack(account: str | None = None) -> Stack:
    return Stack(App(context=AZS), "Test", env=Environment(account=account, region=REGION))


def _id(construct: IConstruct) -> str:
    return Stack.of(construct).get_logical_id(construct.node.default_child)  # type: ignore[arg-type]


def _getatt(construct: IConstruct, attribute: str) -> dict[str, Any]:
    return {"Fn::GetAtt": [_id(construct), attribute]}


def _imported_alb(stack: Stack) -> elbv2.IApplicationLoadBalancer:
    return elbv2.ApplicationLoadBalancer.from_application_load_balancer_attributes(
        stack,
        "Alb",
        load_balancer_arn=ALB_ARN,
        security_group_id="sg-0123456789abcdef0",
        load_balancer_canonical_hosted_zone_id="Z32O12XQLNTSW2",
        load_balancer_dns_name="practika-123.eu-west-1.elb.amazonaws.com",
    )


# Storage ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def storage() -> tuple[Template, Buckets]:
    stack = _stack()
    buckets = Buckets(stack, "Storage", config=config.load("dev"))
    return Template.from_stack(stack), buckets


def test_buckets_are_three_private_encrypted_and_deny_plain_http(storage) -> None:
    template, _ = storage
    template.resource_count_is("AWS::S3::Bucket", 3)
    template.all_resources_properties(
        "AWS::S3::Bucket",
        {
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [
                    {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
                ]
            },
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "BlockPublicPolicy": True,
                "IgnorePublicAcls": True,
                "RestrictPublicBuckets": True,
            },
        },
    )
    tls_only = template.find_resources(
        "AWS::S3::BucketPolicy",
        {
            "Properties": {
                "PolicyDocument": {
                    "Statement": Match.array_with(
                        [
                            Match.object_like(
                                {
                                    "Effect": "Deny",
                                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                                }
                            )
                        ]
                    )
                }
            }
        },
    )
    assert len(tls_only) == 3
    assert len(template.find_resources("AWS::S3::Bucket", {"DeletionPolicy": "Retain"})) == 3


def test_the_videos_bucket_is_versioned_takes_browser_parts_and_cleans_up(storage) -> None:
    template, buckets = storage
    template.has_resource_properties(
        "AWS::S3::Bucket",
        {
            "VersioningConfiguration": {"Status": "Enabled"},
            "CorsConfiguration": {
                "CorsRules": [
                    Match.object_like(
                        {
                            "AllowedMethods": ["PUT", "GET", "HEAD"],
                            "ExposedHeaders": ["ETag"],
                        }
                    )
                ]
            },
            "LifecycleConfiguration": {
                # (arrayWith matches in order)
                "Rules": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Id": "expire-old-versions",
                                "NoncurrentVersionExpiration": {"NoncurrentDays": 7},
                                "ExpiredObjectDeleteMarker": True,
                            }
                        ),
                        Match.object_like(
                            {
                                "Id": "abort-incomplete-uploads",
                                "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 2},
                            }
                        ),
                    ]
                )
            },
            "LoggingConfiguration": {
                "DestinationBucketName": {"Ref": _id(buckets.logs)},
                "LogFilePrefix": "s3/videos/",
            },
        },
    )


def test_the_logs_bucket_takes_acl_writers_and_ages_out(storage) -> None:
    template, _ = storage
    template.has_resource_properties(
        "AWS::S3::Bucket",
        {
            "OwnershipControls": {"Rules": [{"ObjectOwnership": "ObjectWriter"}]},
            "LifecycleConfiguration": {
                "Rules": [Match.object_like({"Id": "age-out", "ExpirationInDays": 30})]
            },
        },
    )


# Networking -------------------------------------------------------------------


@pytest.fixture(scope="module")
def networking() -> tuple[Template, Networking]:
    stack = _stack(ACCOUNT)
    net = Networking(
        stack,
        "Networking",
        config=config.load("prod"),
        log_bucket=s3.Bucket(stack, "Logs"),
        retention=logs.RetentionDays.THREE_MONTHS,
    )
    return Template.from_stack(stack), net


def test_prod_spreads_over_three_zones_with_two_nat_gateways(networking) -> None:
    template, _ = networking
    template.resource_count_is("AWS::EC2::Subnet", 6)
    template.resource_count_is("AWS::EC2::NatGateway", 2)
    public = template.find_resources(
        "AWS::EC2::Subnet", {"Properties": {"MapPublicIpOnLaunch": True}}
    )
    assert len(public) == 3
    template.has_resource_properties(
        "AWS::EC2::FlowLog",
        {"ResourceType": "VPC", "TrafficType": "ALL", "LogDestinationType": "cloud-watch-logs"},
    )
    template.has_resource_properties(
        "AWS::EC2::VPCEndpoint",
        {"VpcEndpointType": "Gateway", "ServiceName": Match.any_value()},
    )


def test_dev_uses_two_zones_and_one_nat_gateway() -> None:
    stack = _stack()
    Networking(
        stack,
        "Networking",
        config=config.load("dev"),
        log_bucket=s3.Bucket(stack, "Logs"),
        retention=logs.RetentionDays.TWO_WEEKS,
    )
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::EC2::Subnet", 4)
    template.resource_count_is("AWS::EC2::NatGateway", 1)


def test_security_groups_admit_the_app_port_from_the_alb_and_postgres_from_the_tasks(
    networking,
) -> None:
    template, net = networking
    template.has_resource_properties(
        "AWS::EC2::SecurityGroupIngress",
        {
            "IpProtocol": "tcp",
            "FromPort": 8000,
            "ToPort": 8000,
            "GroupId": _getatt(net.service_sg, "GroupId"),
            "SourceSecurityGroupId": _getatt(net.alb_sg, "GroupId"),
        },
    )
    template.has_resource_properties(
        "AWS::EC2::SecurityGroupIngress",
        {
            "IpProtocol": "tcp",
            "FromPort": 5432,
            "ToPort": 5432,
            "GroupId": _getatt(net.db_sg, "GroupId"),
            "SourceSecurityGroupId": _getatt(net.service_sg, "GroupId"),
        },
    )
    template.resource_count_is("AWS::EC2::SecurityGroupIngress", 2)
    # The database opens no connections of its own (CDK's "no egress" placeholder rule).
    template.has_resource_properties(
        "AWS::EC2::SecurityGroup",
        {
            "GroupDescription": "RDS: PostgreSQL from the ECS tasks only",
            "SecurityGroupEgress": [Match.object_like({"CidrIp": "255.255.255.255/32"})],
        },
    )


def test_the_alb_is_public_in_the_public_subnets_and_logs_its_access(networking) -> None:
    template, net = networking
    public_ids = [{"Ref": _id(s)} for s in net.vpc.public_subnets]
    template.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        {
            "Scheme": "internet-facing",
            "Subnets": public_ids,
            "SecurityGroups": [_getatt(net.alb_sg, "GroupId")],
            "LoadBalancerAttributes": Match.array_with(
                [
                    {"Key": "access_logs.s3.enabled", "Value": "true"},
                    {"Key": "access_logs.s3.prefix", "Value": "alb"},
                ]
            ),
        },
    )


# Database ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def database() -> tuple[Template, Database, Networking]:
    stack = _stack()
    env = config.load("staging")
    net = Networking(
        stack,
        "Networking",
        config=env,
        log_bucket=s3.Bucket(stack, "Logs"),
        retention=logs.RetentionDays.ONE_MONTH,
    )
    db = Database(stack, "Database", config=env, net=net, retention=logs.RetentionDays.ONE_MONTH)
    return Template.from_stack(stack), db, net


def test_the_database_is_private_encrypted_multi_az_and_forces_tls(database) -> None:
    template, _, net = database
    template.has_resource_properties(
        "AWS::RDS::DBInstance",
        {
            "Engine": "postgres",
            "PubliclyAccessible": False,
            "StorageEncrypted": True,
            "MultiAZ": True,
            "DeletionProtection": True,
            "BackupRetentionPeriod": 7,
            "EnableIAMDatabaseAuthentication": True,
            "VPCSecurityGroups": [_getatt(net.db_sg, "GroupId")],
            "EnableCloudwatchLogsExports": ["postgresql", "upgrade"],
        },
    )
    template.has_resource(
        "AWS::RDS::DBInstance", {"DeletionPolicy": "Snapshot", "UpdateReplacePolicy": "Snapshot"}
    )
    template.has_resource_properties(
        "AWS::RDS::DBParameterGroup", {"Parameters": Match.object_like({"rds.force_ssl": "1"})}
    )
    template.has_resource_properties(
        "AWS::RDS::DBSubnetGroup",
        {"SubnetIds": [{"Ref": _id(s)} for s in net.vpc.private_subnets]},
    )


def test_database_credentials_are_generated_and_rotated_monthly(database) -> None:
    template, _, _ = database
    template.has_resource_properties(
        "AWS::SecretsManager::Secret",
        {
            "GenerateSecretString": Match.object_like(
                {"SecretStringTemplate": '{"username":"practika"}', "GenerateStringKey": "password"}
            )
        },
    )
    template.has_resource_properties(
        "AWS::SecretsManager::RotationSchedule",
        {"RotationRules": {"ScheduleExpression": "rate(30 days)"}},
    )


# Security ---------------------------------------------------------------------


def test_app_secrets_are_generated_or_filled_after_deploy() -> None:
    stack = _stack()
    AppSecrets(stack, "AppSecrets")
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::SecretsManager::Secret", 3)  # session, mail links, key
    template.has_resource_properties(
        "AWS::SecretsManager::Secret",
        {"GenerateSecretString": {"PasswordLength": 64, "ExcludePunctuation": True}},
    )
    # The key secret starts as a marker, not a random string: the app then starts with
    # playback off instead of failing the first deploy; `practika infra deploy` fills it.
    template.has_resource_properties(
        "AWS::SecretsManager::Secret",
        {
            "Description": Match.string_like_regexp("CloudFront"),
            "SecretString": "UNSET: run practika infra deploy",
            "GenerateSecretString": Match.absent(),
        },
    )


def test_the_app_and_the_deploy_tool_recognise_the_key_placeholder() -> None:
    from practika_infra.security import CLOUDFRONT_KEY_PLACEHOLDER

    from practika.aws.cloudfront import is_unset  # what `practika infra deploy` asks too

    assert is_unset(CLOUDFRONT_KEY_PLACEHOLDER)


def test_the_waf_rate_limits_and_runs_managed_rules_on_the_alb() -> None:
    stack = _stack()
    Waf(
        stack,
        "Waf",
        config=config.load("prod"),
        alb=_imported_alb(stack),
        retention=logs.RetentionDays.ONE_MONTH,
    )
    template = Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::WAFv2::WebACL",
        {
            "Scope": "REGIONAL",
            "DefaultAction": {"Allow": {}},
            "Rules": Match.array_with(
                [
                    Match.object_like(
                        {
                            "Name": "rate-per-address",
                            "Priority": 0,
                            "Action": {"Block": {}},
                            "Statement": {
                                "RateBasedStatement": {"Limit": 2000, "AggregateKeyType": "IP"}
                            },
                        }
                    ),
                    Match.object_like(
                        {
                            "Name": "AWSManagedRulesCommonRuleSet",
                            "OverrideAction": {"None": {}},
                            "Statement": {
                                "ManagedRuleGroupStatement": Match.object_like(
                                    {"VendorName": "AWS", "Name": "AWSManagedRulesCommonRuleSet"}
                                )
                            },
                        }
                    ),
                ]
            ),
        },
    )
    template.has_resource_properties(
        "AWS::WAFv2::WebACLAssociation", {"ResourceArn": ALB_ARN, "WebACLArn": Match.any_value()}
    )


# Global services --------------------------------------------------------------


def _cdn(certificate: bool) -> tuple[Template, Cdn, dict[str, s3.Bucket]]:
    stack = _stack()
    buckets = {name: s3.Bucket(stack, name) for name in ("Static", "Videos", "Logs")}
    cert = (
        acm.Certificate.from_certificate_arn(
            stack, "Cert", f"arn:aws:acm:us-east-1:{ACCOUNT}:certificate/abc"
        )
        if certificate
        else None
    )
    env = config.load(
        "prod", {"practika:domain": "practika.example.com", "practika:hosted_zone_id": "Z1"}
    )
    cdn = Cdn(
        stack,
        "Cdn",
        config=env,
        static=buckets["Static"],
        videos=buckets["Videos"],
        logs=buckets["Logs"],
        certificate=cert,
    )
    return Template.from_stack(stack), cdn, buckets


def test_cloudfront_serves_the_spa_and_signed_videos_through_oac() -> None:
    template, cdn, buckets = _cdn(certificate=False)
    template.resource_count_is("AWS::CloudFront::OriginAccessControl", 2)
    template.has_resource_properties(
        "AWS::CloudFront::Distribution",
        {
            "DistributionConfig": Match.object_like(
                {
                    "DefaultRootObject": "index.html",
                    "DefaultCacheBehavior": Match.object_like(
                        {
                            "ViewerProtocolPolicy": "redirect-to-https",
                            "FunctionAssociations": [
                                Match.object_like({"EventType": "viewer-request"})
                            ],
                        }
                    ),
                    "CacheBehaviors": [
                        Match.object_like(
                            {
                                "PathPattern": "videos/*",
                                "ViewerProtocolPolicy": "https-only",
                                "TrustedKeyGroups": [{"Ref": _id(cdn.key_group)}],
                            }
                        )
                    ],
                    "Logging": Match.object_like(
                        {
                            "Bucket": _getatt(buckets["Logs"], "RegionalDomainName"),
                            "Prefix": "cloudfront/",
                        }
                    ),
                }
            )
        },
    )
    template.has_resource_properties(
        "AWS::CloudFront::Function",
        {"FunctionConfig": Match.object_like({"Runtime": "cloudfront-js-2.0"})},
    )
    # Each bucket lets exactly this distribution read it, nobody else.
    for name in ("Static", "Videos"):
        template.has_resource_properties(
            "AWS::S3::BucketPolicy",
            {
                "Bucket": {"Ref": _id(buckets[name])},
                "PolicyDocument": {
                    "Statement": Match.array_with(
                        [
                            Match.object_like(
                                {
                                    "Action": "s3:GetObject",
                                    "Principal": {"Service": "cloudfront.amazonaws.com"},
                                    "Condition": {
                                        "StringEquals": {"AWS:SourceArn": Match.any_value()}
                                    },
                                }
                            )
                        ]
                    )
                },
            },
        )


def test_cloudfront_with_a_certificate_answers_for_the_app_domain_over_tls12() -> None:
    template, _, _ = _cdn(certificate=True)
    template.has_resource_properties(
        "AWS::CloudFront::Distribution",
        {
            "DistributionConfig": Match.object_like(
                {
                    "Aliases": ["app.practika.example.com"],
                    "ViewerCertificate": Match.object_like(
                        {"MinimumProtocolVersion": "TLSv1.2_2021", "SslSupportMethod": "sni-only"}
                    ),
                }
            )
        },
    )


def test_dns_aliases_app_to_cloudfront_and_api_to_the_alb() -> None:
    stack = _stack()
    env = config.load(
        "prod", {"practika:domain": "practika.example.com", "practika:hosted_zone_id": "Z1"}
    )
    distribution = cloudfront.Distribution.from_distribution_attributes(
        stack, "Cdn", domain_name="d111111abcdef8.cloudfront.net", distribution_id="E1"
    )
    Dns(
        stack,
        "Dns",
        zone=hosted_zone(stack, env),
        config=env,
        distribution=distribution,
        alb=_imported_alb(stack),
    )
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::Route53::RecordSet", 4)
    for name in ("app", "api"):
        for kind in ("A", "AAAA"):
            template.has_resource_properties(
                "AWS::Route53::RecordSet",
                {"Name": f"{name}.practika.example.com.", "Type": kind, "HostedZoneId": "Z1"},
            )
    template.has_resource_properties(
        "AWS::Route53::RecordSet",
        {
            "Name": "app.practika.example.com.",
            "AliasTarget": Match.object_like({"DNSName": "d111111abcdef8.cloudfront.net"}),
        },
    )


# Compute ----------------------------------------------------------------------


def test_the_image_repository_scans_pins_tags_and_ages_out_images() -> None:
    stack = _stack()
    image_repository(stack)
    template = Template.from_stack(stack)
    template.has_resource(
        "AWS::ECR::Repository",
        {
            "DeletionPolicy": "Retain",
            "Properties": Match.object_like(
                {
                    "ImageScanningConfiguration": {"ScanOnPush": True},
                    "ImageTagMutability": "IMMUTABLE",
                }
            ),
        },
    )
    [repo] = template.find_resources("AWS::ECR::Repository").values()
    rules = json.loads(repo["Properties"]["LifecyclePolicy"]["LifecyclePolicyText"])["rules"]
    assert [(r["selection"]["tagStatus"], r["selection"]["countType"]) for r in rules] == [
        ("untagged", "sinceImagePushed"),
        ("any", "imageCountMoreThan"),
    ]


# Compute and observability need the whole graph: read them in the composed dev stack.


@pytest.fixture(scope="module")
def dev(synths) -> Template:
    return Template.from_json(synths["dev"].main)


def test_api_and_worker_run_the_one_image_with_an_adot_sidecar(dev: Template) -> None:
    dev.resource_count_is("AWS::ECS::Service", 2)
    for command, port in (
        (["serve"], [{"ContainerPort": 8000, "Protocol": "tcp"}]),
        (["worker"], Match.absent()),
    ):
        dev.has_resource_properties(
            "AWS::ECS::TaskDefinition",
            {
                "RequiresCompatibilities": ["FARGATE"],
                "ContainerDefinitions": [
                    Match.object_like(
                        {
                            "Name": "app",
                            "Command": command,
                            "DependsOn": [{"ContainerName": "otel", "Condition": "START"}],
                            "Essential": True,
                            "PortMappings": port,
                            "HealthCheck": Match.object_like({"Command": Match.any_value()}),
                        }
                    ),
                    Match.object_like(
                        {
                            "Name": "otel",
                            "Essential": False,
                            "Image": Match.string_like_regexp("aws-otel-collector:v"),
                            "Command": ["--config=/etc/ecs/ecs-xray.yaml"],
                            "HealthCheck": Match.object_like({"Command": ["CMD", "/healthcheck"]}),
                        }
                    ),
                ],
            },
        )


def test_the_api_registers_with_a_target_group_that_checks_readiness(dev: Template) -> None:
    dev.has_resource_properties(
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        {
            "HealthCheckPath": "/readyz",
            "Port": 8000,
            "TargetType": "ip",
            "Matcher": {"HttpCode": "200"},
        },
    )
    dev.has_resource_properties(
        "AWS::ECS::Service",
        {
            "LoadBalancers": [Match.object_like({"ContainerName": "app", "ContainerPort": 8000})],
            "HealthCheckGracePeriodSeconds": 60,
        },
    )


def test_alarms_notify_an_encrypted_topic(dev: Template) -> None:
    dev.has_resource_properties("AWS::SNS::Topic", {"KmsMasterKeyId": Match.any_value()})
    dev.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "Namespace": "Practika",
            "MetricName": "VideosFailed",
            "Threshold": 0,
            "ComparisonOperator": "GreaterThanThreshold",
            "AlarmActions": [{"Ref": Match.string_like_regexp("^MonitoringAlarms")}],
        },
    )
    dev.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "Namespace": "AWS/RDS",
            "MetricName": "CPUUtilization",
            "Threshold": 80,
        },
    )


def test_app_logs_are_archived_to_the_logs_bucket_through_firehose(dev: Template) -> None:
    dev.has_resource_properties(
        "AWS::KinesisFirehose::DeliveryStream",
        {
            "ExtendedS3DestinationConfiguration": Match.object_like(
                {"Prefix": "app-logs/dt=!{timestamp:yyyy-MM-dd}/", "CompressionFormat": "GZIP"}
            )
        },
    )
    dev.resource_count_is("AWS::Logs::SubscriptionFilter", 2)


def test_every_setting_the_tasks_pass_is_one_the_service_reads(synth) -> None:
    """A misspelt PRACTIKA_* variable would be ignored silently (extra="ignore")."""
    from practika.config import Settings

    known = {f"PRACTIKA_{name.upper()}" for name in Settings.model_fields}
    passed = {
        e["Name"]
        for t in synth.resources("AWS::ECS::TaskDefinition").values()
        for c in t["Properties"]["ContainerDefinitions"]
        for e in c.get("Environment", [])
    }
    assert passed - known == set()
    assert {
        "PRACTIKA_DATABASE_HOST",
        "PRACTIKA_DATABASE_SECRET_ARN",
        "PRACTIKA_S3_VIDEOS_BUCKET",
        "PRACTIKA_CLOUDFRONT_DOMAIN",
        "PRACTIKA_CLOUDFRONT_KEY_PAIR_ID",
        "PRACTIKA_CLOUDFRONT_PRIVATE_KEY_SECRET_ARN",
        "PRACTIKA_SESSION_SECRET_ARN",
        "PRACTIKA_AWS_REGION",
        "PRACTIKA_TRACING",
        "PRACTIKA_OTLP_ENDPOINT",
        "PRACTIKA_RUN_WORKER",
        "PRACTIKA_MIGRATE_ON_START",
        "PRACTIKA_FORWARDED_ALLOW_IPS",
        "PRACTIKA_CORS_ORIGINS",
    } <= passed


def test_every_app_metric_watched_is_one_the_service_emits(synth) -> None:
    """Alarms, dashboard and scaling read names from the catalogue in metrics.py."""
    from practika.observability import metrics

    # The catalogue's rows: | names | unit | dimensions (values) | where |
    rows = re.findall(r"^\| (\w+(?:, \w+)*) \| \w+ \| ([^|]+) \|", metrics.__doc__ or "", re.M)
    dimensions = {
        name: {d.strip() for d in re.sub(r"\([^)]*\)", "", dims).split(",")}
        for names, dims in rows
        for name in names.split(", ")
    }
    names = set(dimensions)
    alarmed = set()
    for alarm in synth.resources("AWS::CloudWatch::Alarm").values():
        p = alarm["Properties"]
        if p.get("Namespace") == "Practika":
            alarmed.add(p["MetricName"])
            # CloudWatch matches a metric only on its exact dimension set.
            assert {d["Name"] for d in p["Dimensions"]} == dimensions[p["MetricName"]]
    # Dashboard bodies are JSON inside Fn::Join: metrics read ["Practika","<name>",...].
    graphed = set(re.findall(r'\\"Practika\\",\\"(\w+)\\"', json.dumps(synth.main)))
    assert {"VideosFailed", "JobQueueOldestSeconds", "JobQueueDepth"} <= alarmed
    assert {"UploadsStarted", "VideoProcessingTime"} <= graphed
    watched = alarmed | graphed
    assert watched and watched <= names, watched - names
