"""The thread list (a learner's threads, a coach's inbox) as Core statements built once.

No ORM rows: a page of threads with their exercise, its tags and author, each thread's
attempt count and newest ready video, in one statement shaped straight into the
response's JSON. Every round trip costs more than the rows it brings (in AWS, a network
hop to the database), so a page is one. Access is `access.thread_visible` and
`access.attempt_shown` inside the statements.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, func, select

from practika.config import Settings
from practika.db_reads import Reads
from practika.domain import access
from practika.domain.exercises import Exercise
from practika.domain.threads import Attempt, PracticeThread, ThreadStatus
from practika.domain.users import User
from practika.domain.videos import Video, VideoStatus
from practika.readcache import topics
from practika.readcache.read import Read
from practika.services import pagination, shapes, thumbnails
from practika.storage import StoragePort

THREADS = PracticeThread.__table__.c
# Aliased: the read-only rule looks at the exercises table in a subquery of its own.
EXERCISE = Exercise.__table__.alias("shown_exercise")
AUTHOR = User.__table__.alias("author")
THREAD_COLUMNS = (
    "id",
    "learner_id",
    "coach_id",
    "status",
    "last_activity_at",
    "last_learner_activity_at",
    "last_coach_activity_at",
    "created_at",
)
EXERCISE_COLUMNS = tuple(f for f in shapes.EXERCISE_FIELDS if f != "tags")
LATEST = Video.__table__.alias("latest_video")  # each thread's newest ready attempt's


@dataclass
class ThreadFilter:
    role: str | None = None  # "learner" | "coach" | None (both)
    exercise_id: uuid.UUID | None = None
    learner_id: uuid.UUID | None = None
    status: ThreadStatus | None = None
    awaiting_feedback: bool | None = None
    # "recent": most recently active first; "waiting": waiting longest for feedback first.
    sort: str = "recent"


@dataclass(frozen=True)
class _Shape:
    """What varies between the statements of the list: one is built per shape, once."""

    dialect: str  # how the tags are aggregated
    admin: bool
    role: str | None
    by_exercise: bool
    by_learner: bool
    by_status: bool
    awaiting: bool | None
    waiting: bool
    after: bool


@cache
def _statement(shape: _Shape) -> Select[Any]:
    stmt = (
        select(
            *(THREADS[name] for name in THREAD_COLUMNS),
            *(EXERCISE.c[name].label(f"e_{name}") for name in EXERCISE_COLUMNS),
            AUTHOR.c.display_name.label("e_author_name"),
            access.thread_read_only().label("read_only"),
        )
        .join_from(PracticeThread.__table__, EXERCISE, EXERCISE.c.id == THREADS.exercise_id)
        .join(AUTHOR, AUTHOR.c.id == EXERCISE.c.author_id)
        .where(access.thread_visible(access.someone(admin=shape.admin)))
    )
    actor: Any = bindparam(access.ACTOR_ID)
    if shape.role == "learner":
        stmt = stmt.where(THREADS.learner_id == actor)
    elif shape.role == "coach":
        stmt = stmt.where(THREADS.coach_id == actor)
    if shape.by_exercise:
        stmt = stmt.where(THREADS.exercise_id == bindparam("exercise_id"))
    if shape.by_learner:
        stmt = stmt.where(THREADS.learner_id == bindparam("learner_id"))
    if shape.by_status:
        stmt = stmt.where(THREADS.status == bindparam("status"))
    awaiting = PracticeThread.awaiting_feedback
    if shape.awaiting is not None:
        stmt = stmt.where(awaiting if shape.awaiting else ~awaiting)
    if shape.waiting:
        sort, descending = THREADS.last_learner_activity_at, False
        stmt = stmt.where(awaiting)
    else:
        sort, descending = THREADS.last_activity_at, True
    if shape.after:
        stmt = stmt.where(pagination.after_clause(sort, THREADS.id, descending=descending))
    page, page_order = pagination.limited(stmt, sort, THREADS.id, descending=descending)
    # The page's summaries, computed for its rows only (after the limit): how many of
    # each thread's attempts the actor sees, and its newest ready attempt's video.
    shown = (
        select(func.count())
        .select_from(Attempt)
        .join(PracticeThread, PracticeThread.id == Attempt.thread_id)
        .join(Video, Video.id == Attempt.video_id)
        .where(Attempt.thread_id == page.c.id)
        .where(access.attempt_shown(access.someone(admin=shape.admin)))
        .correlate(page)
        .scalar_subquery()
    )
    newest = (
        select(Attempt.video_id)
        .join(Video, Video.id == Attempt.video_id)
        .where(Attempt.thread_id == page.c.id, Video.status == VideoStatus.READY)
        .order_by(Attempt.created_at.desc(), Attempt.id.desc())
        .limit(1)
        .correlate(page)
        .scalar_subquery()
    )
    return (
        select(
            page,
            shown.label("attempt_count"),
            shapes.tags_column(shape.dialect, page.c.e_id),
            *shapes.joined_video_columns(LATEST),
        )
        .select_from(page)
        .outerjoin(LATEST, LATEST.c.id == newest)
        .order_by(*page_order)
    )


def _shaped(row: Any, tags: list[str], count: int, video: dict[str, Any] | None) -> dict[str, Any]:
    exercise = {name: row[f"e_{name}"] for name in EXERCISE_COLUMNS}
    exercise["tags"] = tags
    exercise["author"] = {"id": row["e_author_id"], "display_name": row["e_author_name"]}
    exercise["reference_video"] = None
    if row["read_only"]:  # history keeps the exercise's title, not its instructions
        exercise["description"], exercise["reference_video_id"] = "", None
    learner_at, coach_at = row["last_learner_activity_at"], row["last_coach_activity_at"]
    awaiting = learner_at is not None and (coach_at is None or coach_at < learner_at)
    return {
        "id": row["id"],
        "learner_id": row["learner_id"],
        "coach_id": row["coach_id"],
        "exercise": exercise,
        "status": row["status"],
        "awaiting_feedback": awaiting,
        "read_only": bool(row["read_only"]),
        "last_activity_at": row["last_activity_at"],
        "waiting_since": learner_at if awaiting else None,
        "created_at": row["created_at"],
        "attempt_count": count,
        "latest_video": video,
    }


async def thread_list(
    db: Reads,
    actor: User,
    *,
    storage: StoragePort,
    settings: Settings,
    filters: ThreadFilter,
    cursor: str | None,
    limit: int,
) -> Read[dict[str, Any]]:
    """Threads the actor practises in or coaches, most recently active first (or waiting
    longest), each with its attempt count and newest ready attempt's poster."""
    waiting = filters.sort == "waiting"
    dialect = db.dialect
    shape = _Shape(
        dialect=dialect,
        admin=access.sees_every_thread(actor),
        role=filters.role,
        by_exercise=filters.exercise_id is not None,
        by_learner=filters.learner_id is not None,
        by_status=filters.status is not None,
        awaiting=filters.awaiting_feedback,
        waiting=waiting,
        after=bool(cursor),  # an empty cursor is the first page, as everywhere
    )
    params: dict[str, Any] = {
        access.ACTOR_ID: actor.id,
        pagination.LIMIT: limit + 1,
        "exercise_id": filters.exercise_id,
        "learner_id": filters.learner_id,
        "status": filters.status,
    }
    sort = "last_learner_activity_at" if waiting else "last_activity_at"
    if cursor:
        params |= pagination.after(cursor, THREADS[sort])
    rows = await db.rows(_statement(shape), params)
    page = rows[:limit]
    items: list[dict[str, Any]] = []
    for row in page:
        video = shapes.joined_video(row)
        shown = shapes.video_row(video, thumbnails.urls(storage, settings, video))
        tags = shapes.tags(dialect, row["tags"])
        items.append(_shaped(row, tags, row["attempt_count"], shown))
    # Its threads (and their attempts), their exercises and people, and the coach links
    # behind read-only history; an admin's list shows everyone's threads.
    read_from = [topics.CATALOG, topics.PEOPLE, topics.threads_of(actor.id), topics.links(actor.id)]
    read_from += [topics.thread(row["id"]) for row in page]
    # Attempts count by their videos' status: the learners' videos (and the posters shown).
    read_from += {topics.videos_of(row["learner_id"]) for row in page}
    if shape.admin:
        read_from.append(topics.ALL_THREADS)
    value = {
        "items": items,
        "next_cursor": pagination.next_cursor(list(rows), limit, sort, "id"),
    }
    # The posters' URLs expire: the cached answer goes before they do.
    return Read(value, tuple(read_from), max_age=thumbnails.cache_max_age(settings))
