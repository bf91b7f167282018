"""Sign-up says when an email is taken (409 email_taken), so probing it is bounded per
client address like sign-in is: refused sign-ups count, created accounts do not.
(The policy and its trade-off: docs/reliability.md, "Which emails have accounts".)
"""

from __future__ import annotations

import uuid
from typing import Any

from tests.security.test_signin_throttling import from_address
from tests.support import PASSWORD, Api, error_code

SIGNUP = "/api/v1/auth/signup"


def signup(api: Api, email: str) -> Any:
    r = api.post(SIGNUP, json={"email": email, "password": PASSWORD, "display_name": "Probe"})
    api.client.cookies.clear()
    return r


def fresh() -> str:
    return f"new.{uuid.uuid4().hex[:10]}@example.com"


def test_probing_for_taken_emails_is_throttled_per_address(api: Api) -> None:
    taken = api.signup("Ana").email
    with from_address(api, "203.0.113.50"):
        statuses = [signup(api, taken).status_code for _ in range(10)]
        assert statuses == [409] * 10
        blocked = signup(api, fresh())
        assert blocked.status_code == 429 and error_code(blocked) == "too_many_requests"
        assert int(blocked.headers["Retry-After"]) > 0
    with from_address(api, "203.0.113.51"):
        assert signup(api, fresh()).status_code == 201


def test_many_people_signing_up_from_one_address_are_not_throttled(api: Api) -> None:
    with from_address(api, "203.0.113.60"):
        assert [signup(api, fresh()).status_code for _ in range(15)] == [201] * 15
