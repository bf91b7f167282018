"""The Compute group: ECR, the ECS Fargate cluster, the `api` and `worker` services.

Both services run the one image built from the project's Dockerfile; the api
sits behind the ALB, the worker claims media jobs from the database. Each gets
its own task role, scoped to what it touches. The pieces: specs.py (how each process
runs), environment.py (the settings each gets), roles.py (what each may do),
tasks.py (task definitions and services); this module wires them.
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_applicationautoscaling as appscaling
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_rds as rds
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from practika_infra.compute import environment, roles
from practika_infra.compute.specs import API, MIGRATE_STOP_TIMEOUT, WORKER, ServiceSpec
from practika_infra.compute.tasks import ServiceParts, fargate_service, task_definition
from practika_infra.config import EnvConfig
from practika_infra.nag import LOG_GROUP_KMS, acknowledge, skip_checkov
from practika_infra.networking import APP_PORT, Networking


@dataclass(frozen=True)
class Dependencies:
    """What the services are wired to (the diagram's arrows out of ECS)."""

    videos: s3.IBucket
    database: rds.DatabaseInstance
    database_secret: secretsmanager.ISecret  # the master user's: the migration task only
    database_app_secret: secretsmanager.ISecret  # the services' least-privilege user
    session_secret: secretsmanager.ISecret
    mail_link_secret: secretsmanager.ISecret
    cloudfront_key_secret: secretsmanager.ISecret
    cloudfront_domain: str
    cloudfront_key_pair_id: str
    cors_origins: str


def image_repository(scope: Construct) -> ecr.Repository:
    """The one image both services run: scanned on push, old layers aged out."""
    repository = ecr.Repository(
        scope,
        "Repository",
        image_scan_on_push=True,
        image_tag_mutability=ecr.TagMutability.IMMUTABLE,
        removal_policy=RemovalPolicy.RETAIN,
        lifecycle_rules=[
            ecr.LifecycleRule(
                description="drop untagged layers after a week",
                tag_status=ecr.TagStatus.UNTAGGED,
                max_image_age=Duration.days(7),
                rule_priority=1,
            ),
            ecr.LifecycleRule(
                description="keep the last 30 releases (rollbacks)",
                tag_status=ecr.TagStatus.ANY,
                max_image_count=30,
                rule_priority=2,
            ),
        ],
    )
    skip_checkov(
        repository,
        ("CKV_AWS_136", "Images hold no secrets; ECR's AES-256 encryption at rest suffices."),
    )
    return repository


class Compute(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        config: EnvConfig,
        net: Networking,
        deps: Dependencies,
        listener: elbv2.ApplicationListener,
        retention: logs.RetentionDays,
        repository: ecr.IRepository,
        image_tag: str,
        migration_image_tag: str,
    ) -> None:
        super().__init__(scope, id)
        self.config = config
        self.repository = repository
        self.image_tag = image_tag
        self.net = net
        self.cluster = ecs.Cluster(
            self, "Cluster", vpc=net.vpc, container_insights_v2=ecs.ContainerInsights.ENABLED
        )
        self.api_logs = logs.LogGroup(
            self, "ApiLogs", retention=retention, removal_policy=RemovalPolicy.DESTROY
        )
        self.worker_logs = logs.LogGroup(
            self, "WorkerLogs", retention=retention, removal_policy=RemovalPolicy.DESTROY
        )
        for group in (self.api_logs, self.worker_logs):
            skip_checkov(group, LOG_GROUP_KMS)
        self.execution_role = iam.Role(
            self,
            "ExecutionRole",
            assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"),
            description="ECS agent: pull the image, write the container logs",
        )
        self.repository.grant_pull(self.execution_role)
        acknowledge(
            self.execution_role,
            ("AwsSolutions-IAM5[Resource::*]", "ecr:GetAuthorizationToken has no resource scope."),
        )
        for group in (self.api_logs, self.worker_logs):
            group.grant_write(self.execution_role)

        # The services' own user; during a first deploy's bootstrap (config), the master
        # until the migration task has created it.
        services_db = (
            deps.database_secret if config.database_bootstrap else deps.database_app_secret
        )
        self.services_database_user = "owner" if config.database_bootstrap else "app"
        env = environment.shared(deps, services_db, Stack.of(self).region, net.vpc.vpc_cidr_block)
        self.api_role = roles.task_role(
            self,
            "ApiRole",
            "api: presign uploads, sign playback, read secrets",
            deps.videos,
            [
                services_db,
                deps.session_secret,
                deps.mail_link_secret,
                deps.cloudfront_key_secret,
            ],
        )
        self.worker_role = roles.task_role(
            self,
            "WorkerRole",
            "worker: read originals, write derived assets",
            deps.videos,
            [services_db, deps.mail_link_secret],
        )
        roles.allow_videos(
            self.api_role, deps.videos, roles.API_OBJECT_ACTIONS, roles.API_BUCKET_ACTIONS
        )
        roles.allow_videos(
            self.worker_role, deps.videos, roles.WORKER_OBJECT_ACTIONS, roles.WORKER_BUCKET_ACTIONS
        )

        # Neither service migrates on start: `practika infra deploy` runs the migration task
        # below (same image, `practika migrate`) and updates the services only once it has
        # succeeded. (Alembic still takes its advisory lock, so a hand-run migration cannot
        # race it.)
        self.migrate_role = roles.migrate_role(self, deps.database_secret, deps.database_app_secret)
        self.migration = task_definition(
            self,
            "Migrate",
            image=self._image(migration_image_tag),
            execution_role=self.execution_role,
            role=self.migrate_role,
            logs_group=self.api_logs,
            command=("migrate",),
            env=environment.migration(env, deps),
            cpu=256,
            memory=512,
            stop_timeout=MIGRATE_STOP_TIMEOUT,
        )
        self.api = self._service(
            "Api",
            API,
            role=self.api_role,
            logs_group=self.api_logs,
            env=environment.api(env, deps, config),
            cpu=config.api_cpu,
            memory=config.api_memory,
        )
        self.worker = self._service(
            "Worker",
            WORKER,
            role=self.worker_role,
            logs_group=self.worker_logs,
            env=environment.worker(env),
            cpu=config.worker_cpu,
            memory=config.worker_memory,
            ephemeral_gib=60,  # originals of several GB plus their rendition
        )
        self.target_group = listener.add_targets(
            "Api",
            port=APP_PORT,
            protocol=elbv2.ApplicationProtocol.HTTP,
            targets=[self.api.service],
            deregistration_delay=Duration.seconds(30),
            health_check=elbv2.HealthCheck(
                path="/readyz",
                healthy_http_codes="200",
                interval=Duration.seconds(15),
                timeout=Duration.seconds(5),
                healthy_threshold_count=2,
                unhealthy_threshold_count=3,
            ),
        )
        self._autoscale(config)

    def _image(self, tag: str) -> ecs.ContainerImage:
        return ecs.ContainerImage.from_ecr_repository(self.repository, tag)

    def _service(
        self,
        id: str,
        spec: ServiceSpec,
        *,
        role: iam.Role,
        logs_group: logs.LogGroup,
        env: dict[str, str],
        cpu: int,
        memory: int,
        ephemeral_gib: int | None = None,
    ) -> ServiceParts:
        task, app = task_definition(
            self,
            id,
            image=self._image(self.image_tag),
            execution_role=self.execution_role,
            role=role,
            logs_group=logs_group,
            command=spec.command,
            env={**env, "PRACTIKA_SHUTDOWN_GRACE_SECONDS": str(spec.shutdown_grace)},
            cpu=cpu,
            memory=memory,
            stop_timeout=spec.stop_timeout,
            ephemeral_gib=ephemeral_gib,
            probe=spec.probe,
        )
        return fargate_service(self, id, spec, task, app, cluster=self.cluster, net=self.net)

    def _autoscale(self, config: EnvConfig) -> None:
        api = self.api.service.auto_scale_task_count(
            min_capacity=config.api_min_tasks, max_capacity=config.api_max_tasks
        )
        api.scale_on_cpu_utilization("Cpu", target_utilization_percent=60)
        api.scale_on_request_count(
            "Requests", requests_per_target=3000, target_group=self.target_group
        )
        worker = self.worker.service.auto_scale_task_count(
            min_capacity=config.worker_min_tasks, max_capacity=config.worker_max_tasks
        )
        worker.scale_on_cpu_utilization("Cpu", target_utilization_percent=70)
        # Videos waiting is the signal users feel; CPU lags behind a burst of uploads.
        worker.scale_on_metric(
            "Backlog",
            metric=cloudwatch.Metric(
                namespace="Practika",
                metric_name="JobQueueDepth",
                dimensions_map={"Service": "worker"},
                statistic="Maximum",
                period=Duration.minutes(1),
            ),
            scaling_steps=[
                appscaling.ScalingInterval(upper=0, change=0),
                appscaling.ScalingInterval(lower=2, change=+1),
                appscaling.ScalingInterval(lower=10, change=+3),
            ],
            adjustment_type=appscaling.AdjustmentType.CHANGE_IN_CAPACITY,
        )


__all__ = ["Compute", "Dependencies", "ServiceParts", "image_repository"]
