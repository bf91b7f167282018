"""Progress: streaks, minutes per week, attempts per exercise, feedback received."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

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


async def summary(
    db: AsyncSession, user: User, *, weeks: int = 12, viewer: User | None = None
) -> Progress:
    """`user`'s progress; a `viewer` (their coach, on the learner's page) sees it counted
    over the threads they may see, so another coach's private exercises stay unnamed."""
    now = utcnow()
    today = now.date()
    first_week = week_start(today) - timedelta(weeks=weeks - 1)

    sessions = (
        await db.execute(
            select(PracticeSession.started_at, PracticeSession.ended_at).where(
                access.session_listed(user)
            )
        )
    ).all()
    # The learner's threads first, then everything else by their ids: with the ids as
    # a list the planner uses the thread indexes at any size; joined on the learner it
    # chose a sequential scan of all comments while the table was small (14 vs 1 ms).
    mine = select(PracticeThread.id).where(access.thread_practised_by(user))
    if viewer is not None:
        mine = mine.where(access.thread_visible(viewer))
    threads = list(await db.scalars(mine))
    # Only a ready attempt counts: a failed or unfinished upload is no practice shown.
    ready = Attempt.video_id.in_(select(Video.id).where(Video.status == VideoStatus.READY))
    attempt_rows = (
        await db.execute(
            select(
                Exercise.id, Exercise.title, func.count(Attempt.id), func.max(Attempt.created_at)
            )
            .select_from(Attempt)
            .join(PracticeThread, PracticeThread.id == Attempt.thread_id)
            .join(Exercise, Exercise.id == PracticeThread.exercise_id)
            .where(Attempt.thread_id.in_(threads), ready)
            .group_by(Exercise.id, Exercise.title)
            .order_by(func.count(Attempt.id).desc(), Exercise.title)
        )
    ).all()
    attempt_days = await db.scalars(
        select(Attempt.created_at).where(Attempt.thread_id.in_(threads), ready)
    )
    feedback = await db.scalar(
        select(func.count(Comment.id)).where(
            Comment.thread_id.in_(threads),
            Comment.author_id != user.id,
            Comment.deleted_at.is_(None),
        )
    )

    days = {started.date() for started, _ in sessions} | {at.date() for at in attempt_days}
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
        attempts_per_exercise=[
            ExerciseAttempts(str(ex_id), title, count, last)
            for ex_id, title, count, last in attempt_rows
        ],
        feedback_received=feedback or 0,
        sessions_completed=sum(1 for _, ended in sessions if ended is not None),
        practised_threads=threads,
    )


async def own(db: AsyncSession, user: User, *, weeks: int) -> Read[dict[str, Any]]:
    """The signed-in person's progress as its JSON, good until midnight (UTC): streaks
    and weeks count from today."""
    summary_ = await summary(db, user, weeks=weeks)
    value = asdict(summary_)
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
