"""Shapes of movement analysis: state, pose track views, alignment, departures, reps."""

from __future__ import annotations

import uuid

from pydantic import Field

from practika.api.schemas.common import Model


class AnalysisOut(Model):
    video_id: uuid.UUID
    status: str = Field(description="pending, running, done, none, failed, or unavailable")
    reason: str | None
    model: str | None
    frame_count: int | None
    person_frames: int | None
    analysed_fps: float | None


class PoseOut(Model):
    video_id: uuid.UUID
    model: str
    width: int = Field(description="the upright picture the coordinates are normalised to")
    height: int
    times_ms: list[int]
    landmarks: list[list[float]] = Field(
        description="per frame, the 33 MediaPipe landmarks as x, y, visibility (flattened)"
    )
    angles: dict[str, list[float | None]] = Field(
        description="per joint, degrees per frame (null where the joint is not visible)"
    )
    angle_labels: dict[str, str]
    bones: list[list[int]] = Field(description="pairs of landmark indices")


class AlignmentOut(Model):
    video_id: uuid.UUID
    reference_video_id: uuid.UUID
    pairs: list[list[int]] = Field(
        description="[video ms, matching reference ms], monotone in both"
    )
    cost: float


class DepartureOut(Model):
    joint: str
    start_ms: int
    end_ms: int
    mean_difference_deg: float = Field(description="video minus reference, signed")
    peak_difference_deg: float
    text: str


class RepOut(Model):
    start_ms: int
    end_ms: int
    duration_ms: int
    range_deg: float


class RepsOut(Model):
    video_id: uuid.UUID
    count: int
    joint: str | None
    joint_label: str | None
    period_ms: int | None
    tempo_cv: float | None = Field(description="coefficient of variation of rep durations")
    range_cv: float | None = Field(description="coefficient of variation of range of motion")
    reason: str | None
    reps: list[RepOut]
