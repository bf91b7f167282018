"""Writing, publishing, finding and changing exercises."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import and_, bindparam, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from practika.config import Settings
from practika.db_reads import Reads
from practika.domain import access
from practika.domain.base import utcnow
from practika.domain.errors import Conflict, Forbidden, Invalid, NotFound
from practika.domain.exercises import Difficulty, Exercise, ExerciseTag, Visibility
from practika.domain.threads import Attempt, PracticeThread
from practika.domain.users import User
from practika.domain.videos import Video, VideoPurpose, VideoStatus
from practika.readcache import topics
from practika.readcache.read import Read
from practika.services import exercise_search, pagination, shapes, thumbnails
from practika.storage import StoragePort

MAX_TAGS = 20
like_pattern = exercise_search.like_pattern  # admin's user search escapes alike


def normalize_tags(tags: list[str], field: str = "tags") -> list[str]:
    """`field` names the input in a refusal: `tags` of a body, `tag` of a search."""
    clean = sorted({t.strip().lower() for t in tags if t.strip()})
    if len(clean) > MAX_TAGS:
        raise Invalid(f"Use at most {MAX_TAGS} tags.", {"field": field})
    if any(len(t) > 40 for t in clean):
        raise Invalid("Tags are at most 40 characters long.", {"field": field})
    return clean


@dataclass
class ExerciseFilter:
    q: str | None = None
    tags: list[str] = field(default_factory=list)
    category: str | None = None
    difficulty: Difficulty | None = None
    author_id: uuid.UUID | None = None
    visibility: Visibility | None = None


async def get_visible(db: AsyncSession, actor: User | None, exercise_id: uuid.UUID) -> Exercise:
    exercise = await db.scalar(
        select(Exercise).where(Exercise.id == exercise_id, access.exercise_visible(actor))
    )
    if exercise is None:
        raise NotFound("No such exercise.")
    return exercise


async def get_managed(db: AsyncSession, actor: User, exercise_id: uuid.UUID) -> Exercise:
    exercise = await get_visible(db, actor, exercise_id)
    if not access.can_manage_exercise(actor, exercise):
        raise Forbidden("Only the exercise's author can change it.")
    return exercise


async def _check_reference_video(db: AsyncSession, actor: User, video_id: uuid.UUID) -> None:
    video = await db.scalar(select(Video).where(Video.id == video_id, access.video_owned(actor)))
    if video is None or video.purpose != VideoPurpose.ATTEMPT:
        raise Invalid(
            "The reference video must be one you uploaded.", {"field": "reference_video_id"}
        )
    if video.status == VideoStatus.FAILED:
        raise Invalid(
            f"That video could not be processed ({video.failure_reason}); upload another.",
            {"field": "reference_video_id"},
        )


async def create_exercise(
    db: AsyncSession,
    actor: User,
    *,
    title: str,
    description: str,
    category: str,
    difficulty: Difficulty,
    visibility: Visibility,
    tags: list[str],
    reference_video_id: uuid.UUID | None,
) -> Exercise:
    if reference_video_id:
        await _check_reference_video(db, actor, reference_video_id)
    exercise = Exercise(
        author_id=actor.id,
        title=title.strip(),
        description=description,
        category=category,
        difficulty=difficulty,
        visibility=visibility,
        reference_video_id=reference_video_id,
        tag_rows=[ExerciseTag(tag=t) for t in normalize_tags(tags)],
    )
    exercise.search_document = exercise.document()
    db.add(exercise)
    await db.commit()
    return exercise


async def update_exercise(
    db: AsyncSession, actor: User, exercise_id: uuid.UUID, changes: dict[str, object]
) -> Exercise:
    exercise = await get_managed(db, actor, exercise_id)
    if changes.get("reference_video_id"):
        await _check_reference_video(db, actor, changes["reference_video_id"])  # type: ignore[arg-type]
    previous = exercise.reference_video_id
    if "tags" in changes:
        wanted = normalize_tags(changes.pop("tags"))  # type: ignore[arg-type]
        exercise.tag_rows = [ExerciseTag(tag=t) for t in wanted]
    for name, value in changes.items():
        if name == "title" and isinstance(value, str):
            value = value.strip()
        setattr(exercise, name, value)
    exercise.search_document = exercise.document()
    if previous is not None and exercise.reference_video_id != previous:
        await _drop_unused_video(db, previous)
    await db.commit()
    await db.refresh(exercise)
    return exercise


async def _drop_unused_video(db: AsyncSession, video_id: uuid.UUID) -> None:
    """A reference video no longer shown by its exercise (replaced, cleared, or the
    exercise deleted) goes, unless an exercise or attempt still shows it or comments point
    at it; in the caller's transaction."""
    from practika.services import videos

    await db.flush()  # the exercise no longer points at it
    video = await db.get(Video, video_id)
    if video is not None and not await videos.in_use(db, video_id):
        await videos.remove(db, [video])


