"""Sign-in throttling: per account and per client address, without revealing who exists.

(That five failures block an account is specified in tests/api/test_auth.py.)
"""

from __future__ import annotations

from tests.support import PASSWORD, Api, error_code

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
