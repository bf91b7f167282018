"""Every EMF document the service writes, checked against CloudWatch's Embedded Metric
Format specification (the rules CloudWatch applies before it extracts a metric)."""

from __future__ import annotations

import io
import json
from typing import Any

from practika.observability.metrics import Metrics

UNITS = {
    "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes",
    "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits",
    "Percent", "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second",
    "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second",
    "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None",
}  # fmt: skip


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def emf_problems(doc: dict[str, Any]) -> list[str]:
    """What the specification forbids in one document (empty: CloudWatch extracts it)."""
    problems = []
    aws = doc.get("_aws")
    if not isinstance(aws, dict):
        return ["no _aws object"]
    if not isinstance(aws.get("Timestamp"), int) or aws["Timestamp"] <= 0:
        problems.append("_aws.Timestamp must be epoch milliseconds")
    directives = aws.get("CloudWatchMetrics")
    if not isinstance(directives, list) or not directives:
        return [*problems, "_aws.CloudWatchMetrics must be a non-empty array"]
    for directive in directives:
        namespace = directive.get("Namespace")
        if not isinstance(namespace, str) or not 1 <= len(namespace) <= 1024:
            problems.append("Namespace must be a string of 1-1024 characters")
        for dimension_set in directive.get("Dimensions", []):
            if not isinstance(dimension_set, list) or len(dimension_set) > 30:
                problems.append("a dimension set is an array of at most 30 names")
                continue
            for name in dimension_set:
                if not isinstance(doc.get(name), str) or not doc[name]:
                    problems.append(f"dimension {name} must be a non-empty string member")
        metrics = directive.get("Metrics")
        if not isinstance(metrics, list) or not 1 <= len(metrics) <= 100:
            problems.append("Metrics must hold 1-100 definitions")
            continue
        for metric in metrics:
            name = metric.get("Name")
            if not isinstance(name, str) or not 1 <= len(name) <= 1024:
                problems.append("a metric needs a Name of 1-1024 characters")
                continue
            if "Unit" in metric and metric["Unit"] not in UNITS:
                problems.append(f"{name}: unit {metric['Unit']!r} is not a CloudWatch unit")
            value = doc.get(name)
            if _number(value):
                continue
            if (
                isinstance(value, list)
                and 1 <= len(value) <= 100
                and all(_number(v) for v in value)
            ):
                continue
            problems.append(f"{name}: the value must be a number or an array of 1-100 numbers")
    return problems


def test_the_checker_refuses_what_cloudwatch_refuses() -> None:
    good = {
        "_aws": {
            "Timestamp": 1,
            "CloudWatchMetrics": [
                {"Namespace": "N", "Dimensions": [["Service"]], "Metrics": [{"Name": "M"}]}
            ],
        },
        "Service": "api",
        "M": 1,
    }
    assert emf_problems(good) == []
    assert emf_problems({**good, "M": {"Values": [1], "Counts": [1]}})
    assert emf_problems({**good, "M": list(range(101))})
    assert emf_problems({**good, "Service": 3})


def test_every_document_the_service_emits_follows_the_specification() -> None:
    """Each metric of the catalogue (observability/metrics.py) as the service records it,
    busy enough to need several documents."""
    out = io.StringIO()
    m = Metrics(service="worker", out=out, clock=lambda: 1_700_000_000.0)
    for i in range(250):
        m.count("Requests", Route="/api/v1/threads", StatusClass="2xx")
        m.timing("RequestLatency", 3.0 + i % 40, Route="/api/v1/threads", Method="GET")
    for name in ("UploadsStarted", "UploadsCompleted"):
        m.count(name)
    m.count("UploadedBytes", 5_000_000)
    m.timing("VideoProcessingTime", 1234.5, Outcome="ready")
    m.count("VideosFailed", Reason="gave_up")
    m.count("JobFailures", Kind="process")
    m.count("JobsGivenUp", Kind="process")
    m.gauge("JobQueueDepth", 4)
    m.gauge("JobQueueOldestSeconds", 12.5)
    m.flush()
    docs = [json.loads(line) for line in out.getvalue().splitlines()]
    for doc in docs:
        assert emf_problems(doc) == [], doc
    requests = [d for d in docs if "Requests" in d]
    assert [d["Requests"] for d in requests] == [250]  # a count is its sum
    latency = [d["RequestLatency"] for d in docs if "RequestLatency" in d]
    assert [len(chunk) for chunk in latency] == [100, 100, 50]  # 100 values a document
    assert sorted(v for chunk in latency for v in chunk) == sorted(3.0 + i % 40 for i in range(250))