async def delete_exercise(db: AsyncSession, actor: User, exercise_id: uuid.UUID) -> None:
    """Remove the exercise, its threads' attempt videos and its reference video (if unshared)."""
    from practika.services import videos

    exercise = await get_managed(db, actor, exercise_id)
    attempt_videos = select(Attempt.video_id).join(
        PracticeThread, PracticeThread.id == Attempt.thread_id
    )
    doomed = list(
        await db.scalars(
            select(Video).where(
                Video.id.in_(attempt_videos.where(PracticeThread.exercise_id == exercise.id))
            )
        )
    )
    reference = exercise.reference_video_id
    await db.delete(exercise)
    await db.flush()
    await videos.remove(db, doomed)
    if reference is not None:
        await _drop_unused_video(db, reference)
    await db.commit()


async def publish_exercise(db: AsyncSession, actor: User, exercise_id: uuid.UUID) -> Exercise:
    """Show a draft to everyone its visibility allows; it needs a ready reference video
    (learners practise against it). Publishing a published exercise changes nothing."""
    exercise = await get_managed(db, actor, exercise_id)
    if exercise.published_at is not None:
        return exercise
    video = (
        await db.get(Video, exercise.reference_video_id) if exercise.reference_video_id else None
    )
    if video is None:
        raise Conflict(
            "Add a reference video before publishing: learners practise against it.",
            {"field": "reference_video_id"},
            code="reference_video_missing",
        )
    if video.status != VideoStatus.READY:
        raise Conflict(
            "The reference video is still being processed; publish once it is ready.",
            {"field": "reference_video_id", "video_status": video.status.value},
            code="reference_video_not_ready",
        )
    exercise.published_at = utcnow()
    await db.commit()
    await db.refresh(exercise)
    return exercise


EXERCISES = Exercise.__table__.c
AUTHORS = User.__table__.alias("author")
REFERENCE = Video.__table__.alias("reference_video")
SHOWN = tuple(f for f in shapes.EXERCISE_FIELDS if f != "tags")
# The filters that are one column's value, each bound under the column's name.
EQUALS = ("category", "difficulty", "author_id", "visibility")


def _viewer(actor: User | None) -> str:
    return "anonymous" if actor is None else "admin" if actor.is_admin else "user"


@cache  # bounded: a few viewers and search kinds, 16 filter sets, up to MAX_TAGS tags
def _library_statements(
    dialect: str,
    viewer: str,
    search: tuple[bool, bool],
    equals: tuple[str, ...],
    tags: int,
    after: bool,
) -> tuple[Any, Any]:
    """The library's page and count statements for one kind of search, built once with
    every value bound: who looks (`viewer`), whether there is a text (and words to stem),
    which one-column filters, how many tags, and whether past a cursor. A first page
    counts its matches in the same statement (`total`, taken before the limit); past a
    cursor the page holds only what follows, so the count is a statement of its own.
    Each exercise's reference video comes joined in when it is ready."""
    actor = None if viewer == "anonymous" else access.someone(admin=viewer == "admin")
    where = [access.exercise_listed(actor)]
    searched, stems = search
    if searched:
        where.append(exercise_search.matches(dialect, stems=stems))
    for n in range(tags):
        tagged = ExerciseTag.tag == bindparam(f"tag_{n}")
        where.append(exists().where(ExerciseTag.exercise_id == Exercise.id, tagged))
    where += [EXERCISES[name] == bindparam(name) for name in equals]
    count = select(func.count().label("total")).select_from(Exercise.__table__).where(*where)
    shown = (
        *(EXERCISES[name] for name in SHOWN),
        AUTHORS.c.display_name.label("author_name"),
        *shapes.joined_video_columns(REFERENCE),
    )
    ready = and_(
        REFERENCE.c.id == EXERCISES.reference_video_id, REFERENCE.c.status == VideoStatus.READY
    )
    page = (
        select(*shown)
        .join(AUTHORS, AUTHORS.c.id == EXERCISES.author_id)
        .outerjoin(REFERENCE, ready)
        .where(*where)
    )
    if after:
        page = page.where(pagination.after_clause(EXERCISES.created_at, EXERCISES.id))
    else:
        page = page.add_columns(func.count().over().label("total"))
    limited, newest_first = pagination.limited(page, EXERCISES.created_at, EXERCISES.id)
    # The tags of the page's exercises only, after the limit.
    with_tags = select(limited, shapes.tags_column(dialect, limited.c.id))
    return with_tags.order_by(*newest_first), count


