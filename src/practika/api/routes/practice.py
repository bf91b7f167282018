"""Practice sessions and the progress summary."""

from __future__ import annotations

import uuid
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from practika.api.deps import CurrentUser, Paging, Reader, SessionDep, StorageDep
from practika.api.idempotency import Once
from practika.api.schemas.common import Page
from practika.api.schemas.practice import (
    ProgressOut,
    SessionIn,
    SessionItemIn,
    SessionOut,
    SessionUpdateIn,
)
from practika.domain.practice import PracticeSession
from practika.services import practice, progress
from practika.services.pagination import Page as ResultPage

router = APIRouter(tags=["practice"])


@router.post("/sessions", status_code=status.HTTP_201_CREATED, response_model=SessionOut)
async def start_session(
    body: SessionIn, user: CurrentUser, db: SessionDep, once: Once
) -> PracticeSession:
    """Start practising a playlist or a single exercise."""
    start = partial(practice.start_session, db, user, **body.model_dump())
    return await once(db, user, SessionOut, start)  # type: ignore[no-any-return]


@router.get("/sessions", response_model=Page[SessionOut])
async def list_sessions(
    user: CurrentUser,
    db: SessionDep,
    page: Paging,
    playlist_id: uuid.UUID | None = None,
    open: Annotated[bool, Query(description="only sessions not finished (resumable)")] = False,
) -> ResultPage[PracticeSession]:
    """Your practice sessions, newest first."""
    return await practice.list_sessions(
        db,
        user,
        cursor=page.cursor,
        limit=page.limit,
        playlist_id=playlist_id,
        open_only=open,
    )


@router.get("/sessions/{session_id}", response_model=SessionOut)
async def get_session(session_id: uuid.UUID, user: CurrentUser, db: SessionDep) -> PracticeSession:
    return await practice.get_own(db, user, session_id)


@router.post(
    "/sessions/{session_id}/items", status_code=status.HTTP_201_CREATED, response_model=SessionOut
)
async def record_item(
    session_id: uuid.UUID,
    body: SessionItemIn,
    user: CurrentUser,
    db: SessionDep,
    storage: StorageDep,
    once: Once,
) -> PracticeSession:
    """Mark an item done, with the sets, reps or time actually done; with
    `reps_from_video_id`, the reps counted in that (analysed) attempt."""
    record = partial(practice.record_item, db, user, session_id, body.model_dump(), storage)
    return await once(db, user, SessionOut, record)  # type: ignore[no-any-return]


@router.patch("/sessions/{session_id}", response_model=SessionOut)
async def finish_session(
    session_id: uuid.UUID, body: SessionUpdateIn, user: CurrentUser, db: SessionDep
) -> PracticeSession:
    """Finish a session (ended_at defaults to now) and note how it felt."""
    return await practice.finish_session(db, user, session_id, body.changes())


@router.delete("/sessions/{session_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_session(session_id: uuid.UUID, user: CurrentUser, db: SessionDep) -> None:
    await practice.delete_session(db, user, session_id)


@router.get("/progress", response_model=ProgressOut)
async def my_progress(reader: Reader, weeks: int = Query(default=12, ge=1, le=104)) -> Response:
    """Streaks, minutes per week, attempts per exercise and feedback received."""
    return await reader.answer(partial(progress.own, weeks=weeks))
