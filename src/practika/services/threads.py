"""Practice threads and the attempts inside them."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, with_expression
from sqlalchemy.orm.attributes import set_committed_value

from practika.domain import access
from practika.domain.base import utcnow
from practika.domain.errors import Conflict, Forbidden, Invalid, NotFound
from practika.domain.exercises import Exercise
from practika.domain.notifications import NotificationKind
from practika.domain.threads import Attempt, PracticeThread, ThreadStatus
from practika.domain.users import User
from practika.domain.videos import Video, VideoPurpose, VideoStatus
from practika.services import exercises, videos
from practika.services.notifications import notify
from practika.services.pagination import Page, keyset_page
from practika.storage import StoragePort

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


async def add_attempt_summaries(
    db: AsyncSession, actor: User, threads: list[PracticeThread]
) -> None:
    """Set `attempt_count` and `latest_video` (the newest attempt's video the actor may
    see) on each thread, in two statements whatever the number of threads."""
    ids = [t.id for t in threads]
    counts: dict[uuid.UUID, int] = {}
    latest: dict[uuid.UUID, Video] = {}
    if ids:
        shown = (
            select(Attempt.thread_id, Attempt.video_id, Attempt.created_at)
            .join(PracticeThread, PracticeThread.id == Attempt.thread_id)
            .join(Video, Video.id == Attempt.video_id)
            .where(Attempt.thread_id.in_(ids), access.attempt_shown(actor))
            .subquery()
        )
        rows = await db.execute(select(shown.c.thread_id, func.count()).group_by(shown.c.thread_id))
        counts = {thread_id: n for thread_id, n in rows.all()}
        newest = (
            select(
                Attempt.thread_id,
                Attempt.video_id,
                func.row_number()
                .over(
                    partition_by=Attempt.thread_id,
                    order_by=(Attempt.created_at.desc(), Attempt.id.desc()),
                )
                .label("n"),
            )
            .join(Video, Video.id == Attempt.video_id)
            .where(Attempt.thread_id.in_(ids), Video.status == VideoStatus.READY)
            .subquery()
        )
        found = await db.execute(
            select(newest.c.thread_id, Video)
            .join(Video, Video.id == newest.c.video_id)
            .where(newest.c.n == 1)
        )
        latest = {thread_id: video for thread_id, video in found.all()}
    for thread in threads:
        thread.__dict__["attempt_count"] = counts.get(thread.id, 0)
        thread.__dict__["latest_video"] = latest.get(thread.id)


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


async def mark_reviewed(db: AsyncSession, actor: User, thread_id: uuid.UUID) -> PracticeThread:
    """The coach has looked and has nothing to add: the thread leaves the inbox."""
    thread = await get_visible(db, actor, thread_id)
    if not access.can_review_thread(actor, thread):
        raise Forbidden("Only the thread's coach marks it reviewed.")
    read_only = thread.read_only
    thread.last_coach_activity_at = utcnow()
    await db.commit()
    set_committed_value(thread, "read_only", read_only)  # as in set_status
    return thread


# Attempts
#
# An attempt exists from the moment the learner attaches their upload, but it is the
# coach's business only once its video is `ready`: that is when the coach is notified,
# the thread enters the "awaiting feedback" inbox and progress counts it. A failed
# video stays the learner's: they see why, and retry or delete it.

SNIPPET_CHARS = 140


def snippet(text: str) -> str:
    """The start of a text for a notification, cut at a word."""
    text = " ".join(text.split())
    if len(text) <= SNIPPET_CHARS:
        return text
    return text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + "…"


def _announce(
    db: AsyncSession,
    thread: PracticeThread,
    attempt: Attempt,
    *,
    learner_name: str,
    exercise_title: str,
) -> None:
    """The attempt is ready: the learner acted (the inbox) and the coach hears of it."""
    now = utcnow()
    thread.last_activity_at = now
    thread.last_learner_activity_at = now
    notify(
        db,
        thread.coach_id,
        NotificationKind.ATTEMPT,
        thread_id=thread.id,
        exercise_id=thread.exercise_id,
        exercise_title=exercise_title,
        attempt_id=attempt.id,
        video_id=attempt.video_id,
        learner_name=learner_name,
        snippet=snippet(attempt.notes),
    )


async def announce_ready_attempt(db: AsyncSession, video: Video) -> None:
    """Called by the worker in the transaction that makes `video` ready: if it is an
    attempt, announce it now (the learner attached it while it was processing)."""
    row = (
        await db.execute(
            select(Attempt, PracticeThread, Exercise.title, User.display_name)
            .join(PracticeThread, PracticeThread.id == Attempt.thread_id)
            .join(Exercise, Exercise.id == PracticeThread.exercise_id)
            .join(User, User.id == PracticeThread.learner_id)
            .where(Attempt.video_id == video.id)
        )
    ).one_or_none()
    if row is None:
        return
    attempt, thread, title, learner_name = row
    _announce(db, thread, attempt, learner_name=learner_name, exercise_title=title)


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
    # Locked against the worker's completion, so exactly one of us announces it.
    video = await db.scalar(
        select(Video).where(Video.id == video_id, access.video_owned(actor)).with_for_update()
    )
    if video is None:
        raise Invalid("The attempt's video must be one you uploaded.", {"field": "video_id"})
    if video.purpose != VideoPurpose.ATTEMPT:
        raise Invalid(
            "That upload is a comment's clip; upload the attempt as an attempt.",
            {"field": "video_id"},
        )
    if video.status == VideoStatus.FAILED:
        raise Invalid(
            f"That video could not be processed: {video.failure_reason}", {"field": "video_id"}
        )
    attempt = Attempt(thread_id=thread.id, video_id=video.id, notes=notes, recorded_at=recorded_at)
    db.add(attempt)
    if video.status == VideoStatus.READY:
        _announce(
            db,
            thread,
            attempt,
            learner_name=actor.display_name,
            exercise_title=thread.exercise.title,
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
        .join(Video, Video.id == Attempt.video_id)
        .where(Attempt.id == attempt_id, access.thread_visible(actor), access.attempt_shown(actor))
    )
    if attempt is None:
        raise NotFound("No such attempt.")
    return attempt


async def list_attempts(
    db: AsyncSession, actor: User, thread_id: uuid.UUID, *, cursor: str | None, limit: int
) -> Page[Attempt]:
    await get_visible(db, actor, thread_id, with_exercise=False)
    stmt = (
        select(Attempt)
        .options(joinedload(Attempt.video))
        .join(PracticeThread, PracticeThread.id == Attempt.thread_id)
        .join(Video, Video.id == Attempt.video_id)
        .where(Attempt.thread_id == thread_id, access.attempt_shown(actor))
    )
    return await keyset_page(
        db, stmt, sort=Attempt.created_at, row_id=Attempt.id, cursor=cursor, limit=limit
    )


async def update_attempt(
    db: AsyncSession, actor: User, attempt_id: uuid.UUID, changes: dict[str, object]
) -> Attempt:
    attempt = await get_attempt(db, actor, attempt_id)
    thread = await get_visible(db, actor, attempt.thread_id, with_exercise=False)
    if not access.can_edit_attempt(actor, thread):
        raise Forbidden("Only the learner can edit an attempt's notes.")
    for name, value in changes.items():
        setattr(attempt, name, value)
    await db.commit()
    return attempt


async def retry_attempt(
    db: AsyncSession,
    storage: StoragePort,
    actor: User,
    attempt_id: uuid.UUID,
    *,
    video_id: uuid.UUID | None,
) -> Attempt:
    """Try a failed attempt again: with a new upload (`video_id`) that replaces its video,
    or, without one, by processing its kept original again."""
    attempt = await get_attempt(db, actor, attempt_id)
    thread = await get_visible(db, actor, attempt.thread_id)
    if not access.can_edit_attempt(actor, thread):
        raise Forbidden("Only the learner can retry an attempt.")
    old = attempt.video
    if old.status != VideoStatus.FAILED:
        raise Conflict(
            f"Only a failed attempt is retried; this one is {old.status.value}.",
            {"status": old.status.value},
            code="attempt_not_failed",
        )
    if video_id is None:
        result = await videos.reprocess(db, storage, [old.id])
        if old.id in result.skipped:
            raise Conflict(
                f"It cannot be processed again: {result.skipped[old.id]}. Upload it again.",
                code="retry_needs_upload",
            )
        return await get_attempt(db, actor, attempt_id)
    new = await db.scalar(
        select(Video).where(Video.id == video_id, access.video_owned(actor)).with_for_update()
    )
    if new is None:
        raise Invalid("The attempt's video must be one you uploaded.", {"field": "video_id"})
    if new.status == VideoStatus.FAILED:
        raise Invalid(
            f"That video could not be processed: {new.failure_reason}", {"field": "video_id"}
        )
    if await videos.in_use(db, new.id):
        raise Conflict("That video is already in use.", {"field": "video_id"})
    attempt.video_id = new.id
    await db.flush()
    await videos.remove(db, [old])  # the failed one and its kept original go
    if new.status == VideoStatus.READY:
        _announce(
            db,
            thread,
            attempt,
            learner_name=actor.display_name,
            exercise_title=thread.exercise.title,
        )
    await db.commit()
    db.expunge(attempt)
    return await get_attempt(db, actor, attempt_id)


async def delete_attempt(db: AsyncSession, actor: User, attempt_id: uuid.UUID) -> Video:
    """Delete an attempt and its video row; returns the video so its objects can be removed."""
    attempt = await get_attempt(db, actor, attempt_id)
    thread = await get_visible(db, actor, attempt.thread_id, with_exercise=False)
    if not access.can_delete_attempt(actor, thread):
        raise Forbidden("Only the learner can delete an attempt.")
    video = attempt.video
    await db.delete(attempt)
    await videos.remove(db, [video])  # its objects go with it, via a queued job
    await db.commit()
    return video
