"""Metrics in CloudWatch EMF shape, and logs that never carry secrets."""

from __future__ import annotations

import io
import json

from practika.observability.logging import _redact
from practika.observability.metrics import Metrics


def test_emf_document_aggregates_values_per_metric_and_dimensions() -> None:
    out = io.StringIO()
    m = Metrics(service="api", out=out, clock=lambda: 1700000000.0)
    m.timing("RequestLatency", 12.0, Route="/api/v1/threads", Method="GET")
    m.timing("RequestLatency", 12.0, Route="/api/v1/threads", Method="GET")
    m.timing("RequestLatency", 30.5, Route="/api/v1/threads", Method="GET")
    m.count("VideoProcessingFailed")
    assert m.flush() == 2
    docs = [json.loads(line) for line in out.getvalue().splitlines()]
    latency = next(d for d in docs if "RequestLatency" in d)
    directive = latency["_aws"]["CloudWatchMetrics"][0]
    assert directive["Namespace"] == "Practika"
    assert directive["Dimensions"] == [["Service", "Method", "Route"]]
    assert directive["Metrics"] == [{"Name": "RequestLatency", "Unit": "Milliseconds"}]
    assert latency["_aws"]["Timestamp"] == 1700000000000
    assert latency["RequestLatency"] == [12.0, 12.0, 30.5]  # EMF: a number or numbers
    assert latency["Route"] == "/api/v1/threads" and latency["Service"] == "api"
    failed = next(d for d in docs if "VideoProcessingFailed" in d)
    assert failed["_aws"]["CloudWatchMetrics"][0]["Dimensions"] == [["Service"]]
    assert m.flush() == 0  # flushed values are not sent twice


def test_secret_looking_fields_are_redacted() -> None:
    event = _redact(
        None,
        "info",
        {"event": "x", "password": "p", "Authorization": "Bearer t", "token": "t", "user_id": "u"},
    )
    assert event == {
        "event": "x",
        "password": "[redacted]",
        "Authorization": "[redacted]",
        "token": "[redacted]",
        "user_id": "u",
    }
