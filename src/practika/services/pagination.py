"""Keyset (cursor) pagination: stable under inserts, one index range scan per page."""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import BigInteger, Integer, Select, and_, bindparam, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from practika.domain.base import UTCDateTime
from practika.domain.errors import Invalid

T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def _encode(value: Any, row_id: uuid.UUID) -> str:
    raw = value.isoformat() if isinstance(value, datetime) else value
    return base64.urlsafe_b64encode(json.dumps([raw, str(row_id)]).encode()).decode().rstrip("=")


def _sort_value(raw: Any, sort: InstrumentedAttribute[Any]) -> Any:
    """The cursor's sort part, checked against its column: an aware instant that is a
    date in UTC, or a whole number the column can hold. Anything else is refused here,
    not left for the database to fail on (a 500)."""
    if isinstance(sort.type, UTCDateTime):
        if not isinstance(raw, str):
            raise ValueError("not an instant")
        value = datetime.fromisoformat(raw)
        if value.utcoffset() is None:
            raise ValueError("an instant without an offset")
        return value.astimezone(UTC)  # OverflowError past the calendar's ends
    if isinstance(sort.type, Integer):
        bits = 63 if isinstance(sort.type, BigInteger) else 31
        if isinstance(raw, bool) or not isinstance(raw, int) or not -(2**bits) <= raw < 2**bits:
            raise ValueError("not a whole number in range")
        return raw
    if not isinstance(raw, str):
        raise ValueError("not text")
    return raw


def _decode(cursor: str, sort: InstrumentedAttribute[Any]) -> tuple[Any, uuid.UUID]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        parts = json.loads(base64.urlsafe_b64decode(padded))
        if not isinstance(parts, list) or len(parts) != 2 or not isinstance(parts[1], str):
            raise ValueError("not [value, id]")
        return _sort_value(parts[0], sort), uuid.UUID(parts[1])
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        # (ValueError covers bad base64, bad UTF-8 and bad JSON too.)
        raise Invalid(
            "The cursor is not valid; pass back the next_cursor of a previous page.",
            {"field": "cursor"},
        ) from exc


async def keyset_page(
    db: AsyncSession,
    stmt: Select[Any],
    *,
    sort: InstrumentedAttribute[Any],
    row_id: InstrumentedAttribute[Any],
    cursor: str | None,
    limit: int,
    descending: bool = True,
) -> Page[Any]:
    """One page of `stmt` ordered by (sort, id); the cursor names the last row seen."""
    if cursor:
        value, last_id = _decode(cursor, sort)
        if descending:
            stmt = stmt.where(or_(sort < value, and_(sort == value, row_id < last_id)))
        else:
            stmt = stmt.where(or_(sort > value, and_(sort == value, row_id > last_id)))
    order = (sort.desc(), row_id.desc()) if descending else (sort.asc(), row_id.asc())
    rows = list((await db.scalars(stmt.order_by(*order).limit(limit + 1))).unique())
    items = rows[:limit]
    next_cursor = None
    if len(rows) > limit:
        last = items[-1]
        next_cursor = _encode(getattr(last, sort.key), getattr(last, row_id.key))
    return Page(items, next_cursor)


# Statements built once (the hot reads): the cursor's condition as bind parameters.
AFTER_VALUE, AFTER_ID = "after_value", "after_id"
LIMIT = "limit"  # `limited`'s: the page's size (plus one, for the next cursor)


def after_clause(sort: Any, row_id: Any, *, descending: bool = True) -> Any:
    """`(sort, id)` past the cursor's row, with the row as bind parameters (see `after`)."""
    value, last = bindparam(AFTER_VALUE, type_=sort.type), bindparam(AFTER_ID, type_=row_id.type)
    if descending:
        return or_(sort < value, and_(sort == value, row_id < last))
    return or_(sort > value, and_(sort == value, row_id > last))


def order(sort: Any, row_id: Any, *, descending: bool = True) -> tuple[Any, Any]:
    """The ORDER BY of a keyset page, `(sort, id)`, as `after_clause` walks it."""
    if descending:
        return sort.desc(), row_id.desc()
    return sort.asc(), row_id.asc()


def limited(stmt: Any, sort: Any, row_id: Any, *, descending: bool = True) -> tuple[Any, Any]:
    """`stmt`'s page (ordered, `limit` rows, the limit bound) as a subquery, and the same
    order on its columns: a statement built on the page (its rows' summaries, computed
    after the limit) must order again, as a subquery's order is not kept."""
    page = stmt.order_by(*order(sort, row_id, descending=descending))
    page = page.limit(bindparam(LIMIT, type_=Integer)).subquery("page")
    return page, order(page.c[sort.name], page.c[row_id.name], descending=descending)


def after(cursor: str, sort: Any) -> dict[str, Any]:
    """The bind parameters of `after_clause` for a cursor (422 for a bad one)."""
    value, last_id = _decode(cursor, sort)
    return {AFTER_VALUE: value, AFTER_ID: last_id}


def next_cursor(rows: list[Any], limit: int, sort: str, row_id: str) -> str | None:
    """For `limit + 1` rows fetched: the cursor of the page's last row, if more follow."""
    if len(rows) <= limit:
        return None
    last = rows[limit - 1]
    return _encode(last[sort], last[row_id])
