"""wrk on loopback, driven by prepared request lines (see wrk/requests.lua)."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).parent / "wrk" / "requests.lua"


def ensure_wrk() -> str:
    """wrk comes from Debian; install it when missing (the machine is ours to set up)."""
    found = shutil.which("wrk")
    if found:
        return found
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk could not be installed")
    return found


@dataclass
class Result:
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    cache_hits: int = 0  # counted only when run(count_cache=True)
    cache_misses: int = 0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


def run(
    url: str,
    requests_file: Path,
    *,
    seconds: int,
    connections: int,
    threads: int = 1,
    delay_ms: float = 0,
    count_cache: bool = False,
) -> Result:
    env = {
        **os.environ,
        "BENCH_REQUESTS": str(requests_file),
        "WRK_DELAY_MS": f"{delay_ms:.3f}",
        "WRK_COUNT_CACHE": "1" if count_cache else "0",
    }
    out = subprocess.run(
        [
            ensure_wrk(),
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(SCRIPT),
            url,
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    raw = json.loads(next(line for line in out.splitlines() if line.startswith("{")))
    errors = sum(raw[k] for k in ("connect", "read", "write", "status", "timeout"))
    return Result(
        requests=raw["requests"],
        seconds=raw["duration_us"] / 1e6,
        errors=errors,
        p50_ms=raw["p50_us"] / 1000,
        p90_ms=raw["p90_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        max_ms=raw["max_us"] / 1000,
        cache_hits=raw["cache_hits"],
        cache_misses=raw["cache_misses"],
    )


def paced_delay(
    url: str, requests_file: Path, rate: float, connections: int, *, probe_seconds: int
) -> float:
    """The think time that makes `connections` paced connections run at `rate` in total.

    Each connection waits a think time after every answer, so the total rate is
    connections / (think time + latency). A probe at the naive think time measures the
    latency under that load, which the returned think time then leaves out, so that the
    rate asked is the rate run."""
    naive = connections * 1000 / rate
    # Long enough for ~300 requests: think times are random, a short probe is noisy.
    seconds = max(probe_seconds, math.ceil(300 / rate))
    probe = run(url, requests_file, seconds=seconds, connections=connections, delay_ms=naive)
    latency_ms = connections * 1000 / max(probe.rps, 1e-9) - naive
    delay = max(naive - latency_ms, 0.1)
    print(
        f"  pacing: {probe.rps:.1f} req/s at {naive:.0f} ms think time -> {delay:.1f} ms",
        flush=True,
    )
    return delay


def prime(url: str, requests_file: Path, *, concurrency: int = 16, passes: int = 8) -> float:
    """Ask every prepared GET until a whole pass is answered from the cache (or `passes`
    run out), so that a cached run measures the steady state. Each server process has its
    own cache and the kernel spreads connections over them, so one pass is not enough.
    Returns the share of the last pass answered from a cache."""
    import asyncio

    import httpx

    lines = [line.split("\t") for line in requests_file.read_text().splitlines() if line]
    gets = sorted({(path, token) for method, path, token, _ in lines if method == "GET"})

    async def one_pass() -> float:
        queue: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
        for item in gets:
            queue.put_nowait(item)
        hits = 0
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:

            async def worker() -> None:
                nonlocal hits
                while not queue.empty():
                    path, token = queue.get_nowait()
                    headers = {"Authorization": f"Bearer {token}"} if token else {}
                    response = await client.get(path, headers=headers)
                    response.raise_for_status()
                    hits += response.headers.get("x-cache") == "HIT"

            await asyncio.gather(*(worker() for _ in range(concurrency)))
        return hits / max(len(gets), 1)

    share = 0.0
    for _ in range(passes):
        share = asyncio.run(one_pass())
        if share >= 0.99:
            break
    return share
