"""What a write changed, as cache topics, taken from the ORM's flush and published with it.

Every mapped class is classified here (a test checks none is missing). A class whose
rows no cached answer shows maps to no topic; a deletion that the database cascades
into rows the ORM never sees (a user, a video, an exercise) maps to everything.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from sqlalchemy import TextClause, event, func, select
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from practika.domain.accounts import (
    AccountToken,
    MailPreference,
    MailRequest,
    SuppressedAddress,
)
from practika.domain.analysis import PoseAlignment, VideoAnalysis
from practika.domain.base import utcnow
from practika.domain.coaching import CoachLink, Invite
from practika.domain.comments import Comment, CommentRevision
from practika.domain.exercises import Exercise, ExerciseTag
from practika.domain.exports import MediaExport
from practika.domain.idempotency import IdempotencyRecord
from practika.domain.jobs import Job
from practika.domain.notifications import Notification
from practika.domain.playlists import Playlist, PlaylistItem
from practika.domain.practice import PracticeSession, SessionItem
from practika.domain.sharing import ShareLink
from practika.domain.threads import Attempt, PracticeThread
from practika.domain.uploads import Upload
from practika.domain.users import AuthSession, PasswordReset, SigninThrottle, User
from practika.domain.videos import Video
from practika.readcache.store import EVERYTHING, ReadCache

CHANNEL = "practika_cache"
# What the cached answers are made of. Each cached read declares its topics next to its
# query (services/*: `Read`); a test checks that they cover every table the query reads.
CATALOG = "catalog"  # exercises and their tags: the library, and the exercise in a thread
PEOPLE = "people"  # names and flags of users, shown as authors everywhere
AUTH = "auth"  # sign-in sessions changed in bulk by a statement that names nobody
ALL_THREADS = "threads"  # any thread: what a list of everyone's threads (an admin's) shows


def user(user_id: Any) -> str:
    """The person's own account (name, flags): every answer for them depends on it."""
    return f"user:{user_id}"


def auth(user_id: Any) -> str:
    """The person's sign-in sessions: a cached token depends on it (sign-out names it)."""
    return f"auth:{user_id}"


def links(user_id: Any) -> str:
    """The person's coach links: who sees whose private exercises."""
    return f"links:{user_id}"


def threads_of(user_id: Any) -> str:
    """Any thread the person practises in or coaches: their thread lists."""
    return f"threads:{user_id}"


def practice(user_id: Any) -> str:
    """The person's practice sessions: their progress."""
    return f"practice:{user_id}"


def video(video_id: Any) -> str:
    """One video's row (its status, poster, sprite): where a cached answer shows it."""
    return f"video:{video_id}"


def videos_of(user_id: Any) -> str:
    """Any of the person's videos: what counts their attempts by the videos' status."""
    return f"videos:{user_id}"


def thread(thread_id: Any) -> str:
    """The thread's own row and its attempts."""
    return f"thread:{thread_id}"


def comments(thread_id: Any) -> str:
    """A comment of the thread edited or deleted: every page of its comments."""
    return f"comments:{thread_id}"


def comment_added(thread_id: Any) -> str:
    """A new comment in the thread: the pages it may land on (the last, a poll's)."""
    return f"comments+:{thread_id}"


NEW, CHANGED, DELETED = "new", "changed", "deleted"
Rule = Callable[[Any, str], Iterable[str]]  # (row, NEW | CHANGED | DELETED) -> topics


def _user_row(row: User, change: str) -> Iterable[str]:
    # A new account is in no cached answer yet; a deleted one cascades everywhere.
    if change == DELETED:
        return (EVERYTHING,)
    return () if change == NEW else (user(row.id), PEOPLE)


def _auth_session_row(row: AuthSession, change: str) -> Iterable[str]:
    # A new session's token is in no cache yet: signing in costs no cached answer.
    return () if change == NEW else (auth(row.user_id),)


