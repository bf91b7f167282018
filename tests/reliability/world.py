"""A live `practika serve` on a throwaway PostgreSQL database, and a small world in it.

Shared by the fuzzing and reliability suites: both drive a real server process over
loopback HTTP, with real people (tokens) and real ids to aim at.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import httpx
import pytest

from practika.config import Settings
from practika.db import create_engine, session_factory
from practika.domain.users import User
from practika.security import Passwords
from tests.conftest import PG_ADMIN_URL, REQUIRE_PG
from tests.live import LiveServer
from tests.support import PASSWORD, Person, World

T = TypeVar("T")
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
class LiveWorld:
    """People and content of a live server, made with `World` on its database."""

    url: str
    database_url: str
    http: httpx.Client = field(init=False)
    people: dict[str, Person] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.http = httpx.Client(base_url=self.url, timeout=30)
        # What the server's sessions and hashes need to agree with (see live_server).
        self.settings = Settings(
            database_url=self.database_url,
            session_secret=SESSION_SECRET,
            argon2_memory_kib=1024,
            argon2_time_cost=1,
        )
        self.passwords = Passwords(self.settings)

    def call(self, method: str, path: str, who: Person | None, **kw: Any) -> Any:
        r = self.http.request(method, path, headers=who.auth if who else None, **kw)
        assert r.status_code < 300, f"{method} {path}: {r.status_code} {r.text}"
        return r.json() if r.content else None

    def world(self, build: Callable[[World], Awaitable[T]]) -> T:
        """Run `build` with a `World` on a session of its own to the server's database:
        a separate process, whose read caches hear each write by NOTIFY as a route's."""

        async def run() -> T:
            engine = create_engine(self.settings)
            try:
                async with session_factory(engine)() as db:
                    return await build(World(db, self.settings, self.passwords))
            finally:
                await engine.dispose()

        return asyncio.run(run())

    def person(self, name: str, *, admin: bool = False) -> Person:
        """Someone signed in, who can also sign in with PASSWORD."""

        async def build(world: World) -> Person:
            return await world.signed_in(await world.person(name, admin=admin, password=PASSWORD))

        return self.world(build)

    def video(self, owner: Person) -> str:
        """A processed video of `owner`'s; its id."""

        async def build(world: World) -> str:
            user = await world.db.get_one(User, uuid.UUID(owner.id))
            return str((await world.video(user)).id)

        return self.world(build)

    def build(self) -> LiveWorld:
        """Coach, linked learner, a stranger, an admin; an exercise, a thread with an
        attempt and comments, a playlist, a practice session, a pending invite."""

        async def build(world: World) -> dict[str, Any]:
            users = {
                "coach": await world.coach("Ana", password=PASSWORD),
                "learner": await world.learner("Leo", password=PASSWORD),
                "stranger": await world.person("Olga", password=PASSWORD),
                "admin": await world.person("Root", admin=True, password=PASSWORD),
                # the one admins may fuzz-deactivate
                "bystander": await world.person("Bea", password=PASSWORD),
            }
            coach, learner = users["coach"], users["learner"]
            await world.link(coach, learner)
            exercise = await world.exercise(by=coach, reference=await world.video(coach))
            thread = await world.thread(learner, exercise)
            attempt = await world.attempt(thread)
            comment = await world.comment(coach, attempt)
            playlist = await world.playlist(exercise, by=coach)
            session = await world.practice_session(learner, playlist=playlist)
            invite = await world.pending_invite(coach)
            self.people = {role: await world.signed_in(user) for role, user in users.items()}
            return {
                "exercise_id": exercise.id,
                "thread_id": thread.id,
                "attempt_id": attempt.id,
                "video_id": attempt.video_id,
                "comment_id": comment.id,
                "playlist_id": playlist.id,
                "item_id": playlist.items[0].id,
                "session_id": session.id,
                "invite_id": invite.id,
                "user_id": users["bystander"].id,
                "reference_video_id": exercise.reference_video_id,
            }

        ids = self.world(build)
        learner = self.people["learner"]
        link = self.call("GET", "/api/v1/links", learner)["items"][0]
        notification = self.call("GET", "/api/v1/notifications", learner)["items"]
        self.ids = {name: str(value) for name, value in ids.items()} | {
            "link_id": link["id"],
            "notification_id": notification[0]["id"] if notification else str(uuid.uuid4()),
        }
        return self
