"""Playlists (programs): building, ordering, sharing and duplicating them."""

from __future__ import annotations

import uuid

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from practika.domain import access
from practika.domain.errors import Forbidden, Invalid, NotFound
from practika.domain.exercises import Exercise, Visibility
from practika.domain.playlists import Playlist, PlaylistItem
from practika.domain.users import User
from practika.services import exercises
from practika.services.pagination import Page, keyset_page

MAX_ITEMS = 200


async def get_visible(db: AsyncSession, actor: User | None, playlist_id: uuid.UUID) -> Playlist:
    playlist = await db.scalar(
        select(Playlist)
        .options(selectinload(Playlist.items))
        .where(Playlist.id == playlist_id, access.playlist_visible(actor))
    )
    if playlist is None:
        raise NotFound("No such playlist.")
    return playlist


async def get_managed(db: AsyncSession, actor: User, playlist_id: uuid.UUID) -> Playlist:
    playlist = await get_visible(db, actor, playlist_id)
    if not access.can_manage_playlist(actor, playlist):
        raise Forbidden("Only the playlist's owner can change it.")
    return playlist


async def visible_exercises(
    db: AsyncSession, actor: User | None, ids: set[uuid.UUID]
) -> dict[uuid.UUID, Exercise]:
    """The exercises of `ids` the actor may see, by id: one statement for a page of items."""
    if not ids:
        return {}
    rows = await db.scalars(
        select(Exercise).where(Exercise.id.in_(ids), access.exercise_visible(actor))
    )
    return {e.id: e for e in rows}


async def shown_items(
    db: AsyncSession, actor: User | None, playlists: list[Playlist]
) -> dict[uuid.UUID, list[tuple[PlaylistItem, Exercise]]]:
    """Each playlist's items, with their exercise, as the actor sees them: a playlist never
    reveals an exercise hidden from them (one statement for all the playlists). The one place
    this is decided."""
    visible = await visible_exercises(
        db, actor, {i.exercise_id for p in playlists for i in p.items}
    )
    return {
        p.id: [(i, visible[i.exercise_id]) for i in p.items if i.exercise_id in visible]
        for p in playlists
    }


async def create_playlist(
    db: AsyncSession, actor: User, *, title: str, description: str, visibility: Visibility
) -> Playlist:
    playlist = Playlist(
        owner_id=actor.id,
        title=title.strip(),
        description=description,
        visibility=visibility,
        items=[],
    )
    db.add(playlist)
    await db.commit()
    return await get_visible(db, actor, playlist.id)


async def update_playlist(
    db: AsyncSession, actor: User, playlist_id: uuid.UUID, changes: dict[str, object]
) -> Playlist:
    playlist = await get_managed(db, actor, playlist_id)
    for name, value in changes.items():
        setattr(playlist, name, value)
    await db.commit()
    return await get_visible(db, actor, playlist_id)


async def delete_playlist(db: AsyncSession, actor: User, playlist_id: uuid.UUID) -> None:
    playlist = await get_managed(db, actor, playlist_id)
    await db.delete(playlist)
    await db.commit()


async def list_playlists(
    db: AsyncSession,
    actor: User | None,
    *,
    owner_id: uuid.UUID | None,
    cursor: str | None,
    limit: int,
) -> Page[Playlist]:
    stmt = (
        select(Playlist).options(selectinload(Playlist.items)).where(access.playlist_listed(actor))
    )
    if owner_id:
        stmt = stmt.where(Playlist.owner_id == owner_id)
    return await keyset_page(
        db, stmt, sort=Playlist.created_at, row_id=Playlist.id, cursor=cursor, limit=limit
    )


async def add_item(
    db: AsyncSession, actor: User, playlist_id: uuid.UUID, fields: dict[str, object]
) -> Playlist:
    playlist = await get_managed(db, actor, playlist_id)
    if len(playlist.items) >= MAX_ITEMS:
        raise Invalid(f"A playlist holds at most {MAX_ITEMS} items.")
    exercise_id = fields["exercise_id"]
    try:
        await exercises.get_visible(db, actor, exercise_id)  # type: ignore[arg-type]
    except NotFound as exc:
        raise Invalid("No such exercise.", {"field": "exercise_id"}) from exc
    position = max((i.position for i in playlist.items), default=-1) + 1
    playlist.items.append(PlaylistItem(position=position, **fields))
    await db.commit()
    return await get_visible(db, actor, playlist_id)


async def update_item(
    db: AsyncSession,
    actor: User,
    playlist_id: uuid.UUID,
    item_id: uuid.UUID,
    changes: dict[str, object],
) -> Playlist:
    playlist = await get_managed(db, actor, playlist_id)
    item = next((i for i in playlist.items if i.id == item_id), None)
    if item is None:
        raise NotFound("No such playlist item.")
    for name, value in changes.items():
        setattr(item, name, value)
    await db.commit()
    return await get_visible(db, actor, playlist_id)


async def remove_item(
    db: AsyncSession, actor: User, playlist_id: uuid.UUID, item_id: uuid.UUID
) -> Playlist:
    playlist = await get_managed(db, actor, playlist_id)
    item = next((i for i in playlist.items if i.id == item_id), None)
    if item is None:
        raise NotFound("No such playlist item.")
    playlist.items.remove(item)
    await db.commit()
    return await get_visible(db, actor, playlist_id)


async def reorder(
    db: AsyncSession, actor: User, playlist_id: uuid.UUID, item_ids: list[uuid.UUID]
) -> Playlist:
    """Put the items in the given order; the list must name every item exactly once."""
    playlist = await get_managed(db, actor, playlist_id)
    current = {i.id for i in playlist.items}
    if len(item_ids) != len(set(item_ids)) or set(item_ids) != current:
        raise Invalid(
            "List every item of the playlist exactly once.",
            {"field": "item_ids", "expected": sorted(str(i) for i in current)},
        )
    # Two passes keep the (playlist, position) unique constraint satisfied throughout.
    offset = len(item_ids) + MAX_ITEMS
    await db.execute(
        update(PlaylistItem)
        .where(PlaylistItem.playlist_id == playlist.id)
        .values(position=PlaylistItem.position + offset)
    )
    for position, item_id in enumerate(item_ids):
        await db.execute(
            update(PlaylistItem).where(PlaylistItem.id == item_id).values(position=position)
        )
    await db.commit()
    db.expire(playlist)
    return await get_visible(db, actor, playlist_id)


async def duplicate(db: AsyncSession, actor: User, playlist_id: uuid.UUID) -> Playlist:
    """Copy a playlist the actor can see into a private one they own."""
    source = await get_visible(db, actor, playlist_id)
    kept = [i for i, _ in (await shown_items(db, actor, [source]))[source.id]]
    copy = Playlist(
        owner_id=actor.id,
        title=f"{source.title} (copy)"[:200],
        description=source.description,
        visibility=Visibility.PRIVATE,
        items=[
            PlaylistItem(
                position=n,
                exercise_id=i.exercise_id,
                sets=i.sets,
                reps=i.reps,
                duration_s=i.duration_s,
                rest_s=i.rest_s,
                notes=i.notes,
            )
            for n, i in enumerate(kept)
        ],
    )
    db.add(copy)
    await db.commit()
    return await get_visible(db, actor, copy.id)
