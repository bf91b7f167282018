"""Writes to a local disk that survive a power cut once acknowledged, and disk failures
as storage errors: the local backend's (local.py) and its part writer's (parts.py) tools.

A whole file goes to a temporary name, is fsynced, renamed into place, and then the
folder holding it is fsynced (and the parent of every folder created on the way), so
the new name survives as well as the bytes.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from practika.storage.base import StorageUnavailable


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


def sync(file: BinaryIO) -> None:
    file.flush()
    os.fsync(file.fileno())


def allocate(path: Path, size: int) -> None:
    """The upload's file at its full size, its blocks reserved now: a disk that cannot hold
    the upload says so at the start, not in the middle."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        try:
            if size:
                os.posix_fallocate(fd, 0, size)
        except OSError as exc:
            if exc.errno not in (errno.EOPNOTSUPP, errno.EINVAL):
                raise
            os.ftruncate(fd, size)  # a filesystem without fallocate: a sparse file
        os.fsync(fd)
    except OSError:
        os.close(fd)
        path.unlink(missing_ok=True)
        raise
    os.close(fd)


def copy_file(source: Path, target: Path) -> None:
    """`source` copied to `target` durably (its folder must exist)."""
    tmp = target.with_name(target.name + ".tmp")
    with disk_errors(tmp):
        shutil.copyfile(source, tmp)  # sendfile in the kernel, across filesystems too
        with tmp.open("r+b") as out:
            sync(out)
        settle(tmp, target)
