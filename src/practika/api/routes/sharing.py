"""Read-only share links: made, listed and revoked on a thread; opened by anyone."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from practika.api.deps import CurrentUser, SessionDep, SettingsDep
from practika.api.routes.media import StorageDep
from practika.api.schemas.sharing import (
    NewShareLinkOut,
    SharedAttemptOut,
    SharedCommentOut,
    SharedViewOut,
    ShareLinkIn,
    ShareLinkOut,
)
from practika.domain.base import utcnow
from practika.domain.sharing import ShareLink
from practika.services import sharing

router = APIRouter(tags=["sharing"])


def link_out(link: ShareLink) -> ShareLinkOut:
    return ShareLinkOut.model_validate(
        {**{c: getattr(link, c) for c in ShareLinkOut.model_fields if c != "state"}}
        | {"state": link.state_at(utcnow())}
    )


@router.post(
    "/threads/{thread_id}/share-links",
    status_code=status.HTTP_201_CREATED,
    response_model=NewShareLinkOut,
)
async def create_share_link(
    thread_id: uuid.UUID, body: ShareLinkIn, user: CurrentUser, db: SessionDep
) -> NewShareLinkOut:
    """A link that shows the thread's (or one attempt's) videos and comments, read-only,
    to anyone holding it until it expires or is revoked. The token is shown only here."""
    link, token = await sharing.create(
        db,
        user,
        thread_id,
        attempt_id=body.attempt_id,
        expires_in_days=body.expires_in_days,
        note=body.note,
    )
    out = link_out(link)
    return NewShareLinkOut(**out.model_dump(), token=token, path=sharing.share_path(token))


@router.get("/threads/{thread_id}/share-links", response_model=list[ShareLinkOut])
async def list_share_links(
    thread_id: uuid.UUID, user: CurrentUser, db: SessionDep
) -> list[ShareLinkOut]:
    """The thread's share links, newest first, live or not (their tokens are not kept)."""
    return [link_out(link) for link in await sharing.list_links(db, user, thread_id)]


@router.delete("/threads/{thread_id}/share-links/{link_id}", status_code=status.HTTP_204_NO_CONTENT)
async def revoke_share_link(
    thread_id: uuid.UUID, link_id: uuid.UUID, user: CurrentUser, db: SessionDep
) -> None:
    """Stop the link working at once (revoking twice is fine)."""
    await sharing.revoke(db, user, thread_id, link_id)


@router.get("/shared/{token}", response_model=SharedViewOut)
async def open_share_link(
    token: str, response: Response, db: SessionDep, storage: StorageDep, settings: SettingsDep
) -> SharedViewOut:
    """What a share link shows, with no sign-in: 404 for a token never issued, 410 for an
    expired or revoked one."""
    view = await sharing.open_link(db, storage, settings, token)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # the token is in the page's URL
    return SharedViewOut(
        exercise_title=view.exercise_title,
        learner_name=view.learner_name,
        coach_name=view.coach_name,
        expires_at=view.link.expires_at,
        attempts=[
            SharedAttemptOut(
                id=a.attempt.id,
                created_at=a.attempt.created_at,
                duration_ms=a.attempt.video.duration_ms,
                width=a.attempt.video.width,
                height=a.attempt.video.height,
                playback=a.playback,  # type: ignore[arg-type]
                comments=[SharedCommentOut.model_validate(c) for c in a.comments],
            )
            for a in view.attempts
        ],
    )
