"""`Range` on media URLs, as RFC 9110 §14 says: a malformed header is ignored (200, the
whole file), an unsatisfiable one is a 416 with `Content-Range: bytes */<size>`, and
every error is the JSON error shape, never the framework's plain text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practika.api.ranges import Ranges, Unsatisfiable, judge
from practika.storage.serving import MEDIA_CSP
from tests.media.conftest import MediaApi

SIZE = 1000


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-99", Ranges(((0, 99),))),
        ("bytes=100-", Ranges(((100, 999),))),
        ("bytes=-50", Ranges(((950, 999),))),
        ("bytes=-5000", Ranges(((0, 999),))),  # a suffix longer than the file: all of it
        ("bytes=990-5000", Ranges(((990, 999),))),  # clamped to the end
        ("BYTES = 0-0", Ranges(((0, 0),))),
        ("bytes=0-9,20-29", Ranges(((0, 9), (20, 29)))),
        ("bytes=20-29, 0-9", Ranges(((0, 9), (20, 29)))),  # sorted
        ("bytes=0-9,5-19,20-24", Ranges(((0, 24),))),  # overlapping and adjacent: coalesced
        ("bytes=0-9,2000-3000", Ranges(((0, 9),))),  # the satisfiable part is served
        ("bytes=,0-9,", Ranges(((0, 9),))),  # empty list elements are allowed
        ("bytes=0-" + "9" * 5000, Ranges(((0, 999),))),  # past int()'s 4300-digit limit
        ("bytes=1000-", Unsatisfiable(SIZE)),
        ("bytes=1000-2000,5000-", Unsatisfiable(SIZE)),
        ("bytes=-0", Unsatisfiable(SIZE)),
        ("bytes=" + "9" * 5000 + "-", Unsatisfiable(SIZE)),
        ("bytes=99999999999999999999999999-", Unsatisfiable(SIZE)),
        # Malformed: ignored.
        ("", None),
        ("bytes", None),
        ("bytes=", None),
        ("bytes=,", None),
        ("bytes=abc", None),
        ("bytes=5-3", None),  # last before first
        ("bytes=0-9,5-3", None),  # one bad spec spoils the header
        ("bytes=--5", None),
        ("bytes=-", None),
        ("bytes=0-9-", None),
        ("bytes=+1-2", None),
        ("bytes=0x10-20", None),
        ("bytes=1.5-2", None),
        ("bytes=٣-٩", None),  # Arabic-Indic digits: str.isdigit() says yes
        ("bytes=¹-²", None),
        ("items=0-9", None),  # another unit
        ("bytes 0-9", None),
        ("bytes=" + ",".join(["0-0"] * 101), None),  # too many specs
        ("bytes=" + ",".join(f"{i * 2}-{i * 2}" for i in range(17)), None),  # too many ranges
    ],
)
def test_range_headers_are_judged_as_rfc_9110_says(header: str, expected: object) -> None:
    assert judge(header, SIZE) == expected


def test_an_empty_file_satisfies_no_range() -> None:
    assert judge("bytes=0-", 0) == Unsatisfiable(0)
    assert judge("bytes=-1", 0) == Unsatisfiable(0)
    assert judge(None, 0) is None


@pytest.fixture
def served(mapi: MediaApi, clips: dict[str, Path]) -> tuple[str, bytes]:
    """A rendition URL and its bytes."""
    coach = mapi.signup("Coach")
    video = mapi.upload(coach, clips["silent"])
    url = mapi.get(f"/api/v1/videos/{video['id']}/playback", coach).json()["rendition_url"]
    return url, mapi.get(url).content


def _get(mapi: MediaApi, url: str, header: str | bytes, method: str = "GET") -> Any:
    return mapi.client.request(method, url, headers={"Range": header})


@pytest.mark.parametrize(
    "header",
    [
        "bytes=abc",
        "bytes=5-3",
        "garbage",
        "bytes=0-9,x",
        "bytes=٣-",
        "bytes=--1",
        "pages=1-2",
        "bytes=" + ",".join(["0-0"] * 101),
    ],
)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_malformed_range_is_ignored_and_the_whole_file_served(
    mapi: MediaApi, served: tuple[str, bytes], header: str, method: str
) -> None:
    url, whole = served
    r = _get(mapi, url, header.encode(), method)
    assert r.status_code == 200, r.text
    assert int(r.headers["content-length"]) == len(whole)
    assert r.content == (whole if method == "GET" else b"")
    assert r.headers["content-security-policy"] == MEDIA_CSP


@pytest.mark.parametrize(
    "header",
    ["bytes={size}-", "bytes={size}-{size}", "bytes=-0", "bytes=99999999999999999999999999-"],
)
def test_an_unsatisfiable_range_is_a_json_416_with_the_size(
    mapi: MediaApi, served: tuple[str, bytes], header: str
) -> None:
    url, whole = served
    r = _get(mapi, url, header.format(size=len(whole)))
    assert r.status_code == 416
    assert r.headers["content-range"] == f"bytes */{len(whole)}"
    assert r.headers["content-type"] == "application/json"
    assert r.json()["error"]["code"] == "range_not_satisfiable"
    assert r.json()["error"]["details"] == {"size": len(whole)}
    assert r.headers["x-content-type-options"] == "nosniff"


def test_satisfiable_ranges_are_served_clamped_and_coalesced(
    mapi: MediaApi, served: tuple[str, bytes]
) -> None:
    url, whole = served
    size = len(whole)
    huge = _get(mapi, url, "bytes=10-99999999999999999999999999")
    assert huge.status_code == 206 and huge.content == whole[10:]
    assert huge.headers["content-range"] == f"bytes 10-{size - 1}/{size}"

    suffix = _get(mapi, url, f"bytes=-{size * 2}")
    assert suffix.status_code == 206 and suffix.content == whole

    merged = _get(mapi, url, "bytes=0-9, 5-19")
    assert merged.status_code == 206 and merged.content == whole[:20]
    assert merged.headers["content-range"] == f"bytes 0-19/{size}"

    partly = _get(mapi, url, f"bytes=0-3,{size + 5}-")
    assert partly.status_code == 206 and partly.content == whole[:4]

    multi = _get(mapi, url, "bytes=0-9,20-29")
    assert multi.status_code == 206
    assert multi.headers["content-type"].startswith("multipart/byteranges; boundary=")
    assert whole[:10] in multi.content and whole[20:30] in multi.content
    assert f"Content-Range: bytes 20-29/{size}".encode() in multi.content


# Property-based: whatever the Range header holds, the answer is a file, a part of it, or
# a JSON 416; never a server error and never a plain-text error.

_number = st.one_of(
    st.integers(min_value=0, max_value=3000).map(str),
    st.integers(min_value=0, max_value=10**40).map(str),
    st.sampled_from(["", "-1", "1e3", "0x1F", "٣", "¹", " 1", "1 ", "9" * 5000, "+5"]),
)
_spec = st.one_of(
    st.tuples(_number, _number).map(lambda p: f"{p[0]}-{p[1]}"),
    _number.map(lambda n: f"-{n}"),
    _number.map(lambda n: f"{n}-"),
    st.text(max_size=8),
)
_structured = st.tuples(
    st.sampled_from(["bytes", "BYTES", "bytes ", "items", "", "bytes=bytes"]),
    st.sampled_from(["=", "", "==", " = "]),
    st.lists(_spec, max_size=20).map(",".join),
).map("".join)
_header_bytes = st.one_of(
    _structured.map(lambda s: s.encode("utf-8")),
    st.binary(max_size=200),
    st.text(max_size=100).map(lambda s: s.encode("utf-8")),
).map(lambda b: b.replace(b"\r", b"").replace(b"\n", b"").replace(b"\x00", b""))


@settings(
    max_examples=300,
    deadline=None,  # no timing: the machine may be busy
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(header=_header_bytes, method=st.sampled_from(["GET", "HEAD"]))
def test_any_range_header_gets_the_file_a_part_or_a_json_416(
    mapi: MediaApi, served: tuple[str, bytes], header: bytes, method: str
) -> None:
    url, whole = served
    r = _get(mapi, url, header, method)
    assert r.status_code in (200, 206, 416), (header, r.status_code, r.text[:200])
    assert r.headers["x-content-type-options"] == "nosniff"
    if r.status_code == 416:
        assert r.headers["content-type"] == "application/json"
        assert r.headers["content-range"] == f"bytes */{len(whole)}"
        if method == "GET":
            assert r.json()["error"]["code"] == "range_not_satisfiable"
        return
    if method == "HEAD":
        return
    if r.status_code == 200:
        assert r.content == whole
    elif not r.headers["content-type"].startswith("multipart/"):
        first, last = map(int, r.headers["content-range"].split(" ")[1].split("/")[0].split("-"))
        assert r.content == whole[first : last + 1] and 0 <= first <= last < len(whole)
