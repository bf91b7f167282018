"""Test helpers: a client that acts as named people, and direct database set-up."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fastapi.testclient import TestClient
from sqlalchemy.ext.asyncio import AsyncSession

from practika.domain.videos import Video, VideoPurpose, VideoStatus

T = TypeVar("T")
PASSWORD = "correct horse battery"
_counter = itertools.count()


@dataclass
class Person:
    id: str
    email: str
    token: str
    name: str
    headers: dict[str, str] = field(default_factory=dict)


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
            video = Video(
                **facts,
                owner_id=uuid.UUID(owner.id),
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


def error_code(response: Any) -> str:
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}, body
    assert body["error"]["message"], body
    return body["error"]["code"]  # type: ignore[no-any-return]
