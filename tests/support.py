"""Test helpers: a client that acts as named people, and direct database set-up."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fastapi.testclient import TestClient
from sqlalchemy.ext.asyncio import AsyncSession

from practika.domain.videos import Video, VideoPurpose, VideoStatus

T = TypeVar("T")
PASSWORD = "correct horse battery"
_counter = itertools.count()


def processed_video(owner_id: uuid.UUID, duration_ms: int = 20_000, **facts: Any) -> Video:
    """A ready video row: the media pipeline's job, done by hand for tests above it."""
    return Video(
        **facts,
        owner_id=owner_id,
        original_name="clip.mp4",
        declared_content_type="video/mp4",
        detected_content_type="video/mp4",
        storage_key=f"test/{uuid.uuid4()}",
        status=VideoStatus.READY,
        duration_ms=duration_ms,
        width=720,
        height=1280,
        fps=30.0,
    )


@dataclass
class Person:
    id: str
    email: str
    token: str
    name: str
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def auth(self) -> dict[str, str]:
        """The header that makes a request theirs, for clients other than `Api`."""
        return {"Authorization": f"Bearer {self.token}"}


class Api:
    """Drives the real HTTP app; `as_` picks whose bearer token goes with a request."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def run(self, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
        """Run `work` with a database session inside the app's own event loop."""

        async def wrapped() -> T:
            async with self.client.app.state.sessions() as db:  # type: ignore[attr-defined]
                return await work(db)

        return self.client.portal.call(wrapped)  # type: ignore[union-attr]

    def world(self, build: Callable[[World], Awaitable[T]]) -> T:
        """Build a scene with `World` on the app's own session, so what the app keeps
        beside the database (its read cache) hears each write as it would a route's."""
        app = self.client.app
        state = app.state  # type: ignore[attr-defined]

        async def wrapped(db: AsyncSession) -> T:
            return await build(World(db, state.settings, state.passwords))

        return self.run(wrapped)

    def request(self, method: str, path: str, who: Person | None = None, **kw: Any) -> Any:
        headers = dict(kw.pop("headers", {}) or {})
        if who is not None:
            headers["Authorization"] = f"Bearer {who.token}"
        return self.client.request(method, path, headers=headers, **kw)

    def get(self, path: str, who: Person | None = None, **kw: Any) -> Any:
        return self.request("GET", path, who, **kw)

    def post(self, path: str, who: Person | None = None, **kw: Any) -> Any:
        return self.request("POST", path, who, **kw)

    def patch(self, path: str, who: Person | None = None, **kw: Any) -> Any:
        return self.request("PATCH", path, who, **kw)

    def put(self, path: str, who: Person | None = None, **kw: Any) -> Any:
        return self.request("PUT", path, who, **kw)

    def delete(self, path: str, who: Person | None = None, **kw: Any) -> Any:
        return self.request("DELETE", path, who, **kw)

    # People

    def signup(
        self, name: str = "Someone", *, admin: bool = False, invite_code: str | None = None
    ) -> Person:
        email = f"{name.lower().replace(' ', '.')}.{next(_counter)}@example.com"
        body: dict[str, Any] = {"email": email, "password": PASSWORD, "display_name": name}
        if invite_code:
            body["invite_code"] = invite_code
        r = self.client.post("/api/v1/auth/signup", json=body)
        assert r.status_code == 201, r.text
        self.client.cookies.clear()
        data = r.json()
        person = Person(id=data["user"]["id"], email=email, token=data["token"], name=name)
        if admin:
            from sqlalchemy import update

            from practika.domain.users import User

            async def promote(db: AsyncSession) -> None:
                await db.execute(
                    update(User).where(User.id == uuid.UUID(person.id)).values(is_admin=True)
                )
                await db.commit()

            self.run(promote)
        return person

    def link(self, coach: Person, learner: Person) -> None:
        code = self.post("/api/v1/invites", coach, json={}).json()["code"]
        r = self.post("/api/v1/invites/accept", learner, json={"code": code})
        assert r.status_code == 200, r.text

    # Content

    def ready_video(self, owner: Person, duration_ms: int = 20_000, **facts: Any) -> str:
        """A processed video row (the media pipeline's job, done by hand for API tests)."""

        async def make(db: AsyncSession) -> str:
            video = processed_video(uuid.UUID(owner.id), duration_ms, **facts)
            db.add(video)
            await db.commit()
            return str(video.id)

        return self.run(make)

    def ready_clip(self, owner: Person, duration_ms: int = 5_000) -> str:
        """A processed voice clip (audio alone), for a comment or a voice-over review."""
        return self.ready_video(
            owner,
            duration_ms,
            purpose=VideoPurpose.CLIP,
            audio_codec="opus",
            rendition_key=f"test/{uuid.uuid4()}.mp4",
            poster_key=f"test/{uuid.uuid4()}.jpg",
            sprite_key=f"test/{uuid.uuid4()}.jpg",
        )

    def exercise(self, coach: Person, *, draft: bool = False, **fields: Any) -> dict[str, Any]:
        """An exercise by `coach`, published (on a ready reference video of theirs unless
        one is given) or, with `draft`, as it starts: seen by its author only."""
        body = {
            "title": "Goblet squat",
            "category": "strength",
            "difficulty": "beginner",
            "visibility": "public",
            "tags": ["squat"],
        }
        body.update(fields)
        if not draft and body.get("reference_video_id") is None:
            body["reference_video_id"] = self.ready_video(coach)
        r = self.post("/api/v1/exercises", coach, json=body)
        assert r.status_code == 201, r.text
        if draft:
            return r.json()  # type: ignore[no-any-return]
        r = self.post(f"/api/v1/exercises/{r.json()['id']}/publish", coach)
        assert r.status_code == 200, r.text
        return r.json()  # type: ignore[no-any-return]

    def thread(self, learner: Person, exercise_id: str) -> dict[str, Any]:
        r = self.post("/api/v1/threads", learner, json={"exercise_id": exercise_id})
        assert r.status_code == 201, r.text
        return r.json()  # type: ignore[no-any-return]

    def attempt(self, learner: Person, thread_id: str, duration_ms: int = 20_000) -> dict[str, Any]:
        video_id = self.ready_video(learner, duration_ms)
        r = self.post(f"/api/v1/threads/{thread_id}/attempts", learner, json={"video_id": video_id})
        assert r.status_code == 201, r.text
        return r.json()  # type: ignore[no-any-return]

    def comment(self, who: Person, thread_id: str, video_id: str, **fields: Any) -> dict[str, Any]:
        body = {"video_id": video_id, "t_start_ms": 1000, "t_end_ms": 2000, "body": "Knees out"}
        body.update(fields)
        r = self.post(f"/api/v1/threads/{thread_id}/comments", who, json=body)
        assert r.status_code == 201, r.text
        return r.json()  # type: ignore[no-any-return]


