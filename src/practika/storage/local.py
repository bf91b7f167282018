"""Local filesystem storage: the embedded default, with the same multipart protocol as S3.

Objects live under `<media_dir>/objects/<key>`; a multipart upload is a folder
`<media_dir>/uploads/<upload_id>/` holding one file per part, named
`<part number>.<etag>`, and is assembled by streaming the parts into place.

Durability: every write the caller acknowledges goes to a temporary name, is fsynced,
renamed into place, and then the folder holding it is fsynced (and the parent of every
folder created on the way), so the new name survives a power cut as well as the bytes.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from practika.storage import signing
from practika.storage.base import Part, PendingUpload, StorageError, StorageUnavailable

COPY_CHUNK = 1024 * 1024


class PartTooLarge(StorageError):
    pass


class StorageFull(StorageUnavailable):
    """The media disk is full: nothing half-written is kept, the caller may retry later."""


@contextmanager
def disk_errors(*leftovers: Path) -> Iterator[None]:
    """Turn OS write failures into storage errors, removing partial files first."""
    try:
        yield
    except OSError as exc:
        if isinstance(exc, FileNotFoundError | FileExistsError | IsADirectoryError):
            raise
        for path in leftovers:
            path.unlink(missing_ok=True)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise StorageFull("the media disk is full") from exc
        raise StorageUnavailable(f"the media disk failed: {exc.strerror}") from exc


def fsync_dir(folder: Path) -> None:
    """Make the folder's entries (a rename, a new file or folder) durable."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_dirs(folder: Path) -> None:
    """`mkdir -p` whose new folders survive a crash: each one's parent is fsynced."""
    missing: list[Path] = []
    while not folder.is_dir():
        missing.append(folder)
        folder = folder.parent
    for new in reversed(missing):
        with contextlib.suppress(FileExistsError):  # a concurrent writer made it first
            new.mkdir()
        fsync_dir(new.parent)


def settle(tmp: Path, target: Path) -> None:
    """Rename a written, fsynced temporary file into place, durably."""
    tmp.replace(target)
    fsync_dir(target.parent)


def _sync(file: BinaryIO) -> None:
    file.flush()
    os.fsync(file.fileno())


