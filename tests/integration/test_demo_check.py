"""`seed-demo --if-empty` on a seeded database: one cheap query says "already there", on
SQLite and PostgreSQL, without loading migrations or the seed code."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from practika.config import Settings
from practika.db import create_engine, migrate, session_factory
from practika.demo.check import has_accounts
from practika.security import Passwords
from practika.services import auth
from tests.conftest import make_settings
from tests.support import Api


def test_an_empty_database_has_no_accounts_and_one_signup_makes_one(
    api: Api, settings: Settings
) -> None:
    assert has_accounts(settings) is False
    api.signup("Ana")
    assert has_accounts(settings) is True


def test_a_sqlite_database_not_yet_created_or_migrated_has_no_accounts(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'practika.db'}"
    settings = make_settings(tmp_path, url)
    assert has_accounts(settings) is False
    assert not (tmp_path / "practika.db").exists()  # read-only: the check creates nothing
    (tmp_path / "practika.db").touch()  # a file, but no tables
    assert has_accounts(settings) is False


async def _one_user(settings: Settings) -> None:
    engine = create_engine(settings)
    try:
        async with session_factory(engine)() as db:
            await auth.create_user(
                db,
                Passwords(settings),
                email="ana@example.com",
                password="a long password",
                display_name="Ana",
            )
            await db.commit()
    finally:
        await engine.dispose()


def test_the_seeded_restart_loads_neither_migrations_nor_the_seed_code(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'practika.db'}")
    migrate(settings)
    asyncio.run(_one_user(settings))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRACTIKA_")}
    env |= {"PRACTIKA_DATA_DIR": str(tmp_path), "PRACTIKA_WEB_DIST": str(tmp_path / "no")}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "practika.cli", "seed-demo", "--if-empty"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "already has users; left as it is" in done.stdout
    loaded = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    assert "practika.demo.check" in loaded
    assert {"alembic", "practika.demo.seed", "practika.services.auth"}.isdisjoint(loaded)
