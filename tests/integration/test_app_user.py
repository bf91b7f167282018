"""The services' PostgreSQL user (db_users.py): everything the app does, nothing more.

Real PostgreSQL: a fresh database migrated by its owner, the app user provisioned as the
migration task does, then the real app driven over HTTP as that user, and every kind of
schema or role change tried as it and refused.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from practika.app import create_app
from practika.db import migrate
from practika.db_users import AppUserError, ensure_app_user
from tests.conftest import PG_ADMIN_URL, REQUIRE_PG, _pg, make_settings
from tests.support import Api

BASE = PG_ADMIN_URL.rsplit("/", 1)[0]


@dataclass
class Database:
    name: str
    owner_url: str  # postgresql+asyncpg://postgres@…/name

    def url_as(self, user: str) -> str:
        return f"postgresql+asyncpg://{user}@{BASE.split('@', 1)[1]}/{self.name}"


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    name = f"practika_app_user_{uuid.uuid4().hex[:10]}"
    try:
        _pg(f'CREATE DATABASE "{name}"')
    except Exception as exc:
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL is not reachable: {exc!r}")
        pytest.skip(f"PostgreSQL is not reachable: {exc!r}")
    db = Database(name, f"{BASE.replace('postgresql://', 'postgresql+asyncpg://')}/{name}")
    migrate(make_settings(tmp_path, db.owner_url))
    yield db
    _pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def app_user(database: Database) -> Iterator[str]:
    """A uniquely named role (roles are cluster-wide), dropped after its database."""
    role = f"practika_app_{uuid.uuid4().hex[:8]}"
    yield role
    _pg(f'DROP DATABASE IF EXISTS "{database.name}" WITH (FORCE)')
    for name in (f"{role}_clone", role):
        _pg(f'DROP ROLE IF EXISTS "{name}"')


def _provision(database: Database, username: str, password: str) -> None:
    async def run() -> None:
        engine = create_async_engine(database.owner_url)
        try:
            async with engine.connect() as conn:
                await conn.run_sync(ensure_app_user, username, password)
        finally:
            await engine.dispose()

    asyncio.run(run())


def _as(database: Database, user: str, *statements: str) -> list[Exception | None]:
    """Each statement on its own as `user`: None where it ran, else its error."""
    import asyncpg

    async def run() -> list[Exception | None]:
        conn = await asyncpg.connect(database.url_as(user).replace("+asyncpg", ""), timeout=5)
        outcomes: list[Exception | None] = []
        try:
            for statement in statements:
                try:
                    await conn.execute(statement)  # autocommit, each on its own
                    outcomes.append(None)
                except asyncpg.PostgresError as exc:
                    outcomes.append(exc)
        finally:
            await conn.close()
        return outcomes

    return asyncio.run(run())


def test_the_app_runs_its_flows_as_the_app_user(
    database: Database, app_user: str, tmp_path: Path
) -> None:
    _provision(database, app_user, "pa:ss%word'with\"quotes")
    settings = make_settings(tmp_path, database.url_as(app_user), migrate_on_start=False)
    with TestClient(create_app(settings)) as client:
        api = Api(client)
        coach, learner = api.signup("Coach"), api.signup("Learner")
        api.link(coach, learner)
        exercise = api.exercise(coach)
        thread = api.thread(learner, exercise["id"])
        attempt = api.attempt(learner, thread["id"])
        api.comment(coach, thread["id"], attempt["video"]["id"], body="Knees out")
        assert api.delete(f"/api/v1/exercises/{exercise['id']}", coach).status_code < 300
        assert client.get("/readyz").status_code == 200

    async def who() -> str:
        engine = create_async_engine(database.url_as(app_user))
        try:
            async with engine.connect() as conn:
                return str(await conn.scalar(text("SELECT current_user")))
        finally:
            await engine.dispose()

    assert asyncio.run(who()) == app_user


def test_the_app_user_cannot_change_the_schema_roles_or_the_version(
    database: Database, app_user: str
) -> None:
    import asyncpg

    _provision(database, app_user, "secret")
    refused = [
        "DROP TABLE users CASCADE",
        "CREATE TABLE stolen (id int)",
        "ALTER TABLE users ADD COLUMN note text",
        "TRUNCATE users CASCADE",
        "CREATE INDEX ix_stolen ON users (email)",
        f"CREATE ROLE {app_user}_friend LOGIN",
        f"CREATE DATABASE {app_user}_copy",
        "UPDATE alembic_version SET version_num = '0000'",
        "DELETE FROM alembic_version",
        f"ALTER ROLE {app_user} CREATEROLE",
        "CREATE EXTENSION IF NOT EXISTS hstore",
    ]
    for statement, outcome in zip(refused, _as(database, app_user, *refused), strict=True):
        assert isinstance(outcome, asyncpg.InsufficientPrivilegeError), (statement, outcome)
    allowed = ["SELECT count(*) FROM users", "SELECT version_num FROM alembic_version"]
    assert _as(database, app_user, *allowed) == [None, None]


def test_multi_user_rotations_clone_inherits_the_grants(database: Database, app_user: str) -> None:
    _provision(database, app_user, "first")
    # What AWS's multi-user rotation does, as the master user: a clone that is a member.
    _pg(f"CREATE ROLE \"{app_user}_clone\" LOGIN PASSWORD 'second'")
    _pg(f'GRANT "{app_user}" TO "{app_user}_clone"')
    # The next migration runs while the secret names the clone: the grants still go to
    # the base role, and the clone's password (the rotation's) is left alone.
    _provision(database, f"{app_user}_clone", "second")
    outcomes = _as(database, f"{app_user}_clone", "SELECT count(*) FROM users", "DROP TABLE users")
    assert outcomes[0] is None and outcomes[1] is not None


def test_provisioning_is_idempotent_and_covers_tables_added_later(
    database: Database, app_user: str
) -> None:
    _provision(database, app_user, "secret")
    _provision(database, app_user, "secret")
    _pg_in(database, "CREATE TABLE added_later (id int)")  # as the owner, like a migration
    assert _as(database, app_user, "INSERT INTO added_later VALUES (1)") == [None]


def test_the_owner_or_a_privileged_role_is_refused_as_the_app_user(
    database: Database, app_user: str
) -> None:
    with pytest.raises(AppUserError, match="owner"):
        _provision(database, "postgres", "secret")
    _pg(f'CREATE ROLE "{app_user}" LOGIN CREATEROLE')
    with pytest.raises(AppUserError, match="create roles"):
        _provision(database, app_user, "secret")


def _pg_in(database: Database, statement: str) -> None:
    import asyncpg

    async def run() -> None:
        conn = await asyncpg.connect(f"{BASE}/{database.name}", timeout=5)
        try:
            await conn.execute(statement)
        finally:
            await conn.close()

    asyncio.run(run())


def test_the_migration_task_provisions_the_user_its_secret_names(
    database: Database, app_user: str, moto_endpoint: str, tmp_path: Path
) -> None:
    """`practika migrate` in AWS mode: the owner's secret to connect, the app user's to
    provision (the two secrets the migration task definition is given)."""
    import json

    import boto3

    from practika.config import Settings

    secrets = boto3.client("secretsmanager", region_name="eu-west-1", endpoint_url=moto_endpoint)

    def secret(body: dict[str, str]) -> str:
        name = f"practika/{uuid.uuid4()}"
        return str(secrets.create_secret(Name=name, SecretString=json.dumps(body))["ARN"])

    settings = Settings(
        data_dir=tmp_path,
        aws_region="eu-west-1",
        aws_endpoint_url=moto_endpoint,
        database_host="127.0.0.1",
        database_name=database.name,
        database_secret_arn=secret({"username": "postgres", "password": "trust-auth"}),
        database_app_secret_arn=secret({"username": app_user, "password": "rotated-later"}),
    )
    migrate(settings)
    assert _as(database, app_user, "SELECT count(*) FROM users", "DROP TABLE users")[0] is None
    assert _as(database, app_user, "DROP TABLE users")[0] is not None
