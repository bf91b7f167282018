"""A coach, a linked learner, an exercise, a thread and an attempt: what the cached pages show."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from tests.support import PASSWORD, Api, Person, World

EXERCISES = "/api/v1/exercises"
THREADS = "/api/v1/threads"
PROGRESS = "/api/v1/progress"


def comments_path(thread_id: str) -> str:
    return f"/api/v1/threads/{thread_id}/comments"


def unique(word: str) -> str:
    return f"{word} {uuid.uuid4().hex[:12]}"


def search(title: str) -> str:
    """The library filtered to one exercise: other tests' exercises stay out of the page."""
    return f"{EXERCISES}?q={title.split()[-1]}"


@dataclass
class Scene:
    coach: Person
    learner: Person
    exercise_id: str
    exercise_title: str
    thread_id: str
    video_id: str  # the learner's attempt's

    @property
    def comments(self) -> str:
        return comments_path(self.thread_id)


def link(api: Api, coach: Person, learner: Person) -> str:
    code = api.post("/api/v1/invites", coach, json={}).json()["code"]
    r = api.post("/api/v1/invites/accept", learner, json={"code": code})
    assert r.status_code == 200, r.text
    return str(r.json()["id"])


def make_scene(api: Api, visibility: str = "public") -> Scene:
    """A coach with an exercise of `visibility` and a linked learner with one attempt at
    it, both signed in, made through the use cases in the app behind `api` (so its read
    cache hears every write, as it would a route's)."""
    app = api.client.app

    async def build(db: AsyncSession) -> Scene:
        world = World(db, app.state.settings, app.state.passwords)  # type: ignore[attr-defined]
        coach = await world.coach("Coach", password=PASSWORD)
        learner = await world.learner("Learner", coached_by=coach, password=PASSWORD)
        exercise = await world.exercise(by=coach, title=unique("Squat"), visibility=visibility)
        thread = await world.thread(learner, exercise)
        attempt = await world.attempt(thread)
        return Scene(
            coach=await world.signed_in(coach),
            learner=await world.signed_in(learner),
            exercise_id=str(exercise.id),
            exercise_title=exercise.title,
            thread_id=str(thread.id),
            video_id=str(attempt.video_id),
        )

    return api.run(build)
