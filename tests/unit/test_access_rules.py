"""Access rules for sessions, coaching, notifications, progress and owned videos.

The SQL forms are checked by what they compile to: nothing for anonymous visitors,
everything for admins where admins may look, and the actor's own rows otherwise.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from sqlalchemy import ColumnElement
from sqlalchemy.dialects import sqlite

from practika.domain import access
from practika.domain.coaching import Invite
from practika.domain.users import User


def user(admin: bool = False, email: str = "x@example.com") -> User:
    return User(id=uuid.uuid4(), email=email, display_name="X", password_hash="", is_admin=admin)


def sql(clause: ColumnElement[bool]) -> str:
    return str(clause.compile(dialect=sqlite.dialect()))


OWN_ROWS_ONLY: list[tuple[Callable[[access.Actor], ColumnElement[bool]], str]] = [
    (access.session_listed, "practice_sessions.user_id = "),
    (access.invite_managed, "invites.coach_id = "),
    (access.notification_visible, "notifications.user_id = "),
    (access.thread_practised_by, "practice_threads.learner_id = "),
    (access.video_owned, "videos.owner_id = "),
]


@pytest.mark.parametrize(("rule", "own"), OWN_ROWS_ONLY)
def test_own_rows_only_even_for_admins(
    rule: Callable[[access.Actor], ColumnElement[bool]], own: str
) -> None:
    assert sql(rule(None)) == "0"
    assert sql(rule(user())).startswith(own)
    assert sql(rule(user(admin=True))).startswith(own)


def test_a_session_by_id_is_its_owners_and_admins() -> None:
    assert sql(access.session_visible(None)) == "0"
    assert sql(access.session_visible(user(admin=True))) == "1"
    assert sql(access.session_visible(user())).startswith("practice_sessions.user_id = ")


def test_a_link_is_seen_by_both_its_sides_only() -> None:
    assert sql(access.link_visible(None)) == "0"
    for actor in (user(), user(admin=True)):
        clause = sql(access.link_visible(actor))
        assert "coach_links.coach_id = " in clause
        assert " OR coach_links.learner_id = " in clause


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
    assert sql(access.exercise_published_or_own(None)) == "exercises.published_at IS NOT NULL"
    assert sql(access.exercise_published_or_own(admin)) == "1"
    assert sql(access.exercise_published_or_own(other)) == (
        "exercises.published_at IS NOT NULL OR exercises.author_id = ?"
    )
    assert [access.sees_exercise_draft(a, draft) for a in (None, other, author, admin)] == [
        False,
        False,
        True,
        True,
    ]
    assert all(access.sees_exercise_draft(a, published) for a in (None, other, author, admin))
