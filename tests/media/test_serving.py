"""User bytes are never served as what their filename says (local storage mode).

An original is stored without the uploader's extension and served as the probed video
type (or as a download), always as an attachment; derived assets have fixed types;
every media answer carries nosniff and a CSP that lets nothing run.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from urllib.parse import unquote

import pytest

from practika.storage.serving import MEDIA_CSP
from tests.media.clips import with_free_box_after_ftyp
from tests.media.conftest import MediaApi

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"/>'


def _locked_down(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["content-security-policy"] == MEDIA_CSP


def _filename_star(disposition: str) -> str:
    value = disposition.split("filename*=", 1)[1].split(";")[0]
    assert value.startswith("UTF-8''")
    return unquote(value.removeprefix("UTF-8''"))


@pytest.mark.parametrize(
    ("name", "payload"), [("attempt.html", HTML), ("attempt.svg", SVG), ("attempt.HTM", HTML)]
)
def test_an_original_named_like_a_page_is_served_only_as_a_video_download(
    mapi: MediaApi, clips: dict[str, Path], tmp_path: Path, name: str, payload: bytes
) -> None:
    coach = mapi.signup("Ana")
    # A valid MP4 whose first bytes (a `free` box after `ftyp`) are markup.
    polyglot = tmp_path / name
    polyglot.write_bytes(with_free_box_after_ftyp(clips["h264_aac"].read_bytes(), payload))
    assert payload in polyglot.read_bytes()[:200]
    video = mapi.upload(coach, polyglot)
    assert video["status"] == "ready", video
    assert video["original_name"] == name  # kept, as metadata only
    prefix = f"videos/{video['id']}/"
    assert prefix + "original" in mapi.object_keys(prefix)  # no extension of theirs
    assert not any(k.lower().endswith((".html", ".htm", ".svg")) for k in mapi.object_keys())

    urls = mapi.get(f"/api/v1/videos/{video['id']}/playback", coach).json()
    for method in ("GET", "HEAD"):
        original = mapi.client.request(method, urls["original_url"])
        assert original.status_code == 200
        assert original.headers["content-type"] == "video/mp4"
        disposition = original.headers["content-disposition"]
        assert disposition.startswith("attachment;")
        assert _filename_star(disposition) == "attempt.mp4"
        _locked_down(original)
    assert mapi.get(urls["original_url"]).content == polyglot.read_bytes()  # byte for byte


def test_derived_assets_have_their_own_fixed_types(mapi: MediaApi, clips: dict[str, Path]) -> None:
    coach = mapi.signup("Ana")
    video = mapi.upload(coach, clips["silent"])
    urls = mapi.get(f"/api/v1/videos/{video['id']}/playback", coach).json()
    for name, kind in [
        ("rendition_url", "video/mp4"),
        ("poster_url", "image/jpeg"),
        ("sprite_url", "image/jpeg"),
    ]:
        served = mapi.get(urls[name])
        assert served.status_code == 200 and served.headers["content-type"] == kind
        assert "content-disposition" not in served.headers  # inline, for <video> and <img>
        _locked_down(served)


def test_the_download_name_is_safe_whatever_the_uploader_called_the_file(
    mapi: MediaApi, clips: dict[str, Path]
) -> None:
    key = f"videos/{uuid.uuid4()}/original"
    mapi.storage.put_file(key, clips["silent"], "video/mp4")
    name = 'C:\\Users\\ana\\Ünïcode "squat"; filename=evil.html'
    url = mapi.storage.playback_url(key, expires_in=60, content_type="video/mp4", filename=name)
    served = mapi.get(url)
    disposition = served.headers["content-disposition"]
    assert disposition.isascii() and "\\" not in disposition
    fallback = disposition.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback == "_n_code _squat__ filename_evil.mp4"
    assert _filename_star(disposition) == 'Ünïcode "squat"; filename=evil.mp4'


def test_originals_stored_under_the_old_keys_with_an_extension_are_still_served_safely(
    mapi: MediaApi, clips: dict[str, Path]
) -> None:
    """Videos uploaded before keys lost their extension keep their `original.<ext>` key:
    reading them works, and the extension no longer decides anything."""
    key = f"videos/{uuid.uuid4()}/original.html"
    mapi.storage.put_bytes(key, HTML, "video/mp4")
    probed = mapi.get(mapi.storage.playback_url(key, expires_in=60, content_type="video/mp4"))
    assert probed.status_code == 200 and probed.content == HTML
    assert probed.headers["content-type"] == "video/mp4"
    assert probed.headers["content-disposition"].startswith("attachment;")
    # A URL signed before this change names no type: a download of unknown bytes.
    old = mapi.get(mapi.storage.playback_url(key, expires_in=60))
    assert old.headers["content-type"] == "application/octet-stream"
    assert old.headers["content-disposition"].startswith("attachment;")
    _locked_down(old)


def test_only_safe_video_types_are_served_and_the_type_cannot_be_changed_in_the_url(
    mapi: MediaApi, clips: dict[str, Path]
) -> None:
    key = f"videos/{uuid.uuid4()}/original"
    mapi.storage.put_bytes(key, SVG, "video/mp4")
    for claimed in ("text/html", "image/svg+xml", "application/xhtml+xml", "video/mp4\r\nX: y"):
        url = mapi.storage.playback_url(key, expires_in=60, content_type=claimed)
        assert mapi.get(url).headers["content-type"] == "application/octet-stream", claimed
    url = mapi.storage.playback_url(key, expires_in=60, content_type="video/mp4")
    forged = url.replace("type=video%2Fmp4", "type=text%2Fhtml")
    assert forged != url
    refused = mapi.get(forged)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    _locked_down(refused)
