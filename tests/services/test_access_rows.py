"""Access rules as SQL clauses, judged by the rows they let through on a real database
(SQLite and PostgreSQL): nothing for anonymous visitors, the actor's own rows, and
everything for admins only where admins may look."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import ColumnElement, select

from practika.domain import access
from practika.domain.coaching import CoachLink, Invite
from practika.domain.notifications import Notification
from practika.domain.practice import PracticeSession
from practika.domain.threads import PracticeThread
from practika.domain.videos import Video
from tests.support import World

Rule = Callable[[access.Actor], ColumnElement[bool]]


class Scene:
    """Ana coaches Leo (linked through her invite); Bea coaches nobody; Max is an admin.
    Each has a video and a practice session; Leo practises Ana's exercise."""

    def __init__(self, world: World) -> None:
        self.world = world

    async def build(self) -> Scene:
        w = self.world
        self.ana, self.bea, self.max = await w.coach("Ana"), await w.coach("Bea"), await w.admin()
        self.leo = await w.learner("Leo", coached_by=self.ana)
        await w.thread(self.leo, await w.exercise(by=self.ana))
        await w.invite(self.bea)
        for person in (self.ana, self.bea, self.max, self.leo):
            await w.video(person)
            w.db.add(PracticeSession(user_id=person.id))
        await w.db.commit()
        return self

    def name_of(self, user_id: uuid.UUID) -> str:
        people = {p.id: p.display_name for p in (self.ana, self.bea, self.max, self.leo)}
        return people[user_id]

    async def owners(self, column: Any, rule: ColumnElement[bool]) -> list[str]:
        ids = await self.world.db.scalars(select(column).where(rule))
        return sorted(self.name_of(i) for i in ids)


@pytest.fixture
async def scene(world: World) -> Scene:
    return await Scene(world).build()


OWN_ROWS_ONLY: list[tuple[Rule, Any]] = [
    (access.session_listed, PracticeSession.user_id),
    (access.invite_managed, Invite.coach_id),
    (access.notification_visible, Notification.user_id),
    (access.thread_practised_by, PracticeThread.learner_id),
    (access.video_owned, Video.owner_id),
]


@pytest.mark.parametrize(("rule", "owner"), OWN_ROWS_ONLY)
async def test_own_rows_only_even_for_admins(scene: Scene, rule: Rule, owner: Any) -> None:
    assert await scene.owners(owner, rule(None)) == []
    for person in (scene.ana, scene.bea, scene.leo, scene.max):
        mine = await scene.owners(owner, rule(person))
        assert set(mine) <= {person.display_name}
    # Each rule lets someone see something (the scene is not empty where it matters).
    everyone = [await scene.owners(owner, rule(p)) for p in (scene.ana, scene.bea, scene.leo)]
    assert any(everyone)


async def test_a_session_by_id_is_its_owners_and_admins(scene: Scene) -> None:
    owners = PracticeSession.user_id
    assert await scene.owners(owners, access.session_visible(None)) == []
    assert await scene.owners(owners, access.session_visible(scene.leo)) == ["Leo"]
    assert await scene.owners(owners, access.session_visible(scene.max)) == [
        "Admin",
        "Ana",
        "Bea",
        "Leo",
    ]


async def test_a_link_is_seen_by_both_its_sides_only(scene: Scene) -> None:
    coaches = CoachLink.coach_id
    assert await scene.owners(coaches, access.link_visible(None)) == []
    assert await scene.owners(coaches, access.link_visible(scene.ana)) == ["Ana"]
    assert await scene.owners(coaches, access.link_visible(scene.leo)) == ["Ana"]
    assert await scene.owners(coaches, access.link_visible(scene.bea)) == []


async def test_a_thread_is_seen_by_its_learner_its_coach_and_admins(scene: Scene) -> None:
    learners = PracticeThread.learner_id
    assert await scene.owners(learners, access.thread_visible(None)) == []
    for who in (scene.ana, scene.leo, scene.max):
        assert await scene.owners(learners, access.thread_visible(who)) == ["Leo"]
    assert await scene.owners(learners, access.thread_visible(scene.bea)) == []


async def test_a_draft_is_its_authors_and_admins_alone(world: World) -> None:
    from practika.domain.exercises import Exercise

    ana, bea, admin = await world.coach("Ana"), await world.coach("Bea"), await world.admin()
    draft = await world.exercise(by=ana, title="Draft", draft=True)
    published = await world.exercise(by=ana, title="Published")

    async def seen(actor: access.Actor) -> set[uuid.UUID]:
        rule = access.exercise_published_or_own(actor)
        return set(await world.db.scalars(select(Exercise.id).where(rule)))

    assert await seen(None) == await seen(bea) == {published.id}
    assert await seen(ana) == await seen(admin) == {draft.id, published.id}
