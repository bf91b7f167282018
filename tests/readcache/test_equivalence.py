"""A cached answer means exactly what the uncached app (read_cache_mb=0) answers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import TypeAdapter

from practika.api.schemas.comments import CommentPage
from practika.api.schemas.common import Page
from practika.api.schemas.exercises import ExercisePage
from practika.api.schemas.practice import ProgressOut
from practika.api.schemas.threads import ThreadOut
from tests.readcache.conftest import Node, cache_header, running
from tests.readcache.scene import EXERCISES, PROGRESS, THREADS, Scene, make_scene, search
from tests.support import Person


@pytest.fixture(scope="module")
def plain(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Node]:
    with running(tmp_path_factory.mktemp("rc-plain"), database_url, read_cache_mb=0) as node:
        assert node.app.state.read_cache is None
        yield node


@pytest.fixture(scope="module")
def scene(node: Node, plain: Node) -> Scene:
    s = make_scene(node.api, visibility="private")
    node.api.comment(s.coach, s.thread_id, s.video_id, body="Knees out", tags=["knees"])
    node.api.comment(
        s.learner,
        s.thread_id,
        s.video_id,
        body="Like this?",
        drawing={"shapes": [{"type": "arrow", "points": [[0.1, 0.2], [0.3, 0.4]]}]},
    )
    r = node.api.post("/api/v1/sessions", s.learner, json={"exercise_id": s.exercise_id})
    assert r.status_code == 201, r.text
    assert (
        node.api.patch(f"/api/v1/sessions/{r.json()['id']}", s.learner, json={}).status_code == 200
    )
    node.api.exercise(s.coach, title=f"{s.exercise_title} two", tags=["b", "a"])
    return s


def without_server_time(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != "server_time"}


def response_model(path: str) -> Any:
    """The response model of the cached route that answers GET `path` (as declared)."""
    route = path.partition("?")[0]
    if route.endswith("/comments"):
        return CommentPage
    return {EXERCISES: ExercisePage, THREADS: Page[ThreadOut], PROGRESS: ProgressOut}[route]


def holds_to_its_model(path: str, content: bytes) -> None:
    """The answer, serialized straight from the service's dicts (api/deps.py), is what its
    response model would write: it validates, and writing it again changes nothing (no
    field missing, none extra, no value written differently)."""
    adapter = TypeAdapter(response_model(path))
    again = adapter.dump_json(adapter.validate_json(content, strict=False))
    assert json.loads(again) == json.loads(content), path


def compare(node: Node, plain: Node, path: str, who: Person | None) -> Any:
    miss = node.get(path, who)
    assert miss.status_code == 200, miss.text
    assert cache_header(miss) == "MISS", f"{path} was cached before this test"
    holds_to_its_model(path, miss.content)
    hit = node.get(path, who)
    assert cache_header(hit) == "HIT"
    assert hit.content == miss.content
    assert hit.headers["content-type"] == miss.headers["content-type"] == "application/json"
    assert int(hit.headers["content-length"]) == len(hit.content)
    uncached = plain.get(path, who)
    assert uncached.status_code == 200 and cache_header(uncached) != "HIT"
    assert without_server_time(miss.json()) == without_server_time(uncached.json())
    return miss.json()


def test_the_library(node: Node, plain: Node, scene: Scene) -> None:
    for who in (None, scene.learner, scene.coach):
        page = compare(node, plain, search(scene.exercise_title), who)
        titles = [e["title"] for e in page["items"]]
        if who is None:
            assert titles == [f"{scene.exercise_title} two"]
        else:
            assert sorted(titles) == sorted([scene.exercise_title, f"{scene.exercise_title} two"])
    first = compare(node, plain, f"{search(scene.exercise_title)}&limit=1", scene.learner)
    assert first["next_cursor"]
    compare(
        node,
        plain,
        f"{search(scene.exercise_title)}&limit=1&cursor={first['next_cursor']}",
        scene.learner,
    )
    compare(node, plain, f"{EXERCISES}?tag=a&author_id={scene.coach.id}", scene.learner)


def test_the_thread_lists(node: Node, plain: Node, scene: Scene) -> None:
    compare(node, plain, THREADS, scene.learner)
    compare(node, plain, f"{THREADS}?role=coach&awaiting_feedback=false", scene.coach)
    page = compare(node, plain, f"{THREADS}?role=coach", scene.coach)
    assert [t["id"] for t in page["items"]] == [scene.thread_id]


def test_the_comments_page(node: Node, plain: Node, scene: Scene) -> None:
    page = compare(node, plain, scene.comments, scene.learner)
    assert [c["body"] for c in page["items"]] == ["Knees out", "Like this?"]
    compare(node, plain, scene.comments, scene.coach)
    compare(node, plain, f"{scene.comments}?video_id={scene.video_id}&limit=1", scene.coach)


def test_progress(node: Node, plain: Node, scene: Scene) -> None:
    page = compare(node, plain, PROGRESS, scene.learner)
    assert page["sessions_completed"] == 1 and page["feedback_received"] == 1
    compare(node, plain, f"{PROGRESS}?weeks=3", scene.learner)
    compare(node, plain, PROGRESS, scene.coach)


def test_cached_items_match_the_uncached_single_item_routes(
    node: Node, plain: Node, scene: Scene
) -> None:
    """Items of a cached page serialize as the plain routes (FastAPI's response_model) do."""
    library = node.get(search(scene.exercise_title), scene.learner)
    for item in library.json()["items"]:
        assert item == plain.get(f"{EXERCISES}/{item['id']}", scene.learner).json()
    threads = node.get(THREADS, scene.learner).json()["items"]
    assert threads == [plain.get(f"{THREADS}/{scene.thread_id}", scene.learner).json()]
    comments = node.get(scene.comments, scene.learner).json()["items"]
    by_video = plain.get(f"/api/v1/videos/{scene.video_id}/comments", scene.learner).json()
    assert sorted(comments, key=lambda c: c["id"]) == sorted(
        by_video["items"], key=lambda c: c["id"]
    )
    for item in comments:
        assert item == plain.get(f"/api/v1/comments/{item['id']}", scene.learner).json()
