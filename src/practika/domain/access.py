"""Who may see and do what: the one place access rules are decided.

Two forms of each rule: a SQL clause (so lists, counts and searches can only ever
contain visible rows) and a predicate on a loaded object (for writes). Anything a
person may not see is reported as missing, never as forbidden, so that ids leak
nothing; "forbidden" is reserved for things they can see but not change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import ColumnElement, and_, bindparam, exists, false, or_, select, true

from practika.domain.coaching import CoachLink, Invite
from practika.domain.comments import Comment
from practika.domain.exercises import Exercise, Visibility
from practika.domain.exports import MediaExport
from practika.domain.notifications import Notification
from practika.domain.playlists import Playlist
from practika.domain.practice import PracticeSession
from practika.domain.threads import Attempt, PracticeThread
from practika.domain.users import AuthSession, User
from practika.domain.videos import Video, VideoStatus

Actor = User | None  # None is an anonymous visitor
ACTOR_ID = "actor_id"


@dataclass(frozen=True)
class _Placeholder:
    is_admin: bool
    id: Any = field(default_factory=lambda: bindparam(ACTOR_ID))


def someone(*, admin: bool, param: str = ACTOR_ID) -> User:
    """An actor for a statement built once: the same rules, with the actor's id as the
    bind parameter `actor_id` (pass `{ACTOR_ID: actor.id}` when running it). Another
    `param` names it when one statement holds two people (a learner and their viewer)."""
    return cast(User, _Placeholder(admin, bindparam(param)))


def _is_admin(actor: Actor) -> bool:
    return actor is not None and actor.is_admin


def _learner_of(actor: User, coach_column: ColumnElement) -> ColumnElement[bool]:
    return exists(
        select(CoachLink.id).where(
            CoachLink.coach_id == coach_column, CoachLink.learner_id == actor.id
        )
    )


def _shared_clause(
    model: type[Exercise] | type[Playlist], owner_col, actor: Actor, *, listed: bool
):
    """Visibility shared by exercises and playlists (public / link / private)."""
    if _is_admin(actor):
        return true()
    public = model.visibility == Visibility.PUBLIC
    if not listed:
        public = model.visibility.in_([Visibility.PUBLIC, Visibility.LINK])
    if actor is None:
        return public
    private_to_me = and_(model.visibility == Visibility.PRIVATE, _learner_of(actor, owner_col))
    return or_(public, owner_col == actor.id, private_to_me)


# Exercises


def exercise_published_or_own(actor: Actor) -> ColumnElement[bool]:
    """A draft (never published) is its author's alone (and admins', who moderate)."""
    if _is_admin(actor):
        return true()
    published = Exercise.published_at.is_not(None)
    return published if actor is None else or_(published, Exercise.author_id == actor.id)


def sees_exercise_draft(actor: Actor, exercise: Exercise) -> bool:
    """The predicate form of `exercise_published_or_own`."""
    return exercise.published_at is not None or (
        actor is not None and (actor.is_admin or actor.id == exercise.author_id)
    )


def exercise_visible(actor: Actor) -> ColumnElement[bool]:
    """Readable by id: unlisted ones too, for anyone holding the link; drafts by their author."""
    return and_(
        _shared_clause(Exercise, Exercise.author_id, actor, listed=False),
        exercise_published_or_own(actor),
    )


def exercise_listed(actor: Actor) -> ColumnElement[bool]:
    """Shown in lists and search: unlisted exercises and drafts only to their author."""
    return and_(
        _shared_clause(Exercise, Exercise.author_id, actor, listed=True),
        exercise_published_or_own(actor),
    )


def can_manage_exercise(actor: Actor, exercise: Exercise) -> bool:
    return actor is not None and (actor.is_admin or exercise.author_id == actor.id)


# Playlists follow the same visibility rules as exercises.


def playlist_visible(actor: Actor) -> ColumnElement[bool]:
    return _shared_clause(Playlist, Playlist.owner_id, actor, listed=False)


def playlist_listed(actor: Actor) -> ColumnElement[bool]:
    return _shared_clause(Playlist, Playlist.owner_id, actor, listed=True)


def can_manage_playlist(actor: Actor, playlist: Playlist) -> bool:
    return actor is not None and (actor.is_admin or playlist.owner_id == actor.id)


# Practice threads are private to the learner, the exercise's author and admins.


def sees_every_thread(actor: Actor) -> bool:
    return _is_admin(actor)


def thread_visible(actor: Actor) -> ColumnElement[bool]:
    if actor is None:
        return false()
    if sees_every_thread(actor):
        return true()
    return or_(PracticeThread.learner_id == actor.id, PracticeThread.coach_id == actor.id)


def thread_practised_by(actor: Actor) -> ColumnElement[bool]:
    """The threads the actor practises in as the learner: what their progress counts.

    Narrower than `thread_visible` on purpose: a coach's or an admin's progress is
    their own practice, never the threads they can merely see.
    """
    if actor is None:
        return false()
    return PracticeThread.learner_id == actor.id


def thread_read_only() -> ColumnElement[bool]:
    """A thread is read-only history once its learner may no longer see its exercise:
    the exercise is private and the coach–learner link has ended (or it was made private
    after the link ended). Then nobody adds attempts or comments, for either side; what
    was said stays readable, but the exercise itself (and its reference video) is gone
    for the learner. Evaluated per thread row, for lists and writes alike.
    """
    learner_may_see = or_(
        Exercise.visibility != Visibility.PRIVATE,
        Exercise.author_id == PracticeThread.learner_id,
        exists(
            select(CoachLink.id).where(
                CoachLink.coach_id == Exercise.author_id,
                CoachLink.learner_id == PracticeThread.learner_id,
            )
        ),
    )
    return ~exists(
        select(Exercise.id).where(Exercise.id == PracticeThread.exercise_id, learner_may_see)
    )


def can_add_attempt(actor: Actor, thread: PracticeThread) -> bool:
    """Attempts are the learner's own videos; nobody uploads on their behalf."""
    return actor is not None and actor.id == thread.learner_id


