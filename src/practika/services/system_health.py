"""The admin's view of what went wrong: failed jobs and videos, with a retry, and mail."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from practika.config import Settings
from practika.domain import access
from practika.domain.base import utcnow
from practika.domain.errors import Conflict, Forbidden, NotFound
from practika.domain.jobs import Job, JobStatus
from practika.domain.users import User
from practika.domain.videos import Video, VideoStatus
from practika.services.mail import SEND_EMAIL

LIMIT = 50


def _require(actor: User) -> None:
    if not access.sees_system_health(actor):
        raise Forbidden("Only admins can do this.")


async def overview(db: AsyncSession, settings: Settings, actor: User) -> dict[str, object]:
    _require(actor)
    failed_jobs = list(
        await db.scalars(
            select(Job)
            .where(Job.status == JobStatus.FAILED)
            .order_by(Job.updated_at.desc())
            .limit(LIMIT)
        )
    )
    failed_videos = list(
        await db.scalars(
            select(Video)
            .where(Video.status == VideoStatus.FAILED)
            .order_by(Video.updated_at.desc())
            .limit(LIMIT)
        )
    )

    async def mail_count(*where: Any) -> int:
        return int(await db.scalar(select(func.count()).where(Job.kind == SEND_EMAIL, *where)) or 0)

    day_ago = utcnow() - timedelta(days=1)
    return {
        "failed_jobs": [
            {
                "id": j.id,
                "kind": j.kind,
                "message": (j.payload or {}).get("message") if j.kind == SEND_EMAIL else None,
                "attempts": j.attempts,
                "last_error": (j.last_error or "")[-1000:] or None,
                "updated_at": j.updated_at,
            }
            for j in failed_jobs
        ],
        "failed_videos": failed_videos,
        "mail": {
            "backend": settings.email_backend,
            "queued": await mail_count(Job.status.in_([JobStatus.QUEUED, JobStatus.RUNNING])),
            "failed": await mail_count(Job.status == JobStatus.FAILED),
            "sent_last_24h": await mail_count(
                Job.status == JobStatus.DONE, Job.updated_at >= day_ago
            ),
            "bounced_addresses": int(
                await db.scalar(select(func.count()).where(User.email_bounced_at.is_not(None))) or 0
            ),
        },
    }


async def retry_job(db: AsyncSession, actor: User, job_id: uuid.UUID) -> None:
    """Give a failed job a fresh set of attempts, due now."""
    _require(actor)
    job = await db.get(Job, job_id)
    if job is None:
        raise NotFound("No such job.")
    if job.status != JobStatus.FAILED:
        raise Conflict("Only a failed job can be retried.", code="job_not_failed")
    await db.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.FAILED)
        .values(status=JobStatus.QUEUED, attempts=0, run_after=utcnow(), locked_until=None)
    )
    await db.commit()
