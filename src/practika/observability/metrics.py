"""Application metrics in CloudWatch Embedded Metric Format (EMF).

Values are aggregated in memory and flushed per metric and dimension set, so a busy
task writes a few log lines a minute rather than one per request. The EMF
specification takes a metric's value as a number or an array of at most 100 numbers
(not PutMetricData's Values/Counts, which CloudWatch would not extract): a count is
flushed as its sum, a timing or gauge as its samples, 100 to a document. CloudWatch
turns the documents in the task's log stream into metrics in the `Practika` namespace.
That is AWS mode's form; on a laptop a flush is one line for a person (`summary`), and
`PRACTIKA_METRICS_FORMAT=off` drops what was recorded.

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
from typing import Any, Literal, TextIO

NAMESPACE = "Practika"
MAX_VALUES = 100  # per metric per document (EMF specification)
Dimensions = tuple[tuple[str, str], ...]
Recorded = dict[tuple[str, str, Dimensions], Counter[float]]
Format = Literal["emf", "summary", "off"]


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

    def take(self) -> Recorded:
        """What was recorded since the last flush, which it no longer holds."""
        with self._lock:
            values, self._values = self._values, defaultdict(Counter)
        return values

    def documents(self) -> list[dict[str, Any]]:
        """Take what was recorded since the last flush, as EMF documents."""
        values = self.take()
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

    def summary(self) -> str | None:
        """Take what was recorded since the last flush, as one line for a person (None if
        nothing happened): each count's total, each timing's and gauge's median and maximum."""
        totals: dict[str, float] = defaultdict(float)
        samples: dict[str, list[float]] = defaultdict(list)
        units: dict[str, str] = {}
        for (name, unit, _dims), counter in self.take().items():
            units[name] = unit
            if unit == "Count":
                totals[name] += sum(v * n for v, n in counter.items())
            else:
                samples[name].extend(v for v, n in counter.items() for _ in range(n))
        if set(units.values()) <= {"None"}:
            return None  # gauges alone (the queue's depth, sampled) are no activity
        parts = []
        for name in sorted(units):
            if name in totals:
                parts.append(f"{name} {totals[name]:g}")
            else:
                values = sorted(samples[name])
                suffix = " ms" if units[name] == "Milliseconds" else ""
                median, most = values[len(values) // 2], values[-1]
                parts.append(f"{name} median {median:g}{suffix}, max {most:g}{suffix}")
        return f"metrics ({self.service}): " + "; ".join(parts)

    def emit(self, form: Format) -> None:
        """One flush in the given form; `off` only forgets what was recorded."""
        if form == "emf":
            self.flush()
        elif form == "off":
            self.take()
        elif (line := self.summary()) is not None:
            out = self._out or sys.stdout
            out.write(line + "\n")
            out.flush()


metrics = Metrics()


class PeriodicFlusher:
    """Flushes the metrics every `interval` seconds from a daemon thread, and at stop."""

    def __init__(self, registry: Metrics, interval: float = 60.0, form: Format = "emf") -> None:
        self.registry = registry
        self.interval = interval
        self.form = form
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="metrics-flush", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.registry.emit(self.form)

    def stop(self) -> None:
        self._stop.set()
        self.registry.emit(self.form)
