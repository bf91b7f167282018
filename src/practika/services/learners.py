"""A coach's view of one learner: their threads, attempts, sessions and progress."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from practika.db_reads import Reads
from practika.domain import access
from practika.domain.errors import NotFound
from practika.domain.practice import PracticeSession
from practika.domain.threads import Attempt, PracticeThread
from practika.domain.users import User
from practika.domain.videos import Video
from practika.services import progress, threads

RECENT_ATTEMPTS = 24
RECENT_SESSIONS = 30
THREADS = 100


@dataclass
class LearnerOverview:
    learner: User
    threads: list[PracticeThread]
    recent_attempts: list[Attempt]
    sessions: list[PracticeSession]
    progress: progress.Progress


async def overview(db: AsyncSession, actor: User, learner_id: uuid.UUID) -> LearnerOverview:
    """Everything a coach needs to know about a learner, counted over what the coach may
    see: their threads with this coach (all of them for an admin), sessions and progress."""
    learner = await db.scalar(
        select(User).where(User.id == learner_id, access.learner_viewable(actor))
    )
    if learner is None:
        raise NotFound("No such learner.")
    mine = (
        select(PracticeThread)
        .options(joinedload(PracticeThread.exercise))
        .where(PracticeThread.learner_id == learner.id, access.thread_visible(actor))
        .order_by(PracticeThread.last_activity_at.desc(), PracticeThread.id.desc())
        .limit(THREADS)
    )
    learner_threads = list((await db.scalars(mine)).unique())
    await threads.add_attempt_summaries(db, actor, learner_threads)
    attempts = list(
        await db.scalars(
            select(Attempt)
            .options(joinedload(Attempt.video))
            .join(PracticeThread, PracticeThread.id == Attempt.thread_id)
            .join(Video, Video.id == Attempt.video_id)
            .where(
                PracticeThread.learner_id == learner.id,
                access.thread_visible(actor),
                access.attempt_shown(actor),
            )
            .order_by(Attempt.created_at.desc(), Attempt.id.desc())
            .limit(RECENT_ATTEMPTS)
        )
    )
    sessions = list(
        await db.scalars(
            select(PracticeSession)
            .options(selectinload(PracticeSession.items))
            .where(access.session_of_learner(actor, learner.id))
            .order_by(PracticeSession.started_at.desc(), PracticeSession.id.desc())
            .limit(RECENT_SESSIONS)
        )
    )
    summary = await progress.summary(await Reads.of(db), learner, viewer=actor)
    return LearnerOverview(learner, learner_threads, attempts, sessions, summary)
