"""Scratch space for a media job's temporary files (the downloaded original, the
rendition being written), kept in the workers' own area so that what a killed worker
left behind can be found and removed.

The area is `Settings.resolved_work_dir`; a job runs in `<job id>.<holder>/`, `holder`
naming the worker that holds the job's lease. The worker sets the job's folder for
the job's context; `folder()` is where temporary directories go (the system's temp
folder outside a worker: the CLI, the demo seeding).
"""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

_current: ContextVar[Path | None] = ContextVar("practika_scratch", default=None)


def folder() -> Path | None:
    """The running job's scratch folder, or None (then the system's temp folder)."""
    return _current.get()


def folder_name(job_id: object, worker_id: str) -> str:
    holder = hashlib.sha256(worker_id.encode()).hexdigest()[:16]
    return f"{job_id}.{holder}"


@contextmanager
def job_folder(root: Path, job_id: object, worker_id: str) -> Iterator[Path]:
    """The job's own folder for as long as it runs; removed after."""
    path = root / folder_name(job_id, worker_id)
    path.mkdir(parents=True, exist_ok=True)
    token = _current.set(path)
    try:
        yield path
    finally:
        _current.reset(token)
        shutil.rmtree(path, ignore_errors=True)


def sweep(root: Path, owned: Iterable[str], older_than: float) -> list[str]:
    """Remove what no running job owns and that is older than `older_than` seconds.

    Both tests are needed: a folder named after a live lease is in use however old
    (a long transcode), and a folder younger than a lease may belong to a job claimed
    after `owned` was read."""
    if not root.is_dir():
        return []
    keep = set(owned)
    removed = []
    now = time.time()
    for entry in root.iterdir():
        if entry.name in keep:
            continue
        try:
            if now - entry.lstat().st_mtime < older_than:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        except FileNotFoundError:  # another worker swept it first
            continue
        removed.append(entry.name)
    return removed
