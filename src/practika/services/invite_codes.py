"""Invite codes people can read aloud and type: no I, L, O, 0 or 1, grouped by dashes,
any case; and the look-up the join page makes before anyone signs in."""

from __future__ import annotations

import re
import secrets

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from practika.domain.coaching import Invite
from practika.domain.errors import NotFound
from practika.domain.users import User
from practika.security import token_hash

# 31 symbols, none mistaken for another in any common font.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 16  # 16 * log2(31) = 79 bits: not guessable, even without the accept throttle
GROUP = 4
_SEPARATORS = re.compile(r"[\s\-]+")


def new_code() -> str:
    """e.g. "K7QX-M2PA-WN4R-9TZE"."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def normalized(code: str) -> str:
    """The code as generated, from what a person typed (case, spaces, dashes)."""
    raw = _SEPARATORS.sub("", code.strip()).upper()
    if len(raw) != LENGTH or any(c not in ALPHABET for c in raw):
        return code.strip()  # an older (case-sensitive) code, or not a code at all
    return "-".join(raw[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def code_hash(code: str) -> str:
    return token_hash(normalized(code))


async def preview(db: AsyncSession, code: str) -> tuple[Invite, User]:
    """The invite behind a code and its coach, to name them on the join page."""
    invite = await db.scalar(select(Invite).where(Invite.code_hash == code_hash(code)))
    coach = await db.get(User, invite.coach_id) if invite else None
    if invite is None or coach is None:
        raise NotFound("This invite code does not exist.", code="invite_not_found")
    return invite, coach
