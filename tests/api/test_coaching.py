"""Invites: create, list, revoke, accept; and the links they make."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import update

from practika.domain.base import utcnow
from practika.domain.coaching import Invite
from tests.support import PASSWORD, Api, error_code


def test_signup_through_an_invite_links_learner_and_coach(api: Api) -> None:
    coach = api.signup("Ana")
    invite = api.post("/api/v1/invites", coach, json={"note": "Tuesday group"}).json()
    assert invite["state"] == "pending" and len(invite["code"].replace("-", "")) == 16
    learner = api.signup("Leo", invite_code=invite["code"])
    links = api.get("/api/v1/links", coach, params={"role": "coach"}).json()["items"]
    assert [link["learner"]["id"] for link in links] == [learner.id]
    listed = api.get("/api/v1/invites", coach).json()["items"][0]
    assert listed["state"] == "accepted" and listed["code"] is None  # nothing left to share
    kinds = [n["kind"] for n in api.get("/api/v1/notifications", coach).json()["items"]]
    assert kinds == ["invite_accepted"]


def test_a_code_has_no_lookalike_characters_and_stays_in_the_list(api: Api) -> None:
    coach = api.signup("Nora")
    codes = [api.post("/api/v1/invites", coach, json={}).json()["code"] for _ in range(20)]
    assert all(re.fullmatch(r"([A-HJKMNP-Z2-9]{4}-){3}[A-HJKMNP-Z2-9]{4}", c) for c in codes)
    assert not set("".join(codes)) & set("IilLoO01")
    listed = {i["code"] for i in api.get("/api/v1/invites", coach).json()["items"]}
    assert listed == set(codes)
    # Typed as a person would: lower case, spaces for dashes.
    learner = api.signup("Leo")
    typed = codes[0].lower().replace("-", " ")
    r = api.post("/api/v1/invites/accept", learner, json={"code": f" {typed} "})
    assert r.status_code == 200, r.text
    assert r.json()["coach"]["display_name"] == "Nora"


def test_the_join_page_can_name_the_coach_before_sign_in(api: Api) -> None:
    coach = api.signup("Nora")
    code = api.post("/api/v1/invites", coach, json={}).json()["code"]
    r = api.get("/api/v1/invites/preview", params={"code": code})
    assert r.status_code == 200, r.text
    assert (r.json()["coach"]["display_name"], r.json()["state"]) == ("Nora", "pending")
    api.post("/api/v1/invites/accept", api.signup("Leo"), json={"code": code})
    assert api.get("/api/v1/invites/preview", params={"code": code}).json()["state"] == "accepted"
    r = api.get("/api/v1/invites/preview", params={"code": "ABCD-EFGH-JKMN-PQRS"})
    assert r.status_code == 404 and error_code(r) == "invite_not_found"


def test_an_invite_works_once(api: Api) -> None:
    coach = api.signup("Ana")
    code = api.post("/api/v1/invites", coach, json={}).json()["code"]
    api.post("/api/v1/invites/accept", api.signup("Leo"), json={"code": code})
    r = api.post("/api/v1/invites/accept", api.signup("Max"), json={"code": code})
    assert r.status_code == 409 and error_code(r) == "invite_accepted"


def test_revoked_and_expired_invites_are_refused(api: Api) -> None:
    coach, learner = api.signup("Ana"), api.signup("Leo")
    revoked = api.post("/api/v1/invites", coach, json={}).json()
    assert api.delete(f"/api/v1/invites/{revoked['id']}", coach).json()["state"] == "revoked"
    r = api.post("/api/v1/invites/accept", learner, json={"code": revoked["code"]})
    assert r.status_code == 409 and error_code(r) == "invite_revoked"

    expired = api.post("/api/v1/invites", coach, json={}).json()

    async def expire(db):
        await db.execute(update(Invite).values(expires_at=utcnow() - timedelta(minutes=1)))
        await db.commit()

    api.run(expire)
    r = api.post("/api/v1/invites/accept", learner, json={"code": expired["code"]})
    assert r.status_code == 409 and error_code(r) == "invite_expired"
    assert api.get("/api/v1/links", learner).json()["items"] == []


def test_unknown_code_and_own_code(api: Api) -> None:
    coach = api.signup("Ana")
    r = api.post("/api/v1/invites/accept", coach, json={"code": "nope"})
    assert r.status_code == 404 and error_code(r) == "invite_not_found"
    code = api.post("/api/v1/invites", coach, json={}).json()["code"]
    assert api.post("/api/v1/invites/accept", coach, json={"code": code}).status_code == 422


def test_invite_for_an_email_is_only_for_that_email(api: Api) -> None:
    coach = api.signup("Ana")
    code = api.post("/api/v1/invites", coach, json={"email": "leo@example.com"}).json()["code"]
    r = api.post("/api/v1/invites/accept", api.signup("Max"), json={"code": code})
    assert r.status_code == 409 and error_code(r) == "invite_email"


def test_failed_invite_at_signup_keeps_nothing_half_done(api: Api) -> None:
    r = api.post(
        "/api/v1/auth/signup",
        json={
            "email": "new@example.com",
            "password": PASSWORD,
            "display_name": "New",
            "invite_code": "bogus",
        },
    )
    assert r.status_code == 404
    # All or nothing: no account was created (tests/security/test_invite_codes.py has more).
    assert (
        api.post(
            "/api/v1/auth/signin", json={"email": "new@example.com", "password": PASSWORD}
        ).status_code
        == 401
    )


def test_either_side_can_end_a_link(api: Api) -> None:
    coach, learner = api.signup("Ana"), api.signup("Leo")
    api.link(coach, learner)
    link = api.get("/api/v1/links", learner).json()["items"][0]
    assert api.delete(f"/api/v1/links/{link['id']}", learner).status_code == 204
    assert api.get("/api/v1/links", coach).json()["items"] == []
