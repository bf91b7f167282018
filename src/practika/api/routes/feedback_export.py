"""A thread's feedback as a download: CSV, JSON or WebVTT captions."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from practika.api.deps import CurrentUser, SessionDep
from practika.services import feedback_export
from practika.services.feedback_export import MEDIA_TYPES, Format

router = APIRouter(tags=["comments"])


@router.get(
    "/threads/{thread_id}/feedback/{fmt}",
    response_class=Response,
    responses={200: {"content": {t: {} for t in MEDIA_TYPES.values()}}},
)
async def export_feedback(
    thread_id: uuid.UUID,
    fmt: Format,
    user: CurrentUser,
    db: SessionDep,
    video_id: uuid.UUID | None = None,
) -> Response:
    """The thread's comments (or one video's, with `video_id`) with their timecodes, kinds,
    text and measuring tools. WebVTT needs `video_id`: captions belong to one video."""
    feedback = await feedback_export.gather(db, user, thread_id, video_id)
    name = feedback_export.filename(feedback, fmt)
    return Response(
        feedback_export.render(feedback, fmt),
        media_type=MEDIA_TYPES[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "private, no-store",
        },
    )
