"""Media pipeline benchmark (not a test): uploads, range reads and processing.

Measures, against a real `practika serve` process on loopback:

1. upload throughput of the local backend (multipart parts over HTTP, written in
   place, then completed by a rename) on a sparse multi-GB file, versus a plain
   sequential write of the same bytes to the same disk; and the server's peak RSS
   per file size, which must not grow with the file;
2. range-read throughput of the local playback endpoint (signed /media URL,
   sequential 8 MiB Range requests) versus reading the file directly;
3. processing time of a generated 1080p clip (probe + rendition + poster +
   sprite + sha256) versus a bare PyAV transcode with the same settings.

    .venv/bin/python bench/media/bench_media.py --sizes 256M,2G --clip-seconds 10
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
MiB = 1024 * 1024


def parse_size(text: str) -> int:
    units = {"K": 1024, "M": MiB, "G": 1024 * MiB}
    return int(float(text[:-1]) * units[text[-1].upper()]) if text[-1].isalpha() else int(text)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mib(pid: int, field: str = "VmHWM") -> float:
    """Peak (VmHWM) or current (VmRSS) resident memory of a process, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Server:
    """`practika serve` in a fresh data dir (SQLite, local media), no in-process worker."""

    def __init__(self, data_dir: Path, **env: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        environment = (
            os.environ
            | {
                "PRACTIKA_DATA_DIR": str(data_dir),
                "PRACTIKA_PORT": str(self.port),
                "PRACTIKA_RUN_WORKER": "false",
                "PRACTIKA_LOG_LEVEL": "WARNING",
                "PRACTIKA_MAX_UPLOAD_BYTES": str(64 * 1024 * MiB),
                "PRACTIKA_WEB_DIST": str(data_dir / "no-web"),
            }
            | env
        )
        self.proc = subprocess.Popen(
            [str(ROOT / ".venv/bin/practika"), "serve"],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 180  # a busy shared machine starts slowly
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.base + "/healthz", timeout=1).status_code < 500:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        try:
            r = httpx.post(
                self.base + "/api/v1/auth/signup",
                json={
                    "email": "bench@example.com",
                    "password": "bench-password-1",
                    "display_name": "B",
                },
                timeout=60,  # argon2 on a busy machine
            )
            r.raise_for_status()
        except BaseException:
            self.stop()
            raise
        self.token = r.json()["token"]

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


def upload(server: Server, path: Path, parallel: int = 4) -> tuple[str, float]:
    from practika.cli.upload_client import Uploader

    with httpx.Client(timeout=120) as client:
        uploader = Uploader(
            client, server.base + "/", server.token, path.parent / "state", parallel=parallel
        )
        start = time.perf_counter()
        video_id = uploader.upload(path)
        return video_id, time.perf_counter() - start


def plain_write(folder: Path, size: int) -> float:
    """The same bytes written sequentially to the same disk, fsynced once."""
    target = folder / "plain.bin"
    chunk = bytes(16 * MiB)
    start = time.perf_counter()
    with target.open("wb") as f:
        left = size
        while left > 0:
            left -= f.write(chunk[: min(left, len(chunk))])
        f.flush()
        os.fsync(f.fileno())
    elapsed = time.perf_counter() - start
    target.unlink()
    return elapsed


def range_reads(
    server: Server, data_dir: Path, video_id: str, stored: Path, chunk: int = 8 * MiB
) -> dict[str, float]:
    """Sequential Range GETs through the signed /media URL, versus reading the file."""
    from practika.config import Settings
    from practika.storage.local import LocalStorage

    # The sparse upload is not a video, so it never becomes playable; sign its key with
    # the server's own key, exactly as the playback endpoint would.
    settings = Settings(data_dir=data_dir)
    local = LocalStorage(settings.resolved_media_dir, settings.secret_key)
    url = server.base + local.playback_url(f"videos/{video_id}/original", expires_in=600)
    size = stored.stat().st_size
    with httpx.Client(timeout=120) as client:
        start = time.perf_counter()
        for offset in range(0, size, chunk):
            end = min(size, offset + chunk) - 1
            r = client.get(url, headers={"Range": f"bytes={offset}-{end}"})
            assert r.status_code == 206, r.status_code
        http_s = time.perf_counter() - start
    start = time.perf_counter()
    with stored.open("rb") as f:
        while f.read(chunk):
            pass
    direct_s = time.perf_counter() - start
    return {"http_MiB_s": size / MiB / http_s, "direct_MiB_s": size / MiB / direct_s}


def make_1080p(path: Path, seconds: float) -> Path:
    """A 1080p30 H.264/AAC clip with moving content (so the encoder has work to do)."""
    from PIL import Image, ImageDraw

    fps, width, height = 30, 1920, 1080
    with av.open(str(path), "w") as out:
        video = out.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.options = {"preset": "ultrafast", "crf": "18"}
        audio = out.add_stream("aac", rate=48000)
        audio.layout = "stereo"
        base = Image.effect_noise((width, height), 40).convert("RGB")
        for i in range(int(seconds * fps)):
            image = base.copy()
            draw = ImageDraw.Draw(image)
            x = (i * 23) % width
            draw.ellipse([x, 300, x + 300, 600], fill=(220, 80, 40))
            draw.rectangle(
                [0, (i * 11) % height, width, (i * 11) % height + 40], fill=(30, 160, 90)
            )
            for packet in video.encode(av.VideoFrame.from_image(image)):
                out.mux(packet)
        for packet in video.encode(None):
            out.mux(packet)
        pts = 0
        while pts < seconds * 48000:
            frame = av.AudioFrame(format="fltp", layout="stereo", samples=1024)
            for plane in frame.planes:
                plane.update(bytes(4 * 1024))
            frame.sample_rate, frame.pts, frame.time_base = 48000, pts, Fraction(1, 48000)
            pts += 1024
            for packet in audio.encode(frame):
                out.mux(packet)
        for packet in audio.encode(None):
            out.mux(packet)
    return path


def bare_transcode(source: Path, target: Path, height: int, crf: int, preset: str) -> None:
    """The least code that makes the same rendition: decode, scale, x264 + AAC, faststart."""
    with (
        av.open(str(source)) as inp,
        av.open(str(target), "w", format="mp4", options={"movflags": "+faststart"}) as out,
    ):
        vin, ain = inp.streams.video[0], inp.streams.audio[0]
        vin.thread_type = "AUTO"
        width = round(vin.codec_context.width * height / vin.codec_context.height / 2) * 2
        vout = out.add_stream("libx264", rate=vin.average_rate)
        vout.width, vout.height, vout.pix_fmt = width, height, "yuv420p"
        vout.codec_context.time_base = vin.time_base
        vout.options = {"crf": str(crf), "preset": preset}
        aout = out.add_stream("aac", rate=48000)
        aout.layout = "stereo"
        resampler = av.AudioResampler(format="fltp", layout="stereo", rate=48000)
        samples = 0
        for packet in inp.demux(vin, ain):
            for frame in packet.decode():
                if packet.stream is vin:
                    scaled = frame.reformat(width=width, height=height, format="yuv420p")
                    scaled.pts, scaled.time_base = frame.pts, frame.time_base
                    for p in vout.encode(scaled):
                        out.mux(p)
                else:
                    for chunk in resampler.resample(frame):
                        chunk.pts, samples = samples, samples + chunk.samples
                        for p in aout.encode(chunk):
                            out.mux(p)
        for p in vout.encode(None):
            out.mux(p)
        for p in aout.encode(None):
            out.mux(p)


def processing(clip: Path, work: Path) -> dict[str, float]:
    from practika.config import Settings
    from practika.media.tasks import process_file
    from practika.storage.local import LocalStorage

    settings = Settings(data_dir=work, session_secret="b" * 40)
    storage = LocalStorage(work / "media", settings.secret_key)
    storage.put_file("videos/bench/original.mp4", clip, "video/mp4")
    start = time.perf_counter()
    done = process_file(storage, settings, "bench", "videos/bench/original.mp4")  # type: ignore[arg-type]
    pipeline_s = time.perf_counter() - start
    start = time.perf_counter()
    bare_transcode(
        clip,
        work / "bare.mp4",
        settings.rendition_max_height,
        settings.rendition_crf,
        settings.rendition_preset,
    )
    bare_s = time.perf_counter() - start
    return {
        "duration_s": done.probe.duration_ms / 1000,
        "pipeline_s": pipeline_s,
        "bare_transcode_s": bare_s,
        "overhead_pct": (pipeline_s / bare_s - 1) * 100,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", default="256M,2G", help="sparse upload sizes")
    parser.add_argument("--clip-seconds", type=float, default=10.0)
    parser.add_argument("--parallel", type=int, default=4)
    parser.add_argument("--workdir", type=Path, default=None, help="on the disk to measure")
    parser.add_argument(
        "--uploads-only", action="store_true", help="skip the processing measurement"
    )
    args = parser.parse_args()
    results: dict[str, Any] = {
        "machine": f"{platform.node()} · {platform.processor() or platform.machine()} · "
        f"{os.cpu_count()} CPUs · Linux {platform.release()} · Python {platform.python_version()} "
        f"· PyAV {av.__version__} (FFmpeg {av.ffmpeg_version_info})",
        "uploads": [],
    }
    with tempfile.TemporaryDirectory(dir=args.workdir, prefix="practika-bench-") as tmp:
        work = Path(tmp)
        for text in args.sizes.split(","):
            size = parse_size(text)
            data_dir = work / f"server-{text}"
            server = Server(data_dir)
            try:
                baseline = rss_mib(server.proc.pid)
                sparse = work / f"sparse-{text}.mp4"
                with sparse.open("wb") as f:
                    f.truncate(size)  # a sparse file: reads cost no disk I/O
                video_id, seconds = upload(server, sparse, args.parallel)
                after_upload = rss_mib(server.proc.pid)
                current = rss_mib(server.proc.pid, "VmRSS")
                stored = data_dir / "media" / "objects" / "videos" / video_id / "original"
                assert stored.stat().st_size == size
                reads = range_reads(server, data_dir, video_id, stored)
                after_reads = rss_mib(server.proc.pid)
                plain = plain_write(work, size)
                row = {
                    "size": text,
                    "upload_MiB_s": size / MiB / seconds,
                    "plain_write_MiB_s": size / MiB / plain,
                    "server_peak_rss_MiB_start": baseline,
                    "server_peak_rss_MiB_after_upload": after_upload,
                    "server_peak_rss_MiB_after_range_reads": after_reads,
                    "server_rss_MiB_after_upload": current,
                    **{f"range_{k}": v for k, v in reads.items()},
                }
                results["uploads"].append(row)
                print(json.dumps(row), flush=True)
                stored.unlink()
                sparse.unlink()
            finally:
                server.stop()
        if not args.uploads_only:
            clip = make_1080p(work / "clip1080.mp4", args.clip_seconds)
            results["processing"] = processing(clip, work / "processing")
            print(json.dumps(results["processing"]), flush=True)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
