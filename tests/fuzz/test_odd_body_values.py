"""The feedback tools' writes fed well-formed but odd bodies and addresses (Hypothesis).

The body twin of test_odd_query_values.py, for the routes of issue 20 (voice-over reviews,
clip replies, comments with measuring tools and compare views, share links, exports): each
field of a valid body is, or not, swapped for an odd value (Unicode, numbers past any
column's range, instants without an offset or at the calendar's limits in number fields,
coordinates at and just past 0 and 1, the largest point, shape, tool, lap and action
counts and one more), and the ids in the address are any real id of the world (of the
wrong kind too) or odd text. Every answer must be below 500, every refusal the JSON error
shape, and every 422 must name one of the route's fields or path parameters.
`PRACTIKA_FUZZ_EXAMPLES` deepens the run.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practika.domain.reviews import Action, Event
from tests.fuzz.odd import (
    EXAMPLES,
    EXTREME_INSTANTS,
    ROLES,
    huge_ints,
    instants,
    refusal_names_a_field,
    unicode,
)
from tests.support import Api, Person, World, error_code

DAY_MS = 24 * 3600 * 1000  # the API's longest time
VIDEO_MS = 20_000  # the attempt's length in the world below

# JSON has no Infinity or NaN (the client refuses to send them): the largest finite
# numbers stand in for them.
finite = st.floats(allow_nan=False, allow_infinity=False)
scalars = st.one_of(
    huge_ints,
    finite,
    st.sampled_from([1e308, -1e308, 5e-324, -0.0]),
    st.booleans(),
    st.none(),
    instants,
    st.sampled_from(EXTREME_INSTANTS),
    unicode,
)
times = st.one_of(
    st.sampled_from([0, 1, VIDEO_MS - 1, VIDEO_MS, VIDEO_MS + 1, DAY_MS, DAY_MS + 1, -1]),
    st.integers(min_value=0, max_value=VIDEO_MS),
    huge_ints,
    scalars,
)
units = st.one_of(
    st.sampled_from([0, 1, 0.0, 1.0, -0.0, 5e-324, 1 - 2**-53, 1 + 2**-52, -(2**-1074)]),
    st.floats(min_value=0, max_value=1),
    scalars,
)
point = st.one_of(st.tuples(units, units).map(list), st.lists(units, max_size=3), scalars)
colors = st.one_of(st.sampled_from(["#ffd60a", "#FFFFFF", "#000000", "#fff", "ffd60a"]), unicode)


def many(item: Any, counts: tuple[int, ...]) -> st.SearchStrategy[list[Any]]:
    """Exactly the service's limit of `item` and one more (and a few)."""
    return st.sampled_from(counts).map(lambda n: [item] * n)


corner = [[0, 0], [1, 1], [0, 1], [1, 0]]
shape = st.fixed_dictionaries(
    {
        "type": st.one_of(
            st.sampled_from(["line", "arrow", "circle", "rect", "freehand"]), unicode
        ),
        "points": st.one_of(
            st.lists(point, max_size=4),
            many([1, 1], (500, 501)),
            st.just(corner * 125),
        ),
    },
    optional={
        "color": colors,
        "width": st.one_of(st.sampled_from([1e-9, 0.1, 0.1 + 1e-9, 0]), units, scalars),
    },
)
MAX_SHAPES = {"type": "freehand", "points": [[0.5, 0.5]] * 500}
measure = st.one_of(
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(["angle", "line", "ruler"]),
            "points": st.one_of(st.lists(point, min_size=1, max_size=4), st.just(corner[:3])),
        },
        optional={
            "metres": st.one_of(st.sampled_from([5e-324, 1000, 1000.0000001, 0]), scalars),
            "color": colors,
        },
    ),
    st.fixed_dictionaries(
        {"type": st.just("stopwatch"), "start_ms": times, "end_ms": times},
        optional={"laps": st.one_of(st.lists(times, max_size=3), many(VIDEO_MS, (20, 21)))},
    ),
    st.fixed_dictionaries({"type": unicode, "points": st.lists(point, max_size=3)}),
)
compare = st.fixed_dictionaries(
    {"other_video_id": st.just("reference"), "sync_ms": times, "other_sync_ms": times},
    optional={
        "mode": st.one_of(st.sampled_from(["side", "overlay", "swipe"]), unicode),
        "opacity": units,
        "swipe": st.one_of(st.sampled_from(["horizontal", "vertical"]), unicode),
        "split": units,
    },
)
# Valid at every limit at once: the most shapes of the most points on the frame's edges,
# the most tools, a stopwatch ending on the video's last millisecond with the most laps,
# and a compare view synced at both videos' ends.
LIMITS = {
    "shapes": [{"type": "freehand", "points": corner * 125, "width": 0.1}] * 50,
    "measures": [
        {"type": "stopwatch", "start_ms": 0, "end_ms": VIDEO_MS, "laps": [VIDEO_MS] * 20},
        {"type": "ruler", "points": [[0, 0], [1, 1]], "metres": 1000},
        *[{"type": "angle", "points": [[0, 1], [0, 0], [1, 0]]}] * 18,
    ],
    "compare": {"other_video_id": "reference", "sync_ms": VIDEO_MS, "other_sync_ms": 30_000},
    "frame_ms": VIDEO_MS,
}
drawing = st.one_of(
    st.just(LIMITS),
    st.fixed_dictionaries(
        {},
        optional={
            "shapes": st.one_of(st.lists(shape, max_size=3), many(MAX_SHAPES, (50, 51))),
            "measures": st.one_of(
                st.lists(measure, max_size=3),
                many({"type": "angle", "points": corner[:3]}, (20, 21)),
            ),
            "compare": st.one_of(compare, scalars),
            "frame_ms": times,
        },
    ),
    scalars,
)
texts = st.one_of(
    unicode,
    st.sampled_from(["", " ", "\u200b", "\ufeffé", "👍🏽" * 1000, "a" * 4000, "a" * 4001]),
    scalars,
)
event = st.fixed_dictionaries(
    {
        "at_ms": times,
        "action": st.one_of(
            st.sampled_from(["play", "pause", "seek", "rate", "draw", "clear"]), unicode
        ),
        "position_ms": times,
    },
    optional={
        "rate": st.one_of(st.sampled_from([0.1, 4, 0.0999, 4.0001, 0]), finite, scalars),
        "shape": st.one_of(shape, scalars),
    },
)
PAUSE = {"at_ms": 0, "action": "pause", "position_ms": 0}
DRAW = {"at_ms": 10, "action": "draw", "position_ms": 0, "shape": MAX_SHAPES}
events = st.one_of(
    st.lists(event, max_size=4),
    many(PAUSE, (2000, 2001)),
    many(DRAW, (40, 41, 201)),  # 40 × 500 points is the point limit
    scalars,
)


