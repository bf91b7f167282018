"""Media from the command line: upload a video, reconcile storage, reprocess failures."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Annotated, Any

import typer

from practika.cli.common import app, console, settings_or_exit, with_db


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

    from practika.cli.upload_client import Uploader, UploadFailed, default_state_dir

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

    settings = settings_or_exit("worker")
    storage = StoragePort(build_storage(settings))

    async def work(db: Any) -> Any:
        orphans = await videos.find_orphans(db, storage)
        if delete:
            await videos.remove_orphans(db, storage, orphans)
        return orphans

    orphans = with_db(settings, work)
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

    settings = settings_or_exit()
    storage = StoragePort(build_storage(settings))
    result = with_db(settings, lambda db: videos.reprocess(db, storage, video_ids))
    for video_id in result.queued:
        print(f"queued  {video_id}")
    for video_id, why in result.skipped.items():
        print(f"skipped {video_id}: {why}")
    if result.skipped:
        raise typer.Exit(1)
