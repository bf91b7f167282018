"""Sign-up, sign-in, sessions, CSRF, throttling and password changes."""

from __future__ import annotations

from tests.support import PASSWORD, Api, error_code


def test_signup_returns_a_working_bearer_token(api: Api) -> None:
    me = api.signup("Ana")
    r = api.get("/api/v1/auth/me", me)
    assert r.status_code == 200
    assert r.json()["email"] == me.email
    assert "password_hash" not in r.json()


def test_email_is_unique_regardless_of_case(api: Api) -> None:
    me = api.signup("Ana")
    r = api.post(
        "/api/v1/auth/signup",
        json={"email": me.email.upper(), "password": PASSWORD, "display_name": "Other"},
    )
    assert r.status_code == 409
    assert error_code(r) == "email_taken"


def test_signin_is_case_insensitive_and_sets_http_only_cookie(api: Api) -> None:
    me = api.signup("Ana")
    r = api.post("/api/v1/auth/signin", json={"email": me.email.upper(), "password": PASSWORD})
    assert r.status_code == 200
    cookies = r.headers.get_list("set-cookie")
    session = next(c for c in cookies if c.startswith("practika_session="))
    assert "HttpOnly" in session and "SameSite=lax" in session
    csrf = next(c for c in cookies if c.startswith("practika_csrf="))
    assert "HttpOnly" not in csrf
    assert "Secure" not in session  # plain HTTP (the test client); HTTPS below


def test_cookies_are_secure_over_https(api: Api) -> None:
    me = api.signup("Ana")
    r = api.client.post(
        "https://testserver/api/v1/auth/signin", json={"email": me.email, "password": PASSWORD}
    )
    session = next(c for c in r.headers.get_list("set-cookie") if c.startswith("practika_session="))
    assert "Secure" in session


def test_wrong_password_is_rejected_without_saying_which_part_was_wrong(api: Api) -> None:
    me = api.signup("Ana")
    wrong = api.post("/api/v1/auth/signin", json={"email": me.email, "password": "nope-nope-nope"})
    unknown = api.post("/api/v1/auth/signin", json={"email": "x@example.com", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


def test_cookie_writes_need_the_csrf_token(api: Api) -> None:
    me = api.signup("Ana")
    signin = api.post("/api/v1/auth/signin", json={"email": me.email, "password": PASSWORD})
    csrf = signin.json()["csrf_token"]
    body = {"display_name": "Ana B"}
    without = api.client.patch("/api/v1/auth/me", json=body)
    assert without.status_code == 403
    assert error_code(without) == "csrf"
    wrong = api.client.patch("/api/v1/auth/me", json=body, headers={"X-CSRF-Token": "f" * 64})
    assert wrong.status_code == 403
    ok = api.client.patch("/api/v1/auth/me", json=body, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 200
    assert ok.json()["display_name"] == "Ana B"
    # Reads with the cookie need no token.
    assert api.client.get("/api/v1/auth/me").status_code == 200


def test_signout_revokes_the_token(api: Api) -> None:
    me = api.signup("Ana")
    assert api.post("/api/v1/auth/signout", me).status_code == 204
    r = api.get("/api/v1/auth/me", me)
    assert r.status_code == 401
    assert error_code(r) == "unauthenticated"


def test_signin_is_throttled_after_repeated_failures(api: Api) -> None:
    me = api.signup("Ana")
    for _ in range(5):
        r = api.post("/api/v1/auth/signin", json={"email": me.email, "password": "wrong-wrong"})
        assert r.status_code == 401
    blocked = api.post("/api/v1/auth/signin", json={"email": me.email, "password": PASSWORD})
    assert blocked.status_code == 429
    assert error_code(blocked) == "too_many_requests"
    assert int(blocked.headers["Retry-After"]) > 0


def test_password_change_signs_out_other_sessions(api: Api) -> None:
    me = api.signup("Ana")
    other = api.post("/api/v1/auth/signin", json={"email": me.email, "password": PASSWORD}).json()
    api.client.cookies.clear()
    r = api.post(
        "/api/v1/auth/password",
        me,
        json={"current_password": PASSWORD, "new_password": "a much better one"},
    )
    assert r.status_code == 204
    assert api.get("/api/v1/auth/me", me).status_code == 200
    stale = api.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {other['token']}"})
    assert stale.status_code == 401
    old = api.post("/api/v1/auth/signin", json={"email": me.email, "password": PASSWORD})
    assert old.status_code == 401
    new = api.post("/api/v1/auth/signin", json={"email": me.email, "password": "a much better one"})
    assert new.status_code == 200


def test_password_change_needs_the_current_password(api: Api) -> None:
    me = api.signup("Ana")
    r = api.post(
        "/api/v1/auth/password",
        me,
        json={"current_password": "not-it-at-all", "new_password": "a much better one"},
    )
    assert r.status_code == 422
    assert r.json()["error"]["details"]["field"] == "current_password"


def test_short_password_gets_an_actionable_message(api: Api) -> None:
    r = api.post(
        "/api/v1/auth/signup",
        json={"email": "a@example.com", "password": "short", "display_name": "A"},
    )
    assert r.status_code == 422
    assert "at least 10 characters" in r.json()["error"]["message"]


def test_bad_email_is_a_validation_error_naming_the_field(api: Api) -> None:
    r = api.post(
        "/api/v1/auth/signup",
        json={"email": "not-an-email", "password": PASSWORD, "display_name": "A"},
    )
    assert r.status_code == 422
    assert r.json()["error"]["details"][0]["field"] == "email"


def test_deactivated_user_cannot_use_their_token(api: Api) -> None:
    admin = api.signup("Root", admin=True)
    me = api.signup("Ana")
    r = api.patch(f"/api/v1/admin/users/{me.id}", admin, json={"is_active": False})
    assert r.status_code == 200
    assert api.get("/api/v1/auth/me", me).status_code == 401
