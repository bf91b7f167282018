"""Keyset (cursor) pagination: stable under inserts, one index range scan per page."""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, and_, or_
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


def _decode(cursor: str, is_datetime: bool) -> tuple[Any, uuid.UUID]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        raw, row_id = json.loads(base64.urlsafe_b64decode(padded))
        value = datetime.fromisoformat(raw) if is_datetime else int(raw)
        return value, uuid.UUID(row_id)
    except (ValueError, TypeError, json.JSONDecodeError) as exc:
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
        value, last_id = _decode(cursor, is_datetime=isinstance(sort.type, UTCDateTime))
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
