"""Local filesystem storage: the embedded default, with the same multipart protocol as S3.

Objects live under `<media_dir>/objects/<key>`. A multipart upload is a folder
`<media_dir>/uploads/<upload_id>/` holding `meta.json` (the key and the layout: size and
part size), `data` (a file of the upload's full size, allocated at the start) and one
empty marker per stored part, `<number>-<size>-<etag>.part`. Each part is written in
place at its offset, so completing is a rename of `data` to the object's name: the
bytes are written once.

Durability: every write the caller acknowledges is fsynced before it is acknowledged.
A part's bytes are fsynced before its marker is made, so a marker never claims bytes a
power cut could lose (a marker lost instead only means the client sends that part
again). Whole objects go to a temporary name, are fsynced, renamed into place, and then
the folder holding them is fsynced (and the parent of every folder created on the
way), so the new name survives a power cut as well as the bytes.
"""

from __future__ import annotations

import errno
import json
import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from practika.storage import signing
from practika.storage.base import Part, PendingUpload, StorageError, StorageUnavailable
from practika.storage.durable import (
    allocate,
    copy_file,
    disk_errors,
    fsync_dir,
    make_dirs,
    settle,
    sync,
)
from practika.storage.parts import PartWriter


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

    def _meta(self, upload_id: str) -> dict[str, Any]:
        try:
            return json.loads((self._upload_dir(upload_id) / "meta.json").read_text())  # type: ignore[no-any-return]
        except FileNotFoundError:
            raise StorageError("unknown upload") from None

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
        upload_id = secrets.token_hex(16)
        folder = self._upload_dir(upload_id)
        meta = {
            "key": key,
            "content_type": content_type,
            "initiated": datetime.now(UTC).isoformat(),
            "size": size,
            "part_size": part_size,
        }
        try:
            with disk_errors():
                make_dirs(folder)
                with (folder / "meta.json").open("w") as f:
                    f.write(json.dumps(meta))
                    f.flush()
                    os.fsync(f.fileno())
                if size is not None:
                    allocate(folder / "data", size)
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
        meta = self._meta(upload_id)
        size, part_size = meta.get("size"), meta.get("part_size")
        if not isinstance(size, int) or not isinstance(part_size, int) or part_size < 1:
            raise StorageError("this upload was started without a layout: it takes no parts")
        offset = (part_number - 1) * part_size
        if part_number < 1 or (offset >= size and offset > 0):
            raise StorageError(f"part {part_number} lies outside the upload")
        room = min(max_bytes, part_size, size - offset)
        return PartWriter(folder, part_number, offset, room)

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
        for path in folder.glob("*.part"):
            number, size, etag = path.stem.split("-", 2)
            parts.append(Part(int(number), f'"{etag}"', int(size)))
        return sorted(parts, key=lambda p: p.part_number)

    def complete_multipart(self, key: str, upload_id: str, parts: list[tuple[int, str]]) -> None:
        meta = self._meta(upload_id)
        if meta["key"] != key:
            raise StorageError("upload belongs to another key")
        folder = self._upload_dir(upload_id)
        target = self.path_of(key)
        data = folder / "data"
        if not data.is_file() and target.is_file() and target.stat().st_size == meta["size"]:
            shutil.rmtree(folder, ignore_errors=True)  # renamed by a complete that crashed
            return
        _check_layout(meta, self.list_parts(key, upload_id), parts)
        with disk_errors():
            make_dirs(target.parent)
            with data.open("r+b") as out:
                sync(out)
            try:
                settle(data, target)
            except OSError as exc:
                if exc.errno != errno.EXDEV:
                    raise
                # Objects on another filesystem than the uploads: one copy after all.
                copy_file(data, target)
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
        with disk_errors():
            make_dirs(target.parent)
        copy_file(path, target)

    def put_bytes(self, key: str, data: bytes, content_type: str) -> None:
        target = self.path_of(key)
        tmp = target.with_name(target.name + ".tmp")
        with disk_errors(tmp):
            make_dirs(target.parent)
            with tmp.open("wb") as out:
                out.write(data)
                sync(out)
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


def _check_layout(meta: dict[str, Any], stored: list[Part], parts: list[tuple[int, str]]) -> None:
    """In place, an object is every part 1..N, each filling its slot: nothing else."""
    have = {p.part_number: p for p in stored}
    size, part_size = meta.get("size"), meta.get("part_size")
    if size is None or part_size is None:
        raise StorageError("this upload was started without a layout")
    count = max(1, -(-size // part_size))
    if [n for n, _ in parts] != list(range(1, count + 1)):
        raise StorageError(f"an upload of {size} bytes completes with parts 1 to {count}")
    for number, etag in parts:
        part = have.get(number)
        if part is None or part.etag.strip('"') != etag.strip('"'):
            raise StorageError(f"part {number} is missing or its ETag does not match")
        if part.size != min(part_size, size - (number - 1) * part_size):
            raise StorageError(f"part {number} does not fill its place")
