"""Voice-over reviews: the coach's actions on the player, timed on the voice's clock.

A review is recorded as what the coach did (play, pause, seek/step, speed, draw,
clear) with the time into the audio (`at_ms`) and where the playhead was
(`position_ms`). Replaying those actions gives, for any moment of the audio, the
frame the coach saw and the drawings on it: the web player and the worker's
render (media/compose.py) both follow this one model, so they agree.
"""

from __future__ import annotations

import bisect
import enum
from dataclasses import dataclass, field
from typing import Any

from practika.domain.errors import Invalid
from practika.domain.timecodes import format_ms

MAX_EVENTS = 2000
MAX_DRAWN_SHAPES = 200
MAX_TOTAL_POINTS = 20_000
MIN_RATE, MAX_RATE = 0.1, 4.0
# The browser measures the recording a little differently from the probe: a last action
# this far past the audio's end is still inside it.
AUDIO_SLACK_MS = 500


class Action(enum.StrEnum):
    PLAY = "play"
    PAUSE = "pause"
    SEEK = "seek"  # a scrub or a frame step: the playhead jumps to position_ms
    RATE = "rate"
    DRAW = "draw"
    CLEAR = "clear"


@dataclass(frozen=True)
class Event:
    at_ms: int
    action: Action
    position_ms: int
    rate: float | None = None
    shape: dict[str, Any] | None = None


@dataclass(frozen=True)
class State:
    """The player at one moment: the frame shown and whether it moves."""

    position_ms: float
    playing: bool
    rate: float


@dataclass
class Timeline:
    events: list[Event]
    video_ms: int
    _starts: list[int] = field(init=False, repr=False)
    _states: list[State] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._starts, self._states = [], []
        state = State(float(self.events[0].position_ms) if self.events else 0.0, False, 1.0)
        for event in self.events:
            state = _apply(state, event)
            self._starts.append(event.at_ms)
            self._states.append(state)

    def state_at(self, t_ms: float) -> State:
        """The player `t_ms` into the voice: paused frames hold, playing ones advance."""
        i = bisect.bisect_right(self._starts, t_ms) - 1
        if i < 0:
            first = self.events[0].position_ms if self.events else 0
            return State(float(first), False, 1.0)
        state = self._states[i]
        if not state.playing:
            return state
        moved = state.position_ms + (t_ms - self._starts[i]) * state.rate
        return State(min(float(self.video_ms), moved), moved < self.video_ms, state.rate)

    def position_at(self, t_ms: float) -> int:
        return round(self.state_at(t_ms).position_ms)

    def shapes_at(self, t_ms: float) -> list[dict[str, Any]]:
        """The drawings on screen: every one drawn since the last clear, up to `t_ms`."""
        shapes: list[dict[str, Any]] = []
        for event in self.events:
            if event.at_ms > t_ms:
                break
            if event.action == Action.CLEAR:
                shapes = []
            elif event.action == Action.DRAW and event.shape is not None:
                shapes.append(event.shape)
        return shapes

    def covered(self, audio_ms: int) -> tuple[int, int]:
        """The range of the video the review shows, for anchoring its comment. Within a
        stretch between two actions the playhead moves one way, so its extremes are at
        the stretches' ends: at each action, and just before it."""
        times = [0, *self._starts, audio_ms]
        positions = [self.position_at(min(t, audio_ms)) for t in times]
        positions += [self.position_at(max(0, min(t, audio_ms) - 0.5)) for t in times]
        return min(positions), min(max(positions), self.video_ms)


def _apply(state: State, event: Event) -> State:
    position = float(event.position_ms)
    match event.action:
        case Action.PLAY:
            return State(position, True, state.rate)
        case Action.PAUSE:
            return State(position, False, state.rate)
        case Action.RATE:
            return State(position, state.playing, event.rate or state.rate)
        case Action.SEEK:
            return State(position, state.playing, state.rate)
        case _:  # drawing changes the picture, not the playhead
            return State(position, state.playing, state.rate)


def check(events: list[Event], *, video_ms: int, audio_ms: int) -> Timeline:
    """The recorded actions as a timeline, or Invalid naming the first thing wrong."""
    if not events:
        raise Invalid("A review holds at least one action.", {"field": "events"})
    if len(events) > MAX_EVENTS:
        raise Invalid(
            f"A review holds at most {MAX_EVENTS} actions; this one has {len(events)}.",
            {"field": "events", "max": MAX_EVENTS},
            code="review_too_long",
        )
    drawn = [e for e in events if e.action == Action.DRAW]
    if len(drawn) > MAX_DRAWN_SHAPES:
        raise Invalid(
            f"A review holds at most {MAX_DRAWN_SHAPES} drawings; this one has {len(drawn)}.",
            {"field": "events", "max_drawings": MAX_DRAWN_SHAPES},
            code="review_too_long",
        )
    points = sum(len((e.shape or {}).get("points", ())) for e in drawn)
    if points > MAX_TOTAL_POINTS:
        raise Invalid(
            f"A review's drawings hold at most {MAX_TOTAL_POINTS} points; these hold {points}.",
            {"field": "events", "max_points": MAX_TOTAL_POINTS},
            code="review_too_long",
        )
    previous = 0
    for i, event in enumerate(events):
        where = {"field": "events", "index": i}
        if event.at_ms < previous:
            raise Invalid("The actions must be in the order they happened.", where)
        previous = event.at_ms
        if event.at_ms > audio_ms + AUDIO_SLACK_MS:
            raise Invalid(
                f"Action {i} is at {format_ms(event.at_ms)} of the voice-over, after the "
                f"recording ends ({format_ms(audio_ms)}).",
                {**where, "audio_ms": audio_ms},
            )
        if event.position_ms > video_ms:
            raise Invalid(
                f"Action {i} puts the playhead at {format_ms(event.position_ms)}, after the "
                f"video ends ({format_ms(video_ms)}).",
                {**where, "duration_ms": video_ms},
            )
        if event.action == Action.RATE and not (
            event.rate is not None and MIN_RATE <= event.rate <= MAX_RATE
        ):
            raise Invalid(f"A speed runs from {MIN_RATE}x to {MAX_RATE}x.", where)
        if event.action == Action.DRAW and event.shape is None:
            raise Invalid(f"Action {i} draws, but holds no shape.", where)
    return Timeline(events, video_ms)


def from_json(data: dict[str, Any], video_ms: int) -> Timeline:
    """A stored review's timeline (already checked when it was made)."""
    events = [
        Event(e["at_ms"], Action(e["action"]), e["position_ms"], e.get("rate"), e.get("shape"))
        for e in data.get("events", [])
    ]
    return Timeline(events, video_ms)


def to_json(events: list[Event]) -> dict[str, Any]:
    return {
        "events": [
            {
                "at_ms": e.at_ms,
                "action": e.action.value,
                "position_ms": e.position_ms,
                **({"rate": e.rate} if e.rate is not None else {}),
                **({"shape": e.shape} if e.shape is not None else {}),
            }
            for e in events
        ]
    }
