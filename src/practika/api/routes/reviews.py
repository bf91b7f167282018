"""Voice-over reviews and rendered exports (a review's MP4, an annotated attempt)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from practika.api.deps import CurrentUser, SessionDep, SettingsDep
from practika.api.idempotency import Once
from practika.api.routes.media import StorageDep
from practika.api.schemas.comments import CommentOut
from practika.api.schemas.reviews import ExportOut, ReviewIn
from practika.domain import reviews as review_rules
from practika.domain.comments import Comment
from practika.domain.exports import MediaExport
from practika.services import exports, reviews

router = APIRouter(tags=["reviews"])


@router.post(
    "/threads/{thread_id}/reviews", status_code=status.HTTP_201_CREATED, response_model=CommentOut
)
async def add_review(
    thread_id: uuid.UUID,
    body: ReviewIn,
    user: CurrentUser,
    db: SessionDep,
    settings: SettingsDep,
    once: Once,
) -> Comment:
    """A voice-over review: the recorded voice plus the actions timed on it."""
    events = [
        review_rules.Event(
            e.at_ms,
            e.action,
            e.position_ms,
            e.rate,
            e.shape.model_dump() if e.shape is not None else None,
        )
        for e in body.events
    ]

    async def add() -> Comment:
        return await reviews.add_review(
            db,
            user,
            settings,
            thread_id,
            video_id=body.video_id,
            audio_video_id=body.audio_video_id,
            events=events,
            body=body.body,
        )

    return await once(db, user, CommentOut, add)  # type: ignore[no-any-return]


def _out(view: exports.ExportView) -> ExportOut:
    out = ExportOut.model_validate(view.export)
    return out.model_copy(update={"download_url": view.download_url, "expires_at": view.expires_at})


@router.post(
    "/comments/{comment_id}/export", status_code=status.HTTP_202_ACCEPTED, response_model=ExportOut
)
async def export_review(comment_id: uuid.UUID, user: CurrentUser, db: SessionDep) -> MediaExport:
    """Render a voice-over review as one MP4 (once; asking again returns the same)."""
    return await exports.export_review(db, user, comment_id)


@router.post(
    "/attempts/{attempt_id}/export", status_code=status.HTTP_202_ACCEPTED, response_model=ExportOut
)
async def export_attempt(attempt_id: uuid.UUID, user: CurrentUser, db: SessionDep) -> MediaExport:
    """Render the attempt with its comments as captions and its drawings burnt in."""
    return await exports.export_annotated(db, user, attempt_id)


@router.get("/exports/{export_id}", response_model=ExportOut)
async def get_export(
    export_id: uuid.UUID,
    user: CurrentUser,
    db: SessionDep,
    storage: StorageDep,
    settings: SettingsDep,
) -> ExportOut:
    """An export's state and, once ready, its signed download link."""
    return _out(await exports.get_export(db, storage, settings, user, export_id))
