"""Practice threads and the attempts inside them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, with_expression
from sqlalchemy.orm.attributes import set_committed_value

from practika.domain import access
from practika.domain.base import utcnow
from practika.domain.errors import Conflict, Forbidden, Invalid, NotFound
from practika.domain.notifications import NotificationKind
from practika.domain.threads import Attempt, PracticeThread, ThreadStatus
from practika.domain.users import User
from practika.domain.videos import Video, VideoStatus
from practika.services import exercises, videos
from practika.services.notifications import notify
from practika.services.pagination import Page, keyset_page

NO_SUCH_THREAD = "No such practice thread."  # also for a thread the actor may not see


async def get_visible(
    db: AsyncSession, actor: User | None, thread_id: uuid.UUID, *, with_exercise: bool = True
) -> PracticeThread:
    """The thread if the actor may see it; `with_exercise=False` skips loading the exercise
    (its author and tags too) for use cases that only need the thread's own columns."""
    stmt = (
        select(PracticeThread)
        .where(PracticeThread.id == thread_id, access.thread_visible(actor))
        .options(with_expression(PracticeThread.read_only, access.thread_read_only()))
    )
    if with_exercise:
        stmt = stmt.options(joinedload(PracticeThread.exercise))
    thread = await db.scalar(stmt)
    if thread is None:
        raise NotFound(NO_SUCH_THREAD)
    return thread


def ensure_writable(thread: PracticeThread) -> None:
    """Refuse new attempts and comments on read-only history (access.thread_read_only)."""
    if thread.read_only:
        raise Conflict(
            "This thread is read-only history: the coaching link behind its private "
            "exercise has ended. What was said stays readable; nothing can be added.",
            code="thread_read_only",
        )


def touch(thread: PracticeThread, actor: User) -> None:
    """Record activity, which drives the coach's "awaiting feedback" inbox."""
    now = utcnow()
    thread.last_activity_at = now
    if actor.id == thread.learner_id:
        thread.last_learner_activity_at = now
    elif actor.id == thread.coach_id:
        thread.last_coach_activity_at = now


async def open_thread(db: AsyncSession, actor: User, exercise_id: uuid.UUID) -> PracticeThread:
    """Open the learner's one thread on an exercise; a second one is a conflict."""
    exercise = await exercises.get_visible(db, actor, exercise_id)
    if exercise.author_id == actor.id:
        raise Invalid("You coach this exercise; learners open practice threads on it.")
    existing = await db.scalar(
        select(PracticeThread.id).where(
            PracticeThread.learner_id == actor.id, PracticeThread.exercise_id == exercise.id
        )
    )
    if existing:
        raise Conflict(
            "You already have a practice thread for this exercise.",
            {"thread_id": str(existing)},
            code="thread_exists",
        )
    thread = PracticeThread(
        learner_id=actor.id, exercise_id=exercise.id, coach_id=exercise.author_id
    )
    db.add(thread)
    try:
        await db.commit()
    except IntegrityError as exc:  # a concurrent open won the unique constraint
        await db.rollback()
        raise Conflict(
            "You already have a practice thread for this exercise.", code="thread_exists"
        ) from exc
    return await get_visible(db, actor, thread.id)


@dataclass
class ThreadFilter:
    role: str | None = None  # "learner" | "coach" | None (both)
    exercise_id: uuid.UUID | None = None
    status: ThreadStatus | None = None
    awaiting_feedback: bool | None = None


async def list_threads(
    db: AsyncSession, actor: User, filters: ThreadFilter, *, cursor: str | None, limit: int
) -> Page[PracticeThread]:
    stmt = (
        select(PracticeThread)
        .options(
            joinedload(PracticeThread.exercise),
            with_expression(PracticeThread.read_only, access.thread_read_only()),
        )
        .where(access.thread_visible(actor))
    )
    if filters.role == "learner":
        stmt = stmt.where(PracticeThread.learner_id == actor.id)
    elif filters.role == "coach":
        stmt = stmt.where(PracticeThread.coach_id == actor.id)
    if filters.exercise_id:
        stmt = stmt.where(PracticeThread.exercise_id == filters.exercise_id)
    if filters.status:
        stmt = stmt.where(PracticeThread.status == filters.status)
    if filters.awaiting_feedback is not None:
        awaiting = and_(
            PracticeThread.last_learner_activity_at.is_not(None),
            or_(
                PracticeThread.last_coach_activity_at.is_(None),
                PracticeThread.last_coach_activity_at < PracticeThread.last_learner_activity_at,
            ),
        )
        stmt = stmt.where(awaiting if filters.awaiting_feedback else ~awaiting)
    return await keyset_page(
        db,
        stmt,
        sort=PracticeThread.last_activity_at,
        row_id=PracticeThread.id,
        cursor=cursor,
        limit=limit,
    )


