"""Shapes shared by every resource."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar, Generic, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

T = TypeVar("T")
NUL_MESSAGE = "text cannot contain NUL (\\u0000) characters"


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL; refuse it here rather than fail in the database.
    if "\x00" in value:
        raise ValueError(NUL_MESSAGE)
    return value


def _not_a_number(value: Any) -> Any:
    if isinstance(value, int | float) or (isinstance(value, str) and _is_number(value)):
        raise ValueError("use an ISO 8601 date-time such as a previous server_time")
    return value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _utc_instant(value: datetime) -> datetime:
    # An instant without an offset is ambiguous (whose midnight?): refused, not guessed.
    if value.utcoffset() is None:
        raise ValueError(
            "give the instant with its UTC offset, e.g. 2024-01-01T00:00:00Z "
            "(pass back a previous server_time)"
        )
    try:
        return value.astimezone(UTC)
    except OverflowError:
        # 0001-01-01T00:00:00+14:00 is in year 0 in UTC: no date the database can hold.
        raise ValueError("the instant falls outside the years 1 to 9999 in UTC") from None


# Query-string text and instants: what the spec promises (no NUL; ISO 8601 with an
# offset, within the calendar in UTC; not epoch numbers).
QueryText = Annotated[str, AfterValidator(_no_nul)]
Instant = Annotated[datetime, BeforeValidator(_not_a_number), AfterValidator(_utc_instant)]

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, Field(max_length=20_000)]
Notes = Annotated[str, Field(max_length=5_000)]


class Model(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Input(BaseModel):
    """Request bodies reject unknown fields, so a typo is an error rather than a no-op."""

    model_config = ConfigDict(extra="forbid")
    # Fields of a partial update that may be set to null explicitly (e.g. to clear them).
    nullable: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul_nor_null_where_not_allowed(cls, value: Any, info: ValidationInfo) -> Any:
        # On each field, not the model, so the refusal names the field (a model's error
        # has none; found by tests/fuzz/test_odd_body_values.py). Runs on sent values only,
        # before the field's own parsing, and looks into nested lists and objects.
        if _has_nul(value):
            raise ValueError(NUL_MESSAGE)
        name = info.field_name
        if (
            value is None
            and name is not None
            and name not in cls.nullable
            and cls.model_fields[name].default is None
        ):
            raise ValueError(f"{name} cannot be null; leave it out to keep it unchanged")
        return value

    def changes(self) -> dict[str, Any]:
        """The fields the client sent, for a partial update."""
        return self.model_dump(exclude_unset=True)


class Page(BaseModel, Generic[T]):
    model_config = ConfigDict(from_attributes=True)

    items: list[T]
    next_cursor: str | None = Field(
        description="pass as ?cursor= for the next page; null at the end"
    )


class ErrorBody(BaseModel):
    code: str
    message: str
    details: object | None = None


class ErrorResponse(BaseModel):
    error: ErrorBody
