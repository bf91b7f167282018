"""`python -m bench.api.profile`: where one uncached read spends the server's CPU.

Loads the small dataset, serves it with the read cache off (1 worker), and for each
scenario asked runs wrk at peak while py-spy samples the server process. Prints, per
scenario, the app CPU per request, its ratio to `/healthz` measured in the same run,
and the share of samples whose innermost frame is in each package (self time: what
SQLAlchemy, asyncpg, FastAPI, pydantic or Practika's own code cost, not what they call).
"""

from __future__ import annotations

import argparse
import collections
import re
import subprocess
import sys
from pathlib import Path

from bench.api import load, scenarios
from bench.api.__main__ import OUT, machine, prepare
from bench.api.server import Server

# The package a frame belongs to, from its file: site-packages/<pkg>/..., practika, stdlib.
_SITE = re.compile(r"site-packages/([A-Za-z0-9_]+)")
# (py-spy usually gives paths relative to sys.path: "sqlalchemy/orm/session.py")
GROUPS = {
    "sqlalchemy": "SQLAlchemy",
    "asyncpg": "asyncpg",
    "fastapi": "FastAPI",
    "starlette": "Starlette",
    "pydantic": "pydantic",
    "pydantic_core": "pydantic",
    "uvicorn": "uvicorn",
    "httptools": "uvicorn",
    "uvloop": "uvicorn",
    "structlog": "logging/metrics/tracing",
    "opentelemetry": "logging/metrics/tracing",
    "prometheus_client": "logging/metrics/tracing",
    "practika": "Practika",
}


def package(frame: str) -> str:
    """py-spy names a frame `function (path:line)`, the path relative to sys.path."""
    path = frame.rpartition("(")[2]
    found = _SITE.search(path)
    top = found.group(1) if found else path.split("/", 1)[0].split(".", 1)[0]
    if top in GROUPS:
        return GROUPS[top]
    if top in ("asyncio", "logging"):
        return f"{top} (stdlib)"
    return "other (stdlib, interpreter)"


def summarize(raw: Path) -> tuple[int, list[tuple[str, float]]]:
    """(samples, [(package, share of samples)]) by the innermost frame of each sample."""
    counts: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, n = line.rpartition(" ")
        if not stack or not n.isdigit():
            continue
        leaf = stack.rsplit(";", 1)[-1]
        counts[package(leaf)] += int(n)
        total += int(n)
    return total, [(name, count / max(total, 1)) for name, count in counts.most_common()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenarios", default="healthz,thread_list,comments_page")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=8890)
    parser.add_argument("--database", default="practika_profile")
    parser.add_argument("--start-timeout", type=float, default=300, help="a busy machine is slow")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    print(machine())
    url, data = prepare("small", args.database)
    names = args.scenarios.split(",")
    if "healthz" not in names:
        names.insert(0, "healthz")
    files = {name: scenarios.write(name, data, OUT) for name in names}
    server = Server(url, 1, args.port, OUT, read_cache=False)
    try:
        server.start(timeout=args.start_timeout)
        pid = server.pids()[-1]  # the worker (the only process with 1 worker)
        cpu: dict[str, float] = {}
        for name in names:
            load.run(server.url, files[name], seconds=2, connections=args.connections)
        for name in names:
            raw = OUT / f"profile-{name}.txt"
            spy = subprocess.Popen(
                [
                    str(Path(sys.executable).with_name("py-spy")),
                    "record",
                    "--nonblocking",
                    "--rate",
                    "200",
                    "--format",
                    "raw",
                    "--duration",
                    str(args.seconds),
                    "-o",
                    str(raw),
                    "-p",
                    str(pid),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            before = server.cpu_seconds()
            result = load.run(
                server.url, files[name], seconds=args.seconds, connections=args.connections
            )
            cpu[name] = 1000 * (server.cpu_seconds() - before) / max(result.requests, 1)
            spy.wait()
            total, shares = summarize(raw)
            ratio = cpu["healthz"] / cpu[name] if cpu[name] else 0
            print(
                f"\n{name}: {result.rps:.0f} req/s, {cpu[name]:.2f} ms app CPU/request"
                f" (healthz {cpu['healthz']:.2f} ms: {ratio:.0%} of the ceiling),"
                f" errors {result.errors}, {total} samples"
            )
            for group, share in shares:
                print(f"  {share:6.1%}  {group}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
