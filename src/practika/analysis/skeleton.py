"""The body model the analysis speaks: MediaPipe Pose's 33 landmarks, the bones drawn as
the skeleton, and the joints whose angles coaches read."""

from __future__ import annotations

from dataclasses import dataclass

LANDMARKS: tuple[str, ...] = (
    "nose", "left_eye_inner", "left_eye", "left_eye_outer", "right_eye_inner", "right_eye",
    "right_eye_outer", "left_ear", "right_ear", "mouth_left", "mouth_right",
    "left_shoulder", "right_shoulder", "left_elbow", "right_elbow", "left_wrist",
    "right_wrist", "left_pinky", "right_pinky", "left_index", "right_index", "left_thumb",
    "right_thumb", "left_hip", "right_hip", "left_knee", "right_knee", "left_ankle",
    "right_ankle", "left_heel", "right_heel", "left_foot_index", "right_foot_index",
)  # fmt: skip
INDEX = {name: i for i, name in enumerate(LANDMARKS)}

# The bones of the skeleton overlay (face and hands left out: they clutter the picture).
BONES: tuple[tuple[int, int], ...] = tuple(
    (INDEX[a], INDEX[b])
    for a, b in (
        ("left_shoulder", "right_shoulder"), ("left_hip", "right_hip"),
        ("left_shoulder", "left_hip"), ("right_shoulder", "right_hip"),
        ("left_shoulder", "left_elbow"), ("left_elbow", "left_wrist"),
        ("right_shoulder", "right_elbow"), ("right_elbow", "right_wrist"),
        ("left_hip", "left_knee"), ("left_knee", "left_ankle"),
        ("right_hip", "right_knee"), ("right_knee", "right_ankle"),
        ("left_ankle", "left_heel"), ("left_heel", "left_foot_index"),
        ("right_ankle", "right_heel"), ("right_heel", "right_foot_index"),
        ("nose", "left_shoulder"), ("nose", "right_shoulder"),
    )
)  # fmt: skip


@dataclass(frozen=True)
class Joint:
    """An angle at `vertex` between the segments to `a` and `b`, in degrees (180 = straight).

    `flexed` names what a smaller angle means to a coach ("more flexed", "more bent").
    """

    name: str
    label: str
    a: int
    vertex: int
    b: int
    flexed: str = "more flexed"
    extended: str = "more extended"


def _joint(name: str, label: str, a: str, vertex: str, b: str) -> Joint:
    return Joint(name, label, INDEX[a], INDEX[vertex], INDEX[b])


JOINTS: tuple[Joint, ...] = (
    _joint("left_knee", "left knee", "left_hip", "left_knee", "left_ankle"),
    _joint("right_knee", "right knee", "right_hip", "right_knee", "right_ankle"),
    _joint("left_hip", "left hip", "left_shoulder", "left_hip", "left_knee"),
    _joint("right_hip", "right hip", "right_shoulder", "right_hip", "right_knee"),
    _joint("left_elbow", "left elbow", "left_shoulder", "left_elbow", "left_wrist"),
    _joint("right_elbow", "right elbow", "right_shoulder", "right_elbow", "right_wrist"),
    _joint("left_shoulder", "left shoulder", "left_hip", "left_shoulder", "left_elbow"),
    _joint("right_shoulder", "right shoulder", "right_hip", "right_shoulder", "right_elbow"),
)
# Trunk lean is not a three-point angle: the tilt of hips-to-shoulders from vertical.
TRUNK_LEAN = "trunk_lean"
ANGLE_NAMES: tuple[str, ...] = (*(j.name for j in JOINTS), TRUNK_LEAN)
ANGLE_LABELS: dict[str, str] = {**{j.name: j.label for j in JOINTS}, TRUNK_LEAN: "trunk lean"}
