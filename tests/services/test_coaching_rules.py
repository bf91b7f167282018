"""Coaching rules at the service layer, on a real session (SQLite and PostgreSQL), no HTTP:
threads, attempts, comments, playlists and invites, as the use cases enforce them."""

from __future__ import annotations

import pytest

from practika.domain.errors import Conflict, Forbidden, Invalid, NotFound
from practika.domain.exercises import Visibility
from practika.domain.threads import ThreadStatus
from practika.services import exercises, invites, playlists, progress, threads
from tests.support import World


async def test_a_learner_keeps_one_thread_per_exercise(world: World) -> None:
    ana = await world.coach("Ana")
    squat = await world.exercise(by=ana)
    leo = await world.learner("Leo")
    first = await world.thread(leo, squat)

    with pytest.raises(Conflict) as again:
        await world.thread(leo, squat)
    assert again.value.code == "thread_exists"
    assert again.value.details == {"thread_id": str(first.id)}


async def test_the_coach_of_an_exercise_opens_no_thread_on_it(world: World) -> None:
    ana = await world.coach("Ana")
    squat = await world.exercise(by=ana)
    with pytest.raises(Invalid):
        await world.thread(ana, squat)


async def test_a_private_exercise_is_for_the_coachs_learners_only(world: World) -> None:
    ana = await world.coach("Ana")
    secret = await world.exercise(by=ana, visibility="private")
    leo = await world.learner("Leo", coached_by=ana)
    stranger = await world.learner("Sam")

    assert (await world.thread(leo, secret)).coach_id == ana.id
    with pytest.raises(NotFound):
        await world.thread(stranger, secret)


async def test_only_the_learner_adds_attempts_and_a_video_is_one_attempt(world: World) -> None:
    ana = await world.coach("Ana")
    leo = await world.learner("Leo", coached_by=ana)
    thread = await world.thread(leo, await world.exercise(by=ana))
    first, second = await world.attempts(thread, 2)
    assert first.video_id != second.video_id

    video = await world.video(ana)
    with pytest.raises(Forbidden):
        await threads.add_attempt(
            world.db, ana, thread.id, video_id=video.id, notes="", recorded_at=None
        )
    listed = await threads.list_attempts(world.db, ana, thread.id, cursor=None, limit=10)
    assert {a.id for a in listed.items} == {first.id, second.id}
    with pytest.raises(Conflict):  # last: the refused write rolls the session back
        await threads.add_attempt(
            world.db, leo, thread.id, video_id=first.video_id, notes="", recorded_at=None
        )


async def test_an_archived_thread_takes_no_attempt_until_reopened(world: World) -> None:
    ana = await world.coach("Ana")
    leo = await world.learner("Leo", coached_by=ana)
    thread = await world.thread(leo, await world.exercise(by=ana))
    await threads.set_status(world.db, leo, thread.id, ThreadStatus.ARCHIVED)

    with pytest.raises(Conflict) as refused:
        await world.attempt(thread)
    assert refused.value.code == "thread_archived"
    await threads.set_status(world.db, leo, thread.id, ThreadStatus.OPEN)
    assert (await world.attempt(thread)).thread_id == thread.id


async def test_a_comment_lies_within_its_video_and_in_its_thread(world: World) -> None:
    ana = await world.coach("Ana")
    leo = await world.learner("Leo", coached_by=ana)
    thread = await world.thread(leo, await world.exercise(by=ana))
    attempt = await world.attempt(thread, duration_ms=10_000)

    made = await world.comment(ana, attempt, at_ms=(1_000, 9_000))
    assert (made.t_start_ms, made.t_end_ms) == (1_000, 9_000)
    with pytest.raises(Invalid):
        await world.comment(ana, attempt, at_ms=(9_000, 11_000))  # past the end
    with pytest.raises(NotFound):
        await world.comment(await world.person("Sam"), attempt)  # not in the thread


async def test_a_playlist_holds_only_exercises_its_owner_may_see(world: World) -> None:
    ana, bea = await world.coach("Ana"), await world.coach("Bea")
    mine = await world.exercise(by=ana, title="Lunge")
    beas_secret = await world.exercise(by=bea, visibility="private")
    playlist = await playlists.create_playlist(
        world.db, ana, title="Legs", description="", visibility=Visibility.PRIVATE
    )

    playlist = await playlists.add_item(world.db, ana, playlist.id, {"exercise_id": mine.id})
    assert [i.exercise_id for i in playlist.items] == [mine.id]
    with pytest.raises(Invalid):
        await playlists.add_item(world.db, ana, playlist.id, {"exercise_id": beas_secret.id})


async def test_a_private_playlist_is_seen_by_its_owners_learners_only(world: World) -> None:
    ana = await world.coach("Ana")
    leo = await world.learner("Leo", coached_by=ana)
    sam = await world.learner("Sam")
    playlist = await playlists.create_playlist(
        world.db, ana, title="Legs", description="", visibility=Visibility.PRIVATE
    )

    assert (await playlists.get_visible(world.db, leo, playlist.id)).id == playlist.id
    with pytest.raises(NotFound):
        await playlists.get_visible(world.db, sam, playlist.id)
    with pytest.raises(Forbidden):  # seeing is not managing
        await playlists.add_item(world.db, leo, playlist.id, {"exercise_id": playlist.id})


async def test_an_invite_links_once_and_only_for_its_address(world: World) -> None:
    ana = await world.coach("Ana")
    leo, sam = await world.learner("Leo"), await world.learner("Sam")
    invite, code = await invites.create_invite(
        world.db, world.settings, ana, email=leo.email, note=None, ttl_days=None
    )

    expected = (ana.id, leo.id)
    with pytest.raises(Conflict) as wrong:
        await invites.accept_invite(world.db, sam, code)
    assert wrong.value.code == "invite_email"
    link, coach, learner = await invites.accept_invite(world.db, leo, code)
    assert (coach.id, learner.id) == expected
    with pytest.raises(Conflict) as used:
        await invites.accept_invite(world.db, leo, code)
    assert used.value.code == "invite_accepted"


async def test_a_revoked_invite_links_nobody(world: World) -> None:
    ana, leo = await world.coach("Ana"), await world.learner("Leo")
    invite, code = await invites.create_invite(
        world.db, world.settings, ana, email=None, note=None, ttl_days=None
    )
    await invites.revoke_invite(world.db, ana, invite.id)
    with pytest.raises(Conflict) as refused:
        await invites.accept_invite(world.db, leo, code)
    assert refused.value.code == "invite_revoked"
    with pytest.raises(NotFound):  # and the learner still cannot see her private work
        secret = await world.exercise(by=ana, visibility="private")
        await exercises.get_visible(world.db, leo, secret.id)


async def test_a_coach_sees_a_learners_progress_over_her_own_threads_only(
    world: World,
) -> None:
    ana, bea = await world.coach("Ana"), await world.coach("Bea")
    leo = await world.learner("Leo", coached_by=ana)
    await world.link(bea, leo)
    await world.attempts(await world.thread(leo, await world.exercise(by=ana)), 2)
    beas = await world.exercise(by=bea, title="Pistol squat", visibility="private")
    await world.attempt(await world.thread(leo, beas))

    own = await progress.summary(await world.reads(), leo)
    as_ana = await progress.summary(await world.reads(), leo, viewer=ana)
    assert sorted(e.attempts for e in own.attempts_per_exercise) == [1, 2]
    assert [(e.title, e.attempts) for e in as_ana.attempts_per_exercise] == [("Goblet squat", 2)]
