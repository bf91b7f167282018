"""How each process of the one image runs on ECS: its command, whether it takes traffic,
how ECS judges its health, and how long it gets to stop."""

from __future__ import annotations

from dataclasses import dataclass

from practika_infra.networking import APP_PORT

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