@dataclass
class Targets:
    """What the odd bodies aim at (people and real ids); a record, not a builder."""

    people: dict[str, Person | None]
    ids: dict[str, str]  # every real id, by what it is

    def real(self, value: Any) -> Any:
        """A placeholder of the strategies ("reference") made the world's id."""
        if isinstance(value, dict):
            return {k: self.real(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.real(v) for v in value]
        return self.ids.get(value, value) if isinstance(value, str) else value


def _world(api: Api) -> Targets:
    """A coach and their learner with a thread on an exercise with a reference video, an
    attempt, a comment, the coach's voice clip and review, and a share link; an admin."""

    async def build(world: World) -> Targets:
        ana = await world.coach("Coach")
        leo = await world.learner("Learner", coached_by=ana)
        admin = await world.admin("Root")
        exercise = await world.exercise(by=ana)  # on a new 30 s reference video
        thread = await world.thread(leo, exercise)
        attempt = await world.attempt(thread, duration_ms=VIDEO_MS)
        comment = await world.comment(ana, attempt)
        review = await world.review(ana, attempt, events=[Event(0, Action.PAUSE, 0)])
        link, _ = await world.share_link(ana, thread)
        ids = {
            "thread": thread.id,
            "attempt": attempt.id,
            "video": attempt.video_id,
            "reference": exercise.reference_video_id,
            "comment": comment.id,
            "review": review.id,
            "voice": review.media_video_id,
            "link": link.id,
        }
        people: dict[str, Person | None] = {
            "anonymous": None,
            "learner": await world.signed_in(leo),
            "coach": await world.signed_in(ana),
            "admin": await world.signed_in(admin),
        }
        return Targets(people, {name: str(value) for name, value in ids.items()})

    targets = api.world(build)
    review = targets.ids["review"]
    targets.ids["export"] = api.post(
        f"/api/v1/comments/{review}/export", targets.people["coach"]
    ).json()["id"]
    return targets


@dataclass(frozen=True)
class Write:
    """One write route: its address (ids named by what they are), a valid body of
    placeholders, and odd values for each field."""

    method: str
    path: str
    ids: tuple[str, ...] = ()  # what each of the path's ids is, in order
    body: Callable[[], dict[str, Any]] | None = None
    fields: dict[str, st.SearchStrategy[Any]] = field(default_factory=dict)

    @property
    def params(self) -> list[str]:
        """The path's parameters, as a refusal names them."""
        return re.findall(r"{(\w+)}", self.path)


comment_fields: dict[str, st.SearchStrategy[Any]] = {
    "video_id": st.sampled_from(["video", "reference", "voice", "comment"]),
    "t_start_ms": times,
    "t_end_ms": times,
    "body": texts,
    "kind": st.one_of(st.sampled_from(["praise", "correction", "question", "review"]), unicode),
    "tags": st.one_of(st.lists(texts, max_size=3), many("tag", (10, 11, 200)), scalars),
    "drawing": drawing,
    "media_video_id": st.sampled_from(["voice", "video", "reference"]),
    "reply_to_id": st.sampled_from(["comment", "review", "thread"]),
}
WRITES = [
    Write(
        "POST",
        "/api/v1/threads/{thread_id}/reviews",
        ("thread",),
        lambda: {"video_id": "video", "audio_video_id": "voice", "events": [PAUSE]},
        {
            "video_id": st.sampled_from(["video", "reference", "voice"]),
            "audio_video_id": st.sampled_from(["voice", "video", "reference"]),
            "events": events,
            "body": texts,
        },
    ),
    Write(
        "POST",
        "/api/v1/threads/{thread_id}/comments",
        ("thread",),
        lambda: {"video_id": "video", "t_start_ms": 1000, "t_end_ms": 2000, "body": "Hips"},
        comment_fields,
    ),
    Write(
        "PATCH",
        "/api/v1/comments/{comment_id}",
        ("comment",),
        dict,
        {
            k: v
            for k, v in comment_fields.items()
            if k in ("t_start_ms", "t_end_ms", "body", "kind", "tags", "drawing")
        },
    ),
    Write(
        "POST",
        "/api/v1/threads/{thread_id}/share-links",
        ("thread",),
        dict,
        {
            "attempt_id": st.sampled_from(["attempt", "video", "thread"]),
            "expires_in_days": st.one_of(st.sampled_from([0, 1, 90, 91]), huge_ints, scalars),
            "note": texts,
        },
    ),
    Write("POST", "/api/v1/comments/{comment_id}/export", ("review",)),
    Write("POST", "/api/v1/attempts/{attempt_id}/export", ("attempt",)),
    Write("GET", "/api/v1/exports/{export_id}", ("export",)),
    Write("DELETE", "/api/v1/threads/{thread_id}/share-links/{link_id}", ("thread", "link")),
]
# An address's id: the right one, one of another kind, or odd text.
address_ids = st.one_of(
    st.sampled_from(["thread", "attempt", "video", "comment", "review", "voice", "link", "export"]),
    unicode,
    huge_ints.map(str),
    st.sampled_from(["00000000-0000-0000-0000-000000000000", "..", "%00", "a/b"]),
)


@pytest.mark.parametrize("write", WRITES, ids=[f"{w.method} {w.path}" for w in WRITES])
def test_odd_bodies_and_ids_are_refused_with_a_named_field_never_a_server_error(
    api: Api, write: Write
) -> None:
    world = _world(api)

    # Mostly a member at the right address changing one field or two, so that most
    # examples reach the checks past "who are you" and "not found".
    @given(
        role=st.one_of(st.sampled_from(["coach", "learner"]), st.sampled_from(ROLES)),
        where=st.one_of(
            st.just(write.ids),
            st.just(write.ids),
            st.just(write.ids),
            st.tuples(*(address_ids for _ in write.ids)),
        ),
        changes=st.one_of(
            st.just({}),
            *(st.fixed_dictionaries({name: odd}) for name, odd in write.fields.items()),
            st.fixed_dictionaries({}, optional=write.fields),
        ),
    )
    @settings(
        max_examples=EXAMPLES * 2,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(role: str, where: tuple[str, ...], changes: dict[str, Any]) -> None:
        url = write.path.format(
            **{
                name: quote(str(world.ids.get(i, i)), safe="")
                for name, i in zip(write.params, where, strict=True)
            }
        )
        kw: dict[str, Any] = {}
        if write.body is not None:
            kw["json"] = world.real({**write.body(), **changes})
        r = api.request(write.method, url, world.people[role], **kw)
        assert r.status_code < 500, (write.path, where, changes, r.status_code, r.text)
        if r.status_code >= 400:
            error_code(r)  # the JSON error shape
        if r.status_code == 422:
            named = [*write.fields, *write.params]
            assert refusal_names_a_field(r.json(), named), (write.path, changes, r.text)

    check()


def test_a_drawing_at_every_limit_at_once_is_stored_and_exported(api: Api) -> None:
    world = _world(api)
    thread, coach = world.ids["thread"], world.people["coach"]
    body = {"video_id": "video", "t_start_ms": 0, "t_end_ms": VIDEO_MS, "body": "All of it"}
    r = api.post(
        f"/api/v1/threads/{thread}/comments", coach, json=world.real(body | {"drawing": LIMITS})
    )
    assert r.status_code == 201, r.text
    assert len(r.json()["drawing"]["shapes"]) == 50 and len(r.json()["drawing"]["measures"]) == 20
    for fmt in ("csv", "json", "vtt"):
        r = api.get(
            f"/api/v1/threads/{thread}/feedback/{fmt}",
            world.people["learner"],
            params={"video_id": world.ids["video"]},
        )
        assert r.status_code == 200, (fmt, r.text)
