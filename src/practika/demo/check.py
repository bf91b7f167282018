"""Whether the demo is already there: does the database have any account? One query and
none of the app's heavier imports (no migrations, no services), so a restart of an
already-seeded `make run` spends next to nothing on it."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from contextlib import closing
from pathlib import Path

from practika.config import Settings

SQLITE_FILE = re.compile(r"^sqlite(\+\w+)?:///(?P<path>[^?]+)")


def has_accounts(settings: Settings) -> bool:
    """True when the `users` table exists and has a row; False for a new database."""
    if settings.is_sqlite:
        return _sqlite_has_accounts(settings.resolved_database_url)
    return asyncio.run(_postgres_has_accounts(settings))


def _sqlite_has_accounts(url: str) -> bool:
    match = SQLITE_FILE.match(url)
    if match is None or not Path(match["path"]).is_file():
        return False  # no file yet (or an in-memory database): nothing in it
    read_only = Path(match["path"]).resolve().as_uri() + "?mode=ro"
    with closing(sqlite3.connect(read_only, uri=True)) as db:
        try:
            return bool(db.execute("SELECT EXISTS (SELECT 1 FROM users)").fetchone()[0])
        except sqlite3.OperationalError:  # no such table: never migrated
            return False


async def _postgres_has_accounts(settings: Settings) -> bool:
    from practika.db import raw_connector

    connection = await raw_connector(settings)()
    try:
        if await connection.fetchval("SELECT to_regclass('users')") is None:
            return False
        return bool(await connection.fetchval("SELECT EXISTS (SELECT 1 FROM users)"))
    finally:
        await connection.close()
