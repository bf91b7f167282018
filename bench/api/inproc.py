"""`python -m bench.api.inproc`: app CPU per request, in one process, with no network.

On a machine shared with other jobs, wrk's throughput measures the queue for the cores
as much as the app. This drives the ASGI app directly (no sockets, no client library),
one request at a time, and divides this process's CPU time (`time.process_time`) by
the requests: the app's own cost per request, read cache off, against `/healthz` in
the same run. PostgreSQL's CPU is not counted (another process), its latency is not CPU.

`--variants` measures the instrumentation (see VARIANTS; metrics are always on) and, with
`misses`, a read right after a write invalidated it (cache on, each URL asked once).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path
from typing import Any

import uvloop

from bench.api import scenarios
from bench.api.__main__ import OUT, machine, prepare

VARIANTS: dict[str, dict[str, Any]] = {
    "bench": {},  # what `bench.api` serves: log lines filtered at WARNING, no tracing
    "json-logs": {"log_level": "INFO", "log_format": "json"},  # a JSON line per request
    "tracing": {"tracing": True},  # OpenTelemetry spans, exported in batches (nowhere)
    # infra/practika_infra/compute/'s ECS tasks: JSON logs at INFO and tracing on
    "aws": {"log_level": "INFO", "log_format": "json", "tracing": True},
    # The read cache on, every read a miss (each URL asked once): what a read costs right
    # after a write invalidated it, the person's session still cached.
    "misses": {"read_cache_mb": 128},
}
UNIQUE_URLS = {"misses"}
DEFAULT_SCENARIOS = "healthz,exercise_search,thread_list,comments_page,progress,post_comment"


# The server's loop (uvicorn picks uvloop when it is installed, as it is here): a
# database round trip's socket work is C in uvloop and Python in asyncio's own loop.
LOOPS = {"uvloop": uvloop.new_event_loop, "asyncio": asyncio.new_event_loop}


async def _call(app: Any, method: str, path: str, token: str, body: str) -> int:
    raw_path, _, query = path.partition("?")
    headers = [(b"host", b"bench")]
    if token:
        headers.append((b"authorization", f"Bearer {token}".encode()))
    payload = body.encode()
    if payload:
        headers += [(b"content-type", b"application/json")]
        headers += [(b"content-length", str(len(payload)).encode())]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": raw_path,
        "raw_path": raw_path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 80),
        "state": {},
    }
    sent = False
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": payload, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


def _unique(line: list[str], n: int) -> list[str]:
    """The same request under a URL never asked before (the API ignores the parameter)."""
    method, path, *rest = line
    if method != "GET":
        return line
    return [method, f"{path}{'&' if '?' in path else '?'}bench_n={n}", *rest]


async def _measure(
    app: Any, lines: list[list[str]], count: int, unique: bool = False
) -> tuple[float, int]:
    errors = 0

    def line(n: int) -> list[str]:
        chosen = lines[n % len(lines)]
        return _unique(chosen, n) if unique else chosen

    for n in range(min(50, count)):  # warm the pools and the statement caches
        await _call(app, *line(n))
    started = time.process_time()
    for n in range(count):
        status = await _call(app, *line(count + n))
        errors += status >= 400
    return 1000 * (time.process_time() - started) / count, errors


def settings_for(url: str, overrides: dict[str, Any]) -> Any:
    """The app's settings for an in-process run: read cache off unless `overrides` say."""
    from practika.config import Settings

    base: dict[str, Any] = {
        "database_url": url,
        "data_dir": OUT / "inproc",
        "web_dist": OUT / "no-web",
        "session_secret": "bench-secret-" + "x" * 32,
        "log_level": "WARNING",
        "run_worker": False,
        "migrate_on_start": False,
        "read_cache_mb": 0,
        "signin_max_failures_per_ip": 1_000_000,
    }
    return Settings(**(base | overrides))


async def _run(
    url: str, data: Any, names: list[str], count: int, overrides: dict, unique: bool
) -> dict:
    from practika.app import create_app

    app = create_app(settings_for(url, overrides))
    results = {}
    async with app.router.lifespan_context(app):
        for name in names:
            lines = [line.split("\t") for line in scenarios.lines(name, data)]
            results[name] = await _measure(app, lines, count, unique)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenarios", default=DEFAULT_SCENARIOS)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--database", default="practika_inproc")
    parser.add_argument("--size", default="small")
    parser.add_argument("--variants", default="bench")
    parser.add_argument("--label", default="")
    parser.add_argument(
        "--loop",
        choices=("uvloop", "asyncio"),
        default="uvloop",
        help="the event loop: uvloop is what `practika serve` runs on (uvicorn's auto)",
    )
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "inproc").mkdir(exist_ok=True)
    info = machine()
    url, data = prepare(args.size, args.database)
    names = args.scenarios.split(",")
    rows = []
    for variant in args.variants.split(","):
        with asyncio.Runner(loop_factory=LOOPS[args.loop]) as runner:
            work = _run(url, data, names, args.requests, VARIANTS[variant], variant in UNIQUE_URLS)
            results = runner.run(work)
        ceiling = results["healthz"][0]
        for name, (cpu, errors) in results.items():
            rows.append(
                {"variant": variant, "scenario": name, "cpu_ms": cpu, "errors": errors}
                | {"of_ceiling": ceiling / cpu if cpu else 0}
            )
            print(
                f"{args.label} {args.size} {variant:10} {name:16} {cpu:6.2f} ms CPU/request"
                f"  healthz/this {ceiling / cpu:5.0%}  errors {errors}",
                flush=True,
            )
    out = OUT / f"inproc-{args.label or 'run'}-{args.size}.json"
    out.write_text(json.dumps({"machine": info, "args": vars(args), "rows": rows}, indent=2))
    print(Path(out))


if __name__ == "__main__":
    main()
