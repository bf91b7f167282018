"""The analysis arithmetic on synthetic tracks whose truth is known: angles, the
stored track format, alignment recovering a known time warp, departures, reps."""

from __future__ import annotations

import numpy as np
import pytest

from practika.analysis.align import align
from practika.analysis.departures import departures
from practika.analysis.features import angles, pose_features
from practika.analysis.reps import count_reps
from practika.analysis.track import PoseTrack, TrackFormatError, decode, encode
from tests.analysis.synthetic import squats


def test_joint_angles_are_the_geometry_of_the_body() -> None:
    track = squats(2.0, depth_deg=100)
    knee = angles(track)["left_knee"]
    assert knee[0] == pytest.approx(180, abs=0.5)  # standing
    assert knee.min() == pytest.approx(80, abs=1.0)  # the bottom: 180 - 100
    assert angles(track)["trunk_lean"][0] == pytest.approx(0, abs=0.5)


def test_an_unseen_joint_has_no_angle() -> None:
    track = squats(1.0)
    track.visibility[:, 25] = 0.1  # left knee barely visible
    assert np.isnan(angles(track)["left_knee"]).all()
    assert np.isfinite(angles(track)["right_knee"]).all()


def test_features_ignore_where_the_person_stands_and_how_big_they_look() -> None:
    near = pose_features(squats(2.0, scale=0.3, x0=0.5))
    far = pose_features(squats(2.0, scale=0.15, x0=0.2))
    assert np.allclose(near, far, atol=1e-3)  # arccos near 180° is ill-conditioned


def test_a_track_survives_its_stored_form() -> None:
    track = squats(3.0)
    track.visibility[5] = 0  # a frame with nobody in it
    back = decode(encode(track))
    assert back.frame_count == track.frame_count
    assert (back.times_ms == track.times_ms).all()
    assert np.abs(back.xy - track.xy).max() < 1e-4  # uint16 over 1.5 units
    assert np.abs(back.visibility - track.visibility).max() <= 1 / 255
    assert not back.present[5] and back.present[6]
    assert len(encode(track)) < track.frame_count * 40  # compact: a few dozen bytes a frame


@pytest.mark.parametrize("damage", [b"", b"not a track", None])
def test_a_damaged_track_is_refused_not_misread(damage: bytes | None) -> None:
    data = encode(squats(1.0))
    bad = damage if damage is not None else data[: len(data) // 2]
    with pytest.raises(TrackFormatError):
        decode(bad)


def test_alignment_recovers_a_known_time_warp() -> None:
    reference = squats(8.0)

    def warp(t: float) -> float:  # slow for 4 s, then fast: movement time of the attempt
        return 0.75 * t if t < 4 else 3.0 + 1.25 * (t - 4)

    attempt = squats(8.0, warp=warp)
    result = align(attempt, reference)
    for t in np.arange(0.5, 7.0, 0.5):
        assert result.reference_at(t * 1000) == pytest.approx(warp(t) * 1000, abs=70)
    assert np.all(np.diff(result.reference_ms) >= 0)  # monotone: players can follow it


def test_a_shallower_attempt_still_matches_bottom_to_bottom() -> None:
    """The warp follows the movement's shape, so the departure shows at the bottom."""
    reference = squats(6.0, depth_deg=110)
    attempt = squats(6.0, depth_deg=70)
    result = align(attempt, reference)
    for t in (1.0, 3.0, 5.0):  # the bottoms
        assert result.reference_at(t * 1000) == pytest.approx(t * 1000, abs=70)


def test_the_largest_sustained_departure_is_named_in_the_coach_s_words() -> None:
    reference = squats(6.0, depth_deg=110)
    attempt = squats(6.0, depth_deg=70)
    found = departures(attempt, reference, align(attempt, reference))
    assert found, "a 40° shallower squat must show"
    top = found[0]
    assert top.joint.endswith("knee")
    assert top.mean_difference_deg > 12  # less bent: more extended
    assert "more extended than the reference" in top.text
    assert top.end_ms - top.start_ms >= 300


def test_the_same_movement_has_no_departures() -> None:
    reference = squats(6.0)
    assert departures(reference, reference, align(reference, reference)) == []


@pytest.mark.parametrize(("seconds", "period", "expected"), [(6.0, 2.0, 3), (10.0, 2.5, 4)])
def test_reps_are_counted_with_their_ranges(seconds: float, period: float, expected: int) -> None:
    counted = count_reps(squats(seconds, period_s=period, depth_deg=90))
    assert counted.count == expected
    assert counted.joint is not None and counted.joint.endswith("knee")
    for rep in counted.reps:
        assert rep.duration_ms == pytest.approx(period * 1000, abs=150)
        assert rep.range_deg == pytest.approx(90, abs=3)
    assert counted.tempo_cv is not None and counted.tempo_cv < 0.1


def test_a_still_person_does_no_reps() -> None:
    counted = count_reps(squats(5.0, depth_deg=0))
    assert counted.count == 0 and counted.reason


def test_nobody_in_the_picture_counts_nothing() -> None:
    track = squats(3.0)
    empty = PoseTrack(track.times_ms, track.xy, np.zeros_like(track.visibility), 720, 720, "x")
    assert count_reps(empty).count == 0
