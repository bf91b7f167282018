"""Every operation of the served OpenAPI spec, fuzzed as four kinds of caller.

Schemathesis generates valid and invalid requests from the spec; each response
must not be a server error and must match what the spec promises (status code,
content type, body schema). Path ids are real about half of the time, so the
requests reach past "not found" into the handlers; the signed media URLs are, most
of the time, rightly signed, so that they reach past the signature check (at a real
upload and file, or at whatever path was generated). `PRACTIKA_FUZZ_EXAMPLES`
raises the number of examples per operation for a deeper run.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from urllib.parse import parse_qsl, urlsplit

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from practika.app import create_app
from practika.config import Settings
from practika.storage import signing
from tests.reliability.world import SESSION_SECRET, LiveWorld

# The spec as the app builds it (no database needed); checked below against the served one.
SPEC = create_app(Settings(database_url="sqlite+aiosqlite://", run_worker=False)).openapi()
schema = schemathesis.openapi.from_dict(SPEC)

EXAMPLES = int(os.environ.get("PRACTIKA_FUZZ_EXAMPLES", "6"))


def invalid_requests_are_rejected(ctx, response, case):  # type: ignore[no-untyped-def]
    """Schema-violating requests must get a 4xx; 413 (body over the size limit) is one."""
    if response.status_code == 413:
        return None
    return negative_data_rejection(ctx, response, case)


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    invalid_requests_are_rejected,
]
# Calls that would end the very sessions the fuzzer signs in with.
SESSION_ENDING = {("POST", "/api/v1/auth/signout")}


def _aim_at_real_ids(case: schemathesis.Case, world: LiveWorld) -> None:
    """Swap a generated id for a real one when the generated one's first hex digit is low:
    deterministic per example, so Hypothesis can still shrink and replay failures."""
    for name, value in list((case.path_parameters or {}).items()):
        real = world.ids.get(name)
        if real is None:
            continue
        try:
            aimed = uuid.UUID(str(value)).hex[0] < "8"
        except ValueError:
            continue  # an invalid id is what this example is testing
        if aimed:
            case.path_parameters[name] = real


def _sign_media(case: schemathesis.Case, world: LiveWorld) -> None:
    """Sign three in four generated media URLs as the API would (one of those at the real
    upload or file); the fourth keeps the generated, almost surely wrong, signature.
    Chosen from the generated path, so it is deterministic per example. A query or path
    generated to be invalid stays as it is: that invalidity is what the example tests."""
    if not case.path.startswith("/media/") or case.meta is None:
        return
    if case.meta.is_negative_at(ParameterLocation.QUERY):
        return
    params = case.path_parameters or {}
    choice = hashlib.sha256(repr(sorted(params.items())).encode()).digest()[0] % 4
    if choice == 0:
        return
    if choice == 1 and not case.meta.is_negative_at(ParameterLocation.PATH):
        params.update({name: world.ids[name] for name in params if name in world.ids})
    path = case.path.format(**params)
    method = "GET" if case.method.upper() == "HEAD" else case.method.upper()
    max_bytes = 1 << 20 if method == "PUT" else None
    # Generated response overrides (an original's type and name) are signed as they are,
    # so arbitrary values reach the code that decides what a file is served as.
    generated = case.query or {}
    response = {k: v for k, v in generated.items() if k in signing.RESPONSE_PARAMS}
    signed = signing.sign(
        SESSION_SECRET.encode(),
        method,
        path,
        expires_in=600,
        max_bytes=max_bytes,
        response={k: str(v) for k, v in response.items()},
    )
    case.query = dict(parse_qsl(urlsplit(signed).query))


ROLES = ("anonymous", "learner", "coach", "admin")


@pytest.mark.postgres
@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)
def test_no_server_errors_and_every_response_matches_the_spec(
    case: schemathesis.Case, role: str, fuzz_world: LiveWorld
) -> None:
    if role != "anonymous" and (case.method.upper(), case.path) in SESSION_ENDING:
        pytest.skip("would sign the fuzzing identity out; fuzzed anonymously instead")
    _aim_at_real_ids(case, fuzz_world)
    _sign_media(case, fuzz_world)
    headers = dict(case.headers or {})
    if role != "anonymous":
        headers["Authorization"] = f"Bearer {fuzz_world.people[role].token}"
    case.call_and_validate(base_url=fuzz_world.url, headers=headers, checks=CHECKS)


@pytest.mark.postgres
def test_the_fuzzed_spec_is_the_one_the_server_serves(fuzz_world: LiveWorld) -> None:
    served = fuzz_world.http.get("/api/openapi.json").json()
    assert served == SPEC
