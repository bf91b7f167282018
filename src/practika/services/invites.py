"""Coach–learner links and the invites that create them."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from practika.config import Settings
from practika.domain import access
from practika.domain.base import utcnow
from practika.domain.coaching import CoachLink, Invite
from practika.domain.errors import Conflict, Invalid, NotFound
from practika.domain.notifications import NotificationKind
from practika.domain.users import User
from practika.services import invite_codes
from practika.services.notifications import notify
from practika.services.pagination import Page, keyset_page


async def create_invite(
    db: AsyncSession,
    settings: Settings,
    coach: User,
    *,
    email: str | None,
    note: str | None,
    ttl_days: int | None,
) -> tuple[Invite, str]:
    """A new invite and its code. Accepting looks it up by its hash; the code itself is
    kept for the coach's invite list only while the invite is pending (accepting or
    revoking clears it; an expired one is not shown)."""
    code = invite_codes.new_code()
    invite = Invite(
        coach_id=coach.id,
        code_hash=invite_codes.code_hash(code),
        code=code,
        code_hint=code[:4],
        email=email.strip().lower() if email else None,
        note=note,
        expires_at=utcnow() + timedelta(days=ttl_days or settings.invite_ttl_days),
    )
    db.add(invite)
    await db.commit()
    return invite, code


async def list_invites(
    db: AsyncSession, coach: User, *, cursor: str | None, limit: int
) -> Page[Invite]:
    stmt = select(Invite).where(access.invite_managed(coach))
    return await keyset_page(
        db, stmt, sort=Invite.created_at, row_id=Invite.id, cursor=cursor, limit=limit
    )


async def revoke_invite(db: AsyncSession, coach: User, invite_id: uuid.UUID) -> Invite:
    invite = await db.scalar(
        select(Invite).where(Invite.id == invite_id, access.invite_managed(coach))
    )
    if invite is None:
        raise NotFound("No such invite.")
    if invite.accepted_at:
        raise Conflict("This invite was already accepted; remove the learner link instead.")
    invite.revoked_at = invite.revoked_at or utcnow()
    invite.code = None  # nothing left to share: only the hash stays
    await db.commit()
    return invite


async def accept_invite(db: AsyncSession, learner: User, code: str) -> tuple[CoachLink, User, User]:
    """Use an invite: link the learner to the coach. Single use, atomically."""
    link, coach_id = await claim_invite(db, learner, code)
    await db.commit()
    coach = await db.get(User, coach_id)
    assert coach is not None
    return link, coach, learner


async def claim_invite(db: AsyncSession, learner: User, code: str) -> tuple[CoachLink, uuid.UUID]:
    """Claim an invite and link the learner, in the caller's transaction (not committed).

    Sign-up claims its code in the same transaction that creates the account, so a
    refused code leaves no account behind; on any refusal the caller must not commit.
    """
    invite = await db.scalar(select(Invite).where(Invite.code_hash == invite_codes.code_hash(code)))
    now = utcnow()
    if invite is None:
        raise NotFound("This invite code does not exist.", code="invite_not_found")
    state = invite.state_at(now)
    if state != "pending":
        raise Conflict(
            f"This invite is {state}; ask your coach for a new one.", code=f"invite_{state}"
        )
    if invite.coach_id == learner.id:
        raise Invalid("You cannot accept your own invite.")
    if not access.invite_addressed_to(learner, invite):
        raise Conflict("This invite was made for another email address.", code="invite_email")
    # Claim the invite with a conditional update, so two accepts cannot both win.
    claimed = await db.execute(
        update(Invite)
        .where(Invite.id == invite.id, Invite.accepted_at.is_(None), Invite.revoked_at.is_(None))
        .values(accepted_at=now, accepted_by_id=learner.id, code=None)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("This invite was just used.", code="invite_accepted")
    link = await db.scalar(
        select(CoachLink).where(
            CoachLink.coach_id == invite.coach_id, CoachLink.learner_id == learner.id
        )
    )
    if link is None:
        link = CoachLink(coach_id=invite.coach_id, learner_id=learner.id)
        db.add(link)
        notify(
            db,
            invite.coach_id,
            NotificationKind.INVITE_ACCEPTED,
            learner_id=learner.id,
            learner_name=learner.display_name,
        )
    return link, invite.coach_id


async def list_links(
    db: AsyncSession, actor: User, *, role: str | None, cursor: str | None, limit: int
) -> Page[tuple[CoachLink, User, User]]:
    """Links the actor is part of, as coach, as learner, or both."""
    stmt = select(CoachLink).where(access.link_visible(actor))
    if role == "coach":
        stmt = stmt.where(CoachLink.coach_id == actor.id)
    elif role == "learner":
        stmt = stmt.where(CoachLink.learner_id == actor.id)
    page = await keyset_page(
        db, stmt, sort=CoachLink.created_at, row_id=CoachLink.id, cursor=cursor, limit=limit
    )
    ids = {link.coach_id for link in page.items} | {link.learner_id for link in page.items}
    users = {u.id: u for u in await db.scalars(select(User).where(User.id.in_(ids)))}
    return Page(
        [(link, users[link.coach_id], users[link.learner_id]) for link in page.items],
        page.next_cursor,
    )


async def remove_link(db: AsyncSession, actor: User, link_id: uuid.UUID) -> None:
    """Either side may end a link."""
    link = await db.scalar(
        select(CoachLink).where(CoachLink.id == link_id, access.link_visible(actor))
    )
    if link is None:
        raise NotFound("No such link.")
    await db.delete(link)
    await db.commit()
