"""Playlists: building, ordering and duplicating programs."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status
from sqlalchemy.ext.asyncio import AsyncSession

from practika.api.deps import Actor, CurrentUser, Paging, SessionDep
from practika.api.schemas.common import Page
from practika.api.schemas.playlists import (
    PlaylistIn,
    PlaylistItemIn,
    PlaylistItemOut,
    PlaylistItemUpdateIn,
    PlaylistOut,
    PlaylistUpdateIn,
    ReorderIn,
)
from practika.domain.playlists import Playlist
from practika.domain.users import User
from practika.services import playlists

router = APIRouter(prefix="/playlists", tags=["playlists"])


async def _shape(db: AsyncSession, actor: User | None, items: list[Playlist]) -> list[PlaylistOut]:
    """Playlists as the actor sees them (services.playlists.shown_items)."""
    shown = await playlists.shown_items(db, actor, items)
    return [
        PlaylistOut.model_validate(p).model_copy(
            update={"items": [PlaylistItemOut.model_validate(i) for i in shown[p.id]]}
        )
        for p in items
    ]


async def _one(db: AsyncSession, actor: User | None, playlist: Playlist) -> PlaylistOut:
    return (await _shape(db, actor, [playlist]))[0]


@router.get("", response_model=Page[PlaylistOut])
async def list_playlists(
    actor: Actor, db: SessionDep, page: Paging, owner_id: uuid.UUID | None = None
) -> Page[PlaylistOut]:
    result = await playlists.list_playlists(
        db, actor, owner_id=owner_id, cursor=page.cursor, limit=page.limit
    )
    return Page(items=await _shape(db, actor, result.items), next_cursor=result.next_cursor)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=PlaylistOut)
async def create_playlist(body: PlaylistIn, user: CurrentUser, db: SessionDep) -> PlaylistOut:
    return await _one(db, user, await playlists.create_playlist(db, user, **body.model_dump()))


@router.get("/{playlist_id}", response_model=PlaylistOut)
async def get_playlist(playlist_id: uuid.UUID, actor: Actor, db: SessionDep) -> PlaylistOut:
    return await _one(db, actor, await playlists.get_visible(db, actor, playlist_id))


@router.patch("/{playlist_id}", response_model=PlaylistOut)
async def update_playlist(
    playlist_id: uuid.UUID, body: PlaylistUpdateIn, user: CurrentUser, db: SessionDep
) -> PlaylistOut:
    playlist = await playlists.update_playlist(db, user, playlist_id, body.changes())
    return await _one(db, user, playlist)


@router.delete("/{playlist_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_playlist(playlist_id: uuid.UUID, user: CurrentUser, db: SessionDep) -> None:
    await playlists.delete_playlist(db, user, playlist_id)


@router.post(
    "/{playlist_id}/items", status_code=status.HTTP_201_CREATED, response_model=PlaylistOut
)
async def add_item(
    playlist_id: uuid.UUID, body: PlaylistItemIn, user: CurrentUser, db: SessionDep
) -> PlaylistOut:
    return await _one(db, user, await playlists.add_item(db, user, playlist_id, body.model_dump()))


@router.patch("/{playlist_id}/items/{item_id}", response_model=PlaylistOut)
async def update_item(
    playlist_id: uuid.UUID,
    item_id: uuid.UUID,
    body: PlaylistItemUpdateIn,
    user: CurrentUser,
    db: SessionDep,
) -> PlaylistOut:
    playlist = await playlists.update_item(db, user, playlist_id, item_id, body.changes())
    return await _one(db, user, playlist)


@router.delete("/{playlist_id}/items/{item_id}", response_model=PlaylistOut)
async def remove_item(
    playlist_id: uuid.UUID, item_id: uuid.UUID, user: CurrentUser, db: SessionDep
) -> PlaylistOut:
    return await _one(db, user, await playlists.remove_item(db, user, playlist_id, item_id))


@router.put("/{playlist_id}/order", response_model=PlaylistOut)
async def reorder(
    playlist_id: uuid.UUID, body: ReorderIn, user: CurrentUser, db: SessionDep
) -> PlaylistOut:
    """Reorder the items: send every item id once, in the new order."""
    return await _one(db, user, await playlists.reorder(db, user, playlist_id, body.item_ids))


@router.post(
    "/{playlist_id}/duplicate", status_code=status.HTTP_201_CREATED, response_model=PlaylistOut
)
async def duplicate(playlist_id: uuid.UUID, user: CurrentUser, db: SessionDep) -> PlaylistOut:
    """Copy a playlist you can see into a private one of your own."""
    return await _one(db, user, await playlists.duplicate(db, user, playlist_id))
