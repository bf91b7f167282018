"""`python -m bench.api.instructions`: instructions per request, counted by callgrind.

On a VM whose speed drifts ±40% between minutes, CPU time cannot tell a 5% change from
the neighbours; an instruction count can (the same run twice gives the same count). This
drives the ASGI app in-process as `bench.api.inproc` does and re-runs itself under
`valgrind --tool=callgrind`, collecting only the counted requests of each scenario (they
run inside `functools.reduce`, which callgrind toggles collection on and dumps after).
The kernel's work (system calls: a database round trip's socket reads and writes) is not
counted; read the figures as ratios to `/healthz` and between commits.

    .venv/bin/python -m bench.api.instructions --requests 100
    PYTHONPATH=/tmp/before/src:. .venv/bin/python -m bench.api.instructions --label before
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import uvloop

from bench.api import inproc, scenarios
from bench.api.__main__ import OUT, prepare

INSIDE = "PRACTIKA_BENCH_UNDER_CALLGRIND"
WARM_UP = 60


def _measured(args: argparse.Namespace) -> None:
    """Under callgrind: warm each scenario up, then run its counted requests in `reduce`."""
    from practika.app import create_app

    url, data = prepare(args.size, args.database)
    misses = {"read_cache_mb": 128} if args.cache == "misses" else {}
    app = create_app(inproc.settings_for(url, misses))
    loop = uvloop.new_event_loop()
    asyncio.set_event_loop(loop)
    lifespan = app.router.lifespan_context(app)
    loop.run_until_complete(lifespan.__aenter__())
    unique = args.cache == "misses"
    for name in args.scenarios.split(","):
        lines = [line.split("\t") for line in scenarios.lines(name, data)]

        async def run(start: int, count: int, lines: list[list[str]] = lines) -> int:
            errors = 0
            for n in range(start, start + count):
                line = lines[n % len(lines)]
                errors += (
                    await inproc._call(app, *(inproc._unique(line, n) if unique else line)) >= 400
                )
            return errors

        loop.run_until_complete(run(0, WARM_UP))
        counted = functools.reduce(
            lambda _a, _b: loop.run_until_complete(run(WARM_UP, args.requests)), [0, 1]
        )
        print(f"{name}: {counted} errors", file=sys.stderr, flush=True)
    loop.run_until_complete(lifespan.__aexit__(None, None, None))


def _counts(folder: Path, names: list[str], requests: int) -> dict[str, float]:
    """Each scenario's dump: the last len(names) parts (reduce also runs during imports)."""
    parts: list[tuple[int, int]] = []
    for dump in folder.glob("out.*"):
        head = dump.read_text()[:4000]
        part = re.search(r"^part: (\d+)", head, re.M)
        total = re.search(r"^summary: (\d+)", head, re.M)
        if part and total:
            parts.append((int(part.group(1)), int(total.group(1))))
    ours = sorted(parts)[-len(names) :]
    return {name: total / requests / 1e6 for name, (_, total) in zip(names, ours, strict=True)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenarios", default=inproc.DEFAULT_SCENARIOS)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--size", default="small")
    parser.add_argument("--database", default="practika_instructions")
    parser.add_argument(
        "--cache",
        choices=("off", "misses"),
        default="off",
        help="misses: the read cache on, every URL asked once (a read right after a write)",
    )
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    if os.environ.get(INSIDE):
        _measured(args)
        return
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "inproc").mkdir(exist_ok=True)
    names = args.scenarios.split(",")
    with tempfile.TemporaryDirectory() as folder:
        command = [
            "valgrind",
            "--tool=callgrind",
            "--quiet",
            "--collect-atstart=no",
            "--toggle-collect=functools_reduce",
            "--dump-after=functools_reduce",
            f"--callgrind-out-file={folder}/out",
            sys.executable,
            "-m",
            "bench.api.instructions",
            *sys.argv[1:],
        ]
        environment = os.environ | {INSIDE: "1", "PYTHONHASHSEED": "0"}
        subprocess.run(command, check=True, env=environment, stdout=subprocess.DEVNULL)
        counts: dict[str, Any] = _counts(Path(folder), names, args.requests)
    ceiling = counts.get("healthz")
    for name, millions in counts.items():
        share = f"  healthz/this {ceiling / millions:5.0%}" if ceiling else ""
        print(
            f"{args.label} {args.size} {args.cache:6} {name:16} {millions:7.3f} M instr./request"
            + share
        )


if __name__ == "__main__":
    main()
