"""Every endpoint × every role: who may see and do what, and that nothing leaks.

Roles: an anonymous visitor, the thread's learner (linked to the coach), another
learner (not linked), the exercise's coach, another coach, and an admin. Each
cell gets a fresh scenario, so destructive calls cannot affect other cells.
Every route under /api/v1 has a case here; `test_every_route_has_a_case` fails
when one is added without.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from practika.domain.videos import Video
from tests.support import (
    PASSWORD,
    Api,
    Person,
    World,
    attempt_body,
    exercise_body,
    thread_body,
)

ROLES = ("anonymous", "learner", "other_learner", "coach", "other_coach", "admin")


@dataclass
class Targets:
    """What each cell aims at, by the ids the routes answer with."""

    api: Api
    people: dict[str, Person]
    exercise: dict[str, Any]  # private, by the coach; the learner is linked
    public_exercise: dict[str, Any]
    draft: dict[str, Any]  # the coach's, never published, on a ready reference video
    thread: dict[str, Any]
    attempt: dict[str, Any]
    comment: dict[str, Any]
    playlist: dict[str, Any]
    invite: dict[str, Any]
    session: dict[str, Any]
    upload: dict[str, Any]  # the learner's, started and not yet completed
    link_id: str
    reference_video_id: str
    auth_session_id: str  # the learner's sign-in session
    review: dict[str, Any]  # the coach's voice-over review of the attempt
    export_id: str  # the attempt's annotated export, asked for by the coach
    share_link: dict[str, Any] = field(default_factory=dict)  # the coach's, of the thread

    def ids(self) -> dict[str, str]:
        return {
            "exercise": self.exercise["id"],
            "draft": self.draft["id"],
            "thread": self.thread["id"],
            "attempt": self.attempt["id"],
            "video": self.attempt["video"]["id"],
            "reference_video": self.reference_video_id,
            "comment": self.comment["id"],
            "playlist": self.playlist["id"],
            "item": self.playlist["items"][0]["id"],
            "invite": self.invite["id"],
            "invite_code": self.invite["code"],
            "session": self.session["id"],
            "upload": self.upload["video_id"],
            "link": self.link_id,
            "learner": self.people["learner"].id,
            "auth_session": self.auth_session_id,
            "share_link": self.share_link.get("id", ""),
            "share_token": self.share_link.get("token", ""),
            "review": self.review["id"],
            "voice": self.review["media_video_id"],
            "export": self.export_id,
            "nothing": str(uuid.UUID(int=0)),  # an id nothing has
            "fmt": "csv",  # a feedback export's format
        }


UPLOAD_BYTES = b"12345"
UPLOAD = {"filename": "clip.mp4", "content_type": "video/mp4", "size_bytes": len(UPLOAD_BYTES)}


def rendered(video_id: str) -> Callable[[AsyncSession], Any]:
    """Give a ready video the renditions playback needs (the media pipeline's job)."""

    async def work(db: AsyncSession) -> None:
        key = f"test/{video_id}"
        await db.execute(
            update(Video)
            .where(Video.id == uuid.UUID(video_id))
            .values(rendition_key=f"{key}.mp4", poster_key=f"{key}.jpg", sprite_key=f"{key}.webp")
        )
        await db.commit()

    return work


def build_world(api: Api) -> Targets:
    async def build(world: World) -> dict[str, Any]:
        users = {
            "learner": await world.learner("Leo", password=PASSWORD),
            "other_learner": await world.learner("Olga", password=PASSWORD),
            "coach": await world.coach("Ana", password=PASSWORD),
            "other_coach": await world.coach("Bruno", password=PASSWORD),
            "admin": await world.person("Root", admin=True, password=PASSWORD),
        }
        ana, leo = users["coach"], users["learner"]
        await world.link(ana, leo)
        reference = await world.video(ana)
        exercise = await world.exercise(
            by=ana, visibility="private", title="Private kata", reference=reference
        )
        public_exercise = await world.exercise(by=ana, title="Open squat")
        draft = await world.exercise(by=ana, draft=True, title="Draft lunge", reference=reference)
        thread = await world.thread(leo, exercise)
        attempt = await world.attempt(thread)
        comment = await world.comment(leo, attempt)
        await world.comment(ana, attempt, body="Push the knee out")
        playlist = await world.playlist(
            exercise, by=ana, title="Private plan", visibility="private"
        )
        invite = await world.pending_invite(ana, note="for someone")
        session = await world.practice_session(leo, exercise=exercise)
        share_link, share_token = await world.share_link(ana, thread)
        review = await world.review(ana, attempt)  # play, then pause: as `review_body`
        people = {role: await world.signed_in(user) for role, user in users.items()}
        return {
            "people": people,
            "exercise": exercise_body(exercise),
            "public_exercise": exercise_body(public_exercise),
            "draft": exercise_body(draft),
            "thread": thread_body(thread),
            "attempt": attempt_body(attempt),
            "comment": {"id": str(comment.id)},
            "reference_video_id": str(reference.id),
            "playlist": {"id": str(playlist.id), "items": [{"id": str(playlist.items[0].id)}]},
            "invite": {"id": str(invite.id), "code": invite.code},
            "session": {"id": str(session.id)},
            "share_link": {"id": str(share_link.id), "token": share_token},
            "review": {"id": str(review.id), "media_video_id": str(review.media_video_id)},
        }

    built = api.world(build)
    coach, learner = built["people"]["coach"], built["people"]["learner"]
    attempt = built["attempt"]
    api.run(rendered(attempt["video"]["id"]))
    return Targets(
        api,
        **built,
        link_id=api.get("/api/v1/links", learner).json()["items"][0]["id"],
        upload=api.post("/api/v1/uploads", learner, json=UPLOAD).json(),
        auth_session_id=api.get("/api/v1/account/sessions", learner).json()[0]["id"],
        export_id=api.post(f"/api/v1/attempts/{attempt['id']}/export", coach).json()["id"],
    )


def review_body(video_id: str, voice_id: str) -> dict[str, Any]:
    events = [
        {"at_ms": 0, "action": "play", "position_ms": 0},
        {"at_ms": 2000, "action": "pause", "position_ms": 2000},
    ]
    return {"video_id": video_id, "audio_video_id": voice_id, "events": events}


def own_voice(world: Targets, role: str) -> dict[str, Any]:
    person = world.people.get(role)
    voice = world.api.ready_clip(person) if person else str(uuid.uuid4())
    return review_body(world.attempt["video"]["id"], voice)


Body = Callable[[Targets, str], Any]


@dataclass
class Case:
    name: str
    method: str
    path: str
    expect: tuple[Any, ...]  # one per role, in ROLES order: a status, or ("lists", bool)
    body: Body | None = None
    # For list endpoints: the id that must (or must not) appear in `items`.
    lists: str | None = None


def own_video(world: Targets, role: str) -> dict[str, str]:
    person = world.people.get(role)
    return {"video_id": world.api.ready_video(person) if person else str(uuid.uuid4())}


def sent_part(world: Targets, role: str) -> dict[str, Any]:
    """Send the learner's upload its one part (anyone may, with the signed URL)."""
    r = world.api.put(world.upload["parts"][0]["url"], content=UPLOAD_BYTES)
    assert r.status_code == 200, r.text
    return {"parts": [{"part_number": 1, "etag": r.headers["ETag"]}]}


def new_account(world: Targets, role: str) -> dict[str, str]:
    return {
        "email": f"new.{uuid.uuid4().hex[:12]}@example.com",
        "password": PASSWORD,
        "display_name": "Newcomer",
    }


NEW_EXERCISE = {"title": "Mine", "category": "strength", "difficulty": "beginner"}

L = True  # listed
H = False  # hidden from the list

CASES = [
    Case(
        "get private exercise",
        "GET",
        "/api/v1/exercises/{exercise}",
        (404, 200, 404, 200, 404, 200),
    ),
    Case("list exercises", "GET", "/api/v1/exercises", (H, L, H, L, H, L), lists="exercise"),
    Case(
        "search exercises by tag",
        "GET",
        "/api/v1/exercises?tag=squat&q=kata",
        (H, L, H, L, H, L),
        lists="exercise",
    ),
    Case(
        "get draft exercise",
        "GET",
        "/api/v1/exercises/{draft}",
        (404, 404, 404, 200, 404, 200),
    ),
    Case(
        "list exercises with a draft",
        "GET",
        "/api/v1/exercises?q=lunge",
        (H, H, H, L, H, L),
        lists="draft",
    ),
    Case(
        "publish exercise",
        "POST",
        "/api/v1/exercises/{draft}/publish",
        (401, 404, 404, 200, 404, 200),
    ),
    Case(
        "list exercise categories",
        "GET",
        "/api/v1/exercises/categories",
        (200, 200, 200, 200, 200, 200),
    ),
    Case(
        "create exercise",
        "POST",
        "/api/v1/exercises",
        (401, 201, 201, 201, 201, 201),
        lambda w, r: NEW_EXERCISE,
    ),
    Case(
        "create exercise on the coach's reference video",
        "POST",
        "/api/v1/exercises",
        (401, 422, 422, 201, 422, 422),
        lambda w, r: {**NEW_EXERCISE, "reference_video_id": w.reference_video_id},
    ),
    Case(
        "edit exercise",
        "PATCH",
        "/api/v1/exercises/{exercise}",
        (401, 403, 404, 200, 404, 200),
        lambda w, r: {"title": "Renamed"},
    ),
    Case(
        "delete exercise", "DELETE", "/api/v1/exercises/{exercise}", (401, 403, 404, 204, 404, 204)
    ),
    Case(
        "open thread",
        "POST",
        "/api/v1/threads",
        (401, 409, 404, 422, 404, 201),
        lambda w, r: {"exercise_id": w.exercise["id"]},
    ),
    Case("get thread", "GET", "/api/v1/threads/{thread}", (401, 200, 404, 200, 404, 200)),
    Case("list threads", "GET", "/api/v1/threads", (401, L, H, L, H, L), lists="thread"),
    Case(
        "coach inbox",
        "GET",
        "/api/v1/threads?role=coach&awaiting_feedback=false",
        (401, H, H, L, H, H),
        lists="thread",
    ),
    Case(
        "archive thread",
        "PATCH",
        "/api/v1/threads/{thread}",
        (401, 200, 404, 200, 404, 200),
        lambda w, r: {"status": "archived"},
    ),
    Case(
        "list attempts", "GET", "/api/v1/threads/{thread}/attempts", (401, 200, 404, 200, 404, 200)
    ),
    Case(
        "add attempt",
        "POST",
        "/api/v1/threads/{thread}/attempts",
        (401, 201, 404, 403, 404, 403),
        own_video,
    ),
    Case("get attempt", "GET", "/api/v1/attempts/{attempt}", (401, 200, 404, 200, 404, 200)),
    Case(
        "edit attempt",
        "PATCH",
        "/api/v1/attempts/{attempt}",
        (401, 200, 404, 403, 404, 403),
        lambda w, r: {"notes": "better"},
    ),
    Case("delete attempt", "DELETE", "/api/v1/attempts/{attempt}", (401, 204, 404, 403, 404, 204)),
    # The world's attempt is ready: its learner passes the rule and hears it is not failed.
    Case(
        "retry attempt",
        "POST",
        "/api/v1/attempts/{attempt}/retry",
        (401, 409, 404, 403, 404, 403),
        lambda w, r: {},
    ),
    Case(
        "mark thread reviewed",
        "POST",
        "/api/v1/threads/{thread}/reviewed",
        (401, 403, 404, 200, 404, 403),
    ),
    Case("learner page", "GET", "/api/v1/learners/{learner}", (401, 404, 404, 200, 404, 200)),
    Case(
        "list thread comments",
        "GET",
        "/api/v1/threads/{thread}/comments",
        (401, 200, 404, 200, 404, 200),
    ),
    Case(
        "add comment",
        "POST",
        "/api/v1/threads/{thread}/comments",
        (401, 201, 404, 201, 404, 201),
        lambda w, r: {
            "video_id": w.attempt["video"]["id"],
            "t_start_ms": 0,
            "t_end_ms": 10,
            "body": "hi",
        },
    ),
    Case(
        "list video comments",
        "GET",
        "/api/v1/videos/{video}/comments",
        (401, 200, 404, 200, 404, 200),
    ),
    Case(
        "export feedback",
        "GET",
        "/api/v1/threads/{thread}/feedback/{fmt}?video_id={video}",
        (401, 200, 404, 200, 404, 200),
    ),
    Case("get comment", "GET", "/api/v1/comments/{comment}", (401, 200, 404, 200, 404, 200)),
    Case(
        "edit comment",
        "PATCH",
        "/api/v1/comments/{comment}",
        (401, 200, 404, 403, 404, 403),
        lambda w, r: {"body": "edited"},
    ),
    Case("delete comment", "DELETE", "/api/v1/comments/{comment}", (401, 200, 404, 403, 404, 200)),
    Case(
        "comment history",
        "GET",
        "/api/v1/comments/{comment}/history",
        (401, 200, 404, 200, 404, 200),
    ),
    Case(
        "add voice-over review",
        "POST",
        "/api/v1/threads/{thread}/reviews",
        (401, 201, 404, 201, 404, 201),
        own_voice,
    ),
    Case(
        "add comment with a clip",
        "POST",
        "/api/v1/threads/{thread}/comments",
        (401, 201, 404, 201, 404, 201),
        lambda w, r: {
            "video_id": w.attempt["video"]["id"],
            "t_start_ms": 0,
            "t_end_ms": 0,
            "body": "listen",
            "media_video_id": w.api.ready_clip(w.people[r]) if r in w.people else None,
        },
    ),
    Case("get a review's voice", "GET", "/api/v1/videos/{voice}", (404, 200, 404, 200, 404, 200)),
    Case(
        "export a review",
        "POST",
        "/api/v1/comments/{review}/export",
        (401, 202, 404, 202, 404, 202),
    ),
    Case(
        "export an annotated attempt",
        "POST",
        "/api/v1/attempts/{attempt}/export",
        (401, 202, 404, 202, 404, 202),
    ),
    Case("get an export", "GET", "/api/v1/exports/{export}", (401, 200, 404, 200, 404, 200)),
    Case("get attempt video", "GET", "/api/v1/videos/{video}", (404, 200, 404, 200, 404, 200)),
    Case(
        "get reference video",
        "GET",
        "/api/v1/videos/{reference_video}",
        (404, 200, 404, 200, 404, 200),
    ),
    Case(
        "get attempt video playback",
        "GET",
        "/api/v1/videos/{video}/playback",
        (404, 200, 404, 200, 404, 200),
    ),
    # Movement analysis: the video's own access. The world's videos are not analysed,
    # so whoever may see one learns that (409); tests/media/test_analysis.py covers a
    # finished analysis.
    Case(
        "attempt video analysis",
        "GET",
        "/api/v1/videos/{video}/analysis",
        (404, 200, 404, 200, 404, 200),
    ),
    Case(
        "attempt pose track", "GET", "/api/v1/videos/{video}/pose", (404, 409, 404, 409, 404, 409)
    ),
    Case("attempt reps", "GET", "/api/v1/videos/{video}/reps", (404, 409, 404, 409, 404, 409)),
    Case(
        "attempt aligned to the reference",
        "GET",
        "/api/v1/videos/{video}/alignment?reference={reference_video}",
        (404, 409, 404, 409, 404, 409),
    ),
    Case(
        "attempt departures from the reference",
        "GET",
        "/api/v1/videos/{video}/departures?reference={reference_video}",
        (404, 409, 404, 409, 404, 409),
    ),
    Case(
        "create playlist",
        "POST",
        "/api/v1/playlists",
        (401, 201, 201, 201, 201, 201),
        lambda w, r: {"title": "Mine", "visibility": "private"},
    ),
    Case("get playlist", "GET", "/api/v1/playlists/{playlist}", (404, 200, 404, 200, 404, 200)),
    Case("list playlists", "GET", "/api/v1/playlists", (H, L, H, L, H, L), lists="playlist"),
    Case(
        "edit playlist",
        "PATCH",
        "/api/v1/playlists/{playlist}",
        (401, 403, 404, 200, 404, 200),
        lambda w, r: {"title": "New"},
    ),
    Case(
        "add playlist item",
        "POST",
        "/api/v1/playlists/{playlist}/items",
        (401, 403, 404, 201, 404, 201),
        lambda w, r: {"exercise_id": w.public_exercise["id"], "reps": 5},
    ),
    Case(
        "edit playlist item",
        "PATCH",
        "/api/v1/playlists/{playlist}/items/{item}",
        (401, 403, 404, 200, 404, 200),
        lambda w, r: {"reps": 12},
    ),
    Case(
        "remove playlist item",
        "DELETE",
        "/api/v1/playlists/{playlist}/items/{item}",
        (401, 403, 404, 200, 404, 200),
    ),
    Case(
        "reorder playlist",
        "PUT",
        "/api/v1/playlists/{playlist}/order",
        (401, 403, 404, 200, 404, 200),
        lambda w, r: {"item_ids": [w.playlist["items"][0]["id"]]},
    ),
    Case(
        "duplicate playlist",
        "POST",
        "/api/v1/playlists/{playlist}/duplicate",
        (401, 201, 404, 201, 404, 201),
    ),
    Case(
        "delete playlist", "DELETE", "/api/v1/playlists/{playlist}", (401, 403, 404, 204, 404, 204)
    ),
    Case(
        "start session on private exercise",
        "POST",
        "/api/v1/sessions",
        (401, 201, 422, 201, 422, 201),
        lambda w, r: {"exercise_id": w.exercise["id"]},
    ),
    Case("get session", "GET", "/api/v1/sessions/{session}", (401, 200, 404, 404, 404, 200)),
    Case("list sessions", "GET", "/api/v1/sessions", (401, L, H, H, H, H), lists="session"),
    Case(
        "record session item",
        "POST",
        "/api/v1/sessions/{session}/items",
        (401, 201, 404, 404, 404, 201),
        lambda w, r: {"reps_done": 8},
    ),
    Case(
        "finish session",
        "PATCH",
        "/api/v1/sessions/{session}",
        (401, 200, 404, 404, 404, 200),
        lambda w, r: {"rpe": 6},
    ),
    Case("delete session", "DELETE", "/api/v1/sessions/{session}", (401, 204, 404, 404, 404, 204)),
    Case("progress", "GET", "/api/v1/progress", (401, 200, 200, 200, 200, 200)),
    Case("notifications", "GET", "/api/v1/notifications", (401, 200, 200, 200, 200, 200)),
    Case(
        "unread notification count",
        "GET",
        "/api/v1/notifications/unread-count",
        (401, 200, 200, 200, 200, 200),
    ),
    Case(
        "mark notifications read",
        "POST",
        "/api/v1/notifications/read",
        (401, 200, 200, 200, 200, 200),
        lambda w, r: {},
    ),
    Case(
        "create invite", "POST", "/api/v1/invites", (401, 201, 201, 201, 201, 201), lambda w, r: {}
    ),
    Case("list invites", "GET", "/api/v1/invites", (401, H, H, L, H, H), lists="invite"),
    Case("revoke invite", "DELETE", "/api/v1/invites/{invite}", (401, 404, 404, 200, 404, 404)),
    Case(
        "preview invite (the join page names the coach)",
        "GET",
        "/api/v1/invites/preview?code={invite_code}",
        (200, 200, 200, 200, 200, 200),
    ),
    Case(
        "accept invite",
        "POST",
        "/api/v1/invites/accept",
        (401, 200, 200, 422, 200, 200),
        lambda w, r: {"code": w.invite["code"]},
    ),
    Case("list links", "GET", "/api/v1/links", (401, L, H, L, H, H), lists="link"),
    Case("remove link", "DELETE", "/api/v1/links/{link}", (401, 204, 404, 204, 404, 404)),
    Case("admin list users", "GET", "/api/v1/admin/users", (401, 403, 403, 403, 403, 200)),
    Case(
        "admin update user",
        "PATCH",
        "/api/v1/admin/users/{learner}",
        (401, 403, 403, 403, 403, 200),
        lambda w, r: {"is_admin": False},
    ),
    Case(
        "admin issue password reset",
        "POST",
        "/api/v1/admin/users/{learner}/password-reset",
        (401, 403, 403, 403, 403, 201),
    ),
    Case(
        "reset password with a wrong token",
        "POST",
        "/api/v1/auth/password-reset",
        (404, 404, 404, 404, 404, 404),
        lambda w, r: {"token": "not-a-token", "new_password": "long enough passphrase"},
    ),
    Case("current user", "GET", "/api/v1/auth/me", (401, 200, 200, 200, 200, 200)),
    Case(
        "edit profile",
        "PATCH",
        "/api/v1/auth/me",
        (401, 200, 200, 200, 200, 200),
        lambda w, r: {"display_name": "Renamed"},
    ),
    Case("sign up", "POST", "/api/v1/auth/signup", (201, 201, 201, 201, 201, 201), new_account),
    Case(
        "sign in as the learner",
        "POST",
        "/api/v1/auth/signin",
        (200, 200, 200, 200, 200, 200),
        lambda w, r: {"email": w.people["learner"].email, "password": PASSWORD},
    ),
    Case("sign out", "POST", "/api/v1/auth/signout", (401, 204, 204, 204, 204, 204)),
    Case(
        "change password",
        "POST",
        "/api/v1/auth/password",
        (401, 204, 204, 204, 204, 204),
        lambda w, r: {"current_password": PASSWORD, "new_password": "another long passphrase"},
    ),
    Case(
        "start upload",
        "POST",
        "/api/v1/uploads",
        (401, 201, 201, 201, 201, 201),
        lambda w, r: UPLOAD,
    ),
    Case("upload state", "GET", "/api/v1/uploads/{upload}", (401, 200, 404, 404, 404, 404)),
    Case(
        "more upload part URLs",
        "POST",
        "/api/v1/uploads/{upload}/parts",
        (401, 200, 404, 404, 404, 404),
        lambda w, r: {"part_numbers": [1]},
    ),
    Case(
        "complete upload",
        "POST",
        "/api/v1/uploads/{upload}/complete",
        (401, 200, 404, 404, 404, 404),
        sent_part,
    ),
    Case("abort upload", "DELETE", "/api/v1/uploads/{upload}", (401, 204, 404, 404, 404, 404)),
    # Accounts and mail
    Case(
        "forgot password",
        "POST",
        "/api/v1/auth/password-forgot",
        (202, 202, 202, 202, 202, 202),
        lambda w, r: {"email": w.people["learner"].email},
    ),
    Case("own account", "GET", "/api/v1/account", (401, 200, 200, 200, 200, 200)),
    Case(
        "edit own account",
        "PATCH",
        "/api/v1/account",
        (401, 200, 200, 200, 200, 200),
        lambda w, r: {"time_zone": "Europe/Paris"},
    ),
    Case(
        "verify email with a wrong token",
        "POST",
        "/api/v1/account/verify",
        (404, 404, 404, 404, 404, 404),
        lambda w, r: {"token": "not-a-token"},
    ),
    Case(
        "resend verification",
        "POST",
        "/api/v1/account/verify/resend",
        (401, 202, 202, 202, 202, 202),
    ),
    Case(
        "change email",
        "POST",
        "/api/v1/account/email",
        (401, 202, 202, 202, 202, 202),
        lambda w, r: {"email": f"new.{uuid.uuid4().hex[:8]}@example.com", "password": PASSWORD},
    ),
    Case(
        "confirm email change with a wrong token",
        "POST",
        "/api/v1/account/email/confirm",
        (404, 404, 404, 404, 404, 404),
        lambda w, r: {"token": "not-a-token"},
    ),
    Case(
        "mail preferences",
        "GET",
        "/api/v1/account/mail-preferences",
        (401, 200, 200, 200, 200, 200),
    ),
    Case(
        "set mail preferences",
        "PUT",
        "/api/v1/account/mail-preferences",
        (401, 200, 200, 200, 200, 200),
        lambda w, r: {"feedback": "digest"},
    ),
    Case(
        "unsubscribe with a forged signature",
        "POST",
        "/api/v1/email/unsubscribe?u={learner}&k=feedback&s=forged",
        (404, 404, 404, 404, 404, 404),
    ),
    Case("own sessions", "GET", "/api/v1/account/sessions", (401, 200, 200, 200, 200, 200)),
    Case(
        "end the learner's session",
        "DELETE",
        "/api/v1/account/sessions/{auth_session}",
        (401, 204, 404, 404, 404, 404),
    ),
    Case(
        "sign out every other session",
        "DELETE",
        "/api/v1/account/sessions",
        (401, 200, 200, 200, 200, 200),
    ),
    Case(
        "delete my account",
        "POST",
        "/api/v1/account/delete",
        (401, 200, 200, 200, 200, 200),
        lambda w, r: {"password": PASSWORD},
    ),
    Case(
        "share the thread",
        "POST",
        "/api/v1/threads/{thread}/share-links",
        (401, 201, 404, 201, 404, 403),
        lambda w, r: {"attempt_id": w.attempt["id"], "expires_in_days": 3},
    ),
    Case(
        "list the thread's share links",
        "GET",
        "/api/v1/threads/{thread}/share-links",
        (401, 200, 404, 200, 404, 403),
    ),
    Case(
        "revoke a share link",
        "DELETE",
        "/api/v1/threads/{thread}/share-links/{share_link}",
        (401, 204, 404, 204, 404, 403),
    ),
    Case(
        "revoke a share link that does not exist",
        "DELETE",
        "/api/v1/threads/{thread}/share-links/{nothing}",
        (401, 404, 404, 404, 404, 403),
    ),
    Case(
        "open a share link",
        "GET",
        "/api/v1/shared/{share_token}",
        (200, 200, 200, 200, 200, 200),
    ),
    Case(
        "open a share link never issued",
        "GET",
        "/api/v1/shared/{nothing}",
        (404, 404, 404, 404, 404, 404),
    ),
    Case(
        "invite by email",
        "POST",
        "/api/v1/invites/email",
        (401, 201, 201, 201, 201, 201),
        lambda w, r: {"emails": [f"invitee.{uuid.uuid4().hex[:8]}@example.com"]},
    ),
    Case(
        "resend a code-only invite",
        "POST",
        "/api/v1/invites/{invite}/resend",
        (401, 404, 404, 422, 404, 404),
    ),
    Case(
        "admin emails a password reset",
        "POST",
        "/api/v1/admin/users/{learner}/password-reset-email",
        (401, 403, 403, 403, 403, 202),
    ),
    Case("admin system health", "GET", "/api/v1/admin/health", (401, 403, 403, 403, 403, 200)),
    Case(
        "admin retries a missing job",
        "POST",
        "/api/v1/admin/jobs/{nothing}/retry",
        (401, 403, 403, 403, 403, 404),
    ),
    Case(
        "admin retries a ready video",
        "POST",
        "/api/v1/admin/videos/{video}/retry",
        (401, 403, 403, 403, 403, 409),
    ),
]


def _cells() -> list[Any]:
    return [
        pytest.param(case, role, expected, id=f"{case.name}-{role}")
        for case in CASES
        for role, expected in zip(ROLES, case.expect, strict=True)
    ]


@pytest.mark.parametrize(("case", "role", "expected"), _cells())
def test_access(api: Api, case: Case, role: str, expected: Any) -> None:
    world = build_world(api)
    who = world.people.get(role)
    path = case.path.format(**world.ids())
    kwargs = {"json": case.body(world, role)} if case.body else {}
    response = api.request(case.method, path, who, **kwargs)
    if isinstance(expected, bool):
        assert response.status_code == 200, response.text
        listed = {item["id"] for item in response.json()["items"]}
        assert (world.ids()[case.lists or ""] in listed) is expected, response.text
    else:
        assert response.status_code == expected, response.text
        if expected >= 400:
            assert set(response.json()["error"]) == {"code", "message", "details"}


HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def _route_key(method: str, path: str) -> tuple[str, str]:
    """(method, path) with every path parameter as `{}` and no query string."""
    return method, re.sub(r"\{[^}]+\}", "{}", path.split("?")[0])


def test_every_route_has_a_case(client: TestClient) -> None:
    """A new endpoint under /api/v1 cannot land without its row in the matrix.

    The routes are read from the app's OpenAPI document, FastAPI's public and flattened
    view of `app.routes` (which, in this FastAPI, holds included routers unexpanded).
    """
    paths = client.app.openapi()["paths"]  # type: ignore[attr-defined]
    routes = {
        _route_key(method.upper(), path)
        for path, operations in paths.items()
        if path.startswith("/api/v1/")
        for method in operations
        if method in HTTP_METHODS
    }
    cases = {_route_key(case.method, case.path) for case in CASES}
    assert len(routes) > 60, "the app's routes were not found"
    assert sorted(routes - cases) == [], "routes without an access-matrix case"
    assert sorted(cases - routes) == [], "cases for routes the app does not have"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/threads/{id}",
        "/api/v1/attempts/{id}",
        "/api/v1/comments/{id}",
        "/api/v1/videos/{id}",
        "/api/v1/exercises/{id}",
        "/api/v1/playlists/{id}",
        "/api/v1/sessions/{id}",
        "/api/v1/uploads/{id}",
        "/api/v1/videos/{id}/playback",
        "/api/v1/exports/{id}",
    ],
)
def test_hidden_things_look_exactly_like_missing_things(api: Api, path: str) -> None:
    world = build_world(api)
    stranger = world.people["other_learner"]
    kind = path.split("/")[3].rstrip("s").replace("attempt", "attempt")
    real = {
        "thread": world.thread["id"],
        "attempt": world.attempt["id"],
        "comment": world.comment["id"],
        "video": world.attempt["video"]["id"],
        "exercise": world.exercise["id"],
        "playlist": world.playlist["id"],
        "session": world.session["id"],
        "upload": world.upload["video_id"],
        "export": world.export_id,
    }[kind]
    hidden = api.get(path.format(id=real), stranger)
    missing = api.get(path.format(id=uuid.uuid4()), stranger)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_private_counts_do_not_leak_through_progress_or_notifications(api: Api) -> None:
    world = build_world(api)
    stranger = world.people["other_learner"]
    progress = api.get("/api/v1/progress", stranger).json()
    assert progress["attempts_per_exercise"] == []
    assert progress["feedback_received"] == 0
    assert api.get("/api/v1/notifications", stranger).json()["items"] == []
    # The learner's own notifications about the coach's feedback (a comment and a
    # voice-over review) are theirs alone.
    learner_items = api.get("/api/v1/notifications", world.people["learner"]).json()["items"]
    assert [n["kind"] for n in learner_items] == ["feedback", "feedback"]


