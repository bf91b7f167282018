"""Upload abuse: whatever a hostile or broken client sends, it is refused with a reason
and the rest of the system carries on (the next honest upload still becomes ready)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from PIL import Image

from tests.media.clips import make_clip
from tests.media.conftest import PART_SIZE, MediaApi
from tests.support import Person


def _still_works(mapi: MediaApi, who: Person, clips: dict[str, Path]) -> None:
    video = mapi.upload(who, clips["h264_aac"])
    assert video["status"] == "ready", video


def test_declared_oversize_and_actual_oversize_are_refused(
    mapi: MediaApi, clips: dict[str, Path]
) -> None:
    coach = mapi.signup("Ana")
    limit = mapi.settings.max_upload_bytes
    body = {"filename": "big.mp4", "content_type": "video/mp4", "size_bytes": limit + 1}
    r = mapi.post("/api/v1/uploads", coach, json=body)
    assert r.status_code == 422 and r.json()["error"]["code"] == "upload_too_large"
    assert r.json()["error"]["details"]["max_bytes"] == limit

    # Declared small, sent big: a part's URL admits exactly its share, and complete
    # checks every part against the declared size.
    data = clips["h264_aac"].read_bytes()
    started = mapi.start_upload(coach, data[:100])
    for too_much in (data[:101], data[: PART_SIZE + 1]):
        r = mapi.put(started["parts"][0]["url"], content=too_much)
        assert r.status_code == 413, r.text
    r = mapi.put(started["parts"][0]["url"], content=data[:50])  # short of the declared size
    assert r.status_code == 200
    r = mapi.complete(coach, started["video_id"], {1: r.headers["ETag"]})
    assert r.status_code == 422 and r.json()["error"]["code"] == "part_size_mismatch"
    _still_works(mapi, coach, clips)


def test_parts_beyond_the_upload_are_refused(mapi: MediaApi, clips: dict[str, Path]) -> None:
    coach = mapi.signup("Ana")
    data = clips["h264_aac"].read_bytes()
    started = mapi.start_upload(coach, data)
    count = started["part_count"]
    path = f"/api/v1/uploads/{started['video_id']}/parts"
    r = mapi.post(path, coach, json={"part_numbers": [count + 1, 10_001]})
    assert r.status_code == 422 and "1 to" in r.json()["error"]["message"]

    # A part URL re-aimed at another part number is a forgery.
    url = started["parts"][0]["url"]
    forged = url.replace("/1?", f"/{count + 1}?")
    assert mapi.put(forged, content=b"x").status_code == 403

    etags = mapi.send_parts(started, data)
    etags[count + 1] = etags[1]
    r = mapi.complete(coach, started["video_id"], etags)
    assert r.status_code == 422 and "every part" in r.json()["error"]["message"]
    # A huge declared size is spread over at most 10,000 parts (S3's limit), not refused
    # by arithmetic overflow or answered with 10,000+ URLs at once.
    body = {"filename": "a.mp4", "content_type": "video/mp4", "size_bytes": 2 * 1024 * 1024}
    started = mapi.post("/api/v1/uploads", coach, json=body).json()
    assert started["part_count"] <= 10_000 and len(started["parts"]) <= 1_000


def test_parts_sent_out_of_order_assemble_in_order_but_complete_must_list_them_in_order(
    mapi: MediaApi, clips: dict[str, Path]
) -> None:
    coach = mapi.signup("Ana")
    data = clips["h264_aac"].read_bytes()
    started = mapi.start_upload(coach, data)
    assert started["part_count"] >= 3
    etags = {}
    for part in reversed(started["parts"]):  # last part first
        n = part["part_number"]
        size = started["part_size"]
        r = mapi.put(part["url"], content=data[(n - 1) * size : n * size])
        assert r.status_code == 200
        etags[n] = r.headers["ETag"]
    shuffled = [{"part_number": n, "etag": etags[n]} for n in sorted(etags, reverse=True)]
    path = f"/api/v1/uploads/{started['video_id']}/complete"
    r = mapi.post(path, coach, json={"parts": shuffled})
    assert r.status_code == 422 and "in order" in r.json()["error"]["message"]
    swapped = dict(etags)
    swapped[1], swapped[2] = etags[2], etags[1]
    r = mapi.complete(coach, started["video_id"], swapped)
    assert r.status_code == 422  # an ETag from another part
    assert mapi.complete(coach, started["video_id"], etags).status_code == 200
    mapi.process()
    video = mapi.get(f"/api/v1/videos/{started['video_id']}", coach).json()
    assert video["status"] == "ready" and video["size_bytes"] == len(data)


def test_a_decompression_bomb_is_refused_before_decoding(
    mapi: MediaApi, clips: dict[str, Path], tmp_path: Path
) -> None:
    """A tiny file whose frames are 7,000x7,000: 49 megapixels each to decode."""
    coach = mapi.signup("Ana")
    bomb = make_clip(tmp_path / "bomb.mp4", size=(7000, 7000), seconds=0.2, fps=10)
    assert bomb.stat().st_size < mapi.settings.max_upload_bytes
    video = mapi.upload(coach, bomb)
    assert video["status"] == "failed"
    assert "7000x7000" in video["failure_reason"] and "megapixels" in video["failure_reason"]
    assert mapi.object_keys(f"videos/{video['id']}/") == [f"videos/{video['id']}/original"]
    assert mapi.get(f"/api/v1/videos/{video['id']}/playback", coach).status_code == 409
    _still_works(mapi, coach, clips)


def test_polyglot_files_are_judged_by_what_they_are(
    mapi: MediaApi, clips: dict[str, Path], tmp_path: Path
) -> None:
    coach = mapi.signup("Ana")
    # An image with a ZIP appended (valid as both), declared as an MP4: not a video.
    picture = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(picture, "PNG")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("index.html", "<script>alert(1)</script>")
    image_zip = tmp_path / "holiday.mp4"
    image_zip.write_bytes(picture.getvalue() + archive.getvalue())
    video = mapi.upload(coach, image_zip)
    assert video["status"] == "failed" and video["failure_reason"]
    assert mapi.object_keys(f"videos/{video['id']}/") == [f"videos/{video['id']}/original"]
    assert mapi.get(f"/api/v1/videos/{video['id']}/playback", coach).status_code == 409

    # A real video carrying an HTML payload: accepted as the video it is, the payload
    # never reaches a viewer (the rendition is re-encoded; the original is served as
    # video/mp4 with nosniff, so no browser renders it as a page).
    payload = b"<html><script>alert(document.cookie)</script></html>"
    clip = clips["h264_aac"].read_bytes()
    size = (len(payload) + 8).to_bytes(4, "big")
    html_mp4 = tmp_path / "html.mp4"
    html_mp4.write_bytes(clip + size + b"free" + payload)
    video = mapi.upload(coach, html_mp4)
    assert video["status"] == "ready", video
    urls = mapi.get(f"/api/v1/videos/{video['id']}/playback", coach).json()
    rendition = mapi.get(urls["rendition_url"])
    assert payload not in rendition.content
    original = mapi.get(urls["original_url"])
    assert payload in original.content  # kept as uploaded, byte for byte…
    assert original.headers["content-type"] == "video/mp4"  # …but only ever as a video
    assert original.headers["x-content-type-options"] == "nosniff"
    assert "sig" in parse_qs(urlsplit(urls["original_url"]).query)
    _still_works(mapi, coach, clips)
