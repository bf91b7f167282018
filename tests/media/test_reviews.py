"""Voice-over reviews, clip replies and exports, end to end through the HTTP API and
the worker, on real files: a browser-like voice (WebM/Opus with no duration in its
header), an attempt clip, and the rendered MP4s decoded and checked."""

from __future__ import annotations

import array
import math
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import pytest

from tests.media.clips import make_clip
from tests.media.conftest import MediaApi
from tests.support import Person, World, error_code, thread_body

LINE = {"type": "line", "points": [[0.5, 0.6], [0.9, 0.6]], "color": "#0000ff", "width": 0.06}
# An angle tool whose vertical arm runs through ARM, on the plain grey of the test pattern.
ANGLE = {"type": "angle", "points": [[0.6, 0.85], [0.6, 0.6], [0.75, 0.8]]}
ARM = (96, 90)


def tool_times(path: Path) -> list[float]:
    """When the angle's arm (yellow, the tools' colour) is on the picture."""
    with av.open(str(path)) as f:
        stream = f.streams.video[0]
        found = []
        for frame in f.decode(stream):
            r, g, b = frame.to_image().getpixel(ARM)  # type: ignore[misc]
            if r > 150 and g > 130 and b < min(r, g) - 60:
                found.append(float(frame.pts * stream.time_base * 1000))
        return found


def make_live_voice(path: Path, seconds: float = 4.0) -> Path:
    """A voice as Chromium's MediaRecorder writes it: Opus in a live WebM, no duration
    in the header, no cues."""
    with av.open(str(path), "w", format="webm", options={"live": "1"}) as out:
        sound = out.add_stream("libopus", rate=48000)
        sound.layout = "mono"
        step, pts = 960, 0
        while pts < seconds * 48000:
            frame = av.AudioFrame(format="flt", layout="mono", samples=step)
            tone = (0.2 * math.sin(2 * math.pi * 220 * (pts + j) / 48000) for j in range(step))
            frame.planes[0].update(array.array("f", tone).tobytes())
            frame.sample_rate, frame.pts, frame.time_base = 48000, pts, Fraction(1, 48000)
            pts += step
            for packet in sound.encode(frame):
                out.mux(packet)
        for packet in sound.encode(None):
            out.mux(packet)
    return path


def upload_clip(mapi: MediaApi, who: Person, path: Path, content_type: str) -> dict[str, Any]:
    data = path.read_bytes()
    started = mapi.start_upload(who, data, path.name, content_type=content_type, purpose="clip")
    etags = mapi.send_parts(started, data)
    assert mapi.complete(who, started["video_id"], etags).status_code == 200
    mapi.process()
    return mapi.get(f"/api/v1/videos/{started['video_id']}", who).json()  # type: ignore[no-any-return]


@pytest.fixture
def scene(mapi: MediaApi, tmp_path: Path) -> dict[str, Any]:
    async def build(world: World) -> tuple[Any, ...]:
        ana = await world.coach("Ana")
        leo = await world.learner("Leo", coached_by=ana)
        olga = await world.person("Olga")
        thread = await world.thread(leo, await world.exercise(by=ana, visibility="private"))
        people = [await world.signed_in(p) for p in (ana, leo, olga)]
        return (*people, thread_body(thread))

    coach, learner, other, thread = mapi.world(build)
    clip = make_clip(tmp_path / "attempt.mp4", size=(160, 120), seconds=3, fps=15, audio=True)
    video = mapi.upload(learner, clip)
    assert video["status"] == "ready", video
    r = mapi.post(
        f"/api/v1/threads/{thread['id']}/attempts", learner, json={"video_id": video["id"]}
    )
    assert r.status_code == 201, r.text
    voice = upload_clip(mapi, coach, make_live_voice(tmp_path / "voice.webm"), "audio/webm")
    return {
        "coach": coach,
        "learner": learner,
        "other": other,
        "thread": thread,
        "attempt": r.json(),
        "video": video,
        "voice": voice,
    }


EVENTS = [
    {"at_ms": 0, "action": "pause", "position_ms": 500},
    {"at_ms": 1000, "action": "draw", "position_ms": 500, "shape": LINE},
    {"at_ms": 2000, "action": "clear", "position_ms": 500},
    {"at_ms": 2000, "action": "play", "position_ms": 500},
    {"at_ms": 2500, "action": "rate", "position_ms": 1000, "rate": 0.5},
    {"at_ms": 3500, "action": "pause", "position_ms": 1500},
]


