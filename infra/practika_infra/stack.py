"""One environment of Practika: the diagram's groups composed into a stack.

With a domain, CloudFront's certificate lives in a small us-east-1 stack (CloudFront
only takes certificates from there) and is passed over by cross-region reference.
"""

from __future__ import annotations

from pathlib import Path

from aws_cdk import (
    Annotations,
    App,
    CfnOutput,
    CfnParameter,
    Environment,
    Fn,
    Stack,
    Tags,
    Validations,
)
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from cdk_nag import AwsSolutionsChecks
from constructs import Construct

from practika_infra.compute import Compute, Dependencies, image_repository
from practika_infra.config import EnvConfig
from practika_infra.database import Database
from practika_infra.email import Email
from practika_infra.global_services import (
    Cdn,
    Dns,
    api_certificate,
    certificate,
    hosted_zone,
)
from practika_infra.nag import acknowledge_cdk_helpers, acknowledge_web_upload
from practika_infra.networking import Networking
from practika_infra.observability import Observability
from practika_infra.security import AppSecrets, Waf
from practika_infra.storage import Buckets

# An ECR tag (git commits, release names), but never the mutable `latest`.
IMAGE_TAG_PATTERN = r"^(?!latest$)[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$"

RETENTION = {
    7: logs.RetentionDays.ONE_WEEK,
    14: logs.RetentionDays.TWO_WEEKS,
    30: logs.RetentionDays.ONE_MONTH,
    90: logs.RetentionDays.THREE_MONTHS,
    180: logs.RetentionDays.SIX_MONTHS,
    365: logs.RetentionDays.ONE_YEAR,
}


def _retention(days: int) -> logs.RetentionDays:
    """The shortest CloudWatch retention that keeps logs at least `days`."""
    return RETENTION[min(d for d in RETENTION if d >= days)]


class CertificateStack(Stack):
    """us-east-1: the certificate CloudFront serves app.<domain> with."""

    def __init__(self, scope: Construct, id: str, *, config: EnvConfig, **kw: object) -> None:
        super().__init__(scope, id, **kw)  # type: ignore[arg-type]
        zone = hosted_zone(self, config)
        self.certificate = certificate(self, "AppCertificate", f"app.{config.domain}", zone)
        acknowledge_cdk_helpers(self)


class RegistryStack(Stack):
    """ECR first, on its own: the deploy pushes the image here before the services
    that run it exist (`practika infra deploy`)."""

    def __init__(self, scope: Construct, id: str, **kw: object) -> None:
        super().__init__(scope, id, **kw)  # type: ignore[arg-type]
        self.repository = image_repository(self)
        CfnOutput(self, "RepositoryUri", value=self.repository.repository_uri)


class PractikaStack(Stack):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        config: EnvConfig,
        repository: ecr.IRepository,
        cdn_certificate: acm.ICertificate | None = None,
        **kw: object,
    ) -> None:
        super().__init__(scope, id, **kw)  # type: ignore[arg-type]
        retention = _retention(config.log_retention_days)
        zone = hosted_zone(self, config) if config.has_domain else None
        # The image is a parameter, not a default: a template never names a tag nobody
        # pushed (`latest` was never pushed, and tags are immutable). `practika infra
        # deploy` passes it; a plain `cdk deploy` of a deployed stack keeps the previous
        # value; a first plain deploy fails at once, saying the parameter has no value.
        image_tag = CfnParameter(
            self,
            "ImageTag",
            type="String",
            description="ECR image tag the api and worker services run (a git commit)",
            allowed_pattern=IMAGE_TAG_PATTERN,
            constraint_description="an image tag pushed to the registry, never latest",
        )
        migration_tag = CfnParameter(
            self,
            "MigrationImageTag",
            type="String",
            description="ECR image tag of the migration task (the release being rolled out)",
            allowed_pattern=IMAGE_TAG_PATTERN,
            constraint_description="an image tag pushed to the registry, never latest",
        )

        # Compute & Storage: the buckets first, everything logs into one of them.
        buckets = Buckets(self, "Storage", config=config)
        net = Networking(
            self, "Networking", config=config, log_bucket=buckets.logs, retention=retention
        )
        database = Database(self, "Database", config=config, net=net, retention=retention)
        secrets = AppSecrets(self, "AppSecrets")
        cdn = Cdn(
            self,
            "Cdn",
            config=config,
            static=buckets.static,
            videos=buckets.videos,
            logs=buckets.logs,
            certificate=cdn_certificate,
        )
        app_host = f"app.{config.domain}" if zone else cdn.distribution.distribution_domain_name

        # ACM → ALB: HTTPS with api.<domain>'s certificate, or plain HTTP without a domain.
        certificate = api_certificate(self, config, zone) if zone is not None else None
        listener = net.api_listener(config, certificate)

        compute = Compute(
            self,
            "Compute",
            config=config,
            net=net,
            listener=listener,
            retention=retention,
            repository=repository,
            image_tag=image_tag.value_as_string,
            migration_image_tag=migration_tag.value_as_string,
            deps=Dependencies(
                videos=buckets.videos,
                database=database.instance,
                database_secret=database.secret,
                database_app_secret=database.app_secret,
                session_secret=secrets.session,
                mail_link_secret=secrets.mail_links,
                cloudfront_key_secret=secrets.cloudfront_key,
                cloudfront_domain=app_host,
                cloudfront_key_pair_id=cdn.public_key.public_key_id,
                cors_origins=f'["https://{app_host}"]',
            ),
        )
        if config.domain:  # SES sends from the environment's domain (docs/operations.md)
            mail = Email(self, "Email", domain=config.domain, zone=zone)
            mail.grant_send(compute.worker_role)  # the worker sends; the api only queues
            mail.grant_read_events(compute.worker_role)  # and marks bounced addresses
            for service in (compute.api.service, compute.worker.service):
                container = service.task_definition.default_container
                for name, value in mail.environment(f"https://{app_host}").items():
                    container.add_environment(name, value)  # type: ignore[union-attr]
        Waf(self, "Waf", config=config, alb=net.alb, retention=retention)
        monitoring = Observability(
            self,
            "Monitoring",
            config=config,
            alb=net.alb,
            target_group=compute.target_group,
            api=compute.api.service,
            worker=compute.worker.service,
            database=database.instance,
            log_groups=[compute.api_logs, compute.worker_logs],
            log_bucket=buckets.logs,
        )
        if zone is not None:
            Dns(self, "Dns", zone=zone, config=config, distribution=cdn.distribution, alb=net.alb)

        api_url = f"https://api.{config.domain}" if zone else None
        _web_app(self, config, buckets.static, cdn.distribution, api_url)

        if config.uses_example_key:
            Annotations.of(self).add_warning_v2(
                "practika:example-key",
                "CloudFront trusts the example public key: run `practika infra keygen --env "
                f"{config.name}` before deploying, or signed video URLs will not verify.",
            )
        acknowledge_cdk_helpers(self)
        Tags.of(self).add("project", "practika")
        Tags.of(self).add("environment", config.name)
        for name, value in (
            ("AppUrl", f"https://{app_host}"),
            ("ApiUrl", api_url or f"http://{net.alb.load_balancer_dns_name}"),
            ("CloudFrontKeySecretArn", secrets.cloudfront_key.secret_arn),
            # `practika infra smoke` plays a test object through a signed URL.
            ("CloudFrontKeyPairId", cdn.public_key.public_key_id),
            ("VideosBucketName", buckets.videos.bucket_name),
            ("AlarmTopicArn", monitoring.topic.topic_arn),
            # `practika infra deploy` installs the signing key, then restarts both services.
            ("ClusterName", compute.cluster.cluster_name),
            ("ApiServiceName", compute.api.service.service_name),
            ("WorkerServiceName", compute.worker.service.service_name),
            # The migration task `practika infra deploy` runs before the services update.
            ("MigrationTaskDefinitionArn", compute.migration[0].task_definition_arn),
            (
                "ServiceSubnetIds",
                Fn.join(
                    ",",
                    net.vpc.select_subnets(subnet_type=net.private_subnets.subnet_type).subnet_ids,
                ),
            ),
            ("ServiceSecurityGroupId", net.service_sg.security_group_id),
            ("DeployedImageTag", image_tag.value_as_string),
            # "owner" while a first deploy bootstraps the app user (`practika infra deploy`
            # then switches the services to it), else "app".
            ("ServicesDatabaseUser", compute.services_database_user),
        ):
            CfnOutput(self, name, value=value)


