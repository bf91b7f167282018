"""`python -m bench.api`: generate the datasets, serve them, load them with wrk, report.

For each dataset size (small, then full: 10x the rows, same per-user shape) and each
worker count (1, then the production count = CPUs), every scenario is run at peak
(closed loop, N connections) and then paced at half of that peak for the p99 target
(random think times between a connection's requests: arrivals like independent clients).
The reads run twice: from a primed read cache (each question asked once before) and
with the cache off (every request computed from the database).
Results go to stdout as a Markdown table and to var/bench/api-results.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
from argon2 import PasswordHasher

from bench.api import load, scenarios
from bench.api.dataset import PASSWORD, SIZES, generate
from bench.api.server import Server, migrate

PG = os.environ.get("PRACTIKA_BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
OUT = Path("var/bench")


def machine() -> dict[str, str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kib = int(Path("/proc/meminfo").read_text().split()[1])
    pg = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "ram_gib": f"{mem_kib / 1024 / 1024:.1f}",
        "python": platform.python_version(),
        "postgres_client": pg,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


async def fresh_database(name: str) -> str:
    conn = await asyncpg.connect(f"{PG}/postgres")
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return f"{PG}/{name}"


def prepare(size_name: str, database: str | None = None) -> tuple[str, object]:
    size = SIZES[size_name]
    dsn = asyncio.run(fresh_database(database or f"practika_bench_{size_name}"))
    url = dsn.replace("postgresql://", "postgresql+asyncpg://")
    migrate(url, OUT)
    started = time.monotonic()
    # One real production-cost argon2id hash for everyone, so sign-in costs what it will.
    data = asyncio.run(generate(dsn, size, password_hash=PasswordHasher().hash(PASSWORD)))
    print(f"dataset {size_name}: {size.comments:,} comments in {time.monotonic() - started:.0f}s")
    return url, data


def measure(server: Server, name: str, file: Path, args, cache: str) -> dict:  # type: ignore[no-untyped-def]
    """Peak (closed loop), then paced at half of that peak for the p99 target."""
    cpu_before = server.cpu_seconds()
    peak = load.run(server.url, file, seconds=args.seconds, connections=args.connections)
    cpu_ms = 1000 * (server.cpu_seconds() - cpu_before) / max(peak.requests, 1)
    # Half of peak: each connection thinks between requests so the total rate halves.
    delay = load.paced_delay(server.url, file, peak.rps / 2, args.connections, probe_seconds=5)
    half = load.run(
        server.url, file, seconds=args.seconds, connections=args.connections, delay_ms=delay
    )
    print(
        f"  {server.workers}w {name:16} {cache:4} {peak.rps:8.0f} req/s  {cpu_ms:5.2f} CPU ms"
        f"  p50 {peak.p50_ms:6.1f} ms  p99 {peak.p99_ms:6.1f} ms  errors {peak.errors}"
        f"  | at {half.rps:6.0f} req/s p99 {half.p99_ms:6.1f} ms",
        flush=True,
    )
    return {
        "scenario": name,
        "cache": cache,
        "peak": peak.__dict__ | {"rps": peak.rps},
        "half": half.__dict__ | {"rps": half.rps},
        "cpu_ms_per_request": cpu_ms,
    }


def bench_server(url: str, data, workers: int, args) -> list[dict]:  # type: ignore[no-untyped-def]
    """Every scenario with the read cache on (reads primed: the steady state of a cache
    that has seen each question once), then the reads again with it off (every request
    computed), so both paths are measured against the same ceiling."""
    files = {name: scenarios.write(name, data, OUT) for name in scenarios.SCENARIOS}
    rows: list[dict] = []
    for read_cache in (True, False):
        server = Server(url, workers, args.port, OUT, read_cache=read_cache).start()
        try:
            names = list(scenarios.SCENARIOS) if read_cache else list(scenarios.READS)
            for name in names:  # warm every code path and the pools
                load.run(server.url, files[name], seconds=2, connections=args.connections)
            for name in names:
                cache = "—"
                if name in scenarios.READS:
                    cache = "warm" if read_cache else "off"
                    if read_cache:
                        hit_share = load.prime(server.url, files[name])
                        print(f"  primed {name}: {hit_share:.0%} of a pass from the cache")
                rows.append(measure(server, name, files[name], args, cache))
        finally:
            server.stop()
    ceiling = next(r for r in rows if r["scenario"] == "healthz")
    for r in rows:
        r |= {"size": data.size, "workers": workers}
        r["of_ceiling"] = r["peak"]["rps"] / ceiling["peak"]["rps"]
        r["cpu_vs_ceiling"] = r["cpu_ms_per_request"] / ceiling["cpu_ms_per_request"]
    return rows


def table(rows: list[dict]) -> str:
    out = [
        "| size | workers | endpoint | read cache | req/s | p50 ms | p99 ms | of ceiling"
        " | app CPU ms/req | errors | at ½ peak: req/s | p99 ms |",
        "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        p, h = r["peak"], r["half"]
        out.append(
            f"| {r['size']} | {r['workers']} | {r['scenario']} | {r['cache']} | {p['rps']:.0f}"
            f" | {p['p50_ms']:.1f} |"
            f" {p['p99_ms']:.1f} | {r['of_ceiling']:.0%} | {r['cpu_ms_per_request']:.2f} |"
            f" {p['errors'] + h['errors']} |"
            f" {h['rps']:.0f} | {h['p99_ms']:.1f} |"
        )
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="small,full")
    parser.add_argument("--workers", default=f"1,{os.cpu_count()}")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=8890)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    load.ensure_wrk()
    info = machine()
    print(json.dumps(info))
    rows: list[dict] = []
    for size in args.sizes.split(","):
        url, data = prepare(size)
        for workers in [int(w) for w in args.workers.split(",")]:
            rows += bench_server(url, data, workers, args)
    result = {"machine": info, "args": vars(args), "rows": rows}
    (OUT / "api-results.json").write_text(json.dumps(result, indent=2))
    print(table(rows))


if __name__ == "__main__":
    main()
