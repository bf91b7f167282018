"""Voice-over reviews: a comment of kind `review` with its voice and actions.

The voice is a processed clip (uploaded like any clip); the actions are checked
against the attempt's and the voice's real, probed lengths, never the client's.
The comment is anchored to the range of the attempt the review shows and is
announced to the other side like any feedback.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from practika.config import Settings
from practika.domain import reviews
from practika.domain.comments import Comment, CommentKind
from practika.domain.errors import Conflict, Invalid
from practika.domain.timecodes import format_ms
from practika.domain.users import User
from practika.services import clips, comments, threads

DEFAULT_BODY = "Voice-over review"


async def add_review(
    db: AsyncSession,
    actor: User,
    settings: Settings,
    thread_id: uuid.UUID,
    *,
    video_id: uuid.UUID,
    audio_video_id: uuid.UUID,
    events: list[reviews.Event],
    body: str | None,
) -> Comment:
    target = await comments.find_target(db, actor, thread_id, video_id)
    video = target.video
    threads.ensure_writable(target.thread)
    if target.attempt_id is None:
        raise Invalid(
            "A voice-over review covers one of this thread's attempts.", {"field": "video_id"}
        )
    if video.duration_ms is None:
        raise Conflict("This attempt is not processed yet.", code="video_not_ready")
    max_ms = video.duration_ms + settings.review_margin_seconds * 1000
    voice = await clips.check(
        db, actor, audio_video_id, max_ms=max_ms, field="audio_video_id", needs_sound=True
    )
    assert voice.duration_ms is not None  # checked: the clip is ready
    timeline = reviews.check(events, video_ms=video.duration_ms, audio_ms=voice.duration_ms)
    start, end = timeline.covered(voice.duration_ms)
    return await comments.add_comment(
        db,
        actor,
        thread_id,
        video_id=video.id,
        t_start_ms=start,
        t_end_ms=end,
        body=body or f"{DEFAULT_BODY} ({format_ms(voice.duration_ms).split('.')[0]})",
        kind=CommentKind.REVIEW,
        tags=[],
        reply_to_id=None,
        drawing=None,
        media_video_id=voice.id,
        max_clip_ms=max_ms,
        review=reviews.to_json(events),
    )
