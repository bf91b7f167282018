"""Invite codes: single use, expiring, revocable, secret, and only their coach's to manage.

(Basic reuse, revocation and expiry at accept time are in tests/api/test_coaching.py.)
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select, update

from practika.domain.base import utcnow
from practika.domain.coaching import CoachLink, Invite
from tests.support import PASSWORD, Api, error_code


def signup_with(api: Api, code: str) -> object:
    return api.post(
        "/api/v1/auth/signup",
        json={
            "email": f"new.{uuid.uuid4().hex[:8]}@example.com",
            "password": PASSWORD,
            "display_name": "New",
            "invite_code": code,
        },
    )


def links(api: Api) -> int:
    async def count(db):  # type: ignore[no-untyped-def]
        return len((await db.scalars(select(CoachLink))).all())

    return api.run(count)


def test_a_used_code_cannot_be_reused_at_signup(api: Api) -> None:
    coach = api.signup("Ana")
    code = api.post("/api/v1/invites", coach, json={}).json()["code"]
    api.post("/api/v1/invites/accept", api.signup("Leo"), json={"code": code})
    r = signup_with(api, code)
    assert r.status_code == 409 and error_code(r) == "invite_accepted"
    assert links(api) == 1


def test_the_same_learner_accepting_twice_does_not_make_a_second_link(api: Api) -> None:
    coach, learner = api.signup("Ana"), api.signup("Leo")
    code = api.post("/api/v1/invites", coach, json={}).json()["code"]
    assert api.post("/api/v1/invites/accept", learner, json={"code": code}).status_code == 200
    again = api.post("/api/v1/invites/accept", learner, json={"code": code})
    assert again.status_code == 409
    assert links(api) == 1


def test_revoked_and_expired_codes_are_refused_at_signup(api: Api) -> None:
    coach = api.signup("Ana")
    revoked = api.post("/api/v1/invites", coach, json={}).json()
    api.delete(f"/api/v1/invites/{revoked['id']}", coach)
    r = signup_with(api, revoked["code"])
    assert r.status_code == 409 and error_code(r) == "invite_revoked"

    expired = api.post("/api/v1/invites", coach, json={}).json()

    async def expire(db):  # type: ignore[no-untyped-def]
        await db.execute(
            update(Invite)
            .where(Invite.id == uuid.UUID(expired["id"]))
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
        await db.commit()

    api.run(expire)
    r = signup_with(api, expired["code"])
    assert r.status_code == 409 and error_code(r) == "invite_expired"
    assert links(api) == 0


def test_a_revoked_code_stays_revoked_after_an_accepted_one(api: Api) -> None:
    coach = api.signup("Ana")
    invite = api.post("/api/v1/invites", coach, json={}).json()
    api.post("/api/v1/invites/accept", api.signup("Leo"), json={"code": invite["code"]})
    r = api.delete(f"/api/v1/invites/{invite['id']}", coach)
    # Revoking an accepted invite cannot undo or re-arm it.
    assert r.status_code in (200, 409)
    assert signup_with(api, invite["code"]).status_code == 409


def test_a_code_is_kept_for_its_coach_only_while_pending(api: Api) -> None:
    """Issue 16: the coach's invite list shows a pending code (to share it again). Once
    used or revoked, only its hash is left: the code is in no column and no list."""
    coach, other = api.signup("Ana"), api.signup("Bruno")
    used = api.post("/api/v1/invites", coach, json={}).json()["code"]
    revoked = api.post("/api/v1/invites", coach, json={}).json()
    pending = api.post("/api/v1/invites", coach, json={}).json()["code"]
    api.post("/api/v1/invites/accept", api.signup("Leo"), json={"code": used})
    api.delete(f"/api/v1/invites/{revoked['id']}", coach)

    async def stored(db):  # type: ignore[no-untyped-def]
        rows = (await db.scalars(select(Invite))).all()
        return [str(getattr(i, c.key)) for i in rows for c in Invite.__table__.columns]

    columns = api.run(stored)
    assert not any(used in value or revoked["code"] in value for value in columns)
    listed = api.get("/api/v1/invites", coach).text
    assert pending in listed and used not in listed and revoked["code"] not in listed
    assert pending not in api.get("/api/v1/invites", other).text


def test_codes_that_are_near_misses_are_unknown(api: Api) -> None:
    """Case and dashes are how people type a code (accepted: test_coaching.py); a
    character missing, extra or changed is another code."""
    coach, learner = api.signup("Ana"), api.signup("Leo")
    code = api.post("/api/v1/invites", coach, json={}).json()["code"]
    changed = code[:-1] + ("A" if code[-1] != "A" else "B")
    for guess in (code[:-1], changed, code + "X"):
        r = api.post("/api/v1/invites/accept", learner, json={"code": guess})
        assert r.status_code == 404 and error_code(r) == "invite_not_found"


def test_another_coach_cannot_see_or_revoke_an_invite(api: Api) -> None:
    coach, other = api.signup("Ana"), api.signup("Bruno")
    invite = api.post("/api/v1/invites", coach, json={}).json()
    hidden = api.delete(f"/api/v1/invites/{invite['id']}", other)
    missing = api.delete(f"/api/v1/invites/{uuid.uuid4()}", other)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert api.get("/api/v1/invites", other).json()["items"] == []
    assert (
        api.post(
            "/api/v1/invites/accept", api.signup("Leo"), json={"code": invite["code"]}
        ).status_code
        == 200
    )


def test_a_sign_up_refused_for_its_invite_creates_no_account(api: Api) -> None:
    """Sign-up with an invite is all or nothing: a refused code leaves no account behind."""
    coach = api.signup("Ana")
    used = api.post("/api/v1/invites", coach, json={}).json()["code"]
    api.post("/api/v1/invites/accept", api.signup("Leo"), json={"code": used})
    for code, status, expected in [
        ("no-such-code", 404, "invite_not_found"),
        (used, 409, "invite_accepted"),
    ]:
        body = {
            "email": f"new.{uuid.uuid4().hex[:8]}@example.com",
            "password": PASSWORD,
            "display_name": "New",
        }
        refused = api.post("/api/v1/auth/signup", json=body | {"invite_code": code})
        assert refused.status_code == status and error_code(refused) == expected
        signin = api.post(
            "/api/v1/auth/signin", json={"email": body["email"], "password": PASSWORD}
        )
        assert signin.status_code == 401, signin.text
        # The same email can sign up again, now without the bad code.
        assert api.post("/api/v1/auth/signup", json=body).status_code == 201
    api.client.cookies.clear()
