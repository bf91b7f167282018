"""Structured logging: JSON lines in AWS, readable console lines on a laptop.

Request-scoped fields (request id, trace id, user id, route) live in structlog's
context variables, so every log line written while handling a request carries them,
including lines from the standard library's loggers (uvicorn, SQLAlchemy).
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import structlog

from practika.config import Settings

# Values under these keys are never written, whatever a caller passes.
REDACTED_KEYS = frozenset(
    {"password", "token", "secret", "authorization", "cookie", "private_key", "csrf_token", "code"}
)


def _redact(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
    for key in list(event):
        if key.lower() in REDACTED_KEYS:
            event[key] = "[redacted]"
    return event


def _trace_id(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
    from practika.observability.tracing import current_trace_id

    trace_id = current_trace_id()
    if trace_id and "trace_id" not in event:
        event["trace_id"] = trace_id
    return event


def configure(settings: Settings) -> None:
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        # `log.warning("lost %s", what)`, as the standard library's loggers are called
        structlog.stdlib.PositionalArgumentsFormatter(),
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _trace_id,
        _redact,
    ]
    if settings.log_format == "json":
        renderer: Any = structlog.processors.JSONRenderer()
        shared.append(structlog.processors.format_exc_info)
    else:
        # No locals in tracebacks: they would print secrets and request bodies.
        renderer = structlog.dev.ConsoleRenderer(
            colors=sys.stderr.isatty(),
            exception_formatter=structlog.dev.RichTracebackFormatter(
                show_locals=False, max_frames=20
            ),
        )

    structlog.configure(
        # A line below the root's level is dropped first, before the processors stamp and
        # shape it (the request line of a server logging at WARNING, on every request).
        processors=[
            structlog.stdlib.filter_by_level,
            *shared,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level.upper())
    # Our request log replaces uvicorn's access log; its other loggers go through ours.
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").disabled = True
    logging.getLogger("alembic").setLevel(max(root.level, logging.WARNING))


def get_logger(name: str) -> Any:
    return structlog.stdlib.get_logger(name)
