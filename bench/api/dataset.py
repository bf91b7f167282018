"""A realistic PostgreSQL dataset for the API benchmarks, bulk-loaded with COPY.

`full`: 1,050 users (1,000 learners, 50 coaches), 200 exercises, 10,000 practice
threads (10 per learner), 10,200 videos, 10,000 attempts, 500,000 comments (50 per
thread), 20,000 practice sessions. `small` is the same shape at a tenth of the size, so
that each learner's own data (threads, comments per thread, sessions) is identical and
only the tables grow: cost per request should not.
"""

from __future__ import annotations

import asyncio
import json
import random
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from practika.security import token_hash

PASSWORD = "bench password 1"
CATEGORIES = ["strength", "mobility", "dance", "martial_arts", "balance", "rehab"]
DIFFICULTIES = ["beginner", "intermediate", "advanced"]
WORDS = ["squat", "lunge", "kata", "hinge", "plank", "turn", "kick", "bridge", "reach", "step"]
COMMENT_KINDS = [None, "question", "correction", "cue", "encouragement", "progress"]


@dataclass(frozen=True)
class Size:
    name: str
    learners: int
    coaches: int
    exercises: int
    threads_per_learner: int = 10
    comments_per_thread: int = 50
    sessions_per_learner: int = 20

    @property
    def comments(self) -> int:
        return self.learners * self.threads_per_learner * self.comments_per_thread


SIZES = {
    "full": Size("full", learners=1000, coaches=50, exercises=200),
    "small": Size("small", learners=100, coaches=5, exercises=20),
}


@dataclass
class Dataset:
    """What the load scripts need: who to sign in as, with which token, on which thread."""

    size: str
    learners: list[dict[str, str]] = field(default_factory=list)  # id, email, token
    coaches: list[dict[str, str]] = field(default_factory=list)
    threads: list[dict[str, str]] = field(default_factory=list)  # id, learner token, video


def _ts(rng: random.Random, now: datetime, days: int = 90) -> datetime:
    return now - timedelta(seconds=rng.randrange(days * 86400))


