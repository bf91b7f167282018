"""Playlists (programs): ordered exercises with sets, reps, duration and rest."""

from __future__ import annotations

import uuid

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from practika.domain.base import Base, IdMixin, TimestampMixin, enum_column
from practika.domain.exercises import Visibility


class Playlist(IdMixin, TimestampMixin, Base):
    __tablename__ = "playlists"
    __table_args__ = (
        Index("ix_playlists_owner_created", "owner_id", "created_at", "id"),
        Index("ix_playlists_visibility_created", "visibility", "created_at", "id"),
    )

    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[Visibility] = mapped_column(enum_column(Visibility, "playlist_visibility"))

    items: Mapped[list[PlaylistItem]] = relationship(
        cascade="all, delete-orphan", order_by="PlaylistItem.position", lazy="raise"
    )


class PlaylistItem(IdMixin, Base):
    __tablename__ = "playlist_items"
    __table_args__ = (
        # Deferrable would be nicer for reorders; positions are rewritten in two passes instead.
        UniqueConstraint("playlist_id", "position"),
        CheckConstraint("sets IS NULL OR sets > 0", name="sets_positive"),
        CheckConstraint("reps IS NULL OR reps > 0", name="reps_positive"),
        CheckConstraint("duration_s IS NULL OR duration_s > 0", name="duration_positive"),
        CheckConstraint("rest_s IS NULL OR rest_s >= 0", name="rest_nonnegative"),
    )

    playlist_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("playlists.id", ondelete="CASCADE"))
    exercise_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("exercises.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    sets: Mapped[int | None]
    reps: Mapped[int | None]
    duration_s: Mapped[int | None]
    rest_s: Mapped[int | None]
    notes: Mapped[str] = mapped_column(Text, default="")
