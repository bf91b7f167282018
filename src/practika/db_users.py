"""The PostgreSQL user the services connect as: rows in the app's tables, nothing more.

In AWS the migration task connects as the database owner (the RDS master user) and,
after upgrading the schema, makes this user exist with exactly these grants, under the
migration lock (migrations/env.py). The services connect with the user's own secret,
which Secrets Manager rotates with AWS's multi-user rotation: that makes `<user>_clone`
a member of `<user>` and alternates between the two, so the grants go to the base role
and the clone inherits them.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, text

CLONE_SUFFIX = "_clone"
TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
SEQUENCE_PRIVILEGES = "USAGE, SELECT"


class AppUserError(ValueError):
    """The configured app user could not be given least privilege (never names a password)."""


def base_role(username: str) -> str:
    """The role that holds the grants: multi-user rotation's clone is a member of it."""
    return username.removesuffix(CLONE_SUFFIX)


def ensure_app_user(connection: Connection, username: str, password: str) -> None:
    """Create or converge the app's login role and grant it DML on the public schema.

    Run as the owner of the app's tables. Idempotent: every migration re-runs it, so
    tables a migration adds are covered even if default privileges were changed by hand.
    """
    role = base_role(username)
    owner = str(connection.scalar(text("SELECT current_user")))
    if role == owner:
        raise AppUserError(
            f"the app user {role!r} is the owner the migrations run as: give the services "
            "their own user (PRACTIKA_DATABASE_APP_SECRET_ARN names its secret)"
        )
    found = connection.execute(
        text("SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = :r"),
        {"r": role},
    ).first()
    if found is None:
        login = "LOGIN PASSWORD %L" if username == role else "NOLOGIN"
        _execute_formatted(connection, f"CREATE ROLE %I {login}", role, password)
    else:
        if any(found):
            raise AppUserError(
                f"the app user {role!r} may create roles, databases or is a superuser: "
                "it must hold only the app's table privileges"
            )
        if username == role:
            # Converge on the secret's current value (a no-op unless it was reset by hand).
            _execute_formatted(connection, "ALTER ROLE %I LOGIN PASSWORD %L", role, password)
    for statement in grant_statements(
        role,
        database=str(connection.scalar(text("SELECT current_database()"))),
        quote=connection.dialect.identifier_preparer.quote,
    ):
        connection.execute(text(statement))
    connection.commit()


def grant_statements(role: str, *, database: str, quote: Callable[[str], str]) -> list[str]:
    """What the app user may do: connect, see the schema, read and write rows, use the
    sequences; not create, alter or drop anything, nor move the schema's version."""
    r, db = quote(role), quote(database)
    return [
        # Before PostgreSQL 15 every user could create tables in public.
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        f"GRANT CONNECT ON DATABASE {db} TO {r}",
        f"GRANT USAGE ON SCHEMA public TO {r}",
        f"GRANT {TABLE_PRIVILEGES} ON ALL TABLES IN SCHEMA public TO {r}",
        f"GRANT {SEQUENCE_PRIVILEGES} ON ALL SEQUENCES IN SCHEMA public TO {r}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT {TABLE_PRIVILEGES} ON TABLES TO {r}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT {SEQUENCE_PRIVILEGES} "
        f"ON SEQUENCES TO {r}",
        # Only migrations move the schema's version.
        f"REVOKE INSERT, UPDATE, DELETE ON TABLE alembic_version FROM {r}",
    ]


def _execute_formatted(connection: Connection, template: str, role: str, password: str) -> None:
    """DDL takes no bind parameters: PostgreSQL's format() quotes the name and password."""
    statement = connection.scalar(
        text("SELECT format(CAST(:t AS text), CAST(:r AS text), CAST(:p AS text))"),
        {"t": template, "r": role, "p": password},
    )
    connection.exec_driver_sql(str(statement))
