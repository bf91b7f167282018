"""Start-up checks: a missing or wrong setting stops the process with a message naming it."""

from __future__ import annotations

import logging
from typing import Literal

from pydantic import ValidationError

from practika.config import Settings
from practika.domain.errors import DomainError

log = logging.getLogger("practika.preflight")


class ConfigurationError(Exception):
    """What is wrong, naming the PRACTIKA_* variable; never the secret's value."""


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"])
            name = f"PRACTIKA_{field.upper()}" if field else "configuration"
            problems.append(f"{name}: {err['msg'].removeprefix('Value error, ')}")
        raise ConfigurationError("; ".join(problems)) from None


# What a process is: the api serves HTTP (and, locally, also runs the worker), the worker
# runs media and mail jobs, migrate changes the schema. Each needs different secrets.
Role = Literal["api", "worker", "migrate"]


def check(settings: Settings, role: Role | None = None) -> None:
    """Resolve every secret this role will need, now rather than on the first request, and
    none it does not (the worker never reads the session or CloudFront keys)."""
    role = role or settings.service_role
    if role == "api":
        _check_session_key(settings)
    if role in ("api", "worker"):
        _check_mail_link_key(settings, role)
    _check_database(settings, role)
    if role == "api":
        _check_signing_key(settings)


def _check_session_key(settings: Settings) -> None:
    if settings.is_aws_mode and not (settings.session_secret or settings.session_secret_arn):
        # Without it each task would generate its own key into its own disk, and a CSRF
        # token or signed URL made by one task would be refused by the next.
        raise ConfigurationError(
            "PRACTIKA_SESSION_SECRET_ARN (or PRACTIKA_SESSION_SECRET): required in AWS mode, "
            "so that every task signs with the same key"
        )
    try:
        settings.secret_key  # noqa: B018 - resolving it is the check
    except (DomainError, ValueError, OSError) as exc:
        name = "PRACTIKA_SESSION_SECRET_ARN" if settings.session_secret_arn else "PRACTIKA_DATA_DIR"
        raise ConfigurationError(f"{name}: {_reason(exc)}") from None


def _check_mail_link_key(settings: Settings, role: Role) -> None:
    """The worker signs unsubscribe links into mail and the api checks them: with a key
    of their own (AWS: PRACTIKA_MAIL_LINK_SECRET_ARN), else with the session key."""
    if settings.mail_link_secret or settings.mail_link_secret_arn:
        try:
            settings.mail_link_key  # noqa: B018 - resolving it is the check
        except (DomainError, ValueError) as exc:
            raise ConfigurationError(f"PRACTIKA_MAIL_LINK_SECRET_ARN: {_reason(exc)}") from None
    elif role == "worker":
        if settings.is_aws_mode and not (settings.session_secret or settings.session_secret_arn):
            raise ConfigurationError(
                "PRACTIKA_MAIL_LINK_SECRET_ARN (or PRACTIKA_MAIL_LINK_SECRET): required in AWS "
                "mode, so that the worker signs mail links with the key the api checks"
            )
        _check_session_key(settings)  # it signs the links then


def _check_database(settings: Settings, role: Role) -> None:
    if not (settings.database_secret_arn and not settings.database_url):
        return
    if not settings.database_host:
        raise ConfigurationError("PRACTIKA_DATABASE_HOST: required with a database secret")
    _check_credentials(settings, "PRACTIKA_DATABASE_SECRET_ARN", settings.database_secret_arn)
    if role == "migrate" and settings.database_app_secret_arn:
        _check_credentials(
            settings, "PRACTIKA_DATABASE_APP_SECRET_ARN", settings.database_app_secret_arn
        )


def _check_credentials(settings: Settings, name: str, arn: str) -> None:
    from practika.aws.secrets import SecretsReader, boto_client

    try:
        creds = SecretsReader(boto_client("secretsmanager", settings)).json(arn)
    except (DomainError, ValueError) as exc:
        raise ConfigurationError(f"{name}: {_reason(exc)}") from None
    if "username" not in creds or ("password" not in creds and not settings.database_iam_auth):
        raise ConfigurationError(f"{name}: the secret needs 'username' and 'password' keys")


def _check_signing_key(settings: Settings) -> None:
    if settings.cloudfront_key_pair_id and not (
        settings.cloudfront_domain
        and (settings.cloudfront_private_key_secret_arn or settings.cloudfront_private_key)
    ):
        raise ConfigurationError(
            "PRACTIKA_CLOUDFRONT_KEY_PAIR_ID needs PRACTIKA_CLOUDFRONT_DOMAIN and "
            "PRACTIKA_CLOUDFRONT_PRIVATE_KEY_SECRET_ARN (or PRACTIKA_CLOUDFRONT_PRIVATE_KEY)"
        )
    if settings.cloudfront_key_pair_id and settings.storage_backend == "s3":
        # Load the signing key now: a wrong key must stop the task with a clear line, not
        # fail every playback request later. The deploy's own marker (a stack created a
        # moment ago, its key not installed yet) is the one value that only warns.
        from practika.aws.cloudfront import SigningKeyNotInstalled
        from practika.storage import _cloudfront

        name = (
            "PRACTIKA_CLOUDFRONT_PRIVATE_KEY"
            if settings.cloudfront_private_key is not None
            else "PRACTIKA_CLOUDFRONT_PRIVATE_KEY_SECRET_ARN"
        )
        try:
            signer = _cloudfront(settings)
        except (DomainError, ValueError, TypeError) as exc:
            raise ConfigurationError(
                f"{name}: must hold the PEM RSA private key of the CloudFront key pair "
                f"({type(exc).__name__})"
            ) from None
        if isinstance(signer, SigningKeyNotInstalled):
            log.warning("%s: the signing key is not installed yet; playback answers 503", name)


def _reason(exc: Exception) -> str:
    return exc.message if isinstance(exc, DomainError) else str(exc)
