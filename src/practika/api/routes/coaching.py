"""Invites and coach–learner links."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, status

from practika.api.deps import CurrentUser, Paging, SessionDep, SettingsDep, StorageDep
from practika.api.schemas.coaching import (
    AcceptInviteIn,
    InviteIn,
    InviteOut,
    InvitePreviewOut,
    LearnerOverviewOut,
    LinkOut,
    NewInviteOut,
)
from practika.api.schemas.common import Page
from practika.api.schemas.users import UserOut
from practika.domain.coaching import CoachLink, Invite
from practika.domain.users import User
from practika.services import invite_codes, invites, learners, thumbnails

router = APIRouter(tags=["coaching"])


def _invite_out(invite: Invite) -> InviteOut:
    out = InviteOut.model_validate(invite)
    if out.state != "pending":
        out.code = None  # used, revoked or expired: nothing left to share
    return out


@router.post("/invites", status_code=status.HTTP_201_CREATED, response_model=NewInviteOut)
async def create_invite(
    body: InviteIn, user: CurrentUser, db: SessionDep, settings: SettingsDep
) -> NewInviteOut:
    invite, code = await invites.create_invite(
        db, settings, user, email=body.email, note=body.note, ttl_days=body.ttl_days
    )
    return NewInviteOut(**{**_invite_out(invite).model_dump(), "code": code})


@router.get("/invites", response_model=Page[InviteOut])
async def list_invites(user: CurrentUser, db: SessionDep, page: Paging) -> Page[InviteOut]:
    result = await invites.list_invites(db, user, cursor=page.cursor, limit=page.limit)
    return Page(items=[_invite_out(i) for i in result.items], next_cursor=result.next_cursor)


@router.delete("/invites/{invite_id}", response_model=InviteOut)
async def revoke_invite(invite_id: uuid.UUID, user: CurrentUser, db: SessionDep) -> InviteOut:
    return _invite_out(await invites.revoke_invite(db, user, invite_id))


@router.get("/invites/preview", response_model=InvitePreviewOut)
async def preview_invite(
    code: Annotated[str, Query(min_length=1, max_length=100)], db: SessionDep
) -> InvitePreviewOut:
    """Whose invite a code is (for the join page; no sign-in needed); 404 if none."""
    invite, coach = await invite_codes.preview(db, code)
    return InvitePreviewOut(
        coach=UserOut.model_validate(coach), state=invite.state, expires_at=invite.expires_at
    )


@router.post("/invites/accept", response_model=LinkOut)
async def accept_invite(body: AcceptInviteIn, user: CurrentUser, db: SessionDep) -> LinkOut:
    return _link_out(*await invites.accept_invite(db, user, body.code))


def _link_out(link: CoachLink, coach: User, learner: User) -> LinkOut:
    return LinkOut(
        id=link.id,
        created_at=link.created_at,
        coach=UserOut.model_validate(coach),
        learner=UserOut.model_validate(learner),
    )


@router.get("/links", response_model=Page[LinkOut])
async def list_links(
    user: CurrentUser,
    db: SessionDep,
    page: Paging,
    role: Literal["coach", "learner"] | None = None,
) -> Page[LinkOut]:
    """Your links: as coach (your learners), as learner (your coaches), or both."""
    result = await invites.list_links(db, user, role=role, cursor=page.cursor, limit=page.limit)
    return Page(items=[_link_out(*row) for row in result.items], next_cursor=result.next_cursor)


@router.delete("/links/{link_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_link(link_id: uuid.UUID, user: CurrentUser, db: SessionDep) -> None:
    await invites.remove_link(db, user, link_id)


@router.get("/learners/{learner_id}", response_model=LearnerOverviewOut)
async def learner_overview(
    learner_id: uuid.UUID,
    user: CurrentUser,
    db: SessionDep,
    storage: StorageDep,
    settings: SettingsDep,
) -> learners.LearnerOverview:
    """A learner's page for their coach (or an admin): threads, recent attempts with
    posters, practice sessions with RPE and notes, and progress. 404 for anyone else."""
    result = await learners.overview(db, user, learner_id)
    thumbnails.attach(
        storage,
        settings,
        [a.video for a in result.recent_attempts]
        + [t.__dict__.get("latest_video") for t in result.threads],
    )
    return result
