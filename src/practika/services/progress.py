"""Progress: streaks, minutes per week, attempts per exercise, feedback received.

Two Core statements, each built once: the learner's threads (as the viewer may see
them), then one `UNION ALL` of tagged rows over those threads and the learner's
sessions. No ORM rows: only the columns counted, as tuples; the maths stays in Python.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any

from sqlalchemy import (
    CompoundSelect,
    Select,
    bindparam,
    cast,
    func,
    literal_column,
    null,
    select,
    union_all,
)

from practika.db_reads import Reads
from practika.domain import access
from practika.domain.base import utcnow
from practika.domain.comments import Comment
from practika.domain.exercises import Exercise
from practika.domain.practice import PracticeSession
from practika.domain.threads import Attempt, PracticeThread
from practika.domain.users import User
from practika.domain.videos import Video, VideoStatus
from practika.readcache import topics
from practika.readcache.read import Read

ATTEMPTS = Attempt.__table__.c
COMMENTS = Comment.__table__.c
EXERCISES = Exercise.__table__.c
SESSIONS = PracticeSession.__table__.c
THREADS = PracticeThread.__table__.c
VIDEOS = Video.__table__.c
# The learner is `actor_id` (their sessions, their threads, not their own comments);
# a viewer, when there is one, `viewer_id`.
LEARNER = access.someone(admin=False)
VIEWER_ID = "viewer_id"
THREAD_IDS = "thread_ids"
# The tags of the tagged rows.
SESSION, EXERCISE, DAY, FEEDBACK = "session", "exercise", "day", "feedback"
# The counted rows' columns, named by the union's first select.
COUNTED = ("kind", "exercise_id", "title", "n", "at", "until")


@dataclass
class WeekMinutes:
    week_start: date
    minutes: int


@dataclass
class ExerciseAttempts:
    exercise_id: str
    title: str
    attempts: int
    last_attempt_at: datetime | None


@dataclass
class Progress:
    current_streak_days: int
    longest_streak_days: int
    practice_days: int
    minutes_per_week: list[WeekMinutes]
    attempts_per_exercise: list[ExerciseAttempts]
    feedback_received: int
    sessions_completed: int
    # The threads it counts (not shown): a cached summary must hear of their changes.
    practised_threads: list[uuid.UUID] = field(default_factory=list, repr=False)


def streaks(days: set[date], today: date) -> tuple[int, int]:
    """(current, longest) runs of consecutive practice days; today may still be pending."""
    longest = run = 0
    previous: date | None = None
    for day in sorted(days):
        run = run + 1 if previous and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    current = 0
    cursor = today if today in days else today - timedelta(days=1)
    while cursor in days:
        current += 1
        cursor -= timedelta(days=1)
    return current, longest


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@cache
def _threads_statement(viewer_admin: bool | None) -> Select[Any]:
    """The learner's threads (viewed by someone: those the viewer may see too). Read
    first, then everything else by their ids: with the ids as a list the planner uses
    the thread indexes at any size; joined on the learner it chose a sequential scan of
    all comments while the table was small (14 vs 1 ms)."""
    stmt = select(THREADS.id).where(access.thread_practised_by(LEARNER))
    if viewer_admin is not None:
        viewer = access.someone(admin=viewer_admin, param=VIEWER_ID)
        stmt = stmt.where(access.thread_visible(viewer))
    return stmt


def _tag(name: str) -> Any:
    return literal_column(f"'{name}'").label("kind")


@cache
def _counts_statement() -> CompoundSelect:
    """Rows of (kind, exercise_id, title, n, at, until): a session (at, until), an
    exercise's ready attempts (exercise_id, title, n, at = the last), a ready attempt's
    day (at), and the feedback (n). The exercises come first by `n` then `title`, as the
    summary lists them; the order of the other kinds is of no matter."""
    threads = bindparam(THREAD_IDS, expanding=True, type_=THREADS.id.type)
    # Only a ready attempt counts: a failed or unfinished upload is no practice shown.
    ready = (
        select()
        .select_from(Attempt.__table__)
        .join(Video.__table__, VIDEOS.id == ATTEMPTS.video_id)
        .where(ATTEMPTS.thread_id.in_(threads), VIDEOS.status == VideoStatus.READY)
    )
    # The first select types the union's columns: for SQLAlchemy (SQLite returns
    # datetimes as text) and for PostgreSQL, which would take two NULLs for text.
    per_exercise = (
        ready.add_columns(
            _tag(EXERCISE),
            EXERCISES.id.label("exercise_id"),
            EXERCISES.title.label("title"),
            func.count(ATTEMPTS.id).label("n"),
            func.max(ATTEMPTS.created_at).label("at"),
            cast(null(), SESSIONS.ended_at.type).label("until"),
        )
        .join(PracticeThread.__table__, THREADS.id == ATTEMPTS.thread_id)
        .join(Exercise.__table__, EXERCISES.id == THREADS.exercise_id)
        .group_by(EXERCISES.id, EXERCISES.title)
    )
    days = ready.add_columns(_tag(DAY), null(), null(), null(), ATTEMPTS.created_at, null())
    sessions = select(
        _tag(SESSION), null(), null(), null(), SESSIONS.started_at, SESSIONS.ended_at
    ).where(access.session_listed(LEARNER))
    # What others said: the learner's own comments and deleted ones are no feedback.
    feedback = select(
        _tag(FEEDBACK), null(), null(), func.count(COMMENTS.id), null(), null()
    ).where(
        COMMENTS.thread_id.in_(threads),
        COMMENTS.author_id != bindparam(access.ACTOR_ID),
        COMMENTS.deleted_at.is_(None),
    )
    union = union_all(per_exercise, days, sessions, feedback)
    return union.order_by(union.selected_columns.n.desc(), union.selected_columns.title)


async def summary(
    db: Reads, user: User, *, weeks: int = 12, viewer: User | None = None
) -> Progress:
    """`user`'s progress; a `viewer` (their coach, on the learner's page) sees it counted
    over the threads they may see, so another coach's private exercises stay unnamed."""
    now = utcnow()
    today = now.date()
    first_week = week_start(today) - timedelta(weeks=weeks - 1)

    params: dict[str, Any] = {access.ACTOR_ID: user.id}
    viewer_admin = None
    if viewer is not None:
        params[VIEWER_ID] = viewer.id
        viewer_admin = access.sees_every_thread(viewer)
    threads = await db.column(_threads_statement(viewer_admin), params)
    params[THREAD_IDS] = threads
    rows = await db.rows(_counts_statement(), params)

    sessions: list[tuple[datetime, datetime | None]] = []
    attempts: list[ExerciseAttempts] = []
    days: set[date] = set()
    feedback = 0
    for row in rows:
        kind, exercise_id, title, n, at, until = (row[name] for name in COUNTED)
        if kind == SESSION:
            sessions.append((at, until))
            days.add(at.date())
        elif kind == DAY:
            days.add(at.date())
        elif kind == EXERCISE:
            attempts.append(ExerciseAttempts(str(exercise_id), title, n, at))
        else:
            feedback = n or 0

    current, longest = streaks(days, today)
    minutes: dict[date, float] = {first_week + timedelta(weeks=n): 0.0 for n in range(weeks)}
    for started, ended in sessions:
        bucket = week_start(started.date())
        if ended is not None and bucket in minutes:
            minutes[bucket] += (ended - started).total_seconds() / 60
    return Progress(
        current_streak_days=current,
        longest_streak_days=longest,
        practice_days=len(days),
        minutes_per_week=[WeekMinutes(w, round(m)) for w, m in sorted(minutes.items())],
        attempts_per_exercise=attempts,
        feedback_received=feedback,
        sessions_completed=sum(1 for _, ended in sessions if ended is not None),
        practised_threads=threads,
    )


