"""The job queue in the database: enqueue in the caller's transaction, claim with a lease.

At-least-once: a job is done only when its handler returns and `finish` commits.
A worker that crashes leaves its job `running` with a lease in the past, and the
next claim takes it again. PostgreSQL claims with `FOR UPDATE SKIP LOCKED` so
workers never wait on each other; SQLite serialises writers, and the guarded
UPDATE makes the claim safe there too.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from practika.domain.base import utcnow
from practika.domain.jobs import Job, JobStatus

MAX_BACKOFF_SECONDS = 3600


def enqueue(db: AsyncSession, kind: str, payload: dict[str, Any], *, max_attempts: int = 5) -> Job:
    """Add a job to the session; it exists once the caller commits (with its own changes)."""
    job = Job(kind=kind, payload=payload, max_attempts=max_attempts, run_after=utcnow())
    db.add(job)
    return job


def _claimable(now: datetime) -> Any:
    return or_(
        and_(Job.status == JobStatus.QUEUED, Job.run_after <= now),
        and_(Job.status == JobStatus.RUNNING, Job.locked_until < now),
    )


@dataclass(frozen=True)
class Lane:
    """Which kinds of job one of a worker's loops takes: `kinds` alone, or (`only` False)
    every kind but those. A worker runs a loop per lane, so quick jobs are never queued
    behind a long one."""

    name: str
    kinds: frozenset[str]
    only: bool = True
    first: frozenset[str] = frozenset()  # kinds taken before the lane's others, when due

    def admits(self) -> Any:
        return Job.kind.in_(self.kinds) if self.only else Job.kind.not_in(self.kinds)

    def order(self) -> list[Any]:
        ahead = [case((Job.kind.in_(self.first), 0), else_=1)] if self.first else []
        return [*ahead, Job.run_after]


async def claim(
    db: AsyncSession, worker_id: str, lease_seconds: int, lane: Lane | None = None
) -> Job | None:
    """Take the next due job (or one whose worker's lease ran out) of `lane`, or None."""
    for _ in range(5):
        now = utcnow()
        job_id = await db.scalar(
            select(Job.id)
            .where(_claimable(now), *([lane.admits()] if lane else []))
            .order_by(*(lane.order() if lane else [Job.run_after]))
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if job_id is None:
            await db.commit()
            return None
        result = await db.execute(
            update(Job)
            .where(Job.id == job_id, _claimable(now))
            .values(
                status=JobStatus.RUNNING,
                attempts=Job.attempts + 1,
                locked_until=now + timedelta(seconds=lease_seconds),
                locked_by=worker_id,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        await db.commit()
        if result.rowcount == 1:  # type: ignore[attr-defined]
            return await db.get(Job, job_id, populate_existing=True)
    return None


async def extend_lease(
    db: AsyncSession, job_id: uuid.UUID, worker_id: str, lease_seconds: int
) -> bool:
    """Heartbeat: keep a long job's lease; False if another worker has taken it over."""
    result = await db.execute(
        update(Job)
        .where(Job.id == job_id, Job.locked_by == worker_id, Job.status == JobStatus.RUNNING)
        .values(locked_until=utcnow() + timedelta(seconds=lease_seconds))
        .execution_options(synchronize_session=False)
    )
    await db.commit()
    return result.rowcount == 1  # type: ignore[attr-defined]


async def held_leases(db: AsyncSession) -> list[tuple[uuid.UUID, str]]:
    """(job id, worker id) of every running job whose lease has not run out."""
    rows = await db.execute(
        select(Job.id, Job.locked_by).where(
            Job.status == JobStatus.RUNNING, Job.locked_until >= utcnow()
        )
    )
    await db.commit()
    return [(job_id, holder or "") for job_id, holder in rows.all()]


async def finish(db: AsyncSession, job_id: uuid.UUID) -> None:
    await db.execute(
        update(Job)
        .where(Job.id == job_id)
        .values(status=JobStatus.DONE, locked_until=None, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    await db.commit()


def backoff_seconds(attempts: int, base: float) -> float:
    return float(min(MAX_BACKOFF_SECONDS, base * 2 ** max(0, attempts - 1)))


async def fail(
    db: AsyncSession, job: Job, error: str, base_delay: float, max_attempts: int | None = None
) -> bool:
    """Record a failed run; retry later with exponential backoff. True if it gave up."""
    give_up = job.attempts >= min(job.max_attempts, max_attempts or job.max_attempts)
    now = utcnow()
    await db.execute(
        update(Job)
        .where(Job.id == job.id)
        .values(
            status=JobStatus.FAILED if give_up else JobStatus.QUEUED,
            run_after=now + timedelta(seconds=backoff_seconds(job.attempts, base_delay)),
            locked_until=None,
            last_error=error[:4000],
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    await db.commit()
    return give_up


async def release(db: AsyncSession, job_id: uuid.UUID, worker_id: str) -> bool:
    """Hand a running job back unfinished (the worker is stopping): it is due again at
    once, and the interrupted run does not count against its attempts."""
    now = utcnow()
    result = await db.execute(
        update(Job)
        .where(Job.id == job_id, Job.locked_by == worker_id, Job.status == JobStatus.RUNNING)
        .values(
            status=JobStatus.QUEUED,
            attempts=Job.attempts - 1,
            locked_until=None,
            run_after=now,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    await db.commit()
    return result.rowcount == 1  # type: ignore[attr-defined]


async def backlog(db: AsyncSession) -> tuple[int, float]:
    """Jobs due now and not taken, and how long the oldest has waited (seconds)."""
    now = utcnow()
    count, oldest = (
        await db.execute(
            select(func.count(), func.min(Job.run_after)).where(
                Job.status == JobStatus.QUEUED, Job.run_after <= now
            )
        )
    ).one()
    waited = (now - oldest).total_seconds() if oldest is not None else 0.0
    return int(count), max(0.0, waited)
