"""The account mail flows through the HTTP app, delivered by the worker through the outbox
and through a real SMTP server: forgot password, verification, email change, invites by
email, notification mail with preferences and one-click unsubscribe, throttling."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select, update

from practika.domain.jobs import Job
from practika.domain.users import User
from tests.email.mailbox import Mailbox, html_of, link_in, text_of, token_of
from tests.support import PASSWORD, Api, error_code

NEW_PASSWORD = "a brand new passphrase"


def verify(api: Api, mailbox: Mailbox, person: Any) -> None:
    msg = mailbox.one_to(person.email)
    r = api.post("/api/v1/account/verify", json={"token": token_of(link_in(msg, "/verify"))})
    assert r.status_code == 200, r.text


def set_user(api: Api, person: Any, **values: Any) -> None:
    async def work(db: Any) -> None:
        await db.execute(update(User).where(User.id == uuid.UUID(person.id)).values(**values))
        await db.commit()

    api.run(work)


# Forgot password


def test_forgot_password_mails_a_single_use_link_that_sets_the_password(
    api: Api, mailbox: Mailbox
) -> None:
    lea = api.signup("Lea")
    mailbox.deliver()  # the verification mail
    r = api.post("/api/v1/auth/password-forgot", json={"email": lea.email.upper()})
    assert r.status_code == 202, r.text
    msg = mailbox.one_to(lea.email)
    assert "Reset your Practika password" in str(msg["Subject"])
    link = link_in(msg, "/reset")
    assert link in html_of(msg)
    token = token_of(link)

    r = api.post("/api/v1/auth/password-reset", json={"token": token, "new_password": NEW_PASSWORD})
    assert r.status_code == 204, r.text
    signin = api.post("/api/v1/auth/signin", json={"email": lea.email, "password": NEW_PASSWORD})
    assert signin.status_code == 200
    again = api.post("/api/v1/auth/password-reset", json={"token": token, "new_password": "x" * 12})
    assert again.status_code == 409 and error_code(again) == "reset_used"
    # Signed out everywhere: the token from sign-up no longer works.
    assert api.get("/api/v1/auth/me", lea).status_code == 401


def test_forgot_password_answers_the_same_for_an_unknown_address_and_sends_nothing(
    api: Api, mailbox: Mailbox
) -> None:
    lea = api.signup("Lea")
    mailbox.deliver()
    known = api.post("/api/v1/auth/password-forgot", json={"email": lea.email})
    unknown = api.post("/api/v1/auth/password-forgot", json={"email": "nobody@example.com"})
    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())
    assert [str(m["To"]) for m in mailbox.deliver()] == [f"Lea <{lea.email}>"]


def test_a_deactivated_account_gets_no_reset_mail(api: Api, mailbox: Mailbox) -> None:
    lea = api.signup("Lea")
    mailbox.deliver()
    set_user(api, lea, is_active=False)
    assert api.post("/api/v1/auth/password-forgot", json={"email": lea.email}).status_code == 202
    assert mailbox.deliver() == []


def test_forgot_password_is_throttled_per_address_with_retry_after(
    api: Api, mailbox: Mailbox
) -> None:
    limit = api.client.app.state.settings.mail_requests_per_address_per_hour  # type: ignore[attr-defined]
    for _ in range(limit):
        r = api.post("/api/v1/auth/password-forgot", json={"email": "nobody@example.com"})
        assert r.status_code == 202
    r = api.post("/api/v1/auth/password-forgot", json={"email": "NOBODY@example.com "})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    assert error_code(r) == "too_many_requests"


def test_a_newer_reset_mail_replaces_the_earlier_link(api: Api, mailbox: Mailbox) -> None:
    lea = api.signup("Lea")
    mailbox.deliver()
    api.post("/api/v1/auth/password-forgot", json={"email": lea.email})
    first = token_of(link_in(mailbox.one_to(lea.email), "/reset"))
    api.post("/api/v1/auth/password-forgot", json={"email": lea.email})
    second = token_of(link_in(mailbox.one_to(lea.email), "/reset"))
    r = api.post("/api/v1/auth/password-reset", json={"token": first, "new_password": NEW_PASSWORD})
    assert r.status_code == 409 and error_code(r) == "reset_replaced"
    r = api.post(
        "/api/v1/auth/password-reset", json={"token": second, "new_password": NEW_PASSWORD}
    )
    assert r.status_code == 204


def test_nothing_is_sent_inside_the_request_and_the_job_commits_with_the_change(
    api: Api, mailbox: Mailbox
) -> None:
    lea = api.signup("Lea")
    mailbox.deliver()
    api.post("/api/v1/auth/password-forgot", json={"email": lea.email})

    async def queued(db: Any) -> list[dict[str, Any]]:
        jobs = await db.scalars(select(Job).where(Job.kind == "send_email", Job.status == "queued"))
        return [j.payload for j in jobs]

    payloads = api.run(queued)
    assert payloads == [{"message": "password_reset", "user_id": lea.id}]  # ids, no link
    assert len(mailbox.deliver()) == 1


# Verification


def test_sign_up_sends_a_verification_link_and_using_it_verifies(
    api: Api, mailbox: Mailbox
) -> None:
    lea = api.signup("Lea")
    assert api.get("/api/v1/account", lea).json()["email_verified"] is False
    msg = mailbox.one_to(lea.email)
    assert "Confirm your email address" in str(msg["Subject"])
    assert msg["List-Unsubscribe"] is None  # account mail cannot be opted out of
    token = token_of(link_in(msg, "/verify"))
    r = api.post("/api/v1/account/verify", json={"token": token})
    assert r.status_code == 200 and r.json()["email_verified"] is True
    again = api.post("/api/v1/account/verify", json={"token": token})
    assert again.status_code == 409 and error_code(again) == "link_used"


def test_links_are_bound_to_their_purpose(api: Api, mailbox: Mailbox) -> None:
    lea = api.signup("Lea")
    token = token_of(link_in(mailbox.one_to(lea.email), "/verify"))
    wrong = api.post(
        "/api/v1/auth/password-reset", json={"token": token, "new_password": NEW_PASSWORD}
    )
    assert wrong.status_code == 404
    wrong = api.post("/api/v1/account/email/confirm", json={"token": token})
    assert wrong.status_code == 404 and error_code(wrong) == "link_not_found"
    api.post("/api/v1/auth/password-forgot", json={"email": lea.email})
    reset = token_of(link_in(mailbox.one_to(lea.email), "/reset"))
    assert api.post("/api/v1/account/verify", json={"token": reset}).status_code == 404
    assert api.post("/api/v1/account/verify", json={"token": token}).status_code == 200


def test_resending_verification_replaces_the_earlier_link(api: Api, mailbox: Mailbox) -> None:
    lea = api.signup("Lea")
    first = token_of(link_in(mailbox.one_to(lea.email), "/verify"))
    assert api.post("/api/v1/account/verify/resend", lea).status_code == 202
    second = token_of(link_in(mailbox.one_to(lea.email), "/verify"))
    r = api.post("/api/v1/account/verify", json={"token": first})
    assert r.status_code == 409 and error_code(r) == "link_replaced"
    assert api.post("/api/v1/account/verify", json={"token": second}).status_code == 200
    r = api.post("/api/v1/account/verify/resend", lea)
    assert r.status_code == 409 and error_code(r) == "already_verified"


# Email change


def test_changing_the_email_waits_for_the_new_address_and_tells_the_old(
    api: Api, mailbox: Mailbox
) -> None:
    lea = api.signup("Lea")
    verify(api, mailbox, lea)
    new = f"lea.new.{uuid.uuid4().hex[:6]}@example.com"
    r = api.post("/api/v1/account/email", lea, json={"email": new, "password": PASSWORD})
    assert r.status_code == 202, r.text
    assert api.get("/api/v1/account", lea).json()["email"] == lea.email  # not yet
    token = token_of(link_in(mailbox.one_to(new), "/confirm-email"))
    r = api.post("/api/v1/account/email/confirm", json={"token": token})
    assert r.status_code == 200 and r.json()["email"] == new and r.json()["email_verified"]
    notice = mailbox.one_to(lea.email)
    assert new in text_of(notice)
    signin = api.post("/api/v1/auth/signin", json={"email": new, "password": PASSWORD})
    assert signin.status_code == 200


def test_email_change_needs_the_password_and_a_free_address(api: Api, mailbox: Mailbox) -> None:
    lea, max_ = api.signup("Lea"), api.signup("Max")
    r = api.post("/api/v1/account/email", lea, json={"email": "x@example.com", "password": "wrong"})
    assert r.status_code == 422
    r = api.post("/api/v1/account/email", lea, json={"email": max_.email, "password": PASSWORD})
    assert r.status_code == 409 and error_code(r) == "email_taken"


# Invites by email


def test_a_coach_invites_by_email_and_the_learner_joins_through_the_link(
    api: Api, mailbox: Mailbox
) -> None:
    coach = api.signup("Ana")
    mailbox.deliver()
    lea_email = f"lea.{uuid.uuid4().hex[:6]}@example.com"
    r = api.post(
        "/api/v1/invites/email",
        coach,
        json={"emails": [lea_email, "max@example.com", lea_email.upper()], "note": "<b>hi</b>"},
    )
    assert r.status_code == 201, r.text
    assert sorted(i["email"] for i in r.json()) == sorted([lea_email, "max@example.com"])
    msgs = {str(m["To"]).strip("<>"): m for m in mailbox.deliver()}
    assert set(msgs) == {lea_email, "max@example.com"}
    msg = msgs[lea_email]
    assert "Ana invites you" in str(msg["Subject"])
    assert "&lt;b&gt;hi&lt;/b&gt;" in html_of(msg) and "<b>hi</b>" not in html_of(msg)
    link = link_in(msg, "/join")
    assert urlsplit(link).path == "/join"

    body = {
        "email": lea_email,
        "password": PASSWORD,
        "display_name": "Lea",
        "invite_code": token_of(link),
    }
    signup = api.client.post("/api/v1/auth/signup", json=body)
    api.client.cookies.clear()
    assert signup.status_code == 201, signup.text
    links = api.get("/api/v1/links", coach).json()["items"]
    assert [link["learner"]["display_name"] for link in links] == ["Lea"]


def test_resending_an_invite_makes_a_new_link_and_revoking_stops_mail(
    api: Api, mailbox: Mailbox
) -> None:
    coach, lea = api.signup("Ana"), api.signup("Lea")
    mailbox.deliver()
    invite = api.post("/api/v1/invites/email", coach, json={"emails": [lea.email]}).json()[0]
    first = token_of(link_in(mailbox.one_to(lea.email), "/join"))
    assert api.post(f"/api/v1/invites/{invite['id']}/resend", coach).status_code == 200
    second = token_of(link_in(mailbox.one_to(lea.email), "/join"))
    assert first != second
    assert api.post("/api/v1/invites/accept", lea, json={"code": first}).status_code == 404
    # Revoked before its resend went: no mail.
    api.post(f"/api/v1/invites/{invite['id']}/resend", coach)
    api.delete(f"/api/v1/invites/{invite['id']}", coach)
    assert mailbox.deliver() == []
    assert api.post("/api/v1/invites/accept", lea, json={"code": second}).status_code == 409


def test_only_the_inviting_coach_can_resend(api: Api, mailbox: Mailbox) -> None:
    coach, other = api.signup("Ana"), api.signup("Bruno")
    invite = api.post("/api/v1/invites/email", coach, json={"emails": ["x@example.com"]}).json()[0]
    assert api.post(f"/api/v1/invites/{invite['id']}/resend", other).status_code == 404


# Notification mail


def _feedback(api: Api, coach: Any, learner: Any) -> None:
    api.link(coach, learner)
    exercise = api.exercise(coach)
    thread = api.thread(learner, exercise["id"])
    attempt = api.attempt(learner, thread["id"])
    api.comment(coach, thread["id"], attempt["video"]["id"], t_start_ms=12_000, t_end_ms=13_000)


def test_feedback_mails_a_verified_learner_with_a_deep_link_and_one_click_unsubscribe(
    api: Api, mailbox: Mailbox
) -> None:
    coach, lea = api.signup("Ana"), api.signup("Lea")
    verify(api, mailbox, lea)
    mailbox.deliver()
    _feedback(api, coach, lea)
    msgs = [m for m in mailbox.deliver() if lea.email in str(m["To"])]
    assert len(msgs) == 1, [str(m["Subject"]) for m in msgs]
    msg = msgs[0]
    # The notification says where: the exercise (api.exercise: "Goblet squat") and the moment.
    assert str(msg["Subject"]) == "Ana left feedback on Goblet squat at 0:12"
    assert "/review/" in text_of(msg) and "?t=12000" in text_of(msg)
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "<img" not in html_of(msg)  # no tracking pixels
    one_click = str(msg["List-Unsubscribe"]).strip("<>")
    parts = urlsplit(one_click)
    r = api.client.post(
        f"{parts.path}?{parts.query}",
        content=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 204, r.text
    assert api.get("/api/v1/account/mail-preferences", lea).json()["feedback"] == "off"
    api.comment(coach, *_thread_and_video(api, lea))
    assert [m for m in mailbox.deliver() if lea.email in str(m["To"])] == []


def _thread_and_video(api: Api, learner: Any) -> tuple[str, str]:
    thread = api.get("/api/v1/threads", learner).json()["items"][0]
    attempts = api.get(f"/api/v1/threads/{thread['id']}/attempts", learner).json()["items"]
    return thread["id"], attempts[0]["video"]["id"]


def test_an_unverified_address_gets_no_notification_mail(api: Api, mailbox: Mailbox) -> None:
    coach, lea = api.signup("Ana"), api.signup("Lea")
    mailbox.deliver()
    _feedback(api, coach, lea)
    assert [m for m in mailbox.deliver() if lea.email in str(m["To"])] == []


def test_a_forged_unsubscribe_link_changes_nothing(api: Api, mailbox: Mailbox) -> None:
    lea = api.signup("Lea")
    r = api.client.post(f"/api/v1/email/unsubscribe?u={lea.id}&k=feedback&s={'0' * 64}")
    assert r.status_code == 404
    assert api.get("/api/v1/account/mail-preferences", lea).json()["feedback"] == "immediate"


def test_digest_preference_batches_notifications_into_one_later_mail(
    api: Api, mailbox: Mailbox
) -> None:
    coach, lea = api.signup("Ana"), api.signup("Lea")
    verify(api, mailbox, lea)
    r = api.put("/api/v1/account/mail-preferences", lea, json={"feedback": "digest"})
    assert r.json() == {
        "feedback": "digest",
        "attempt": "immediate",
        "invite_accepted": "immediate",
    }
    _feedback(api, coach, lea)
    thread_id, video_id = _thread_and_video(api, lea)
    api.comment(coach, thread_id, video_id, body="second")
    assert [m for m in mailbox.deliver() if lea.email in str(m["To"])] == []

    async def make_due(db: Any) -> int:
        from practika.domain.base import utcnow

        result = await db.execute(
            update(Job)
            .where(Job.kind == "send_email", Job.status == "queued")
            .values(run_after=utcnow())
        )
        await db.commit()
        return int(result.rowcount)

    assert api.run(make_due) == 1  # one digest job for the person, not one per comment
    msg = mailbox.one_to(lea.email)
    assert "2 new updates" in str(msg["Subject"])
    assert text_of(msg).count("/threads/") == 2


def test_a_hard_bounce_marks_the_address_and_stops_mail(api: Api, mailbox: Mailbox) -> None:
    if mailbox.catcher is None:
        return  # the outbox accepts every address; SMTP refuses bounce*@
    r = api.client.post(
        "/api/v1/auth/signup",
        json={
            "email": f"bounce.{uuid.uuid4().hex[:6]}@example.com",
            "password": PASSWORD,
            "display_name": "B",
        },
    )
    api.client.cookies.clear()
    token = r.json()["token"]
    assert mailbox.deliver() == []
    account = api.client.get("/api/v1/account", headers={"Authorization": f"Bearer {token}"}).json()
    assert account["email_bounced"] is True
    api.post("/api/v1/auth/password-forgot", json={"email": account["email"]})

    async def queued(db: Any) -> int:
        return len(list(await db.scalars(select(Job).where(Job.status == "queued"))))

    assert api.run(queued) == 0  # a bounced address is not even queued for


def test_notification_mail_waits_out_the_quiet_hours(api: Api, mailbox: Mailbox) -> None:
    from practika.domain.base import utcnow

    coach, lea = api.signup("Ana"), api.signup("Lea")
    verify(api, mailbox, lea)
    hour = utcnow().hour  # quiet hours: this hour, in the person's zone (UTC)
    mailbox.settings = mailbox.settings.model_copy(
        update={"quiet_hours_start": hour, "quiet_hours_end": (hour + 1) % 24}
    )
    _feedback(api, coach, lea)
    assert [m for m in mailbox.deliver() if lea.email in str(m["To"])] == []

    async def deferred(db: Any) -> list[Any]:
        jobs = await db.scalars(select(Job).where(Job.kind == "send_email", Job.status == "queued"))
        return [j.run_after for j in jobs]

    (due,) = api.run(deferred)
    assert due.hour == (hour + 1) % 24 and due.minute == 0 and due > utcnow()
