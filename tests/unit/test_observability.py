"""Metrics in CloudWatch EMF shape, and logs that never carry secrets."""

from __future__ import annotations

import io
import json
import logging

import pytest

from practika.config import Settings
from practika.observability import logging as practika_logging
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


@pytest.fixture
def json_lines(capsys: pytest.CaptureFixture[str]):
    """Log lines as a server configured at `level` writes them, parsed."""

    def configured(level: str) -> list[dict]:
        practika_logging.configure(
            Settings(log_level=level, log_format="json", session_secret="s" * 40)
        )
        log = practika_logging.get_logger("practika.test")
        log.info("request", path="/x", token="t")
        log.warning("connection lost while closing %s; discarded", "a session")
        logging.getLogger("sqlalchemy.pool").warning("checkin of %s failed", "conn-1")
        return [json.loads(line) for line in capsys.readouterr().out.splitlines()]

    yield configured
    logging.getLogger().handlers[:] = []


def test_lines_below_the_level_are_dropped_and_the_rest_formatted(json_lines) -> None:
    info = json_lines("INFO")
    assert [line["event"] for line in info] == [
        "request",
        "connection lost while closing a session; discarded",
        "checkin of conn-1 failed",
    ]
    assert info[0]["token"] == "[redacted]" and info[0]["level"] == "info"
    assert "positional_args" not in info[1]
    warning = json_lines("WARNING")
    assert [line["event"] for line in warning] == [line["event"] for line in info[1:]]


def test_the_summary_is_one_line_per_flush_for_a_person() -> None:
    m = Metrics(service="api", out=io.StringIO())
    for ms in (10.0, 12.0, 80.0):
        m.timing("RequestLatency", ms, Route="/api/v1/threads", Method="GET")
        m.count("Requests", Route="/api/v1/threads", StatusClass="2xx")
    m.count("Requests", Route="/api/v1/auth/signin", StatusClass="4xx")
    assert m.summary() == ("metrics (api): RequestLatency median 12 ms, max 80 ms; Requests 4")
    assert m.summary() is None  # taken: nothing happened since


def test_a_quiet_minute_prints_nothing_even_with_the_queue_sampled() -> None:
    out = io.StringIO()
    m = Metrics(service="worker", out=out)
    m.gauge("JobQueueDepth", 0)
    m.emit("summary")
    assert out.getvalue() == ""


def test_each_form_of_flush_writes_what_it_says() -> None:
    out = io.StringIO()
    m = Metrics(service="api", out=out)
    m.count("Requests", Route="/", StatusClass="2xx")
    m.emit("off")
    assert out.getvalue() == ""
    m.emit("emf")
    assert out.getvalue() == ""  # `off` forgot what was recorded before it
    m.count("Requests", Route="/", StatusClass="2xx")
    m.emit("summary")
    assert out.getvalue() == "metrics (api): Requests 1\n"
    m.count("Requests", Route="/", StatusClass="2xx")
    m.emit("emf")
    assert json.loads(out.getvalue().splitlines()[-1])["Requests"] == 1


def test_emf_is_the_default_in_aws_mode_only(tmp_path) -> None:
    from practika.config import Settings

    laptop = Settings(data_dir=tmp_path)
    aws = Settings(
        data_dir=tmp_path, storage_backend="s3", s3_videos_bucket="b", aws_region="eu-west-1"
    )
    assert laptop.resolved_metrics_format == "summary"
    assert aws.resolved_metrics_format == "emf"
    assert Settings(data_dir=tmp_path, metrics_format="emf").resolved_metrics_format == "emf"
