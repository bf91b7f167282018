"""Running Practika: migrate, serve, the media worker, and the API spec."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from practika.cli.common import announce, app, console, settings_or_exit
from practika.config import Settings


@app.command()
def migrate() -> None:
    """Bring the database schema up to date (safe to run from several tasks at once)."""
    from practika.db import migrate as run_migrations

    settings = settings_or_exit("migrate")
    run_migrations(settings)
    console.print("[green]database schema is up to date[/]")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="overrides PRACTIKA_HOST")] = None,
    port: Annotated[int | None, typer.Option(help="overrides PRACTIKA_PORT")] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            help="server processes (default PRACTIKA_SERVER_WORKERS, else one per CPU in AWS "
            "mode and 1 on the embedded default)"
        ),
    ] = None,
) -> None:
    """Serve the API (and the web app, when built), migrating first if configured to."""
    from practika import server
    from practika.db import migrate as run_migrations
    from practika.observability import logging as practika_logging

    settings = settings_or_exit("api")
    practika_logging.configure(settings)
    if settings.migrate_on_start:
        run_migrations(settings)
    host = host or settings.host
    port = port or settings.port
    workers = workers or settings.workers
    where = f"SQLite {settings.data_dir.resolve()}" if settings.is_sqlite else "PostgreSQL"
    announce(
        settings,
        f"Practika is listening on [bold]http://{host}:{port}[/] "
        f"(API docs at http://{host}:{port}/api/docs; database {where})",
        "listening",
        url=f"http://{host}:{port}",
        workers=workers,
    )
    if settings.email_backend == "outbox" and not settings.is_aws_mode:
        outbox = f"http://{host}:{port}/dev/outbox"
        announce(settings, f"Mail goes to the outbox: [bold]{outbox}[/]", "outbox", url=outbox)
    config = server.PractikaConfig(
        "practika.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        http=server.GuardedHttpToolsProtocol,
        http_limits=server.HttpLimits(
            header_timeout_s=settings.http_header_timeout_seconds,
            body_idle_timeout_s=settings.http_body_idle_timeout_seconds,
            max_header_bytes=settings.http_max_header_bytes,
        ),
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        # Above the ALB's 60 s idle timeout (the default 75), so the ALB closes first.
        timeout_keep_alive=settings.http_keep_alive_seconds,
        timeout_graceful_shutdown=settings.shutdown_grace_seconds,
        # A worker process must answer the parent's health ping within this; uvicorn's 5 s
        # killed workers still starting on a busy host (spawn re-imports everything).
        timeout_worker_healthcheck=30,
        log_config=None,  # our structured logging (configured in create_app per process)
        log_level=settings.log_level.lower(),
        server_header=False,
    )
    server.run(config)


@app.command()
def worker() -> None:
    """Process videos: run queued media jobs until stopped (SIGTERM/SIGINT)."""
    from practika.db import migrate as run_migrations
    from practika.media.worker import serve as serve_worker
    from practika.observability import logging as practika_logging

    settings = settings_or_exit("worker")
    practika_logging.configure(settings)
    if settings.migrate_on_start:
        run_migrations(settings)
    announce(
        settings, "Practika worker is processing media jobs (Ctrl-C to stop)", "worker started"
    )
    if asyncio.run(serve_worker(settings)):
        # A job was handed back mid-transcode; its thread cannot be interrupted and the
        # interpreter would wait for it. The job is safe in the queue: leave now.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


@app.command()
def openapi(
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
) -> None:
    """Print (or write) the OpenAPI spec."""
    from practika.app import create_app

    spec = json.dumps(create_app(Settings()).openapi(), indent=2)
    if output:
        output.write_text(spec + "\n")
    else:
        print(spec)
