"""What a write changed, as cache topics, taken from the ORM's flush and published with it.

Every mapped class is classified here (a test checks none is missing). A class whose
rows no cached answer shows maps to no topic; a deletion that the database cascades
into rows the ORM never sees (a user, a video, an exercise) maps to everything.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import TextClause, event, func, select
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from practika.domain.accounts import AccountToken, MailPreference, MailRequest
from practika.domain.analysis import PoseAlignment, VideoAnalysis
from practika.domain.coaching import CoachLink, Invite
from practika.domain.comments import Comment, CommentRevision
from practika.domain.exercises import Exercise, ExerciseTag
from practika.domain.exports import MediaExport
from practika.domain.idempotency import IdempotencyRecord
from practika.domain.jobs import Job
from practika.domain.notifications import Notification
from practika.domain.playlists import Playlist, PlaylistItem
from practika.domain.practice import PracticeSession, SessionItem
from practika.domain.threads import Attempt, PracticeThread
from practika.domain.uploads import Upload
from practika.domain.users import AuthSession, PasswordReset, SigninThrottle, User
from practika.domain.videos import Video
from practika.readcache.store import EVERYTHING, ReadCache

CHANNEL = "practika_cache"
# What the cached answers are made of (see api/cached.py for who depends on which):
CATALOG = "catalog"  # exercises and their tags: the library, and the exercise in a thread
PEOPLE = "people"  # names and flags of users, shown as authors everywhere
AUTH = "auth"  # sign-in sessions changed in bulk (sign-out, password change)
ALL_THREADS = "threads"  # any thread: what a list of everyone's threads (an admin's) shows


def user(user_id: Any) -> str:
    return f"user:{user_id}"


def thread(thread_id: Any) -> str:
    return f"thread:{thread_id}"


NEW, CHANGED, DELETED = "new", "changed", "deleted"
Rule = Callable[[Any, str], Iterable[str]]  # (row, NEW | CHANGED | DELETED) -> topics


def _user_row(row: User, change: str) -> Iterable[str]:
    # A new account is in no cached answer yet; a deleted one cascades everywhere.
    if change == DELETED:
        return (EVERYTHING,)
    return () if change == NEW else (user(row.id), PEOPLE)


def _thread_row(row: PracticeThread, change: str) -> Iterable[str]:
    return (thread(row.id), user(row.learner_id), user(row.coach_id), ALL_THREADS)


def _cascading(topics: Callable[[Any], Iterable[str]]) -> Rule:
    """Rows whose deletion the database cascades into rows the ORM does not track."""
    return lambda row, change: (EVERYTHING,) if change == DELETED else topics(row)


def _nothing(row: Any, change: str) -> Iterable[str]:
    return ()


RULES: dict[type, Rule] = {
    User: _user_row,
    AuthSession: lambda row, change: (user(row.user_id),),
    CoachLink: lambda row, change: (user(row.coach_id), user(row.learner_id)),
    Exercise: _cascading(lambda row: (CATALOG,)),
    ExerciseTag: lambda row, change: (CATALOG,),
    PracticeThread: _thread_row,
    Attempt: lambda row, change: (thread(row.thread_id),),
    Comment: lambda row, change: (thread(row.thread_id),),
    PracticeSession: lambda row, change: (user(row.user_id),),
    # Videos show in no cached answer; deleting one cascades to its attempts and comments.
    Video: _cascading(lambda row: ()),
    # Not part of any cached answer:
    AccountToken: _nothing,
    PoseAlignment: _nothing,
    VideoAnalysis: _nothing,
    MailPreference: _nothing,
    MailRequest: _nothing,
    MediaExport: _nothing,
    CommentRevision: _nothing,
    IdempotencyRecord: _nothing,
    Invite: _nothing,
    Job: _nothing,
    Notification: _nothing,
    PasswordReset: _nothing,
    Playlist: _nothing,
    PlaylistItem: _nothing,
    SessionItem: _nothing,
    SigninThrottle: _nothing,
    Upload: _nothing,
}
# Bulk statements (update()/delete() without loaded rows) name only their table.
TABLES: dict[str, tuple[str, ...]] = {
    "account_tokens": (),
    "auth_sessions": (AUTH,),
    "comment_revisions": (),
    "idempotency_keys": (),
    "invites": (),
    "jobs": (),
    "mail_preferences": (),
    "mail_requests": (),
    "notifications": (),
    "password_resets": (),
    "playlist_items": (),
    "signin_throttles": (),
    "uploads": (),
}
# Any of these words anywhere in raw SQL counts as a write (`WITH ... UPDATE` included);
# a read that merely mentions one costs a needless invalidation, never a stale answer.
RAW_WRITE = re.compile(r"\b(insert|update|delete|truncate|merge|copy|alter|drop)\b", re.I)
# PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; a write naming that much
# invalidates everything instead.
MAX_PAYLOAD = 7900


def flushed(session: Session) -> set[str]:
    """The topics of what this flush is about to write."""
    topics: set[str] = set()
    for rows, change in ((session.new, NEW), (session.dirty, CHANGED), (session.deleted, DELETED)):
        for row in rows:
            rule = RULES.get(type(row))
            topics.update((EVERYTHING,) if rule is None else rule(row, change))
    return topics


def statement(state: ORMExecuteState) -> set[str]:
    """The topics of a statement run through the session outside a flush."""
    stmt = state.statement
    if isinstance(stmt, TextClause):
        return {EVERYTHING} if RAW_WRITE.search(stmt.text) else set()
    if not (state.is_insert or state.is_update or state.is_delete):
        return set()
    table = getattr(stmt, "table", None)
    return set(TABLES.get(getattr(table, "name", ""), (EVERYTHING,)))


PENDING = "readcache.pending"  # topics written in the open transaction
LOCAL = "readcache"  # the process's own cache, when it has one


def _record(session: Session, topics: set[str]) -> None:
    if topics:
        session.info.setdefault(PENDING, set()).update(topics)


def _publish(session: Session) -> None:
    """One NOTIFY per write transaction, queued in it: PostgreSQL delivers it at commit."""
    session.flush()  # what commit would flush next, so that its topics are known too
    topics = session.info.get(PENDING)
    if not topics or session.get_bind().dialect.name != "postgresql":
        return
    payload = json.dumps(sorted(topics), separators=(",", ":"))
    if len(payload.encode()) > MAX_PAYLOAD:
        payload = json.dumps([EVERYTHING])
    session.connection().execute(select(func.pg_notify(CHANNEL, payload)))


def install(session_class: type[Session]) -> None:
    """Track writes on every session of this class (the app's, the worker's, the CLI's)."""

    @event.listens_for(session_class, "after_flush")
    def _after_flush(session: Session, context: UOWTransaction) -> None:
        _record(session, flushed(session))

    @event.listens_for(session_class, "do_orm_execute")
    def _on_execute(state: ORMExecuteState) -> None:
        _record(state.session, statement(state))

    @event.listens_for(session_class, "before_commit")
    def _before_commit(session: Session) -> None:
        _publish(session)

    @event.listens_for(session_class, "after_commit")
    def _after_commit(session: Session) -> None:
        topics = session.info.pop(PENDING, None)
        cache: ReadCache | None = session.info.get(LOCAL)
        if topics and cache is not None:
            cache.invalidate(topics)

    @event.listens_for(session_class, "after_soft_rollback")
    def _after_rollback(session: Session, previous: Any) -> None:
        if previous.parent is None:  # the outermost transaction: nothing was written
            session.info.pop(PENDING, None)


class TrackedSession(Session):
    """The ORM session every part of Practika uses; its writes invalidate read caches."""


install(TrackedSession)
