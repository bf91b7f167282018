"""Practice sessions: running a playlist or an exercise and marking items done."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from practika.domain import access
from practika.domain.base import utcnow
from practika.domain.errors import Conflict, Invalid, NotFound
from practika.domain.practice import PracticeSession, SessionItem
from practika.domain.users import User
from practika.services import exercises, playlists
from practika.services.pagination import Page, keyset_page
from practika.storage import StoragePort


async def get_own(db: AsyncSession, actor: User, session_id: uuid.UUID) -> PracticeSession:
    """The session, if the actor may see it (`access.session_visible`)."""
    session = await db.scalar(
        select(PracticeSession)
        .options(selectinload(PracticeSession.items))
        .where(PracticeSession.id == session_id, access.session_visible(actor))
    )
    if session is None:
        raise NotFound("No such practice session.")
    return session


async def start_session(
    db: AsyncSession,
    actor: User,
    *,
    playlist_id: uuid.UUID | None,
    exercise_id: uuid.UUID | None,
    started_at: datetime | None,
) -> PracticeSession:
    if (playlist_id is None) == (exercise_id is None):
        raise Invalid("Start a session for either a playlist or an exercise.")
    try:
        if playlist_id:
            await playlists.get_visible(db, actor, playlist_id)
        if exercise_id:
            await exercises.get_visible(db, actor, exercise_id)
    except NotFound as exc:
        field = "playlist_id" if playlist_id else "exercise_id"
        raise Invalid(exc.message, {"field": field}) from exc
    session = PracticeSession(
        user_id=actor.id,
        playlist_id=playlist_id,
        exercise_id=exercise_id,
        started_at=started_at or utcnow(),
        items=[],
    )
    db.add(session)
    await db.commit()
    return await get_own(db, actor, session.id)


async def record_item(
    db: AsyncSession,
    actor: User,
    session_id: uuid.UUID,
    fields: dict[str, object],
    storage: StoragePort | None = None,
) -> PracticeSession:
    session = await get_own(db, actor, session_id)
    if session.ended_at:
        raise Conflict("This session has ended.", code="session_ended")
    fields = dict(fields)
    counted_in = fields.pop("reps_from_video_id", None)
    if counted_in is not None:
        fields.update(await _counted_reps(db, storage, actor, counted_in))  # type: ignore[arg-type]
    playlist_item_id = fields.get("playlist_item_id")
    if playlist_item_id:
        if session.playlist_id is None:
            raise Invalid("This session does not run a playlist.", {"field": "playlist_item_id"})
        playlist = await playlists.get_visible(db, actor, session.playlist_id)
        item = next((i for i in playlist.items if i.id == playlist_item_id), None)
        if item is None:
            raise Invalid(
                "That item is not in the session's playlist.", {"field": "playlist_item_id"}
            )
        fields = {**fields, "exercise_id": item.exercise_id}
    elif not fields.get("exercise_id"):
        fields = {**fields, "exercise_id": session.exercise_id}
    if fields.get("exercise_id") is None:
        raise Invalid("Say which exercise (or playlist item) was done.", {"field": "exercise_id"})
    try:
        await exercises.get_visible(db, actor, fields["exercise_id"])  # type: ignore[arg-type]
    except NotFound as exc:
        raise Invalid("No such exercise.", {"field": "exercise_id"}) from exc
    session.items.append(SessionItem(**fields))
    await db.commit()
    db.expire(session)
    return await get_own(db, actor, session_id)


async def _counted_reps(
    db: AsyncSession, storage: StoragePort | None, actor: User, video_id: uuid.UUID
) -> dict[str, object]:
    """reps_done and the reps' consistency, counted in a video the actor may see."""
    from practika.services import analysis

    if storage is None:
        raise Invalid("Reps can only be counted where videos are stored.")
    counted = await analysis.reps(db, storage, actor, video_id)
    if counted.count == 0:
        raise Invalid(
            counted.reason or "No repetitions were counted in that video.",
            {"field": "reps_from_video_id"},
            code="no_reps_counted",
        )
    return {
        "reps_done": counted.count,
        "rep_tempo_cv": counted.tempo_cv,
        "rep_range_cv": counted.range_cv,
    }


async def finish_session(
    db: AsyncSession, actor: User, session_id: uuid.UUID, changes: dict[str, object]
) -> PracticeSession:
    session = await get_own(db, actor, session_id)
    ended_at = changes.get("ended_at") or session.ended_at or utcnow()
    if ended_at < session.started_at:  # type: ignore[operator]
        raise Invalid("A session cannot end before it starts.", {"field": "ended_at"})
    changes = {**changes, "ended_at": ended_at}
    for name, value in changes.items():
        setattr(session, name, value)
    await db.commit()
    db.expire(session)
    return await get_own(db, actor, session_id)


async def list_sessions(
    db: AsyncSession,
    actor: User,
    *,
    cursor: str | None,
    limit: int,
    playlist_id: uuid.UUID | None = None,
    open_only: bool = False,
) -> Page[PracticeSession]:
    """The actor's sessions, newest first; with `playlist_id` and `open_only`, the runs of
    that playlist never finished: the first is the one a run resumes instead of starting
    a new session."""
    stmt = (
        select(PracticeSession)
        .options(selectinload(PracticeSession.items))
        .where(access.session_listed(actor))
    )
    if playlist_id is not None:
        stmt = stmt.where(PracticeSession.playlist_id == playlist_id)
    if open_only:
        stmt = stmt.where(PracticeSession.ended_at.is_(None))
    return await keyset_page(
        db,
        stmt,
        sort=PracticeSession.started_at,
        row_id=PracticeSession.id,
        cursor=cursor,
        limit=limit,
    )


async def delete_session(db: AsyncSession, actor: User, session_id: uuid.UUID) -> None:
    session = await get_own(db, actor, session_id)
    await db.delete(session)
    await db.commit()
