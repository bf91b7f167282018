"""Admin use cases: finding and changing accounts."""

from __future__ import annotations

import uuid

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from practika.domain.errors import Invalid, NotFound
from practika.domain.users import User
from practika.services import auth
from practika.services.exercises import like_pattern
from practika.services.pagination import Page, keyset_page


async def list_users(
    db: AsyncSession, *, q: str | None, cursor: str | None, limit: int
) -> Page[User]:
    stmt = select(User)
    if q:
        pattern = like_pattern(q.strip())
        stmt = stmt.where(
            or_(
                User.email.ilike(pattern, escape="\\"),
                User.display_name.ilike(pattern, escape="\\"),
            )
        )
    return await keyset_page(
        db, stmt, sort=User.created_at, row_id=User.id, cursor=cursor, limit=limit
    )


async def update_user(
    db: AsyncSession, admin: User, user_id: uuid.UUID, changes: dict[str, object]
) -> User:
    user = await db.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    if user.deleted_at is not None:
        raise Invalid("This account was deleted by its owner; it cannot be changed.")
    if user.id == admin.id and changes.get("is_admin") is False:
        raise Invalid("You cannot remove your own admin rights.")
    if user.id == admin.id and changes.get("is_active") is False:
        raise Invalid("You cannot deactivate your own account.")
    for name, value in changes.items():
        setattr(user, name, value)
    if changes.get("is_active") is False:
        await auth.revoke_sessions(db, user.id)
    await db.commit()
    return user
