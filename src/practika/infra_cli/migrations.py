"""The deploy's migration step: `practika migrate` as a one-off ECS task of the new image,
which must exit 0 before the services move to that image."""

from __future__ import annotations

import typer

from practika.infra_cli.common import aws, fail

# `aws ecs wait tasks-stopped` gives up after 10 minutes; a long migration gets this many.
MIGRATION_WAITS = 12


def run_migrations(outputs: dict[str, str], region: str) -> None:
    """`practika migrate` as a one-off task of the new image; waits for it and stops the
    deploy unless it exited 0 (the services are still on the old image then)."""
    cluster = outputs["ClusterName"]
    task = _start_migration_task(outputs, region)
    typer.echo(f"migrating: task {task}")
    _wait_until_stopped(cluster, task, region)
    _, described, _ = aws(["ecs", "describe-tasks", "--cluster", cluster, "--tasks", task], region)
    [stopped] = described["tasks"]
    [container] = [c for c in stopped["containers"] if c["name"] == "app"]
    if container.get("exitCode") != 0:
        fail(
            f"the migration failed (exit {container.get('exitCode')}: "
            f"{stopped.get('stoppedReason', 'no reason given')}); the services still run "
            "the previous image. Its log: the api log group, stream prefix app/app/"
        )
    typer.echo("migration finished (exit 0)")


def _start_migration_task(outputs: dict[str, str], region: str) -> str:
    """The started task's ARN, in the services' private subnets and security group."""
    network = (
        f"awsvpcConfiguration={{subnets=[{outputs['ServiceSubnetIds']}],"
        f"securityGroups=[{outputs['ServiceSecurityGroupId']}],assignPublicIp=DISABLED}}"
    )
    code, started, err = aws(
        [
            "ecs",
            "run-task",
            "--cluster",
            outputs["ClusterName"],
            "--task-definition",
            outputs["MigrationTaskDefinitionArn"],
            "--launch-type",
            "FARGATE",
            "--count",
            "1",
            "--started-by",
            "practika-deploy",
            "--network-configuration",
            network,
        ],
        region,
    )
    if code != 0 or not (started or {}).get("tasks"):
        fail(f"could not start the migration task: {err.strip() or started}")
    return str(started["tasks"][0]["taskArn"])


def _wait_until_stopped(cluster: str, task: str, region: str) -> None:
    for _ in range(MIGRATION_WAITS):
        code, _, _ = aws(
            ["ecs", "wait", "tasks-stopped", "--cluster", cluster, "--tasks", task], region
        )
        if code == 0:
            return
    fail(f"the migration task {task} is still running; the services were not updated")
