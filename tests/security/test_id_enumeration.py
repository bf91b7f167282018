"""Someone else's id answers exactly like an id that does not exist, on every verb.

tests/api/test_access_matrix.py covers GET by id; this covers the writes and the nested
reads, so that no status, code or message tells a stranger that a thing exists.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.api.test_access_matrix import World, build_world
from tests.support import Api

# (method, path template, which id, body)
PROBES: list[tuple[str, str, str, dict[str, Any] | None]] = [
    ("PATCH", "/api/v1/threads/{id}", "thread", {"status": "archived"}),
    ("GET", "/api/v1/threads/{id}/attempts", "thread", None),
    ("POST", "/api/v1/threads/{id}/attempts", "thread", {"video_id": str(uuid.uuid4())}),
    ("GET", "/api/v1/threads/{id}/comments", "thread", None),
    (
        "POST",
        "/api/v1/threads/{id}/comments",
        "thread",
        {"video_id": str(uuid.uuid4()), "t_start_ms": 0, "t_end_ms": 1, "body": "hi"},
    ),
    ("PATCH", "/api/v1/attempts/{id}", "attempt", {"notes": "x"}),
    ("DELETE", "/api/v1/attempts/{id}", "attempt", None),
    ("PATCH", "/api/v1/comments/{id}", "comment", {"body": "x"}),
    ("DELETE", "/api/v1/comments/{id}", "comment", None),
    ("GET", "/api/v1/comments/{id}/history", "comment", None),
    ("GET", "/api/v1/videos/{id}/comments", "video", None),
    ("PATCH", "/api/v1/exercises/{id}", "exercise", {"title": "x"}),
    ("DELETE", "/api/v1/exercises/{id}", "exercise", None),
    ("PATCH", "/api/v1/playlists/{id}", "playlist", {"title": "x"}),
    ("DELETE", "/api/v1/playlists/{id}", "playlist", None),
    ("POST", "/api/v1/playlists/{id}/duplicate", "playlist", None),
    ("POST", "/api/v1/playlists/{id}/items", "playlist", {"exercise_id": str(uuid.uuid4())}),
    ("PATCH", "/api/v1/sessions/{id}", "session", {"rpe": 5}),
    ("DELETE", "/api/v1/sessions/{id}", "session", None),
    ("POST", "/api/v1/sessions/{id}/items", "session", {"exercise_id": str(uuid.uuid4())}),
    ("DELETE", "/api/v1/invites/{id}", "invite", None),
    ("DELETE", "/api/v1/links/{id}", "link", None),
    ("POST", "/api/v1/threads", "exercise", None),  # opening a thread on a private exercise
]


def call(api: Api, world: World, method: str, template: str, target: str, body: Any) -> Any:
    who = world.people["other_learner"]
    if template == "/api/v1/threads":
        return api.request(method, template, who, json={"exercise_id": target})
    return api.request(method, template.format(id=target), who, json=body)


@pytest.mark.parametrize(("method", "template", "kind", "body"), PROBES)
def test_a_strangers_write_or_nested_read_looks_like_a_missing_id(
    api: Api, method: str, template: str, kind: str, body: Any
) -> None:
    world = build_world(api)
    real = world.ids()[kind]
    hidden = call(api, world, method, template, real, body)
    missing = call(api, world, method, template, str(uuid.uuid4()), body)
    assert hidden.status_code == missing.status_code, (hidden.text, missing.text)
    assert hidden.status_code in (404, 422), hidden.text
    assert hidden.json() == missing.json()


def test_ids_that_are_not_uuids_answer_the_same_for_everyone(api: Api) -> None:
    world = build_world(api)
    answers = {
        role: api.get("/api/v1/threads/1", world.people.get(role)).status_code
        for role in ("learner", "other_learner", "admin")
    }
    assert set(answers.values()) == {404}  # no id at all names nothing: like a missing one


def test_lists_filtered_by_someone_elses_id_are_just_empty(api: Api) -> None:
    world = build_world(api)
    stranger = world.people["other_learner"]
    by_exercise = api.get("/api/v1/threads", stranger, params={"exercise_id": world.exercise["id"]})
    by_random = api.get("/api/v1/threads", stranger, params={"exercise_id": str(uuid.uuid4())})
    assert by_exercise.status_code == by_random.status_code == 200
    assert by_exercise.json()["items"] == by_random.json()["items"] == []
    by_author = api.get(
        "/api/v1/exercises", stranger, params={"author_id": world.people["coach"].id}
    ).json()["items"]
    assert world.exercise["id"] not in {e["id"] for e in by_author}
