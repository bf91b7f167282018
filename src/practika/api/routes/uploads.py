"""Resumable uploads (the S3 multipart protocol), as docs/media-protocol.md specifies."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from practika.api.deps import CurrentUser, SessionDep, SettingsDep
from practika.api.idempotency import Once
from practika.api.routes.media import StorageDep
from practika.api.schemas.media import (
    CompleteIn,
    PartNumbersIn,
    PartUrlsOut,
    UploadStartIn,
    UploadStartOut,
    UploadStateOut,
    VideoOut,
)
from practika.domain.videos import Video
from practika.services import uploads

router = APIRouter(prefix="/uploads", tags=["uploads"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=UploadStartOut)
async def start_upload(
    body: UploadStartIn,
    user: CurrentUser,
    db: SessionDep,
    storage: StorageDep,
    settings: SettingsDep,
    once: Once,
) -> dict[str, object]:
    async def start() -> dict[str, object]:
        started = await uploads.start(db, storage, settings, user, **body.model_dump())
        return {
            "video_id": started.video.id,
            "part_size": started.upload.part_size,
            "part_count": started.upload.part_count,
            "expires_at": started.upload.expires_at,
            "parts": started.parts,
        }

    return await once(db, user, UploadStartOut, start)  # type: ignore[no-any-return]


@router.post("/{video_id}/parts", response_model=PartUrlsOut)
async def more_part_urls(
    video_id: uuid.UUID,
    body: PartNumbersIn,
    user: CurrentUser,
    db: SessionDep,
    storage: StorageDep,
    settings: SettingsDep,
) -> dict[str, object]:
    parts = await uploads.more_part_urls(db, storage, settings, user, video_id, body.part_numbers)
    return {"parts": parts}


@router.get("/{video_id}", response_model=UploadStateOut)
async def upload_state(
    video_id: uuid.UUID, user: CurrentUser, db: SessionDep, storage: StorageDep
) -> dict[str, object]:
    found = await uploads.state(db, storage, user, video_id)
    return {
        "video_id": found.video.id,
        "status": found.video.status,
        "part_size": found.upload.part_size if found.upload else None,
        "part_count": found.upload.part_count if found.upload else None,
        "expires_at": found.upload.expires_at if found.upload else None,
        "parts_received": found.parts_received,
    }


@router.post("/{video_id}/complete", response_model=VideoOut)
async def complete_upload(
    video_id: uuid.UUID, body: CompleteIn, user: CurrentUser, db: SessionDep, storage: StorageDep
) -> Video:
    parts = [(p.part_number, p.etag) for p in body.parts]
    return await uploads.complete(db, storage, user, video_id, parts)


@router.delete("/{video_id}", status_code=status.HTTP_204_NO_CONTENT)
async def abort_upload(
    video_id: uuid.UUID, user: CurrentUser, db: SessionDep, storage: StorageDep
) -> None:
    await uploads.abort(db, storage, user, video_id)
