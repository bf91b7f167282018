"""Practice threads and their attempts."""

from __future__ import annotations

import uuid
from functools import partial
from typing import Literal

from fastapi import APIRouter, Response, status

from practika.api.deps import CurrentUser, Paging, Reader, SessionDep, SettingsDep, StorageDep
from practika.api.idempotency import Once
from practika.api.schemas.common import Page
from practika.api.schemas.threads import (
    AttemptIn,
    AttemptOut,
    AttemptRetryIn,
    AttemptUpdateIn,
    ThreadIn,
    ThreadOut,
    ThreadUpdateIn,
)
from practika.domain.threads import Attempt, PracticeThread, ThreadStatus
from practika.services import thread_pages, threads, thumbnails
from practika.services.pagination import Page as ResultPage

router = APIRouter(tags=["threads"])


@router.post("/threads", status_code=status.HTTP_201_CREATED, response_model=ThreadOut)
async def open_thread(body: ThreadIn, user: CurrentUser, db: SessionDep) -> PracticeThread:
    """Open your practice thread on an exercise (one per exercise; 409 names the existing one)."""
    return await threads.open_thread(db, user, body.exercise_id)


@router.get("/threads", response_model=Page[ThreadOut])
async def list_threads(
    reader: Reader,
    page: Paging,
    storage: StorageDep,
    settings: SettingsDep,
    role: Literal["learner", "coach"] | None = None,
    exercise_id: uuid.UUID | None = None,
    learner_id: uuid.UUID | None = None,
    status: ThreadStatus | None = None,
    awaiting_feedback: bool | None = None,
    sort: Literal["recent", "waiting"] = "recent",
) -> Response:
    """Threads you practise in or coach, most recently active first, each with its attempt
    count and newest ready attempt's poster.

    `role=coach&awaiting_feedback=true` is the coach's inbox; `sort=waiting` puts the
    thread waiting longest for feedback first (awaiting threads only).
    """
    filters = thread_pages.ThreadFilter(
        role=role,
        exercise_id=exercise_id,
        learner_id=learner_id,
        status=status,
        awaiting_feedback=awaiting_feedback,
        sort=sort,
    )
    read = partial(
        thread_pages.thread_list,
        storage=storage,
        settings=settings,
        filters=filters,
        cursor=page.cursor,
        limit=page.limit,
    )
    return await reader.answer(read)


@router.get("/threads/{thread_id}", response_model=ThreadOut)
async def get_thread(
    thread_id: uuid.UUID,
    user: CurrentUser,
    db: SessionDep,
    storage: StorageDep,
    settings: SettingsDep,
) -> PracticeThread:
    """The thread as lists show it: with its attempt count and newest attempt's poster."""
    thread = await threads.get_visible(db, user, thread_id)
    await threads.add_attempt_summaries(db, user, [thread])
    thumbnails.attach(storage, settings, [thread.__dict__.get("latest_video")])
    return thread


@router.patch("/threads/{thread_id}", response_model=ThreadOut)
async def update_thread(
    thread_id: uuid.UUID, body: ThreadUpdateIn, user: CurrentUser, db: SessionDep
) -> PracticeThread:
    return await threads.set_status(db, user, thread_id, body.status)


@router.post("/threads/{thread_id}/reviewed", response_model=ThreadOut)
async def mark_reviewed(thread_id: uuid.UUID, user: CurrentUser, db: SessionDep) -> PracticeThread:
    """The coach clears a thread from the inbox without a comment."""
    return await threads.mark_reviewed(db, user, thread_id)


@router.get("/threads/{thread_id}/attempts", response_model=Page[AttemptOut])
async def list_attempts(
    thread_id: uuid.UUID,
    user: CurrentUser,
    db: SessionDep,
    page: Paging,
    storage: StorageDep,
    settings: SettingsDep,
) -> ResultPage[Attempt]:
    """Attempts with their posters. The learner sees every one of theirs (a failed one
    with its reason); the coach only ready ones."""
    result = await threads.list_attempts(db, user, thread_id, cursor=page.cursor, limit=page.limit)
    thumbnails.attach(storage, settings, [a.video for a in result.items])
    return result


@router.post(
    "/threads/{thread_id}/attempts", status_code=status.HTTP_201_CREATED, response_model=AttemptOut
)
async def add_attempt(
    thread_id: uuid.UUID, body: AttemptIn, user: CurrentUser, db: SessionDep, once: Once
) -> Attempt:
    """Attach your upload (it may still be processing). The coach hears of it, and the
    thread enters their inbox, once its video is ready."""
    add = partial(threads.add_attempt, db, user, thread_id, **body.model_dump())
    return await once(db, user, AttemptOut, add)  # type: ignore[no-any-return]


@router.get("/attempts/{attempt_id}", response_model=AttemptOut)
async def get_attempt(
    attempt_id: uuid.UUID,
    user: CurrentUser,
    db: SessionDep,
    storage: StorageDep,
    settings: SettingsDep,
) -> Attempt:
    attempt = await threads.get_attempt(db, user, attempt_id)
    thumbnails.attach(storage, settings, [attempt.video])
    return attempt


@router.post("/attempts/{attempt_id}/retry", response_model=AttemptOut)
async def retry_attempt(
    attempt_id: uuid.UUID,
    body: AttemptRetryIn,
    user: CurrentUser,
    db: SessionDep,
    storage: StorageDep,
) -> Attempt:
    """Try a failed attempt again: with `video_id`, a new upload replaces its video; without,
    its kept original is processed again (409 `retry_needs_upload` when it is gone)."""
    return await threads.retry_attempt(db, storage, user, attempt_id, video_id=body.video_id)


@router.patch("/attempts/{attempt_id}", response_model=AttemptOut)
async def update_attempt(
    attempt_id: uuid.UUID, body: AttemptUpdateIn, user: CurrentUser, db: SessionDep
) -> Attempt:
    return await threads.update_attempt(db, user, attempt_id, body.changes())


@router.delete("/attempts/{attempt_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_attempt(attempt_id: uuid.UUID, user: CurrentUser, db: SessionDep) -> None:
    await threads.delete_attempt(db, user, attempt_id)
