"""Deleting one's own account (docs/domain.md, "Deleting an account").

Everything happens in one transaction: the person's rows go or are handed over, their
media objects are queued for removal by `delete_objects` jobs committed with it (an
idempotent job, so a crash half-way through removing objects only delays them), and the
user row stays as an anonymous tombstone so what they said in other people's threads
keeps an author ("Deleted account") and the other side's history stays whole.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from practika.domain.accounts import AccountToken, MailPreference
from practika.domain.base import utcnow
from practika.domain.coaching import CoachLink, Invite
from practika.domain.errors import Invalid
from practika.domain.exercises import Exercise, Visibility
from practika.domain.notifications import Notification
from practika.domain.playlists import Playlist
from practika.domain.practice import PracticeSession
from practika.domain.threads import PracticeThread, ThreadStatus
from practika.domain.users import AuthSession, PasswordReset, User
from practika.domain.videos import Video
from practika.email.addresses import normalize_address
from practika.security import Passwords
from practika.services import videos

DELETED_NAME = "Deleted account"


@dataclass(frozen=True)
class Deleted:
    """What the deletion did, for the response and the log."""

    threads_removed: int
    videos_removed: int
    exercises_handed_over: int
    exercises_archived: int
    successor_id: uuid.UUID | None


def tombstone_email(user_id: uuid.UUID) -> str:
    # `.invalid` can never receive mail (RFC 2606); the old address is free to sign up again.
    return f"deleted-{user_id.hex}@deleted.invalid"


async def _successor(db: AsyncSession, user: User, email: str | None) -> User | None:
    if not email:
        return None
    found = await db.scalar(
        select(User).where(
            User.email == normalize_address(email),
            User.is_active.is_(True),
            User.deleted_at.is_(None),
        )
    )
    if found is None or found.id == user.id:
        raise Invalid(
            "Name another active account to hand your exercises to, or leave it empty "
            "to archive them.",
            {"field": "successor_email"},
            code="no_successor",
        )
    return found


async def delete_account(
    db: AsyncSession,
    passwords: Passwords,
    user: User,
    *,
    password: str,
    successor_email: str | None,
) -> Deleted:
    """Check the password again, then remove or hand over everything the person owns."""
    if not await passwords.verify_async(user.password_hash, password):
        raise Invalid("The password is not right.", {"field": "password"}, code="wrong_password")
    successor = await _successor(db, user, successor_email)
    uid = user.id

    # As a learner: the threads they practise in go, with their attempts and everything
    # said about them (the videos are of the person; the feedback means nothing without).
    own_threads = list(
        await db.scalars(select(PracticeThread.id).where(PracticeThread.learner_id == uid))
    )
    await db.execute(delete(PracticeThread).where(PracticeThread.learner_id == uid))

    # As a coach: exercises (with their reference videos and the threads on them) are
    # handed over to the successor, or archived as private history of the threads.
    exercises = list(await db.scalars(select(Exercise).where(Exercise.author_id == uid)))
    drafts = [e for e in exercises if e.published_at is None]
    published = [e for e in exercises if e.published_at is not None]
    for draft in drafts:  # seen by nobody else: nothing to keep
        await db.delete(draft)
    kept_videos: set[uuid.UUID] = set()
    if successor is not None:
        kept_videos = {e.reference_video_id for e in published if e.reference_video_id}
        await _hand_over(db, uid, successor, published, kept_videos)
    else:
        await _archive(db, uid, published)

    # Their media: every video they uploaded but the reference videos handed over.
    mine = select(Video).where(Video.owner_id == uid)
    if kept_videos:
        mine = mine.where(Video.id.not_in(kept_videos))
    owned = list(await db.scalars(mine))
    await videos.remove(db, owned)

    for model, column in (
        (PracticeSession, PracticeSession.user_id),
        (Playlist, Playlist.owner_id),
        (Invite, Invite.coach_id),
        (Notification, Notification.user_id),
        (MailPreference, MailPreference.user_id),
        (AccountToken, AccountToken.user_id),
        (PasswordReset, PasswordReset.user_id),
        (AuthSession, AuthSession.user_id),
    ):
        await db.execute(delete(model).where(column == uid))
    await db.execute(
        delete(CoachLink).where((CoachLink.coach_id == uid) | (CoachLink.learner_id == uid))
    )
    _anonymise(user)
    await db.commit()
    return Deleted(
        threads_removed=len(own_threads),
        videos_removed=len(owned),
        exercises_handed_over=len(published) if successor else 0,
        exercises_archived=0 if successor else len(published),
        successor_id=successor.id if successor else None,
    )


async def _hand_over(
    db: AsyncSession,
    uid: uuid.UUID,
    successor: User,
    published: list[Exercise],
    reference_videos: set[uuid.UUID],
) -> None:
    """The successor becomes the author, the threads' coach, the reference videos' owner,
    the playlists' owner and the coach of the person's learners (so private exercises
    stay open to them)."""
    ids = [e.id for e in published]
    if ids:
        await db.execute(
            update(Exercise).where(Exercise.id.in_(ids)).values(author_id=successor.id)
        )
        await db.execute(
            update(PracticeThread)
            .where(PracticeThread.exercise_id.in_(ids))
            .values(coach_id=successor.id)
        )
    if reference_videos:
        await db.execute(
            update(Video)
            .where(Video.id.in_(reference_videos), Video.owner_id == uid)
            .values(owner_id=successor.id)
        )
    await db.execute(update(Playlist).where(Playlist.owner_id == uid).values(owner_id=successor.id))
    learners = set(await db.scalars(select(CoachLink.learner_id).where(CoachLink.coach_id == uid)))
    linked = set(
        await db.scalars(select(CoachLink.learner_id).where(CoachLink.coach_id == successor.id))
    )
    for learner_id in learners - linked - {successor.id}:
        db.add(CoachLink(coach_id=successor.id, learner_id=learner_id))
    await db.flush()


async def _archive(db: AsyncSession, uid: uuid.UUID, published: list[Exercise]) -> None:
    """Private and with no coach link left, the exercises leave every library; the threads
    on them become read-only history (access.thread_read_only), archived."""
    ids = [e.id for e in published]
    if not ids:
        return
    await db.execute(
        update(Exercise).where(Exercise.id.in_(ids)).values(visibility=Visibility.PRIVATE)
    )
    await db.execute(
        update(PracticeThread)
        .where(PracticeThread.exercise_id.in_(ids))
        .values(status=ThreadStatus.ARCHIVED)
    )


def _anonymise(user: User) -> None:
    now = utcnow()
    user.email = tombstone_email(user.id)
    user.display_name = DELETED_NAME
    user.password_hash = "!deleted"  # matches no password (security.Passwords.verify)
    user.is_active = False
    user.is_admin = False
    user.email_verified_at = None
    user.email_bounced_at = None
    user.email_complained_at = None
    user.digest_due_at = None
    user.deleted_at = now
