"""Application metrics in CloudWatch Embedded Metric Format (EMF).

Values are aggregated in memory and flushed per metric and dimension set, so a busy
task writes a few log lines a minute rather than one per request. The EMF
specification takes a metric's value as a number or an array of at most 100 numbers
(not PutMetricData's Values/Counts, which CloudWatch would not extract): a count is
flushed as its sum, a timing or gauge as its samples, 100 to a document. CloudWatch
turns the documents in the task's log stream into metrics in the `Practika` namespace.

What is recorded (the alarms and the dashboard in infra/ read these names):

| metric | unit | dimensions | where |
| --- | --- | --- | --- |
| Requests | Count | Service, Route, StatusClass | every HTTP request |
| RequestLatency | Milliseconds | Service, Route, Method | every HTTP request |
| RequestsCancelled | Count | Service, Route, Reason | a request cut by the drain |
| UploadsStarted, UploadsCompleted | Count | Service | upload start / complete |
| UploadedBytes | Count | Service | bytes of completed uploads |
| VideoProcessingTime | Milliseconds | Service, Outcome (ready, rejected) | worker |
| VideosFailed | Count | Service, Reason (rejected, gave_up) | worker |
| JobFailures, JobsGivenUp | Count | Service, Kind | worker |
| JobQueueDepth, JobQueueOldestSeconds | None | Service | worker, every 30 s |
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any, TextIO

NAMESPACE = "Practika"
MAX_VALUES = 100  # per metric per document (EMF specification)
Dimensions = tuple[tuple[str, str], ...]


class Metrics:
    def __init__(
        self,
        service: str = "api",
        out: TextIO | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.service = service
        self._out = out
        self._clock = clock
        self._lock = threading.Lock()
        self._values: dict[tuple[str, str, Dimensions], Counter[float]] = defaultdict(Counter)

    def _record(self, name: str, value: float, unit: str, dims: dict[str, str]) -> None:
        key = (name, unit, tuple(sorted(dims.items())))
        with self._lock:
            self._values[key][round(value, 3)] += 1

    def count(self, name: str, value: float = 1, **dims: str) -> None:
        self._record(name, value, "Count", dims)

    def timing(self, name: str, milliseconds: float, **dims: str) -> None:
        self._record(name, milliseconds, "Milliseconds", dims)

    def gauge(self, name: str, value: float, **dims: str) -> None:
        self._record(name, value, "None", dims)

    def documents(self) -> list[dict[str, Any]]:
        """Take what was recorded since the last flush, as EMF documents."""
        with self._lock:
            values, self._values = self._values, defaultdict(Counter)
        now_ms = int(self._clock() * 1000)
        docs = []
        for (name, unit, dims), counter in values.items():
            dim_names = ["Service", *(k for k, _ in dims)]
            if unit == "Count":
                chunks: list[float | list[float]] = [
                    round(sum(v * n for v, n in counter.items()), 3)
                ]
            else:
                samples = [v for v, n in sorted(counter.items()) for _ in range(n)]
                chunks = [samples[i : i + MAX_VALUES] for i in range(0, len(samples), MAX_VALUES)]
            for chunk in chunks:
                docs.append(
                    {
                        "_aws": {
                            "Timestamp": now_ms,
                            "CloudWatchMetrics": [
                                {
                                    "Namespace": NAMESPACE,
                                    "Dimensions": [dim_names],
                                    "Metrics": [{"Name": name, "Unit": unit}],
                                }
                            ],
                        },
                        "Service": self.service,
                        **dict(dims),
                        name: chunk,
                    }
                )
        return docs

    def flush(self) -> int:
        docs = self.documents()
        out = self._out or sys.stdout
        for doc in docs:
            out.write(json.dumps(doc, separators=(",", ":")) + "\n")
        out.flush()
        return len(docs)


metrics = Metrics()


class PeriodicFlusher:
    """Flushes the metrics every `interval` seconds from a daemon thread, and at stop."""

    def __init__(self, registry: Metrics, interval: float = 60.0) -> None:
        self.registry = registry
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="metrics-flush", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.registry.flush()

    def stop(self) -> None:
        self._stop.set()
        self.registry.flush()
