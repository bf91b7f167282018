from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import Field

from practika.api.schemas.common import Input, Model
from practika.domain.notifications import NotificationKind


class NotificationOut(Model):
    id: uuid.UUID
    kind: NotificationKind
    payload: dict[str, Any]
    created_at: datetime
    read_at: datetime | None


class MarkReadIn(Input):
    nullable = frozenset({"ids"})
    ids: list[uuid.UUID] | None = Field(default=None, max_length=500, description="omit for all")


class UnreadCountOut(Model):
    unread: int
