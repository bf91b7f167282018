"""The progress summary's counting rules, on a real session (SQLite and PostgreSQL): what
a viewer is shown of a learner, which attempts count and which comments are feedback."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import update

from practika.domain.base import utcnow
from practika.domain.threads import Attempt
from practika.domain.videos import Video, VideoStatus
from practika.services import comments, progress
from tests.support import World


def _attempts(summary: progress.Progress) -> list[tuple[str, int]]:
    return [(e.title, e.attempts) for e in summary.attempts_per_exercise]


async def _made(world: World, attempt: Any, *, days_ago: int) -> None:
    at = utcnow() - timedelta(days=days_ago)
    await world.db.execute(update(Attempt).where(Attempt.id == attempt.id).values(created_at=at))
    await world.db.commit()


async def test_a_coach_counts_feedback_and_days_only_in_the_threads_she_sees(
    world: World,
) -> None:
    ana, bea = await world.coach("Ana"), await world.coach("Bea")
    admin = await world.admin()
    leo = await world.learner("Leo", coached_by=ana)
    await world.link(bea, leo)
    goblet = await world.thread(leo, await world.exercise(by=ana))
    (seen,) = await world.attempts(goblet, 1)
    await world.comment(ana, seen)
    pistol = await world.thread(
        leo, await world.exercise(by=bea, title="Pistol squat", visibility="private")
    )
    unseen = await world.attempts(pistol, 2)
    for attempt in unseen:
        await world.comment(bea, attempt)
        await _made(world, attempt, days_ago=3)

    own = await progress.summary(await world.reads(), leo)
    as_ana = await progress.summary(await world.reads(), leo, viewer=ana)
    as_admin = await progress.summary(await world.reads(), leo, viewer=admin)

    assert _attempts(own) == [("Pistol squat", 2), ("Goblet squat", 1)]
    assert (own.feedback_received, own.practice_days) == (3, 2)
    assert _attempts(as_ana) == [("Goblet squat", 1)]
    assert (as_ana.feedback_received, as_ana.practice_days) == (1, 1)
    assert as_ana.practised_threads == [goblet.id]
    assert sorted(as_admin.practised_threads) == sorted([goblet.id, pistol.id])
    assert (as_admin.feedback_received, as_admin.practice_days) == (3, 2)


async def test_feedback_is_what_others_said_and_have_not_deleted(world: World) -> None:
    ana = await world.coach("Ana")
    leo = await world.learner("Leo", coached_by=ana)
    (attempt,) = await world.attempts(await world.thread(leo, await world.exercise(by=ana)), 1)
    await world.comment(ana, attempt, body="Knees out")
    retracted = await world.comment(ana, attempt, body="Wrong clip")
    await comments.delete_comment(world.db, ana, retracted.id)
    await world.comment(leo, attempt, body="Thanks")

    assert (await progress.summary(await world.reads(), leo)).feedback_received == 1


async def test_only_ready_attempts_count_as_practice(world: World) -> None:
    ana = await world.coach("Ana")
    leo = await world.learner("Leo", coached_by=ana)
    thread = await world.thread(leo, await world.exercise(by=ana))
    ready, failed, processing = await world.attempts(thread, 3)
    for attempt, status in ((failed, VideoStatus.FAILED), (processing, VideoStatus.PROCESSING)):
        await world.db.execute(
            update(Video).where(Video.id == attempt.video_id).values(status=status)
        )
        await _made(world, attempt, days_ago=1)

    summary = await progress.summary(await world.reads(), leo)
    assert _attempts(summary) == [("Goblet squat", 1)]
    assert summary.attempts_per_exercise[0].last_attempt_at == ready.created_at
    assert (summary.practice_days, summary.current_streak_days) == (1, 1)


async def test_exercises_are_listed_by_attempts_then_title(world: World) -> None:
    ana = await world.coach("Ana")
    leo = await world.learner("Leo", coached_by=ana)
    for title, count in (("Lunge", 1), ("Deadlift", 1), ("Press", 2)):
        await world.attempts(
            await world.thread(leo, await world.exercise(by=ana, title=title)), count
        )

    summary = await progress.summary(await world.reads(), leo)
    assert _attempts(summary) == [("Press", 2), ("Deadlift", 1), ("Lunge", 1)]
    assert summary.sessions_completed == 0 and summary.feedback_received == 0
