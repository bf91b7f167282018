"""Exercises: the library, search and the coach's edits."""

from __future__ import annotations

import uuid
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from practika.api.deps import (
    Actor,
    CurrentUser,
    Paging,
    Reader,
    SessionDep,
    SettingsDep,
    StorageDep,
)
from practika.api.schemas.common import QueryText
from practika.api.schemas.exercises import ExerciseIn, ExerciseOut, ExercisePage, ExerciseUpdateIn
from practika.domain.exercises import CATEGORIES, Difficulty, Exercise, Visibility
from practika.services import exercises, thumbnails

router = APIRouter(prefix="/exercises", tags=["exercises"])


@router.get("", response_model=ExercisePage)
async def list_exercises(
    reader: Reader,
    page: Paging,
    storage: StorageDep,
    settings: SettingsDep,
    q: Annotated[
        QueryText | None,
        Query(
            max_length=200,
            description="words (any form: squats finds squat) in title, tags, description",
        ),
    ] = None,
    tag: Annotated[list[QueryText], Query(max_length=20, description="all of these tags")] = [],  # noqa: B006
    category: Annotated[QueryText | None, Query(max_length=40)] = None,
    difficulty: Difficulty | None = None,
    author_id: uuid.UUID | None = None,
    visibility: Visibility | None = None,
) -> Response:
    """The exercises you may see, newest first; unlisted ones and drafts only to their author."""
    filters = exercises.ExerciseFilter(
        q=q,
        tags=tag,
        category=category,
        difficulty=difficulty,
        author_id=author_id,
        visibility=visibility,
    )
    read = partial(
        exercises.library,
        storage=storage,
        settings=settings,
        filters=filters,
        cursor=page.cursor,
        limit=page.limit,
    )
    return await reader.answer_anyone(read)


@router.get("/categories", response_model=list[str])
async def list_categories() -> tuple[str, ...]:
    return CATEGORIES


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ExerciseOut)
async def create_exercise(body: ExerciseIn, user: CurrentUser, db: SessionDep) -> Exercise:
    return await exercises.create_exercise(db, user, **body.model_dump())


@router.get("/{exercise_id}", response_model=ExerciseOut)
async def get_exercise(
    exercise_id: uuid.UUID, actor: Actor, db: SessionDep, storage: StorageDep, settings: SettingsDep
) -> Exercise:
    exercise = await exercises.get_visible(db, actor, exercise_id)
    await thumbnails.attach_reference_videos(db, storage, settings, [exercise])
    return exercise


@router.patch("/{exercise_id}", response_model=ExerciseOut)
async def update_exercise(
    exercise_id: uuid.UUID, body: ExerciseUpdateIn, user: CurrentUser, db: SessionDep
) -> Exercise:
    return await exercises.update_exercise(db, user, exercise_id, body.changes())


@router.post("/{exercise_id}/publish", response_model=ExerciseOut)
async def publish_exercise(exercise_id: uuid.UUID, user: CurrentUser, db: SessionDep) -> Exercise:
    """Show a draft to its audience; 409 until it has a ready reference video."""
    return await exercises.publish_exercise(db, user, exercise_id)


@router.delete("/{exercise_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_exercise(exercise_id: uuid.UUID, user: CurrentUser, db: SessionDep) -> None:
    await exercises.delete_exercise(db, user, exercise_id)
