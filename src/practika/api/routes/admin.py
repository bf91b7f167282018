"""Admin: managing accounts."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from practika.api.deps import AdminUser, Paging, SessionDep
from practika.api.schemas.common import Page, QueryText
from practika.api.schemas.users import AdminUserOut, AdminUserUpdateIn
from practika.domain.users import User
from practika.services import admin
from practika.services.pagination import Page as ResultPage

router = APIRouter(prefix="/admin", tags=["admin"])


@router.get("/users", response_model=Page[AdminUserOut])
async def list_users(
    _: AdminUser,
    db: SessionDep,
    page: Paging,
    q: Annotated[QueryText | None, Query(max_length=200)] = None,
) -> ResultPage[User]:
    result = await admin.list_users(db, q=q, cursor=page.cursor, limit=page.limit)
    return result


@router.patch("/users/{user_id}", response_model=AdminUserOut)
async def update_user(
    user_id: uuid.UUID, body: AdminUserUpdateIn, me: AdminUser, db: SessionDep
) -> User:
    """Deactivate (signs them out everywhere) or promote an account."""
    return await admin.update_user(db, me, user_id, body.changes())
