"""What a cached read hands back: its answer, shaped for the response, and its topics."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from practika.db_reads import Reads

T = TypeVar("T")
Person = TypeVar("Person", contravariant=True)


@dataclass(frozen=True, slots=True)
class Read(Generic[T]):
    """`value` is what the response serializes as it is (plain dicts and lists, no ORM
    rows); `topics` name everything the query read (readcache/topics.py), declared by
    the service function next to that query; `max_age` when it goes stale on its own
    (signed URLs that expire, a summary counted from today)."""

    value: T
    topics: tuple[str, ...]
    max_age: float | None = None


# A service call a route hands the reader: (its reads, who asks) -> Read.
ReadCall = Callable[["Reads", Any], Awaitable[Read[Any]]]