def _as_json(summary: Progress) -> dict[str, Any]:
    """The summary as ProgressOut's JSON has it. (`dataclasses.asdict` deep-copies every
    value: it cost this read a fifth of its CPU.)"""
    value = dict(vars(summary))
    value["minutes_per_week"] = [dict(vars(week)) for week in summary.minutes_per_week]
    value["attempts_per_exercise"] = [dict(vars(a)) for a in summary.attempts_per_exercise]
    return value


async def own(db: Reads, user: User, *, weeks: int) -> Read[dict[str, Any]]:
    """The signed-in person's progress as its JSON, good until midnight (UTC): streaks
    and weeks count from today."""
    summary_ = await summary(db, user, weeks=weeks)
    value = _as_json(summary_)
    threads = value.pop("practised_threads")
    # Their sessions and threads (a new one), the attempts and comments in those
    # threads, and the exercises' titles.
    read_from = [
        topics.CATALOG,
        topics.practice(user.id),
        topics.threads_of(user.id),
        topics.videos_of(user.id),  # only an attempt whose video is ready counts
        *(topics.thread(t) for t in threads),
        *(topics.comments(t) for t in threads),
        *(topics.comment_added(t) for t in threads),
    ]
    now = utcnow()
    midnight = datetime.combine(now.date() + timedelta(days=1), time(), tzinfo=UTC)
    return Read(value, tuple(read_from), max_age=(midnight - now).total_seconds())
