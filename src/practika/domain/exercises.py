"""Exercises a coach writes (drafts) and publishes, with their tags."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, func, literal_column
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
        # Word search (stems, english): on PostgreSQL a GIN index over the document's
        # tsvector; SQLite keeps FTS5 tables in step by triggers (migration 0010).
        Index(
            "ix_exercises_search",
            func.to_tsvector(literal_column("'english'"), literal_column("search_document")),
            postgresql_using="gin",
            info={"dialects": ("postgresql",)},
        ).ddl_if(dialect="postgresql"),
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
    # Title, tags and description in one text: what word search looks in (services write it).
    search_document: Mapped[str] = mapped_column(Text, default="", server_default="")
    # A draft (null) is seen by its author only, until published.
    published_at: Mapped[datetime | None]

    author: Mapped[User] = relationship(lazy="selectin")
    tag_rows: Mapped[list[ExerciseTag]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ExerciseTag.tag"
    )

    @property
    def tags(self) -> list[str]:
        return [t.tag for t in self.tag_rows]

    @property
    def is_draft(self) -> bool:
        return self.published_at is None

    def document(self) -> str:
        """What search matches: the title, the tags and the description."""
        return " ".join((self.title, *self.tags, self.description))


class ExerciseTag(Base):
    """A tag on an exercise; a table rather than JSON so tag search uses an index everywhere."""

    __tablename__ = "exercise_tags"

    exercise_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("exercises.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)
