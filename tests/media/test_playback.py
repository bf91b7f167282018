"""Playback: short-lived signed URLs, only for those who may see the video; HTTP Range."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import av
import pytest
from PIL import Image

from tests.media.clips import bright_corner, make_marked_clip
from tests.media.conftest import MediaApi
from tests.support import error_code


def _ready(mapi: MediaApi, clips: dict[str, Path]) -> tuple[object, dict]:
    coach = mapi.signup("Coach")
    video = mapi.upload(coach, clips["h264_aac"])
    assert video["status"] == "ready", video
    return coach, video


def test_playback_hands_out_expiring_urls_for_every_asset(
    mapi: MediaApi, clips: dict[str, Path]
) -> None:
    coach, video = _ready(mapi, clips)
    r = mapi.get(f"/api/v1/videos/{video['id']}/playback", coach)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["sprite_index"] == video["sprite_index"]
    for name, kind in [
        ("original_url", "video/mp4"),
        ("rendition_url", "video/mp4"),
        ("poster_url", "image/jpeg"),
        ("sprite_url", "image/jpeg"),
    ]:
        assert body[name].startswith("/media/files/videos/")
        served = mapi.get(body[name])
        assert served.status_code == 200, (name, served.text)
        assert served.headers["content-type"] == kind
    original = mapi.get(body["original_url"]).content
    assert original == clips["h264_aac"].read_bytes()


def test_the_rendition_is_served_with_http_range(mapi: MediaApi, clips: dict[str, Path]) -> None:
    coach, video = _ready(mapi, clips)
    url = mapi.get(f"/api/v1/videos/{video['id']}/playback", coach).json()["rendition_url"]
    full = mapi.get(url)
    size = len(full.content)
    assert full.headers["accept-ranges"] == "bytes"
    assert int(full.headers["content-length"]) == size
    etag = full.headers["etag"]

    part = mapi.get(url, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206
    assert part.headers["content-range"] == f"bytes 100-199/{size}"
    assert part.content == full.content[100:200]

    tail = mapi.get(url, headers={"Range": "bytes=-50"})
    assert tail.status_code == 206 and tail.content == full.content[-50:]
    assert tail.headers["content-range"] == f"bytes {size - 50}-{size - 1}/{size}"

    rest = mapi.get(url, headers={"Range": f"bytes={size - 10}-"})
    assert rest.status_code == 206 and rest.content == full.content[-10:]

    same = mapi.get(url, headers={"Range": "bytes=0-9", "If-Range": etag})
    assert same.status_code == 206 and same.content == full.content[:10]
    changed = mapi.get(url, headers={"Range": "bytes=0-9", "If-Range": '"stale"'})
    assert changed.status_code == 200 and changed.content == full.content

    beyond = mapi.get(url, headers={"Range": f"bytes={size}-{size + 10}"})
    assert beyond.status_code == 416
    assert beyond.headers["content-range"] == f"bytes */{size}"

    head = mapi.client.head(url)
    assert head.status_code == 200 and int(head.headers["content-length"]) == size
    assert head.content == b""


def test_media_urls_are_refused_when_tampered_with_or_expired(
    mapi: MediaApi, clips: dict[str, Path]
) -> None:
    coach, video = _ready(mapi, clips)
    body = mapi.get(f"/api/v1/videos/{video['id']}/playback", coach).json()
    url = body["rendition_url"]
    path, _, query = url.partition("?")
    sig = parse_qs(query)["sig"][0]
    assert mapi.get(url.replace(sig, "0" * len(sig))).status_code == 403
    # A valid signature for one object does not open another.
    other = path.replace("rendition.mp4", "original") + "?" + query
    assert mapi.get(other).status_code == 403
    exp = parse_qs(query)["exp"][0]
    assert mapi.get(url.replace(f"exp={exp}", f"exp={int(exp) + 3600}")).status_code == 403
    assert mapi.get(path).status_code == 403

    key = urlsplit(path).path.removeprefix("/media/files/")
    expired = mapi.storage.playback_url(key, expires_in=-1)
    r = mapi.get(expired)
    assert r.status_code == 403 and "expired" in r.json()["error"]["message"]


def test_only_people_who_may_see_a_video_get_its_urls(
    mapi: MediaApi, clips: dict[str, Path]
) -> None:
    coach, learner, stranger = mapi.signup("Coach"), mapi.signup("Learner"), mapi.signup("Stranger")
    admin = mapi.signup("Admin", admin=True)
    mapi.link(coach, learner)
    exercise = mapi.exercise(coach, visibility="public")
    thread = mapi.thread(learner, exercise["id"])
    video = mapi.upload(learner, clips["silent"])
    r = mapi.post(
        f"/api/v1/threads/{thread['id']}/attempts", learner, json={"video_id": video["id"]}
    )
    assert r.status_code == 201, r.text

    playback = f"/api/v1/videos/{video['id']}/playback"
    for allowed in (learner, coach, admin):
        assert mapi.get(playback, allowed).status_code == 200
    for refused in (stranger, None):
        r = mapi.get(playback, refused)
        assert r.status_code == 404 and error_code(r) == "not_found"
        assert mapi.get(f"/api/v1/videos/{video['id']}", refused).status_code == 404


def test_a_public_exercises_reference_video_plays_for_anyone(
    mapi: MediaApi, clips: dict[str, Path]
) -> None:
    coach = mapi.signup("Coach")
    video = mapi.upload(coach, clips["portrait"])
    assert (video["width"], video["height"], video["rotation"]) == (64, 96, 270)
    mapi.exercise(coach, visibility="public", reference_video_id=video["id"])
    r = mapi.get(f"/api/v1/videos/{video['id']}/playback")
    assert r.status_code == 200
    assert mapi.get(r.json()["poster_url"]).status_code == 200


def test_a_video_that_is_not_ready_has_no_playback(mapi: MediaApi, clips: dict[str, Path]) -> None:
    coach = mapi.signup("Coach")
    video = mapi.upload(coach, clips["silent"], process=False)
    r = mapi.get(f"/api/v1/videos/{video['id']}/playback", coach)
    assert r.status_code == 409 and error_code(r) == "video_not_ready"
    assert r.json()["error"]["details"]["status"] == "uploaded"


@pytest.mark.parametrize(
    "name",
    [
        "zero bytes",
        "text renamed .mp4",
        "truncated mp4",
        "huge dimension",
        "audio only",
        "still image",
        "absurd duration",
    ],
)
def test_a_bad_upload_ends_failed_with_its_reason_and_nothing_is_served(
    mapi: MediaApi, bad_clips: dict[str, tuple[Path, str]], name: str
) -> None:
    path, word = bad_clips[name]
    coach = mapi.signup("Coach")
    video = mapi.upload(coach, path)
    assert video["status"] == "failed"
    assert word.lower() in video["failure_reason"].lower()
    r = mapi.get(f"/api/v1/videos/{video['id']}/playback", coach)
    assert r.status_code == 409 and error_code(r) == "video_not_ready"
    assert video["failure_reason"] in r.json()["error"]["message"]
    # The original stays (a retry is possible), never served; nothing derived is left.
    assert mapi.object_keys(f"videos/{video['id']}/") == [f"videos/{video['id']}/original"]
    r = mapi.post(
        "/api/v1/exercises",
        coach,
        json={
            "title": "Squat",
            "category": "strength",
            "difficulty": "beginner",
            "visibility": "public",
            "reference_video_id": video["id"],
        },
    )
    assert r.status_code == 422


def test_a_phone_portrait_clip_plays_upright_at_720_by_1280(mapi: MediaApi, tmp_path: Path) -> None:
    """Stored 1920x1080 with a quarter turn in its display matrix, as phones record."""
    coach = mapi.signup("Learner")
    phone = make_marked_clip(tmp_path / "IMG_0042.mov", size=(1920, 1080), rotation=-90)
    video = mapi.upload(coach, phone)
    assert video["status"] == "ready", video
    assert (video["width"], video["height"], video["rotation"]) == (1080, 1920, 90)
    urls = mapi.get(f"/api/v1/videos/{video['id']}/playback", coach).json()

    with av.open(io.BytesIO(mapi.get(urls["rendition_url"]).content)) as rendition:
        stream = rendition.streams.video[0]
        assert (stream.width, stream.height) == (720, 1280)
        frame = next(rendition.decode(stream))
    assert frame.rotation == 0  # turned in the pixels, not by a matrix
    assert bright_corner(frame.to_image()) == "top-right"  # where an upright display puts it
    poster = Image.open(io.BytesIO(mapi.get(urls["poster_url"]).content))
    assert poster.size == (720, 1280) and bright_corner(poster) == "top-right"
    index = urls["sprite_index"]
    assert (index["tile_width"], index["tile_height"]) == (90, 160)
