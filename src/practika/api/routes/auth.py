"""Sign-up, sign-in, sign-out, the current user and password changes."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from practika.api.deps import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    CurrentUser,
    PasswordsDep,
    SessionDep,
    SettingsDep,
    read_credentials,
)
from practika.api.schemas.users import (
    MeOut,
    MeUpdateIn,
    PasswordChangeIn,
    PasswordResetIn,
    SessionOut,
    SignInIn,
    SignUpIn,
)
from practika.config import Settings
from practika.domain.users import User
from practika.security import csrf_token_for
from practika.services import auth, password_resets

router = APIRouter(prefix="/auth", tags=["auth"])


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _open_session(
    request: Request, response: Response, settings: Settings, user: User, token: str
) -> SessionOut:
    csrf = csrf_token_for(settings.secret_key, token)
    secure = settings.cookie_secure
    if secure is None:  # behind the ALB, uvicorn's proxy headers make this "https"
        secure = request.url.scheme == "https"
    common = {
        "max_age": settings.session_ttl_days * 86400,
        "secure": secure,
        "samesite": "lax",
        "domain": settings.cookie_domain,
        "path": "/",
    }
    response.set_cookie(SESSION_COOKIE, token, httponly=True, **common)  # type: ignore[arg-type]
    response.set_cookie(CSRF_COOKIE, csrf, httponly=False, **common)  # type: ignore[arg-type]
    return SessionOut(user=MeOut.model_validate(user), token=token, csrf_token=csrf)


@router.post("/signup", status_code=status.HTTP_201_CREATED, response_model=SessionOut)
async def sign_up(
    body: SignUpIn,
    request: Request,
    response: Response,
    db: SessionDep,
    settings: SettingsDep,
    passwords: PasswordsDep,
) -> SessionOut:
    """Create an account and sign in; with an invite code, also link to that coach."""
    user, token = await auth.sign_up(
        db,
        settings,
        passwords,
        email=body.email,
        password=body.password,
        display_name=body.display_name,
        invite_code=body.invite_code,
        ip=_client_ip(request),
        user_agent=request.headers.get("user-agent"),
    )
    return _open_session(request, response, settings, user, token)


@router.post("/signin", response_model=SessionOut)
async def sign_in(
    body: SignInIn,
    request: Request,
    response: Response,
    db: SessionDep,
    settings: SettingsDep,
    passwords: PasswordsDep,
) -> SessionOut:
    user, token = await auth.sign_in(
        db,
        settings,
        passwords,
        email=body.email,
        password=body.password,
        ip=_client_ip(request),
        user_agent=request.headers.get("user-agent"),
    )
    return _open_session(request, response, settings, user, token)


@router.post("/signout", status_code=status.HTTP_204_NO_CONTENT)
async def sign_out(
    request: Request,
    response: Response,
    user: CurrentUser,
    db: SessionDep,
    settings: SettingsDep,
) -> None:
    creds = read_credentials(request)
    if creds:
        await auth.sign_out(db, user, creds.token)
    for name in (SESSION_COOKIE, CSRF_COOKIE):
        response.delete_cookie(name, path="/", domain=settings.cookie_domain)


@router.get("/me", response_model=MeOut)
async def me(user: CurrentUser) -> User:
    return user


@router.patch("/me", response_model=MeOut)
async def update_me(body: MeUpdateIn, user: CurrentUser, db: SessionDep) -> User:
    user.display_name = body.display_name
    await db.commit()
    return user


@router.post("/password", status_code=status.HTTP_204_NO_CONTENT)
async def change_password(
    body: PasswordChangeIn,
    request: Request,
    user: CurrentUser,
    db: SessionDep,
    passwords: PasswordsDep,
) -> None:
    """Change the password; every other session of this account is signed out."""
    creds = read_credentials(request)
    await auth.change_password(
        db,
        passwords,
        user,
        current_password=body.current_password,
        new_password=body.new_password,
        keep_token=creds.token if creds else None,
    )


@router.post("/password-reset", status_code=status.HTTP_204_NO_CONTENT)
async def reset_password(body: PasswordResetIn, db: SessionDep, passwords: PasswordsDep) -> None:
    """Set a new password with a reset link's token (single use); signs out every session."""
    await password_resets.redeem(db, passwords, body.token, body.new_password)