async def set_status(
    db: AsyncSession, actor: User, thread_id: uuid.UUID, status: ThreadStatus
) -> PracticeThread:
    thread = await get_visible(db, actor, thread_id)
    read_only = thread.read_only
    thread.status = status
    await db.commit()
    # The flush forgets the loaded expression; it did not change, so put it back.
    set_committed_value(thread, "read_only", read_only)
    return thread


# Attempts


async def add_attempt(
    db: AsyncSession,
    actor: User,
    thread_id: uuid.UUID,
    *,
    video_id: uuid.UUID,
    notes: str,
    recorded_at: datetime | None,
) -> Attempt:
    thread = await get_visible(db, actor, thread_id)
    if not access.can_add_attempt(actor, thread):
        raise Forbidden("Only the learner of this thread can add attempts.")
    ensure_writable(thread)
    if thread.status == ThreadStatus.ARCHIVED:
        raise Conflict(
            "This thread is archived; reopen it to add attempts.", code="thread_archived"
        )
    video = await db.scalar(select(Video).where(Video.id == video_id, access.video_owned(actor)))
    if video is None:
        raise Invalid("The attempt's video must be one you uploaded.", {"field": "video_id"})
    if video.status == VideoStatus.FAILED:
        raise Invalid(
            f"That video could not be processed: {video.failure_reason}", {"field": "video_id"}
        )
    attempt = Attempt(thread_id=thread.id, video_id=video.id, notes=notes, recorded_at=recorded_at)
    db.add(attempt)
    touch(thread, actor)
    notify(
        db,
        thread.coach_id,
        NotificationKind.ATTEMPT,
        thread_id=thread.id,
        exercise_id=thread.exercise_id,
        learner_name=actor.display_name,
    )
    try:
        await db.commit()
    except IntegrityError as exc:
        await db.rollback()
        raise Conflict("That video is already an attempt.", {"field": "video_id"}) from exc
    return await get_attempt(db, actor, attempt.id)


async def get_attempt(db: AsyncSession, actor: User | None, attempt_id: uuid.UUID) -> Attempt:
    attempt = await db.scalar(
        select(Attempt)
        .options(joinedload(Attempt.video))
        .join(PracticeThread, PracticeThread.id == Attempt.thread_id)
        .where(Attempt.id == attempt_id, access.thread_visible(actor))
    )
    if attempt is None:
        raise NotFound("No such attempt.")
    return attempt


async def list_attempts(
    db: AsyncSession, actor: User, thread_id: uuid.UUID, *, cursor: str | None, limit: int
) -> Page[Attempt]:
    await get_visible(db, actor, thread_id)
    stmt = select(Attempt).options(joinedload(Attempt.video)).where(Attempt.thread_id == thread_id)
    return await keyset_page(
        db, stmt, sort=Attempt.created_at, row_id=Attempt.id, cursor=cursor, limit=limit
    )


async def update_attempt(
    db: AsyncSession, actor: User, attempt_id: uuid.UUID, changes: dict[str, object]
) -> Attempt:
    attempt = await get_attempt(db, actor, attempt_id)
    thread = await get_visible(db, actor, attempt.thread_id)
    if not access.can_add_attempt(actor, thread):
        raise Forbidden("Only the learner can edit an attempt's notes.")
    for name, value in changes.items():
        setattr(attempt, name, value)
    await db.commit()
    return attempt


async def delete_attempt(db: AsyncSession, actor: User, attempt_id: uuid.UUID) -> Video:
    """Delete an attempt and its video row; returns the video so its objects can be removed."""
    attempt = await get_attempt(db, actor, attempt_id)
    thread = await get_visible(db, actor, attempt.thread_id)
    if not access.can_delete_attempt(actor, thread):
        raise Forbidden("Only the learner can delete an attempt.")
    video = attempt.video
    await db.delete(attempt)
    await videos.remove(db, [video])  # its objects go with it, via a queued job
    await db.commit()
    return video
