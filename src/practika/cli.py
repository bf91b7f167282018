"""The `practika` command: serve, migrate, manage users, seed demo data, dump the API spec."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from practika.config import Settings

app = typer.Typer(
    help="Practika: movement-training videos with time-coded feedback.", no_args_is_help=True
)
console = Console()
T = TypeVar("T")


def _with_db(settings: Settings, work: Callable[[Any], Awaitable[T]]) -> T:
    from practika.db import create_engine, session_factory

    async def run() -> T:
        engine = create_engine(settings)
        try:
            async with session_factory(engine)() as db:
                return await work(db)
        finally:
            await engine.dispose()

    return asyncio.run(run())


@app.command()
def migrate() -> None:
    """Bring the database schema up to date (safe to run from several tasks at once)."""
    from practika.db import migrate as run_migrations

    settings = _settings_or_exit()
    run_migrations(settings)
    console.print("[green]database schema is up to date[/]")


def _settings_or_exit() -> Settings:
    """Settings checked at start: a wrong one stops here, naming the variable."""
    from practika.preflight import ConfigurationError, check, load_settings

    try:
        settings = load_settings()
        check(settings)
    except ConfigurationError as exc:
        console.print(f"[red]configuration error:[/] {exc}")
        raise typer.Exit(2) from None
    return settings


def _announce(settings: Settings, text: str, event: str, **fields: object) -> None:
    """A start-up line for a person, or one more JSON log event for CloudWatch."""
    if settings.log_format == "json":
        import structlog

        structlog.get_logger("practika.cli").info(event, **fields)
    else:
        console.print(text)


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

    settings = _settings_or_exit()
    practika_logging.configure(settings)
    if settings.migrate_on_start:
        run_migrations(settings)
    host = host or settings.host
    port = port or settings.port
    workers = workers or settings.workers
    where = f"SQLite {settings.data_dir.resolve()}" if settings.is_sqlite else "PostgreSQL"
    _announce(
        settings,
        f"Practika is listening on [bold]http://{host}:{port}[/] "
        f"(API docs at http://{host}:{port}/api/docs; database {where})",
        "listening",
        url=f"http://{host}:{port}",
        workers=workers,
    )
    if settings.email_backend == "outbox" and not settings.is_aws_mode:
        outbox = f"http://{host}:{port}/dev/outbox"
        _announce(settings, f"Mail goes to the outbox: [bold]{outbox}[/]", "outbox", url=outbox)
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


@app.command("create-user")
def create_user(
    email: str,
    display_name: Annotated[str, typer.Option("--name")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
    admin: Annotated[bool, typer.Option("--admin")] = False,
) -> None:
    """Create an account (optionally an admin)."""
    from practika.db import migrate as run_migrations
    from practika.domain.errors import DomainError
    from practika.security import Passwords

    settings = _settings_or_exit()
    run_migrations(settings)

    async def work(db: Any) -> None:
        from practika.services import auth

        user = await auth.create_user(
            db,
            Passwords(settings),
            email=email,
            password=password,
            display_name=display_name,
            is_admin=admin,
        )
        await db.commit()
        console.print(f"created {user.email} ({user.id}){' as admin' if admin else ''}")

    try:
        _with_db(settings, work)
    except DomainError as exc:
        console.print(f"[red]{exc.message}[/]")
        raise typer.Exit(1) from exc


@app.command("reset-link")
def reset_link(
    email: str,
    base_url: Annotated[
        str | None,
        typer.Option("--base-url", help="the web app's address, e.g. https://app.example.com"),
    ] = None,
) -> None:
    """Issue a single-use password-reset link for an account (earlier links stop working)."""
    from sqlalchemy import select

    from practika.db import migrate as run_migrations
    from practika.domain.errors import DomainError
    from practika.domain.users import User

    settings = _settings_or_exit()
    run_migrations(settings)

    async def work(db: Any) -> None:
        from practika.services import auth, password_resets

        user = await db.scalar(select(User).where(User.email == auth.normalize_email(email)))
        if user is None:
            raise DomainError(f"No account has the email {email}.")
        reset, token = await password_resets.issue(db, settings, user.id, issued_by=None)
        base = (base_url or f"http://{settings.host}:{settings.port}").rstrip("/")
        # Plain print: the link must stay on one line to be copied whole.
        print(f"{base}{password_resets.reset_path(token)}")
        console.print(
            f"single use, for {user.email}; expires {reset.expires_at:%Y-%m-%d %H:%M} UTC"
        )

    try:
        _with_db(settings, work)
    except DomainError as exc:
        console.print(f"[red]{exc.message}[/]")
        raise typer.Exit(1) from exc


@app.command("seed-demo")
def seed_demo(
    if_empty: Annotated[bool, typer.Option("--if-empty", help="do nothing if users exist")] = False,
) -> None:
    """Load a demo coach, learner, admin, exercises, a playlist and a thread with feedback."""
    from practika.db import migrate as run_migrations
    from practika.security import Passwords
    from practika.services import demo

    settings = _settings_or_exit()
    run_migrations(settings)

    async def work(db: Any) -> dict[str, str] | None:
        if not await demo.is_empty(db):
            return None
        return await demo.seed(db, Passwords(settings), settings)

    result = _with_db(settings, work)
    if result is None:
        console.print("demo data: the database already has users; left as it is")
        if not if_empty:
            raise typer.Exit(1)
        return
    console.print(
        f"demo data loaded. Sign in as [bold]{result['coach']}[/], "
        f"[bold]{result['learner']}[/] or [bold]{result['admin']}[/] "
        f"with password [bold]{result['password']}[/]"
    )


@app.command()
def worker() -> None:
    """Process videos: run queued media jobs until stopped (SIGTERM/SIGINT)."""
    from practika.db import migrate as run_migrations
    from practika.media.worker import serve as serve_worker
    from practika.observability import logging as practika_logging

    settings = _settings_or_exit()
    practika_logging.configure(settings)
    if settings.migrate_on_start:
        run_migrations(settings)
    _announce(
        settings, "Practika worker is processing media jobs (Ctrl-C to stop)", "worker started"
    )
    if asyncio.run(serve_worker(settings)):
        # A job was handed back mid-transcode; its thread cannot be interrupted and the
        # interpreter would wait for it. The job is safe in the queue: leave now.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


@app.command()
def upload(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    exercise: Annotated[
        str | None, typer.Option("--exercise", help="make it this exercise's reference video")
    ] = None,
    thread: Annotated[
        str | None, typer.Option("--thread", help="add it as an attempt to this thread")
    ] = None,
    server: Annotated[
        str, typer.Option(envvar="PRACTIKA_SERVER", help="the Practika API")
    ] = "http://127.0.0.1:8000",
    token: Annotated[
        str, typer.Option(envvar="PRACTIKA_TOKEN", help="a bearer token (sign in to get one)")
    ] = "",
    wait: Annotated[bool, typer.Option(help="wait for processing and print the result")] = True,
    parallel: Annotated[int, typer.Option(min=1, max=16, help="parts sent at once")] = 4,
) -> None:
    """Upload a video (resuming an interrupted upload of the same file), then attach it."""
    import httpx
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    from practika.media.uploader import Uploader, UploadFailed, default_state_dir

    if bool(exercise) == bool(thread):
        console.print("[red]give exactly one of --exercise ID or --thread ID[/]")
        raise typer.Exit(2)
    if not token:
        console.print("[red]a token is needed: --token or PRACTIKA_TOKEN[/]")
        raise typer.Exit(2)
    columns = (BarColumn(), DownloadColumn(), TransferSpeedColumn(), TimeRemainingColumn())
    with (
        httpx.Client(timeout=httpx.Timeout(60, connect=10)) as client,
        Progress("[progress.description]{task.description}", *columns, console=console) as progress,
    ):
        task = progress.add_task(f"uploading {file.name}", total=file.stat().st_size)
        uploader = Uploader(
            client,
            server.rstrip("/") + "/",
            token,
            default_state_dir(),
            parallel=parallel,
            on_progress=lambda n: progress.advance(task, n),
            on_total=lambda total, done: progress.update(task, total=total, completed=done),
        )
        try:
            video_id = uploader.upload(file)  # the type comes from the extension
            progress.update(task, description=f"processing {file.name}")
            video = uploader.wait(video_id) if wait else {"id": video_id, "status": "uploaded"}
            if video["status"] != "failed":
                uploader.attach(video_id, exercise=exercise, thread=thread)
        except (UploadFailed, httpx.HTTPError) as exc:
            progress.stop()
            console.print(f"[red]upload failed:[/] {exc} (run the same command again to resume)")
            raise typer.Exit(1) from exc
    if video["status"] == "failed":
        console.print(f"[red]video {video_id} failed:[/] {video.get('failure_reason')}")
        raise typer.Exit(1)
    facts = ", ".join(
        f"{k}={video[k]}"
        for k in ("status", "duration_ms", "width", "height", "video_codec", "audio_codec")
        if video.get(k) is not None
    )
    console.print(f"[green]video {video_id}[/] {facts}")


@app.command("reconcile-media")
def reconcile_media(
    delete: Annotated[bool, typer.Option("--delete", help="remove what is listed")] = False,
) -> None:
    """List stored objects and unfinished uploads no video accounts for, and videos
    attached to nothing for a day (and remove them)."""
    from practika.services import videos
    from practika.storage import StoragePort, build_storage

    settings = _settings_or_exit()
    storage = StoragePort(build_storage(settings))

    async def work(db: Any) -> Any:
        orphans = await videos.find_orphans(db, storage)
        if delete:
            await videos.remove_orphans(db, storage, orphans)
        return orphans

    orphans = _with_db(settings, work)
    for key in orphans.objects:
        print(f"object  {key}")
    for pending in orphans.uploads:
        print(
            f"upload  {pending.key} {pending.upload_id} "
            f"(started {pending.initiated:%Y-%m-%d %H:%M})"
        )
    for video in orphans.videos:
        changed = f"{video.updated_at:%Y-%m-%d %H:%M}"
        print(f"video   {video.id} {video.status.value} (unattached, last changed {changed})")
    verb = "removed" if delete else "found"
    console.print(
        f"{verb} {len(orphans.objects)} orphan objects, {len(orphans.uploads)} stale uploads, "
        f"{len(orphans.videos)} unattached videos"
    )


@app.command()
def reprocess(
    video_ids: Annotated[list[uuid.UUID], typer.Argument(help="ids of failed videos")],
) -> None:
    """Process failed videos again from their kept originals (a worker picks them up)."""
    from practika.services import videos
    from practika.storage import StoragePort, build_storage

    settings = _settings_or_exit()
    storage = StoragePort(build_storage(settings))
    result = _with_db(settings, lambda db: videos.reprocess(db, storage, video_ids))
    for video_id in result.queued:
        print(f"queued  {video_id}")
    for video_id, why in result.skipped.items():
        print(f"skipped {video_id}: {why}")
    if result.skipped:
        raise typer.Exit(1)


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


def _register_infra() -> None:
    from practika import infra_cli

    app.add_typer(infra_cli.app, name="infra")


_register_infra()

if __name__ == "__main__":
    app()