async def _search(
    db: Reads,
    dialect: str,
    actor: User | None,
    filters: ExerciseFilter,
    cursor: str | None,
    limit: int,
) -> tuple[Any, int, str | None]:
    """The library's rows for a page (`limit + 1`, for the next cursor), how many match in
    all, and the corrected words when the query as typed found nothing but a spelling
    correction does."""
    q = (filters.q or "").strip()
    tags = normalize_tags(filters.tags, field="tag")
    equals = {name: getattr(filters, name) for name in EQUALS if getattr(filters, name)}
    bound: dict[str, Any] = {pagination.LIMIT: limit + 1, **equals}
    bound |= {f"tag_{n}": tag for n, tag in enumerate(tags)}
    if actor is not None:
        bound[access.ACTOR_ID] = actor.id
    if cursor:
        bound |= pagination.after(cursor, EXERCISES.created_at)

    async def run(typed: str, terms: list[str]) -> tuple[Any, int]:
        shape = (bool(typed), bool(terms))
        page, count = _library_statements(
            dialect, _viewer(actor), shape, tuple(equals), len(tags), bool(cursor)
        )
        values = bound | (exercise_search.values(dialect, typed, terms) if typed else {})
        rows = await db.rows(page, values)
        if cursor:
            counted = await db.first(count, values)
            assert counted is not None  # a count always has its row
            return rows, counted["total"]
        return rows, rows[0]["total"] if rows else 0

    terms = exercise_search.words(q)
    rows, total = await run(q, terms)
    if total == 0 and terms:
        better = exercise_search.corrected(terms, await exercise_search.vocabulary(db))
        if better:
            retried, retry_total = await run(" ".join(better), better)
            if retry_total:
                return retried, retry_total, " ".join(better)
    return rows, total, None


async def library(
    db: Reads,
    actor: User | None,
    *,
    storage: StoragePort,
    settings: Settings,
    filters: ExerciseFilter,
    cursor: str | None,
    limit: int,
) -> Read[dict[str, Any]]:
    """The library's page as its JSON: newest first, filtered, searched by words (see
    exercise_search), each exercise with its tags, author and ready reference video. Rows,
    not ORM objects, from statements built once (see `_library_statements`): one for a
    first page, with its count, tags and reference videos."""
    dialect = db.dialect
    rows, total, corrected_q = await _search(db, dialect, actor, filters, cursor, limit)
    page = rows[:limit]
    items = []
    for row in page:
        item = {name: row[name] for name in SHOWN}
        item["tags"] = shapes.tags(dialect, row["tags"])
        item["author"] = {"id": row["author_id"], "display_name": row["author_name"]}
        video = shapes.joined_video(row)
        item["reference_video"] = shapes.video_row(video, thumbnails.urls(storage, settings, video))
        items.append(
            {name: item[name] for name in (*shapes.EXERCISE_FIELDS, "author", "reference_video")}
        )
    value = {
        "items": items,
        "next_cursor": pagination.next_cursor(list(rows), limit, "created_at", "id"),
        "total": total,
        "corrected_q": corrected_q,
    }
    # Exercises, tags and authors' names, the reference videos shown; who may see a
    # private exercise changes with the actor's coach links.
    read_from = [topics.CATALOG, topics.PEOPLE]
    if actor is not None:
        read_from.append(topics.links(actor.id))
    read_from += [topics.video(v) for v in {r["reference_video_id"] for r in page} if v]
    # The posters' URLs expire: the cached answer goes before they do.
    return Read(value, tuple(read_from), max_age=thumbnails.cache_max_age(settings))