# What `World` built, with the ids in the shape the routes answer with, so a test written
# against response bodies reads a built scene the same way.


def exercise_body(exercise: Any) -> dict[str, Any]:
    reference = exercise.reference_video_id
    return {"id": str(exercise.id), "reference_video_id": reference and str(reference)}


def thread_body(thread: Any) -> dict[str, Any]:
    return {"id": str(thread.id), "exercise": {"id": str(thread.exercise_id)}}


def attempt_body(attempt: Any) -> dict[str, Any]:
    return {"id": str(attempt.id), "video": {"id": str(attempt.video_id)}}


def error_code(response: Any) -> str:
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}, body
    assert body["error"]["message"], body
    return body["error"]["code"]  # type: ignore[no-any-return]


class World:
    """One builder for a test world, through the use cases on a real session, so a test
    reads like the product ("a coach with a private exercise and a learner with two
    attempts"):

        world = World(db, settings)
        ana = await world.coach("Ana")
        squat = await world.exercise(by=ana, visibility="private")
        leo = await world.learner("Leo", coached_by=ana)
        thread = await world.thread(leo, squat)
        first, second = await world.attempts(thread, 2)

    People are rows (no password hashing: sign-in has tests of its own); links go
    through an invite, exercises are created and published, threads opened, attempts
    added and comments made by the services the routes call."""

    def __init__(self, db: AsyncSession, settings: Any, passwords: Any | None = None) -> None:
        self.db = db
        self.settings = settings
        self.passwords = passwords  # practika.security.Passwords: for people who sign in

    async def reads(self) -> Any:
        """The hot reads' statements on the world's session (db_reads.Reads)."""
        from practika.db_reads import Reads

        return await Reads.of(self.db)

    # People

    async def person(self, name: str, *, admin: bool = False, password: str | None = None) -> Any:
        """With a `password` (and the world's `passwords`), one they can sign in with."""
        from practika.domain.users import User

        email = f"{name.lower().replace(' ', '.')}.{next(_counter)}@example.com"
        password_hash = ""
        if password is not None:
            assert self.passwords is not None, "World(db, settings, passwords) to sign in"
            password_hash = await self.passwords.hash_async(password)
        user = User(email=email, display_name=name, password_hash=password_hash, is_admin=admin)
        self.db.add(user)
        await self.db.commit()
        return user

    coach = person

    async def admin(self, name: str = "Admin") -> Any:
        return await self.person(name, admin=True)

    async def learner(
        self, name: str, *, coached_by: Any | None = None, password: str | None = None
    ) -> Any:
        learner = await self.person(name, password=password)
        if coached_by is not None:
            await self.link(coached_by, learner)
        return learner

    async def signed_in(self, user: Any) -> Person:
        """`user` as the HTTP tests drive people: with the bearer token of a new session."""
        from practika.services import auth

        token = await auth.start_session(self.db, self.settings, user, "tests")
        await self.db.commit()
        return Person(id=str(user.id), email=user.email, token=token, name=user.display_name)

    async def invite(self, coach: Any, *, email: str | None = None) -> str:
        """A pending invite of the coach's; its code."""
        return (await self.pending_invite(coach, email=email)).code  # type: ignore[no-any-return]

    async def pending_invite(
        self, coach: Any, *, email: str | None = None, note: str | None = None
    ) -> Any:
        """The invite row: its `id`, and its `code` while it is pending."""
        from practika.services import invites

        invite, _ = await invites.create_invite(
            self.db, self.settings, coach, email=email, note=note, ttl_days=None
        )
        return invite

    async def link(self, coach: Any, learner: Any) -> None:
        from practika.services import invites

        await invites.accept_invite(self.db, learner, await self.invite(coach))

    # Content

    async def video(self, owner: Any, *, duration_ms: int = 20_000, **facts: Any) -> Video:
        """A processed video (the media pipeline's job, done by hand)."""
        video = processed_video(owner.id, duration_ms, **facts)
        self.db.add(video)
        await self.db.commit()
        return video

    async def clip(self, owner: Any, *, duration_ms: int = 5_000) -> Video:
        """A processed voice clip (audio alone), for a comment or a voice-over review."""
        return await self.video(
            owner,
            duration_ms=duration_ms,
            purpose=VideoPurpose.CLIP,
            audio_codec="opus",
            rendition_key=f"test/{uuid.uuid4()}.mp4",
            poster_key=f"test/{uuid.uuid4()}.jpg",
            sprite_key=f"test/{uuid.uuid4()}.jpg",
        )

    async def exercise(
        self,
        *,
        by: Any,
        title: str = "Goblet squat",
        visibility: str = "public",
        draft: bool = False,
        tags: tuple[str, ...] = ("squat",),
        reference: Video | None = None,
    ) -> Any:
        """On `reference` (a draft too) or, published, on a new 30 s video of its coach's."""
        from practika.domain.exercises import Difficulty, Visibility
        from practika.services import exercises

        if reference is None and not draft:
            reference = await self.video(by, duration_ms=30_000)
        exercise = await exercises.create_exercise(
            self.db,
            by,
            title=title,
            description="",
            category="strength",
            difficulty=Difficulty.BEGINNER,
            visibility=Visibility(visibility),
            tags=list(tags),
            reference_video_id=reference.id if reference is not None else None,
        )
        if not draft:
            exercise = await exercises.publish_exercise(self.db, by, exercise.id)
        return exercise

    async def thread(self, learner: Any, exercise: Any) -> Any:
        from practika.services import threads

        return await threads.open_thread(self.db, learner, exercise.id)

    async def attempt(self, thread: Any, *, duration_ms: int = 20_000, notes: str = "") -> Any:
        from practika.domain.users import User
        from practika.services import threads

        learner = await self.db.get_one(User, thread.learner_id)
        video = await self.video(learner, duration_ms=duration_ms)
        return await threads.add_attempt(
            self.db, learner, thread.id, video_id=video.id, notes=notes, recorded_at=None
        )

    async def attempts(self, thread: Any, count: int) -> list[Any]:
        return [await self.attempt(thread) for _ in range(count)]

    async def comment(
        self,
        by: Any,
        attempt: Any,
        *,
        at_ms: tuple[int, int] = (1000, 2000),
        body: str = "Knees out",
        kind: str | None = None,
        drawing: dict[str, Any] | None = None,
    ) -> Any:
        """`drawing` as a request body has it, checked and stored as the route does."""
        from practika.api.schemas.comments import Drawing
        from practika.domain.comments import CommentKind
        from practika.services import comments

        return await comments.add_comment(
            self.db,
            by,
            attempt.thread_id,
            video_id=attempt.video_id,
            t_start_ms=at_ms[0],
            t_end_ms=at_ms[1],
            body=body,
            kind=CommentKind(kind) if kind is not None else None,
            tags=[],
            reply_to_id=None,
            drawing=Drawing.model_validate(drawing).model_dump(mode="json") if drawing else None,
        )

    async def delete_comment(self, by: Any, comment: Any) -> None:
        """A soft delete, as the route makes it: the row stays, its text goes."""
        from practika.services import comments

        await comments.delete_comment(self.db, by, comment.id)

    async def review(self, by: Any, attempt: Any, *, events: list[Any] | None = None) -> Any:
        """A voice-over review of the attempt on a new clip of `by`'s (play, then pause)."""
        from practika.domain.reviews import Action, Event
        from practika.services import reviews

        voice = await self.clip(by)
        events = events or [Event(0, Action.PLAY, 0), Event(2000, Action.PAUSE, 2000)]
        return await reviews.add_review(
            self.db,
            by,
            self.settings,
            attempt.thread_id,
            video_id=attempt.video_id,
            audio_video_id=voice.id,
            events=events,
            body=None,
        )

    async def share_link(self, by: Any, thread: Any) -> tuple[Any, str]:
        """A week-long share link of the whole thread, and its token."""
        from practika.services import sharing

        return await sharing.create(
            self.db, by, thread.id, attempt_id=None, expires_in_days=7, note=None
        )

    async def playlist(
        self, exercise: Any, *, by: Any, title: str = "Legs", visibility: str = "public"
    ) -> Any:
        """With the exercise as its one item (3 × 8); loaded with its items."""
        from practika.domain.exercises import Visibility
        from practika.services import playlists

        playlist = await playlists.create_playlist(
            self.db, by, title=title, description="", visibility=Visibility(visibility)
        )
        item = {"exercise_id": exercise.id, "sets": 3, "reps": 8}
        return await playlists.add_item(self.db, by, playlist.id, item)

    async def practice_session(
        self, learner: Any, *, playlist: Any | None = None, exercise: Any | None = None
    ) -> Any:
        """Started now, of a playlist or of one exercise."""
        from practika.services import practice

        return await practice.start_session(
            self.db,
            learner,
            playlist_id=playlist.id if playlist is not None else None,
            exercise_id=exercise.id if exercise is not None else None,
            started_at=None,
        )


