"""Resumable uploads in local mode: the protocol of docs/media-protocol.md, end to end."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from practika.storage import parts
from tests.media.conftest import PART_SIZE, MediaApi
from tests.support import error_code


def test_an_upload_sent_in_parts_is_processed_into_a_ready_video(
    mapi: MediaApi, clips: dict[str, Path]
) -> None:
    coach = mapi.signup("Coach")
    data = clips["h264_aac"].read_bytes()
    started = mapi.start_upload(coach, data, "squat.mp4")
    assert started["part_size"] == PART_SIZE
    assert started["part_count"] == -(-len(data) // PART_SIZE) > 1
    assert [p["part_number"] for p in started["parts"]] == list(range(1, started["part_count"] + 1))
    assert all(p["url"].startswith("/media/parts/") for p in started["parts"])

    etags = mapi.send_parts(started, data)
    r = mapi.complete(coach, started["video_id"], etags)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "uploaded"
    assert mapi.process() == 1

    video = mapi.get(f"/api/v1/videos/{started['video_id']}", coach).json()
    assert video["status"] == "ready", video
    assert video["failure_reason"] is None
    assert (video["container"], video["video_codec"], video["audio_codec"]) == (
        "mp4",
        "h264",
        "aac",
    )
    assert (video["width"], video["height"], video["rotation"]) == (160, 120, 0)
    assert 1900 <= video["duration_ms"] <= 2100
    assert video["fps"] == 15
    assert video["size_bytes"] == len(data)
    import hashlib

    assert video["sha256"] == hashlib.sha256(data).hexdigest()
    assert video["sprite_index"]["interval_ms"] == 1000
    prefix = f"videos/{started['video_id']}/"
    assert mapi.object_keys(prefix) == sorted(
        prefix + n for n in ("original", "poster.jpg", "rendition.mp4", "sprite.jpg")
    )


def test_an_interrupted_upload_resumes_with_only_the_missing_parts(
    mapi: MediaApi, clips: dict[str, Path]
) -> None:
    coach = mapi.signup("Coach")
    data = clips["h264_aac"].read_bytes()
    started = mapi.start_upload(coach, data)
    count = started["part_count"]
    first = mapi.send_parts(started, data, numbers=[1, 3])  # then the network drops

    state = mapi.get(f"/api/v1/uploads/{started['video_id']}", coach).json()
    assert state["status"] == "uploading"
    assert (state["part_size"], state["part_count"]) == (PART_SIZE, count)
    received = {p["part_number"]: p for p in state["parts_received"]}
    assert set(received) == {1, 3}
    assert received[1]["etag"] == first[1] and received[1]["size"] == PART_SIZE

    missing = [n for n in range(1, count + 1) if n not in received]
    fresh = mapi.post(
        f"/api/v1/uploads/{started['video_id']}/parts", coach, json={"part_numbers": missing}
    ).json()
    rest = mapi.send_parts({"part_size": PART_SIZE, "parts": fresh["parts"]}, data)
    r = mapi.complete(coach, started["video_id"], first | rest)
    assert r.status_code == 200, r.text
    mapi.process()
    video = mapi.get(f"/api/v1/videos/{started['video_id']}", coach).json()
    assert video["status"] == "ready"
    original = mapi.storage.path_of(f"videos/{started['video_id']}/original")
    assert original.read_bytes() == data


def test_completing_twice_answers_the_same_video(mapi: MediaApi, clips: dict[str, Path]) -> None:
    coach = mapi.signup("Coach")
    data = clips["silent"].read_bytes()
    started = mapi.start_upload(coach, data)
    etags = mapi.send_parts(started, data)
    first = mapi.complete(coach, started["video_id"], etags)
    again = mapi.complete(coach, started["video_id"], etags)
    assert first.status_code == again.status_code == 200
    assert again.json()["id"] == started["video_id"]
    assert mapi.process() == 1  # one processing job, not two


def test_completing_with_missing_parts_names_them(mapi: MediaApi, clips: dict[str, Path]) -> None:
    coach = mapi.signup("Coach")
    data = clips["h264_aac"].read_bytes()
    started = mapi.start_upload(coach, data)
    etags = mapi.send_parts(started, data, numbers=[1])
    fake = {n: '"0"' for n in range(2, started["part_count"] + 1)}
    r = mapi.complete(coach, started["video_id"], etags | fake)
    assert r.status_code == 422 and error_code(r) == "parts_missing"
    assert r.json()["error"]["details"]["missing"] == list(range(2, started["part_count"] + 1))


def test_a_file_that_does_not_match_its_declared_size_is_refused(
    mapi: MediaApi, clips: dict[str, Path]
) -> None:
    coach = mapi.signup("Coach")
    data = clips["silent"].read_bytes()
    started = mapi.start_upload(coach, data + b"x" * 10)  # declares more than it sends
    etags = mapi.send_parts(started, data)
    r = mapi.complete(coach, started["video_id"], etags)
    assert r.status_code == 422 and error_code(r) == "part_size_mismatch"


def test_a_part_larger_than_its_slot_is_refused_while_streaming(
    mapi: MediaApi, clips: dict[str, Path]
) -> None:
    coach = mapi.signup("Coach")
    data = clips["h264_aac"].read_bytes()
    started = mapi.start_upload(coach, data)
    url = started["parts"][0]["url"]
    r = mapi.put(url, content=b"x" * (PART_SIZE + 1))
    assert r.status_code == 413 and error_code(r) == "payload_too_large"

    def chunks():  # no Content-Length: the limit holds on the stream itself
        for _ in range(3):
            yield b"x" * PART_SIZE

    r = mapi.put(url, content=chunks())
    assert r.status_code == 413
    assert mapi.get(f"/api/v1/uploads/{started['video_id']}", coach).json()["parts_received"] == []


def test_uploads_over_the_size_limit_or_of_the_wrong_type_are_refused_up_front(
    mapi: MediaApi,
) -> None:
    coach = mapi.signup("Coach")
    limit = mapi.settings.max_upload_bytes
    body = {"filename": "big.mp4", "content_type": "video/mp4", "size_bytes": limit + 1}
    r = mapi.post("/api/v1/uploads", coach, json=body)
    assert r.status_code == 422 and error_code(r) == "upload_too_large"
    assert r.json()["error"]["details"]["max_bytes"] == limit
    body = {"filename": "notes.txt", "content_type": "text/plain", "size_bytes": 10}
    r = mapi.post("/api/v1/uploads", coach, json=body)
    assert r.status_code == 422 and error_code(r) == "unsupported_media_type"


def test_part_urls_are_signed_and_expire(mapi: MediaApi, clips: dict[str, Path]) -> None:
    coach = mapi.signup("Coach")
    data = clips["silent"].read_bytes()
    started = mapi.start_upload(coach, data)
    url = started["parts"][0]["url"]
    tampered = url.replace("/parts/", "/parts/0") if "/parts/" in url else url
    assert mapi.put(tampered, content=b"x").status_code in (403, 404)
    assert mapi.put(url.replace("max=", "max=9"), content=b"x").status_code == 403
    path, _, query = url.partition("?")
    other_part = path.rsplit("/", 1)[0] + "/2?" + query
    assert mapi.put(other_part, content=b"x").status_code == 403
    expired = mapi.storage.part_url("k", path.split("/")[3], 1, max_bytes=10, expires_in=-5)
    r = mapi.put(expired, content=b"x")
    assert r.status_code == 403 and "expired" in r.json()["error"]["message"]


def test_uploads_belong_to_their_uploader(mapi: MediaApi, clips: dict[str, Path]) -> None:
    coach, other = mapi.signup("Coach"), mapi.signup("Other")
    data = clips["silent"].read_bytes()
    started = mapi.start_upload(coach, data)
    vid = started["video_id"]
    assert mapi.get(f"/api/v1/uploads/{vid}", other).status_code == 404
    assert (
        mapi.post(f"/api/v1/uploads/{vid}/parts", other, json={"part_numbers": [1]}).status_code
        == 404
    )
    assert mapi.delete(f"/api/v1/uploads/{vid}", other).status_code == 404
    assert mapi.get(f"/api/v1/uploads/{vid}").status_code == 401


def test_an_aborted_upload_leaves_nothing_behind(mapi: MediaApi, clips: dict[str, Path]) -> None:
    coach = mapi.signup("Coach")
    data = clips["h264_aac"].read_bytes()
    started = mapi.start_upload(coach, data)
    mapi.send_parts(started, data, numbers=[1, 2])
    assert mapi.delete(f"/api/v1/uploads/{started['video_id']}", coach).status_code == 204
    assert mapi.get(f"/api/v1/videos/{started['video_id']}", coach).status_code == 404
    assert mapi.storage.list_multipart_uploads() == []
    assert mapi.object_keys() == []
    r = mapi.put(started["parts"][2]["url"], content=data[2 * PART_SIZE : 3 * PART_SIZE])
    assert r.status_code == 404


def test_expired_uploads_end_failed_and_their_parts_are_dropped(
    mapi: MediaApi, clips: dict[str, Path]
) -> None:
    from datetime import timedelta

    from practika.domain.base import utcnow
    from practika.services import uploads

    coach = mapi.signup("Coach")
    data = clips["h264_aac"].read_bytes()
    started = mapi.start_upload(coach, data)
    mapi.send_parts(started, data, numbers=[1])
    worker = mapi.worker()
    later = utcnow() + timedelta(hours=mapi.settings.upload_expiry_hours, minutes=1)
    assert mapi.client.portal.call(uploads.expire_stale, worker.ctx, later) == 1  # type: ignore[union-attr]
    mapi.process()
    video = mapi.get(f"/api/v1/videos/{started['video_id']}", coach).json()
    assert video["status"] == "failed" and "expired" in video["failure_reason"]
    assert mapi.storage.list_multipart_uploads() == []
    r = mapi.complete(coach, started["video_id"], {1: '"x"'})
    assert r.status_code == 409 and error_code(r) == "upload_closed"


def test_completing_an_upload_past_its_expiry_is_refused_before_the_sweeper_runs(
    mapi: MediaApi, clips: dict[str, Path]
) -> None:
    import uuid
    from datetime import timedelta

    from sqlalchemy import update

    from practika.domain.base import utcnow
    from practika.domain.uploads import Upload

    coach = mapi.signup("Coach")
    data = clips["h264_aac"].read_bytes()
    started = mapi.start_upload(coach, data)
    etags = mapi.send_parts(started, data)  # every part arrived, in time

    async def expire() -> None:  # the clock passes expires_at; no sweep has run
        async with mapi.client.app.state.sessions() as db:  # type: ignore[attr-defined]
            await db.execute(
                update(Upload)
                .where(Upload.video_id == uuid.UUID(started["video_id"]))
                .values(expires_at=utcnow() - timedelta(seconds=1))
            )
            await db.commit()

    mapi.client.portal.call(expire)  # type: ignore[union-attr]
    r = mapi.complete(coach, started["video_id"], etags)
    assert r.status_code == 409, r.text
    assert error_code(r) == "upload_expired" and "expired" in r.json()["error"]["message"]
    more = mapi.post(
        f"/api/v1/uploads/{started['video_id']}/parts", coach, json={"part_numbers": [1]}
    )
    assert more.status_code == 409 and error_code(more) == "upload_expired"
    video = mapi.get(f"/api/v1/videos/{started['video_id']}", coach).json()
    assert video["status"] == "uploading"  # nothing was assembled or queued
    assert mapi.process() == 0


def test_a_part_being_written_is_not_written_twice_at_once(
    mapi: MediaApi, clips: dict[str, Path]
) -> None:
    coach = mapi.signup("Coach")
    data = clips["h264_aac"].read_bytes()
    started = mapi.start_upload(coach, data)
    upload_id = started["parts"][0]["url"].split("?")[0].split("/")[3]
    holder = mapi.storage.open_part(upload_id, 1, PART_SIZE)  # another request's writer
    try:
        busy = mapi.put(started["parts"][0]["url"], content=data[:PART_SIZE])
        assert busy.status_code == 503, busy.text
        assert error_code(busy) == "part_busy"
        assert busy.headers["Retry-After"] == "1"
    finally:
        holder.discard()
    etags = mapi.send_parts(started, data)  # released: the same part goes through
    assert mapi.complete(coach, started["video_id"], etags).status_code == 200
    assert mapi.storage.path_of(f"videos/{started['video_id']}/original").read_bytes() == data


def test_a_part_sent_again_with_other_bytes_replaces_the_first(
    mapi: MediaApi, clips: dict[str, Path]
) -> None:
    coach = mapi.signup("Coach")
    data = clips["h264_aac"].read_bytes()
    started = mapi.start_upload(coach, data)
    wrong = bytes(PART_SIZE)
    first = mapi.put(started["parts"][0]["url"], content=wrong).headers["ETag"]
    etags = mapi.send_parts(started, data)
    assert etags[1] != first
    state = mapi.get(f"/api/v1/uploads/{started['video_id']}", coach).json()
    assert [p["etag"] for p in state["parts_received"] if p["part_number"] == 1] == [etags[1]]
    assert mapi.complete(coach, started["video_id"], {**etags, 1: first}).status_code == 422
    assert mapi.complete(coach, started["video_id"], etags).status_code == 200
    assert mapi.storage.path_of(f"videos/{started['video_id']}/original").read_bytes() == data


@pytest.mark.parametrize("vectored", [True, False], ids=["pwritev", "pwrite per chunk"])
def test_a_part_written_in_many_chunks_lands_whole_at_its_offset(
    mapi: MediaApi, clips: dict[str, Path], monkeypatch: pytest.MonkeyPatch, vectored: bool
) -> None:
    """A part's chunks go down unjoined, in one call where the platform has `pwritev`
    (more chunks than one call takes, and a short write, resumed where it stopped) and
    one call per chunk where it has not (macOS's Python 3.11)."""
    coach = mapi.signup("Coach")
    data = clips["h264_aac"].read_bytes()
    started = mapi.start_upload(coach, data)
    upload_id = started["parts"][0]["url"].split("?")[0].split("/")[3]
    if vectored:
        real = os.pwritev
        monkeypatch.setattr(parts, "IOV_MAX", 3)
        # at most 1000 bytes per call: every write is short and must resume mid-chunk
        monkeypatch.setattr(parts, "PWRITEV", lambda fd, views, at: real(fd, [views[0][:1000]], at))
    else:
        monkeypatch.setattr(parts, "PWRITEV", None)
        monkeypatch.setattr(parts, "IOV_MAX", 1)
    etags = {}
    size = started["part_size"]
    for number in range(1, len(started["parts"]) + 1):
        part = data[(number - 1) * size : number * size]
        writer = mapi.storage.open_part(upload_id, number, PART_SIZE)
        writer.write(*(part[n : n + 777] for n in range(0, len(part), 777)), b"")
        writer.commit()
        assert writer.part.etag == f'"{hashlib.md5(part).hexdigest()}"'
        etags[number] = writer.part.etag
    assert mapi.complete(coach, started["video_id"], etags).status_code == 200
    assert mapi.storage.path_of(f"videos/{started['video_id']}/original").read_bytes() == data
