"""Exercises a coach publishes, with their tags."""

from __future__ import annotations

import enum
import uuid

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from practika.domain.base import Base, IdMixin, TimestampMixin, enum_column
from practika.domain.users import User


class Visibility(enum.StrEnum):
    PUBLIC = "public"  # listed and searchable by anyone
    LINK = "link"  # unlisted: anyone holding the id may read it
    PRIVATE = "private"  # the author, their linked learners and admins


class Difficulty(enum.StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


CATEGORIES = (
    "strength",
    "mobility",
    "dance",
    "martial_arts",
    "balance",
    "rehab",
    "conditioning",
    "flexibility",
    "other",
)


class Exercise(IdMixin, TimestampMixin, Base):
    __tablename__ = "exercises"
    __table_args__ = (
        Index("ix_exercises_visibility_created", "visibility", "created_at", "id"),
        Index("ix_exercises_author_created", "author_id", "created_at", "id"),
        # Search is ILIKE '%word%': trigram indexes serve it on PostgreSQL (SQLite scans).
        *(
            Index(
                f"ix_exercises_{column}_trgm",
                column,
                postgresql_using="gin",
                postgresql_ops={column: "gin_trgm_ops"},
                info={"dialects": ("postgresql",)},
            ).ddl_if(dialect="postgresql")
            for column in ("title", "description")
        ),
    )

    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(40), index=True)
    difficulty: Mapped[Difficulty] = mapped_column(enum_column(Difficulty, "difficulty"))
    visibility: Mapped[Visibility] = mapped_column(enum_column(Visibility, "visibility"))
    reference_video_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("videos.id", ondelete="SET NULL"), index=True
    )

    author: Mapped[User] = relationship(lazy="selectin")
    tag_rows: Mapped[list[ExerciseTag]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ExerciseTag.tag"
    )

    @property
    def tags(self) -> list[str]:
        return [t.tag for t in self.tag_rows]


class ExerciseTag(Base):
    """A tag on an exercise; a table rather than JSON so tag search uses an index everywhere."""

    __tablename__ = "exercise_tags"

    exercise_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("exercises.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)
