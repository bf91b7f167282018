"""The storage interface: the S3 multipart protocol plus reads, writes and listing.

Both backends speak it, so uploads, processing and clean-up have one code path.
Methods are blocking (boto3 and file I/O); async code reaches them through
storage/port.py, which runs them off the event loop.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol


class StorageError(Exception):
    """The backend refused an operation (unknown upload, wrong part, missing object)."""


class StorageUnavailable(StorageError):
    """The backend could not be reached (network, endpoint down, disk gone): try later."""


@dataclass(frozen=True)
class Part:
    part_number: int
    etag: str
    size: int


@dataclass(frozen=True)
class PendingUpload:
    key: str
    upload_id: str
    initiated: datetime


def video_prefix(video_id: object) -> str:
    """Every object of one video (original and derived assets) lives under this prefix."""
    return f"videos/{video_id}/"


class Storage(Protocol):
    # Multipart uploads
    def create_multipart(
        self,
        key: str,
        content_type: str,
        *,
        filename: str | None = None,
        size: int | None = None,
        part_size: int | None = None,
    ) -> str:
        """Start an upload of an original; it will be served as `content_type` when that is
        a safe video type (storage/serving.py), else as a download, named after `filename`.
        `size` and `part_size` say where each part lands (the local backend writes parts
        in place); S3 needs neither."""
        ...

    def part_url(
        self, key: str, upload_id: str, part_number: int, *, max_bytes: int, expires_in: int
    ) -> str: ...
    def list_parts(self, key: str, upload_id: str) -> list[Part]: ...
    def complete_multipart(
        self, key: str, upload_id: str, parts: list[tuple[int, str]]
    ) -> None: ...
    def abort_multipart(self, key: str, upload_id: str) -> None: ...
    def list_multipart_uploads(self) -> list[PendingUpload]: ...

    # Objects
    def size(self, key: str) -> int | None: ...
    def local_copy(self, key: str) -> AbstractContextManager[Path]: ...
    def put_file(self, key: str, path: Path, content_type: str) -> None: ...
    def put_bytes(self, key: str, data: bytes, content_type: str) -> None: ...
    def delete_keys(self, keys: list[str]) -> None: ...
    def delete_prefix(self, prefix: str) -> int: ...
    def list_keys(self, prefix: str = "") -> Iterator[str]: ...
    def playback_url(
        self,
        key: str,
        *,
        expires_in: int,
        content_type: str | None = None,
        filename: str | None = None,
    ) -> str:
        """A short-lived GET URL. For an original, `content_type` (the probed type) and
        `filename` (the uploader's name) say how it is served: only ever as a safe video
        type or a download (storage/serving.py); derived assets have fixed types."""
        ...

    def check(self) -> None:
        """Raise StorageUnavailable unless the backend answers (readiness probe)."""
        ...
