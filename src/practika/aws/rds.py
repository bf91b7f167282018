"""RDS PostgreSQL: connections whose credentials come from Secrets Manager, over TLS
verified against the RDS CA bundle the image ships."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from practika.aws.secrets import SecretsReader, boto_client
from practika.config import Settings


def rds_connector(
    settings: Settings, limits: dict[str, Any] | None = None
) -> Callable[[], Awaitable[Any]]:
    """Connect as the user the secret names (or with an IAM token for that user).

    The secret is cached; when PostgreSQL rejects the password (the secret was rotated
    since), it is read again once, so running tasks survive rotation. Multi-user
    rotation also swaps the user name (`practika_app` / `practika_app_clone`): it is
    read from the secret with the password. `limits` are asyncpg's timeout arguments
    (db.bounded_connect_args for the service's pool); without them, only the handshake
    is bounded.
    """
    import asyncpg

    assert settings.database_secret_arn and settings.database_host
    arn, host = settings.database_secret_arn, settings.database_host
    reader = SecretsReader(boto_client("secretsmanager", settings))
    limits = limits or {"timeout": max(10.0, settings.database_connect_timeout_seconds)}

    async def password_for(creds: dict[str, Any], user: str) -> str:
        if settings.database_iam_auth:
            rds = boto_client("rds", settings)
            return await asyncio.to_thread(
                rds.generate_db_auth_token,
                DBHostname=host,
                Port=settings.database_port,
                DBUsername=user,
                Region=settings.aws_region,
            )
        return str(creds["password"])

    async def connect() -> Any:
        for refresh in (False, True):
            creds = await asyncio.to_thread(reader.json, arn, refresh=refresh)
            user = str(creds.get("username", "practika"))
            try:
                return await asyncpg.connect(
                    host=host,
                    port=settings.database_port,
                    database=settings.database_name,
                    user=user,
                    password=await password_for(creds, user),
                    ssl=database_tls(settings),
                    **limits,
                )
            except asyncpg.InvalidPasswordError:
                if refresh:
                    raise
        raise AssertionError("unreachable")

    return connect


def database_tls(settings: Settings) -> Any:
    """asyncpg's `ssl`: verify-full against the CA bundle when one is configured (the
    image ships RDS's, Dockerfile), else `require` (encrypted, unverified) or none."""
    if settings.database_ssl_root_cert is not None:
        import ssl

        context = ssl.create_default_context(cafile=str(settings.database_ssl_root_cert))
        context.check_hostname = True  # verify-full: the endpoint's name, not just the chain
        context.verify_mode = ssl.CERT_REQUIRED
        return context
    return "require" if settings.database_ssl or settings.database_iam_auth else None
