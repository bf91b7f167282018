"""The measuring tools' geometry: angles, lengths, calibrated metres and stopwatch times.

Tool points are normalized to 0..1 of the frame, so a point's x and y are in different
units on a non-square picture: every measure scales x by the frame's aspect (width /
height) first. The web player (`web/src/features/review/tools/geometry.ts`), the comment
list, the exports and the worker all take their numbers and labels from these rules; the
shared cases in `tests/fixtures/measures.json` hold both implementations to the same
answers.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from practika.domain.errors import Invalid
from practika.domain.timecodes import format_ms

Point = Sequence[float]
DEFAULT_FPS = 30.0


def _px(p: Point, aspect: float) -> tuple[float, float]:
    return p[0] * aspect, p[1]


def length(a: Point, b: Point, aspect: float) -> float:
    """A segment's length in frame heights (aspect-corrected)."""
    (ax, ay), (bx, by) = _px(a, aspect), _px(b, aspect)
    return math.hypot(bx - ax, by - ay)


def angle_deg(a: Point, vertex: Point, c: Point, aspect: float) -> float:
    """The angle at `vertex` between the rays to `a` and `c`, 0..180 degrees."""
    (ax, ay), (vx, vy), (cx, cy) = _px(a, aspect), _px(vertex, aspect), _px(c, aspect)
    u, v = (ax - vx, ay - vy), (cx - vx, cy - vy)
    if math.hypot(*u) == 0 or math.hypot(*v) == 0:
        return 0.0
    turn = abs(math.atan2(u[0] * v[1] - u[1] * v[0], u[0] * v[0] + u[1] * v[1]))
    return math.degrees(turn)


def tilt_deg(a: Point, b: Point, aspect: float) -> float:
    """How far a line leans from the horizontal, 0..90 degrees."""
    (ax, ay), (bx, by) = _px(a, aspect), _px(b, aspect)
    raw = abs(math.degrees(math.atan2(by - ay, bx - ax))) % 180
    return min(raw, 180 - raw)


def metres_per_unit(measures: Iterable[Mapping[str, Any]], aspect: float) -> float | None:
    """The scale the first calibrated ruler sets ("this line is 1 m"), per frame height."""
    for m in measures:
        if m.get("type") == "ruler" and m.get("metres"):
            span = length(m["points"][0], m["points"][1], aspect)
            if span > 0:
                return float(m["metres"]) / span
    return None


def frames(ms: int, fps: float | None) -> int:
    """Whole frames in `ms`, rounded half up as the browser's Math.round does."""
    return math.floor(ms * (fps if fps and fps > 0 else DEFAULT_FPS) / 1000 + 0.5)


def _metres(value: float) -> str:
    return f"{value:.2f} m"


def label(
    measure: Mapping[str, Any],
    *,
    aspect: float,
    fps: float | None,
    scale: float | None,
) -> str:
    """What a measure reads, as the player shows it next to the tool."""
    kind = measure["type"]
    if kind == "angle":
        a, v, c = measure["points"]
        return f"{angle_deg(a, v, c, aspect):.1f}°"
    if kind == "ruler":
        if measure.get("metres"):
            return f"{_metres(float(measure['metres']))} (ruler)"
        span = length(measure["points"][0], measure["points"][1], aspect)
        return _metres(span * scale) if scale else "ruler: set its length"
    if kind == "line":
        a, b = measure["points"]
        tilt = f"{tilt_deg(a, b, aspect):.1f}° from level"
        return f"{_metres(length(a, b, aspect) * scale)} · {tilt}" if scale else tilt
    if kind == "stopwatch":
        span = int(measure["end_ms"]) - int(measure["start_ms"])
        text = f"{span} ms · {frames(span, fps)} frames"
        laps = measure.get("laps") or []
        if laps:
            marks = [int(measure["start_ms"]), *map(int, laps), int(measure["end_ms"])]
            splits = ", ".join(f"{b - a} ms" for a, b in itertools.pairwise(marks))
            text += f" (laps {splits})"
        return text
    raise ValueError(f"unknown measure {kind!r}")


def labels(measures: Sequence[Mapping[str, Any]], *, aspect: float, fps: float | None) -> list[str]:
    """Every measure's label, lines and rulers in the drawing's own calibration."""
    scale = metres_per_unit(measures, aspect)
    return [label(m, aspect=aspect, fps=fps, scale=scale) for m in measures]


def check_times(drawing: Mapping[str, Any], duration_ms: int | None) -> None:
    """Raise unless every time a drawing names (its frame, its stopwatches) is in the video."""
    if duration_ms is None:
        return  # check_range already refused a video of unknown length
    named: list[tuple[str, int]] = []
    if drawing.get("frame_ms") is not None:
        named.append(("drawing.frame_ms", int(drawing["frame_ms"])))
    for i, m in enumerate(drawing.get("measures") or []):
        if m.get("type") == "stopwatch":
            named.append((f"drawing.measures.{i}.start_ms", int(m["start_ms"])))
            named.append((f"drawing.measures.{i}.end_ms", int(m["end_ms"])))
            named += [(f"drawing.measures.{i}.laps", int(t)) for t in m.get("laps") or []]
    for field, ms in named:
        if ms > duration_ms:
            raise Invalid(
                f"{field} is at {format_ms(ms)}, after the video ends ({format_ms(duration_ms)}).",
                {"field": field, "duration_ms": duration_ms},
            )
