"""`python -m bench.soak`: a mixed workload at a fixed rate against a live server on
PostgreSQL for >= 10 minutes; passes only with zero errors, flat memory and no growth
in database connections. Prints the samples and a verdict; exits 1 on failure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import threading
import time
from pathlib import Path

import asyncpg

from bench.api import load, scenarios
from bench.api.__main__ import OUT, PG, machine, prepare
from bench.api.dataset import Dataset
from bench.api.server import Server

# Share of requests per scenario in the mix (sums to 100).
MIX = {
    "comments_page": 30,
    "exercise_search": 20,
    "post_comment": 20,
    "thread_list": 15,
    "progress": 10,
    "healthz": 4,
    "signin": 1,
}


def mixed_requests(data: Dataset, folder: Path) -> Path:
    per = {name: scenarios.lines(name, data) for name in MIX}
    out: list[str] = []
    for n in range(4000 // 100):
        for name, share in MIX.items():
            out += per[name][n * share : (n + 1) * share]
    path = folder / f"{data.size}-soak-mix.tsv"
    path.write_text("\n".join(out) + "\n")
    return path


def rss_mib(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total / 1024


async def db_connections(database: str) -> int:
    conn = await asyncpg.connect(f"{PG}/postgres")
    try:
        return int(
            await conn.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = $1", database
            )
        )
    finally:
        await conn.close()


def verdict(samples: list[dict], errors: int, pool_limit: int) -> list[tuple[str, bool, str]]:
    warm = [s for s in samples if s["t"] >= 60] or samples  # after a minute of warm-up
    quarter = max(len(warm) // 4, 1)
    # Medians, not means: a sample taken during a sign-in holds argon2id's 64 MiB for a
    # moment (freed right after); a leak moves the median, a passing hash does not.
    first = statistics.median(s["rss_mib"] for s in warm[:quarter])
    last = statistics.median(s["rss_mib"] for s in warm[-quarter:])
    growth = last - first
    half = max(len(warm) // 2, 1)
    conns_first = max(s["db_connections"] for s in warm[:half])
    conns_last = max(s["db_connections"] for s in warm[half:] or warm)
    return [
        ("zero errors", errors == 0, f"{errors} errors"),
        (
            "memory flat",
            growth <= max(0.05 * first, 16),
            f"RSS median {first:.1f} MiB -> {last:.1f} MiB ({growth:+.1f} MiB)",
        ),
        (
            "DB connections not growing",
            conns_last <= conns_first and conns_last <= pool_limit,
            f"max {conns_first} in the first half, {conns_last} in the second (limit {pool_limit})",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--rate", type=int, default=100, help="requests per second, in total")
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--sample-seconds", type=float, default=15)
    parser.add_argument("--port", type=int, default=8895)
    parser.add_argument("--database", default="practika_soak")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    load.ensure_wrk()
    url, data = prepare("small", args.database)
    database = url.rsplit("/", 1)[1]
    server = Server(url, args.workers, args.port, OUT).start(timeout=900)
    # pool_size + max_overflow and the read cache's LISTEN connection per worker, + slack
    pool_limit = args.workers * (2 * 10 + 1) + 2
    samples: list[dict] = []
    result: dict = {}
    try:
        mix = mixed_requests(data, OUT)
        seconds = int(args.minutes * 60)
        delay_ms = load.paced_delay(server.url, mix, args.rate, args.connections, probe_seconds=15)
        started = time.monotonic()

        def drive() -> None:
            result["load"] = load.run(
                server.url,
                mix,
                seconds=seconds,
                connections=args.connections,
                delay_ms=delay_ms,
                count_cache=True,
            )

        runner = threading.Thread(target=drive)
        runner.start()
        print(
            f"soak: {args.minutes:g} min at ~{args.rate} req/s, {args.workers} workers", flush=True
        )
        print(f"{'t (s)':>6} {'RSS MiB':>8} {'DB conns':>8}", flush=True)
        while runner.is_alive():
            sample = {
                "t": round(time.monotonic() - started),
                "rss_mib": round(rss_mib(server.pids()), 1),
                "db_connections": asyncio.run(db_connections(database)),
            }
            samples.append(sample)
            print(
                f"{sample['t']:>6} {sample['rss_mib']:>8} {sample['db_connections']:>8}", flush=True
            )
            runner.join(timeout=args.sample_seconds)
    finally:
        server.stop()
    run = result["load"]
    checks = verdict(samples, run.errors, pool_limit)
    print(
        f"\n{run.requests} requests in {run.seconds:.0f} s = {run.rps:.1f} req/s;"
        f" p50 {run.p50_ms:.1f} ms, p99 {run.p99_ms:.1f} ms, max {run.max_ms:.0f} ms"
    )
    cached = run.cache_hits + run.cache_misses
    print(
        f"read cache: {run.cache_hits} of {cached} cacheable reads answered from it"
        f" ({run.cache_hits / max(cached, 1):.0%}); the mix writes a comment in every 5 requests"
    )
    for name, ok, detail in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}")
    passed = all(ok for _, ok, _ in checks)
    print(f"\nverdict: {'PASS' if passed else 'FAIL'}")
    (OUT / "soak-results.json").write_text(
        json.dumps(
            {
                "machine": machine(),
                "args": vars(args),
                "load": run.__dict__ | {"rps": run.rps},
                "samples": samples,
                "checks": checks,
                "passed": passed,
            },
            indent=2,
        )
    )
    raise SystemExit(0 if passed else 1)


if __name__ == "__main__":
    main()
