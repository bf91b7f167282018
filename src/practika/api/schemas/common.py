"""Shapes shared by every resource."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

T = TypeVar("T")

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

    @model_validator(mode="after")
    def _no_null_where_not_allowed(self) -> Any:
        for name in self.model_fields_set:
            if (
                getattr(self, name) is None
                and name not in self.nullable
                and (self.model_fields[name].default is None)
            ):
                raise ValueError(f"{name} cannot be null; leave it out to keep it unchanged")
        return self

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
