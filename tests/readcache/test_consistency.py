"""One app on PostgreSQL: cached pages are served again, and never once a write changed them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from practika.api.deps import SESSION_COOKIE
from tests.readcache.conftest import Node, cache_header
from tests.readcache.scene import (
    EXERCISES,
    PROGRESS,
    THREADS,
    Scene,
    comments_path,
    link,
    make_scene,
    search,
    unique,
)
from tests.support import PASSWORD, Person


def warm(node: Node, path: str, who: Person | None = None) -> Any:
    """Ask twice: the second answer is a hit, byte for byte the first."""
    first = node.get(path, who)
    assert first.status_code == 200, first.text
    second = node.get(path, who)
    assert second.status_code == 200, second.text
    assert cache_header(second) == "HIT", (path, second.headers)
    assert second.content == first.content
    assert second.headers["content-type"] == "application/json"
    return second.json()


def fresh(node: Node, path: str, who: Person | None = None) -> Any:
    """The next answer after a write: computed again, not served from the cache."""
    r = node.get(path, who)
    assert r.status_code == 200, r.text
    assert cache_header(r) == "MISS", (path, r.headers)
    return r.json()


@pytest.fixture
def scene(node: Node) -> Scene:
    return make_scene(node.api)


def bodies(page: dict[str, Any]) -> list[str]:
    return [c["body"] for c in page["items"]]


# Comments


def test_a_new_comment_shows_at_once(node: Node, scene: Scene) -> None:
    assert warm(node, scene.comments, scene.learner)["items"] == []
    warm(node, scene.comments, scene.coach)
    node.api.comment(scene.coach, scene.thread_id, scene.video_id, body="Knees out")
    # both members' pages are made of the thread
    assert bodies(fresh(node, scene.comments, scene.learner)) == ["Knees out"]
    assert bodies(fresh(node, scene.comments, scene.coach)) == ["Knees out"]
    assert bodies(warm(node, scene.comments, scene.learner)) == ["Knees out"]


def test_an_edit_and_a_delete_show_at_once(node: Node, scene: Scene) -> None:
    c = node.api.comment(scene.coach, scene.thread_id, scene.video_id, body="Knees out")
    assert bodies(warm(node, scene.comments, scene.learner)) == ["Knees out"]
    r = node.api.patch(f"/api/v1/comments/{c['id']}", scene.coach, json={"body": "Chest up"})
    assert r.status_code == 200, r.text
    page = fresh(node, scene.comments, scene.learner)
    assert bodies(page) == ["Chest up"]
    assert page["items"][0]["edited_at"] is not None
    warm(node, scene.comments, scene.learner)
    r = node.api.delete(f"/api/v1/comments/{c['id']}", scene.coach)
    assert r.status_code == 200, r.text
    after = fresh(node, scene.comments, scene.learner)
    assert [item["deleted_at"] is not None for item in after["items"]] in ([True], [])


def test_a_polling_page_with_since_shows_later_comments(node: Node, scene: Scene) -> None:
    page = warm(node, scene.comments, scene.learner)
    since = f"{scene.comments}?since={page['server_time']}".replace("+", "%2B")
    assert warm(node, since, scene.learner)["items"] == []
    node.api.comment(scene.coach, scene.thread_id, scene.video_id, body="New")
    assert bodies(fresh(node, since, scene.learner)) == ["New"]


def test_a_renamed_author_shows_on_cached_pages(node: Node, scene: Scene) -> None:
    node.api.comment(scene.coach, scene.thread_id, scene.video_id)
    page = warm(node, scene.comments, scene.learner)
    assert page["items"][0]["author"]["display_name"] == "Coach"
    library = warm(node, search(scene.exercise_title), scene.learner)
    assert library["items"][0]["author"]["display_name"] == "Coach"
    r = node.api.patch("/api/v1/auth/me", scene.coach, json={"display_name": "Coach Ana"})
    assert r.status_code == 200, r.text
    page = fresh(node, scene.comments, scene.learner)
    assert page["items"][0]["author"]["display_name"] == "Coach Ana"
    library = fresh(node, search(scene.exercise_title), scene.learner)
    assert library["items"][0]["author"]["display_name"] == "Coach Ana"


# Threads


def only(page: dict[str, Any], thread_id: str) -> dict[str, Any]:
    matches = [t for t in page["items"] if t["id"] == thread_id]
    assert len(matches) == 1, page
    return matches[0]


def test_the_thread_list_follows_feedback_attempts_and_status(node: Node, scene: Scene) -> None:
    tid = scene.thread_id
    before = only(warm(node, THREADS, scene.learner), tid)
    assert before["awaiting_feedback"] is True and before["status"] == "open"

    node.api.comment(scene.coach, tid, scene.video_id)
    answered = only(fresh(node, THREADS, scene.learner), tid)
    assert answered["awaiting_feedback"] is False
    assert answered["last_activity_at"] > before["last_activity_at"]

    warm(node, THREADS, scene.learner)
    node.api.attempt(scene.learner, tid)
    again = only(fresh(node, THREADS, scene.learner), tid)
    assert again["awaiting_feedback"] is True
    assert again["last_activity_at"] > answered["last_activity_at"]

    warm(node, THREADS, scene.learner)
    r = node.api.patch(f"/api/v1/threads/{tid}", scene.learner, json={"status": "archived"})
    assert r.status_code == 200, r.text
    assert only(fresh(node, THREADS, scene.learner), tid)["status"] == "archived"


def test_the_coach_inbox_follows_the_learner_and_the_coach(node: Node, scene: Scene) -> None:
    inbox = f"{THREADS}?role=coach&awaiting_feedback=true"
    tid = scene.thread_id
    assert [t["id"] for t in warm(node, inbox, scene.coach)["items"]] == [tid]
    node.api.comment(scene.coach, tid, scene.video_id)
    assert fresh(node, inbox, scene.coach)["items"] == []
    assert warm(node, inbox, scene.coach)["items"] == []
    node.api.attempt(scene.learner, tid)  # written by the learner, shown to the coach
    assert [t["id"] for t in fresh(node, inbox, scene.coach)["items"]] == [tid]


def test_a_new_thread_shows_in_both_lists(node: Node, scene: Scene) -> None:
    warm(node, THREADS, scene.learner)
    warm(node, THREADS, scene.coach)
    other = node.api.exercise(scene.coach, title=unique("Lunge"))
    thread = node.api.thread(scene.learner, other["id"])
    assert thread["id"] in [t["id"] for t in fresh(node, THREADS, scene.learner)["items"]]
    assert thread["id"] in [t["id"] for t in fresh(node, THREADS, scene.coach)["items"]]


def test_an_admin_thread_list_follows_other_peoples_threads(node: Node, scene: Scene) -> None:
    """An admin sees every thread; their cached list must follow threads they are not in."""
    admin = node.api.signup("Admin", admin=True)
    tid = scene.thread_id
    path = f"{THREADS}?exercise_id={scene.exercise_id}"
    assert only(warm(node, path, admin), tid)["status"] == "open"
    r = node.api.patch(f"/api/v1/threads/{tid}", scene.learner, json={"status": "archived"})
    assert r.status_code == 200, r.text
    r = node.get(path, admin)
    assert only(r.json(), tid)["status"] == "archived", f"stale {cache_header(r)} for an admin"


# The library


def test_an_exercise_edit_shows_to_visitors_and_members(node: Node, scene: Scene) -> None:
    path = search(scene.exercise_title)
    assert warm(node, path)["items"][0]["title"] == scene.exercise_title
    warm(node, path, scene.learner)
    title = f"{scene.exercise_title} deep"
    r = node.api.patch(f"{EXERCISES}/{scene.exercise_id}", scene.coach, json={"title": title})
    assert r.status_code == 200, r.text
    assert fresh(node, path)["items"][0]["title"] == title
    assert fresh(node, path, scene.learner)["items"][0]["title"] == title

    warm(node, path)
    r = node.api.patch(
        f"{EXERCISES}/{scene.exercise_id}", scene.coach, json={"tags": ["legs", "squat"]}
    )
    assert r.status_code == 200, r.text
    assert fresh(node, path)["items"][0]["tags"] == ["legs", "squat"]

    warm(node, path)
    r = node.api.patch(f"{EXERCISES}/{scene.exercise_id}", scene.coach, json={"visibility": "link"})
    assert r.status_code == 200, r.text
    assert fresh(node, path)["items"] == []


def test_a_new_exercise_shows_in_the_library(node: Node) -> None:
    coach = node.api.signup("Coach")
    title = unique("Press")
    path = search(title)
    assert warm(node, path)["items"] == []
    node.api.exercise(coach, title=title)
    assert [e["title"] for e in fresh(node, path)["items"]] == [title]


def test_a_deleted_exercise_leaves_the_library(node: Node, scene: Scene) -> None:
    path = search(scene.exercise_title)
    assert len(warm(node, path)["items"]) == 1
    warm(node, THREADS, scene.learner)
    r = node.api.delete(f"{EXERCISES}/{scene.exercise_id}", scene.coach)
    assert r.status_code == 204, r.text
    assert fresh(node, path)["items"] == []
    assert fresh(node, THREADS, scene.learner)["items"] == []


def test_a_draft_enters_the_cached_library_when_published(node: Node) -> None:
    coach, learner = node.api.signup("Coach"), node.api.signup("Learner")
    title = unique("Lunge")
    draft = node.api.exercise(
        coach, title=title, draft=True, reference_video_id=node.api.ready_video(coach)
    )
    path = search(title)
    assert warm(node, path, learner)["items"] == []
    assert [e["title"] for e in warm(node, path, coach)["items"]] == [title]
    r = node.api.post(f"{EXERCISES}/{draft['id']}/publish", coach)
    assert r.status_code == 200, r.text
    page = fresh(node, path, learner)
    assert ([e["title"] for e in page["items"]], page["total"]) == ([title], 1)


def test_word_search_follows_tags_and_corrects_typos_against_fresh_words(node: Node) -> None:
    coach = node.api.signup("Coach")
    # Ends in two different letters: swapping two equal ones (1 in 16 random words) made
    # a "typo" that was the word itself, with nothing to correct.
    word = "zq" + uuid.uuid4().hex[:8].translate(str.maketrans("0123456789", "ghijklmnop")) + "rt"
    exercise = node.api.exercise(coach, title=unique("Drill"))
    by_tag = f"{EXERCISES}?q={word}s"  # the plural of the tag to come
    typo = f"{EXERCISES}?q={word[:-2]}{word[-1]}{word[-2]}"  # its last two letters swapped
    assert warm(node, by_tag)["items"] == []
    assert warm(node, typo)["total"] == 0
    r = node.api.patch(f"{EXERCISES}/{exercise['id']}", coach, json={"tags": [word]})
    assert r.status_code == 200, r.text
    assert [e["id"] for e in fresh(node, by_tag)["items"]] == [exercise["id"]]
    corrected = fresh(node, typo)
    assert ([e["id"] for e in corrected["items"]], corrected["corrected_q"]) == (
        [exercise["id"]],
        word,
    )


def test_a_coach_link_opens_and_closes_private_exercises(node: Node) -> None:
    coach, learner = node.api.signup("Coach"), node.api.signup("Learner")
    title = unique("Private drill")
    node.api.exercise(coach, title=title, visibility="private")
    path = search(title)
    assert warm(node, path, learner)["items"] == []
    link_id = link(node.api, coach, learner)
    assert [e["title"] for e in fresh(node, path, learner)["items"]] == [title]
    warm(node, path, learner)
    r = node.api.delete(f"/api/v1/links/{link_id}", learner)
    assert r.status_code == 204, r.text
    assert fresh(node, path, learner)["items"] == []


# Progress


def test_progress_follows_practice_sessions(node: Node) -> None:
    coach, learner = node.api.signup("Coach"), node.api.signup("Learner")
    exercise = node.api.exercise(coach, title=unique("Plank"))
    before = warm(node, PROGRESS, learner)
    assert before["practice_days"] == 0 and before["sessions_completed"] == 0

    started_at = (datetime.now(UTC) - timedelta(minutes=30)).isoformat()
    r = node.api.post(
        "/api/v1/sessions", learner, json={"exercise_id": exercise["id"], "started_at": started_at}
    )
    assert r.status_code == 201, r.text
    started = fresh(node, PROGRESS, learner)
    assert started["practice_days"] == 1 and started["current_streak_days"] == 1
    assert started["sessions_completed"] == 0

    warm(node, PROGRESS, learner)
    done = node.api.patch(f"/api/v1/sessions/{r.json()['id']}", learner, json={"rpe": 6})
    assert done.status_code == 200, done.text
    finished = fresh(node, PROGRESS, learner)
    assert finished["sessions_completed"] == 1
    assert finished["minutes_per_week"][-1]["minutes"] == 30

    warm(node, PROGRESS, learner)
    r = node.api.delete(f"/api/v1/sessions/{r.json()['id']}", learner)
    assert r.status_code == 204, r.text
    assert fresh(node, PROGRESS, learner)["sessions_completed"] == 0


def test_progress_follows_feedback_attempts_and_titles(node: Node, scene: Scene) -> None:
    before = warm(node, PROGRESS, scene.learner)
    assert before["feedback_received"] == 0
    assert [e["attempts"] for e in before["attempts_per_exercise"]] == [1]

    c = node.api.comment(scene.coach, scene.thread_id, scene.video_id)
    assert fresh(node, PROGRESS, scene.learner)["feedback_received"] == 1
    warm(node, PROGRESS, scene.learner)
    assert node.api.delete(f"/api/v1/comments/{c['id']}", scene.coach).status_code == 200
    assert fresh(node, PROGRESS, scene.learner)["feedback_received"] == 0

    warm(node, PROGRESS, scene.learner)
    node.api.attempt(scene.learner, scene.thread_id)
    assert [
        e["attempts"] for e in fresh(node, PROGRESS, scene.learner)["attempts_per_exercise"]
    ] == [2]

    warm(node, PROGRESS, scene.learner)
    title = unique("Renamed")
    r = node.api.patch(f"{EXERCISES}/{scene.exercise_id}", scene.coach, json={"title": title})
    assert r.status_code == 200, r.text
    assert fresh(node, PROGRESS, scene.learner)["attempts_per_exercise"][0]["title"] == title


# Who is asking


def all_routes(scene: Scene) -> list[str]:
    return [search(scene.exercise_title), THREADS, scene.comments, PROGRESS]


def sign_in(node: Node, who: Person) -> Person:
    r = node.api.post("/api/v1/auth/signin", json={"email": who.email, "password": PASSWORD})
    assert r.status_code == 200, r.text
    node.client.cookies.clear()
    return Person(who.id, who.email, r.json()["token"], who.name)


def test_a_signed_out_token_gets_401_not_a_hit(node: Node, scene: Scene) -> None:
    other_device = sign_in(node, scene.learner)
    for path in all_routes(scene):
        warm(node, path, scene.learner)
        warm(node, path, other_device)
    r = node.api.post("/api/v1/auth/signout", scene.learner)
    assert r.status_code == 204, r.text
    for path in all_routes(scene):
        r = node.get(path, scene.learner)
        assert r.status_code == 401, (path, r.status_code, cache_header(r))
        assert cache_header(r) != "HIT"
        # the person's other session is still signed in
        assert node.get(path, other_device).status_code == 200


def test_a_password_change_signs_other_tokens_out_of_cached_routes(
    node: Node, scene: Scene
) -> None:
    other_device = sign_in(node, scene.learner)
    for path in all_routes(scene):
        warm(node, path, other_device)
    r = node.api.post(
        "/api/v1/auth/password",
        scene.learner,
        json={"current_password": PASSWORD, "new_password": "another long passphrase"},
    )
    assert r.status_code == 204, r.text
    for path in all_routes(scene):
        assert node.get(path, other_device).status_code == 401, path
        assert node.get(path, scene.learner).status_code == 200, path


def test_a_deactivated_account_gets_401_from_cached_routes(node: Node, scene: Scene) -> None:
    admin = node.api.signup("Admin", admin=True)
    for path in all_routes(scene):
        warm(node, path, scene.learner)
    r = node.api.patch(f"/api/v1/admin/users/{scene.learner.id}", admin, json={"is_active": False})
    assert r.status_code == 200, r.text
    for path in all_routes(scene):
        assert node.get(path, scene.learner).status_code == 401, path


def test_a_stale_cookie_gets_the_visitors_answer_not_the_persons(node: Node) -> None:
    coach, learner = node.api.signup("Coach"), node.api.signup("Learner")
    link(node.api, coach, learner)
    title = unique("Members only")
    node.api.exercise(coach, title=title, visibility="private")
    path = search(title)
    cookie = {SESSION_COOKIE: learner.token}
    try:
        node.client.cookies.update(cookie)
        assert [e["title"] for e in warm(node, path)["items"]] == [title]
        node.client.cookies.clear()
        assert warm(node, path)["items"] == []  # a visitor's own answer
        assert node.api.post("/api/v1/auth/signout", learner).status_code == 204
        node.client.cookies.update(cookie)
        r = node.get(path)
        assert r.status_code == 200
        assert r.json()["items"] == [], "a signed-out cookie was served the person's answer"
    finally:
        node.client.cookies.clear()


def test_two_learners_asking_the_same_url_each_get_their_own(node: Node) -> None:
    coach = node.api.signup("Coach")
    one, two = node.api.signup("One"), node.api.signup("Two")
    link(node.api, coach, one)
    private = unique("Private")
    node.api.exercise(coach, title=private, visibility="private")
    public = node.api.exercise(coach, title=unique("Public"))
    thread = node.api.thread(one, public["id"])
    node.api.attempt(one, thread["id"])

    assert [t["id"] for t in warm(node, THREADS, one)["items"]] == [thread["id"]]
    assert len(warm(node, PROGRESS, one)["attempts_per_exercise"]) == 1
    assert [e["title"] for e in warm(node, search(private), one)["items"]] == [private]

    r = node.get(THREADS, two)
    assert cache_header(r) == "MISS" and r.json()["items"] == []
    r = node.get(PROGRESS, two)
    assert cache_header(r) == "MISS" and r.json()["attempts_per_exercise"] == []
    r = node.get(search(private), two)
    assert cache_header(r) == "MISS" and r.json()["items"] == []
    r = node.get(search(private))
    assert cache_header(r) == "MISS" and r.json()["items"] == []
    # and each keeps getting their own
    assert warm(node, THREADS, two)["items"] == []
    assert [t["id"] for t in warm(node, THREADS, one)["items"]] == [thread["id"]]


def test_a_non_member_gets_404_right_after_a_members_hit(node: Node, scene: Scene) -> None:
    node.api.comment(scene.coach, scene.thread_id, scene.video_id)
    warm(node, scene.comments, scene.learner)
    outsider = node.api.signup("Outsider")
    for _ in range(2):
        r = node.get(scene.comments, outsider)
        assert r.status_code == 404, r.text
        assert cache_header(r) != "HIT"
    r = node.get(scene.comments)  # a visitor
    assert r.status_code == 401
    r = node.get(scene.comments, Person("x", "x", "not-a-token", "x"))
    assert r.status_code == 401
    assert bodies(warm(node, scene.comments, scene.learner)) == ["Knees out"]


def test_errors_are_never_cached(node: Node, scene: Scene) -> None:
    for path in (f"{PROGRESS}?weeks=0", comments_path("00000000-0000-0000-0000-000000000000")):
        for _ in range(2):
            r = node.get(path, scene.learner)
            assert r.status_code in (404, 422), r.text
            assert cache_header(r) != "HIT"