class LocalStorage:
    def __init__(self, root: Path, secret: bytes) -> None:
        self.root = root
        self.objects = root / "objects"
        self.uploads = root / "uploads"
        self._secret = secret

    # Paths

    def path_of(self, key: str) -> Path:
        path = (self.objects / key).resolve()
        if not path.is_relative_to(self.objects.resolve()) or key.endswith("/"):
            raise StorageError(f"bad key {key!r}")
        return path

    def _upload_dir(self, upload_id: str) -> Path:
        if not upload_id.isalnum():
            raise StorageError("unknown upload")
        return self.uploads / upload_id

    def _meta(self, upload_id: str) -> dict[str, str]:
        try:
            return json.loads((self._upload_dir(upload_id) / "meta.json").read_text())  # type: ignore[no-any-return]
        except FileNotFoundError:
            raise StorageError("unknown upload") from None

    # Multipart uploads

    def create_multipart(self, key: str, content_type: str, *, filename: str | None = None) -> str:
        upload_id = secrets.token_hex(16)
        folder = self._upload_dir(upload_id)
        meta = {
            "key": key,
            "content_type": content_type,
            "initiated": datetime.now(UTC).isoformat(),
        }
        try:
            with disk_errors():
                make_dirs(folder)
                with (folder / "meta.json").open("w") as f:
                    f.write(json.dumps(meta))
                    f.flush()
                    os.fsync(f.fileno())
                fsync_dir(folder)
        except StorageError:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return upload_id

    def part_url(
        self, key: str, upload_id: str, part_number: int, *, max_bytes: int, expires_in: int
    ) -> str:
        path = f"{signing.PARTS_PREFIX}/{upload_id}/{part_number}"
        return signing.sign(self._secret, "PUT", path, expires_in=expires_in, max_bytes=max_bytes)

    def open_part(self, upload_id: str, part_number: int, max_bytes: int) -> PartWriter:
        """A writer for one part; `commit()` it when all bytes are in, else `discard()`."""
        folder = self._upload_dir(upload_id)
        if not (folder / "meta.json").is_file():
            raise StorageError("unknown upload")
        return PartWriter(folder, part_number, max_bytes)

    def write_part(self, upload_id: str, part_number: int, data: bytes, max_bytes: int) -> Part:
        writer = self.open_part(upload_id, part_number, max_bytes)
        try:
            writer.write(data)
        except BaseException:
            writer.discard()
            raise
        writer.commit()
        return writer.part

    def list_parts(self, key: str, upload_id: str) -> list[Part]:
        folder = self._upload_dir(upload_id)
        self._meta(upload_id)
        parts = []
        for path in folder.iterdir():
            number, _, etag = path.name.partition(".")
            if number.isdigit() and etag and not etag.endswith("tmp"):
                parts.append(Part(int(number), f'"{etag}"', path.stat().st_size))
        return sorted(parts, key=lambda p: p.part_number)

    def complete_multipart(self, key: str, upload_id: str, parts: list[tuple[int, str]]) -> None:
        meta = self._meta(upload_id)
        if meta["key"] != key:
            raise StorageError("upload belongs to another key")
        have = {p.part_number: p for p in self.list_parts(key, upload_id)}
        folder = self._upload_dir(upload_id)
        target = self.path_of(key)
        with disk_errors():
            make_dirs(target.parent)
        tmp = target.with_name(target.name + f".{upload_id}.tmp")
        with disk_errors(tmp), tmp.open("wb") as out:
            for number, etag in parts:
                part = have.get(number)
                if part is None or part.etag.strip('"') != etag.strip('"'):
                    tmp.unlink(missing_ok=True)
                    raise StorageError(f"part {number} is missing or its ETag does not match")
                with (folder / f"{number}.{part.etag.strip(chr(34))}").open("rb") as src:
                    _append(src, out, part.size)
            _sync(out)
        with disk_errors(tmp):
            settle(tmp, target)
        shutil.rmtree(folder, ignore_errors=True)

    def abort_multipart(self, key: str, upload_id: str) -> None:
        shutil.rmtree(self._upload_dir(upload_id), ignore_errors=True)

    def list_multipart_uploads(self) -> list[PendingUpload]:
        found = []
        if self.uploads.is_dir():
            for folder in self.uploads.iterdir():
                try:
                    meta = self._meta(folder.name)
                except StorageError:
                    continue
                found.append(
                    PendingUpload(
                        meta["key"], folder.name, datetime.fromisoformat(meta["initiated"])
                    )
                )
        return found

    # Objects

    def size(self, key: str) -> int | None:
        try:
            return self.path_of(key).stat().st_size
        except FileNotFoundError:
            return None

    @contextmanager
    def local_copy(self, key: str) -> Iterator[Path]:
        path = self.path_of(key)
        if not path.is_file():
            raise StorageError(f"no object {key}")
        yield path

    def put_file(self, key: str, path: Path, content_type: str) -> None:
        target = self.path_of(key)
        tmp = target.with_name(target.name + ".tmp")
        with disk_errors(tmp):
            make_dirs(target.parent)
            shutil.copyfile(path, tmp)  # sendfile in the kernel, across filesystems too
            with tmp.open("r+b") as out:
                _sync(out)
            settle(tmp, target)

    def put_bytes(self, key: str, data: bytes, content_type: str) -> None:
        target = self.path_of(key)
        tmp = target.with_name(target.name + ".tmp")
        with disk_errors(tmp):
            make_dirs(target.parent)
            with tmp.open("wb") as out:
                out.write(data)
                _sync(out)
            settle(tmp, target)

    def delete_keys(self, keys: list[str]) -> None:
        for key in keys:
            self.path_of(key).unlink(missing_ok=True)

    def delete_prefix(self, prefix: str) -> int:
        keys = list(self.list_keys(prefix))
        self.delete_keys(keys)
        folder = self.objects / prefix
        if prefix.endswith("/") and folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
        return len(keys)

    def list_keys(self, prefix: str = "") -> Iterator[str]:
        # Walk only the prefix's own folder (one video's), not every object stored.
        start = self.objects / prefix.rpartition("/")[0]
        if not start.is_dir() or not start.resolve().is_relative_to(self.objects.resolve()):
            return
        for dirpath, _dirs, files in os.walk(start):
            for name in files:
                key = Path(dirpath, name).relative_to(self.objects).as_posix()
                if key.startswith(prefix):
                    yield key

    def check(self) -> None:
        with disk_errors():
            self.root.mkdir(parents=True, exist_ok=True)
        if not os.access(self.root, os.W_OK):
            raise StorageUnavailable(f"the media folder {self.root} is not writable")

    def playback_url(
        self,
        key: str,
        *,
        expires_in: int,
        content_type: str | None = None,
        filename: str | None = None,
    ) -> str:
        # The file route reads how to serve the file from the signed URL: it has no database.
        response = {"type": content_type, "name": filename}
        return signing.sign(
            self._secret,
            "GET",
            f"{signing.FILES_PREFIX}/{key}",
            expires_in=expires_in,
            response={k: v for k, v in response.items() if v is not None},
        )

    def verify(self, method: str, path: str, query: dict[str, str]) -> str | None:
        return signing.verify(
            self._secret,
            method,
            path,
            exp=query.get("exp", ""),
            sig=query.get("sig", ""),
            max_bytes=query.get("max"),
            response={k: query[k] for k in signing.RESPONSE_PARAMS if k in query},
        )


def _append(src: BinaryIO, out: BinaryIO, size: int) -> None:
    """Copy a part into the assembled file in the kernel where possible (no user-space copy)."""
    if hasattr(os, "copy_file_range"):
        offset = 0
        while offset < size:
            copied = os.copy_file_range(src.fileno(), out.fileno(), size - offset, offset)
            if copied == 0:
                break
            offset += copied
        out.seek(0, os.SEEK_END)
        if offset == size:
            return
        src.seek(offset)
    shutil.copyfileobj(src, out, COPY_CHUNK)


class PartWriter:
    """Writes one part to a temporary file, hashing as it goes; committed by an atomic rename."""

    def __init__(self, folder: Path, part_number: int, max_bytes: int) -> None:
        self.folder = folder
        self.number = part_number
        self.max_bytes = max_bytes
        self.tmp = folder / f"{part_number}.{secrets.token_hex(4)}.tmp"
        self.file = self.tmp.open("wb")
        self.md5 = hashlib.md5(usedforsecurity=False)
        self.size = 0
        self.part: Part

    def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.max_bytes:
            raise PartTooLarge(f"a part may hold at most {self.max_bytes} bytes")
        self.md5.update(chunk)
        with disk_errors():
            self.file.write(chunk)

    def discard(self) -> None:
        with contextlib.suppress(OSError):  # closing flushes, which fails on a full disk
            self.file.close()
        self.tmp.unlink(missing_ok=True)

    def commit(self) -> None:
        with disk_errors():
            _sync(self.file)
        self.file.close()
        etag = self.md5.hexdigest()
        for old in self.folder.glob(f"{self.number}.*"):
            if old != self.tmp and not old.name.endswith(".tmp"):
                old.unlink(missing_ok=True)
        with disk_errors():
            settle(self.tmp, self.folder / f"{self.number}.{etag}")
        self.part = Part(self.number, f'"{etag}"', self.size)
