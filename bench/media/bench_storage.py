"""Local multipart storage alone (no HTTP): the same bytes as parts then completed, with
this checkout's backend and with another version's `storage/local.py`, versus a plain
sequential write with one fsync. Ratios within one run; a benchmark, not a test.

    .venv/bin/python bench/media/bench_storage.py --size 1G --old /tmp/old_local.py
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
MiB = 1024 * 1024
PART = 16 * MiB
CHUNK = MiB  # what the part route hands the writer at a time


def load(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location("other_local", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.LocalStorage


def upload(cls: Any, root: Path, size: int, in_place: bool) -> float:
    storage = cls(root, b"k" * 32)
    chunk = os.urandom(CHUNK)
    start = time.perf_counter()
    layout = {"size": size, "part_size": PART} if in_place else {}
    upload_id = storage.create_multipart("videos/x/original", "video/mp4", **layout)
    parts = []
    for n in range(1, -(-size // PART) + 1):
        writer = storage.open_part(upload_id, n, PART)
        left = min(PART, size - (n - 1) * PART)
        while left:
            writer.write(chunk[: min(CHUNK, left)])
            left -= min(CHUNK, left)
        writer.commit()
        parts.append((n, writer.part.etag))
    storage.complete_multipart("videos/x/original", upload_id, parts)
    elapsed = time.perf_counter() - start
    shutil.rmtree(root)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", default="1G")
    parser.add_argument("--old", type=Path, required=True, help="another storage/local.py")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    units = {"M": MiB, "G": 1024 * MiB}
    size = int(float(args.size[:-1]) * units[args.size[-1].upper()])
    from bench_media import plain_write

    from practika.storage.local import LocalStorage

    old = load(args.old)
    with tempfile.TemporaryDirectory(prefix="practika-bench-storage-") as tmp:
        work = Path(tmp)
        for r in range(args.rounds):  # interleaved, so a busy machine hits all three alike
            p = plain_write(work, size)
            new = upload(LocalStorage, work / "new", size, in_place=True)
            was = upload(old, work / "old", size, in_place=False)
            print(
                f"round {r + 1}: plain {size / MiB / p:.0f} MiB/s, "
                f"in place {size / MiB / new:.0f} MiB/s ({p / new:.0%} of plain), "
                f"parts + assembly {size / MiB / was:.0f} MiB/s ({p / was:.0%} of plain)",
                flush=True,
            )


if __name__ == "__main__":
    main()
