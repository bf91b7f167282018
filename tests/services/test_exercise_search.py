"""Library search at the service layer, on a real session, on SQLite (FTS5) and PostgreSQL
(tsvector): stems, tags, one typo, the count, drafts, and the index kept in step."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from practika.db_reads import Reads
from practika.domain.base import utcnow
from practika.domain.errors import Conflict
from practika.domain.exercises import Difficulty, Exercise, Visibility
from practika.domain.users import User
from practika.services import exercise_search, exercises
from practika.storage import StoragePort
from tests.support import Api, Person


class Library:
    """A coach's exercises and searches as other people see them, through the services."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.coach = uuid.UUID(api.signup("Ana").id)
        self.learner = uuid.UUID(api.signup("Leo").id)

    def run(self, work: Callable[[AsyncSession], Any]) -> Any:
        return self.api.run(work)

    def add(
        self, title: str, *, tags: tuple[str, ...] = (), description: str = "", draft: bool = False
    ) -> str:
        async def work(db: AsyncSession) -> str:
            coach = await db.get_one(User, self.coach)
            exercise = await exercises.create_exercise(
                db,
                coach,
                title=title,
                description=description,
                category="strength",
                difficulty=Difficulty.BEGINNER,
                visibility=Visibility.PUBLIC,
                tags=list(tags),
                reference_video_id=None,
            )
            if not draft:  # as published (the publish rule has tests of its own)
                exercise.published_at = utcnow()
                await db.commit()
            return str(exercise.id)

        return self.run(work)

    def search(self, q: str, *, who: str = "learner", limit: int = 24, cursor: str | None = None):
        """The library's page (its JSON's fields as attributes) as `who` sees it."""
        state = self.api.client.app.state  # type: ignore[attr-defined]

        async def work(db: AsyncSession) -> SimpleNamespace:
            actor = await db.get_one(User, self.coach if who == "coach" else self.learner)
            read = await exercises.library(
                await Reads.of(db),
                actor,
                storage=StoragePort(state.storage),
                settings=state.settings,
                filters=exercises.ExerciseFilter(q=q),
                cursor=cursor,
                limit=limit,
            )
            return SimpleNamespace(**read.value)

        return self.run(work)

    def titles(self, q: str, **kw: Any) -> list[str]:
        return sorted(e["title"] for e in self.search(q, **kw).items)

    def change(self, exercise_id: str, **changes: Any) -> None:
        async def work(db: AsyncSession) -> None:
            coach = await db.get_one(User, self.coach)
            await exercises.update_exercise(db, coach, uuid.UUID(exercise_id), changes)

        self.run(work)


@pytest.fixture
def library(api: Api) -> Library:
    return Library(api)


def test_a_word_finds_its_other_forms(library: Library) -> None:
    library.add("Goblet squat")
    library.add("Squats to a box")
    library.add("Walking lunges")
    assert library.titles("squats") == ["Goblet squat", "Squats to a box"]
    assert library.titles("squat") == ["Goblet squat", "Squats to a box"]
    assert library.titles("lunge") == ["Walking lunges"]
    assert library.titles("walk lunging") == ["Walking lunges"]  # every word, any form


def test_tags_and_descriptions_are_searched(library: Library) -> None:
    library.add("Cossack shift", tags=("mobility", "hips"))
    library.add("Hollow hold", description="Press the lower back into the floor.")
    assert library.titles("mobility") == ["Cossack shift"]
    assert library.titles("hip") == ["Cossack shift"]
    assert library.titles("pressing floors") == ["Hollow hold"]


def test_part_of_a_word_still_finds_it(library: Library) -> None:
    library.add("Kettlebell swing")
    assert library.titles("kettle") == ["Kettlebell swing"]