def review(mapi: MediaApi, s: dict[str, Any], **changes: Any) -> Any:
    body = {"video_id": s["video"]["id"], "audio_video_id": s["voice"]["id"], "events": EVENTS}
    body.update(changes)
    return mapi.post(f"/api/v1/threads/{s['thread']['id']}/reviews", s["coach"], json=body)


def download(mapi: MediaApi, url: str, path: Path) -> Path:
    r = mapi.get(url)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "video/mp4"
    assert r.headers["content-disposition"].startswith("attachment")
    path.write_bytes(r.content)
    return path


def test_a_browser_voice_with_no_duration_is_a_ready_clip_of_audio_alone(
    mapi: MediaApi, scene: dict[str, Any]
) -> None:
    voice = scene["voice"]
    assert voice["status"] == "ready", voice
    assert voice["purpose"] == "clip"
    assert voice["video_codec"] is None and voice["audio_codec"] == "opus"
    assert 3900 <= voice["duration_ms"] <= 4100


def test_a_review_is_a_comment_anchored_to_what_it_shows_and_the_learner_hears_of_it(
    mapi: MediaApi, scene: dict[str, Any], tmp_path: Path
) -> None:
    r = review(mapi, scene)
    assert r.status_code == 201, r.text
    comment = r.json()
    assert comment["kind"] == "review"
    assert (comment["t_start_ms"], comment["t_end_ms"]) == (500, 1500)
    assert comment["media_video_id"] == scene["voice"]["id"]
    assert [e["action"] for e in comment["review"]["events"]][:2] == ["pause", "draw"]
    notes = mapi.get("/api/v1/notifications", scene["learner"]).json()["items"]
    assert [n["kind"] for n in notes] == ["feedback"]
    # The learner plays the voice; someone outside the thread cannot even see it.
    voice_id = scene["voice"]["id"]
    assert mapi.get(f"/api/v1/videos/{voice_id}/playback", scene["learner"]).status_code == 200
    assert mapi.get(f"/api/v1/videos/{voice_id}/playback", scene["other"]).status_code == 404

    # A measured moment the review's playhead passes: the render shows its tool then.
    measured = {"t_start_ms": 1000, "t_end_ms": 1500, "drawing": {"measures": [ANGLE]}}
    mapi.comment(scene["coach"], scene["thread"]["id"], scene["video"]["id"], **measured)
    r = mapi.post(f"/api/v1/comments/{comment['id']}/export", scene["learner"])
    assert r.status_code == 202, r.text
    export = r.json()
    assert export["status"] == "queued" and export["download_url"] is None
    again = mapi.post(f"/api/v1/comments/{comment['id']}/export", scene["coach"]).json()
    assert again["id"] == export["id"]  # rendered once
    mapi.process()
    done = mapi.get(f"/api/v1/exports/{export['id']}", scene["learner"]).json()
    assert done["status"] == "ready", done
    assert mapi.get(f"/api/v1/exports/{export['id']}", scene["other"]).status_code == 404

    path = download(mapi, done["download_url"], tmp_path / "review.mp4")
    with av.open(str(path)) as f:
        assert 3900 <= f.duration / 1000 <= 4200  # the voice's length, not the attempt's
        assert f.streams.audio and f.streams.video
        stream = f.streams.video[0]
        blue = []
        for frame in f.decode(stream):
            r_, g, b = frame.to_image().getpixel((112, 72))  # type: ignore[misc]
            if b > 160 and r_ < 90 and g < 90:
                blue.append(float(frame.pts * stream.time_base * 1000))
    assert blue and 1000 <= min(blue) < 1100 and max(blue) < 2000
    # Playing from 500 at 2 s, the playhead reaches 1000 at 2.5 s and 1500 (at half
    # speed) at 3.5 s, where it pauses: the comment's tool is shown in between.
    shown = tool_times(path)
    assert shown and 2430 <= min(shown) < 2540 and 3400 <= max(shown) < 3500, shown


