"""Sign-in throttling: per (account, client address) with backoff, and per address, without
revealing who exists and without letting anyone lock someone else out.

(That five failures block an account from an address is specified in tests/api/test_auth.py.)
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import update

from practika.domain.base import utcnow
from tests.support import PASSWORD, Api, Person, error_code

SIGNIN = "/api/v1/auth/signin"


def fail(api: Api, email: str, times: int) -> list[int]:
    return [
        api.post(SIGNIN, json={"email": email, "password": "wrong-password"}).status_code
        for _ in range(times)
    ]


def test_unknown_accounts_are_throttled_exactly_like_real_ones(api: Api) -> None:
    real = api.signup("Ana")
    assert fail(api, real.email, 6) == fail(api, "nobody@example.com", 6) == [401] * 5 + [429]


def test_the_account_stays_blocked_for_the_right_password_too(api: Api) -> None:
    me = api.signup("Ana")
    fail(api, me.email, 5)
    blocked = api.post(SIGNIN, json={"email": me.email.upper(), "password": PASSWORD})
    assert blocked.status_code == 429 and error_code(blocked) == "too_many_requests"
    assert int(blocked.headers["Retry-After"]) > 0


def test_one_address_spraying_many_accounts_is_blocked(api: Api) -> None:
    victim = api.signup("Leo")
    statuses = [
        api.post(SIGNIN, json={"email": f"spray{i}@example.com", "password": "x" * 12}).status_code
        for i in range(30)
    ]
    assert statuses == [401] * 30
    # The 31st attempt from the same address is refused even for a real account.
    blocked = api.post(SIGNIN, json={"email": victim.email, "password": PASSWORD})
    assert blocked.status_code == 429


def test_a_successful_sign_in_clears_earlier_failures(api: Api) -> None:
    me = api.signup("Ana")
    fail(api, me.email, 4)
    assert api.post(SIGNIN, json={"email": me.email, "password": PASSWORD}).status_code == 200
    assert fail(api, me.email, 5) == [401] * 5


def test_throttling_one_account_leaves_others_alone(api: Api) -> None:
    target, bystander = api.signup("Ana"), api.signup("Bea")
    fail(api, target.email, 5)
    ok = api.post(SIGNIN, json={"email": bystander.email, "password": PASSWORD})
    assert ok.status_code == 200


@contextmanager
def from_address(api: Api, host: str) -> Iterator[None]:
    """Requests from another client address (what the app sees as request.client)."""
    transport: Any = api.client._transport  # type: ignore[attr-defined]
    before = transport.client
    transport.client = (host, 40000)
    try:
        yield
    finally:
        transport.client = before


class CountingHasher:
    """Wraps the app's argon2 hasher to count the passwords actually evaluated."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.verified, self._lock = inner, 0, threading.Lock()

    def verify(self, password_hash: str, password: str) -> bool:
        with self._lock:
            self.verified += 1
        return self.inner.verify(password_hash, password)  # type: ignore[no-any-return]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@contextmanager
def counting_verifications(api: Api) -> Iterator[CountingHasher]:
    passwords = api.client.app.state.passwords  # type: ignore[attr-defined]
    counter = CountingHasher(passwords._hasher)
    passwords._hasher = counter
    try:
        yield counter
    finally:
        passwords._hasher = counter.inner


def concurrently(n: int, call: Any) -> list[Any]:
    start, results = threading.Barrier(n), [None] * n

    def run(i: int) -> None:
        start.wait()
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_concurrent_wrong_passwords_are_counted_atomically(api: Api) -> None:
    me = api.signup("Ana")
    with counting_verifications(api) as counter:
        responses = concurrently(
            20, lambda: api.post(SIGNIN, json={"email": me.email, "password": "wrong-password"})
        )
    statuses = sorted(r.status_code for r in responses)
    # Exactly the limit is evaluated; the rest are refused before any password is checked.
    assert counter.verified == 5
    assert statuses == [401] * 5 + [429] * 15
    assert all(int(r.headers["Retry-After"]) > 0 for r in responses if r.status_code == 429)


def test_the_right_password_from_another_address_works_while_one_is_throttled(
    api: Api,
) -> None:
    me = api.signup("Ana")
    with from_address(api, "203.0.113.7"):
        assert fail(api, me.email, 6) == [401] * 5 + [429]
        blocked = api.post(SIGNIN, json={"email": me.email, "password": PASSWORD})
        assert blocked.status_code == 429
    with from_address(api, "198.51.100.20"):
        ok = api.post(SIGNIN, json={"email": me.email, "password": PASSWORD})
        assert ok.status_code == 200, ok.text
    api.client.cookies.clear()


def _end_lockouts(api: Api) -> None:
    """Move every lockout into the past, as if its Retry-After had been waited out."""
    from practika.domain.users import SigninThrottle

    async def expire(db: Any) -> None:
        past = utcnow() - timedelta(seconds=1)
        await db.execute(
            update(SigninThrottle)
            .where(SigninThrottle.locked_until.is_not(None))
            .values(locked_until=past, last_at=past)
        )
        await db.commit()

    api.run(expire)


def test_each_further_failure_after_a_lockout_doubles_the_wait(api: Api) -> None:
    me = api.signup("Ana")
    assert fail(api, me.email, 5) == [401] * 5
    waits = []
    for _ in range(3):
        blocked = api.post(SIGNIN, json={"email": me.email, "password": PASSWORD})
        assert blocked.status_code == 429
        waits.append(int(blocked.headers["Retry-After"]))
        _end_lockouts(api)
        # Once the wait is over, one attempt is evaluated again; failing it locks for longer.
        assert fail(api, me.email, 1) == [401]
    assert waits[1] >= 2 * waits[0] - 1 and waits[2] >= 2 * waits[1] - 1, waits
    _end_lockouts(api)
    ok = api.post(SIGNIN, json={"email": me.email, "password": PASSWORD})
    assert ok.status_code == 200
    api.client.cookies.clear()


def test_a_password_reset_lifts_the_throttle_on_every_address(api: Api) -> None:
    admin, me = api.signup("Root", admin=True), api.signup("Leo")
    for host in ("203.0.113.7", "203.0.113.8"):
        with from_address(api, host):
            assert fail(api, me.email, 6)[-1] == 429
    link = api.post(f"/api/v1/admin/users/{me.id}/password-reset", admin).json()
    reset = api.post(
        "/api/v1/auth/password-reset", json={"token": link["token"], "new_password": "x" * 12}
    )
    assert reset.status_code == 204
    for host in ("203.0.113.7", "203.0.113.8"):
        with from_address(api, host):
            ok = api.post(SIGNIN, json={"email": me.email, "password": "x" * 12})
            assert ok.status_code == 200, (host, ok.text)
    api.client.cookies.clear()


def test_an_address_ceiling_holds_across_accounts_but_not_for_other_addresses(
    api: Api,
) -> None:
    victim: Person = api.signup("Leo")
    with from_address(api, "203.0.113.9"):
        for i in range(30):
            api.post(SIGNIN, json={"email": f"spray{i}@example.com", "password": "x" * 12})
        assert (
            api.post(SIGNIN, json={"email": victim.email, "password": PASSWORD}).status_code == 429
        )
    ok = api.post(SIGNIN, json={"email": victim.email, "password": PASSWORD})
    assert ok.status_code == 200
    api.client.cookies.clear()
