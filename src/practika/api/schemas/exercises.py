from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints, field_validator

from practika.api.schemas.common import Input, LongText, Model, Page, Title
from practika.api.schemas.media import VideoOut
from practika.api.schemas.users import UserOut
from practika.domain.exercises import CATEGORIES, Difficulty, Visibility

Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]


def _check_category(value: str | None) -> str | None:
    if value is not None and value not in CATEGORIES:
        raise ValueError(f"must be one of: {', '.join(CATEGORIES)}")
    return value


class ExerciseIn(Input):
    nullable = frozenset({"reference_video_id"})
    title: Title
    description: LongText = ""
    category: str
    difficulty: Difficulty
    visibility: Visibility = Visibility.PRIVATE
    tags: list[Tag] = Field(default_factory=list, max_length=20)
    reference_video_id: uuid.UUID | None = None

    _category = field_validator("category")(_check_category)


class ExerciseUpdateIn(Input):
    nullable = frozenset({"reference_video_id"})
    title: Title | None = None
    description: LongText | None = None
    category: str | None = None
    difficulty: Difficulty | None = None
    visibility: Visibility | None = None
    tags: list[Tag] | None = Field(default=None, max_length=20)
    reference_video_id: uuid.UUID | None = None

    _category = field_validator("category")(_check_category)


class ExerciseOut(Model):
    id: uuid.UUID
    author_id: uuid.UUID
    title: str
    description: str
    category: str
    difficulty: Difficulty
    visibility: Visibility
    tags: list[str]
    reference_video_id: uuid.UUID | None
    published_at: datetime | None = Field(
        description="null while a draft: only its author sees it, until POST .../publish"
    )
    created_at: datetime
    updated_at: datetime
    author: UserOut
    reference_video: VideoOut | None = Field(
        default=None, description="the ready reference video, with its poster (library, page)"
    )


class ExercisePage(Page[ExerciseOut]):
    total: int = Field(description="how many exercises match, on every page")
    corrected_q: str | None = Field(
        default=None,
        description="the search as corrected (a typo) when `q` as typed found nothing",
    )