def test_one_typo_is_corrected_and_said(library: Library) -> None:
    library.add("Goblet squat")
    library.add("Kettlebell swing")
    page = library.search("sqaut")
    assert [e["title"] for e in page.items] == ["Goblet squat"]
    assert page.corrected_q == "squat"
    assert library.search("kettlebel swnig").corrected_q == "kettlebell swing"
    assert library.titles("goblet sqaut") == ["Goblet squat"]
    # A search that matches as typed is not "corrected"; nonsense stays unmatched.
    assert library.search("squat").corrected_q is None
    nothing = library.search("xylophone")
    assert (nothing.items, nothing.total, nothing.corrected_q) == ([], 0, None)


def test_the_count_covers_every_page(library: Library) -> None:
    for n in range(3):
        library.add(f"Squat variation {n}")
    page = library.search("squat", limit=2)
    assert (len(page.items), page.total) == (2, 3)
    assert page.next_cursor is not None
    # Past the cursor the page holds what follows; the count is still of every match.
    rest = library.search("squat", limit=2, cursor=page.next_cursor)
    assert (len(rest.items), rest.total, rest.next_cursor) == (1, 3, None)
    seen = {e["title"] for e in page.items} | {e["title"] for e in rest.items}
    assert seen == {f"Squat variation {n}" for n in range(3)}


def test_a_typo_past_a_cursor_pages_through_the_corrected_search(library: Library) -> None:
    for n in range(3):
        library.add(f"Squat variation {n}")
    page = library.search("sqaut", limit=2)
    assert (page.total, page.corrected_q) == (3, "squat")
    rest = library.search("sqaut", limit=2, cursor=page.next_cursor)
    assert (len(rest.items), rest.total, rest.corrected_q) == (1, 3, "squat")


def test_a_draft_is_found_by_its_author_only(library: Library) -> None:
    library.add("Pistol squat", draft=True)
    assert library.titles("pistol") == []
    assert library.titles("pistol", who="coach") == ["Pistol squat"]
    # Its words correct nobody's typo into a result they cannot see.
    assert library.search("pistl").corrected_q is None


def test_edits_and_deletes_keep_the_search_in_step(library: Library) -> None:
    exercise_id = library.add("Goblet squat", tags=("legs",))
    library.change(exercise_id, title="Front lunge")
    assert library.titles("squat") == []
    assert library.titles("lunges") == ["Front lunge"]
    library.change(exercise_id, tags=["balance"])
    assert library.titles("legs") == []
    assert library.titles("balancing") == ["Front lunge"]
    library.change(exercise_id, description="Knee tracks the toes.")
    assert library.titles("tracking") == ["Front lunge"]

    async def delete(db: AsyncSession) -> None:
        await exercises.delete_exercise(
            db, await db.get_one(User, library.coach), uuid.UUID(exercise_id)
        )

    library.run(delete)
    assert library.titles("lunge") == []
    assert library.search("lunge").corrected_q is None


def test_publishing_needs_a_ready_reference_video(api: Api, library: Library) -> None:
    draft = uuid.UUID(library.add("Pistol squat", draft=True))

    async def publish(db: AsyncSession) -> Exercise:
        return await exercises.publish_exercise(db, await db.get_one(User, library.coach), draft)

    with pytest.raises(Conflict) as missing:
        library.run(publish)
    assert missing.value.code == "reference_video_missing"

    video = api.ready_video(Person(id=str(library.coach), email="", token="", name="Ana"))
    library.change(str(draft), reference_video_id=uuid.UUID(video))
    published = library.run(publish)
    assert published.published_at is not None
    assert library.titles("pistol") == ["Pistol squat"]


@pytest.mark.parametrize(
    ("a", "b", "edits"),
    [
        ("squat", "squat", 0),
        ("sqaut", "squat", 1),
        ("squats", "squat", 1),
        ("swnig", "swing", 1),
        ("kettlebel", "kettlebell", 1),
        ("lunge", "plunge", 1),
        ("abc", "", 3),
    ],
)
def test_distance_counts_a_swap_as_one_edit(a: str, b: str, edits: int) -> None:
    assert exercise_search.distance(a, b) == edits


def test_query_words_are_plain_words_without_stopwords() -> None:
    assert exercise_search.words('The "squat" -OR- hips* & 100%') == ["squat", "hips", "100"]
