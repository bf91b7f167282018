"""One part of a local multipart upload, written in place in the upload's file
(local.py describes the layout)."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
from pathlib import Path

from practika.storage.base import Part, StorageError, StorageUnavailable
from practika.storage.durable import disk_errors, fsync_dir

# Many buffers in one call where the platform has it (Linux, the BSDs); Python 3.11 has
# no os.pwritev on macOS, where each buffer is a call of its own.
PWRITEV = getattr(os, "pwritev", None)
IOV_MAX = os.sysconf("SC_IOV_MAX") if PWRITEV else 1


def _pwrite(fd: int, views: list[memoryview], offset: int) -> int:
    if PWRITEV is None:
        return os.pwrite(fd, views[0], offset)
    return PWRITEV(fd, views[:IOV_MAX], offset)


class PartTooLarge(StorageError):
    pass


class PartBusy(StorageUnavailable):
    """Another request is writing the same part right now: try again in a moment."""


class PartWriter:
    """Writes one part into the upload's file at its offset, hashing as it goes. Only
    one writer holds a part at a time (a lock that dies with its process); the part's
    old marker goes before its bytes are overwritten, its new one once they are synced."""

    def __init__(self, folder: Path, part_number: int, offset: int, room: int) -> None:
        self.folder = folder
        self.number = part_number
        self.offset = offset
        self.max_bytes = room
        self.md5 = hashlib.md5(usedforsecurity=False)
        self.size = 0
        self.part: Part
        self._lock = os.open(folder / f"{part_number}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._lock)
            raise PartBusy(f"part {part_number} is being written by another request") from None
        try:
            self._forget_stored()
            self._fd = os.open(folder / "data", os.O_WRONLY)
        except BaseException:
            os.close(self._lock)
            raise

    def _forget_stored(self) -> None:
        old = list(self.folder.glob(f"{self.number}-*.part"))
        for marker in old:
            marker.unlink(missing_ok=True)
        if old:  # durably, before its bytes change
            with disk_errors():
                fsync_dir(self.folder)

    def write(self, *chunks: bytes) -> None:
        """Append the chunks, in order: one system call for all of them, never joined
        into one buffer first (that would copy every byte again)."""
        if self.size + sum(map(len, chunks)) > self.max_bytes:
            raise PartTooLarge(f"a part may hold at most {self.max_bytes} bytes")
        views = [memoryview(chunk) for chunk in chunks if chunk]
        for view in views:
            self.md5.update(view)  # hashlib lets go of the GIL for a large buffer
        with disk_errors():
            while views:
                written = _pwrite(self._fd, views, self.offset + self.size)
                self.size += written
                while views and written >= len(views[0]):
                    written -= len(views.pop(0))
                if written:
                    views[0] = views[0][written:]

    def _close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self._fd)
        with contextlib.suppress(OSError):
            os.close(self._lock)  # releases the part

    def discard(self) -> None:
        self._close()  # the bytes written stay unclaimed: no marker names them

    def commit(self) -> None:
        try:
            with disk_errors():
                os.fsync(self._fd)
                etag = self.md5.hexdigest()
                marker = self.folder / f"{self.number}-{self.size}-{etag}.part"
                os.close(os.open(marker, os.O_WRONLY | os.O_CREAT, 0o600))
        finally:
            self._close()
        self.part = Part(self.number, f'"{etag}"', self.size)
