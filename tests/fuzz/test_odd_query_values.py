"""Every query parameter of every API read, fed well-formed but odd values (Hypothesis).

Schemathesis generates values from the spec's types; it missed the values that are valid
as text but odd as data: instants without an offset or at the calendar's limits, numbers
past any column's range, Infinity and NaN, and cursors that decode to any of these. Here
each GET operation of the app's own OpenAPI spec that takes query parameters is fuzzed
with such values, as each kind of caller, on SQLite and PostgreSQL; a new list route is
covered without a line changed. Every answer must be below 500, and every refusal the
JSON error shape naming what was wrong. `PRACTIKA_FUZZ_EXAMPLES` deepens the run.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practika.app import create_app
from practika.config import Settings
from tests.fuzz.odd import (
    EXAMPLES,
    EXTREME_INSTANTS,
    NUMBERS,
    ROLES,
    huge_ints,
    ids,
    instants,
    json_scalars,
    refusal_names_a_field,
    unicode,
)
from tests.support import Api, Person, World, error_code

SPEC = create_app(Settings(database_url="sqlite+aiosqlite://", run_worker=False)).openapi()


def _query_reads() -> list[tuple[str, list[str]]]:
    """GET operations of the API that take query parameters: every list route and more."""
    reads = []
    for path, operations in SPEC["paths"].items():
        op = operations.get("get")
        if not path.startswith("/api/") or op is None:
            continue
        names = [p["name"] for p in op.get("parameters", []) if p["in"] == "query"]
        if names:
            reads.append((path, names))
    return reads


READS = _query_reads()


def _is_list(path: str) -> bool:
    ok = SPEC["paths"][path]["get"]["responses"].get("200", {})
    schema = ok.get("content", {}).get("application/json", {}).get("schema")
    if schema is None:  # a page or a file (the dev outbox, media, a feedback export): no list
        return False
    ref = schema.get("$ref", "")
    target = SPEC["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
    return "next_cursor" in target.get("properties", {})


def test_every_list_route_is_fuzzed() -> None:
    lists = {path for path in SPEC["paths"] if "get" in SPEC["paths"][path] and _is_list(path)}
    assert lists, "no list routes found in the spec"
    assert lists <= {path for path, _ in READS}, lists - {path for path, _ in READS}


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


cursors = st.one_of(
    # The shape the server makes, [sort value, row id], holding odd parts.
    st.tuples(json_scalars, ids).map(lambda t: _b64(json.dumps(list(t)).encode())),
    # Any JSON at all, and bytes that are not JSON.
    st.recursive(json_scalars, lambda kids: st.lists(kids, max_size=3), max_leaves=5).map(
        lambda v: _b64(json.dumps(v).encode())
    ),
    st.binary(max_size=40).map(_b64),
    unicode,
)
# The classes found by hand (issue 15), always among the candidates.
ODD_PARTS: list[Any] = [*EXTREME_INSTANTS, float("inf"), float("nan"), 10**30, -(2**63) - 1]
ODD_PARTS += [2**31, True, None, [], {}, "", 1.5]
CRAFTED_CURSORS = [
    _b64(json.dumps([value, row_id]).encode())
    for value in ODD_PARTS
    for row_id in ("00000000-0000-0000-0000-000000000000", 5, None, [])
]
odd_text = st.one_of(
    st.sampled_from(EXTREME_INSTANTS),
    instants,
    st.sampled_from(NUMBERS),
    huge_ints.map(str),
    st.floats().map(repr),
    unicode,
    st.sampled_from(["", " ", "true", "null", "[]", "%", "'", "\\", "*", '"a" OR 1=1']),
    cursors,
)


def values_for(name: str) -> st.SearchStrategy[Any]:
    """Odd values of every kind for any parameter; cursors more often where they fit."""
    if name == "cursor":
        return st.one_of(st.sampled_from(CRAFTED_CURSORS), cursors, odd_text)
    if name == "since":
        return st.one_of(instants, st.sampled_from(EXTREME_INSTANTS), odd_text)
    return odd_text


def _world(api: Api) -> tuple[dict[str, Person | None], dict[str, str]]:
    """A coach and their learner with a thread, an attempt and a comment; an admin."""

    async def build(world: World) -> tuple[dict[str, Person | None], dict[str, str]]:
        ana = await world.coach("Coach")
        leo = await world.learner("Learner", coached_by=ana)
        admin = await world.admin("Root")
        thread = await world.thread(leo, await world.exercise(by=ana))
        attempt = await world.attempt(thread)
        await world.comment(ana, attempt)
        people: dict[str, Person | None] = {
            "anonymous": None,
            "learner": await world.signed_in(leo),
            "coach": await world.signed_in(ana),
            "admin": await world.signed_in(admin),
        }
        # WebVTT is the feedback export that reads `video_id` most (it needs one).
        return people, {
            "thread_id": str(thread.id),
            "video_id": str(attempt.video_id),
            "fmt": "vtt",
        }

    return api.world(build)


@pytest.mark.parametrize(("path", "names"), READS, ids=[path for path, _ in READS])
def test_odd_query_values_are_refused_with_a_named_field_never_a_server_error(
    api: Api, path: str, names: list[str]
) -> None:
    people, path_ids = _world(api)
    url = path.format(**path_ids)

    @given(
        role=st.sampled_from(ROLES),
        params=st.fixed_dictionaries({}, optional={n: values_for(n) for n in names}),
    )
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(role: str, params: dict[str, Any]) -> None:
        r = api.get(url, people[role], params=params)
        assert r.status_code < 500, (path, params, r.status_code, r.text)
        if r.status_code >= 400:
            error_code(r)  # the JSON error shape
        if r.status_code == 422:
            assert refusal_names_a_field(r.json(), names), (path, params, r.text)

    check()
