"""The odd-but-valid values the Hypothesis suites feed the API, shared by the query
suite (test_odd_query_values.py) and the body suite (test_odd_body_values.py)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("PRACTIKA_FUZZ_EXAMPLES", "6")) * 5
ROLES = ("anonymous", "learner", "coach", "admin")

# Odd values, as the text a client could send.
EXTREME_INSTANTS = [
    "2020-01-01T00:00:00",  # no offset
    "2020-01-01 00:00:00",
    "0001-01-01T00:00:00+14:00",  # before year 1 in UTC
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59-14:00",  # after year 9999 in UTC
    "9999-12-31T23:59:59.999999Z",
    "2020-01-01T00:00:00+23:59",
    "2020-02-30T00:00:00Z",
    "2020-01-01T24:00:00Z",
    "2020-01-01",
    "1969-12-31T23:59:59Z",
]
NUMBERS = ["Infinity", "-Infinity", "NaN", "1e309", "-0", str(10**30), str(-(2**63) - 1)]
NUMBERS += [str(2**31), str(2**63), "0x10", "1_000", "٣", "²", "0.5"]

# Any Unicode a URL can carry (lone surrogates cannot be encoded as UTF-8 at all).
unicode = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)


offsets = st.one_of(
    st.none(),
    st.just(UTC),
    st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1).map(
        lambda m: timezone(timedelta(minutes=m))
    ),
)
instants = st.builds(
    lambda dt, tz: dt.replace(tzinfo=tz).isoformat(),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59)),
    offsets,
)
huge_ints = st.one_of(
    st.integers(),
    st.integers(min_value=2**31 - 2, max_value=2**64),
    st.integers(min_value=-(2**64), max_value=-(2**31) + 2),
    st.just(10**30),
)
json_scalars = st.one_of(
    huge_ints,
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    instants,
    st.sampled_from(EXTREME_INSTANTS),
    unicode,
)
ids = st.one_of(st.uuids().map(str), json_scalars, st.just("00000000-0000-0000-0000-000000000000"))


def refusal_names_a_field(body: dict[str, Any], names: list[str]) -> bool:
    details = body["error"]["details"]
    fields = [d.get("field") for d in details] if isinstance(details, list) else []
    if isinstance(details, dict):
        fields = [details.get("field")]
    return any(f in names or (f or "").split(".")[0] in names for f in fields)
