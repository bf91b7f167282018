"""Playlists: build, reorder, duplicate, and what a viewer may see of them."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from practika.domain.videos import Video
from tests.support import Api


@pytest.fixture
def built(api: Api):
    coach = api.signup("Ana")
    exercises = [api.exercise(coach, title=f"E{n}") for n in range(3)]
    p = api.post("/api/v1/playlists", coach, json={"title": "Legs", "visibility": "public"}).json()
    for e, reps in zip(exercises, (5, 8, 12), strict=True):
        p = api.post(
            f"/api/v1/playlists/{p['id']}/items",
            coach,
            json={"exercise_id": e["id"], "sets": 3, "reps": reps, "rest_s": 60},
        ).json()
    return coach, exercises, p


def test_items_keep_their_order_and_settings(api: Api, built) -> None:
    _, exercises, p = built
    assert [i["exercise_id"] for i in p["items"]] == [e["id"] for e in exercises]
    assert [i["reps"] for i in p["items"]] == [5, 8, 12]
    assert [i["position"] for i in p["items"]] == [0, 1, 2]


def test_items_carry_their_exercise_title_and_poster(api: Api, built) -> None:
    coach, exercises, p = built
    video_id = exercises[0]["reference_video_id"]

    async def give_poster(db: AsyncSession) -> None:
        await db.execute(
            update(Video)
            .where(Video.id == uuid.UUID(video_id))
            .values(
                poster_key=f"test/{video_id}/poster.jpg", sprite_key=f"test/{video_id}/sprite.jpg"
            )
        )
        await db.commit()

    api.run(give_poster)
    for seen in (
        api.get(f"/api/v1/playlists/{p['id']}", api.signup("Olga")).json(),
        api.get("/api/v1/playlists", coach, params={"owner_id": coach.id}).json()["items"][0],
    ):
        shown = [i["exercise"] for i in seen["items"]]
        assert [e["title"] for e in shown] == ["E0", "E1", "E2"]
        assert [e["id"] for e in shown] == [e["id"] for e in exercises]
        first = shown[0]["reference_video"]
        assert first["id"] == video_id and first["duration_ms"] == 20_000
        assert first["poster_url"] and first["sprite_url"]
        assert shown[1]["reference_video"]["poster_url"] is None  # ready, but no poster made


def test_reorder(api: Api, built) -> None:
    coach, _, p = built
    ids = [i["id"] for i in p["items"]]
    r = api.put(f"/api/v1/playlists/{p['id']}/order", coach, json={"item_ids": ids[::-1]})
    assert r.status_code == 200
    assert [i["id"] for i in r.json()["items"]] == ids[::-1]
    assert [i["id"] for i in api.get(f"/api/v1/playlists/{p['id']}").json()["items"]] == ids[::-1]


@pytest.mark.parametrize(
    "mangle",
    [
        lambda ids: ids[:-1],
        lambda ids: ids + ids[:1],
        lambda ids: ids[:-1] + ["00000000-0000-0000-0000-000000000000"],
    ],
)
def test_reorder_must_name_every_item_once(api: Api, built, mangle) -> None:
    coach, _, p = built
    ids = [i["id"] for i in p["items"]]
    r = api.put(f"/api/v1/playlists/{p['id']}/order", coach, json={"item_ids": mangle(ids)})
    assert r.status_code == 422
    assert [i["id"] for i in api.get(f"/api/v1/playlists/{p['id']}").json()["items"]] == ids


def test_duplicate_makes_a_private_copy_for_the_viewer(api: Api, built) -> None:
    _, _, p = built
    learner = api.signup("Leo")
    r = api.post(f"/api/v1/playlists/{p['id']}/duplicate", learner)
    assert r.status_code == 201
    copy = r.json()
    assert copy["owner_id"] == learner.id and copy["visibility"] == "private"
    assert [i["reps"] for i in copy["items"]] == [5, 8, 12]
    assert copy["id"] != p["id"]


def test_items_on_exercises_the_viewer_cannot_see_are_left_out(api: Api, built) -> None:
    coach, _, p = built
    secret = api.exercise(coach, title="Secret", visibility="private")
    api.post(f"/api/v1/playlists/{p['id']}/items", coach, json={"exercise_id": secret["id"]})
    stranger = api.signup("Olga")
    seen = api.get(f"/api/v1/playlists/{p['id']}", stranger).json()
    assert secret["id"] not in [i["exercise_id"] for i in seen["items"]]
    copy = api.post(f"/api/v1/playlists/{p['id']}/duplicate", stranger).json()
    assert len(copy["items"]) == 3


@pytest.mark.parametrize(
    "body", [{"sets": 0}, {"reps": -1}, {"rest_s": 99999}, {"duration_s": "x"}]
)
def test_invalid_item_values(api: Api, built, body) -> None:
    coach, exercises, p = built
    r = api.post(
        f"/api/v1/playlists/{p['id']}/items",
        coach,
        json={"exercise_id": exercises[0]["id"], **body},
    )
    assert r.status_code == 422
    assert r.json()["error"]["details"][0]["field"] == next(iter(body))


def test_item_for_a_hidden_exercise_is_refused(api: Api, built) -> None:
    coach, _, p = built
    other = api.signup("Bo")
    hidden = api.exercise(other, visibility="private")
    r = api.post(f"/api/v1/playlists/{p['id']}/items", coach, json={"exercise_id": hidden["id"]})
    assert r.status_code == 422 and r.json()["error"]["details"]["field"] == "exercise_id"


def test_remove_and_edit_items(api: Api, built) -> None:
    coach, _, p = built
    first, second = p["items"][0]["id"], p["items"][1]["id"]
    r = api.patch(f"/api/v1/playlists/{p['id']}/items/{second}", coach, json={"reps": 20})
    assert r.json()["items"][1]["reps"] == 20
    r = api.delete(f"/api/v1/playlists/{p['id']}/items/{first}", coach)
    assert [i["id"] for i in r.json()["items"]][0] == second
