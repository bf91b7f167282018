"""Start-up as a list of named components: started in order, stopped in reverse, and a
failure, at start or at stop, reported with the component's name."""

from __future__ import annotations

from pathlib import Path

import pytest

from practika.config import Settings
from practika.startup import Component, ShutdownFailed, StartupFailed, components, running


def recording(log: list[str], name: str, *, fail_start: bool = False, fail_stop: bool = False):
    async def start() -> None:
        if fail_start:
            raise OSError("port in use")
        log.append(f"start {name}")

    async def stop() -> None:
        log.append(f"stop {name}")
        if fail_stop:
            raise RuntimeError("stuck")

    return Component(name, start, stop)


async def test_components_start_in_order_and_stop_in_reverse() -> None:
    log: list[str] = []
    async with running([recording(log, n) for n in ("database", "metrics", "sweeper")]):
        log.append("serving")
    assert log == [
        "start database",
        "start metrics",
        "start sweeper",
        "serving",
        "stop sweeper",
        "stop metrics",
        "stop database",
    ]


async def test_a_failing_start_stops_the_ones_already_started_and_names_itself() -> None:
    log: list[str] = []
    parts = [
        recording(log, "database"),
        recording(log, "metrics"),
        recording(log, "listener", fail_start=True),
        recording(log, "sweeper"),
    ]
    with pytest.raises(StartupFailed, match="listener did not start: OSError: port in use") as e:
        async with running(parts):
            log.append("serving")  # never reached
    assert e.value.component == "listener"
    assert log == ["start database", "start metrics", "stop metrics", "stop database"]


async def test_a_failing_stop_is_named_and_the_others_still_stop() -> None:
    log: list[str] = []
    parts = [recording(log, "database"), recording(log, "worker", fail_stop=True)]
    with pytest.raises(ShutdownFailed, match="worker: RuntimeError: stuck") as e:
        async with running(parts):
            pass
    assert e.value.components == ["worker"]
    assert log == ["start database", "start worker", "stop worker", "stop database"]


def test_the_embedded_default_starts_the_database_first_and_runs_the_worker_in_process(
    tmp_path: Path,
) -> None:
    settings = Settings(data_dir=tmp_path, run_worker=True)
    names = [c.name for c in components(object(), settings)]
    assert names == [
        "database",
        "tracing",
        "metrics",
        "media worker",
        "frozen heap",
        "idempotency sweeper",
    ]


def test_on_postgresql_the_read_cache_listener_starts_after_the_heap_is_frozen(
    tmp_path: Path,
) -> None:
    settings = Settings(
        data_dir=tmp_path, database_url="postgresql+asyncpg://h/db", run_worker=False
    )
    names = [c.name for c in components(object(), settings)]
    assert names == [
        "database",
        "tracing",
        "metrics",
        "frozen heap",
        "read-cache listener",
        "idempotency sweeper",
    ]
