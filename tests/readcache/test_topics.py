"""Every model is classified for the cache, and bulk statements name real tables."""

from __future__ import annotations

import uuid

from sqlalchemy import func, update
from sqlalchemy.orm import Session

from practika.domain.models import Base
from practika.domain.threads import PracticeThread
from practika.domain.users import AuthSession, User
from practika.readcache import topics
from practika.readcache.store import EVERYTHING


def test_every_mapped_class_has_a_rule() -> None:
    mapped = {mapper.class_ for mapper in Base.registry.mappers}
    missing = sorted(cls.__name__ for cls in mapped - set(topics.RULES))
    assert not missing, f"classify these models in readcache/topics.py RULES: {missing}"


def test_rules_name_only_mapped_classes() -> None:
    mapped = {mapper.class_ for mapper in Base.registry.mappers}
    assert set(topics.RULES) <= mapped


def test_tables_names_only_real_tables() -> None:
    real = set(Base.metadata.tables)
    unknown = sorted(set(topics.TABLES) - real)
    assert not unknown, f"not tables: {unknown}"


def test_tables_topics_are_known_topics() -> None:
    for table, names in topics.TABLES.items():
        assert all(n in (topics.AUTH, topics.CATALOG, topics.PEOPLE) for n in names), table


def test_a_table_not_named_in_tables_means_everything() -> None:
    # Only tables whose rows no cached answer shows (or auth) may be named narrowly.
    for table in ("users", "comments", "practice_threads", "exercises", "coach_links"):
        assert table in Base.metadata.tables
        assert table not in topics.TABLES


def _new_session() -> Session:
    return topics.TrackedSession()


def test_flushed_topics_of_rows() -> None:
    session = _new_session()
    thread = PracticeThread(
        id=uuid.uuid4(), learner_id=uuid.uuid4(), coach_id=uuid.uuid4(), exercise_id=uuid.uuid4()
    )
    session.add(thread)
    assert topics.flushed(session) == {
        topics.thread(thread.id),
        topics.threads_of(thread.learner_id),
        topics.threads_of(thread.coach_id),
        topics.ALL_THREADS,
    }


def test_a_new_user_names_nothing_and_a_deleted_user_everything() -> None:
    user = User(id=uuid.uuid4(), email="a@b.c", display_name="A", password_hash="x")
    assert set(topics.RULES[User](user, topics.NEW)) == set()
    assert set(topics.RULES[User](user, topics.CHANGED)) == {topics.user(user.id), topics.PEOPLE}
    assert set(topics.RULES[User](user, topics.DELETED)) == {EVERYTHING}


def test_an_unknown_class_in_a_flush_means_everything() -> None:
    class NotAModel:
        pass

    class FakeSession:
        new = [NotAModel()]
        dirty: list[object] = []
        deleted: list[object] = []

    assert topics.flushed(FakeSession()) == {EVERYTHING}  # type: ignore[arg-type]


def test_a_bulk_update_of_sessions_that_names_nobody_means_every_session() -> None:
    stmt = update(AuthSession).values(revoked_at=func.now())
    assert stmt.table.name == "auth_sessions"
    assert topics.TABLES["auth_sessions"] == (topics.AUTH,)


def test_signing_in_names_nothing_and_ending_a_session_names_its_person() -> None:
    row = AuthSession(id=uuid.uuid4(), user_id=uuid.uuid4(), token_hash="h")
    assert set(topics.RULES[AuthSession](row, topics.NEW)) == set()
    assert set(topics.RULES[AuthSession](row, topics.CHANGED)) == {topics.auth(row.user_id)}


def test_a_new_comment_names_its_thread_s_additions_and_an_edit_its_comments() -> None:
    from practika.domain.base import utcnow
    from practika.domain.comments import Comment

    thread_id = uuid.uuid4()
    fresh = Comment(thread_id=thread_id, created_at=utcnow())
    seeded = Comment(thread_id=thread_id, created_at=utcnow() - 2 * topics.APPENDED_WITHIN)
    rule = topics.RULES[Comment]
    assert set(rule(fresh, topics.NEW)) == {topics.comment_added(thread_id)}
    # stamped in the past, it may land inside a page already full: as if edited
    assert set(rule(seeded, topics.NEW)) == {topics.comments(thread_id)}
    assert set(rule(Comment(thread_id=thread_id), topics.NEW)) == {topics.comments(thread_id)}
    assert set(rule(fresh, topics.CHANGED)) == {topics.comments(thread_id)}
