"""A live `practika serve` on a throwaway PostgreSQL database, and a small world in it.

Shared by the fuzzing and reliability suites: both drive a real server process over
loopback HTTP, with real people (tokens) and real ids to aim at.
"""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from tests.conftest import PG_ADMIN_URL, REQUIRE_PG
from tests.live import LiveServer
from tests.support import PASSWORD

_counter = itertools.count()
# The live server's secret: tests that forge (or rightly sign) media URLs need it.
SESSION_SECRET = "reliability-secret-" + "x" * 32


def _pg(statement: str, database: str = "postgres") -> None:
    async def run() -> None:
        conn = await asyncpg.connect(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{database}", timeout=5)
        try:
            await conn.execute(statement)
        finally:
            await conn.close()

    asyncio.run(run())


@contextmanager
def throwaway_database(prefix: str) -> Iterator[str]:
    """A fresh PostgreSQL database, dropped afterwards; its SQLAlchemy URL is yielded."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    try:
        _pg(f'CREATE DATABASE "{name}"')
    except Exception as exc:
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL is required: {exc!r}")
        pytest.skip(f"PostgreSQL is not reachable: {exc!r}")
    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    try:
        yield f"{base}/{name}"
    finally:
        _pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def live_server(database_url: str, tmp: Path, **env: str) -> Iterator[LiveServer]:
    """`practika serve` on a free loopback port (cheap argon2, no media worker)."""
    server = LiveServer(
        env={
            "PRACTIKA_DATABASE_URL": database_url,
            "PRACTIKA_DATA_DIR": str(tmp / "var"),
            "PRACTIKA_WEB_DIST": str(tmp / "no-web"),
            "PRACTIKA_SESSION_SECRET": SESSION_SECRET,
            "PRACTIKA_ARGON2_MEMORY_KIB": "1024",
            "PRACTIKA_ARGON2_TIME_COST": "1",
            "PRACTIKA_RUN_WORKER": "false",
            "PRACTIKA_LOG_LEVEL": "WARNING",
            **env,
        },
        log_path=tmp / "server.log",
    ).start()
    try:
        yield server
    finally:
        if server.process and server.process.poll() is None:
            server.stop()


@dataclass
class Someone:
    id: str
    email: str
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class LiveWorld:
    """People and content created through the API of a live server."""

    url: str
    database_url: str
    http: httpx.Client = field(init=False)
    people: dict[str, Someone] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.http = httpx.Client(base_url=self.url, timeout=30)

    def call(self, method: str, path: str, who: Someone | None, **kw: Any) -> Any:
        r = self.http.request(method, path, headers=who.auth if who else None, **kw)
        assert r.status_code < 300, f"{method} {path}: {r.status_code} {r.text}"
        return r.json() if r.content else None

    def signup(self, name: str, *, admin: bool = False) -> Someone:
        email = f"{name.lower()}.{next(_counter)}.{uuid.uuid4().hex[:6]}@example.com"
        body = {"email": email, "password": PASSWORD, "display_name": name}
        data = self.call("POST", "/api/v1/auth/signup", None, json=body)
        self.http.cookies.clear()
        person = Someone(data["user"]["id"], email, data["token"])
        if admin:
            self.sql(f"UPDATE users SET is_admin = true WHERE id = '{person.id}'")
        return person

    def sql(self, statement: str) -> None:
        _pg(statement, database=self.database_url.rsplit("/", 1)[1])

    def ready_video(self, owner: Someone, duration_ms: int = 20_000) -> str:
        """A processed video row: the media pipeline's work, done by hand."""
        video_id = str(uuid.uuid4())
        self.sql(
            "INSERT INTO videos (id, owner_id, original_name, declared_content_type,"
            " detected_content_type, storage_key, status, duration_ms, width, height, fps,"
            " created_at, updated_at) VALUES"
            f" ('{video_id}', '{owner.id}', 'clip.mp4', 'video/mp4', 'video/mp4',"
            f" 'test/{video_id}', 'ready', {duration_ms}, 720, 1280, 30.0, now(), now())"
        )
        return video_id

    def link(self, coach: Someone, learner: Someone) -> None:
        code = self.call("POST", "/api/v1/invites", coach, json={})["code"]
        self.call("POST", "/api/v1/invites/accept", learner, json={"code": code})

    def build(self) -> LiveWorld:
        """Coach, linked learner, a stranger, an admin; an exercise, a thread with an
        attempt and comments, a playlist, a practice session, a pending invite."""
        p = self.people
        p["coach"], p["learner"] = self.signup("Ana"), self.signup("Leo")
        p["stranger"], p["admin"] = self.signup("Olga"), self.signup("Root", admin=True)
        p["bystander"] = self.signup("Bea")  # the one admins may fuzz-deactivate
        coach, learner = p["coach"], p["learner"]
        self.link(coach, learner)
        reference = self.ready_video(coach)
        exercise = self.call(
            "POST",
            "/api/v1/exercises",
            coach,
            json={
                "title": "Goblet squat",
                "category": "strength",
                "difficulty": "beginner",
                "visibility": "public",
                "tags": ["squat"],
                "reference_video_id": reference,
            },
        )
        self.call("POST", f"/api/v1/exercises/{exercise['id']}/publish", coach)
        thread = self.call("POST", "/api/v1/threads", learner, json={"exercise_id": exercise["id"]})
        video = self.ready_video(learner)
        attempt = self.call(
            "POST", f"/api/v1/threads/{thread['id']}/attempts", learner, json={"video_id": video}
        )
        comment = self.call(
            "POST",
            f"/api/v1/threads/{thread['id']}/comments",
            coach,
            json={"video_id": video, "t_start_ms": 1000, "t_end_ms": 2000, "body": "Knees out"},
        )
        playlist = self.call(
            "POST", "/api/v1/playlists", coach, json={"title": "Legs", "visibility": "public"}
        )
        playlist = self.call(
            "POST",
            f"/api/v1/playlists/{playlist['id']}/items",
            coach,
            json={"exercise_id": exercise["id"], "sets": 3, "reps": 8},
        )
        session = self.call(
            "POST", "/api/v1/sessions", learner, json={"playlist_id": playlist["id"]}
        )
        invite = self.call("POST", "/api/v1/invites", coach, json={})
        link = self.call("GET", "/api/v1/links", learner)["items"][0]
        notification = self.call("GET", "/api/v1/notifications", learner)["items"]
        self.ids = {
            "exercise_id": exercise["id"],
            "thread_id": thread["id"],
            "attempt_id": attempt["id"],
            "video_id": video,
            "comment_id": comment["id"],
            "playlist_id": playlist["id"],
            "item_id": playlist["items"][0]["id"],
            "session_id": session["id"],
            "invite_id": invite["id"],
            "link_id": link["id"],
            "user_id": p["bystander"].id,
            "reference_video_id": reference,
            "notification_id": notification[0]["id"] if notification else str(uuid.uuid4()),
        }
        return self
