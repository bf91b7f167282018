"""Settings derived from the environment: server processes and log level."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from practika.config import Settings, available_cpus


@pytest.mark.parametrize(
    ("cpu_max", "expected"),
    [
        ("50000 100000", 1),  # half a vCPU still gets one process
        ("100000 100000", 1),
        ("200000 100000", 2),
        ("max 100000", None),  # no quota: every CPU it may run on
        ("garbage", None),
    ],
)
def test_server_processes_follow_the_containers_cpu_quota(
    tmp_path: Path, cpu_max: str, expected: int | None
) -> None:
    path = tmp_path / "cpu.max"
    path.write_text(cpu_max + "\n")
    schedulable = len(os.sched_getaffinity(0))
    assert available_cpus(path) == (schedulable if expected is None else min(expected, schedulable))


def test_without_a_cgroup_file_the_schedulable_cpus_count(tmp_path: Path) -> None:
    assert available_cpus(tmp_path / "missing") == len(os.sched_getaffinity(0))


def test_one_process_on_a_laptop_one_per_cpu_in_aws_mode_unless_set() -> None:
    assert Settings().workers == 1
    aws = Settings(storage_backend="s3", s3_videos_bucket="v", aws_region="eu-west-1")
    assert aws.workers == available_cpus()
    assert Settings(server_workers=3).workers == 3


def test_log_level_is_one_python_knows() -> None:
    assert Settings(log_level="debug").log_level == "DEBUG"
    with pytest.raises(ValidationError, match="log_level"):
        Settings(log_level="verbose")


def test_every_setting_is_documented() -> None:
    """docs/configuration.md (and media.md for the pipeline) name every PRACTIKA_* variable."""
    docs = "".join(
        (Path(__file__).parents[2] / "docs" / name).read_text()
        for name in ("configuration.md", "media.md")
    )
    missing = [
        f"PRACTIKA_{name.upper()}"
        for name in Settings.model_fields
        if f"PRACTIKA_{name.upper()}" not in docs
    ]
    assert missing == []