def _thread_row(row: PracticeThread, change: str) -> Iterable[str]:
    if change == DELETED:  # its comments and attempts go by the database's cascade
        return (EVERYTHING,)
    return (thread(row.id), threads_of(row.learner_id), threads_of(row.coach_id), ALL_THREADS)


# A new comment stamped within this of its flush is appended after every older one, so
# a page whose last comment is older than twice this cannot gain it (comment_pages.py);
# one stamped earlier (seeded, imported) may land anywhere and counts as an edit.
APPENDED_WITHIN = timedelta(seconds=60)


def _comment_row(row: Comment, change: str) -> Iterable[str]:
    stamped = row.__dict__.get("created_at")
    if change == NEW and stamped is not None and stamped >= utcnow() - APPENDED_WITHIN:
        return (comment_added(row.thread_id),)
    return (comments(row.thread_id),)


def _video_row(row: Video, change: str) -> Iterable[str]:
    # A new video is in no answer yet; deleting one cascades to its attempts and comments.
    if change == DELETED:
        return (EVERYTHING,)
    return () if change == NEW else (video(row.id), videos_of(row.owner_id))


def _cascading(topics: Callable[[Any], Iterable[str]]) -> Rule:
    """Rows whose deletion the database cascades into rows the ORM does not track."""
    return lambda row, change: (EVERYTHING,) if change == DELETED else topics(row)


def _nothing(row: Any, change: str) -> Iterable[str]:
    return ()


RULES: dict[type, Rule] = {
    User: _user_row,
    AuthSession: _auth_session_row,
    CoachLink: lambda row, change: (links(row.coach_id), links(row.learner_id)),
    Exercise: _cascading(lambda row: (CATALOG,)),
    ExerciseTag: lambda row, change: (CATALOG,),
    PracticeThread: _thread_row,
    Attempt: lambda row, change: (thread(row.thread_id),),
    Comment: _comment_row,
    PracticeSession: lambda row, change: (practice(row.user_id),),
    # A new video is in no answer yet; deleting one cascades to its attempts and comments.
    Video: lambda row, change: (
        ()
        if change == NEW
        else (EVERYTHING,)
        if change == DELETED
        else (video(row.id), videos_of(row.owner_id))
    ),
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
    ShareLink: _nothing,
    SigninThrottle: _nothing,
    SuppressedAddress: _nothing,
    Upload: _nothing,
}
# Columns no write ever changes (a deletion of their row is `*`): a read that looks only
# at these in a table needs none of its topics (tests/readcache/test_declared_topics.py).
UNCHANGING: dict[str, frozenset[str]] = {
    "practice_threads": frozenset({"id", "learner_id", "coach_id", "exercise_id"}),
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
    "share_links": (),
    "signin_throttles": (),
    "suppressed_addresses": (),
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


# A bulk statement may name what it changes itself, narrower than its table's topics:
# `update(AuthSession).where(user_id == x).execution_options(**names(auth(x)))`.
NAMES = "readcache_topics"


def names(*topics: str) -> dict[str, tuple[str, ...]]:
    """Execution options by which a bulk statement names the topics it changes."""
    return {NAMES: topics}


def statement(state: ORMExecuteState) -> set[str]:
    """The topics of a statement run through the session outside a flush."""
    stmt = state.statement
    if isinstance(stmt, TextClause):
        return {EVERYTHING} if RAW_WRITE.search(stmt.text) else set()
    if not (state.is_insert or state.is_update or state.is_delete):
        return set()
    named = state.execution_options.get(NAMES)
    if named is not None:
        return set(named)
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
    cache: ReadCache | None = session.info.get(LOCAL)
    origin = {"origin": cache.origin} if cache is not None else {}
    payload = json.dumps({"topics": sorted(topics), **origin}, separators=(",", ":"))
    if len(payload.encode()) > MAX_PAYLOAD:
        payload = json.dumps({"topics": [EVERYTHING], **origin})
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
