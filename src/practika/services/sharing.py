"""Read-only share links for one thread's feedback or one attempt's review.

A link is a capability: whoever holds its token sees the shared attempts (ready videos,
with signed URLs of the normal lifetime) and their comments, with no account. Only the
token's SHA-256 is stored. The thread's learner and coach create, list and revoke them
(either may revoke any link of the thread: the learner's video, the coach's words).
A token that was never issued is "missing" (404); one that expired or was revoked is
"gone" (410), which only tells its holder what they already know.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from practika.config import Settings
from practika.domain import access
from practika.domain.base import utcnow
from practika.domain.comments import Comment
from practika.domain.errors import Conflict, Forbidden, Gone, NotFound
from practika.domain.exercises import Exercise
from practika.domain.sharing import ShareLink
from practika.domain.threads import Attempt, PracticeThread
from practika.domain.users import User
from practika.domain.videos import Video, VideoStatus
from practika.security import new_token, token_hash
from practika.services import threads, videos
from practika.services.videos import Playback
from practika.storage import StoragePort

MAX_LINKS_PER_THREAD = 50
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{20,100}$")  # what new_token makes
NO_SUCH_LINK = "No such share link."


@dataclass
class SharedAttempt:
    attempt: Attempt
    playback: Playback
    comments: list[Comment]


@dataclass
class SharedView:
    link: ShareLink
    exercise_title: str
    learner_name: str
    coach_name: str
    attempts: list[SharedAttempt]


def share_path(token: str) -> str:
    return f"/shared/{token}"


async def _shareable_thread(db: AsyncSession, actor: User, thread_id: uuid.UUID) -> PracticeThread:
    thread = await threads.get_visible(db, actor, thread_id, with_exercise=False)
    if not access.can_share_thread(actor, thread):
        raise Forbidden("Only the thread's learner and coach share or revoke its links.")
    return thread


async def create(
    db: AsyncSession,
    actor: User,
    thread_id: uuid.UUID,
    *,
    attempt_id: uuid.UUID | None,
    expires_in_days: int,
    note: str | None,
) -> tuple[ShareLink, str]:
    thread = await _shareable_thread(db, actor, thread_id)
    if attempt_id is not None:
        found = await db.scalar(
            select(Attempt.id)
            .join(Video, Video.id == Attempt.video_id)
            .where(
                Attempt.id == attempt_id,
                Attempt.thread_id == thread.id,
                Video.status == VideoStatus.READY,
            )
        )
        if found is None:
            raise NotFound("No such ready attempt in this thread.")
    live = await db.scalars(
        select(ShareLink.id).where(
            ShareLink.thread_id == thread.id,
            ShareLink.revoked_at.is_(None),
            ShareLink.expires_at > utcnow(),
        )
    )
    if len(list(live)) >= MAX_LINKS_PER_THREAD:
        raise Forbidden(f"A thread may have at most {MAX_LINKS_PER_THREAD} live share links.")
    token = new_token()
    link = ShareLink(
        thread_id=thread.id,
        attempt_id=attempt_id,
        created_by_id=actor.id,
        token_hash=token_hash(token),
        note=note,
        expires_at=utcnow() + timedelta(days=expires_in_days),
    )
    db.add(link)
    await db.commit()
    return link, token


async def list_links(db: AsyncSession, actor: User, thread_id: uuid.UUID) -> list[ShareLink]:
    thread = await _shareable_thread(db, actor, thread_id)
    return list(
        await db.scalars(
            select(ShareLink)
            .where(ShareLink.thread_id == thread.id)
            .order_by(ShareLink.created_at.desc(), ShareLink.id)
            .limit(100)
        )
    )


async def revoke(
    db: AsyncSession, actor: User, thread_id: uuid.UUID, link_id: uuid.UUID
) -> ShareLink:
    thread = await _shareable_thread(db, actor, thread_id)
    link = await db.scalar(
        select(ShareLink).where(ShareLink.id == link_id, ShareLink.thread_id == thread.id)
    )
    if link is None:
        raise NotFound(NO_SUCH_LINK)
    if link.revoked_at is None:
        link.revoked_at = utcnow()
        await db.commit()
    return link


async def open_link(
    db: AsyncSession, storage: StoragePort, settings: Settings, token: str
) -> SharedView:
    """What a share link shows, to anyone holding it."""
    if not TOKEN_SHAPE.match(token):
        raise NotFound(NO_SUCH_LINK)
    link = await db.scalar(select(ShareLink).where(ShareLink.token_hash == token_hash(token)))
    if link is None:
        raise NotFound(NO_SUCH_LINK)
    now = utcnow()
    if link.revoked_at is not None:
        raise Gone("This share link was revoked.", code="share_revoked")
    if link.expires_at <= now:
        raise Gone("This share link has expired.", code="share_expired")
    thread = await db.scalar(
        select(PracticeThread)
        .where(PracticeThread.id == link.thread_id)
        .options(joinedload(PracticeThread.exercise).raiseload(Exercise.author))
    )
    if thread is None:  # pragma: no cover - the link goes with its thread (cascade)
        raise NotFound(NO_SUCH_LINK)
    learner = await db.get(User, thread.learner_id)
    coach = await db.get(User, thread.coach_id)
    shown = (
        select(Attempt)
        .join(Video, Video.id == Attempt.video_id)
        .where(Attempt.thread_id == thread.id, Video.status == VideoStatus.READY)
        .options(joinedload(Attempt.video))
        .order_by(Attempt.created_at, Attempt.id)
        .limit(50)
    )
    if link.attempt_id is not None:
        shown = shown.where(Attempt.id == link.attempt_id)
    attempts = list(await db.scalars(shown))
    comments = list(
        await db.scalars(
            select(Comment)
            .where(
                Comment.thread_id == thread.id,
                Comment.video_id.in_([a.video_id for a in attempts]),
                Comment.deleted_at.is_(None),
            )
            .options(selectinload(Comment.author))
            .order_by(Comment.t_start_ms, Comment.created_at, Comment.id)
            .limit(2000)
        )
    )
    shared = []
    for attempt in attempts:
        try:
            playback = await videos.sign_playback(storage, settings, attempt.video)
        except Conflict:  # ready but without its renditions (an old import): not shown
            continue
        said = [c for c in comments if c.video_id == attempt.video_id]
        shared.append(SharedAttempt(attempt, playback, said))
    if link.last_opened_at is None or now - link.last_opened_at > timedelta(minutes=1):
        link.last_opened_at = now
        await db.commit()
    return SharedView(
        link,
        thread.exercise.title,
        learner.display_name if learner else "",
        coach.display_name if coach else "",
        shared,
    )
