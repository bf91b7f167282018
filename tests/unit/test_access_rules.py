"""Access predicates on objects in memory: who an invite is for, who sees a draft.

The SQL forms of the rules are judged by the rows they return, on both databases, in
tests/services/test_access_rows.py."""

from __future__ import annotations

import uuid

import pytest

from practika.domain import access
from practika.domain.coaching import Invite
from practika.domain.users import User


def user(admin: bool = False, email: str = "x@example.com") -> User:
    return User(id=uuid.uuid4(), email=email, display_name="X", password_hash="", is_admin=admin)


@pytest.mark.parametrize(
    ("invite_email", "accepted"),
    [(None, True), ("", True), ("leo@example.com", True), ("olga@example.com", False)],
)
def test_an_invite_made_for_an_email_is_for_that_address(
    invite_email: str | None, accepted: bool
) -> None:
    invite = Invite(coach_id=uuid.uuid4(), email=invite_email)
    assert access.invite_addressed_to(user(email="leo@example.com"), invite) is accepted


def test_a_draft_is_its_authors_and_admins_alone() -> None:
    from practika.domain.base import utcnow
    from practika.domain.exercises import Exercise

    author, other, admin = user(), user(), user(admin=True)
    draft = Exercise(author_id=author.id, published_at=None)
    published = Exercise(author_id=author.id, published_at=utcnow())
    assert [access.sees_exercise_draft(a, draft) for a in (None, other, author, admin)] == [
        False,
        False,
        True,
        True,
    ]
    assert all(access.sees_exercise_draft(a, published) for a in (None, other, author, admin))
