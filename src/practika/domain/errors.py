"""Domain errors: what went wrong in the product's terms; the API maps them to HTTP."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    code = "error"

    def __init__(self, message: str, details: Any = None, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        if code:
            self.code = code


class NotFound(DomainError):
    """Missing, or not yours to see: the two are deliberately indistinguishable."""

    code = "not_found"


class Forbidden(DomainError):
    code = "forbidden"


class Unauthenticated(DomainError):
    code = "unauthenticated"


class Invalid(DomainError):
    code = "invalid"


class Conflict(DomainError):
    code = "conflict"


class Gone(DomainError):
    """Existed, and no longer works: an expired or revoked link (said only to its holder)."""

    code = "gone"


class Throttled(DomainError):
    code = "too_many_requests"

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message, {"retry_after_s": retry_after_s})
        self.retry_after_s = retry_after_s


class Unavailable(DomainError):
    code = "unavailable"


class Overloaded(Unavailable):
    """Shed on purpose (the work queue is full), so the client should come back soon."""

    code = "overloaded"

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message, {"retry_after_s": retry_after_s})
        self.retry_after_s = retry_after_s
