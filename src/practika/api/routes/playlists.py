"""Playlists: building, ordering and duplicating programs."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, status

from practika.api.deps import Actor, CurrentUser, Paging, SessionDep, SettingsDep, StorageDep
from practika.api.schemas.common import Page
from practika.api.schemas.playlists import (
    PlaylistExerciseOut,
    PlaylistIn,
    PlaylistItemIn,
    PlaylistItemOut,
    PlaylistItemUpdateIn,
    PlaylistOut,
    PlaylistUpdateIn,
    ReorderIn,
)
from practika.domain.exercises import Exercise
from practika.domain.playlists import Playlist, PlaylistItem
from practika.domain.users import User
from practika.services import playlists, thumbnails

router = APIRouter(prefix="/playlists", tags=["playlists"])


class Shaper:
    """Playlists as the actor sees them (which items: services.playlists.shown_items), each
    item carrying its exercise's title and poster (one statement each for a page)."""

    def __init__(self, db: SessionDep, storage: StorageDep, settings: SettingsDep) -> None:
        self.db, self.storage, self.settings = db, storage, settings

    async def many(self, actor: User | None, items: list[Playlist]) -> list[PlaylistOut]:
        shown = await playlists.shown_items(self.db, actor, items)
        exercises = {e.id: e for pairs in shown.values() for _, e in pairs}
        await thumbnails.attach_reference_videos(
            self.db, self.storage, self.settings, list(exercises.values())
        )

        def item(i: PlaylistItem, exercise: Exercise) -> PlaylistItemOut:
            shown = PlaylistExerciseOut.model_validate(exercise)
            return PlaylistItemOut.model_validate(i).model_copy(update={"exercise": shown})

        return [
            PlaylistOut.model_validate(p).model_copy(
                update={"items": [item(i, e) for i, e in shown[p.id]]}
            )
            for p in items
        ]

    async def one(self, actor: User | None, playlist: Playlist) -> PlaylistOut:
        return (await self.many(actor, [playlist]))[0]


async def shaper(db: SessionDep, storage: StorageDep, settings: SettingsDep) -> Shaper:
    # Not `Depends(Shaper)`: FastAPI runs a class's (sync) __init__ in its thread pool,
    # ~80 us of CPU and a thread hop on every playlist request.
    return Shaper(db, storage, settings)


Shape = Annotated[Shaper, Depends(shaper)]


@router.get("", response_model=Page[PlaylistOut])
async def list_playlists(
    actor: Actor, db: SessionDep, shape: Shape, page: Paging, owner_id: uuid.UUID | None = None
) -> Page[PlaylistOut]:
    result = await playlists.list_playlists(
        db, actor, owner_id=owner_id, cursor=page.cursor, limit=page.limit
    )
    return Page(items=await shape.many(actor, result.items), next_cursor=result.next_cursor)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=PlaylistOut)
async def create_playlist(
    body: PlaylistIn, user: CurrentUser, db: SessionDep, shape: Shape
) -> PlaylistOut:
    return await shape.one(user, await playlists.create_playlist(db, user, **body.model_dump()))


@router.get("/{playlist_id}", response_model=PlaylistOut)
async def get_playlist(
    playlist_id: uuid.UUID, actor: Actor, db: SessionDep, shape: Shape
) -> PlaylistOut:
    return await shape.one(actor, await playlists.get_visible(db, actor, playlist_id))


@router.patch("/{playlist_id}", response_model=PlaylistOut)
async def update_playlist(
    playlist_id: uuid.UUID, body: PlaylistUpdateIn, user: CurrentUser, db: SessionDep, shape: Shape
) -> PlaylistOut:
    playlist = await playlists.update_playlist(db, user, playlist_id, body.changes())
    return await shape.one(user, playlist)


@router.delete("/{playlist_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_playlist(playlist_id: uuid.UUID, user: CurrentUser, db: SessionDep) -> None:
    await playlists.delete_playlist(db, user, playlist_id)


@router.post(
    "/{playlist_id}/items", status_code=status.HTTP_201_CREATED, response_model=PlaylistOut
)
async def add_item(
    playlist_id: uuid.UUID, body: PlaylistItemIn, user: CurrentUser, db: SessionDep, shape: Shape
) -> PlaylistOut:
    return await shape.one(user, await playlists.add_item(db, user, playlist_id, body.model_dump()))


@router.patch("/{playlist_id}/items/{item_id}", response_model=PlaylistOut)
async def update_item(
    playlist_id: uuid.UUID,
    item_id: uuid.UUID,
    body: PlaylistItemUpdateIn,
    user: CurrentUser,
    db: SessionDep,
    shape: Shape,
) -> PlaylistOut:
    playlist = await playlists.update_item(db, user, playlist_id, item_id, body.changes())
    return await shape.one(user, playlist)


@router.delete("/{playlist_id}/items/{item_id}", response_model=PlaylistOut)
async def remove_item(
    playlist_id: uuid.UUID, item_id: uuid.UUID, user: CurrentUser, db: SessionDep, shape: Shape
) -> PlaylistOut:
    return await shape.one(user, await playlists.remove_item(db, user, playlist_id, item_id))


@router.put("/{playlist_id}/order", response_model=PlaylistOut)
async def reorder(
    playlist_id: uuid.UUID, body: ReorderIn, user: CurrentUser, db: SessionDep, shape: Shape
) -> PlaylistOut:
    """Reorder the items: send every item id once, in the new order."""
    return await shape.one(user, await playlists.reorder(db, user, playlist_id, body.item_ids))


@router.post(
    "/{playlist_id}/duplicate", status_code=status.HTTP_201_CREATED, response_model=PlaylistOut
)
async def duplicate(
    playlist_id: uuid.UUID, user: CurrentUser, db: SessionDep, shape: Shape
) -> PlaylistOut:
    """Copy a playlist you can see into a private one of your own."""
    return await shape.one(user, await playlists.duplicate(db, user, playlist_id))