# Ending the coach–learner link (access.thread_read_only): the learner's thread on the
# coach's private exercise becomes read-only history for both sides; the learner loses
# the exercise and its reference video; what was said stays readable.
LINK_ENDED_CASES = [
    Case(
        "get private exercise",
        "GET",
        "/api/v1/exercises/{exercise}",
        (404, 404, 404, 200, 404, 200),
    ),
    Case(
        "get reference video",
        "GET",
        "/api/v1/videos/{reference_video}",
        (404, 404, 404, 200, 404, 200),
    ),
    Case("get thread", "GET", "/api/v1/threads/{thread}", (401, 200, 404, 200, 404, 200)),
    Case("list threads", "GET", "/api/v1/threads", (401, L, H, L, H, L), lists="thread"),
    Case(
        "list thread comments",
        "GET",
        "/api/v1/threads/{thread}/comments",
        (401, 200, 404, 200, 404, 200),
    ),
    Case(
        "list attempts", "GET", "/api/v1/threads/{thread}/attempts", (401, 200, 404, 200, 404, 200)
    ),
    Case(
        "add attempt",
        "POST",
        "/api/v1/threads/{thread}/attempts",
        (401, 409, 404, 403, 404, 403),
        own_video,
    ),
    Case(
        "add comment",
        "POST",
        "/api/v1/threads/{thread}/comments",
        (401, 409, 404, 409, 404, 409),
        lambda w, r: {
            "video_id": w.attempt["video"]["id"],
            "t_start_ms": 1000,
            "t_end_ms": 2000,
            "body": "Still here?",
        },
    ),
    Case(
        "add voice-over review",
        "POST",
        "/api/v1/threads/{thread}/reviews",
        (401, 409, 404, 409, 404, 409),
        own_voice,
    ),
]


