"""`python -m bench.api.signin_burst`: /healthz latency during a burst of sign-ins.

100 learners (the small dataset, production-cost argon2id hashes) sign in at once, each
on its own connection, against one `practika serve` worker; meanwhile one client asks
`/healthz` back to back. Reported: the health probe's p50/p99/max while the burst
lasts, and how the sign-ins were answered (200, or 503 `overloaded` when shed). The ECS
health check allows 3 s. Results go to stdout and var/bench/signin-burst.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections import Counter

import httpx

from bench.api.__main__ import OUT, machine, prepare
from bench.api.dataset import PASSWORD
from bench.api.server import Server


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def burst(url: str, emails: list[str]) -> dict[str, object]:
    done = asyncio.Event()
    health_ms: list[float] = []

    async def probe() -> None:
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            while not done.is_set():
                started = time.perf_counter()
                r = await client.get("/healthz")
                assert r.status_code == 200, r.text
                health_ms.append(1000 * (time.perf_counter() - started))

    # One client (a client per sign-in would stall this process building SSL contexts)
    # with a connection per concurrent sign-in, as separate people would arrive.
    limits = httpx.Limits(max_connections=len(emails), max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as client:

        async def sign_in(email: str) -> int:
            r = await client.post(
                "/api/v1/auth/signin", json={"email": email, "password": PASSWORD}
            )
            return r.status_code

        prober = asyncio.create_task(probe())
        started = time.perf_counter()
        statuses = await asyncio.gather(*(sign_in(e) for e in emails))
        elapsed = time.perf_counter() - started
    done.set()
    await prober
    return {
        "sign_ins": len(emails),
        "statuses": dict(Counter(statuses)),
        "burst_s": round(elapsed, 2),
        "healthz_samples": len(health_ms),
        "healthz_p50_ms": round(_percentile(health_ms, 0.50), 1),
        "healthz_p99_ms": round(_percentile(health_ms, 0.99), 1),
        "healthz_max_ms": round(max(health_ms), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sign-ins", type=int, default=100)
    parser.add_argument("--port", type=int, default=8891)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    info = machine()
    url, data = prepare("small", "practika_bench_signin")
    emails = [p["email"] for p in data.learners][: args.sign_ins]  # type: ignore[attr-defined]
    server = Server(url, 1, args.port, OUT).start()
    try:
        result = asyncio.run(burst(server.url, emails))
    finally:
        server.stop()
    (OUT / "signin-burst.json").write_text(json.dumps({"machine": info} | result, indent=2))
    print(json.dumps(info))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
