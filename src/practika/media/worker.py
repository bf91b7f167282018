"""The worker: claims jobs, runs their handlers, keeps leases alive, sweeps stale uploads.

`practika worker` runs one on its own; `practika serve` runs one inside the app
(embedded default). Several may run at once against the same database. Each worker runs
one job at a time per lane (LANES): media work, pose analysis and quick mail side by side.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
import traceback
import uuid
from typing import Any

from practika.analysis import tasks as analysis_tasks
from practika.analysis.queue import ANALYSE_VIDEO
from practika.domain.jobs import Job
from practika.media import exports as export_tasks
from practika.media import jobs
from practika.media import tasks as media_tasks
from practika.media.tasks import MediaContext
from practika.observability.metrics import metrics
from practika.services.mail import SEND_EMAIL
from practika.storage import scratch

log = logging.getLogger("practika.worker")
# Every stage's handlers, looked up when a job runs (not copied at import), so the media
# pipeline's and the movement analysis's tables stay the one place each is declared.
STAGES = (media_tasks, analysis_tasks, export_tasks)


def handler_for(kind: str) -> media_tasks.Handler | None:
    return next((stage.HANDLERS[kind] for stage in STAGES if kind in stage.HANDLERS), None)


def give_up_for(kind: str) -> Any:
    return next((stage.GIVE_UP[kind] for stage in STAGES if kind in stage.GIVE_UP), None)


# Mail is quick and someone is waiting for it (a sign-up's verification link, a reset):
# it has a loop of its own, so it never waits behind minutes of transcoding or analysis.
QUICK = jobs.Lane("quick", frozenset({SEND_EMAIL}))
# Pose analysis takes as long as a transcode and nobody's next step waits on it: its own
# loop, so the next upload is transcoded beside it instead of after it.
ANALYSIS = jobs.Lane("analysis", frozenset({ANALYSE_VIDEO}))
# Everything else; a video someone waits to see ready goes before exports queued earlier.
MEDIA = jobs.Lane(
    "media",
    QUICK.kinds | ANALYSIS.kinds,
    only=False,
    first=frozenset({media_tasks.PROCESS_VIDEO}),
)
LANES = (MEDIA, ANALYSIS, QUICK)

SWEEP_EVERY_SECONDS = 300.0
BACKLOG_EVERY_SECONDS = 30.0


class Worker:
    def __init__(self, ctx: MediaContext, worker_id: str | None = None) -> None:
        self.ctx = ctx
        self.id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.lease = ctx.settings.job_lease_seconds
        self.scratch = ctx.settings.resolved_work_dir
        # -inf, not 0: the first sweep runs at start even on a host up < 5 min (monotonic)
        self._last_sweep = float("-inf")
        self._last_backlog = float("-inf")
        self._last_mail_events = float("-inf")
        self._sqs: Any = None
        self.released: list[Job] = []  # jobs handed back unfinished at shutdown

    async def run_once(
        self, stop: asyncio.Event | None = None, lane: jobs.Lane | None = None
    ) -> bool:
        """Run one due job (of `lane`, else any) if there is one; True if a job was run
        (or handed back)."""
        async with self.ctx.sessions() as db:
            job = await jobs.claim(db, self.id, self.lease, lane)
        if job is None:
            return False
        if stop is None:
            await self._run(job)
        else:
            await self._run_or_release(job, stop)
        return True

    async def _run_or_release(self, job: Job, stop: asyncio.Event) -> None:
        """Run a job; if asked to stop, give it the grace period, then hand it back.

        ECS sends SIGTERM and kills the task when its stop timeout runs out. A job
        handed back is due again at once for another worker, instead of waiting for
        its lease to expire.
        """
        running = asyncio.create_task(self._run(job))
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if not running.done():
            grace = self.ctx.settings.shutdown_grace_seconds
            log.info("stopping: giving job %s (%s) %d s to finish", job.id, job.kind, grace)
            await asyncio.wait({running}, timeout=grace)
        if running.done():
            running.result()
            return
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
        async with self.ctx.sessions() as db:
            if await jobs.release(db, job.id, self.id):
                self.released.append(job)
                log.warning("stopping: handed job %s (%s) back unfinished", job.id, job.kind)

    async def run_until_idle(self, max_jobs: int = 1000) -> int:
        ran = 0
        while ran < max_jobs and await self.run_once():
            ran += 1
        return ran

    async def run_forever(self, stop: asyncio.Event) -> None:
        log.info("worker %s started", self.id)
        try:  # before any job: what a killed predecessor left in the scratch area goes
            await self.clean_scratch()
        except Exception:  # the database may be briefly away; the periodic sweep retries
            log.exception("cleaning the scratch area failed")
        await asyncio.gather(*(self._loop(stop, lane) for lane in LANES))
        log.info("worker %s stopped", self.id)

    async def _loop(self, stop: asyncio.Event, lane: jobs.Lane) -> None:
        """One lane's jobs, one at a time, until asked to stop; the periodic chores ride
        on the media lane's loop."""
        while not stop.is_set():
            try:
                if lane is MEDIA:
                    await self._chores()
                if await self.run_once(stop, lane):
                    continue
            except Exception:  # the database may be briefly away; keep the worker alive
                log.exception("worker loop error (%s lane)", lane.name)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.ctx.settings.worker_poll_seconds)

    async def _chores(self) -> None:
        if time.monotonic() - self._last_sweep > SWEEP_EVERY_SECONDS:
            self._last_sweep = time.monotonic()
            await self.sweep()
        if time.monotonic() - self._last_backlog > BACKLOG_EVERY_SECONDS:
            self._last_backlog = time.monotonic()
            await self.report_backlog()
        if (
            self.ctx.settings.ses_events_queue_url
            and time.monotonic() - self._last_mail_events
            > self.ctx.settings.ses_events_poll_seconds
        ):
            self._last_mail_events = time.monotonic()
            await self.read_mail_events()

    async def clean_scratch(self) -> list[str]:
        """Remove what killed workers left in the scratch area (a partial rendition, a
        downloaded original): folders of jobs no live lease holds, older than a lease."""
        async with self.ctx.sessions() as db:
            held = await jobs.held_leases(db)
        owned = [scratch.folder_name(job_id, holder) for job_id, holder in held]
        removed = await asyncio.to_thread(scratch.sweep, self.scratch, owned, self.lease)
        if removed:
            log.info("removed %d stale scratch folders: %s", len(removed), removed[:10])
        return removed

    async def read_mail_events(self) -> int:
        """Suppress the addresses SES reported as bounced or complained (SQS queue)."""
        from practika.aws.secrets import boto_client
        from practika.services import mail_events

        queue_url = self.ctx.settings.ses_events_queue_url
        if not queue_url:
            return 0
        if self._sqs is None:
            self._sqs = boto_client("sqs", self.ctx.settings)
        return await mail_events.poll(self.ctx.sessions, self._sqs, queue_url)

    async def report_backlog(self) -> None:
        async with self.ctx.sessions() as db:
            depth, waited = await jobs.backlog(db)
        metrics.gauge("JobQueueDepth", depth)
        metrics.gauge("JobQueueOldestSeconds", waited)

    async def sweep(self) -> None:
        from practika.services import uploads

        await self.clean_scratch()
        expired = await uploads.expire_stale(self.ctx)
        if expired:
            log.info("expired %d unfinished uploads", expired)

    async def _run(self, job: Job) -> None:
        handler = handler_for(job.kind)
        if job.attempts > self._max_attempts(job) or handler is None:
            # The lease ran out more often than we retry: its worker keeps dying on it.
            reason = "unknown job kind" if handler is None else "worker lost too often"
            await self._failed(job, reason, force=True)
            return
        beat = asyncio.create_task(self._heartbeat(job))
        try:
            with scratch.job_folder(self.scratch, job.id, self.id):
                await handler(self.ctx, job.payload)
        except Exception as exc:
            log.warning("job %s (%s) failed: %r", job.id, job.kind, exc)
            await self._failed(job, "".join(traceback.format_exception(exc))[-4000:])
            return
        finally:
            beat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beat
        async with self.ctx.sessions() as db:
            await jobs.finish(db, job.id)

    def _max_attempts(self, job: Job) -> int:
        return min(job.max_attempts, self.ctx.settings.job_max_attempts)

    async def _failed(self, job: Job, error: str, *, force: bool = False) -> None:
        limit = self._max_attempts(job)
        if force:
            job.attempts = max(job.attempts, limit)
        async with self.ctx.sessions() as db:
            gave_up = await jobs.fail(
                db, job, error, self.ctx.settings.job_retry_base_seconds, limit
            )
        metrics.count("JobFailures", Kind=job.kind)
        if gave_up:
            metrics.count("JobsGivenUp", Kind=job.kind)
        give_up = give_up_for(job.kind) if gave_up else None
        if give_up is not None:
            await give_up(self.ctx, job.payload, error)

    async def _heartbeat(self, job: Job) -> None:
        while True:
            await asyncio.sleep(self.lease / 3)
            async with self.ctx.sessions() as db:
                if not await jobs.extend_lease(db, job.id, self.id, self.lease):
                    log.warning("job %s was taken over by another worker", job.id)
                    return


async def serve(settings: object) -> bool:
    """Run a worker until SIGTERM/SIGINT (the `practika worker` command, the ECS worker).

    True if a job was handed back unfinished: its processing thread may still be
    running, and the caller should exit without waiting for it.
    """
    import signal

    from practika.config import Settings
    from practika.db import create_engine, session_factory
    from practika.observability import tracing
    from practika.observability.metrics import PeriodicFlusher
    from practika.storage import StoragePort, build_storage

    assert isinstance(settings, Settings)
    engine = create_engine(settings)
    tracing.configure(settings, engine=engine)
    metrics.service = "worker"
    flusher = PeriodicFlusher(
        metrics, settings.metrics_flush_seconds, settings.resolved_metrics_format
    )
    flusher.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    worker: Worker | None = None
    try:
        ctx = MediaContext(settings, session_factory(engine), StoragePort(build_storage(settings)))
        worker = Worker(ctx)
        await worker.run_forever(stop)
    finally:
        flusher.stop()
        tracing.flush()
        await engine.dispose()
    return bool(worker and worker.released)
