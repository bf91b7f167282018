"""The exercise library: create, search, filter, paginate, edit."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from practika.domain.videos import Video, VideoStatus
from tests.support import Api, error_code


def test_search_by_text_tag_category_and_difficulty(api: Api) -> None:
    coach = api.signup("Ana")
    api.exercise(coach, title="Goblet squat", tags=["Squat", "legs"], category="strength")
    api.exercise(coach, title="Hip 90/90", tags=["hips"], category="mobility")
    api.exercise(
        coach, title="Pistol", description="single-leg SQUAT", tags=["squat"], difficulty="advanced"
    )

    def titles(**params) -> list[str]:
        r = api.get("/api/v1/exercises", params=params)
        assert r.status_code == 200, r.text
        return sorted(e["title"] for e in r.json()["items"])

    assert titles(q="squat") == ["Goblet squat", "Pistol"]
    assert titles(tag="squat") == ["Goblet squat", "Pistol"]
    assert titles(tag=["squat", "legs"]) == ["Goblet squat"]
    assert titles(category="mobility") == ["Hip 90/90"]
    assert titles(difficulty="advanced") == ["Pistol"]
    assert titles(q="100%") == []
    assert titles(q="_") == []


def test_tags_are_normalized(api: Api) -> None:
    coach = api.signup("Ana")
    e = api.exercise(coach, tags=[" Legs ", "legs", "SQUAT"])
    assert e["tags"] == ["legs", "squat"]


def test_pages_walk_every_item_once(api: Api) -> None:
    coach = api.signup("Ana")
    made = {api.exercise(coach, title=f"E{n}")["id"] for n in range(7)}
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = api.get("/api/v1/exercises", params=params).json()
        seen += [e["id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 7 and set(seen) == made


@pytest.mark.parametrize(
    "params",
    [
        {"cursor": "garbage"},
        {"limit": 0},
        {"limit": 101},
        {"difficulty": "expert"},
        {"author_id": "nope"},
    ],
)
def test_bad_list_parameters_are_clear_errors(api: Api, params) -> None:
    r = api.get("/api/v1/exercises", params=params)
    assert r.status_code == 422
    assert error_code(r) == "invalid"


@pytest.mark.parametrize(
    "body",
    [
        {"title": ""},
        {"category": "juggling"},
        {"difficulty": "expert"},
        {"visibility": "secret"},
        {"tags": "squat"},
        {"title": 42},
        {"reference_video_id": "not-a-uuid"},
    ],
)
def test_invalid_exercises_are_rejected_with_the_field_named(api: Api, body) -> None:
    coach = api.signup("Ana")
    payload = {"title": "T", "category": "strength", "difficulty": "beginner"}
    payload.update(body)
    r = api.post("/api/v1/exercises", coach, json=payload)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["details"][0]["field"] == next(iter(body))
    assert api.get("/api/v1/exercises", coach).json()["items"] == []


def test_reference_video_must_be_the_authors_own(api: Api) -> None:
    coach, other = api.signup("Ana"), api.signup("Bo")
    theirs = api.ready_video(other)
    r = api.post(
        "/api/v1/exercises",
        coach,
        json={
            "title": "T",
            "category": "strength",
            "difficulty": "beginner",
            "reference_video_id": theirs,
        },
    )
    assert r.status_code == 422
    assert r.json()["error"]["details"]["field"] == "reference_video_id"


def test_unlisted_exercise_is_readable_by_link_but_not_listed(api: Api) -> None:
    coach, stranger = api.signup("Ana"), api.signup("Bo")
    e = api.exercise(coach, visibility="link")
    assert api.get(f"/api/v1/exercises/{e['id']}", stranger).status_code == 200
    assert api.get(f"/api/v1/exercises/{e['id']}").status_code == 200
    assert api.get("/api/v1/exercises", stranger).json()["items"] == []
    assert [x["id"] for x in api.get("/api/v1/exercises", coach).json()["items"]] == [e["id"]]


def test_partial_update_changes_only_what_was_sent(api: Api) -> None:
    coach = api.signup("Ana")
    e = api.exercise(coach, description="keep me", tags=["a"])
    r = api.patch(f"/api/v1/exercises/{e['id']}", coach, json={"title": "New", "tags": ["b"]})
    assert r.status_code == 200
    assert (r.json()["title"], r.json()["description"], r.json()["tags"]) == (
        "New",
        "keep me",
        ["b"],
    )


def test_unknown_ids_are_404_with_the_error_shape(api: Api) -> None:
    coach = api.signup("Ana")
    r = api.get(f"/api/v1/exercises/{uuid.uuid4()}", coach)
    assert r.status_code == 404 and error_code(r) == "not_found"
    # An id that is no id names nothing either: the same clean 404, no parser's words.
    malformed = api.get("/api/v1/exercises/not-a-uuid", coach)
    assert malformed.status_code == 404 and error_code(malformed) == "not_found"
    assert "uuid" not in malformed.text.lower()
    assert api.delete("/api/v1/exercises/123", coach).status_code == 404


def test_unknown_route_and_wrong_method_use_the_error_shape(api: Api) -> None:
    assert error_code(api.get("/api/v1/nothing-here")) == "not_found"
    r = api.put("/api/v1/exercises")
    assert r.status_code == 405 and error_code(r) == "method_not_allowed"


def test_oversize_body_is_refused_before_it_is_read(api: Api) -> None:
    coach = api.signup("Ana")
    big = {
        "title": "T",
        "category": "strength",
        "difficulty": "beginner",
        "description": "x" * (2 * 1024 * 1024),
    }
    r = api.post("/api/v1/exercises", coach, json=big)
    assert r.status_code == 413
    assert error_code(r) == "payload_too_large"


def test_chunked_oversize_body_is_refused_too(api: Api) -> None:
    coach = api.signup("Ana")

    def chunks():
        yield b'{"title": "T", "description": "'
        for _ in range(2048):
            yield b"x" * 1024
        yield b'"}'

    r = api.post(
        "/api/v1/exercises", coach, content=chunks(), headers={"content-type": "application/json"}
    )
    assert r.status_code == 413


def test_malformed_json_is_a_clear_error(api: Api) -> None:
    coach = api.signup("Ana")
    r = api.post(
        "/api/v1/exercises",
        coach,
        content=b"{not json",
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 422
    assert error_code(r) == "invalid"


def test_categories_are_listed(api: Api) -> None:
    assert "martial_arts" in api.get("/api/v1/exercises/categories").json()


def test_text_search_can_use_the_trigram_indexes_on_postgresql(api: Api) -> None:
    """The search predicate, as the service writes it, is served by an index, not a scan."""
    from sqlalchemy import or_, select, text

    from practika.domain.exercises import Exercise
    from practika.services.exercises import like_pattern

    if api.client.app.state.engine.dialect.name != "postgresql":  # type: ignore[attr-defined]
        pytest.skip("SQLite has no trigram indexes; the embedded default scans")
    pattern = like_pattern("squat")
    search = select(Exercise.id).where(
        or_(
            Exercise.title.ilike(pattern, escape="\\"),
            Exercise.description.ilike(pattern, escape="\\"),
        )
    )

    async def plan(db: Any) -> str:
        await db.execute(text("SET LOCAL enable_seqscan = off"))  # an empty table: force the choice
        compiled = search.compile(db.bind, compile_kwargs={"literal_binds": True})
        rows = await db.execute(text(f"EXPLAIN {compiled}"))
        return "\n".join(r[0] for r in rows)

    explained = api.run(plan)
    assert "ix_exercises_title_trgm" in explained, explained
    assert "ix_exercises_description_trgm" in explained, explained


def test_search_finds_forms_tags_and_typos_and_counts(api: Api) -> None:
    coach = api.signup("Ana")
    api.exercise(coach, title="Goblet squat", tags=["legs"])
    api.exercise(coach, title="Squats to a box", tags=["mobility"])
    api.exercise(coach, title="Hollow hold", tags=["core"])

    def search(q: str) -> dict:
        r = api.get("/api/v1/exercises", params={"q": q, "limit": 1})
        assert r.status_code == 200, r.text
        return r.json()  # type: ignore[no-any-return]

    plural = search("squats")
    assert (plural["total"], len(plural["items"]), plural["corrected_q"]) == (2, 1, None)
    assert plural["next_cursor"] is not None
    assert [e["title"] for e in search("mobility")["items"]] == ["Squats to a box"]
    typo = search("hollw")
    assert (typo["total"], typo["corrected_q"]) == (1, "hollow")
    assert typo["items"][0]["title"] == "Hollow hold"
    assert search("zebra") == {"items": [], "next_cursor": None, "total": 0, "corrected_q": None}


def test_a_new_exercise_is_a_draft_until_published(api: Api) -> None:
    coach, learner = api.signup("Ana"), api.signup("Leo")
    draft = api.exercise(coach, draft=True, title="Pistol squat")
    assert draft["published_at"] is None
    path = f"/api/v1/exercises/{draft['id']}"
    assert api.get(path, learner).status_code == 404
    assert api.get(path).status_code == 404
    assert api.get(path, coach).status_code == 200
    listed = lambda who: [e["id"] for e in api.get("/api/v1/exercises", who).json()["items"]]  # noqa: E731
    assert listed(learner) == [] and listed(None) == []
    assert listed(coach) == [draft["id"]]
    assert (
        api.post("/api/v1/threads", learner, json={"exercise_id": draft["id"]}).status_code == 404
    )

    # No reference video, then one still processing: a clear 409 naming the field.
    r = api.post(f"{path}/publish", coach)
    assert r.status_code == 409, r.text
    assert r.json()["error"]["code"] == "reference_video_missing"
    assert r.json()["error"]["details"]["field"] == "reference_video_id"
    video = api.ready_video(coach)
    api.run(_set_status(video, VideoStatus.PROCESSING))
    assert api.patch(path, coach, json={"reference_video_id": video}).status_code == 200
    r = api.post(f"{path}/publish", coach)
    assert r.status_code == 409 and r.json()["error"]["code"] == "reference_video_not_ready"

    api.run(_set_status(video, VideoStatus.READY))
    r = api.post(f"{path}/publish", coach)
    assert r.status_code == 200, r.text
    assert r.json()["published_at"] is not None
    assert api.get(path, learner).status_code == 200
    assert listed(None) == [draft["id"]]
    # Publishing again changes nothing; nobody else may publish.
    assert api.post(f"{path}/publish", coach).json()["published_at"] == r.json()["published_at"]
    assert api.post(f"{path}/publish", learner).status_code == 403


def _set_status(video_id: str, status: VideoStatus):  # type: ignore[no-untyped-def]
    async def work(db: AsyncSession) -> None:
        await db.execute(update(Video).where(Video.id == uuid.UUID(video_id)).values(status=status))
        await db.commit()

    return work


def test_lists_show_each_exercise_its_own_tags_in_order(api: Api) -> None:
    """The library and the thread list read tags inside their page statement: each
    exercise gets its own, sorted, however they were added, and none for none."""
    coach, learner = api.signup("Ana"), api.signup("Leo")
    api.link(coach, learner)
    tagged = api.exercise(coach, title="Tagged", tags=["squat", "legs"])
    r = api.patch(
        f"/api/v1/exercises/{tagged['id']}", coach, json={"tags": ["zeta", "legs", "alpha", "mid"]}
    )
    assert r.status_code == 200, r.text
    bare = api.exercise(coach, title="Bare", tags=[])
    library = api.get("/api/v1/exercises", learner).json()["items"]
    by_title = {e["title"]: e["tags"] for e in library}
    assert by_title["Tagged"] == ["alpha", "legs", "mid", "zeta"]
    assert by_title["Bare"] == []
    for exercise in (tagged, bare):
        api.thread(learner, exercise["id"])
    threads = api.get("/api/v1/threads?role=learner", learner).json()["items"]
    shown = {t["exercise"]["title"]: t["exercise"]["tags"] for t in threads}
    assert shown == {"Tagged": ["alpha", "legs", "mid", "zeta"], "Bare": []}
