"""Bugs the fuzzer found, pinned as plain specifications (on SQLite and PostgreSQL)."""

from __future__ import annotations

from tests.support import PASSWORD, Api, error_code


def test_text_with_a_nul_character_is_a_validation_error_not_a_crash(api: Api) -> None:
    r = api.post(
        "/api/v1/auth/signup",
        json={"email": "nul@example.com", "password": PASSWORD, "display_name": "A\u0000B"},
    )
    assert r.status_code == 422, r.text
    assert "NUL" in r.json()["error"]["message"]


def test_nul_in_a_nested_field_is_refused_too(api: Api) -> None:
    coach = api.signup("Ana")
    r = api.post(
        "/api/v1/exercises",
        coach,
        json={
            "title": "Squat",
            "category": "strength",
            "difficulty": "beginner",
            "tags": ["a\u0000"],
        },
    )
    assert r.status_code == 422 and error_code(r) == "invalid"
    # The refusal names the field (it said "request": found by the body suite).
    assert [d["field"] for d in r.json()["error"]["details"]] == ["tags"]


def test_search_terms_with_a_nul_character_are_refused(api: Api) -> None:
    admin = api.signup("Root", admin=True)
    for path, params in [
        ("/api/v1/exercises", {"q": "a\u0000b"}),
        ("/api/v1/exercises", {"tag": "a\u0000b"}),
        ("/api/v1/exercises", {"category": "a\u0000b"}),
        ("/api/v1/admin/users", {"q": "a\u0000b"}),
    ]:
        r = api.get(path, admin, params=params)
        assert r.status_code == 422, (path, params, r.text)


def test_since_takes_an_iso_instant_not_an_epoch_number(api: Api) -> None:
    me = api.signup("Leo")
    assert api.get("/api/v1/notifications", me, params={"since": "0.5"}).status_code == 422
    ok = api.get("/api/v1/notifications", me, params={"since": "2024-01-01T00:00:00Z"})
    assert ok.status_code == 200


def test_account_flags_take_booleans_only(api: Api) -> None:
    admin, someone = api.signup("Root", admin=True), api.signup("Bea")
    for value in (0.0, 1, "true"):
        r = api.patch(f"/api/v1/admin/users/{someone.id}", admin, json={"is_admin": value})
        assert r.status_code == 422, (value, r.text)
    r = api.patch(f"/api/v1/admin/users/{someone.id}", admin, json={"is_active": False})
    assert r.status_code == 200 and r.json()["is_active"] is False


def test_a_media_url_with_non_ascii_signature_fields_is_refused_not_a_crash(api: Api) -> None:
    for query in (
        {"exp": "9999999999", "sig": "p'ó\u0082"},  # compare_digest raised on non-ASCII
        {"exp": "³", "sig": "0" * 64},  # a digit to str.isdigit, not to int()
        {"exp": "9999999999", "sig": "0" * 64, "max": "²"},
    ):
        for method in ("GET", "HEAD"):
            r = api.client.request(method, "/media/files/videos/x/original.mp4", params=query)
            assert r.status_code == 403, (method, query, r.status_code)
        r = api.client.put("/media/parts/abc/1", params=query, content=b"x")
        assert r.status_code == 403, (query, r.status_code)


def _cursor(value: object, row_id: object = "00000000-0000-0000-0000-000000000000") -> str:
    import base64
    import json

    raw = json.dumps([value, row_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_instants_without_an_offset_or_past_the_calendar_are_refused_naming_since(
    api: Api,
) -> None:
    me = api.signup("Leo")
    for since in (
        "2020-01-01T00:00:00",  # no offset: ambiguous, refused rather than guessed
        "0001-01-01T00:00:00+14:00",  # year 0 in UTC
        "9999-12-31T23:59:59-14:00",  # year 10000 in UTC
    ):
        r = api.get("/api/v1/notifications", me, params={"since": since})
        assert r.status_code == 422 and error_code(r) == "invalid", (since, r.text)
        assert r.json()["error"]["details"][0]["field"] == "since"
    ok = api.get("/api/v1/notifications", me, params={"since": "0001-01-01T00:00:00Z"})
    assert ok.status_code == 200


def test_cursors_holding_odd_values_are_refused_anonymously_too(api: Api) -> None:
    for value in (
        "2020-01-01T00:00:00",
        "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:59:59-14:00",
        float("inf"),
        float("nan"),
        10**30,
        True,
        None,
    ):
        for path in ("/api/v1/exercises", "/api/v1/playlists"):
            r = api.get(path, params={"cursor": _cursor(value)})
            assert r.status_code == 422 and error_code(r) == "invalid", (path, value, r.text)
            assert r.json()["error"]["details"] == {"field": "cursor"}
    r = api.get("/api/v1/exercises", params={"cursor": _cursor("2020-01-01T00:00:00Z", 5)})
    assert r.status_code == 422


def test_a_numeric_cursor_past_the_column_range_is_refused(api: Api) -> None:
    coach, learner = api.signup("Ana"), api.signup("Leo")
    api.link(coach, learner)
    thread = api.thread(learner, api.exercise(coach)["id"])
    video_id = api.attempt(learner, thread["id"])["video"]["id"]
    path = f"/api/v1/videos/{video_id}/comments"
    # Comments on a video page by t_start_ms, a BIGINT.
    for value in (2**63, -(2**63) - 1, 10**30, float("inf"), 1.5, "12"):
        r = api.get(path, coach, params={"cursor": _cursor(value)})
        assert r.status_code == 422, (value, r.text)
    assert api.get(path, coach, params={"cursor": _cursor(2**63 - 1)}).status_code == 200


def test_a_too_long_search_tag_is_refused_naming_the_query_parameter(api: Api) -> None:
    """Found by the odd-values suite: the search reused the body's `tags` in its refusal."""
    r = api.get("/api/v1/exercises", params={"tag": "x" * 41})
    assert r.status_code == 422
    assert r.json()["error"]["details"]["field"] == "tag"


def test_an_empty_cursor_is_the_first_page_of_every_list(api: Api) -> None:
    """`?cursor=` asked for the comments page or the thread list answered 500: the query
    was built for a cursor (`is not None`) whose bind values were never set (`if cursor`)."""
    coach, learner = api.signup("Coach"), api.signup("Learner")
    api.link(coach, learner)
    thread = api.thread(learner, api.exercise(coach)["id"])
    video_id = api.attempt(learner, thread["id"])["video"]["id"]
    api.comment(coach, thread["id"], video_id)
    for path in (f"/api/v1/threads/{thread['id']}/comments", "/api/v1/threads"):
        first = api.get(path, learner)
        empty = api.get(path, learner, params={"cursor": ""})
        assert empty.status_code == 200, (path, empty.text)
        assert [i["id"] for i in empty.json()["items"]] == [i["id"] for i in first.json()["items"]]
