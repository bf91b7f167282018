"""Accounts and demo data: create a user, issue a reset link, seed the demo."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from practika.cli.common import app, console, settings_or_exit, with_db
from practika.config import Settings


@app.command("create-user")
def create_user(
    email: str,
    display_name: Annotated[str, typer.Option("--name")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
    admin: Annotated[bool, typer.Option("--admin")] = False,
) -> None:
    """Create an account (optionally an admin)."""
    from practika.db import migrate as run_migrations
    from practika.domain.errors import DomainError
    from practika.security import Passwords

    settings = settings_or_exit()
    run_migrations(settings)

    async def work(db: Any) -> None:
        from practika.services import auth

        user = await auth.create_user(
            db,
            Passwords(settings),
            email=email,
            password=password,
            display_name=display_name,
            is_admin=admin,
        )
        await db.commit()
        console.print(f"created {user.email} ({user.id}){' as admin' if admin else ''}")

    try:
        with_db(settings, work)
    except DomainError as exc:
        console.print(f"[red]{exc.message}[/]")
        raise typer.Exit(1) from exc


@app.command("reset-link")
def reset_link(
    email: str,
    base_url: Annotated[
        str | None,
        typer.Option("--base-url", help="the web app's address, e.g. https://app.example.com"),
    ] = None,
) -> None:
    """Issue a single-use password-reset link for an account (earlier links stop working)."""
    from sqlalchemy import select

    from practika.db import migrate as run_migrations
    from practika.domain.errors import DomainError
    from practika.domain.users import User

    settings = settings_or_exit()
    run_migrations(settings)

    async def work(db: Any) -> None:
        from practika.services import auth, password_resets

        user = await db.scalar(select(User).where(User.email == auth.normalize_email(email)))
        if user is None:
            raise DomainError(f"No account has the email {email}.")
        reset, token = await password_resets.issue(db, settings, user.id, issued_by=None)
        base = (base_url or f"http://{settings.host}:{settings.port}").rstrip("/")
        # Plain print: the link must stay on one line to be copied whole.
        print(f"{base}{password_resets.reset_path(token)}")
        console.print(
            f"single use, for {user.email}; expires {reset.expires_at:%Y-%m-%d %H:%M} UTC"
        )

    try:
        with_db(settings, work)
    except DomainError as exc:
        console.print(f"[red]{exc.message}[/]")
        raise typer.Exit(1) from exc


@app.command("seed-demo")
def seed_demo(
    if_empty: Annotated[bool, typer.Option("--if-empty", help="do nothing if users exist")] = False,
) -> None:
    """Load a demo coach, learner, admin, exercises, a playlist and a thread with feedback."""
    from practika.demo.check import has_accounts

    settings = settings_or_exit()
    # Checked first, with one query: a restart of `make run` needs no migration or seed code.
    result = None if has_accounts(settings) else _seed_if_empty(settings)
    if result is None:
        console.print("demo data: the database already has users; left as it is")
        if not if_empty:
            raise typer.Exit(1)
        return
    console.print(
        f"demo data loaded. Sign in as [bold]{result['coach']}[/], "
        f"[bold]{result['learner']}[/] or [bold]{result['admin']}[/] "
        f"with password [bold]{result['password']}[/]"
    )


def _seed_if_empty(settings: Settings) -> dict[str, str] | None:
    """Migrate, then seed unless someone signed up meanwhile (None then)."""
    from practika.db import migrate as run_migrations
    from practika.demo.seed import is_empty, seed
    from practika.security import Passwords

    run_migrations(settings)

    async def work(db: Any) -> dict[str, str] | None:
        if not await is_empty(db):
            return None
        return await seed(db, Passwords(settings), settings)

    return with_db(settings, work)
