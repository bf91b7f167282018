"""AWS-mode configuration: secrets from Secrets Manager (moto), rotation, fail-fast start."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import uuid

import pytest
from sqlalchemy import text

from practika.config import Settings
from practika.db import create_engine
from practika.preflight import ConfigurationError, check


def aws_settings(moto_endpoint: str, **values) -> Settings:
    base = {
        "aws_region": "eu-west-1",
        "aws_endpoint_url": moto_endpoint,
        "data_dir": "/tmp/practika-aws-test",
    }
    return Settings(**{**base, **values})


# S3 storage with CloudFront-signed playback; each test adds where the key comes from.
SIGNED_PLAYBACK: dict[str, object] = {
    "session_secret": "x" * 40,
    "storage_backend": "s3",
    "s3_videos_bucket": "videos",
    "cloudfront_domain": "d111111abcdef8.cloudfront.net",
    "cloudfront_key_pair_id": "K2JCJMDEHXQW5F",
}


def make_secret(secrets, value: str | dict) -> str:
    body = value if isinstance(value, str) else json.dumps(value)
    return secrets.create_secret(Name=f"practika/{uuid.uuid4()}", SecretString=body)["ARN"]


def test_database_credentials_come_from_the_secret(moto_endpoint, secrets) -> None:
    arn = make_secret(secrets, {"username": "postgres", "password": "unused-with-trust-auth"})
    settings = aws_settings(
        moto_endpoint, database_host="127.0.0.1", database_name="postgres", database_secret_arn=arn
    )
    assert settings.resolved_database_url == "postgresql+asyncpg://127.0.0.1:5432/postgres"

    async def query() -> str:
        engine = create_engine(settings)
        try:
            async with engine.connect() as conn:
                return str(await conn.scalar(text("SELECT current_user")))
        finally:
            await engine.dispose()

    assert asyncio.run(query()) == "postgres"


def test_a_rotated_password_is_read_again_after_an_auth_failure(
    moto_endpoint, secrets, monkeypatch
) -> None:
    import asyncpg

    from practika.aws.rds import rds_connector

    arn = make_secret(secrets, {"username": "app", "password": "old"})
    settings = aws_settings(moto_endpoint, database_host="db.internal", database_secret_arn=arn)
    connect = rds_connector(settings)
    asyncio.run(_prime(connect, monkeypatch, accept="old"))
    # The secret rotates; the cached password now fails once, then the new one is used.
    secrets.put_secret_value(
        SecretId=arn, SecretString=json.dumps({"username": "app", "password": "new"})
    )
    attempts: list[str] = []

    async def fake_connect(**kw):
        attempts.append(kw["password"])
        if kw["password"] != "new":
            raise asyncpg.InvalidPasswordError("password authentication failed")
        return "connection"

    monkeypatch.setattr(asyncpg, "connect", fake_connect)
    assert asyncio.run(connect()) == "connection"
    assert attempts == ["old", "new"]


async def _prime(connect, monkeypatch, accept: str) -> None:
    import asyncpg

    async def ok(**kw):
        assert kw["password"] == accept
        return "connection"

    monkeypatch.setattr(asyncpg, "connect", ok)
    assert await connect() == "connection"


def test_session_secret_is_read_from_its_arn(moto_endpoint, secrets) -> None:
    arn = make_secret(secrets, "s" * 48)
    settings = aws_settings(moto_endpoint, session_secret_arn=arn)
    assert settings.secret_key == b"s" * 48


def test_unreadable_secret_stops_start_naming_the_variable(moto_endpoint) -> None:
    missing = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:nope-AbCdEf"
    settings = aws_settings(
        moto_endpoint,
        database_host="127.0.0.1",
        database_secret_arn=missing,
        session_secret="x" * 40,
    )
    with pytest.raises(ConfigurationError, match="PRACTIKA_DATABASE_SECRET_ARN"):
        check(settings)


def test_secret_without_password_is_named_and_its_value_not_shown(moto_endpoint, secrets) -> None:
    arn = make_secret(secrets, {"username": "app", "pass": "hunter2-very-secret"})
    settings = aws_settings(
        moto_endpoint, database_host="127.0.0.1", database_secret_arn=arn, session_secret="x" * 40
    )
    with pytest.raises(ConfigurationError) as err:
        check(settings)
    assert "PRACTIKA_DATABASE_SECRET_ARN" in str(err.value)
    assert "hunter2" not in str(err.value)


def test_a_placeholder_cloudfront_key_stops_start_naming_the_secret(moto_endpoint, secrets) -> None:
    """A fresh deploy holds a random placeholder until the operator puts the PEM in."""
    placeholder = "rAnDoMpLaCeHoLdEr-" + "z" * 30
    arn = make_secret(secrets, placeholder)
    settings = aws_settings(moto_endpoint, **SIGNED_PLAYBACK, cloudfront_private_key_secret_arn=arn)
    with pytest.raises(ConfigurationError) as err:
        check(settings)
    assert str(err.value).startswith("PRACTIKA_CLOUDFRONT_PRIVATE_KEY_SECRET_ARN: ")
    assert placeholder not in str(err.value)


def test_the_deploys_unset_marker_starts_with_playback_answering_503(
    moto_endpoint, secrets
) -> None:
    """The first deploy: the stack made the secret a moment ago; the deploy installs the key."""
    from practika.domain.errors import Unavailable
    from practika.storage import build_storage

    arn = make_secret(secrets, "UNSET: run practika infra deploy")
    settings = aws_settings(moto_endpoint, **SIGNED_PLAYBACK, cloudfront_private_key_secret_arn=arn)
    check(settings)  # starts: health checks pass, the deploy can finish
    with pytest.raises(Unavailable) as err:
        build_storage(settings).playback_url("videos/x/rendition.mp4", expires_in=60)
    assert err.value.code == "playback_unavailable"


def test_an_inline_cloudfront_key_is_accepted_and_a_wrong_one_named(moto_endpoint) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    pem = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    check(aws_settings(moto_endpoint, **SIGNED_PLAYBACK, cloudfront_private_key=pem))
    with pytest.raises(ConfigurationError, match=r"^PRACTIKA_CLOUDFRONT_PRIVATE_KEY: "):
        check(aws_settings(moto_endpoint, **SIGNED_PLAYBACK, cloudfront_private_key="not a key"))


def test_aws_mode_needs_a_shared_session_secret(moto_endpoint) -> None:
    """Each task would otherwise sign with a key of its own, refusing the others' tokens."""
    settings = aws_settings(moto_endpoint, storage_backend="s3", s3_videos_bucket="videos")
    with pytest.raises(ConfigurationError, match=r"^PRACTIKA_SESSION_SECRET_ARN"):
        check(settings)


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"PRACTIKA_LOG_LEVEL": "verbose"}, "PRACTIKA_LOG_LEVEL"),
        (
            {
                "PRACTIKA_DATABASE_HOST": "db",
                "PRACTIKA_DATABASE_SECRET_ARN": "arn:aws:secretsmanager:eu-west-1:1:secret:db",
                "PRACTIKA_AWS_REGION": "eu-west-1",
            },
            "PRACTIKA_SESSION_SECRET_ARN",
        ),
        ({"PRACTIKA_STORAGE_BACKEND": "s3"}, "PRACTIKA_S3_VIDEOS_BUCKET"),
        ({"PRACTIKA_DATABASE_HOST": "db"}, "PRACTIKA_DATABASE_SECRET_ARN"),
        ({"PRACTIKA_PORT": "http"}, "PRACTIKA_PORT"),
        ({"PRACTIKA_SESSION_SECRET": "short"}, "PRACTIKA_SESSION_SECRET"),
    ],
)
def test_serve_refuses_to_start_on_a_bad_setting(env: dict[str, str], named: str, tmp_path) -> None:
    import os

    clean = {k: v for k, v in os.environ.items() if not k.startswith("PRACTIKA_")}
    result = subprocess.run(
        [sys.executable, "-m", "practika.cli", "serve"],
        env={**clean, "PRACTIKA_DATA_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "configuration error" in result.stdout
    assert named in result.stdout
    assert "short" not in result.stdout.replace(named, "")


def _database(secrets, **values) -> dict[str, object]:
    arn = make_secret(secrets, {"username": "practika_app", "password": "pw"})
    return {"database_host": "127.0.0.1", "database_secret_arn": arn, **values}


def test_the_worker_starts_without_the_session_secret_or_the_signing_key(
    moto_endpoint, secrets
) -> None:
    """Issue 17: the worker's task reads neither; it signs mail links with their own key."""
    links = make_secret(secrets, "m" * 48)
    settings = aws_settings(
        moto_endpoint,
        **_database(secrets, mail_link_secret_arn=links),
        storage_backend="s3",
        s3_videos_bucket="videos",
        service_role="worker",
    )
    check(settings)
    assert settings.mail_link_key == b"m" * 48
    # Nothing resolved the session key (a cached_property lands in __dict__ when read).
    assert "secret_key" not in settings.__dict__


def test_a_worker_with_no_key_for_mail_links_is_stopped_naming_it(moto_endpoint, secrets) -> None:
    settings = aws_settings(
        moto_endpoint, **_database(secrets), storage_backend="s3", s3_videos_bucket="videos"
    )
    with pytest.raises(ConfigurationError, match=r"^PRACTIKA_MAIL_LINK_SECRET_ARN"):
        check(settings, "worker")
    short = make_secret(secrets, "too short")
    with pytest.raises(ConfigurationError, match=r"^PRACTIKA_MAIL_LINK_SECRET_ARN: .*32"):
        check(aws_settings(moto_endpoint, mail_link_secret_arn=short), "worker")


def test_the_api_still_needs_the_session_secret(moto_endpoint, secrets) -> None:
    links = make_secret(secrets, "m" * 48)
    settings = aws_settings(
        moto_endpoint,
        **_database(secrets, mail_link_secret_arn=links),
        storage_backend="s3",
        s3_videos_bucket="videos",
    )
    with pytest.raises(ConfigurationError, match=r"^PRACTIKA_SESSION_SECRET_ARN"):
        check(settings, "api")


def test_the_migration_needs_only_the_database_and_checks_the_app_users_secret(
    moto_endpoint, secrets
) -> None:
    broken = make_secret(secrets, {"username": "practika_app"})
    settings = aws_settings(moto_endpoint, **_database(secrets, database_app_secret_arn=broken))
    with pytest.raises(ConfigurationError, match=r"^PRACTIKA_DATABASE_APP_SECRET_ARN: .*password"):
        check(settings, "migrate")
    fine = make_secret(secrets, {"username": "practika_app", "password": "pw"})
    settings = aws_settings(moto_endpoint, **_database(secrets, database_app_secret_arn=fine))
    check(settings, "migrate")
    assert "secret_key" not in settings.__dict__


def test_unsubscribe_links_the_worker_signs_verify_at_the_api(moto_endpoint, secrets) -> None:
    import uuid as uuid_
    from urllib.parse import parse_qs, urlsplit

    from practika.security import verify_signature
    from practika.services.mail_preferences import unsubscribe_url

    links = make_secret(secrets, "m" * 48)
    worker = aws_settings(moto_endpoint, mail_link_secret_arn=links, service_role="worker")
    api = aws_settings(moto_endpoint, mail_link_secret_arn=links, session_secret="s" * 40)
    user = uuid_.uuid4()
    query = parse_qs(urlsplit(unsubscribe_url(worker, user, "feedback")).query)
    message = f"unsubscribe:{user}:feedback"
    assert verify_signature(api.mail_link_key, message, query["s"][0])
    assert not verify_signature(api.secret_key, message, query["s"][0])