def _web_app(
    scope: Construct,
    config: EnvConfig,
    static: s3.IBucket,
    distribution: cloudfront.IDistribution,
    api_url: str | None,
) -> None:
    """Upload the built SPA to the static bucket and, with a domain, a /config.json that
    the SPA reads at start-up to call the API on api.<domain>. Without one it calls its
    own origin (a browser app needs the domain: docs/operations.md)."""
    web = Path(config.web_dist)
    if not (web / "index.html").is_file():
        # config.check has refused this for staging and prod already.
        Annotations.of(scope).add_warning_v2(
            "practika:no-web-build",
            f"No web build in {web}: CloudFront will answer 403 at / until one is deployed "
            "(`make web-build`; `practika infra deploy` builds it).",
        )
    if api_url is not None:
        settings = s3deploy.BucketDeployment(
            scope,
            "WebConfig",
            sources=[s3deploy.Source.json_data("config.json", {"apiBaseUrl": api_url})],
            destination_bucket=static,
            prune=False,  # the SPA's files are the other deployment's
            # Read on every start-up; CloudFront keeps it a second at most (its minimum TTL).
            cache_control=[s3deploy.CacheControl.no_cache()],
            content_type="application/json",
            distribution=distribution,
            distribution_paths=["/config.json"],
        )
        acknowledge_web_upload(settings, static)
    if (web / "index.html").is_file():
        deployment = s3deploy.BucketDeployment(
            scope,
            "WebApp",
            sources=[s3deploy.Source.asset(str(web))],
            destination_bucket=static,
            # Its pruning keeps the config; without a domain it removes a stale one.
            exclude=["config.json"] if api_url else None,
            distribution=distribution,
            distribution_paths=["/index.html"],
        )
        acknowledge_web_upload(deployment, static)


def build(app: App, config: EnvConfig) -> PractikaStack:
    """The stacks of one environment, checked by cdk-nag's AwsSolutions pack."""
    config.check()
    env = Environment(account=config.account, region=config.region)
    certificate = None
    if config.has_domain:
        cert_stack = CertificateStack(
            app,
            f"practika-{config.name}-certificate",
            config=config,
            env=Environment(account=config.account, region="us-east-1"),
            cross_region_references=True,
        )
        certificate = cert_stack.certificate
    registry = RegistryStack(app, f"practika-{config.name}-registry", env=env)
    stack = PractikaStack(
        app,
        f"practika-{config.name}",
        config=config,
        repository=registry.repository,
        cdn_certificate=certificate,
        env=env,
        cross_region_references=config.has_domain,
        description=f"Practika ({config.name}): movement-training videos with time-coded feedback",
    )
    if config.github_repository:
        from practika_infra.ci import CiStack

        CiStack(app, f"practika-{config.name}-ci", config=config, env=env)
    Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    return stack
