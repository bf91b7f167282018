"""Every ORM model, imported in one place so that metadata (and Alembic) sees them all."""

from practika.domain.accounts import (
    AccountToken,
    MailPreference,
    MailRequest,
    SuppressedAddress,
)
from practika.domain.analysis import AnalysisStatus, PoseAlignment, VideoAnalysis
from practika.domain.base import Base
from practika.domain.coaching import CoachLink, Invite
from practika.domain.comments import Comment, CommentKind, CommentRevision
from practika.domain.exercises import Difficulty, Exercise, ExerciseTag, Visibility
from practika.domain.exports import ExportKind, ExportStatus, MediaExport
from practika.domain.idempotency import IdempotencyRecord
from practika.domain.jobs import Job, JobStatus
from practika.domain.notifications import Notification, NotificationKind
from practika.domain.playlists import Playlist, PlaylistItem
from practika.domain.practice import PracticeSession, SessionItem
from practika.domain.sharing import ShareLink
from practika.domain.threads import Attempt, PracticeThread, ThreadStatus
from practika.domain.uploads import Upload
from practika.domain.users import AuthSession, PasswordReset, SigninThrottle, User
from practika.domain.videos import Video, VideoPurpose, VideoStatus

__all__ = [
    "AccountToken",
    "AnalysisStatus",
    "Attempt",
    "AuthSession",
    "Base",
    "CoachLink",
    "Comment",
    "CommentKind",
    "CommentRevision",
    "Difficulty",
    "Exercise",
    "ExerciseTag",
    "ExportKind",
    "ExportStatus",
    "IdempotencyRecord",
    "Invite",
    "Job",
    "JobStatus",
    "MailPreference",
    "MailRequest",
    "MediaExport",
    "Notification",
    "NotificationKind",
    "PasswordReset",
    "Playlist",
    "PlaylistItem",
    "PoseAlignment",
    "PracticeSession",
    "PracticeThread",
    "SessionItem",
    "ShareLink",
    "SigninThrottle",
    "SuppressedAddress",
    "ThreadStatus",
    "Upload",
    "User",
    "Video",
    "VideoAnalysis",
    "VideoPurpose",
    "VideoStatus",
    "Visibility",
]
