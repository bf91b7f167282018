"""Start-up checks: a missing or wrong setting stops the process with a message naming it."""

from __future__ import annotations

import logging

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


def check(settings: Settings) -> None:
    """Resolve every secret the process will need, now rather than on the first request."""
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
    if settings.database_secret_arn and not settings.database_url:
        from practika.aws.secrets import SecretsReader, boto_client

        if not settings.database_host:
            raise ConfigurationError("PRACTIKA_DATABASE_HOST: required with a database secret")
        try:
            creds = SecretsReader(boto_client("secretsmanager", settings)).json(
                settings.database_secret_arn
            )
        except (DomainError, ValueError) as exc:
            raise ConfigurationError(f"PRACTIKA_DATABASE_SECRET_ARN: {_reason(exc)}") from None
        if "username" not in creds or ("password" not in creds and not settings.database_iam_auth):
            raise ConfigurationError(
                "PRACTIKA_DATABASE_SECRET_ARN: the secret needs 'username' and 'password' keys"
            )
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
