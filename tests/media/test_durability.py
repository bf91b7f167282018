"""Local storage survives an OS crash: what it acknowledged is fsynced, and so are the
folders holding the new names (a rename is only durable once its folder is fsynced).

Power cannot be cut here, so a recorder wraps `os.fsync`, `os.replace` and `os.mkdir`
and the tests check the order of what happened before each acknowledgement.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.media.conftest import MediaApi


class Recorder:
    """Every fsync (of which path, file or folder), rename and mkdir, in order."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.events: list[tuple[str, str, str]] = []
        real_fsync, real_replace, real_mkdir = os.fsync, os.replace, os.mkdir

        def fsync(fd: int) -> None:
            kind = "dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file"
            self.events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}"), kind))
            real_fsync(fd)

        def replace(src: object, dst: object, *args: object, **kw: object) -> None:
            real_replace(src, dst, *args, **kw)  # type: ignore[arg-type]
            self.events.append(("replace", _abs(src), _abs(dst)))

        def mkdir(path: object, *args: object, **kw: object) -> None:
            real_mkdir(path, *args, **kw)  # type: ignore[arg-type]
            self.events.append(("mkdir", _abs(path), ""))

        monkeypatch.setattr(os, "fsync", fsync)
        monkeypatch.setattr(os, "replace", replace)
        monkeypatch.setattr(os, "mkdir", mkdir)

    def clear(self) -> None:
        self.events.clear()

    def _synced_dir_after(self, index: int, folder: Path) -> bool:
        return ("fsync", str(folder), "dir") in self.events[index + 1 :]

    def assert_durable(self, target: Path, *, renamed: bool = True) -> None:
        """`target`'s bytes were fsynced, then it got its name, then its folder was fsynced;
        and every folder created on the way has its parent fsynced after it was made."""
        target = target.resolve()
        written = str(target)
        if renamed:
            moves = [i for i, e in enumerate(self.events) if e[0] == "replace" and e[2] == written]
            assert moves, f"{target.name} was not renamed into place"
            at, written = moves[-1], self.events[moves[-1]][1]
        else:
            syncs = [i for i, e in enumerate(self.events) if e == ("fsync", written, "file")]
            assert syncs, f"{target.name} was never fsynced"
            at = syncs[-1]
        assert ("fsync", written, "file") in self.events[: at + 1], f"{target.name} not fsynced"
        assert self._synced_dir_after(at, target.parent), f"{target.parent} not fsynced"
        for i, (kind, path, _) in enumerate(self.events):
            if kind == "mkdir" and target.is_relative_to(path):
                assert self._synced_dir_after(i, Path(path).parent), (
                    f"new folder {path} not durable"
                )


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorder]:
    yield Recorder(monkeypatch)


def _abs(path: object) -> str:
    return str(Path(os.fsdecode(path)).resolve())  # type: ignore[arg-type]


def test_start_parts_and_complete_are_durable_before_they_are_acknowledged(
    mapi: MediaApi, clips: dict[str, Path], recorder: Recorder
) -> None:
    coach = mapi.signup("Coach")
    data = clips["h264_aac"].read_bytes()
    uploads = mapi.settings.resolved_media_dir / "uploads"

    recorder.clear()
    started = mapi.start_upload(coach, data)
    upload_id = urlsplit(started["parts"][0]["url"]).path.split("/")[3]
    recorder.assert_durable(uploads / upload_id / "meta.json", renamed=False)

    recorder.assert_durable(uploads / upload_id / "data", renamed=False)  # allocated

    for part in started["parts"][:3]:
        recorder.clear()
        etags = mapi.send_parts({**started, "parts": [part]}, data)
        n, etag = next(iter(etags.items()))
        # Written in place: the upload's file is fsynced before the part's marker exists.
        data_file = str((uploads / upload_id / "data").resolve())
        assert ("fsync", data_file, "file") in recorder.events
        size = started["part_size"]
        marker = uploads / upload_id / f"{n}-{len(data[(n - 1) * size : n * size])}-"
        assert Path(f"{marker}{etag.strip(chr(34))}.part").is_file()
    mapi.send_parts({**started, "parts": started["parts"][3:]}, data)
    etags = {
        p["part_number"]: p["etag"]
        for p in mapi.get(f"/api/v1/uploads/{started['video_id']}", coach).json()["parts_received"]
    }

    recorder.clear()
    r = mapi.complete(coach, started["video_id"], etags)
    assert r.status_code == 200, r.text
    [key] = mapi.object_keys(f"videos/{started['video_id']}/")
    recorder.assert_durable(mapi.storage.path_of(key))


def test_derived_assets_and_put_file_are_durable_before_the_video_is_ready(
    mapi: MediaApi, clips: dict[str, Path], recorder: Recorder, tmp_path: Path
) -> None:
    coach = mapi.signup("Coach")
    video = mapi.upload(coach, clips["silent"], process=False)
    recorder.clear()
    assert mapi.process() == 1
    prefix = f"videos/{video['id']}/"
    for name in ("rendition.mp4", "poster.jpg", "sprite.jpg"):
        recorder.assert_durable(mapi.storage.path_of(prefix + name))

    source = tmp_path / "clip.bin"
    source.write_bytes(b"some bytes" * 1000)
    recorder.clear()
    mapi.storage.put_file("durable/new/folder/a.bin", source, "application/octet-stream")
    recorder.assert_durable(mapi.storage.path_of("durable/new/folder/a.bin"))
    recorder.clear()
    mapi.storage.put_bytes("durable/other/b.bin", b"bytes", "application/octet-stream")
    recorder.assert_durable(mapi.storage.path_of("durable/other/b.bin"))


def test_an_upload_completes_onto_another_filesystem_by_one_durable_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Objects on another filesystem than the uploads: renaming the upload's file fails
    (EXDEV), so it is copied to a temporary name, fsynced and renamed into place."""
    from practika.storage.local import LocalStorage

    storage = LocalStorage(tmp_path / "media", b"k" * 32)
    key = "videos/v1/original.mp4"
    upload = storage.create_multipart(key, "video/mp4", size=5, part_size=5)
    part = storage.write_part(upload, 1, b"hello", max_bytes=5)
    real_replace = os.replace

    def replace(src: object, dst: object, *args: object, **kw: object) -> None:
        if os.fsdecode(src).endswith("/data"):  # type: ignore[arg-type]
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        real_replace(src, dst, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", replace)
    recorder = Recorder(monkeypatch)  # records around the failing rename

    storage.complete_multipart(key, upload, [(1, part.etag)])

    target = storage.path_of(key)
    assert target.read_bytes() == b"hello"
    recorder.assert_durable(target)
    assert not (storage.uploads / upload).exists()
