"""A task definition (the app's container, and for a service the ADOT sidecar) and the
Fargate service that keeps it running."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Duration
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from constructs import Construct

from practika_infra.compute.specs import ServiceSpec
from practika_infra.nag import acknowledge, skip_cfn_lint
from practika_infra.networking import Networking

ADOT_IMAGE = "public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3"


@dataclass(frozen=True)
class ServiceParts:
    service: ecs.FargateService
    task: ecs.FargateTaskDefinition
    container: ecs.ContainerDefinition


def task_definition(
    scope: Construct,
    id: str,
    *,
    image: ecs.ContainerImage,
    execution_role: iam.IRole,
    role: iam.Role,
    logs_group: logs.LogGroup,
    command: tuple[str, ...],
    env: dict[str, str],
    cpu: int,
    memory: int,
    stop_timeout: int,
    ephemeral_gib: int | None = None,
    probe: str | None = None,
) -> tuple[ecs.FargateTaskDefinition, ecs.ContainerDefinition]:
    """A task definition running `command` in the image. With a `probe` (a service)
    the container is health-checked and an ADOT collector sidecar carries its
    traces; without (the one-off migration task) it is the app alone."""
    task = ecs.FargateTaskDefinition(
        scope,
        f"{id}Task",
        cpu=cpu,
        memory_limit_mib=memory,
        task_role=role,
        execution_role=execution_role,
        ephemeral_storage_gib=ephemeral_gib,
        runtime_platform=ecs.RuntimePlatform(
            cpu_architecture=ecs.CpuArchitecture.X86_64,
            operating_system_family=ecs.OperatingSystemFamily.LINUX,
        ),
    )
    app = task.add_container(
        "app",
        image=image,
        command=list(command),
        environment=env,
        logging=ecs.LogDrivers.aws_logs(stream_prefix="app", log_group=logs_group),
        stop_timeout=Duration.seconds(stop_timeout),
        essential=True,
        readonly_root_filesystem=False,  # transcoding writes to /tmp
        health_check=_health_check(["CMD", "python", "-c", probe], start_period=60)
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
    if probe is not None:
        _add_collector(task, app, logs_group)
    return task, app


def _health_check(command: list[str], *, start_period: int) -> ecs.HealthCheck:
    return ecs.HealthCheck(
        command=command,
        interval=Duration.seconds(30),
        timeout=Duration.seconds(5),
        retries=3,
        start_period=Duration.seconds(start_period),
    )


def _add_collector(
    task: ecs.FargateTaskDefinition, app: ecs.ContainerDefinition, logs_group: logs.LogGroup
) -> None:
    """The ADOT collector sidecar. Traces only (OTLP on 4318 → X-Ray): the app's metrics
    travel as EMF in its logs, so the collector needs X-Ray rights and nothing else."""
    collector = task.add_container(
        "otel",
        image=ecs.ContainerImage.from_registry(ADOT_IMAGE),
        command=["--config=/etc/ecs/ecs-xray.yaml"],
        logging=ecs.LogDrivers.aws_logs(stream_prefix="otel", log_group=logs_group),
        essential=False,  # losing traces must not take the service down
        memory_reservation_mib=128,
        health_check=_health_check(["CMD", "/healthcheck"], start_period=10),
    )
    # Started first, so the app's start-up spans have somewhere to go.
    app.add_container_dependencies(
        ecs.ContainerDependency(
            container=collector, condition=ecs.ContainerDependencyCondition.START
        )
    )


def fargate_service(
    scope: Construct,
    id: str,
    spec: ServiceSpec,
    task: ecs.FargateTaskDefinition,
    app: ecs.ContainerDefinition,
    *,
    cluster: ecs.ICluster,
    net: Networking,
) -> ServiceParts:
    """The service running `task` in the private subnets, rolled back by the circuit
    breaker when a deploy does not become healthy."""
    if spec.port is not None:
        app.add_port_mappings(ecs.PortMapping(container_port=spec.port))
    service = ecs.FargateService(
        scope,
        id,
        cluster=cluster,
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
