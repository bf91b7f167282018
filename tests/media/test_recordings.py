"""Recordings as browsers and phones write them: a WebM from Chromium's MediaRecorder
(no duration, no cues), variable frame rates, HEVC, rotation; and keyframes every second
in the rendition, so a browser seeks and steps frames quickly."""

from __future__ import annotations

import io
import itertools
from fractions import Fraction
from pathlib import Path

import av
import pytest

from practika.media.probe import MediaRejected, ProbeLimits, probe
from practika.media.render import RenderOptions, render
from tests.media.clips import (
    make_clip,
    make_live_webm,
    make_timed_clip,
    top_level_boxes,
    variable_rate_times,
)
from tests.media.conftest import MediaApi

LIMITS = ProbeLimits(("mov", "mp4", "matroska", "webm"), 8192, 3 * 3600)
# Recorded by web/scripts/record-webm-fixture.mjs: Chromium's fake camera and microphone,
# MediaRecorder("video/webm;codecs=vp9,opus"), 1 s timeslices, 3 s, 320x240 at 20 fps.
CHROMIUM_WEBM = Path(__file__).parent / "fixtures" / "chromium-mediarecorder.webm"


def keyframe_times(path: Path) -> list[float]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        tb = Fraction(stream.time_base or 1)
        return [
            float(p.pts * tb)
            for p in container.demux(stream)
            if p.pts is not None and p.is_keyframe
        ]


def rendition_facts(data: bytes) -> tuple[float, int, str]:
    """Duration (s), frame count and codec of an MP4, read as a player would."""
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.decode(stream))
        return container.duration / 1_000_000, frames, stream.codec_context.name


def test_the_chromium_fixture_really_states_no_duration() -> None:
    with av.open(str(CHROMIUM_WEBM)) as container:
        assert container.duration is None
        assert container.streams.video[0].duration is None


def test_a_chromium_mediarecorder_webm_is_probed_by_its_packets() -> None:
    facts = probe(CHROMIUM_WEBM, LIMITS)
    assert (facts.container, facts.video_codec, facts.audio_codec) == ("webm", "vp9", "opus")
    assert 2900 <= facts.duration_ms <= 3100
    assert facts.fps is not None and 19 <= facts.fps <= 21


def test_a_live_written_webm_is_probed_by_its_packets(tmp_path: Path) -> None:
    facts = probe(make_live_webm(tmp_path / "live.webm", seconds=2, fps=15), LIMITS)
    assert 1950 <= facts.duration_ms <= 2050
    assert facts.fps is not None and round(facts.fps) == 15


def test_a_browser_recording_becomes_a_seekable_mp4_of_the_right_length(tmp_path: Path) -> None:
    facts = probe(CHROMIUM_WEBM, LIMITS)
    out = render(CHROMIUM_WEBM, facts, tmp_path, RenderOptions())
    boxes = top_level_boxes(out.rendition)
    assert boxes.index("moov") < boxes.index("mdat")  # faststart: seekable while loading
    seconds, frames, codec = rendition_facts(out.rendition.read_bytes())
    assert codec == "h264"
    assert abs(seconds * 1000 - facts.duration_ms) < 100
    assert frames == 60


def test_a_cut_short_browser_recording_fails_as_truncated(tmp_path: Path) -> None:
    data = CHROMIUM_WEBM.read_bytes()
    cut = tmp_path / "cut.webm"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(MediaRejected, match="truncated"):
        probe(cut, LIMITS)


def test_the_rendition_has_a_keyframe_every_second(tmp_path: Path) -> None:
    source = make_timed_clip(tmp_path / "clip.mp4", [i * 33 for i in range(120)], size=(160, 120))
    out = render(source, probe(source, LIMITS), tmp_path, RenderOptions())
    keys = keyframe_times(out.rendition)
    assert keys[0] == 0
    assert len(keys) >= 4
    assert max(b - a for a, b in itertools.pairwise(keys)) <= 1.0 + 1e-6


def test_the_rendition_is_cheap_to_decode(tmp_path: Path) -> None:
    """x264 writes its settings into the stream: no CABAC and no deblocking (a frame step
    decodes up to a second of video, and these are what make that slow)."""
    source = make_timed_clip(tmp_path / "clip.mp4", [i * 33 for i in range(30)], size=(160, 120))
    out = render(source, probe(source, LIMITS), tmp_path, RenderOptions())
    settings = out.rendition.read_bytes()
    start = settings.index(b"options: ")
    options = settings[start : settings.index(b"\x00", start)].decode().split()
    assert "cabac=0" in options
    assert "deblock=0:0:0" in options


