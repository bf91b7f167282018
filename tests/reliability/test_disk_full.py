"""A full disk in local media mode: a clear error, nothing half-written, and recovery.

The media folder is a small tmpfs, so the kernel itself answers ENOSPC, exactly as
a full laptop disk would.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.live import LiveServer
from tests.media.clips import make_clip
from tests.support import PASSWORD

PART = 64 * 1024


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "media"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.fixture
def server(small_disk: Path, tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(
        env={
            "PRACTIKA_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'practika.db'}",
            "PRACTIKA_DATA_DIR": str(tmp_path / "var"),
            "PRACTIKA_MEDIA_DIR": str(small_disk),
            "PRACTIKA_WEB_DIST": str(tmp_path / "none"),
            "PRACTIKA_UPLOAD_PART_SIZE": str(PART),
            "PRACTIKA_RUN_WORKER": "false",
            "PRACTIKA_ARGON2_MEMORY_KIB": "1024",
            "PRACTIKA_ARGON2_TIME_COST": "1",
        },
        log_path=tmp_path / "server.log",
    ).start()
    yield live
    live.stop()


def test_a_full_media_disk_refuses_clearly_and_keeps_every_good_byte(
    server: LiveServer, small_disk: Path, tmp_path: Path
) -> None:
    http = httpx.Client(base_url=server.url, timeout=30)
    me = http.post(
        "/api/v1/auth/signup",
        json={"email": "ana@example.com", "password": PASSWORD, "display_name": "Ana"},
    ).json()
    http.cookies.clear()
    auth = {"Authorization": f"Bearer {me['token']}"}

    def start(data: bytes) -> dict[str, Any]:
        body = {"filename": "clip.mp4", "content_type": "video/mp4", "size_bytes": len(data)}
        r = http.post("/api/v1/uploads", headers=auth, json=body)
        assert r.status_code == 201, r.text
        return r.json()  # type: ignore[no-any-return]

    def put(started: dict[str, Any], data: bytes, part: dict[str, Any]) -> httpx.Response:
        n, size = part["part_number"], started["part_size"]
        return httpx.put(server.url + part["url"], content=data[(n - 1) * size : n * size])

    # A: 640 KiB of a real clip (padded), every part fits on the 1 MiB disk.
    clip = make_clip(tmp_path / "clip.mp4", size=(160, 120), seconds=2).read_bytes()
    a_data = clip + bytes(640 * 1024 - len(clip))
    a = start(a_data)
    a_parts = []
    for part in a["parts"]:
        r = put(a, a_data, part)
        assert r.status_code == 200, r.text
        a_parts.append({"part_number": part["part_number"], "etag": r.headers["ETag"]})

    # B does not fit: its start is refused in words (the upload's room is reserved when
    # it starts), not a 500, and nothing of it is kept.
    b_data = bytes(range(256)) * (4 * 1024)  # 1 MiB
    body = {"filename": "b.mp4", "content_type": "video/mp4", "size_bytes": len(b_data)}
    refused = http.post("/api/v1/uploads", headers=auth, json=body)
    assert refused.status_code == 507, refused.text
    assert refused.json()["error"]["code"] == "storage_full"
    assert "Retry-After" in refused.headers
    assert [p.name for p in (small_disk / "uploads").iterdir()] == [_upload_folder(a)]
    assert http.get("/healthz").status_code == 200
    assert http.get("/api/v1/exercises", headers=auth).status_code == 200  # others unaffected

    # A completes on the nearly full disk: its parts were written in place, so completing
    # needs no room for a second copy. Byte for byte, and nothing of the upload is left.
    complete = f"/api/v1/uploads/{a['video_id']}/complete"
    r = http.post(complete, headers=auth, json={"parts": a_parts})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "uploaded"
    [original] = [p for p in (small_disk / "objects").rglob("original*") if p.is_file()]
    assert original.read_bytes() == a_data
    assert list((small_disk / "uploads").iterdir()) == []

    # Room again (the disk grows): B starts now.
    subprocess.run(["mount", "-o", "remount,size=4m", str(small_disk)], check=True)
    assert http.post("/api/v1/uploads", headers=auth, json=body).status_code == 201


def _upload_folder(started: dict[str, Any]) -> str:
    return str(started["parts"][0]["url"]).split("?")[0].split("/")[3]
