"""OpenTelemetry traces with X-Ray-compatible ids and propagation, exported over OTLP.

In AWS an ADOT collector sidecar listens on localhost:4318 and forwards to X-Ray;
locally tracing is off unless PRACTIKA_TRACING=true.
"""

from __future__ import annotations

import contextlib
from typing import Any

from opentelemetry import propagate, trace

_configured = False


def configure(settings: Any, app: Any = None, engine: Any = None) -> None:
    """Install the tracer provider once per process and instrument what exists."""
    global _configured
    if not settings.tracing:
        return
    if not _configured:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.propagators.aws import AwsXRayPropagator
        from opentelemetry.propagators.composite import CompositePropagator
        from opentelemetry.sdk.extension.aws.trace import AwsXRayIdGenerator
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
        from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased
        from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

        # A share of requests is traced (and every one whose caller traces it): a span
        # per request and per statement costs CPU on every request otherwise.
        provider = TracerProvider(
            sampler=ParentBased(TraceIdRatioBased(settings.tracing_sample_ratio)),
            id_generator=AwsXRayIdGenerator(),
            resource=Resource.create({"service.name": f"practika-{settings.service_role}"}),
        )
        endpoint = settings.otlp_endpoint.rstrip("/") + "/v1/traces"
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
        trace.set_tracer_provider(provider)
        propagate.set_global_textmap(
            CompositePropagator([AwsXRayPropagator(), TraceContextTextMapPropagator()])
        )
        from opentelemetry.instrumentation.botocore import BotocoreInstrumentor

        BotocoreInstrumentor().instrument()
        _configured = True
    if app is not None:
        from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

        # No spans for each ASGI send and receive: two more per request, saying nothing.
        FastAPIInstrumentor.instrument_app(
            app, excluded_urls="healthz,readyz", exclude_spans=["receive", "send"]
        )
    if engine is not None:
        from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

        SQLAlchemyInstrumentor().instrument(engine=engine.sync_engine)


_NOT_TRACED = contextlib.nullcontext()


def statement_span(sql: str) -> contextlib.AbstractContextManager[Any]:
    """A client span for a statement run on the driver directly (db_reads.py), as the
    SQLAlchemy instrumentation gives every other: only inside a sampled request."""
    if not trace.get_current_span().is_recording():
        return _NOT_TRACED
    verb = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else "SQL"
    return trace.get_tracer("practika.db").start_as_current_span(
        verb,
        kind=trace.SpanKind.CLIENT,
        attributes={"db.system": "postgresql", "db.statement": sql},
    )


def flush(timeout_ms: int = 2000) -> None:
    """Export finished spans now (at shutdown, before the task disappears).

    Bounded at 2 s: after up to 25 s of draining requests it must still fit in ECS's 30 s
    stop timeout; the collector is a sidecar on localhost, so a healthy flush takes ms."""
    provider = trace.get_tracer_provider()
    force_flush = getattr(provider, "force_flush", None)
    if _configured and force_flush is not None:
        force_flush(timeout_ms)


def current_trace_id() -> str | None:
    """The current trace id in X-Ray form (1-<epoch hex>-<24 hex>), if a span is active."""
    context = trace.get_current_span().get_span_context()
    if not context.is_valid:
        return None
    raw = f"{context.trace_id:032x}"
    return f"1-{raw[:8]}-{raw[8:]}"
