"""What every `practika` command shares: the Typer app, the console, settings checked at
start, and a database session for one piece of async work."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from rich.console import Console

from practika.config import Settings

if TYPE_CHECKING:
    from practika.preflight import Role

app = typer.Typer(
    help="Practika: movement-training videos with time-coded feedback.", no_args_is_help=True
)
console = Console()
T = TypeVar("T")


def with_db(settings: Settings, work: Callable[[Any], Awaitable[T]]) -> T:
    from practika.db import create_engine, session_factory

    async def run() -> T:
        engine = create_engine(settings)
        try:
            async with session_factory(engine)() as db:
                return await work(db)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def settings_or_exit(role: Role | None = None) -> Settings:
    """Settings checked at start for what `role` (default PRACTIKA_SERVICE_ROLE) needs: a
    wrong one stops here, naming the variable."""
    from practika.preflight import ConfigurationError, check, load_settings

    try:
        settings = load_settings()
        check(settings, role)
    except ConfigurationError as exc:
        console.print(f"[red]configuration error:[/] {exc}")
        raise typer.Exit(2) from None
    return settings


def announce(settings: Settings, text: str, event: str, **fields: object) -> None:
    """A start-up line for a person, or one more JSON log event for CloudWatch."""
    if settings.log_format == "json":
        import structlog

        structlog.get_logger("practika.cli").info(event, **fields)
    else:
        console.print(text)
