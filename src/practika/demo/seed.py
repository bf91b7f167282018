"""Seeding the demo, one named step at a time: the people, their two videos, the coach's
exercises, a thread with feedback, a playlist and the learner's past sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from practika.analysis.queue import queue_analysis
from practika.config import Settings
from practika.demo.catalogue import EXERCISES, PAST_SESSIONS, PLAYLIST_ITEMS
from practika.demo.videos import placeholder_video, real_video
from practika.domain.base import utcnow
from practika.domain.coaching import CoachLink
from practika.domain.comments import CommentKind
from practika.domain.exercises import Exercise, Visibility
from practika.domain.playlists import Playlist
from practika.domain.practice import PracticeSession, SessionItem
from practika.domain.users import User
from practika.domain.videos import Video
from practika.security import Passwords
from practika.services import auth, comments, exercises, playlists, threads

DEMO_PASSWORD = "practika-demo"
COACH_EMAIL = "coach@practika.test"
LEARNER_EMAIL = "learner@practika.test"
ADMIN_EMAIL = "admin@practika.test"


@dataclass
class People:
    coach: User
    learner: User
    admin: User


async def is_empty(db: AsyncSession) -> bool:
    return (await db.scalar(select(func.count(User.id)))) == 0


async def seed(
    db: AsyncSession, passwords: Passwords, settings: Settings | None = None
) -> dict[str, str]:
    """With `settings`, the two demo videos are real generated clips, processed and playable."""
    people = await _people(db, passwords)
    reference, attempt_video = await _videos(db, people, settings)
    catalogue = await _exercises(db, people.coach, reference)
    await _thread_with_feedback(db, people, catalogue[0], reference, attempt_video)
    plan = await _playlist(db, people.coach, catalogue)
    await _past_sessions(db, people.learner, plan, catalogue[0])
    return {
        "coach": COACH_EMAIL,
        "learner": LEARNER_EMAIL,
        "admin": ADMIN_EMAIL,
        "password": DEMO_PASSWORD,
    }


async def _people(db: AsyncSession, passwords: Passwords) -> People:
    """A coach with a learner, and an admin; their addresses count as verified."""
    coach = await auth.create_user(
        db, passwords, email=COACH_EMAIL, password=DEMO_PASSWORD, display_name="Coach Ana"
    )
    learner = await auth.create_user(
        db, passwords, email=LEARNER_EMAIL, password=DEMO_PASSWORD, display_name="Leo Learner"
    )
    admin = await auth.create_user(
        db,
        passwords,
        email=ADMIN_EMAIL,
        password=DEMO_PASSWORD,
        display_name="Ada Admin",
        is_admin=True,
    )
    # The demo's addresses (practika.test) receive no mail: they count as verified.
    for person in (coach, learner, admin):
        person.email_verified_at = utcnow()
    db.add(CoachLink(coach_id=coach.id, learner_id=learner.id))
    return People(coach, learner, admin)


async def _videos(
    db: AsyncSession, people: People, settings: Settings | None
) -> tuple[Video, Video]:
    """The coach's reference squat and the learner's attempt (real clips with settings,
    queued for movement analysis), committed with the people."""
    name_ref, name_attempt = "goblet-squat-reference.mp4", "my-squat.mp4"
    if settings is not None:
        reference = await real_video(people.coach, name_ref, 24_000, settings, 110, warp=False)
        attempt = await real_video(people.learner, name_attempt, 18_000, settings, 75, warp=True)
    else:
        reference = placeholder_video(people.coach, name_ref, 24_000)
        attempt = placeholder_video(people.learner, name_attempt, 18_000)
    db.add_all([reference, attempt])
    if settings is not None:
        await db.flush()  # the videos' rows first: their analyses refer to them
        for video in (reference, attempt):
            queue_analysis(db, settings, video)
    await db.commit()
    return reference, attempt


async def _exercises(db: AsyncSession, coach: User, reference: Video) -> list[Exercise]:
    """The coach's public catalogue, published as it stands."""
    created = [
        await exercises.create_exercise(
            db,
            coach,
            title=entry.title,
            description=entry.description,
            category=entry.category,
            difficulty=entry.difficulty,
            visibility=Visibility.PUBLIC,
            tags=entry.tags,
            reference_video_id=reference.id if entry.has_reference_video else None,
        )
        for entry in EXERCISES
    ]
    # Some exercises have no video yet: the rule that publishing needs one is for coaches
    # writing, not for seeded data.
    for exercise in created:
        exercise.published_at = utcnow()
    await db.commit()
    return created


