"""Domain rules without HTTP or a database: timecodes, streaks, access predicates."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from practika.domain import access
from practika.domain.comments import Comment
from practika.domain.errors import Conflict, Invalid
from practika.domain.threads import PracticeThread
from practika.domain.timecodes import check_range, format_ms
from practika.domain.users import User
from practika.domain.videos import Video, VideoStatus
from practika.services.progress import streaks


def user(admin: bool = False) -> User:
    return User(
        id=uuid.uuid4(), email="x@example.com", display_name="X", password_hash="", is_admin=admin
    )


@pytest.mark.parametrize(("start", "end", "duration"), [(0, 0, 1), (0, 1000, 1000), (5, 9, 10)])
def test_valid_ranges(start: int, end: int, duration: int) -> None:
    check_range(start, end, duration)


@pytest.mark.parametrize(
    ("start", "end", "duration", "error"),
    [(-1, 5, 10, Invalid), (6, 5, 10, Invalid), (0, 11, 10, Invalid), (0, 1, None, Conflict)],
)
def test_invalid_ranges(start: int, end: int, duration: int | None, error: type) -> None:
    with pytest.raises(error):
        check_range(start, end, duration)


def test_format_ms() -> None:
    assert format_ms(75_250) == "1:15.250"


def test_streaks() -> None:
    today = date(2026, 11, 25)
    days = {today - timedelta(days=n) for n in (1, 2, 3, 7, 8)}
    assert streaks(days, today) == (3, 3)  # today not practised yet: yesterday's run counts
    assert streaks(days | {today}, today) == (4, 4)
    assert streaks({today - timedelta(days=3)}, today) == (0, 1)
    assert streaks(set(), today) == (0, 0)


def test_attempt_rights() -> None:
    learner, coach, admin = user(), user(), user(admin=True)
    thread = PracticeThread(learner_id=learner.id, coach_id=coach.id, exercise_id=uuid.uuid4())
    assert [access.can_edit_attempt(p, thread) for p in (learner, coach, admin, None)] == [
        True,
        False,
        False,
        False,
    ]
    assert [access.can_add_attempt(p, thread) for p in (learner, coach, admin)] == [
        True,
        False,
        False,
    ]
    assert [access.can_delete_attempt(p, thread) for p in (learner, coach, admin)] == [
        True,
        False,
        True,
    ]


def test_comment_edit_and_delete_rights() -> None:
    author, admin, other = user(), user(admin=True), user()
    comment = Comment(author_id=author.id)
    assert [access.can_edit_comment(p, comment) for p in (author, admin, other)] == [
        True,
        False,
        False,
    ]
    assert [access.can_delete_comment(p, comment) for p in (author, admin, other)] == [
        True,
        True,
        False,
    ]


def test_video_status_machine() -> None:
    v = Video(status=VideoStatus.UPLOADING)
    assert v.can_move_to(VideoStatus.UPLOADED) and not v.can_move_to(VideoStatus.READY)
    v.status = VideoStatus.PROCESSING
    assert v.can_move_to(VideoStatus.PROCESSING)  # a re-claimed job may start again
    v.status = VideoStatus.READY
    assert not any(v.can_move_to(s) for s in VideoStatus)
    v.status = VideoStatus.FAILED  # only back to the start, by `practika reprocess`
    assert [s for s in VideoStatus if v.can_move_to(s)] == [VideoStatus.UPLOADED]


def test_awaiting_feedback() -> None:
    from datetime import UTC, datetime

    t = PracticeThread(last_learner_activity_at=None, last_coach_activity_at=None)
    assert not t.awaiting_feedback
    t.last_learner_activity_at = datetime(2026, 1, 2, tzinfo=UTC)
    assert t.awaiting_feedback
    t.last_coach_activity_at = datetime(2026, 1, 3, tzinfo=UTC)
    assert not t.awaiting_feedback
