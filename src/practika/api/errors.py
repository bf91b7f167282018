"""One JSON error shape, `{"error": {"code", "message", "details"}}`, for every failure."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from practika.db import database_unavailable
from practika.domain import errors
from practika.storage import StorageUnavailable
from practika.storage.durable import StorageFull

log = logging.getLogger("practika.errors")

STATUS = {
    errors.NotFound: 404,
    errors.Forbidden: 403,
    errors.Unauthenticated: 401,
    errors.Invalid: 422,
    errors.Conflict: 409,
    errors.Gone: 410,
    errors.Throttled: 429,
    errors.Unavailable: 503,
}

HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    410: "gone",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "too_many_requests",
    503: "unavailable",
    507: "storage_full",
}


def error_response(
    status: int, code: str, message: str, details: Any = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "details": details}}
    return JSONResponse(body, status_code=status, headers=headers)


LOCATIONS = ("body", "query", "path", "header", "cookie")


def _field(loc: tuple[Any, ...]) -> str:
    # The first element says where (body, query, path…); the rest is the field's path.
    parts = [str(p) for p in loc[1:]] if loc and loc[0] in LOCATIONS else [str(p) for p in loc]
    return ".".join(parts) or "request"


def _validation_message(err: dict[str, Any]) -> str:
    msg = str(err.get("msg", "is not valid"))
    return msg.removeprefix("Value error, ")


async def _domain(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, errors.DomainError)
    status = next(s for cls, s in STATUS.items() if isinstance(exc, cls))
    retry_after = getattr(exc, "retry_after_s", None)  # Throttled, Overloaded
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    if isinstance(exc, errors.Unauthenticated):
        headers = {"WWW-Authenticate": "Bearer"}
    return error_response(status, exc.code, exc.message, exc.details, headers)


def _malformed_id(err: Any) -> bool:
    loc = tuple(err.get("loc", ()))
    return bool(loc) and loc[0] == "path" and str(err.get("type", "")).startswith("uuid")


async def _validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    # An id in the address that is no id at all names nothing: the same 404 as a missing one,
    # not the parser's words about hex digits.
    if exc.errors() and all(_malformed_id(e) for e in exc.errors()):
        return error_response(404, "not_found", "There is nothing at this address.")
    details = [
        {
            "field": _field(tuple(e.get("loc", ()))),
            "message": _validation_message(e),
            "type": e.get("type"),
        }
        for e in exc.errors()
    ]
    summary = "; ".join(f"{d['field']}: {d['message']}" for d in details[:5])
    return error_response(422, "invalid", f"The request is not valid: {summary}", details)


async def _http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = HTTP_CODES.get(exc.status_code, "error")
    message = exc.detail if isinstance(exc.detail, str) else "Request failed."
    if exc.status_code == 404 and message == "Not Found":
        message = "There is nothing at this address."
    return error_response(exc.status_code, code, message, None, dict(exc.headers or {}) or None)


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    if database_unavailable(exc):
        log.warning("database unavailable: %s on %s", type(exc).__name__, request.url.path)
        return error_response(
            503,
            "unavailable",
            "The database is not reachable right now; try again shortly.",
            headers={"Retry-After": "2"},
        )
    return await _unexpected(request, exc)


async def _pool_exhausted(request: Request, exc: Exception) -> JSONResponse:
    # Every pooled connection is in use: the database is fine, this process is busy.
    # Said as such, so that it is not mistaken for (or alarmed on as) an outage.
    log.warning("database pool exhausted on %s", request.url.path)
    return error_response(
        503,
        "busy",
        "The server is busy right now; try again shortly.",
        headers={"Retry-After": "1"},
    )


async def _storage_unavailable(request: Request, exc: Exception) -> JSONResponse:
    log.warning("storage unavailable: %s on %s", exc, request.url.path)
    if isinstance(exc, StorageFull):
        return error_response(
            507,
            "storage_full",
            "The server has no room for this upload right now; nothing was kept. Try again later.",
            headers={"Retry-After": "60"},
        )
    return error_response(
        503,
        "storage_unavailable",
        "Video storage is not reachable right now; nothing was changed. Try again shortly.",
        headers={"Retry-After": "5"},
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return error_response(500, "internal", "Something went wrong on our side; it has been logged.")


def install(app: FastAPI) -> None:
    app.add_exception_handler(errors.DomainError, _domain)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    # Registered per class (not as the catch-all), so they answer without re-raising.
    app.add_exception_handler(StorageUnavailable, _storage_unavailable)
    app.add_exception_handler(DBAPIError, _database_error)
    app.add_exception_handler(PoolTimeout, _pool_exhausted)
    app.add_exception_handler(OSError, _database_error)
    app.add_exception_handler(Exception, _unexpected)
