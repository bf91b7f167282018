"""Session tokens: secret at rest, dead once signed out, revoked by a password change.

(Sign-out revoking a bearer token and a password change signing out other sessions
are in tests/api/test_auth.py; this covers the rest of a token's life.)
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select, update

from practika.domain.base import utcnow
from practika.domain.users import AuthSession
from tests.support import PASSWORD, Api, error_code

ME = "/api/v1/auth/me"


def signin(api: Api, email: str, password: str = PASSWORD) -> dict:
    r = api.post("/api/v1/auth/signin", json={"email": email, "password": password})
    assert r.status_code == 200, r.text
    api.client.cookies.clear()
    return r.json()  # type: ignore[no-any-return]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_signed_out_token_is_refused_everywhere_and_cannot_sign_out_again(api: Api) -> None:
    me = api.signup("Ana")
    assert api.post("/api/v1/auth/signout", me).status_code == 204
    for method, path in (
        ("GET", ME),
        ("PATCH", ME),
        ("POST", "/api/v1/invites"),
        ("POST", "/api/v1/auth/signout"),
    ):
        r = api.request(method, path, me, json={"display_name": "X"} if method == "PATCH" else {})
        assert r.status_code == 401 and error_code(r) == "unauthenticated", (method, path)


def test_signing_out_one_session_leaves_the_others(api: Api) -> None:
    me = api.signup("Ana")
    laptop, phone = signin(api, me.email), signin(api, me.email)
    assert api.post("/api/v1/auth/signout", headers=bearer(laptop["token"])).status_code == 204
    assert api.get(ME, headers=bearer(laptop["token"])).status_code == 401
    assert api.get(ME, headers=bearer(phone["token"])).status_code == 200


def test_a_signed_out_cookie_no_longer_signs_in(api: Api) -> None:
    me = api.signup("Ana")
    r = api.post("/api/v1/auth/signin", json={"email": me.email, "password": PASSWORD})
    token, csrf = r.json()["token"], r.json()["csrf_token"]
    out = api.client.post("/api/v1/auth/signout", headers={"X-CSRF-Token": csrf})
    assert out.status_code == 204
    cleared = [c for c in out.headers.get_list("set-cookie") if c.startswith("practika_session=")]
    assert cleared and ("Max-Age=0" in cleared[0] or "expires=" in cleared[0].lower())
    # Replaying the old cookie by hand: treated as a signed-out visitor.
    api.client.cookies.clear()
    api.client.cookies.set("practika_session", token)
    assert api.client.get(ME).status_code == 401
    api.client.cookies.clear()


def test_a_password_change_revokes_every_other_token_for_writes_too(api: Api) -> None:
    me = api.signup("Ana")
    others = [signin(api, me.email)["token"] for _ in range(3)]
    r = api.post(
        "/api/v1/auth/password",
        me,
        json={"current_password": PASSWORD, "new_password": "a much better one"},
    )
    assert r.status_code == 204
    for token in others:
        assert api.get(ME, headers=bearer(token)).status_code == 401
        assert api.post("/api/v1/invites", headers=bearer(token), json={}).status_code == 401
    assert api.get(ME, me).status_code == 200  # the session that made the change stays


def test_tokens_are_stored_only_as_hashes(api: Api) -> None:
    me = api.signup("Ana")

    async def stored(db):  # type: ignore[no-untyped-def]
        rows = (await db.scalars(select(AuthSession))).all()
        return [str(getattr(row, c.key)) for row in rows for c in AuthSession.__table__.columns]

    assert not any(me.token in value for value in api.run(stored))


def test_an_expired_token_is_refused(api: Api) -> None:
    me = api.signup("Ana")

    async def expire(db):  # type: ignore[no-untyped-def]
        await db.execute(update(AuthSession).values(expires_at=utcnow() - timedelta(seconds=1)))
        await db.commit()

    api.run(expire)
    assert api.get(ME, me).status_code == 401


def test_made_up_and_malformed_tokens_are_refused_alike(api: Api) -> None:
    answers = [
        api.get(ME, headers=h).json()
        for h in (
            bearer(uuid.uuid4().hex),
            bearer("x" * 500),
            bearer("' OR 1=1 --"),
        )
    ]
    assert all(a == answers[0] for a in answers)
    assert answers[0]["error"]["code"] == "unauthenticated"