def test_an_annotated_export_is_rendered_and_downloaded_by_thread_members_only(
    mapi: MediaApi, scene: dict[str, Any], tmp_path: Path
) -> None:
    mapi.comment(
        scene["coach"],
        scene["thread"]["id"],
        scene["video"]["id"],
        body="Knees out",
        drawing={"shapes": [LINE], "measures": [ANGLE]},
    )
    attempt_id = scene["attempt"]["id"]
    assert mapi.post(f"/api/v1/attempts/{attempt_id}/export", scene["other"]).status_code == 404
    export = mapi.post(f"/api/v1/attempts/{attempt_id}/export", scene["learner"]).json()
    mapi.process()
    done = mapi.get(f"/api/v1/exports/{export['id']}", scene["coach"]).json()
    assert done["status"] == "ready", done
    path = download(mapi, done["download_url"], tmp_path / "annotated.mp4")
    with av.open(str(path)) as f:
        assert 2900 <= f.duration / 1000 <= 3200 and f.streams.audio
    shown = tool_times(path)  # the comment's measuring tool, over its range only
    assert shown and 1000 <= min(shown) < 1070 and 1930 <= max(shown) < 2000, shown


def reply_with(mapi: MediaApi, scene: dict[str, Any], clip: dict[str, Any], body: str) -> Any:
    """The coach's reply on the attempt, carrying `clip`."""
    reply = mapi.comment(
        scene["coach"],
        scene["thread"]["id"],
        scene["video"]["id"],
        body=body,
        media_video_id=clip["id"],
    )
    assert reply["media_video_id"] == clip["id"]
    return reply


def test_a_reply_carries_a_recorded_clip_seen_by_the_thread_only(
    mapi: MediaApi, scene: dict[str, Any], tmp_path: Path
) -> None:
    demo = make_clip(tmp_path / "demo.webm", codec="libvpx-vp9", container="webm", audio=True)
    clip = upload_clip(mapi, scene["coach"], demo, "video/webm")
    assert clip["status"] == "ready" and clip["video_codec"] == "vp9"
    reply = reply_with(mapi, scene, clip, "Like this")
    assert mapi.get(f"/api/v1/videos/{clip['id']}/playback", scene["learner"]).status_code == 200
    assert mapi.get(f"/api/v1/videos/{clip['id']}/playback", scene["other"]).status_code == 404
    # Deleted with its comment: the clip is no longer the thread's to see.
    assert mapi.delete(f"/api/v1/comments/{reply['id']}", scene["coach"]).status_code == 200
    assert mapi.get(f"/api/v1/videos/{clip['id']}/playback", scene["learner"]).status_code == 404


def test_a_phone_demo_filmed_sideways_in_hevc_is_an_upright_h264_reply(
    mapi: MediaApi, scene: dict[str, Any], tmp_path: Path
) -> None:
    """What a coach films on an iPhone to demonstrate: HEVC in a .mov, stored landscape
    with a 90° display rotation and sound. The reply's clip plays upright, as H.264."""
    phone = make_clip(
        tmp_path / "IMG_0042.MOV", codec="libx265", size=(96, 64), rotation=90, audio=True
    )
    clip = upload_clip(mapi, scene["coach"], phone, "video/quicktime")
    assert clip["status"] == "ready", clip
    assert (clip["width"], clip["height"]) == (64, 96)  # upright: portrait
    reply_with(mapi, scene, clip, "Watch my hips")
    playback = mapi.get(f"/api/v1/videos/{clip['id']}/playback", scene["learner"])
    assert playback.status_code == 200
    served = mapi.get(playback.json()["rendition_url"])
    assert served.status_code == 200
    (tmp_path / "reply.mp4").write_bytes(served.content)
    with av.open(str(tmp_path / "reply.mp4")) as played:
        video = played.streams.video[0]
        assert video.codec_context.name == "h264"
        assert (video.width, video.height) == (64, 96)
        assert played.streams.audio  # the coach's voice came along


def test_a_clip_is_no_attempt_and_an_attempt_video_is_no_clip(
    mapi: MediaApi, scene: dict[str, Any]
) -> None:
    r = mapi.post(
        f"/api/v1/threads/{scene['thread']['id']}/attempts",
        scene["learner"],
        json={"video_id": upload_clip_as(mapi, scene["learner"], scene)},
    )
    assert r.status_code == 422, r.text
    r = mapi.post(
        f"/api/v1/threads/{scene['thread']['id']}/comments",
        scene["learner"],
        json={
            "video_id": scene["video"]["id"],
            "t_start_ms": 0,
            "t_end_ms": 0,
            "body": "me",
            "media_video_id": scene["video"]["id"],
        },
    )
    assert r.status_code == 422 and "clip" in r.json()["error"]["message"]


