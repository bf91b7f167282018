"""Active sign-in sessions on the security screen: the device each signed in from, when it
was last seen (written at most once a minute), and signing out one, the others, or all."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from practika.domain.base import utcnow
from practika.domain.users import AuthSession
from practika.services.accounts import device_label
from tests.api.test_query_counts import counting
from tests.support import PASSWORD, Api, Person

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
EDGE = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"
)
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)


@pytest.mark.parametrize(
    ("agent", "label"),
    [
        (FIREFOX, "Firefox on Windows"),
        (SAFARI_IPHONE, "Safari on iPhone"),
        (EDGE, "Edge on Windows"),
        (CHROME_ANDROID, "Chrome on Android"),
        ("curl/8.5.0", "curl"),
        ("", "Unknown device"),
        (None, "Unknown device"),
    ],
)
def test_a_device_is_named_by_its_browser_and_system(agent: str | None, label: str) -> None:
    assert device_label(agent) == label


def sign_in(api: Api, person: Person, agent: str) -> str:
    r = api.post(
        "/api/v1/auth/signin",
        json={"email": person.email, "password": PASSWORD},
        headers={"User-Agent": agent},
    )
    assert r.status_code == 200, r.text
    api.client.cookies.clear()
    return str(r.json()["token"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def age_sessions(api: Api, person: Person, by: timedelta) -> None:
    async def work(db: Any) -> None:
        await db.execute(
            update(AuthSession)
            .where(AuthSession.user_id == uuid.UUID(person.id))
            .values(last_seen_at=utcnow() - by)
        )
        await db.commit()

    api.run(work)


def test_sessions_list_their_device_and_last_seen_time(api: Api) -> None:
    lea = api.signup("Lea")
    phone = sign_in(api, lea, SAFARI_IPHONE)
    sessions = api.get("/api/v1/account/sessions", lea).json()
    assert sorted(s["device"] for s in sessions) == ["Safari on iPhone", "testclient"]
    assert [s["current"] for s in sessions].count(True) == 1

    age_sessions(api, lea, timedelta(hours=3))
    api.get("/api/v1/auth/me", headers=bearer(phone))
    seen = {s["device"]: s["last_seen_at"] for s in api.get("/api/v1/account/sessions", lea).json()}
    # The phone's request moved its time on; the listing request moved the laptop's.
    assert all(utcnow() - _parse(t) < timedelta(minutes=5) for t in seen.values()), seen


def _parse(text: str) -> Any:
    from datetime import datetime

    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_last_seen_is_written_at_most_once_per_half_minute(api: Api) -> None:
    lea = api.signup("Lea")
    api.get("/api/v1/auth/me", lea)  # a fresh session was seen at sign-up
    with counting(api) as statements:
        for _ in range(3):
            api.get("/api/v1/auth/me", lea)
    assert not [s for s in statements if s.lstrip().upper().startswith("UPDATE AUTH_SESSIONS")]

    age_sessions(api, lea, timedelta(minutes=2))
    with counting(api) as statements:
        for _ in range(3):
            api.get("/api/v1/auth/me", lea)
    touches = [s for s in statements if s.lstrip().upper().startswith("UPDATE AUTH_SESSIONS")]
    assert len(touches) == 1


def test_signing_out_the_others_keeps_this_session_and_everywhere_ends_it_too(api: Api) -> None:
    lea = api.signup("Lea")
    others = [sign_in(api, lea, agent) for agent in (FIREFOX, SAFARI_IPHONE)]

    r = api.delete("/api/v1/account/sessions", lea)
    assert r.status_code == 200 and r.json() == {"signed_out": 2}
    assert api.get("/api/v1/auth/me", lea).status_code == 200
    assert all(api.get("/api/v1/auth/me", headers=bearer(t)).status_code == 401 for t in others)

    r = api.delete("/api/v1/account/sessions?everywhere=true", lea)
    assert r.status_code == 200 and r.json() == {"signed_out": 1}
    assert api.get("/api/v1/auth/me", lea).status_code == 401


def test_signing_out_one_session_leaves_the_rest(api: Api) -> None:
    lea = api.signup("Lea")
    phone = sign_in(api, lea, SAFARI_IPHONE)
    sessions = api.get("/api/v1/account/sessions", lea).json()
    target = next(s for s in sessions if s["device"] == "Safari on iPhone")
    assert api.delete(f"/api/v1/account/sessions/{target['id']}", lea).status_code == 204
    assert api.get("/api/v1/auth/me", headers=bearer(phone)).status_code == 401
    assert api.get("/api/v1/auth/me", lea).status_code == 200

    async def revoked(db: Any) -> int:
        rows = await db.scalars(select(AuthSession).where(AuthSession.revoked_at.is_not(None)))
        return len(list(rows))

    assert api.run(revoked) == 1
