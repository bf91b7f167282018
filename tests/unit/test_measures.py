"""The measuring tools: their geometry, the labels the player shows, and the schema that
bounds what a client may store (Hypothesis: every valid drawing is kept as sent, every
point outside the frame or over the limits is refused)."""

from __future__ import annotations

import json
import math
import uuid
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from practika.api.schemas.comments import Drawing
from practika.domain import measures
from practika.domain.errors import Invalid

CASES = json.loads((Path(__file__).parents[1] / "fixtures" / "measures.json").read_text())["cases"]

unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
point = st.tuples(unit, unit).map(list)
outside = st.one_of(
    st.floats(max_value=-1e-9, allow_nan=False, allow_infinity=False),
    st.floats(min_value=1.0 + 1e-9, allow_nan=False, allow_infinity=False),
)
time_ms = st.integers(min_value=0, max_value=24 * 3600 * 1000)
color = st.from_regex(r"\A#[0-9a-fA-F]{6}\Z")


@st.composite
def stopwatch(draw: st.DrawFn) -> dict:
    marks = sorted(draw(st.lists(time_ms, min_size=2, max_size=22)))
    return {
        "type": "stopwatch",
        "start_ms": marks[0],
        "end_ms": marks[-1],
        "laps": marks[1:-1],
        "color": draw(color),
    }


measure = st.one_of(
    st.builds(
        lambda p, c: {"type": "angle", "points": p, "color": c},
        st.lists(point, min_size=3, max_size=3),
        color,
    ),
    st.builds(
        lambda p, c: {"type": "line", "points": p, "color": c},
        st.lists(point, min_size=2, max_size=2),
        color,
    ),
    st.builds(
        lambda p, m, c: {"type": "ruler", "points": p, "metres": m, "color": c},
        st.lists(point, min_size=2, max_size=2),
        st.none() | st.floats(min_value=0.001, max_value=1000, allow_nan=False),
        color,
    ),
    stopwatch(),
)
compare = st.builds(
    lambda vid, a, b, mode, op, sw, sp: {
        "other_video_id": str(vid),
        "sync_ms": a,
        "other_sync_ms": b,
        "mode": mode,
        "opacity": op,
        "swipe": sw,
        "split": sp,
    },
    st.uuids(),
    time_ms,
    time_ms,
    st.sampled_from(["side", "overlay", "swipe"]),
    unit,
    st.sampled_from(["horizontal", "vertical"]),
    unit,
)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_labels_match_the_shared_cases(case: dict) -> None:
    assert (
        measures.labels(case["measures"], aspect=case["aspect"], fps=case["fps"]) == case["labels"]
    )


@settings(max_examples=150, deadline=None)
@given(st.lists(measure, min_size=1, max_size=20), st.none() | compare)
def test_any_valid_tool_geometry_is_kept_as_sent(tools: list[dict], view: dict | None) -> None:
    drawing = Drawing.model_validate({"measures": tools, "compare": view})
    kept = drawing.model_dump(mode="json")
    assert kept["measures"] == [
        {**m, "laps": m["laps"]} if m["type"] == "stopwatch" else m for m in tools
    ]
    assert kept["compare"] == view
    # And every one of them reads as something: no label raises on valid geometry.
    labels = measures.labels(kept["measures"], aspect=16 / 9, fps=30)
    assert len(labels) == len(tools) and all(labels)


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["angle", "line", "ruler"]),
    st.integers(min_value=0, max_value=2),
    st.integers(min_value=0, max_value=1),
    outside,
)
def test_a_point_outside_the_frame_is_refused(kind: str, index: int, axis: int, bad: float) -> None:
    count = 3 if kind == "angle" else 2
    points = [[0.5, 0.5] for _ in range(count)]
    points[index % count][axis] = bad
    with pytest.raises(ValidationError):
        Drawing.model_validate({"measures": [{"type": kind, "points": points}]})


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["angle", "line", "ruler"]), st.integers(min_value=0, max_value=40))
def test_a_tool_takes_exactly_its_number_of_points(kind: str, count: int) -> None:
    needed = 3 if kind == "angle" else 2
    body = {"measures": [{"type": kind, "points": [[0.1, 0.1]] * count}]}
    if count == needed:
        Drawing.model_validate(body)
    else:
        with pytest.raises(ValidationError):
            Drawing.model_validate(body)


@pytest.mark.parametrize(
    "drawing",
    [
        {"measures": [{"type": "stopwatch", "start_ms": 2000, "end_ms": 1000}]},
        {"measures": [{"type": "stopwatch", "start_ms": 0, "end_ms": 9, "laps": [10]}]},
        {"measures": [{"type": "stopwatch", "start_ms": 0, "end_ms": 9, "laps": [1] * 21}]},
        {"measures": [{"type": "ruler", "points": [[0, 0], [1, 1]], "metres": 0}]},
        {"measures": [{"type": "protractor", "points": [[0, 0], [1, 1]]}]},
        {"measures": [{"type": "line", "points": [[0, 0], [1, 1]]}] * 21},
        {
            "compare": {
                "other_video_id": str(uuid.uuid4()),
                "sync_ms": 0,
                "other_sync_ms": 0,
                "mode": "blend",
            }
        },
        {
            "compare": {
                "other_video_id": str(uuid.uuid4()),
                "sync_ms": 0,
                "other_sync_ms": 0,
                "opacity": 1.5,
            }
        },
        {"shapes": [], "measures": []},
    ],
)
def test_malformed_tools_are_refused(drawing: dict) -> None:
    with pytest.raises(ValidationError):
        Drawing.model_validate(drawing)


@given(point, point, point, st.floats(min_value=0.2, max_value=5))
def test_an_angle_is_between_0_and_180_and_symmetric(a, v, c, aspect) -> None:
    angle = measures.angle_deg(a, v, c, aspect)
    assert 0 <= angle <= 180 + 1e-9
    assert math.isclose(angle, measures.angle_deg(c, v, a, aspect), abs_tol=1e-9)


def test_times_past_the_end_of_the_video_name_their_field() -> None:
    drawing = {"measures": [{"type": "stopwatch", "start_ms": 0, "end_ms": 20_001}]}
    with pytest.raises(Invalid) as caught:
        measures.check_times(drawing, 20_000)
    assert caught.value.details["field"] == "drawing.measures.0.end_ms"
    measures.check_times(
        {"measures": [{"type": "stopwatch", "start_ms": 0, "end_ms": 20_000}]}, 20_000
    )
