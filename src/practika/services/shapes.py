"""The JSON shapes of rows the cached reads show, built once from loaded rows.

The hot reads hand the API plain dicts that serialize as they are (`Read`), instead of
ORM rows re-validated by a response model. Each shape here names the fields of its
schema in `api/schemas`; a test checks that they agree (tests/readcache/test_shapes.py).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import aggregate_order_by

from practika.domain.exercises import Exercise, ExerciseTag
from practika.domain.threads import PracticeThread
from practika.domain.videos import Video

VIDEO_FIELDS = (
    "id",
    "owner_id",
    "original_name",
    "status",
    "failure_reason",
    "size_bytes",
    "sha256",
    "container",
    "video_codec",
    "audio_codec",
    "duration_ms",
    "width",
    "height",
    "fps",
    "rotation",
    "purpose",
    "detected_content_type",
    "sprite_index",
    "created_at",
    "poster_url",
    "sprite_url",
    "processing_progress",
    "processing_eta_seconds",
)
EXERCISE_FIELDS = (
    "id",
    "author_id",
    "title",
    "description",
    "category",
    "difficulty",
    "visibility",
    "tags",
    "reference_video_id",
    "published_at",
    "created_at",
    "updated_at",
)


def video(row: Video | None) -> dict[str, Any] | None:
    """A video as VideoOut shows it (with its poster's URLs, when `thumbnails` set them)."""
    if row is None:
        return None
    return {name: getattr(row, name, None) for name in VIDEO_FIELDS}


def exercise(row: Exercise, *, with_reference_video: bool = True) -> dict[str, Any]:
    """An exercise as ExerciseOut shows it, its author and (in the library) its video."""
    shaped = {name: getattr(row, name) for name in EXERCISE_FIELDS}
    shaped["author"] = {"id": row.author.id, "display_name": row.author.display_name}
    shaped["reference_video"] = (
        video(row.__dict__.get("reference_video")) if with_reference_video else None
    )
    return shaped


def thread(row: PracticeThread) -> dict[str, Any]:
    """A thread as ThreadOut shows it in lists. Read-only history keeps the exercise's
    title, not its instructions or reference video (the learner lost it with the link)."""
    shown = exercise(row.exercise, with_reference_video=False)
    if row.read_only:
        shown["description"], shown["reference_video_id"] = "", None
    return {
        "id": row.id,
        "learner_id": row.learner_id,
        "coach_id": row.coach_id,
        "exercise": shown,
        "status": row.status,
        "awaiting_feedback": row.awaiting_feedback,
        "read_only": row.read_only,
        "last_activity_at": row.last_activity_at,
        "waiting_since": row.waiting_since,
        "created_at": row.created_at,
        "attempt_count": row.__dict__.get("attempt_count"),
        "latest_video": video(row.__dict__.get("latest_video")),
    }


# Columns a video's shape is computed from but does not show.
VIDEO_KEYS = ("poster_key", "sprite_key")
JOINED = "v_"  # the prefix of a joined video's columns in a row of something else


# The columns a video's shape is computed from, as (label in a row of something else, name).
_JOINED_NAMES = tuple(
    (f"{JOINED}{c.name}", c.name)
    for c in Video.__table__.c
    if c.name in (*VIDEO_FIELDS, *VIDEO_KEYS)
)


def joined_video_columns(videos: Any) -> list[Any]:
    """The columns of `videos` (the table or an alias of it) a video's shape is computed
    from, labelled to sit in a row of something else (see `joined_video`)."""
    return [videos.c[name].label(label) for label, name in _JOINED_NAMES]


def joined_video(row: Any) -> dict[str, Any] | None:
    """The video a row joined (`joined_video_columns`) as a row of its own, or None when
    the outer join found none. Looked up by name: walking a row's items cost a thread list
    a sixth of its CPU."""
    if row[f"{JOINED}id"] is None:
        return None
    return {name: row[label] for label, name in _JOINED_NAMES}


def video_row(row: Any, urls: dict[str, str | None]) -> dict[str, Any] | None:
    """A ready video read as a row (a mapping of its columns) as VideoOut shows it."""
    if row is None:
        return None
    shaped = dict(row)  # once: a row's own lookups by name cost more than a dict's
    shaped.update(urls)
    shaped["processing_eta_seconds"] = None  # ready: nothing left to process
    return {name: shaped.get(name) for name in VIDEO_FIELDS}


def tags_column(dialect: str, exercise_id: Any) -> Any:
    """An exercise's tags as one column of a row (a correlated subquery), in the order
    `ORDER BY tag` gives them, so that a page needs no statement of its own for them:
    PostgreSQL aggregates them into an array, SQLite into a JSON array (see `tags`)."""
    tag = ExerciseTag.tag
    tags: Any
    if dialect == "postgresql":
        tags = func.array_agg(aggregate_order_by(tag, tag))
    else:
        tags = func.json_group_array(tag)
    found = select(tags).where(ExerciseTag.exercise_id == exercise_id).scalar_subquery()
    return found.label("tags")


def tags(dialect: str, value: Any) -> list[str]:
    """The list `tags_column` read. SQLite's aggregate keeps no order: sorted here, which
    is what its ORDER BY gives (BINARY collation: by code point)."""
    if dialect == "postgresql":
        return list(value or ())
    return sorted(json.loads(value)) if value else []
