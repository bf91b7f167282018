"""A coach, a linked learner, an exercise, a thread and an attempt: what the cached pages show."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from tests.support import Api, Person

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
    exercise: dict[str, Any]
    thread: dict[str, Any]
    attempt: dict[str, Any]

    @property
    def comments(self) -> str:
        return comments_path(self.thread["id"])

    @property
    def video_id(self) -> str:
        return str(self.attempt["video"]["id"])


def link(api: Api, coach: Person, learner: Person) -> str:
    code = api.post("/api/v1/invites", coach, json={}).json()["code"]
    r = api.post("/api/v1/invites/accept", learner, json={"code": code})
    assert r.status_code == 200, r.text
    return str(r.json()["id"])


def make_scene(api: Api, visibility: str = "public") -> Scene:
    coach, learner = api.signup("Coach"), api.signup("Learner")
    link(api, coach, learner)
    exercise = api.exercise(
        coach,
        title=unique("Squat"),
        visibility=visibility,
        reference_video_id=api.ready_video(coach, 30_000),
    )
    thread = api.thread(learner, exercise["id"])
    attempt = api.attempt(learner, thread["id"])
    return Scene(coach, learner, exercise, thread, attempt)
