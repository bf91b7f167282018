"""Invites by email: a coach pastes one or many addresses; each gets its own invite and a
mail with a link to the join page (sign up or sign in, then accept). Resend and revoke
work per invite; the code-only invite (services/invites.py) stays as it is.

The code is made when the mail is composed, so it exists only in the mail; a resend makes
a new code, and the earlier mail's link stops working.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from practika.config import Settings
from practika.domain import access
from practika.domain.base import utcnow
from practika.domain.coaching import Invite
from practika.domain.errors import Conflict, Invalid, NotFound
from practika.domain.users import User
from practika.email import Outgoing, normalize_address
from practika.email.render import render
from practika.security import new_token, token_hash
from practika.services import mail, mail_events, mail_throttle

MAX_ADDRESSES = 20


async def invite_by_email(
    db: AsyncSession,
    settings: Settings,
    coach: User,
    *,
    emails: list[str],
    note: str | None,
    ip: str,
) -> list[Invite]:
    """One invite and one queued mail per distinct address, all committed together."""
    addresses = list(dict.fromkeys(normalize_address(e) for e in emails))
    if not addresses:
        raise Invalid("Give at least one email address.", {"field": "emails"})
    if len(addresses) > MAX_ADDRESSES:
        raise Invalid(f"Invite at most {MAX_ADDRESSES} addresses at once.", {"field": "emails"})
    if coach.email in addresses:
        raise Invalid("You cannot invite yourself.", {"field": "emails"})
    made = []
    for address in addresses:
        await mail_throttle.admit(db, settings, "invite", address, ip)
        invite = Invite(
            id=uuid.uuid4(),
            coach_id=coach.id,
            # Unusable until the mail is composed and gets the real code.
            code_hash=token_hash(new_token()),
            code_hint="",
            email=address,
            note=note,
            expires_at=utcnow() + timedelta(days=settings.invite_ttl_days),
        )
        db.add(invite)
        mail.queue(db, "invite", invite_id=invite.id)
        made.append(invite)
    await db.commit()
    return made


async def resend(
    db: AsyncSession, settings: Settings, coach: User, invite_id: uuid.UUID, ip: str
) -> Invite:
    invite = await db.scalar(
        select(Invite).where(Invite.id == invite_id, access.invite_managed(coach))
    )
    if invite is None:
        raise NotFound("No such invite.")
    if invite.email is None:
        raise Invalid("This invite has no email address; share its code instead.")
    if invite.state != "pending":
        raise Conflict(f"This invite is {invite.state}; make a new one.", code="invite_not_pending")
    await mail_throttle.admit(db, settings, "invite", invite.email, ip)
    mail.queue(db, "invite", invite_id=invite.id)
    await db.commit()
    return invite


async def compose_invite(
    db: AsyncSession, settings: Settings, payload: dict[str, Any]
) -> Outgoing | None:
    invite = await db.get(Invite, uuid.UUID(str(payload["invite_id"])))
    if invite is None or invite.email is None or invite.state != "pending":
        return None  # revoked, accepted or expired before the mail went
    coach = await db.get(User, invite.coach_id)
    if coach is None:
        return None
    if await mail_events.is_suppressed(db, invite.email):
        return None  # bounced or complained, as an account or as an earlier invitee
    code = new_token(18)
    invite.code_hash = token_hash(code)
    invite.code_hint = code[:6]
    return render(
        settings,
        "invite",
        to=invite.email,
        to_name="",
        coach=coach.display_name,
        note=invite.note,
        link=f"{settings.resolved_public_url}/join?code={quote(code)}",
        expires=f"{invite.expires_at:%d %B %Y}",
    )
