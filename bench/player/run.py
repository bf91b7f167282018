"""Review-player benchmark (not a test): seek and frame-step latency in Chromium, old GOP
against new, and the time from upload complete to `ready`, all on one 20 s 720p clip.

1. Makes a 20 s 1280x720 30 fps clip with camera-like noise (every frame differs).
2. Renders it with the pipeline's own `render()`, once per `--variants` entry (see
   VARIANTS): x264's default keyframe interval (`old`), a keyframe every second with
   x264's default decoding tools (`gop1s`), every half second (`half`), every second
   without CABAC (`nocabac`), and what ships (`new`: a keyframe every second,
   `tune=fastdecode`: no CABAC, no deblocking, no weighted prediction); reports sizes.
3. Serves both from one local HTTP server (Starlette's StaticFiles: Range, like
   /media/files) and has real Chromium (web/scripts/bench-player.mjs) step frame by frame
   and seek, timing each from setting `currentTime` to `seeked` and to the next presented
   frame (requestVideoFrameCallback): median and max.
4. Uploads the clip to a real `practika serve` (worker in-process) and times upload
   complete -> `ready` (polled every 50 ms), `--uploads` times.

    .venv/bin/python bench/player/run.py [--steps 40] [--uploads 3] [--json out.json]
                                         [--variants old,gop1s,half,nocabac,new]
                                         [--work DIR (keeps and reuses the clip)]
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from unittest import mock

import av
import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.media.bench_media import Server  # noqa: E402
from practika.media import render as render_module  # noqa: E402
from practika.media.probe import ProbeLimits, probe  # noqa: E402
from practika.media.render import RenderOptions  # noqa: E402

LIMITS = ProbeLimits(("mov", "mp4", "matroska", "webm"), 8192, 3600)
FPS, SIZE = 30, (1280, 720)


def make_clip(path: Path, seconds: float) -> Path:
    """720p30 with a moving figure over fresh noise each frame (a phone camera's grain),
    so keyframes cost what they cost on real footage, and AAC audio."""
    from fractions import Fraction

    from PIL import Image, ImageChops, ImageDraw

    width, height = SIZE
    grain = [Image.effect_noise((width, height), 6).convert("RGB") for _ in range(8)]
    with av.open(str(path), "w") as out:
        video = out.add_stream("libx264", rate=FPS)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.options = {"preset": "ultrafast", "crf": "20"}
        audio = out.add_stream("aac", rate=48000)
        audio.layout = "stereo"
        for i in range(int(seconds * FPS)):
            image = Image.new("RGB", SIZE, (70, 80, 95))
            draw = ImageDraw.Draw(image)
            draw.rectangle([0, int(height * 0.8), width, height], fill=(110, 100, 90))
            x = 200 + int(300 * abs((i % 90) / 45 - 1))
            draw.ellipse([x, 120, x + 120, 240], fill=(230, 180, 150))
            draw.rectangle([x + 30, 240, x + 90, 520], fill=(40, 90, 170))
            image = ImageChops.add(image, grain[i % len(grain)], scale=1.0, offset=-128)
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


# name -> (frames between keyframes, or None for x264's default; x264 tune; extra libx264
# options). "new" is what the pipeline ships; the others are the alternatives weighed.
VARIANTS: dict[str, tuple[int | None, str | None, dict[str, str]]] = {
    "old": (None, None, {}),  # x264's default GOP: renditions before issue 16
    "gop1s": (FPS, None, {}),  # a keyframe every second, x264's default decoding tools
    "half": (FPS // 2, None, {}),  # a keyframe every half second
    "nocabac": (FPS, None, {"x264-params": "cabac=0"}),  # CAVLC only, deblocking kept
    "new": (FPS, "fastdecode", {}),  # shipped: a keyframe a second, tune=fastdecode
}


SHIPPED_GOP_OPTIONS = render_module.gop_options


def x264_options(gop: int | None, extra: dict[str, str]) -> Any:
    """A stand-in for `render.gop_options` giving this variant's keyframe options."""

    def options(facts: Any) -> dict[str, str]:
        if gop is None:
            return dict(extra)
        return {**SHIPPED_GOP_OPTIONS(facts), "g": str(gop), "keyint_min": str(gop), **extra}

    return options


def renditions(clip: Path, work: Path, names: list[str]) -> dict[str, dict[str, Any]]:
    facts = probe(clip, LIMITS)
    found = {}
    for name in names:
        gop, tune, extra = VARIANTS[name]
        folder = work / name
        folder.mkdir(exist_ok=True)
        started = time.perf_counter()
        # x264's defaults (gop None): what renditions were before a keyframe every second.
        due = render_module.Keyframes.due if gop else (lambda self, ms: False)
        with (
            mock.patch.object(render_module, "gop_options", x264_options(gop, extra)),
            mock.patch.object(render_module, "gop_size", lambda fps, g=gop: g or 250),
            mock.patch.object(render_module.Keyframes, "due", due),
        ):
            out = render_module.render(clip, facts, folder, RenderOptions(tune=tune))
        seconds = time.perf_counter() - started
        target = work / "site" / f"{name}.mp4"
        target.parent.mkdir(exist_ok=True)
        out.rendition.rename(target)
        with av.open(str(target)) as container:
            stream = container.streams.video[0]
            keys = [p for p in container.demux(stream) if p.is_keyframe and p.pts is not None]
        found[name] = {
            "file": target.name,
            "fps": FPS,
            "bytes": target.stat().st_size,
            "keyframes": len(keys),
            "render_s": round(seconds, 2),
        }
    (work / "site" / "index.html").write_text("<!doctype html><title>bench</title><body>")
    return found


def serve(folder: Path) -> tuple[str, Any]:
    import uvicorn
    from starlette.applications import Starlette
    from starlette.staticfiles import StaticFiles

    from bench.media.bench_media import free_port

    port = free_port()
    app = Starlette()
    app.mount("/", StaticFiles(directory=folder))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server


def summary(samples: list[float]) -> dict[str, float | None]:
    if not samples:
        return {"median_ms": None, "max_ms": None}
    return {"median_ms": round(statistics.median(samples), 1), "max_ms": round(max(samples), 1)}


def player(base: str, found: dict[str, dict[str, Any]], steps: int) -> dict[str, Any]:
    spec = [{"name": n, "file": r["file"], "fps": r["fps"]} for n, r in found.items()]
    run = subprocess.run(
        ["node", "scripts/bench-player.mjs", base, json.dumps(spec), str(steps)],
        cwd=ROOT / "web",
        capture_output=True,
        text=True,
        timeout=900,
        check=True,
    )
    raw = json.loads(run.stdout.strip().splitlines()[-1])
    return {
        name: {
            kind: {
                "seeked": summary([s["seeked"] for s in data[kind]]),
                "painted": summary([s["painted"] for s in data[kind] if s["painted"] is not None]),
                "painted_n": sum(1 for s in data[kind] if s["painted"] is not None),
                "n": len(data[kind]),
            }
            for kind in ("stepping", "seeking")
        }
        for name, data in raw.items()
    }


def upload_to_ready(clip: Path, work: Path, times: int) -> list[float]:
    from practika.cli.upload_client import Uploader

    server = Server(work / "server", PRACTIKA_RUN_WORKER="true", PRACTIKA_WORKER_POLL_SECONDS="0.2")
    took = []
    shutil.rmtree(work / "server", ignore_errors=True)
    try:
        with httpx.Client(timeout=120) as client:
            headers = {"Authorization": f"Bearer {server.token}"}
            for i in range(times):
                uploader = Uploader(client, server.base + "/", server.token, work / f"state{i}")
                video_id = uploader.upload(clip)  # returns once /complete has answered
                completed = time.perf_counter()
                while True:
                    video = client.get(f"{server.base}/api/v1/videos/{video_id}", headers=headers)
                    status = video.json()["status"]
                    if status in ("ready", "failed"):
                        break
                    time.sleep(0.05)
                assert status == "ready", video.json()
                took.append(round(time.perf_counter() - completed, 2))
    finally:
        server.stop()
    return took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--uploads", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--work", type=Path, help="keep the clip and renditions here (reused)")
    names = ", ".join(VARIANTS)
    parser.add_argument("--variants", default="old,gop1s,new", help=f"renditions, of {names}")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        clip = work / "clip.mp4"
        if not clip.exists():
            make_clip(clip, args.seconds)
        names = args.variants.split(",")
        saved = work / "renditions.json"
        found = json.loads(saved.read_text()) if saved.exists() else {}
        missing = [n for n in names if n not in found]
        if missing:
            found |= renditions(clip, work, missing)
            saved.write_text(json.dumps(found))
        found = {n: found[n] for n in names}
        base, server = serve(work / "site")
        try:
            latency = player(base, found, args.steps)
        finally:
            server.should_exit = True
        # The latency figures first: a server that cannot start must not lose them.
        print(json.dumps({"renditions": found, "latency": latency}), flush=True)
        ready = upload_to_ready(clip, work, args.uploads) if args.uploads else []
    result = {
        "machine": f"{platform.machine()}, {platform.processor() or '?'}, "
        f"{__import__('os').cpu_count()} CPUs, {platform.system()} {platform.release()}",
        "clip": {"seconds": args.seconds, "size": SIZE, "fps": FPS, "bytes": clip.stat().st_size},
        "renditions": found,
        "latency": latency,
        "upload_complete_to_ready_s": ready,
    }
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")


if __name__ == "__main__":
    main()
