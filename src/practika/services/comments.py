"""Time-coded comments: adding, listing, editing and deleting, with history kept."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, exists, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, joinedload, with_expression

from practika.domain import access, timecodes
from practika.domain.base import utcnow
from practika.domain.comments import Comment, CommentKind, CommentRevision
from practika.domain.errors import Conflict, Forbidden, Invalid, NotFound
from practika.domain.exercises import Exercise
from practika.domain.notifications import NotificationKind
from practika.domain.threads import Attempt, PracticeThread
from practika.domain.users import User
from practika.domain.videos import Video
from practika.services import clips, comment_tools, threads, videos
from practika.services.notifications import notify
from practika.services.pagination import Page, keyset_page


@dataclass(frozen=True)
class Target:
    """What a new comment needs to know, read in one round trip."""

    thread: PracticeThread
    video: Video
    exercise_title: str
    attempt_id: uuid.UUID | None  # None: the video is the exercise's reference video
    reply_ok: bool  # the comment it replies to (if any) is in this thread


@cache
def _target_statement(
    admin: bool, reply: bool
) -> Select[PracticeThread, Video, str, uuid.UUID, bool]:
    """Built once per kind of actor and post (bind parameters for the values): building
    and cache-keying this statement per request cost as much as running it."""
    belongs = exists().where(
        Attempt.thread_id == PracticeThread.id, Attempt.video_id == Video.id
    ) | exists().where(
        Exercise.id == PracticeThread.exercise_id, Exercise.reference_video_id == Video.id
    )
    parent_here = (
        exists().where(
            Comment.id == bindparam("reply_to_id"), Comment.thread_id == PracticeThread.id
        )
        if reply
        else true()
    )
    # Aliases: the EXISTS clauses above (and the access rule) correlate on the plain
    # tables, so the joins for the notification's context must not be those tables.
    shown, attempt = aliased(Exercise), aliased(Attempt)
    return (
        select(PracticeThread, Video, shown.title, attempt.id, parent_here)
        .join(shown, shown.id == PracticeThread.exercise_id)
        .outerjoin(Video, (Video.id == bindparam("video_id")) & belongs)
        .outerjoin(
            attempt, (attempt.video_id == Video.id) & (attempt.thread_id == PracticeThread.id)
        )
        .where(
            PracticeThread.id == bindparam("thread_id"),
            access.thread_visible(access.someone(admin=admin)),
        )
        .options(with_expression(PracticeThread.read_only, access.thread_read_only()))
    )


async def find_target(
    db: AsyncSession,
    actor: User,
    thread_id: uuid.UUID,
    video_id: uuid.UUID,
    reply_to_id: uuid.UUID | None = None,
) -> Target:
    """The thread (if the actor may see it), the video a new comment points at (the
    reference video of the thread's exercise or one of its attempts), the exercise's
    title and the attempt for the notification, and whether the parent of a reply is in
    the thread: one statement, where it was three."""
    params = {access.ACTOR_ID: actor.id, "thread_id": thread_id, "video_id": video_id}
    if reply_to_id is not None:
        params["reply_to_id"] = reply_to_id
    stmt = _target_statement(actor.is_admin, reply_to_id is not None)
    row = (await db.execute(stmt, params)).one_or_none()
    if row is None:
        raise NotFound(threads.NO_SUCH_THREAD)
    thread, video, title, attempt_id, reply_ok = row
    if video is None:
        raise Invalid(
            "Comments point at this thread's reference video or one of its attempts.",
            {"field": "video_id"},
        )
    return Target(thread, video, title, attempt_id, bool(reply_ok))


async def add_comment(
    db: AsyncSession,
    actor: User,
    thread_id: uuid.UUID,
    *,
    video_id: uuid.UUID,
    t_start_ms: int,
    t_end_ms: int,
    body: str,
    kind: CommentKind | None,
    tags: list[str],
    reply_to_id: uuid.UUID | None,
    drawing: dict[str, Any] | None,
    media_video_id: uuid.UUID | None = None,
    max_clip_ms: int = clips.DEFAULT_MAX_REPLY_MS,
    review: dict[str, Any] | None = None,
) -> Comment:
    """`media_video_id`: a clip the actor recorded or uploaded for this comment (at most
    `max_clip_ms` long); `review`: a voice-over's actions (services/reviews.py)."""
    if kind == CommentKind.REVIEW and review is None:
        raise Invalid(
            "A voice-over review is made with POST /threads/{thread_id}/reviews.",
            {"field": "kind"},
        )
    target = await find_target(db, actor, thread_id, video_id, reply_to_id)
    thread, video = target.thread, target.video
    threads.ensure_writable(thread)
    timecodes.check_range(t_start_ms, t_end_ms, video.duration_ms)
    if media_video_id is not None:
        await clips.check(db, actor, media_video_id, max_ms=max_clip_ms)
    await comment_tools.check_drawing(db, thread.id, video, drawing)
    if not target.reply_ok:
        raise Invalid(
            "You can only reply to a comment in the same thread.", {"field": "reply_to_id"}
        )
    comment = Comment(
        id=uuid.uuid4(),  # known now, so the row, the thread's touch and the notification
        thread_id=thread.id,  # go to the database in one flush, at commit
        video_id=video.id,
        author_id=actor.id,
        reply_to_id=reply_to_id,
        t_start_ms=t_start_ms,
        t_end_ms=t_end_ms,
        body=body,
        kind=kind,
        tags=tags,
        drawing=drawing,
        media_video_id=media_video_id,
        review=review,
    )
    comment.author = actor
    db.add(comment)
    threads.touch(thread, actor)
    payload = {
        "thread_id": thread.id,
        "comment_id": comment.id,
        "video_id": video.id,
        "attempt_id": target.attempt_id,
        "exercise_title": target.exercise_title,
        "t_start_ms": t_start_ms,
        "author_name": actor.display_name,
        "snippet": threads.snippet(body),
    }
    if actor.id == thread.coach_id:
        notify(db, thread.learner_id, NotificationKind.FEEDBACK, **payload)
    elif actor.id == thread.learner_id:
        notify(db, thread.coach_id, NotificationKind.LEARNER_COMMENT, **payload)
    await db.commit()
    return comment


async def get_visible(
    db: AsyncSession, actor: User | None, comment_id: uuid.UUID, *, for_update: bool = False
) -> Comment:
    stmt = (
        select(Comment)
        .options(joinedload(Comment.author))
        .join(PracticeThread, PracticeThread.id == Comment.thread_id)
        .where(Comment.id == comment_id, access.thread_visible(actor))
    )
    if for_update:
        # Concurrent edits queue here, so each one snapshots the text the previous one left.
        stmt = stmt.with_for_update(of=Comment)
    comment = await db.scalar(stmt)
    if comment is None:
        raise NotFound("No such comment.")
    return comment


def _snapshot(comment: Comment, editor: User, action: str) -> CommentRevision:
    return CommentRevision(
        comment_id=comment.id,
        editor_id=editor.id,
        action=action,
        t_start_ms=comment.t_start_ms,
        t_end_ms=comment.t_end_ms,
        body=comment.body,
        kind=comment.kind.value if comment.kind else None,
        tags=list(comment.tags or []),
        drawing=comment.drawing,
    )


async def edit_comment(
    db: AsyncSession, actor: User, comment_id: uuid.UUID, changes: dict[str, Any]
) -> Comment:
    comment = await get_visible(db, actor, comment_id, for_update=True)
    if not access.can_edit_comment(actor, comment):
        raise Forbidden("Only the comment's author can edit it.")
    if comment.deleted_at:
        raise Conflict("This comment was deleted.", code="comment_deleted")
    if "t_start_ms" in changes or "t_end_ms" in changes:
        video = await db.get(Video, comment.video_id)
        timecodes.check_range(
            changes.get("t_start_ms", comment.t_start_ms),
            changes.get("t_end_ms", comment.t_end_ms),
            video.duration_ms if video else None,
        )
    if changes.get("drawing"):
        video = await db.get(Video, comment.video_id)
        if video:
            await comment_tools.check_drawing(db, comment.thread_id, video, changes["drawing"])
    db.add(_snapshot(comment, actor, "edit"))
    for name, value in changes.items():
        setattr(comment, name, value)
    comment.edited_at = utcnow()
    await db.commit()
    return comment


async def delete_comment(db: AsyncSession, actor: User, comment_id: uuid.UUID) -> Comment:
    """Soft delete: the row stays (replies keep their parent), the text moves to history."""
    comment = await get_visible(db, actor, comment_id, for_update=True)
    if not access.can_delete_comment(actor, comment):
        raise Forbidden("Only the comment's author or an admin can delete it.")
    if comment.deleted_at is None:
        db.add(_snapshot(comment, actor, "delete"))
        comment.deleted_at = utcnow()
        comment.body = ""
        comment.drawing = None
        await db.commit()
    return comment


async def comment_history(
    db: AsyncSession, actor: User, comment_id: uuid.UUID
) -> list[CommentRevision]:
    comment = await get_visible(db, actor, comment_id)
    if comment.deleted_at and not access.can_delete_comment(actor, comment):
        raise Forbidden("The history of a deleted comment is kept for its author and admins.")
    rows = await db.scalars(
        select(CommentRevision)
        .where(CommentRevision.comment_id == comment.id)
        .order_by(CommentRevision.at, CommentRevision.id)
    )
    return list(rows)


async def list_video_comments(
    db: AsyncSession,
    actor: User,
    video_id: uuid.UUID,
    *,
    since: datetime | None,
    cursor: str | None,
    limit: int,
) -> Page[Comment]:
    """Comments on one video, in timeline order, from the threads the actor may see."""
    await videos.get_visible(db, actor, video_id)
    stmt = (
        select(Comment)
        .options(joinedload(Comment.author))
        .join(PracticeThread, PracticeThread.id == Comment.thread_id)
        .where(Comment.video_id == video_id, access.thread_visible(actor))
    )
    if since:
        stmt = stmt.where(Comment.updated_at > since)
    return await keyset_page(
        db,
        stmt,
        sort=Comment.t_start_ms,
        row_id=Comment.id,
        cursor=cursor,
        limit=limit,
        descending=False,
    )
