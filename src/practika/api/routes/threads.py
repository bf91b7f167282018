"""Practice threads and their attempts."""

from __future__ import annotations

import uuid
from functools import partial
from typing import Literal

from fastapi import APIRouter, Response, status
from pydantic import TypeAdapter
from sqlalchemy.ext.asyncio import AsyncSession

from practika.api.cached import Reader
from practika.api.deps import CurrentUser, Paging, SessionDep
from practika.api.idempotency import Once
from practika.api.schemas.common import Page
from practika.api.schemas.threads import (
    AttemptIn,
    AttemptOut,
    AttemptUpdateIn,
    ThreadIn,
    ThreadOut,
    ThreadUpdateIn,
)
from practika.domain import access
from practika.domain.threads import Attempt, PracticeThread, ThreadStatus
from practika.domain.users import User
from practika.readcache import topics
from practika.services import threads
from practika.services.pagination import Page as ResultPage

router = APIRouter(tags=["threads"])


@router.post("/threads", status_code=status.HTTP_201_CREATED, response_model=ThreadOut)
async def open_thread(body: ThreadIn, user: CurrentUser, db: SessionDep) -> PracticeThread:
    """Open your practice thread on an exercise (one per exercise; 409 names the existing one)."""
    return await threads.open_thread(db, user, body.exercise_id)


THREAD_PAGE = TypeAdapter(Page[ThreadOut])


@router.get("/threads", response_model=Page[ThreadOut])
async def list_threads(
    reader: Reader,
    page: Paging,
    role: Literal["learner", "coach"] | None = None,
    exercise_id: uuid.UUID | None = None,
    status: ThreadStatus | None = None,
    awaiting_feedback: bool | None = None,
) -> Response:
    """Threads you practise in or coach, most recently active first.

    `role=coach&awaiting_feedback=true` is the coach's inbox.
    """
    filters = threads.ThreadFilter(
        role=role, exercise_id=exercise_id, status=status, awaiting_feedback=awaiting_feedback
    )

    async def compute(db: AsyncSession, user: User) -> tuple[ResultPage[PracticeThread], list[str]]:
        result = await threads.list_threads(db, user, filters, cursor=page.cursor, limit=page.limit)
        # A thread's changes name both its people; its exercise is in the catalog.
        depends_on = [topics.CATALOG, topics.PEOPLE]
        if access.sees_every_thread(user):
            depends_on.append(topics.ALL_THREADS)
        return result, depends_on

    return await reader.answer(THREAD_PAGE, compute)


@router.get("/threads/{thread_id}", response_model=ThreadOut)
async def get_thread(thread_id: uuid.UUID, user: CurrentUser, db: SessionDep) -> PracticeThread:
    return await threads.get_visible(db, user, thread_id)


@router.patch("/threads/{thread_id}", response_model=ThreadOut)
async def update_thread(
    thread_id: uuid.UUID, body: ThreadUpdateIn, user: CurrentUser, db: SessionDep
) -> PracticeThread:
    return await threads.set_status(db, user, thread_id, body.status)


@router.get("/threads/{thread_id}/attempts", response_model=Page[AttemptOut])
async def list_attempts(
    thread_id: uuid.UUID, user: CurrentUser, db: SessionDep, page: Paging
) -> ResultPage[Attempt]:
    result = await threads.list_attempts(db, user, thread_id, cursor=page.cursor, limit=page.limit)
    return result


@router.post(
    "/threads/{thread_id}/attempts", status_code=status.HTTP_201_CREATED, response_model=AttemptOut
)
async def add_attempt(
    thread_id: uuid.UUID, body: AttemptIn, user: CurrentUser, db: SessionDep, once: Once
) -> Attempt:
    add = partial(threads.add_attempt, db, user, thread_id, **body.model_dump())
    return await once(db, user, AttemptOut, add)  # type: ignore[no-any-return]


@router.get("/attempts/{attempt_id}", response_model=AttemptOut)
async def get_attempt(attempt_id: uuid.UUID, user: CurrentUser, db: SessionDep) -> Attempt:
    return await threads.get_attempt(db, user, attempt_id)


@router.patch("/attempts/{attempt_id}", response_model=AttemptOut)
async def update_attempt(
    attempt_id: uuid.UUID, body: AttemptUpdateIn, user: CurrentUser, db: SessionDep
) -> Attempt:
    return await threads.update_attempt(db, user, attempt_id, body.changes())


@router.delete("/attempts/{attempt_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_attempt(attempt_id: uuid.UUID, user: CurrentUser, db: SessionDep) -> None:
    await threads.delete_attempt(db, user, attempt_id)
