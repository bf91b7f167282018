"""A thread's comments page: the hottest read, as one Core statement built once.

No ORM rows: the columns the response shows, read as mappings and shaped as its JSON.
Access is `access.thread_visible`, applied inside the same statement; only an empty
page costs a second look (to tell "no comments" from "no such thread").
"""

from __future__ import annotations

import uuid
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Integer, Select, bindparam, exists, select

from practika.db_reads import Reads
from practika.domain import access
from practika.domain.base import utcnow
from practika.domain.comments import Comment
from practika.domain.errors import NotFound
from practika.domain.threads import PracticeThread
from practika.domain.users import User
from practika.readcache import topics
from practika.readcache.read import Read
from practika.services import pagination
from practika.services.threads import NO_SUCH_THREAD

COMMENTS = Comment.__table__.c
USERS = User.__table__.c
# Every column of a comment is shown but its author's id, which goes into `author`.
SHOWN = tuple(c for c in COMMENTS if c.name != "author_id")
# A page whose last comment is older than this cannot gain a new one (readcache/topics.py).
SETTLED = 2 * topics.APPENDED_WITHIN


@cache
def _statement(admin: bool, by_video: bool, since: bool, after: bool) -> Select[Any]:
    visible = exists().where(
        PracticeThread.id == COMMENTS.thread_id,
        access.thread_visible(access.someone(admin=admin)),
    )
    stmt = (
        select(*SHOWN, COMMENTS.author_id, USERS.display_name.label("author_name"))
        .join_from(Comment.__table__, User.__table__, USERS.id == COMMENTS.author_id)
        .where(COMMENTS.thread_id == bindparam("thread_id"), visible)
    )
    if by_video:
        stmt = stmt.where(COMMENTS.video_id == bindparam("video_id"))
    if since:
        stmt = stmt.where(COMMENTS.updated_at > bindparam("since"))
    if after:
        stmt = stmt.where(
            pagination.after_clause(COMMENTS.created_at, COMMENTS.id, descending=False)
        )
    return stmt.order_by(COMMENTS.created_at, COMMENTS.id).limit(bindparam("limit", type_=Integer))


@cache
def _thread_statement(admin: bool) -> Select[Any]:
    return select(PracticeThread.__table__.c.id).where(
        PracticeThread.__table__.c.id == bindparam("thread_id"),
        access.thread_visible(access.someone(admin=admin)),
    )


def _shaped(row: Any) -> dict[str, Any]:
    item = {column.name: row[column.name] for column in SHOWN}
    item["author"] = {"id": row["author_id"], "display_name": row["author_name"]}
    return item


async def thread_comments(
    db: Reads,
    actor: User,
    *,
    thread_id: uuid.UUID,
    video_id: uuid.UUID | None,
    since: datetime | None,
    cursor: str | None,
    limit: int,
) -> Read[dict[str, Any]]:
    """A thread's comments in the order they were made; `since` returns only changes.

    `server_time` is taken before the query: polling from it misses nothing."""
    now = utcnow()
    params: dict[str, Any] = {"thread_id": thread_id, "limit": limit + 1, access.ACTOR_ID: actor.id}
    if video_id:
        params["video_id"] = video_id
    if since:
        params["since"] = since
    if cursor:
        params |= pagination.after(cursor, COMMENTS.created_at)
    admin = access.sees_every_thread(actor)
    stmt = _statement(admin, video_id is not None, since is not None, bool(cursor))
    rows = await db.rows(stmt, params)
    if not rows and await db.first(_thread_statement(admin), params) is None:
        raise NotFound(NO_SUCH_THREAD)
    items = [_shaped(row) for row in rows[:limit]]
    next_cursor = pagination.next_cursor(list(rows), limit, "created_at", "id")
    # Edits and deletions change any page; a new comment only a page it may land on.
    read_from = [topics.PEOPLE, topics.comments(thread_id)]
    if next_cursor is None or items[-1]["created_at"] >= now - SETTLED:
        read_from.append(topics.comment_added(thread_id))
    page = {"items": items, "next_cursor": next_cursor, "server_time": now}
    return Read(page, tuple(read_from))