async def generate(dsn: str, size: Size, *, password_hash: str, seed: int = 7) -> Dataset:
    """Fill an empty, migrated database; returns the people and threads the load uses."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    data = Dataset(size.name)
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("SET synchronous_commit = off")
        users: list[tuple[Any, ...]] = []
        sessions: list[tuple[Any, ...]] = []

        def person(kind: str, i: int) -> dict[str, str]:
            uid, token = uuid.uuid4(), secrets.token_urlsafe(32)
            email = f"{kind}{i}@bench.example.com"
            users.append((uid, email, f"{kind.title()} {i}", password_hash, True, False, now, now))
            sessions.append(
                (uuid.uuid4(), uid, token_hash(token), now, now + timedelta(days=30), None, "bench")
            )
            return {"id": str(uid), "email": email, "token": token}

        data.coaches = [person("coach", i) for i in range(size.coaches)]
        data.learners = [person("learner", i) for i in range(size.learners)]
        await _copy(
            conn,
            "users",
            users,
            "id email display_name password_hash is_active is_admin created_at updated_at",
        )
        await _copy(
            conn,
            "auth_sessions",
            sessions,
            "id user_id token_hash created_at expires_at revoked_at user_agent",
        )

        videos: list[tuple[Any, ...]] = []

        def video(owner: str, created: datetime) -> uuid.UUID:
            vid = uuid.uuid4()
            videos.append(
                (
                    vid,
                    uuid.UUID(owner),
                    "clip.mp4",
                    "video/mp4",
                    "video/mp4",
                    f"bench/{vid}",
                    "ready",
                    60_000,
                    720,
                    1280,
                    30.0,
                    created,
                    created,
                )
            )
            return vid

        exercises, tags = [], []
        by_coach: dict[str, list[uuid.UUID]] = {}
        for i in range(size.exercises):
            coach = data.coaches[i % size.coaches]
            created = _ts(rng, now, 365)
            eid = uuid.uuid4()
            word = WORDS[i % len(WORDS)]
            visibility = "private" if i % 10 == 9 else "link" if i % 10 == 8 else "public"
            exercises.append(
                (
                    eid,
                    uuid.UUID(coach["id"]),
                    f"{word.title()} drill {i}",
                    f"How to {word} well: cues and common faults ({i}).",
                    CATEGORIES[i % 6],
                    DIFFICULTIES[i % 3],
                    visibility,
                    video(coach["id"], created),
                    created,
                    created,
                    created,  # published
                    f"{word.title()} drill {i} {word} {CATEGORIES[i % 6]} "
                    f"How to {word} well: cues and common faults ({i}).",
                )
            )
            tags += [(eid, word), (eid, CATEGORIES[i % 6])]
            by_coach.setdefault(coach["id"], []).append(eid)
        exercise_rows = {row[0]: row for row in exercises}

        links, threads, attempts, comments = [], [], [], []
        session_rows, session_items = [], []
        for n, learner in enumerate(data.learners):
            lid = uuid.UUID(learner["id"])
            for coach in {
                data.coaches[n % size.coaches]["id"],
                data.coaches[(n + 1) % size.coaches]["id"],
            }:
                links.append((uuid.uuid4(), uuid.UUID(coach), lid, now))
            chosen = rng.sample(list(exercise_rows), size.threads_per_learner)
            for eid in chosen:
                exercise = exercise_rows[eid]
                coach_id = exercise[1]
                tid = uuid.uuid4()
                opened = _ts(rng, now, 90)
                vid = video(learner["id"], opened)
                attempts.append((uuid.uuid4(), tid, vid, "", opened, opened, opened))
                t = opened
                for c in range(size.comments_per_thread):
                    t += timedelta(seconds=rng.randrange(60, 3600))
                    author = lid if c % 2 == 0 else coach_id
                    start = rng.randrange(0, 55_000)
                    comments.append(
                        (
                            uuid.uuid4(),
                            tid,
                            vid,
                            author,
                            start,
                            start + rng.randrange(0, 5000),
                            f"{rng.choice(WORDS)} at {start} ms: keep the knee over the toe ({c})",
                            COMMENT_KINDS[c % 6],
                            "[]",
                            t,
                            t,
                        )
                    )
                last = t
                threads.append(
                    (
                        tid,
                        lid,
                        eid,
                        coach_id,
                        "open",
                        last,
                        last - timedelta(minutes=5),
                        last,
                        opened,
                        last,
                    )
                )
                data.threads.append({"id": str(tid), "token": learner["token"], "video": str(vid)})
            for s in range(size.sessions_per_learner):
                started = _ts(rng, now, 84)
                sid = uuid.uuid4()
                eid = chosen[s % len(chosen)]
                session_rows.append(
                    (sid, lid, None, eid, started, started + timedelta(minutes=25), 7, "")
                )
                session_items.append((uuid.uuid4(), sid, None, eid, 3, 10, 600, "", started))

        await _copy(
            conn,
            "videos",
            videos,
            "id owner_id original_name declared_content_type detected_content_type storage_key "
            "status duration_ms width height fps created_at updated_at",
        )
        await _copy(
            conn,
            "exercises",
            exercises,
            "id author_id title description category "
            "difficulty visibility reference_video_id created_at updated_at published_at "
            "search_document",
        )
        await _copy(conn, "exercise_tags", tags, "exercise_id tag")
        await _copy(conn, "coach_links", links, "id coach_id learner_id created_at")
        await _copy(
            conn,
            "practice_threads",
            threads,
            "id learner_id exercise_id coach_id status last_activity_at "
            "last_learner_activity_at last_coach_activity_at created_at updated_at",
        )
        await _copy(
            conn,
            "attempts",
            attempts,
            "id thread_id video_id notes recorded_at created_at updated_at",
        )
        await _copy(
            conn,
            "comments",
            comments,
            "id thread_id video_id author_id t_start_ms "
            "t_end_ms body kind tags created_at updated_at",
        )
        await _copy(
            conn,
            "practice_sessions",
            session_rows,
            "id user_id playlist_id exercise_id started_at ended_at rpe notes",
        )
        await _copy(
            conn,
            "session_items",
            session_items,
            "id session_id playlist_item_id exercise_id "
            "sets_done reps_done duration_s notes completed_at",
        )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    return data


async def _copy(
    conn: asyncpg.Connection, table: str, rows: list[tuple[Any, ...]], columns: str
) -> None:
    await conn.copy_records_to_table(table, records=rows, columns=columns.split())


def save(data: Dataset, path: str) -> None:
    with open(path, "w") as f:
        json.dump(data.__dict__, f)


def load(path: str) -> Dataset:
    with open(path) as f:
        return Dataset(**json.load(f))


if __name__ == "__main__":  # a quick manual run: python -m bench.api.dataset DSN small
    import sys

    from argon2 import PasswordHasher

    result = asyncio.run(
        generate(sys.argv[1], SIZES[sys.argv[2]], password_hash=PasswordHasher().hash(PASSWORD))
    )
    print(len(result.learners), len(result.threads))
