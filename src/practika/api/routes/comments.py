"""Time-coded comments, by thread and by video."""

from __future__ import annotations

import uuid
from datetime import datetime
from functools import partial

from fastapi import APIRouter, Response, status

from practika.api.deps import CurrentUser, Paging, Reader, SessionDep, SettingsDep
from practika.api.idempotency import Once
from practika.api.schemas.comments import (
    CommentIn,
    CommentOut,
    CommentPage,
    CommentUpdateIn,
    RevisionOut,
)
from practika.api.schemas.common import Instant
from practika.domain.base import utcnow
from practika.domain.comments import Comment, CommentRevision
from practika.services import comment_pages, comments
from practika.services.pagination import Page

router = APIRouter(tags=["comments"])


def _page(result: Page[Comment], server_time: datetime) -> CommentPage:
    return CommentPage(
        items=[CommentOut.model_validate(c) for c in result.items],
        next_cursor=result.next_cursor,
        server_time=server_time,
    )


@router.get("/threads/{thread_id}/comments", response_model=CommentPage)
async def list_thread_comments(
    thread_id: uuid.UUID,
    reader: Reader,
    page: Paging,
    video_id: uuid.UUID | None = None,
    since: Instant | None = None,
) -> Response:
    """A thread's comments, oldest first. Poll with `since=<server_time>` for changes.

    A cached answer keeps the `server_time` it was computed at: nothing in the thread
    changed since, so polling from it returns exactly what is new."""
    read = partial(
        comment_pages.thread_comments,
        thread_id=thread_id,
        video_id=video_id,
        since=since,
        cursor=page.cursor,
        limit=page.limit,
    )
    return await reader.answer(read)


@router.post(
    "/threads/{thread_id}/comments", status_code=status.HTTP_201_CREATED, response_model=CommentOut
)
async def add_comment(
    thread_id: uuid.UUID,
    body: CommentIn,
    user: CurrentUser,
    db: SessionDep,
    settings: SettingsDep,
    once: Once,
) -> Comment:
    """A comment, optionally with a drawing and a clip (a video or audio reply)."""
    data = body.model_dump()
    data["drawing"] = body.drawing.model_dump(mode="json") if body.drawing else None
    max_clip_ms = settings.max_reply_clip_seconds * 1000
    add = partial(comments.add_comment, db, user, thread_id, **data, max_clip_ms=max_clip_ms)
    return await once(db, user, CommentOut, add)  # type: ignore[no-any-return]


@router.get("/videos/{video_id}/comments", response_model=CommentPage)
async def list_video_comments(
    video_id: uuid.UUID,
    user: CurrentUser,
    db: SessionDep,
    page: Paging,
    since: Instant | None = None,
) -> CommentPage:
    """Comments on one video in timeline order, for the timeline marks."""
    now = utcnow()
    result = await comments.list_video_comments(
        db, user, video_id, since=since, cursor=page.cursor, limit=page.limit
    )
    return _page(result, now)


@router.get("/comments/{comment_id}", response_model=CommentOut)
async def get_comment(comment_id: uuid.UUID, user: CurrentUser, db: SessionDep) -> Comment:
    return await comments.get_visible(db, user, comment_id)


@router.patch("/comments/{comment_id}", response_model=CommentOut)
async def edit_comment(
    comment_id: uuid.UUID, body: CommentUpdateIn, user: CurrentUser, db: SessionDep
) -> Comment:
    changes = body.changes()
    if "drawing" in changes and body.drawing is not None:
        changes["drawing"] = body.drawing.model_dump(mode="json")
    return await comments.edit_comment(db, user, comment_id, changes)


@router.delete("/comments/{comment_id}", response_model=CommentOut)
async def delete_comment(comment_id: uuid.UUID, user: CurrentUser, db: SessionDep) -> Comment:
    """Delete a comment; it stays in the thread as deleted, its text kept in history."""
    return await comments.delete_comment(db, user, comment_id)


@router.get("/comments/{comment_id}/history", response_model=list[RevisionOut])
async def comment_history(
    comment_id: uuid.UUID, user: CurrentUser, db: SessionDep
) -> list[CommentRevision]:
    return await comments.comment_history(db, user, comment_id)
