"""The measuring tools burnt into a rendered video, painted as the web player paints them.

The twin of `paintMeasures` in web/src/features/review/tools/geometry.ts: each tool's
segment (a ruler dashed) with a dot at each point, its label on a dark tag beside it (an
angle's at the vertex, a line's at its middle), stopwatches as tags down the top left.
The numbers and their wording come from `domain/measures.py`, so the player, the comment
list, the CSV/WebVTT exports and the MP4 read the same. The label is worked out on the
frame being painted: its aspect is the one the player measures on (the rendition's).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from PIL import ImageDraw, ImageFont

from practika.domain import measures

MEASURE_COLOR = "#ffd60a"  # the player's MEASURE_COLOR
TAG_FILL = (15, 23, 42, 217)  # rgba(15, 23, 42, 0.85)


@dataclass(frozen=True)
class Tool:
    """One saved measure (the API's shape), frozen so a set of layers can be a cache key."""

    type: str
    points: tuple[tuple[float, float], ...] = ()
    color: str = MEASURE_COLOR
    metres: float | None = None
    start_ms: int = 0
    end_ms: int = 0
    laps: tuple[int, ...] = ()

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> Tool:
        return cls(
            str(data["type"]),
            tuple((float(x), float(y)) for x, y in data.get("points") or ()),
            str(data.get("color") or MEASURE_COLOR),
            float(data["metres"]) if data.get("metres") else None,
            int(data.get("start_ms") or 0),
            int(data.get("end_ms") or 0),
            tuple(int(t) for t in data.get("laps") or ()),
        )

    def as_measure(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "points": [list(p) for p in self.points],
            "metres": self.metres,
            "start_ms": self.start_ms,
            "end_ms": self.end_ms,
            "laps": list(self.laps),
        }


@dataclass(frozen=True)
class Measures:
    """One comment's tools: a ruler calibrates only its own comment's lines (as in the
    player), and a stopwatch counts frames at the video's rate."""

    tools: tuple[Tool, ...]
    fps: float | None = None

    @classmethod
    def of(cls, drawing: Mapping[str, Any] | None, fps: float | None) -> Measures | None:
        found = tuple(Tool.of(m) for m in (drawing or {}).get("measures") or ())
        return cls(found, fps) if found else None

    def labels(self, aspect: float) -> list[str]:
        return measures.labels([t.as_measure() for t in self.tools], aspect=aspect, fps=self.fps)


def rgb(color: str, fallback: tuple[int, int, int] = (255, 214, 10)) -> tuple[int, int, int]:
    value = color.lstrip("#")
    try:
        return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
    except ValueError:
        return fallback


@lru_cache(maxsize=8)
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def tag_size(h: int) -> tuple[int, int]:
    """The label's font size and the tag's height on a picture `h` pixels high."""
    return max(12, round(h / 28)), max(18, round(h / 20))


def tag(
    draw: ImageDraw.ImageDraw,
    text: str,
    x: float,
    y: float,
    color: str,
    size: tuple[int, int],
    *,
    watch: bool = False,
) -> tuple[int, int, int, int]:
    """A label on a dark tag whose bottom left is near (x, y), kept inside the picture;
    `watch` draws the player's ⏱ before it (the bundled font has no such glyph). Returns
    the tag's box."""
    w, h = size
    font_px, height = tag_size(h)
    face = font(font_px)
    icon = font_px + 4 if watch else 0
    width = math.ceil(draw.textlength(text, font=face)) + 10 + icon
    left = min(max(0, round(x)), max(0, w - width))
    top = min(max(0, round(y) - height), max(0, h - height))
    fill = (*rgb(color), 255)
    draw.rectangle((left, top, left + width, top + height), fill=TAG_FILL)
    if watch:
        r = font_px / 2 - 1
        cx, cy = left + 5 + r, top + height / 2 + 1
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=fill, width=max(1, font_px // 8))
        draw.line([(cx, cy), (cx, cy - r * 0.7)], fill=fill, width=max(1, font_px // 8))
        draw.line([(cx - 2, cy - r - 2), (cx + 2, cy - r - 2)], fill=fill, width=2)
    draw.text((left + 5 + icon, top + height / 2), text, font=face, fill=fill, anchor="lm")
    return left, top, left + width, top + height


def _segment(
    draw: ImageDraw.ImageDraw,
    pts: list[tuple[float, float]],
    color: tuple[int, int, int, int],
    w: int,
    *,
    dashed: bool,
) -> None:
    width = max(2, round(w / 250))
    for a, b in itertools.pairwise(pts):
        if not dashed:
            draw.line([a, b], fill=color, width=width)
            continue
        span = math.dist(a, b)
        dx, dy = ((b[0] - a[0]) / span, (b[1] - a[1]) / span) if span else (0.0, 0.0)
        at = 0.0
        while at < span:  # the player's 8 on, 6 off
            end = min(span, at + 8)
            draw.line(
                [(a[0] + dx * at, a[1] + dy * at), (a[0] + dx * end, a[1] + dy * end)],
                fill=color,
                width=width,
            )
            at += 14
    dot = max(3, w / 160)
    for x, y in pts:
        draw.ellipse((x - dot, y - dot, x + dot, y + dot), fill=color)


def paint_measures(
    draw: ImageDraw.ImageDraw, groups: tuple[Measures, ...], size: tuple[int, int]
) -> None:
    """Every group's tools over a picture `size` big, labels beside them."""
    w, h = size
    aspect = w / h if h > 0 else 1.0
    watch_row = 0
    step = max(20, h / 18)
    for group in groups:
        for tool, text in zip(group.tools, group.labels(aspect), strict=True):
            if tool.type == "stopwatch":
                watch_row += 1
                tag(draw, text, 8, 8 + watch_row * step, tool.color, size, watch=True)
                continue
            pts = [(x * w, y * h) for x, y in tool.points]
            _segment(draw, pts, (*rgb(tool.color), 255), w, dashed=tool.type == "ruler")
            if tool.type == "angle":
                x, y = tool.points[1]
            else:
                (x0, y0), (x1, y1) = tool.points[0], tool.points[-1]
                x, y = (x0 + x1) / 2, (y0 + y1) / 2
            tag(draw, text, x * w + 10, y * h - 6, tool.color, size)