def test_a_variable_frame_rate_clip_keeps_its_length_and_a_keyframe_each_second(
    tmp_path: Path,
) -> None:
    times = variable_rate_times(seconds=4)  # 30 fps, then 15 fps
    source = make_timed_clip(tmp_path / "vfr.mp4", times, size=(160, 120))
    facts = probe(source, LIMITS)
    out = render(source, facts, tmp_path, RenderOptions())
    seconds, frames, _ = rendition_facts(out.rendition.read_bytes())
    assert frames == len(times)
    assert abs(seconds * 1000 - times[-1]) < 120
    keys = keyframe_times(out.rendition)
    # The keyframe falls on the first frame a second or more after the last one.
    assert max(b - a for a, b in itertools.pairwise(keys)) <= 1.0 + 0.067
    assert len(keys) >= 4


def upload_as_browser(mapi: MediaApi, who: object, path: Path, content_type: str) -> dict:
    data = path.read_bytes()
    started = mapi.start_upload(who, data, path.name, content_type=content_type)  # type: ignore[arg-type]
    etags = mapi.send_parts(started, data)
    r = mapi.complete(who, started["video_id"], etags)  # type: ignore[arg-type]
    assert r.status_code == 200, r.text
    mapi.process()
    return mapi.get(f"/api/v1/videos/{started['video_id']}", who).json()  # type: ignore[no-any-return]


def test_a_chromium_recording_uploaded_like_the_camera_recorder_is_ready_and_playable(
    mapi: MediaApi,
) -> None:
    learner = mapi.signup("Learner")
    video = upload_as_browser(mapi, learner, CHROMIUM_WEBM, "video/webm")
    assert video["status"] == "ready", video["failure_reason"]
    assert (video["container"], video["video_codec"]) == ("webm", "vp9")
    assert 2900 <= video["duration_ms"] <= 3100
    playback = mapi.get(f"/api/v1/videos/{video['id']}/playback", learner).json()
    served = mapi.get(playback["rendition_url"])
    assert served.headers["content-type"] == "video/mp4"
    seconds, frames, codec = rendition_facts(served.content)
    assert codec == "h264" and frames == 60
    assert abs(seconds * 1000 - video["duration_ms"]) < 100


def test_a_truncated_recording_uploaded_ends_failed_with_the_reason(
    mapi: MediaApi, tmp_path: Path
) -> None:
    learner = mapi.signup("Learner")
    cut = tmp_path / "attempt.webm"
    cut.write_bytes(CHROMIUM_WEBM.read_bytes()[:70_000])
    video = upload_as_browser(mapi, learner, cut, "video/webm")
    assert video["status"] == "failed"
    assert "truncated" in video["failure_reason"]


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("hevc.mov", lambda p: make_clip(p, codec="libx265", seconds=2, container="mov")),
        ("rotated.mp4", lambda p: make_clip(p, size=(96, 64), seconds=2, rotation=90)),
        ("vfr.mp4", lambda p: make_timed_clip(p, variable_rate_times(seconds=2))),
    ],
)
def test_phone_like_files_are_ready_with_the_right_duration(
    mapi: MediaApi, tmp_path: Path, name: str, make: object
) -> None:
    learner = mapi.signup("Learner")
    path = make(tmp_path / name)  # type: ignore[operator]
    video = upload_as_browser(mapi, learner, path, "video/quicktime")
    assert video["status"] == "ready", video["failure_reason"]
    assert 1800 <= video["duration_ms"] <= 2100


def test_a_recording_with_two_frames_at_the_same_time_still_renders(tmp_path: Path) -> None:
    # Chromium's MediaRecorder stamped two camera frames with the same millisecond.
    times = [0, 67, 133, 133, *range(200, 2000, 67)]
    source = make_timed_clip(
        tmp_path / "dup.webm", times, codec="libvpx-vp9", container="webm", options={"live": "1"}
    )
    out = render(source, probe(source, LIMITS), tmp_path, RenderOptions())
    _, frames, _ = rendition_facts(out.rendition.read_bytes())
    assert frames == len(times)