def can_edit_attempt(actor: Actor, thread: PracticeThread) -> bool:
    """Notes and retries are the learner's: the coach answers in comments instead."""
    return actor is not None and actor.id == thread.learner_id


def can_delete_attempt(actor: Actor, thread: PracticeThread) -> bool:
    return actor is not None and (actor.is_admin or actor.id == thread.learner_id)


def attempt_shown(actor: Actor) -> ColumnElement[bool]:
    """SQL, on a query joined to the attempt's thread and video: which attempts of a
    visible thread the actor sees. The learner sees all of theirs (a failed one with its
    reason, to retry or delete); anyone else only ready ones, never a technical failure
    nor a video still on its way."""
    if actor is None:
        return false()
    if actor.is_admin:
        return true()
    return or_(PracticeThread.learner_id == actor.id, Video.status == VideoStatus.READY)


def can_review_thread(actor: Actor, thread: PracticeThread) -> bool:
    """Marking a thread reviewed (no comment needed) is its coach's call alone."""
    return actor is not None and actor.id == thread.coach_id


def can_share_thread(actor: Actor, thread: PracticeThread) -> bool:
    """Read-only share links (services/sharing.py) are made, listed and revoked by the
    thread's learner and coach only: an admin who may read the thread gets no exception."""
    return actor is not None and actor.id in (thread.learner_id, thread.coach_id)


def can_edit_comment(actor: Actor, comment: Comment) -> bool:
    return actor is not None and actor.id == comment.author_id


def can_delete_comment(actor: Actor, comment: Comment) -> bool:
    """Authors retract their own words; admins moderate."""
    return actor is not None and (actor.is_admin or actor.id == comment.author_id)


# Exports of an attempt's feedback go with the attempt's thread.


def export_visible(actor: Actor) -> ColumnElement[bool]:
    """SQL on MediaExport: exports of attempts in threads the actor sees (and, for a
    review's export, only while the review is not deleted)."""
    if actor is None:
        return false()
    in_thread = exists(
        select(Attempt.id)
        .join(PracticeThread, PracticeThread.id == Attempt.thread_id)
        .where(Attempt.id == MediaExport.attempt_id, thread_visible(actor))
    )
    review_live = or_(
        MediaExport.comment_id.is_(None),
        exists(
            select(Comment.id).where(
                Comment.id == MediaExport.comment_id, Comment.deleted_at.is_(None)
            )
        ),
    )
    return and_(in_thread, review_live)


# Videos are visible to their owner and to whoever may see what they belong to.


