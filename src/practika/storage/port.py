"""The async storage port: the one way async code (routes, services, jobs) reaches storage.

Backends (storage/base.py) block: boto3 and file I/O. The port runs each call in a worker
thread, so the event loop never waits on the disk or on S3, and it turns a backend's
refusal of an upload (unknown upload, a part that does not match) into a domain error here,
once. `StorageUnavailable` passes through unchanged: the API answers it with a 503 (a 507
for a full disk) in api/errors.py, and a job retries it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Concatenate, ParamSpec, TypeVar

from practika.domain.errors import Invalid
from practika.storage.base import Part, PendingUpload, Storage, StorageError, StorageUnavailable

P = ParamSpec("P")
T = TypeVar("T")


@contextmanager
def _upload_refusal(doing: str) -> Iterator[None]:
    try:
        yield
    except StorageUnavailable:
        raise
    except StorageError as exc:
        raise Invalid(f"The upload could not be {doing}: {exc}", code="upload_invalid") from exc


class StoragePort:
    """The async face of one backend; `backend` is the blocking object itself."""

    __slots__ = ("backend",)

    def __init__(self, backend: Storage) -> None:
        self.backend = backend

    async def run(
        self, work: Callable[Concatenate[Storage, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Blocking work that uses the backend several times (a media job's pipeline,
        signing a batch of URLs), off the loop in one hop."""
        return await asyncio.to_thread(work, self.backend, *args, **kwargs)

    # Multipart uploads

    async def create_multipart(
        self,
        key: str,
        content_type: str,
        *,
        filename: str | None = None,
        size: int | None = None,
        part_size: int | None = None,
    ) -> str:
        return await asyncio.to_thread(
            self.backend.create_multipart,
            key,
            content_type,
            filename=filename,
            size=size,
            part_size=part_size,
        )

    async def received_parts(self, key: str, upload_id: str) -> list[Part]:
        """The parts stored so far; `Invalid` when the backend no longer knows the upload."""
        with _upload_refusal("read"):
            return await asyncio.to_thread(self.backend.list_parts, key, upload_id)

    async def complete_multipart(
        self, key: str, upload_id: str, parts: list[tuple[int, str]]
    ) -> None:
        """Assemble the object; `Invalid` when the backend refuses the parts."""
        with _upload_refusal("assembled"):
            await asyncio.to_thread(self.backend.complete_multipart, key, upload_id, parts)

    async def abort_multipart(self, key: str, upload_id: str) -> None:
        await asyncio.to_thread(self.backend.abort_multipart, key, upload_id)

    async def list_multipart_uploads(self) -> list[PendingUpload]:
        return await asyncio.to_thread(self.backend.list_multipart_uploads)

    # Objects

    async def size(self, key: str) -> int | None:
        return await asyncio.to_thread(self.backend.size, key)

    async def put_bytes(self, key: str, data: bytes, content_type: str) -> None:
        await asyncio.to_thread(self.backend.put_bytes, key, data, content_type)

    async def delete_keys(self, keys: list[str]) -> None:
        await asyncio.to_thread(self.backend.delete_keys, keys)

    async def delete_prefix(self, prefix: str) -> int:
        return await asyncio.to_thread(self.backend.delete_prefix, prefix)

    async def list_keys(self, prefix: str = "") -> list[str]:
        return await asyncio.to_thread(lambda: list(self.backend.list_keys(prefix)))

    async def check(self) -> None:
        await asyncio.to_thread(self.backend.check)

    def playback_url(
        self,
        key: str,
        *,
        expires_in: int,
        content_type: str | None = None,
        filename: str | None = None,
    ) -> str:
        """Signing only (an HMAC, a CloudFront signature or a presigned GET): no I/O, so
        it runs on the loop; a batch of them goes through `run`."""
        return self.backend.playback_url(
            key, expires_in=expires_in, content_type=content_type, filename=filename
        )
