"""A `practika serve` process for benchmarking: production settings, quiet logs."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx


@dataclass
class Server:
    database_url: str
    workers: int
    port: int
    data_dir: Path
    read_cache: bool = True
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        clean = {k: v for k, v in os.environ.items() if not k.startswith("PRACTIKA_")}
        return {
            **clean,
            "PRACTIKA_DATABASE_URL": self.database_url,
            "PRACTIKA_PORT": str(self.port),
            "PRACTIKA_SERVER_WORKERS": str(self.workers),
            "PRACTIKA_DATA_DIR": str(self.data_dir),
            "PRACTIKA_WEB_DIST": str(self.data_dir / "no-web"),
            "PRACTIKA_SESSION_SECRET": "bench-secret-" + "x" * 32,
            "PRACTIKA_LOG_LEVEL": "WARNING",
            "PRACTIKA_RUN_WORKER": "false",
            "PRACTIKA_MIGRATE_ON_START": "false",
            "PRACTIKA_READ_CACHE_MB": "128" if self.read_cache else "0",
            # Benchmarks sign in thousands of times from one address on purpose.
            "PRACTIKA_SIGNIN_MAX_FAILURES_PER_IP": "1000000",
        }

    def start(self, timeout: float = 60) -> Server:
        log = (self.data_dir / f"server-{self.workers}w.log").open("ab")
        log.write(f"--- start, read cache {'on' if self.read_cache else 'off'}\n".encode())
        log.flush()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "practika.cli", "serve"], env=self.env(), stdout=log, stderr=log
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited; see {log.name}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("server did not become ready")

    def pids(self) -> list[int]:
        """The server's processes (the uvicorn supervisor and its workers)."""
        assert self.process is not None
        out = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout
        return [self.process.pid, *(int(p) for p in out.split())]

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by the server's processes.

        Steadier than throughput on a shared machine: it counts the app's own work,
        not the time it waited for a core.
        """
        tick = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in self.pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except FileNotFoundError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / tick

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=60)


def migrate(database_url: str, data_dir: Path) -> None:
    env = Server(database_url, 1, 8000, data_dir).env()
    subprocess.run([sys.executable, "-m", "practika.cli", "migrate"], env=env, check=True)