def upload_clip_as(mapi: MediaApi, who: Person, scene: dict[str, Any]) -> str:
    path = Path(mapi.settings.resolved_media_dir).parent / "learner-voice.webm"
    return str(upload_clip(mapi, who, make_live_voice(path, 1.0), "audio/webm")["id"])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"events": [EVENTS[0]] * 2001}, "events"),  # oversized
        (
            {"events": [{**EVENTS[1], "shape": {**LINE, "points": [[0.5, 1.5], [0.9, 0.6]]}}]},
            "events",
        ),
        ({"events": [{"at_ms": 9000, "action": "pause", "position_ms": 0}]}, "events"),
        ({"events": [{"at_ms": 0, "action": "seek", "position_ms": 3500}]}, "events"),
        ({"events": [{"at_ms": 0, "action": "rate", "position_ms": 0, "rate": 16}]}, "events"),
        ({"events": [EVENTS[2], EVENTS[0]]}, "events"),  # out of order
        ({"events": [{"at_ms": 0, "action": "draw", "position_ms": 0}]}, "events"),
        ({"events": [{**EVENTS[0], "extra": 1}]}, "events"),
    ],
    ids=[
        "oversized",
        "point-off-frame",
        "after-voice",
        "after-video",
        "speed",
        "order",
        "draw-nothing",
        "unknown-field",
    ],
)
def test_a_bad_timeline_is_refused_and_nothing_is_kept(
    mapi: MediaApi, scene: dict[str, Any], change: dict[str, Any], field: str
) -> None:
    r = review(mapi, scene, **change)
    assert r.status_code == 422, r.text
    assert error_code(r) in ("invalid", "validation_error", "review_too_long")
    assert field in str(r.json()["error"]["details"])
    comments = mapi.get(f"/api/v1/threads/{scene['thread']['id']}/comments", scene["coach"])
    assert comments.json()["items"] == []


def test_a_voice_longer_than_the_attempt_and_its_margin_is_refused(
    mapi: MediaApi, scene: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mapi.settings, "review_margin_seconds", 0)  # the attempt is 3 s
    r = review(mapi, scene)
    assert r.status_code == 422 and error_code(r) == "clip_too_long", r.text
    assert r.json()["error"]["details"]["field"] == "audio_video_id"


def test_a_reply_clip_longer_than_allowed_is_refused(
    mapi: MediaApi, scene: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mapi.settings, "max_reply_clip_seconds", 1)
    r = mapi.post(
        f"/api/v1/threads/{scene['thread']['id']}/comments",
        scene["coach"],
        json={
            "video_id": scene["video"]["id"],
            "t_start_ms": 0,
            "t_end_ms": 0,
            "body": "listen",
            "media_video_id": scene["voice"]["id"],
        },
    )
    assert r.status_code == 422 and error_code(r) == "clip_too_long", r.text


def test_a_voice_of_someone_else_or_not_ready_is_refused(
    mapi: MediaApi, scene: dict[str, Any], tmp_path: Path
) -> None:
    theirs = upload_clip(
        mapi, scene["learner"], make_live_voice(tmp_path / "v.webm", 1), "audio/webm"
    )
    r = review(mapi, scene, audio_video_id=theirs["id"])
    assert r.status_code == 422, r.text
    data = make_live_voice(tmp_path / "w.webm", 1).read_bytes()
    started = mapi.start_upload(
        scene["coach"], data, "w.webm", content_type="audio/webm", purpose="clip"
    )
    r = review(mapi, scene, audio_video_id=started["video_id"])
    assert r.status_code == 409 and error_code(r) == "video_not_ready", r.text


def test_a_review_kind_is_not_made_as_a_plain_comment(
    mapi: MediaApi, scene: dict[str, Any]
) -> None:
    r = mapi.post(
        f"/api/v1/threads/{scene['thread']['id']}/comments",
        scene["coach"],
        json={
            "video_id": scene["video"]["id"],
            "t_start_ms": 0,
            "t_end_ms": 0,
            "body": "x",
            "kind": "review",
        },
    )
    assert r.status_code == 422, r.text
    r = mapi.post(
        f"/api/v1/comments/{mapi.comment(scene['coach'], scene['thread']['id'], scene['video']['id'])['id']}/export",
        scene["coach"],
    )
    assert r.status_code == 422, r.text
