"""Password-reset links: issued by an admin, single use, expiring, replaced by a newer one;
using one sets the password, signs out everywhere and lifts a sign-in lockout."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select, update

from practika.domain.users import PasswordReset
from tests.support import PASSWORD, Api, Person, error_code

NEW = "a brand new passphrase"


def issue(api: Api, admin: Person, person: Person) -> dict[str, Any]:
    r = api.post(f"/api/v1/admin/users/{person.id}/password-reset", admin)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def redeem(api: Api, token: str, password: str = NEW) -> Any:
    return api.post("/api/v1/auth/password-reset", json={"token": token, "new_password": password})


def signs_in(api: Api, person: Person, password: str) -> bool:
    r = api.post("/api/v1/auth/signin", json={"email": person.email, "password": password})
    api.client.cookies.clear()
    return r.status_code == 200  # type: ignore[no-any-return]


def test_a_reset_link_sets_the_password_and_signs_out_everywhere(api: Api) -> None:
    admin, leo = api.signup("Root", admin=True), api.signup("Leo")
    link = issue(api, admin, leo)
    assert link["user_id"] == leo.id
    assert parse_qs(urlsplit(link["reset_path"]).query)["token"] == [link["token"]]
    expires = datetime.fromisoformat(link["expires_at"])
    assert timedelta(hours=23) < expires - datetime.now(UTC) <= timedelta(hours=24)

    assert redeem(api, link["token"]).status_code == 204
    assert api.get("/api/v1/auth/me", leo).status_code == 401  # the old session is gone
    assert not signs_in(api, leo, PASSWORD)
    assert signs_in(api, leo, NEW)


def test_a_link_works_once(api: Api) -> None:
    admin, leo = api.signup("Root", admin=True), api.signup("Leo")
    token = issue(api, admin, leo)["token"]
    assert redeem(api, token).status_code == 204
    again = redeem(api, token, "someone else's idea")
    assert again.status_code == 409
    assert error_code(again) == "reset_used"
    assert signs_in(api, leo, NEW)


def test_an_expired_link_is_refused_and_changes_nothing(api: Api) -> None:
    admin, leo = api.signup("Root", admin=True), api.signup("Leo")
    token = issue(api, admin, leo)["token"]

    async def expire(db: Any) -> None:
        past = datetime.now(UTC) - timedelta(seconds=1)
        await db.execute(
            update(PasswordReset)
            .where(PasswordReset.user_id == uuid.UUID(leo.id))
            .values(expires_at=past)
        )
        await db.commit()

    api.run(expire)
    r = redeem(api, token)
    assert r.status_code == 409
    assert error_code(r) == "reset_expired"
    assert api.get("/api/v1/auth/me", leo).status_code == 200
    assert signs_in(api, leo, PASSWORD)


def test_a_newer_link_replaces_the_older(api: Api) -> None:
    admin, leo = api.signup("Root", admin=True), api.signup("Leo")
    first = issue(api, admin, leo)["token"]
    second = issue(api, admin, leo)["token"]
    r = redeem(api, first)
    assert r.status_code == 409
    assert error_code(r) == "reset_replaced"
    assert redeem(api, second).status_code == 204


def test_an_unknown_or_tampered_token_is_not_found(api: Api) -> None:
    admin, leo = api.signup("Root", admin=True), api.signup("Leo")
    token = issue(api, admin, leo)["token"]
    for bad in ("nope", token[:-1] + ("A" if token[-1] != "A" else "B"), token.upper()):
        r = redeem(api, bad)
        assert r.status_code == 404, bad
        assert error_code(r) == "reset_not_found"
    assert redeem(api, token).status_code == 204


def test_a_refused_password_keeps_the_link_usable(api: Api) -> None:
    admin, leo = api.signup("Root", admin=True), api.signup("Leo")
    token = issue(api, admin, leo)["token"]
    for weak in ("short", leo.email):
        r = redeem(api, token, weak)
        assert r.status_code == 422, weak
        assert "password" in r.json()["error"]["message"].lower()
    assert api.get("/api/v1/auth/me", leo).status_code == 200  # nothing happened yet
    assert redeem(api, token).status_code == 204


def test_a_reset_lifts_a_sign_in_lockout(api: Api) -> None:
    admin, leo = api.signup("Root", admin=True), api.signup("Leo")
    for _ in range(5):
        api.post("/api/v1/auth/signin", json={"email": leo.email, "password": "wrong-wrong"})
    locked = api.post("/api/v1/auth/signin", json={"email": leo.email, "password": PASSWORD})
    assert locked.status_code == 429
    assert redeem(api, issue(api, admin, leo)["token"]).status_code == 204
    assert signs_in(api, leo, NEW)


def test_deactivated_accounts_get_no_link_and_cannot_use_one(api: Api) -> None:
    admin, leo = api.signup("Root", admin=True), api.signup("Leo")
    token = issue(api, admin, leo)["token"]
    off = api.patch(f"/api/v1/admin/users/{leo.id}", admin, json={"is_active": False})
    assert off.status_code == 200
    r = redeem(api, token)
    assert r.status_code == 409
    assert error_code(r) == "reset_account_inactive"
    refused = api.post(f"/api/v1/admin/users/{leo.id}/password-reset", admin)
    assert refused.status_code == 422
    missing = api.post(f"/api/v1/admin/users/{uuid.uuid4()}/password-reset", admin)
    assert missing.status_code == 404


def test_only_the_token_hash_is_stored(api: Api) -> None:
    admin, leo = api.signup("Root", admin=True), api.signup("Leo")
    token = issue(api, admin, leo)["token"]

    async def rows(db: Any) -> list[PasswordReset]:
        return list(await db.scalars(select(PasswordReset)))

    [row] = api.run(rows)
    assert row.token_hash != token and token not in row.token_hash
    assert str(row.issued_by_id) == admin.id
