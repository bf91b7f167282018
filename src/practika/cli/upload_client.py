"""The client side of docs/media-protocol.md, as `practika upload` uses it.

Parts go up in parallel straight to their URLs (S3 or the app's `/media/`); the
upload's id is kept in a small state file, so running the command again after a
network cut sends only the parts that did not arrive.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx

from practika.config import Settings

API = "/api/v1"
URL_BATCH = 1000
FINAL = {"ready", "failed"}
# The declared type by extension. Only a quick check on the server (its probe decides
# what the file is), but one outside its allow-list is refused before a byte is sent.
EXTENSION_TYPES = {
    ".mp4": "video/mp4",
    ".m4v": "video/x-m4v",
    ".mov": "video/quicktime",
    ".qt": "video/quicktime",
    ".webm": "video/webm",
    ".mkv": "video/x-matroska",
    ".3gp": "video/3gpp",
}
FALLBACK_TYPE = "application/octet-stream"
# A part is read and sent in pieces of this size: one 16 MiB read would be a fresh
# buffer (page faults) per part, and the HTTP stack copies what a send leaves unsent.
SEND_CHUNK = 1024 * 1024
SERVER_ALLOWED_TYPES: list[str] = Settings.model_fields["allowed_content_types"].default


def content_type_for(path: Path, allowed: list[str] = SERVER_ALLOWED_TYPES) -> str:
    """What to declare for `path`: its extension's type if the server accepts that type,
    else the generic binary type (also on the server's list)."""
    kind = EXTENSION_TYPES.get(path.suffix.lower(), FALLBACK_TYPE)
    return kind if kind in allowed else FALLBACK_TYPE


class UploadFailed(Exception):
    pass


@dataclass(frozen=True)
class FilePart:
    """One part's bytes, read from the file while they are sent (again on each retry)."""

    path: Path
    offset: int
    size: int

    def __len__(self) -> int:
        return self.size

    def __iter__(self) -> Iterator[bytes]:
        with self.path.open("rb", buffering=0) as f:
            f.seek(self.offset)
            left = self.size
            while left > 0:
                chunk = f.read(min(SEND_CHUNK, left))
                if not chunk:
                    raise UploadFailed(f"{self.path} shrank while it was being uploaded")
                left -= len(chunk)
                yield chunk


def default_state_dir() -> Path:
    return Path(os.environ.get("PRACTIKA_STATE_DIR", Path.home() / ".practika" / "uploads"))


@dataclass
class Uploader:
    client: httpx.Client
    server: str
    token: str
    state_dir: Path
    parallel: int = 4
    on_progress: Callable[[int], None] = lambda n: None
    on_total: Callable[[int, int], None] = lambda total, done: None
    sleep: Callable[[float], None] = time.sleep
    part_retries: int = 3

    # HTTP

    def _api(self, method: str, path: str, *, allow_404: bool = False, **kw: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}"}
        r = self.client.request(method, urljoin(self.server, API + path), headers=headers, **kw)
        if r.status_code >= 400 and not (allow_404 and r.status_code == 404):
            try:
                message = r.json()["error"]["message"]
            except (ValueError, KeyError, TypeError):
                message = r.text[:200]
            raise UploadFailed(f"{method} {path}: {r.status_code} {message}")
        return r

    def _put_part(self, url: str, data: FilePart) -> str:
        headers = {"Content-Length": str(len(data))}  # streamed, but not chunked
        for attempt in range(self.part_retries):
            try:
                r = self.client.put(urljoin(self.server, url), content=data, headers=headers)
                if r.status_code == 200:
                    return r.headers["ETag"]
                if r.status_code < 500:
                    raise UploadFailed(f"part refused: {r.status_code} {r.text[:200]}")
            except httpx.TransportError:
                if attempt == self.part_retries - 1:
                    raise
            self.sleep(2**attempt)
        raise UploadFailed("part upload kept failing")

    # State

    def _state_path(self, path: Path) -> Path:
        stat = path.stat()
        ident = f"{self.server}|{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
        return self.state_dir / f"{hashlib.sha256(ident.encode()).hexdigest()[:24]}.json"

    def _load(self, path: Path) -> dict[str, Any] | None:
        try:
            return json.loads(self._state_path(path).read_text())  # type: ignore[no-any-return]
        except (FileNotFoundError, ValueError):
            return None

    def _save(self, path: Path, state: dict[str, Any]) -> None:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self._state_path(path).write_text(json.dumps(state))

    # The protocol

    def upload(self, path: Path, content_type: str | None = None) -> str:
        """Send `path` (resuming an earlier try if there was one); the video id. The
        declared type comes from the extension unless given."""
        known = self._resume(path)
        if isinstance(known, str):
            return known  # the earlier try had finished
        state, received = known
        if state is None:
            state = self._start(path, content_type or content_type_for(path))
        video_id, part_size, count = state["video_id"], state["part_size"], state["part_count"]
        size = path.stat().st_size
        self.on_total(size, sum(min(part_size, size - (n - 1) * part_size) for n in received))
        missing = [n for n in range(1, count + 1) if n not in received]
        received |= self._send(path, video_id, part_size, missing)
        parts = [{"part_number": n, "etag": received[n]} for n in sorted(received)]
        self._api("POST", f"/uploads/{video_id}/complete", json={"parts": parts})
        self._state_path(path).unlink(missing_ok=True)
        return str(video_id)

    def _resume(self, path: Path) -> str | tuple[dict[str, Any] | None, dict[int, str]]:
        """What an earlier try left: its state and the parts the server has, or (None, {})
        to start anew, or the video id if it had finished."""
        state = self._load(path)
        if state is None:
            return None, {}
        r = self._api("GET", f"/uploads/{state['video_id']}", allow_404=True)
        if r.status_code == 404:
            return None, {}
        status = r.json()["status"]
        if status == "uploading":
            return state, {p["part_number"]: p["etag"] for p in r.json()["parts_received"]}
        self._state_path(path).unlink(missing_ok=True)
        return (None, {}) if status == "failed" else str(state["video_id"])

    def _start(self, path: Path, content_type: str) -> dict[str, Any]:
        size = path.stat().st_size
        body = {"filename": path.name, "content_type": content_type, "size_bytes": size}
        started = self._api("POST", "/uploads", json=body).json()
        state = {k: started[k] for k in ("video_id", "part_size", "part_count")}
        self._save(path, state)
        return state

    def _send(
        self, path: Path, video_id: str, part_size: int, numbers: list[int]
    ) -> dict[int, str]:
        """Each numbered part to its URL, `parallel` at a time; their ETags by number."""
        sent: dict[int, str] = {}
        with ThreadPoolExecutor(max_workers=self.parallel) as pool:
            for start in range(0, len(numbers), URL_BATCH):
                batch = {"part_numbers": numbers[start : start + URL_BATCH]}
                urls = self._api("POST", f"/uploads/{video_id}/parts", json=batch).json()["parts"]
                for n, etag in pool.map(partial(self._send_part, path, part_size), urls):
                    sent[n] = etag
        return sent

    def _send_part(self, path: Path, part_size: int, part: dict[str, Any]) -> tuple[int, str]:
        n = part["part_number"]
        offset = (n - 1) * part_size
        data = FilePart(path, offset, max(0, min(part_size, path.stat().st_size - offset)))
        etag = self._put_part(part["url"], data)
        self.on_progress(len(data))
        return n, etag

    def wait(self, video_id: str, timeout: float = 3600, every: float = 1.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            video: dict[str, Any] = self._api("GET", f"/videos/{video_id}").json()
            if video.get("status") in FINAL or time.monotonic() > deadline:
                return video
            self.sleep(every)

    def attach(self, video_id: str, *, exercise: str | None, thread: str | None) -> None:
        if exercise:
            self._api("PATCH", f"/exercises/{exercise}", json={"reference_video_id": video_id})
        if thread:
            self._api("POST", f"/threads/{thread}/attempts", json={"video_id": video_id})
