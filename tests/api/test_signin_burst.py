"""A burst of sign-ins: hashing runs off the event loop with no database connection held,
admission is bounded (the excess is shed with 503 + Retry-After), and an exhausted
connection pool is reported as "busy", not as an unreachable database.

The hasher is gated (each hash waits for the test to let it finish), so "while hashes
are in flight" is a fact the test arranges, not a matter of timing.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from practika.security import HASH_NICENESS, Passwords
from tests.support import PASSWORD, Api, error_code

SIGNIN = "/api/v1/auth/signin"
DEADLINE_S = 60.0  # generous: only reached when the behaviour is wrong


class GatedHasher:
    """An argon2 hasher whose hashes start, then wait for `gate` before finishing."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.gate = threading.Event()
        self.in_flight = 0
        self._lock = threading.Lock()

    def _held(self, work: Any) -> Any:
        with self._lock:
            self.in_flight += 1
        try:
            self.gate.wait(DEADLINE_S)
            return work()
        finally:
            with self._lock:
                self.in_flight -= 1

    def verify(self, password_hash: str, password: str) -> bool:
        return self._held(lambda: self.inner.verify(password_hash, password))  # type: ignore[no-any-return]

    def hash(self, password: str) -> str:
        return self._held(lambda: self.inner.hash(password))  # type: ignore[no-any-return]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@contextmanager
def gated_passwords(api: Api, *, workers: int, queue: int) -> Iterator[GatedHasher]:
    app: Any = api.client.app
    before = app.state.passwords
    small = Passwords(
        app.state.settings.model_copy(
            update={"password_hash_workers": workers, "password_hash_queue": queue}
        )
    )
    gated = GatedHasher(small._hasher)
    small._hasher = gated
    app.state.passwords = small
    try:
        yield gated
    finally:
        gated.gate.set()
        app.state.passwords = before


def wait_for(condition: Any, what: str) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.01)


def test_health_is_answered_and_no_connection_is_held_while_sign_ins_hash(api: Api) -> None:
    me = api.signup("Ana")
    pool = api.client.app.state.engine.sync_engine.pool  # type: ignore[attr-defined]
    results: list[Any] = []

    def sign_in() -> None:
        results.append(api.post(SIGNIN, json={"email": me.email, "password": PASSWORD}))

    with gated_passwords(api, workers=2, queue=2) as hasher:
        burst = [threading.Thread(target=sign_in) for _ in range(4)]
        for t in burst:
            t.start()
        # Both workers are inside a hash and the other two sign-ins wait for one...
        wait_for(lambda: hasher.in_flight == 2, "two hashes in flight")
        # ...having given their database connections back first.
        wait_for(lambda: pool.checkedout() == 0, "no connection checked out while hashing")
        # The event loop is free: health is answered while the hashes are still held.
        health = api.get("/healthz")
        assert health.status_code == 200
        assert hasher.in_flight == 2 and not hasher.gate.is_set()
        # Beyond workers + queue, a sign-in is shed at once rather than queued.
        shed = api.post(SIGNIN, json={"email": me.email, "password": PASSWORD})
        assert shed.status_code == 503 and error_code(shed) == "overloaded"
        assert int(shed.headers["Retry-After"]) > 0
        hasher.gate.set()
        for t in burst:
            t.join(DEADLINE_S)
    assert sorted(r.status_code for r in results) == [200] * 4
    api.client.cookies.clear()


def test_sign_up_is_shed_too_when_hashing_is_saturated(api: Api) -> None:
    with gated_passwords(api, workers=1, queue=0) as hasher:
        first: list[Any] = []
        body = {"email": "first@example.com", "password": PASSWORD, "display_name": "First"}
        t = threading.Thread(
            target=lambda: first.append(api.post("/api/v1/auth/signup", json=body))
        )
        t.start()
        wait_for(lambda: hasher.in_flight == 1, "the first sign-up hashing")
        second = api.post(
            "/api/v1/auth/signup",
            json={"email": "second@example.com", "password": PASSWORD, "display_name": "Second"},
        )
        assert second.status_code == 503 and error_code(second) == "overloaded"
        assert int(second.headers["Retry-After"]) > 0
        hasher.gate.set()
        t.join(DEADLINE_S)
    assert first[0].status_code == 201
    api.client.cookies.clear()


def test_an_exhausted_connection_pool_is_busy_not_unreachable(api: Api) -> None:
    engine: Any = api.client.app.state.engine  # type: ignore[attr-defined]
    pool = engine.sync_engine.pool
    held: list[Any] = []

    async def hold_every_connection() -> None:
        while pool.checkedout() < pool.size() + pool._max_overflow:
            held.append(await engine.connect())

    async def release() -> None:
        for conn in held:
            await conn.close()
        # Leave the pool as small as it was: later tests (tests/integration/test_db_pool.py)
        # kill the app's connections and expect to meet the few they made.
        await engine.dispose()

    timeout, pool._timeout = pool._timeout, 0.2
    try:
        api.client.portal.call(hold_every_connection)  # type: ignore[union-attr]
        r = api.get("/api/v1/exercises")
        assert r.status_code == 503 and error_code(r) == "busy", r.text
        assert int(r.headers["Retry-After"]) > 0
    finally:
        pool._timeout = timeout
        api.client.portal.call(release)  # type: ignore[union-attr]
    assert api.get("/api/v1/exercises").status_code == 200


def test_shed_sign_ins_do_not_count_toward_a_lockout(api: Api) -> None:
    me = api.signup("Ana")
    with gated_passwords(api, workers=1, queue=0) as hasher:
        held: list[Any] = []
        t = threading.Thread(
            target=lambda: held.append(
                api.post(SIGNIN, json={"email": "someone@example.com", "password": "x" * 12})
            )
        )
        t.start()
        wait_for(lambda: hasher.in_flight == 1, "one hash in flight")
        for _ in range(6):
            shed = api.post(SIGNIN, json={"email": me.email, "password": "wrong-password"})
            assert shed.status_code == 503 and error_code(shed) == "overloaded"
        hasher.gate.set()
        t.join(DEADLINE_S)
    # None of the six was evaluated, so none brought the account nearer its lockout.
    statuses = [
        api.post(SIGNIN, json={"email": me.email, "password": "wrong-password"}).status_code
        for _ in range(5)
    ]
    assert statuses == [401] * 5


@pytest.mark.skipif(sys.platform != "linux", reason="a nice value per thread is Linux's")
def test_hashing_threads_yield_the_cores_to_requests(api: Api) -> None:
    """The hashing threads run at a lower CPU priority than the event loop's thread, so
    a burst of sign-ins, which fills every core with hashing, leaves a health check or a
    cheap read its turn on a core."""
    passwords: Passwords = api.client.app.state.passwords  # type: ignore[attr-defined]

    def niceness() -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    hashing = passwords._pool.submit(niceness).result(timeout=DEADLINE_S)
    assert hashing == min(19, niceness() + HASH_NICENESS)
    # and the process's own threads (the event loop's among them) keep their priority
    assert niceness() == os.getpriority(os.PRIO_PROCESS, 0)
