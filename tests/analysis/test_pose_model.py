"""The pose model on real pixels: a photo of a person that scikit-image ships, moved by
known transforms, and a drawn figure doing squats whose joint angles are known."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from practika.analysis.align import align
from practika.analysis.features import angles
from practika.analysis.pose import extract
from practika.analysis.reps import count_reps
from practika.analysis.skeleton import INDEX
from practika.demo.clips import squat_clip
from tests.analysis.people import expected_points, person_clip, sliding

SIZE = (640, 360)
UPPER_BODY = [
    INDEX[n] for n in ("nose", "left_shoulder", "right_shoulder", "left_eye", "right_eye")
]


def test_landmarks_are_found_and_follow_the_person(tmp_path: Path) -> None:
    frames = 30
    motion = sliding(frames, span=0.35)
    clip = person_clip(tmp_path / "astronaut.mp4", seconds=1, fps=30, size=SIZE, motion=motion)
    track = extract(clip)
    assert track.frame_count == frames
    assert track.present.all(), "the person is in every frame"
    assert (track.width, track.height) == SIZE
    # Where frame 0's landmarks were in the photo, moved by each frame's known transform.
    first = track.xy[0, UPPER_BODY] * np.array(SIZE)
    x0, y0 = 0.1 * SIZE[0], 0.05 * SIZE[1]
    scale = int(SIZE[1] * 0.9) / 512
    in_photo = (first - np.array([x0, y0])) / scale
    for i in (10, 20, 29):
        want = expected_points(in_photo, i, motion, SIZE)
        got = track.xy[i, UPPER_BODY]
        # within 2% of the frame: the model's jitter, not a wrong body
        assert np.abs(got - want).max() < 0.02, (i, got, want)


def test_a_figure_s_squats_are_tracked_counted_and_aligned(tmp_path: Path) -> None:
    reference = extract(squat_clip(tmp_path / "ref.mp4", seconds=6, depth_deg=110))
    knee = angles(reference)["left_knee"]
    assert np.nanmax(knee) > 165 and np.nanmin(knee) < 95  # straight ... deep

    counted = count_reps(reference)
    assert counted.count == 3
    for rep in counted.reps:
        assert rep.duration_ms == pytest.approx(2000, abs=250)

    def warp(t: float) -> float:
        return 0.8 * t if t < 3 else 2.4 + 1.2 * (t - 3)

    attempt = extract(squat_clip(tmp_path / "attempt.mp4", seconds=6, warp=warp))
    result = align(attempt, reference)
    for t in (0.5, 1.0, 2.0, 3.5, 4.5, 5.5):
        assert result.reference_at(t * 1000) == pytest.approx(warp(t) * 1000, abs=150)


def test_nobody_in_the_picture_finds_nobody(tmp_path: Path) -> None:
    from tests.media.clips import make_clip

    track = extract(make_clip(tmp_path / "pattern.mp4", size=(160, 120), seconds=1, fps=15))
    assert track.frame_count == 15
    assert not track.present.any()


def test_frames_above_30_fps_are_subsampled_evenly(tmp_path: Path) -> None:
    clip = squat_clip(tmp_path / "fast.mp4", seconds=1, fps=60, size=(320, 240))
    track = extract(clip)
    assert track.frame_count == 30
    steps = np.diff(track.times_ms)
    assert steps.min() >= 30 and steps.max() <= 37
