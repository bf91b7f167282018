"""Demo data: a coach, a learner, exercises, a playlist and a thread with feedback."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from practika.analysis.queue import queue_analysis
from practika.config import Settings
from practika.domain.base import utcnow
from practika.domain.coaching import CoachLink
from practika.domain.comments import CommentKind
from practika.domain.exercises import Difficulty, Visibility
from practika.domain.practice import PracticeSession, SessionItem
from practika.domain.users import User
from practika.domain.videos import Video, VideoStatus
from practika.security import Passwords
from practika.services import auth, comments, exercises, playlists, threads

DEMO_PASSWORD = "practika-demo"
COACH_EMAIL = "coach@practika.test"
LEARNER_EMAIL = "learner@practika.test"
ADMIN_EMAIL = "admin@practika.test"


async def is_empty(db: AsyncSession) -> bool:
    return (await db.scalar(select(func.count(User.id)))) == 0


def _placeholder_video(owner: User, name: str, duration_ms: int) -> Video:
    """A ready video's facts without its bytes; the media pipeline seeds real clips."""
    return Video(
        owner_id=owner.id,
        original_name=name,
        declared_content_type="video/mp4",
        detected_content_type="video/mp4",
        storage_key=f"demo/{uuid.uuid4()}/{name}",
        status=VideoStatus.READY,
        container="mp4",
        video_codec="h264",
        audio_codec="aac",
        duration_ms=duration_ms,
        width=720,
        height=1280,
        fps=30.0,
        rotation=0,
        size_bytes=duration_ms * 250,
    )


async def _real_video(
    owner: User, name: str, duration_ms: int, settings: Settings, depth_deg: float, warp: bool
) -> Video:
    """A generated clip, stored and processed like an upload, so the demo really plays."""
    import asyncio
    import tempfile
    from pathlib import Path

    from practika.media.figure_clips import squat_clip
    from practika.media.tasks import asset_keys, process_file
    from practika.storage import build_storage
    from practika.storage.serving import original_key

    storage = build_storage(settings)
    video_id = uuid.uuid4()
    key = original_key(video_id)

    def make() -> tuple[int, object]:
        with tempfile.TemporaryDirectory() as tmp:
            # A figure the pose model tracks: the learner's squats are shallower and their
            # tempo drifts, so movement analysis has something to show (docs/analysis.md).
            clip = squat_clip(
                Path(tmp) / name,
                seconds=duration_ms / 1000,
                size=(360, 640),
                fps=24,
                period_s=4.0,
                depth_deg=depth_deg,
                warp=_drifting_tempo if warp else None,
            )
            storage.put_file(key, clip, "video/mp4")
            return clip.stat().st_size, process_file(storage, settings, video_id, key)

    size, done = await asyncio.to_thread(make)
    facts, keys = done.probe, asset_keys(video_id)  # type: ignore[attr-defined]
    width, height = facts.display_size
    return Video(
        id=video_id,
        owner_id=owner.id,
        original_name=name,
        declared_content_type="video/mp4",
        detected_content_type=facts.content_type,
        size_bytes=size,
        sha256=done.sha256,  # type: ignore[attr-defined]
        storage_key=key,
        status=VideoStatus.READY,
        container=facts.container,
        video_codec=facts.video_codec,
        audio_codec=facts.audio_codec,
        duration_ms=facts.duration_ms,
        width=width,
        height=height,
        fps=facts.fps,
        rotation=facts.rotation,
        rendition_key=keys["rendition"],
        poster_key=keys["poster"],
        sprite_key=keys["sprite"],
        sprite_index=done.rendered.sprite_index,  # type: ignore[attr-defined]
    )


def _drifting_tempo(t: float) -> float:
    """A learner who starts slow and speeds up: movement time at clip time t."""
    return 0.8 * t + 0.012 * t * t


async def seed(
    db: AsyncSession, passwords: Passwords, settings: Settings | None = None
) -> dict[str, str]:
    """With `settings`, the two demo videos are real generated clips, processed and playable."""
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
    if settings is not None:
        reference = await _real_video(
            coach, "goblet-squat-reference.mp4", 24_000, settings, 110, warp=False
        )
        attempt_video = await _real_video(learner, "my-squat.mp4", 18_000, settings, 75, warp=True)
    else:
        reference = _placeholder_video(coach, "goblet-squat-reference.mp4", 24_000)
        attempt_video = _placeholder_video(learner, "my-squat.mp4", 18_000)
    db.add_all([reference, attempt_video])
    if settings is not None:
        await db.flush()  # the videos' rows first: their analyses refer to them
        for video in (reference, attempt_video):
            queue_analysis(db, settings, video)
    await db.commit()

    catalogue = [
        (
            "Goblet squat",
            "strength",
            Difficulty.BEGINNER,
            ["squat", "legs", "kettlebell"],
            "Hold the bell at your chest.\n\n1. Feet shoulder-width\n2. Knees track over toes\n"
            "3. Sit between your heels",
            reference.id,
        ),
        (
            "Hip 90/90 switches",
            "mobility",
            Difficulty.BEGINNER,
            ["hips", "warm-up"],
            "Rotate from one 90/90 to the other without using your hands.",
            None,
        ),
        (
            "Single-leg balance reach",
            "balance",
            Difficulty.INTERMEDIATE,
            ["ankle", "balance"],
            "Reach forward, sideways and back while standing on one leg.",
            None,
        ),
        (
            "Heian Shodan",
            "martial_arts",
            Difficulty.INTERMEDIATE,
            ["kata", "karate"],
            "The first Heian kata: 21 moves, a steady rhythm, kiai on 9 and 17.",
            None,
        ),
        (
            "Box step to pivot turn",
            "dance",
            Difficulty.BEGINNER,
            ["footwork", "turns"],
            "A four-count box step finishing with a half pivot.",
            None,
        ),
        (
            "Pistol squat progression",
            "strength",
            Difficulty.ADVANCED,
            ["squat", "single-leg"],
            "Box-assisted pistols, lowering one inch further each week.",
            None,
        ),
    ]
    created = []
    for title, category, difficulty, tags, description, video_id in catalogue:
        created.append(
            await exercises.create_exercise(
                db,
                coach,
                title=title,
                description=description,
                category=category,
                difficulty=difficulty,
                visibility=Visibility.PUBLIC,
                tags=tags,
                reference_video_id=video_id,
            )
        )
    # The demo's catalogue is published as it stands (some exercises have no video yet:
    # the rule that publishing needs one is for coaches writing, not for seeded data).
    for exercise in created:
        exercise.published_at = utcnow()
    await db.commit()
    squat = created[0]

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

    plan = await playlists.create_playlist(
        db,
        coach,
        title="Lower-body basics",
        description="Three times a week.",
        visibility=Visibility.PUBLIC,
    )
    for exercise, sets, reps, duration in (
        (created[1], 2, None, 60),
        (squat, 3, 10, None),
        (created[2], 3, None, 30),
    ):
        await playlists.add_item(
            db,
            coach,
            plan.id,
            {
                "exercise_id": exercise.id,
                "sets": sets,
                "reps": reps,
                "duration_s": duration,
                "rest_s": 60,
                "notes": "",
            },
        )

    # A few past sessions, so the progress page has something to show.
    now = utcnow()
    for days_ago, minutes in ((0, 22), (1, 18), (2, 25), (5, 30), (9, 15)):
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
    return {
        "coach": COACH_EMAIL,
        "learner": LEARNER_EMAIL,
        "admin": ADMIN_EMAIL,
        "password": DEMO_PASSWORD,
    }