@asynccontextmanager
async def holding(
    worker: Any, handlers: dict[str, Any], kind: str, monkeypatch: Any
) -> AsyncIterator[asyncio.Event]:
    """Runs the worker with every job of `kind` held running until the block ends, so a
    test can show what else still gets through a lane a long job occupies. Enters once
    the held job has started; the event yielded is set when the hold is let go."""
    release, started = asyncio.Event(), asyncio.Event()

    async def hold(ctx: Any, payload: Any) -> None:
        started.set()
        await release.wait()

    monkeypatch.setitem(handlers, kind, hold)
    stop = asyncio.Event()
    running = asyncio.create_task(worker.run_forever(stop))
    try:
        await asyncio.wait_for(started.wait(), 120)
        yield release
    finally:
        release.set()
        stop.set()
        await running


@contextmanager
def driver_statements() -> Iterator[list[tuple[Any, str]]]:
    """(statement, its SQL) of each statement db_reads.py runs on PostgreSQL's driver
    directly, which SQLAlchemy's engine events never see (on SQLite they go through
    SQLAlchemy, and its events, as every other statement)."""
    from practika.db_reads import Reads, _prepared

    seen: list[tuple[Any, str]] = []
    rows, execute = Reads.rows, Reads.execute

    def record(reads: Reads, statement: Any, params: Any) -> None:
        if reads._driver is not None:
            seen.append((statement, _prepared(statement, reads._connection.dialect).sql))

    async def recording_rows(self: Reads, statement: Any, params: Any) -> Any:
        record(self, statement, params)
        return await rows(self, statement, params)

    async def recording_execute(self: Reads, statement: Any, params: Any) -> None:
        record(self, statement, params)
        await execute(self, statement, params)

    Reads.rows, Reads.execute = recording_rows, recording_execute  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        Reads.rows, Reads.execute = rows, execute  # type: ignore[method-assign]