@pytest.mark.parametrize(
    ("case", "role", "expected"),
    [
        pytest.param(case, role, expected, id=f"link ended: {case.name}-{role}")
        for case in LINK_ENDED_CASES
        for role, expected in zip(ROLES, case.expect, strict=True)
    ],
)
def test_access_after_the_link_ends(api: Api, case: Case, role: str, expected: Any) -> None:
    world = build_world(api)
    assert api.delete(f"/api/v1/links/{world.link_id}", world.people["learner"]).status_code == 204
    who = world.people.get(role)
    path = case.path.format(**world.ids())
    kwargs = {"json": case.body(world, role)} if case.body else {}
    response = api.request(case.method, path, who, **kwargs)
    if isinstance(expected, bool):
        assert response.status_code == 200, response.text
        listed = {item["id"]: item for item in response.json()["items"]}
        assert (world.ids()[case.lists or ""] in listed) is expected, response.text
        if expected:
            assert listed[world.ids()["thread"]]["read_only"] is True
    else:
        assert response.status_code == expected, response.text
        if expected == 409:
            assert response.json()["error"]["code"] == "thread_read_only"
        if case.name == "get thread" and expected == 200:
            thread = response.json()
            assert thread["read_only"] is True
            # The exercise is gone from the history: no instructions, no reference video.
            assert thread["exercise"]["reference_video_id"] is None
            assert thread["exercise"]["description"] == ""
            assert thread["exercise"]["title"] == "Private kata"


def test_relinking_reopens_the_thread(api: Api) -> None:
    world = build_world(api)
    coach, learner = world.people["coach"], world.people["learner"]
    api.delete(f"/api/v1/links/{world.link_id}", learner)
    api.link(coach, learner)
    thread = api.get(f"/api/v1/threads/{world.thread['id']}", learner).json()
    assert thread["read_only"] is False
    api.comment(learner, world.thread["id"], world.attempt["video"]["id"], body="Back again")


def test_a_read_only_thread_stays_read_only_when_archived(api: Api) -> None:
    world = build_world(api)
    learner = world.people["learner"]
    api.delete(f"/api/v1/links/{world.link_id}", learner)
    r = api.patch(f"/api/v1/threads/{world.thread['id']}", learner, json={"status": "archived"})
    assert r.status_code == 200 and r.json()["read_only"] is True