def video_visible(actor: Actor) -> ColumnElement[bool]:
    if actor is not None and actor.is_admin:
        return true()
    as_reference = exists(
        select(Exercise.id).where(Exercise.reference_video_id == Video.id, exercise_visible(actor))
    )
    if actor is None:
        return as_reference
    # Through an attempt only once ready: a coach never sees a failed upload's reason.
    as_attempt = and_(
        Video.status == VideoStatus.READY,
        exists(
            select(Attempt.id)
            .join(PracticeThread, PracticeThread.id == Attempt.thread_id)
            .where(Attempt.video_id == Video.id, thread_visible(actor))
        ),
    )
    # A comment's clip (a video/audio reply, a review's voice): as private as its thread.
    as_clip = and_(
        Video.status == VideoStatus.READY,
        exists(
            select(Comment.id)
            .join(PracticeThread, PracticeThread.id == Comment.thread_id)
            .where(
                Comment.media_video_id == Video.id,
                Comment.deleted_at.is_(None),
                thread_visible(actor),
            )
        ),
    )
    return or_(Video.owner_id == actor.id, as_reference, as_attempt, as_clip)


def video_owned(actor: Actor) -> ColumnElement[bool]:
    """Videos the actor uploaded: the only ones they may attach (as an attempt or a
    reference video) or manage as an upload. Seeing a video is not enough to reuse it,
    and admins get no exception.
    """
    if actor is None:
        return false()
    return Video.owner_id == actor.id


# A coach's view of one learner: their coaches (a link, either way it was made) and admins.


def learner_viewable(actor: Actor) -> ColumnElement[bool]:
    """SQL on User: the learners whose page (threads, sessions, progress) the actor sees."""
    if actor is None:
        return false()
    if actor.is_admin:
        return true()
    return exists(
        select(CoachLink.id).where(CoachLink.coach_id == actor.id, CoachLink.learner_id == User.id)
    )


# Practice sessions are personal.


def session_visible(actor: Actor) -> ColumnElement[bool]:
    """A session by id, to read or change: its owner's, and any for an admin."""
    if actor is None:
        return false()
    if actor.is_admin:
        return true()
    return PracticeSession.user_id == actor.id


def session_of_learner(actor: Actor, learner_id: object) -> ColumnElement[bool]:
    """A learner's sessions on their page: for an admin, or a coach linked to them."""
    if actor is None:
        return false()
    if actor.is_admin:
        return PracticeSession.user_id == learner_id
    return and_(
        PracticeSession.user_id == learner_id,
        exists(
            select(CoachLink.id).where(
                CoachLink.coach_id == actor.id, CoachLink.learner_id == learner_id
            )
        ),
    )


def session_listed(actor: Actor) -> ColumnElement[bool]:
    """The session list and the progress summary: one's own sessions, admins included."""
    if actor is None:
        return false()
    return PracticeSession.user_id == actor.id


# Coaching: invites belong to the coach who made them; a link to both its sides.


def invite_managed(actor: Actor) -> ColumnElement[bool]:
    """Invites the actor sees and may revoke: the ones they issued (admins get none)."""
    if actor is None:
        return false()
    return Invite.coach_id == actor.id


def invite_addressed_to(actor: User, invite: Invite) -> bool:
    """Anyone holding the code may accept, unless the invite was made for one email."""
    return not invite.email or invite.email == actor.email


def link_visible(actor: Actor) -> ColumnElement[bool]:
    """Links the actor sees and may end: those they are the coach or the learner of.

    Admins get no exception: they see and end only links they are part of.
    """
    if actor is None:
        return false()
    return or_(CoachLink.coach_id == actor.id, CoachLink.learner_id == actor.id)


# Notifications


def notification_visible(actor: Actor) -> ColumnElement[bool]:
    """Notifications are their recipient's alone: to list, count and mark read."""
    if actor is None:
        return false()
    return Notification.user_id == actor.id


# Accounts: sign-in sessions are their owner's alone; the system's health is for admins.


def auth_session_owned(actor: Actor) -> ColumnElement[bool]:
    """Sessions the actor may list and sign out: their own (admins get no exception)."""
    if actor is None:
        return false()
    return AuthSession.user_id == actor.id


def sees_system_health(actor: Actor) -> bool:
    """Failed jobs, failed videos and mail status span every account: admins only."""
    return _is_admin(actor)
