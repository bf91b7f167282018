"""The measuring tools and the saved compare view a comment's drawing may carry.

Bounded on purpose: a fixed number of points per tool, coordinates in 0..1, a few
laps, so a client cannot store megabytes of geometry or break another viewer's player.
Times are checked against the video's length by the comment service."""

from __future__ import annotations

import itertools
import uuid
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Unit = Annotated[float, Field(ge=0.0, le=1.0)]
Point = tuple[Unit, Unit]
Color = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]
TimeMs = Annotated[int, Field(ge=0, le=24 * 3600 * 1000)]
MAX_MEASURES = 20
MAX_LAPS = 20


class _Tool(BaseModel):
    model_config = ConfigDict(extra="forbid")
    color: Color = "#ffd60a"


class AngleTool(_Tool):
    """Three points; the angle is at the middle one."""

    type: Literal["angle"]
    points: list[Point] = Field(min_length=3, max_length=3)


class LineTool(_Tool):
    """A straight line: its tilt from level, and its length once a ruler sets the scale."""

    type: Literal["line"]
    points: list[Point] = Field(min_length=2, max_length=2)


class RulerTool(_Tool):
    """A line of known length ("this line is 1 m") that calibrates the other lines."""

    type: Literal["ruler"]
    points: list[Point] = Field(min_length=2, max_length=2)
    metres: Annotated[float, Field(gt=0, le=1000)] | None = None


class StopwatchTool(_Tool):
    """The time between two frames, with optional laps in between."""

    type: Literal["stopwatch"]
    start_ms: TimeMs
    end_ms: TimeMs
    laps: list[TimeMs] = Field(default_factory=list, max_length=MAX_LAPS)

    @model_validator(mode="after")
    def _ordered(self) -> StopwatchTool:
        marks = [self.start_ms, *self.laps, self.end_ms]
        if any(b < a for a, b in itertools.pairwise(marks)):
            raise ValueError("a stopwatch runs forward: start_ms ≤ each lap ≤ end_ms")
        return self


Measure = Annotated[AngleTool | LineTool | RulerTool | StopwatchTool, Field(discriminator="type")]


class CompareView(BaseModel):
    """Two videos of the thread lined up at a sync point each, as the coach looked at them."""

    model_config = ConfigDict(extra="forbid")
    other_video_id: uuid.UUID = Field(description="the thread's reference or another attempt")
    sync_ms: TimeMs = Field(description="the sync point on the commented video")
    other_sync_ms: TimeMs = Field(description="the same moment on the other video")
    mode: Literal["side", "overlay", "swipe"] = "side"
    opacity: Unit = 0.5
    swipe: Literal["horizontal", "vertical"] = "horizontal"
    split: Unit = 0.5
