"""Mail does not wait behind media work: the worker runs quick mail in a lane of its own.

A sign-up's verification link is what someone is waiting for at their inbox; on the
embedded default one worker also transcodes and analyses every video, which takes
minutes. The test holds a media job running (it finishes only when told) that was due
before the mail: a worker with one queue would never get to the mail.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from practika.domain.base import utcnow
from practika.domain.jobs import Job, JobStatus
from practika.media import jobs
from practika.media import tasks as media_tasks
from tests.email.mailbox import Mailbox
from tests.support import Api, holding

HOLD = "hold_for_test"


def test_a_sign_up_mail_is_sent_while_a_long_media_job_runs(
    api: Api, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = api.signup("Waiting")  # queues the verification mail

    async def earlier_long_job(db: Any) -> None:
        job = jobs.enqueue(db, HOLD, {})
        job.run_after = utcnow() - timedelta(minutes=1)  # first in line
        await db.commit()

    api.run(earlier_long_job)
    worker = mailbox.worker()

    async def scenario() -> tuple[list[Any], JobStatus]:
        async with holding(worker, media_tasks.HANDLERS, HOLD, monkeypatch):
            arrived: list[Any] = []
            # Generous: what is asserted is that the mail comes at all while the long
            # job holds the media lane, not how fast.
            async with asyncio.timeout(120):
                while not any(person.email in str(m["To"]) for m in arrived):
                    arrived += await asyncio.to_thread(mailbox.arrived)
                    await asyncio.sleep(0.05)
            async with worker.ctx.sessions() as db:
                held = await db.scalar(select(Job.status).where(Job.kind == HOLD))
            return arrived, held

    arrived, held = api.client.portal.call(scenario)  # type: ignore[union-attr]
    assert held is JobStatus.RUNNING  # the media job was still running when the mail went
    assert [str(m["Subject"]) for m in arrived if person.email in str(m["To"])]