async def _thread_with_feedback(
    db: AsyncSession, people: People, squat: Exercise, reference: Video, attempt_video: Video
) -> None:
    """The learner's attempt at the squat, a question on it, the coach's drawn correction
    and a cue on the reference."""
    learner, coach = people.learner, people.coach
    thread = await threads.open_thread(db, learner, squat.id)
    attempt = await threads.add_attempt(
        db,
        learner,
        thread.id,
        video_id=attempt_video.id,
        notes="First try with the 12 kg bell.",
        recorded_at=None,
    )
    question = await comments.add_comment(
        db,
        learner,
        thread.id,
        video_id=attempt.video_id,
        t_start_ms=12_000,
        t_end_ms=15_000,
        body="My left knee caves in here. Is that the ankle?",
        kind=CommentKind.QUESTION,
        tags=["knee"],
        reply_to_id=None,
        drawing=None,
    )
    await comments.add_comment(
        db,
        coach,
        thread.id,
        video_id=attempt.video_id,
        t_start_ms=12_400,
        t_end_ms=14_800,
        body="Yes: push the knee out over the little toe. Slow the descent to 3 seconds.",
        kind=CommentKind.CORRECTION,
        tags=["knee", "tempo"],
        reply_to_id=question.id,
        drawing={
            "shapes": [
                {
                    "type": "arrow",
                    "points": [[0.42, 0.62], [0.52, 0.60]],
                    "color": "#ff3b30",
                    "width": 0.006,
                }
            ],
            "frame_ms": 13_000,
        },
    )
    await comments.add_comment(
        db,
        coach,
        thread.id,
        video_id=reference.id,
        t_start_ms=4_000,
        t_end_ms=6_000,
        body="Watch how the heels stay down on the way up.",
        kind=CommentKind.CUE,
        tags=["heels"],
        reply_to_id=None,
        drawing=None,
    )


async def _playlist(db: AsyncSession, coach: User, catalogue: list[Exercise]) -> Playlist:
    """ "Lower-body basics": a warm-up, the squat and a balance drill."""
    plan = await playlists.create_playlist(
        db,
        coach,
        title="Lower-body basics",
        description="Three times a week.",
        visibility=Visibility.PUBLIC,
    )
    for index, sets, reps, duration in PLAYLIST_ITEMS:
        await playlists.add_item(
            db,
            coach,
            plan.id,
            {
                "exercise_id": catalogue[index].id,
                "sets": sets,
                "reps": reps,
                "duration_s": duration,
                "rest_s": 60,
                "notes": "",
            },
        )
    return plan


async def _past_sessions(db: AsyncSession, learner: User, plan: Playlist, squat: Exercise) -> None:
    """A few past sessions of the playlist, so the progress page has something to show."""
    now = utcnow()
    for days_ago, minutes in PAST_SESSIONS:
        start = now - timedelta(days=days_ago, hours=1)
        db.add(
            PracticeSession(
                user_id=learner.id,
                playlist_id=plan.id,
                started_at=start,
                ended_at=start + timedelta(minutes=minutes),
                rpe=7,
                items=[
                    SessionItem(
                        exercise_id=squat.id,
                        sets_done=3,
                        reps_done=10,
                        completed_at=start + timedelta(minutes=minutes - 1),
                    )
                ],
            )
        )
    await db.commit()
