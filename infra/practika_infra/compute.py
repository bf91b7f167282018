"""The Compute group: ECR, the ECS Fargate cluster, the `api` and `worker` services.

Both services run the one image built from the project's Dockerfile; the api
sits behind the ALB, the worker claims media jobs from the database. Each gets
its own task role, scoped to what it touches.
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

from practika_infra.config import EnvConfig
from practika_infra.database import DB_NAME
from practika_infra.nag import LOG_GROUP_KMS, acknowledge, skip_cfn_lint, skip_checkov
from practika_infra.networking import APP_PORT, Networking

RDS_CA_BUNDLE = "/app/certs/rds-global-bundle.pem"
ADOT_IMAGE = "public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3"
VIDEO_PREFIX = "videos/*"

# What each process does with the videos bucket (src/practika/storage/s3.py), nothing
# more. No role may delete object versions: versioning is what makes deletes undoable.
# api: multipart uploads (create, presigned part PUTs and complete are s3:PutObject; list
# parts; abort) and the readiness probe's HeadBucket (s3:ListBucket). Playback URLs are
# CloudFront-signed, so it never reads objects.
API_OBJECT_ACTIONS = ("s3:PutObject", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload")
API_BUCKET_ACTIONS = ("s3:ListBucket",)
# worker: download originals, upload renditions, abort and delete a removed video's
# objects (listed first); `practika reconcile-media` runs as a worker task and also lists
# unfinished uploads.
WORKER_OBJECT_ACTIONS = (
    "s3:GetObject",
    "s3:PutObject",
    "s3:AbortMultipartUpload",
    "s3:DeleteObject",
)
WORKER_BUCKET_ACTIONS = ("s3:ListBucket", "s3:ListBucketMultipartUploads")
ECS_MAX_STOP_TIMEOUT = 120  # seconds: the most Fargate waits between SIGTERM and SIGKILL


@dataclass(frozen=True)
class ServiceSpec:
    """How one service runs: its command, whether it takes traffic, how ECS judges its
    health, and how long it gets to stop. ECS sends SIGTERM, waits `stop_timeout`, then
    SIGKILL: the app's own shutdown grace (PRACTIKA_SHUTDOWN_GRACE_SECONDS) is that wait
    minus `exit_margin`, the time it needs to hand work back and exit."""

    command: tuple[str, ...]
    probe: str  # the container health check, a Python one-liner
    stop_timeout: int
    exit_margin: int
    port: int | None = None  # the container port the ALB forwards to; None: no traffic
    health_check_grace: int | None = None  # seconds before the ALB's checks count

    @property
    def shutdown_grace(self) -> int:
        return self.stop_timeout - self.exit_margin


API = ServiceSpec(
    command=("serve",),
    probe=(
        f"import urllib.request as u; u.urlopen('http://127.0.0.1:{APP_PORT}/healthz', timeout=3)"
    ),
    stop_timeout=30,
    exit_margin=5,  # in-flight requests finish within the grace; then the process exits
    port=APP_PORT,
    health_check_grace=60,
)
WORKER = ServiceSpec(
    command=("worker",),
    probe="import os; os.kill(1, 0)",  # the worker has no port: its process is alive
    # ECS's maximum: a transcode gets 100 s to finish, then it is handed back.
    stop_timeout=ECS_MAX_STOP_TIMEOUT,
    exit_margin=20,
)
MIGRATE_STOP_TIMEOUT = 30


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
        env = {
            "PRACTIKA_DATABASE_HOST": deps.database.db_instance_endpoint_address,
            "PRACTIKA_DATABASE_PORT": deps.database.db_instance_endpoint_port,
            "PRACTIKA_DATABASE_NAME": DB_NAME,
            "PRACTIKA_DATABASE_SECRET_ARN": services_db.secret_arn,
            "PRACTIKA_DATABASE_SSL": "true",
            # verify-full against the RDS CA bundle the image ships (Dockerfile).
            "PRACTIKA_DATABASE_SSL_ROOT_CERT": RDS_CA_BUNDLE,
            "PRACTIKA_MAIL_LINK_SECRET_ARN": deps.mail_link_secret.secret_arn,
            "PRACTIKA_STORAGE_BACKEND": "s3",
            "PRACTIKA_S3_VIDEOS_BUCKET": deps.videos.bucket_name,
            "PRACTIKA_AWS_REGION": Stack.of(self).region,
            "PRACTIKA_LOG_FORMAT": "json",
            "PRACTIKA_TRACING": "true",
            "PRACTIKA_OTLP_ENDPOINT": "http://127.0.0.1:4318",
            "PRACTIKA_FORWARDED_ALLOW_IPS": net.vpc.vpc_cidr_block,
        }
        # Only the api signs sessions' CSRF tokens and playback URLs: the worker gets
        # neither key, nor the key pair's id (preflight.py checks per role).
        signing = {
            "PRACTIKA_SESSION_SECRET_ARN": deps.session_secret.secret_arn,
            "PRACTIKA_CLOUDFRONT_DOMAIN": deps.cloudfront_domain,
            "PRACTIKA_CLOUDFRONT_KEY_PAIR_ID": deps.cloudfront_key_pair_id,
            "PRACTIKA_CLOUDFRONT_PRIVATE_KEY_SECRET_ARN": deps.cloudfront_key_secret.secret_arn,
        }
        # The SPA (app.<domain>) calls the api (api.<domain>) with credentials: the api
        # allows that origin and scopes its cookies to the domain, so the SPA reads the
        # CSRF cookie too. Without a domain no browser app can call the HTTP-only ALB.
        cross_site = {"PRACTIKA_CORS_ORIGINS": deps.cors_origins}
        if config.has_domain:
            cross_site["PRACTIKA_COOKIE_DOMAIN"] = str(config.domain)
        self.api_role = self._task_role(
            "ApiRole",
            "api: presign uploads, sign playback, read secrets",
            deps,
            [
                services_db,
                deps.session_secret,
                deps.mail_link_secret,
                deps.cloudfront_key_secret,
            ],
        )
        self.worker_role = self._task_role(
            "WorkerRole",
            "worker: read originals, write derived assets",
            deps,
            [services_db, deps.mail_link_secret],
        )
        _allow_videos(self.api_role, deps.videos, API_OBJECT_ACTIONS, API_BUCKET_ACTIONS)
        _allow_videos(self.worker_role, deps.videos, WORKER_OBJECT_ACTIONS, WORKER_BUCKET_ACTIONS)

        # Neither service migrates on start: `practika infra deploy` runs the migration task
        # below (same image, `practika migrate`) and updates the services only once it has
        # succeeded. (Alembic still takes its advisory lock, so a hand-run migration cannot
        # race it.)
        self.migrate_role = iam.Role(
            self,
            "MigrateRole",
            assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"),
            description="migrate: the schema, as the database owner; nothing else",
        )
        # The owner's credentials to migrate, the app user's to provision it (db_users.py).
        deps.database_secret.grant_read(self.migrate_role)
        deps.database_app_secret.grant_read(self.migrate_role)
        database_only = {
            **{
                k: v
                for k, v in env.items()
                if k.startswith("PRACTIKA_DATABASE_")
                or k in ("PRACTIKA_AWS_REGION", "PRACTIKA_LOG_FORMAT")
            },
            "PRACTIKA_DATABASE_SECRET_ARN": deps.database_secret.secret_arn,
            "PRACTIKA_DATABASE_APP_SECRET_ARN": deps.database_app_secret.secret_arn,
        }
        self.migration = self._task(
            "Migrate",
            role=self.migrate_role,
            logs_group=self.api_logs,
            command=("migrate",),
            env={**database_only, "PRACTIKA_MIGRATE_ON_START": "false"},
            cpu=256,
            memory=512,
            stop_timeout=MIGRATE_STOP_TIMEOUT,
            tag=migration_image_tag,
        )
        self.api = self._service(
            "Api",
            API,
            role=self.api_role,
            logs_group=self.api_logs,
            env={
                **env,
                **signing,
                **cross_site,
                "PRACTIKA_SERVICE_ROLE": "api",
                "PRACTIKA_RUN_WORKER": "false",
                "PRACTIKA_MIGRATE_ON_START": "false",
                "PRACTIKA_HOST": "0.0.0.0",
                "PRACTIKA_SERVER_WORKERS": str(max(1, config.api_cpu // 1024)),
            },
            cpu=config.api_cpu,
            memory=config.api_memory,
            net=net,
        )
        self.worker = self._service(
            "Worker",
            WORKER,
            role=self.worker_role,
            logs_group=self.worker_logs,
            env={
                **env,
                "PRACTIKA_SERVICE_ROLE": "worker",
                "PRACTIKA_MIGRATE_ON_START": "false",
            },
            cpu=config.worker_cpu,
            memory=config.worker_memory,
            net=net,
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

    def _task_role(
        self,
        id: str,
        description: str,
        deps: Dependencies,
        secrets: list[secretsmanager.ISecret],
    ) -> iam.Role:
        role = iam.Role(
            self,
            id,
            assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"),
            description=description,
        )
        for secret in secrets:
            secret.grant_read(role)
        # No rds-db:connect: the tasks sign in with the secret's password, not IAM tokens.
        # The ADOT sidecar sends the tasks' traces to X-Ray.
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=[
                    "xray:PutTraceSegments",
                    "xray:PutTelemetryRecords",
                    "xray:GetSamplingRules",
                    "xray:GetSamplingTargets",
                ],
                resources=["*"],
            )
        )
        acknowledge(
            role,
            (
                "AwsSolutions-IAM5[Resource::*]",
                "X-Ray trace and sampling APIs, and ECS Exec's ssmmessages channel, have no "
                "resource-level permissions.",
            ),
            (
                f"AwsSolutions-IAM5[Resource::<{_logical(deps.videos)}.Arn>/videos/*]",
                "Scoped to the videos/ prefix of the one videos bucket: "
                "video ids are not known in advance.",
            ),
        )
        return role

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
        net: Networking,
        ephemeral_gib: int | None = None,
    ) -> ServiceParts:
        task, app = self._task(
            id,
            role=role,
            logs_group=logs_group,
            command=spec.command,
            env={**env, "PRACTIKA_SHUTDOWN_GRACE_SECONDS": str(spec.shutdown_grace)},
            cpu=cpu,
            memory=memory,
            stop_timeout=spec.stop_timeout,
            tag=self.image_tag,
            ephemeral_gib=ephemeral_gib,
            probe=spec.probe,
        )
        if spec.port is not None:
            app.add_port_mappings(ecs.PortMapping(container_port=spec.port))
        service = ecs.FargateService(
            self,
            id,
            cluster=self.cluster,
            task_definition=task,
            # No desired count: CloudFormation would reset the autoscaled count to it on
            # every deploy. Created at 1, autoscaling's minimum takes it from there.
            vpc_subnets=net.private_subnets,
            security_groups=[net.service_sg],
            assign_public_ip=False,
            circuit_breaker=ecs.DeploymentCircuitBreaker(enable=True, rollback=True),
            # `aws ecs execute-command` for operators (docs/operations.md); the task role
            # gets the SSM channel's four ssmmessages actions, nothing more.
            enable_execute_command=True,
            min_healthy_percent=100,
            max_healthy_percent=200,
            health_check_grace_period=(
                Duration.seconds(spec.health_check_grace)
                if spec.health_check_grace is not None
                else None
            ),
        )
        return ServiceParts(service, task, app)

    def _task(
        self,
        id: str,
        *,
        role: iam.Role,
        logs_group: logs.LogGroup,
        command: tuple[str, ...],
        env: dict[str, str],
        cpu: int,
        memory: int,
        stop_timeout: int,
        tag: str,
        ephemeral_gib: int | None = None,
        probe: str | None = None,
    ) -> tuple[ecs.FargateTaskDefinition, ecs.ContainerDefinition]:
        """A task definition running `command` in the image. With a `probe` (a service)
        the container is health-checked and an ADOT collector sidecar carries its
        traces; without (the one-off migration task) it is the app alone."""
        task = ecs.FargateTaskDefinition(
            self,
            f"{id}Task",
            cpu=cpu,
            memory_limit_mib=memory,
            task_role=role,
            execution_role=self.execution_role,
            ephemeral_storage_gib=ephemeral_gib,
            runtime_platform=ecs.RuntimePlatform(
                cpu_architecture=ecs.CpuArchitecture.X86_64,
                operating_system_family=ecs.OperatingSystemFamily.LINUX,
            ),
        )
        app = task.add_container(
            "app",
            image=ecs.ContainerImage.from_ecr_repository(self.repository, tag),
            command=list(command),
            environment=env,
            logging=ecs.LogDrivers.aws_logs(stream_prefix="app", log_group=logs_group),
            stop_timeout=Duration.seconds(stop_timeout),
            essential=True,
            readonly_root_filesystem=False,  # transcoding writes to /tmp
            health_check=ecs.HealthCheck(
                command=["CMD", "python", "-c", probe],
                interval=Duration.seconds(30),
                timeout=Duration.seconds(5),
                retries=3,
                start_period=Duration.seconds(60),
            )
            if probe is not None
            else None,
        )
        skip_cfn_lint(
            task.node.default_child,  # type: ignore[arg-type]
            "E1022",
            "The image URI joins a weak cross-stack reference (Fn::GetStackOutput, from the "
            "registry stack), newer than cfn-lint's schema for Fn::Join.",
        )
        acknowledge(
            task,
            (
                "AwsSolutions-ECS2",
                "Only non-secret settings are environment variables; secrets are read by ARN.",
            ),
        )
        if probe is None:
            return task, app
        # Traces only (OTLP on 4318 → X-Ray): the app's metrics travel as EMF in its logs,
        # so the collector needs X-Ray rights and nothing else.
        collector = task.add_container(
            "otel",
            image=ecs.ContainerImage.from_registry(ADOT_IMAGE),
            command=["--config=/etc/ecs/ecs-xray.yaml"],
            logging=ecs.LogDrivers.aws_logs(stream_prefix="otel", log_group=logs_group),
            essential=False,  # losing traces must not take the service down
            memory_reservation_mib=128,
            health_check=ecs.HealthCheck(
                command=["CMD", "/healthcheck"],
                interval=Duration.seconds(30),
                timeout=Duration.seconds(5),
                retries=3,
                start_period=Duration.seconds(10),
            ),
        )
        # Started first, so the app's start-up spans have somewhere to go.
        app.add_container_dependencies(
            ecs.ContainerDependency(
                container=collector, condition=ecs.ContainerDependencyCondition.START
            )
        )
        return task, app

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


@dataclass(frozen=True)
class ServiceParts:
    service: ecs.FargateService
    task: ecs.FargateTaskDefinition
    container: ecs.ContainerDefinition


def _logical(bucket: s3.IBucket) -> str:
    return Stack.of(bucket).get_logical_id(bucket.node.default_child)  # type: ignore[arg-type]


def _allow_videos(
    role: iam.Role, videos: s3.IBucket, objects: tuple[str, ...], bucket: tuple[str, ...]
) -> None:
    """Object actions under videos/ only, bucket actions on the bucket itself."""
    role.add_to_principal_policy(
        iam.PolicyStatement(actions=list(objects), resources=[videos.arn_for_objects(VIDEO_PREFIX)])
    )
    role.add_to_principal_policy(
        iam.PolicyStatement(actions=list(bucket), resources=[videos.bucket_arn])
    )
