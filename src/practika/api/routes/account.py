"""The person's own account and the mail flows: forgot password, email verification and
change, mail preferences and one-click unsubscribe, sessions, and invites by email.

Every route that sends mail only queues it (services/mail.py); none sends in the request.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from practika.api.deps import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    CurrentUser,
    PasswordsDep,
    SessionDep,
    SettingsDep,
    read_credentials,
)
from practika.api.schemas.accounts import (
    AccountDeletedOut,
    AccountDeleteIn,
    AccountOut,
    AccountUpdateIn,
    AuthSessionOut,
    EmailChangeIn,
    EmailInvitesIn,
    ForgotPasswordIn,
    MailPreferencesBody,
    MailPreferencesOut,
    SignedOutOut,
    TokenIn,
)
from practika.api.schemas.coaching import InviteOut
from practika.domain.coaching import Invite
from practika.domain.users import User
from practika.services import (
    account_deletion,
    accounts,
    email_invites,
    mail_preferences,
    recovery,
    verification,
)

router = APIRouter(tags=["account"])


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def account_out(user: User) -> AccountOut:
    return AccountOut(
        id=user.id,
        display_name=user.display_name,
        email=user.email,
        is_admin=user.is_admin,
        email_verified=user.email_verified_at is not None,
        email_bounced=user.email_bounced_at is not None,
        email_complained=user.email_complained_at is not None,
        time_zone=user.time_zone,
        created_at=user.created_at,
    )


@router.post("/auth/password-forgot", status_code=status.HTTP_202_ACCEPTED)
async def forgot_password(
    body: ForgotPasswordIn, request: Request, db: SessionDep, settings: SettingsDep
) -> dict[str, str]:
    """Email a reset link if the address has an account. The answer is the same either way."""
    await recovery.request_reset(db, settings, body.email, client_ip(request))
    return {"status": "If this address has an account, a reset link is on its way."}


@router.get("/account", response_model=AccountOut)
async def get_account(user: CurrentUser) -> AccountOut:
    return account_out(user)


@router.patch("/account", response_model=AccountOut)
async def update_account(body: AccountUpdateIn, user: CurrentUser, db: SessionDep) -> AccountOut:
    return account_out(await accounts.update_profile(db, user, body.changes()))


@router.post("/account/verify", response_model=AccountOut)
async def verify_email(body: TokenIn, db: SessionDep) -> AccountOut:
    """Use the link from the verification mail (no sign-in needed: the link is the proof)."""
    return account_out(await verification.confirm(db, body.token))


@router.post("/account/verify/resend", status_code=status.HTTP_202_ACCEPTED)
async def resend_verification(
    request: Request, user: CurrentUser, db: SessionDep, settings: SettingsDep
) -> dict[str, str]:
    await verification.resend(db, settings, user, client_ip(request))
    return {"status": "A new verification link is on its way."}


@router.post("/account/email", status_code=status.HTTP_202_ACCEPTED)
async def change_email(
    body: EmailChangeIn,
    request: Request,
    user: CurrentUser,
    db: SessionDep,
    settings: SettingsDep,
    passwords: PasswordsDep,
) -> dict[str, str]:
    """Send a confirmation link to the new address; the change waits for it."""
    await verification.request_change(
        db,
        settings,
        passwords,
        user,
        new_email=body.email,
        password=body.password,
        ip=client_ip(request),
    )
    return {"status": "Confirm the new address with the link sent to it."}


@router.post("/account/email/confirm", response_model=AccountOut)
async def confirm_email_change(body: TokenIn, db: SessionDep) -> AccountOut:
    return account_out(await verification.confirm_change(db, body.token))


@router.get("/account/mail-preferences", response_model=MailPreferencesOut)
async def get_mail_preferences(user: CurrentUser, db: SessionDep) -> MailPreferencesOut:
    return MailPreferencesOut(**await accounts.preferences(db, user))


@router.put("/account/mail-preferences", response_model=MailPreferencesOut)
async def set_mail_preferences(
    body: MailPreferencesBody, user: CurrentUser, db: SessionDep
) -> MailPreferencesOut:
    changes = {k: v for k, v in body.changes().items() if v is not None}
    return MailPreferencesOut(**await accounts.set_preferences(db, user, changes))


@router.post("/email/unsubscribe", status_code=status.HTTP_204_NO_CONTENT)
async def unsubscribe(
    db: SessionDep,
    settings: SettingsDep,
    u: Annotated[str, Query(max_length=40)],
    k: Annotated[str, Query(max_length=32)],
    s: Annotated[str, Query(max_length=64)],
) -> None:
    """One-click unsubscribe (RFC 8058): the mail client POSTs here with no sign-in.

    The link is signed for one person and one kind of mail; that kind is turned off.
    """
    try:
        uuid.UUID(u)
    except ValueError:
        u = "invalid"
    await mail_preferences.unsubscribe(db, settings, u, k, s)


@router.get("/account/sessions", response_model=list[AuthSessionOut])
async def list_sessions(
    request: Request, user: CurrentUser, db: SessionDep
) -> list[AuthSessionOut]:
    creds = read_credentials(request)
    token = creds.token if creds else None
    return [
        AuthSessionOut(
            id=s.id,
            user_agent=s.user_agent,
            device=accounts.device_label(s.user_agent),
            created_at=s.created_at,
            last_seen_at=s.last_seen_at or s.created_at,
            current=accounts.is_current(s, token),
        )
        for s in await accounts.live_sessions(db, user)
    ]


@router.delete("/account/sessions", response_model=SignedOutOut)
async def end_all_sessions(
    request: Request,
    response: Response,
    user: CurrentUser,
    db: SessionDep,
    settings: SettingsDep,
    everywhere: Annotated[bool, Query(description="this session too")] = False,
) -> SignedOutOut:
    """Sign out every other session (with `everywhere`, this one as well)."""
    creds = read_credentials(request)
    keep = None if everywhere or creds is None else creds.token
    ended = await accounts.end_sessions(db, user, keep_token=keep)
    if everywhere:
        _forget_cookies(response, settings)
    return SignedOutOut(signed_out=ended)


@router.delete("/account/sessions/{session_id}", status_code=status.HTTP_204_NO_CONTENT)
async def end_session(session_id: uuid.UUID, user: CurrentUser, db: SessionDep) -> None:
    await accounts.end_session(db, user, session_id)


@router.post("/account/delete", response_model=AccountDeletedOut)
async def delete_account(
    body: AccountDeleteIn,
    response: Response,
    user: CurrentUser,
    db: SessionDep,
    settings: SettingsDep,
    passwords: PasswordsDep,
) -> AccountDeletedOut:
    """Delete one's own account, confirmed with the password (docs/domain.md says what
    goes, what is handed over to `successor_email` or archived, and what stays anonymised).
    Every session ends; the media objects are removed by background jobs."""
    done = await account_deletion.delete_account(
        db,
        passwords,
        user,
        password=body.password,
        successor_email=str(body.successor_email) if body.successor_email else None,
    )
    _forget_cookies(response, settings)
    return AccountDeletedOut(**vars(done))


def _forget_cookies(response: Response, settings: SettingsDep) -> None:
    for name in (SESSION_COOKIE, CSRF_COOKIE):
        response.delete_cookie(name, path="/", domain=settings.cookie_domain)


def _invite_out(invite: Invite) -> InviteOut:
    return InviteOut.model_validate(invite)


@router.post("/invites/email", status_code=status.HTTP_201_CREATED, response_model=list[InviteOut])
async def invite_by_email(
    body: EmailInvitesIn,
    request: Request,
    user: CurrentUser,
    db: SessionDep,
    settings: SettingsDep,
) -> list[InviteOut]:
    """One invite per address, each emailed a link to the join page."""
    made = await email_invites.invite_by_email(
        db, settings, user, emails=list(body.emails), note=body.note, ip=client_ip(request)
    )
    return [_invite_out(i) for i in made]


@router.post("/invites/{invite_id}/resend", response_model=InviteOut)
async def resend_invite(
    invite_id: uuid.UUID,
    request: Request,
    user: CurrentUser,
    db: SessionDep,
    settings: SettingsDep,
) -> InviteOut:
    """Email the invite again with a new link (the earlier link stops working)."""
    return _invite_out(
        await email_invites.resend(db, settings, user, invite_id, client_ip(request))
    )
