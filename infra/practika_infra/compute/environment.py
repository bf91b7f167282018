"""The PRACTIKA_* settings each task gets (src/practika/config.py reads them): the ones
every process shares, the api's own, and the migration task's database-only set."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import aws_secretsmanager as secretsmanager

from practika_infra.config import EnvConfig
from practika_infra.database import DB_NAME

if TYPE_CHECKING:
    from practika_infra.compute import Dependencies

RDS_CA_BUNDLE = "/app/certs/rds-global-bundle.pem"


def shared(
    deps: Dependencies, services_db: secretsmanager.ISecret, region: str, vpc_cidr: str
) -> dict[str, str]:
    """What the api and the worker both get; `services_db` is the secret they sign in with."""
    return {
        "PRACTIKA_DATABASE_HOST": deps.database.db_instance_endpoint_address,
        "PRACTIKA_DATABASE_PORT": deps.database.db_instance_endpoint_port,
        "PRACTIKA_DATABASE_NAME": DB_NAME,
        "PRACTIKA_DATABASE_SECRET_ARN": services_db.secret_arn,
        "PRACTIKA_DATABASE_SSL": "true",
        # verify-full against the RDS CA bundle the image ships (Dockerfile).
        "PRACTIKA_DATABASE_SSL_ROOT_CERT": RDS_CA_BUNDLE,
        "PRACTIKA_MAIL_LINK_SECRET_ARN": deps.mail_link_secret.secret_arn,
        "PRACTIKA_STORAGE_BACKEND": "s3",
        "PRACTIKA_S3_VIDEOS_BUCKET": deps.videos.bucket_name,
        "PRACTIKA_AWS_REGION": region,
        "PRACTIKA_LOG_FORMAT": "json",
        "PRACTIKA_TRACING": "true",
        "PRACTIKA_OTLP_ENDPOINT": "http://127.0.0.1:4318",
        "PRACTIKA_FORWARDED_ALLOW_IPS": vpc_cidr,
    }


def api(shared_env: dict[str, str], deps: Dependencies, config: EnvConfig) -> dict[str, str]:
    """The api: the shared settings, its signing keys and cross-site settings; it serves
    HTTP with a server worker per vCPU and leaves media jobs and migrations to others."""
    return {
        **shared_env,
        **signing(deps),
        **cross_site(deps, config),
        "PRACTIKA_SERVICE_ROLE": "api",
        "PRACTIKA_RUN_WORKER": "false",
        "PRACTIKA_MIGRATE_ON_START": "false",
        "PRACTIKA_HOST": "0.0.0.0",
        "PRACTIKA_SERVER_WORKERS": str(max(1, config.api_cpu // 1024)),
    }


def worker(shared_env: dict[str, str]) -> dict[str, str]:
    """The worker: the shared settings alone (no signing key, no CORS)."""
    return {
        **shared_env,
        "PRACTIKA_SERVICE_ROLE": "worker",
        "PRACTIKA_MIGRATE_ON_START": "false",
    }


def signing(deps: Dependencies) -> dict[str, str]:
    """Only the api signs sessions' CSRF tokens and playback URLs: the worker gets
    neither key, nor the key pair's id (preflight.py checks per role)."""
    return {
        "PRACTIKA_SESSION_SECRET_ARN": deps.session_secret.secret_arn,
        "PRACTIKA_CLOUDFRONT_DOMAIN": deps.cloudfront_domain,
        "PRACTIKA_CLOUDFRONT_KEY_PAIR_ID": deps.cloudfront_key_pair_id,
        "PRACTIKA_CLOUDFRONT_PRIVATE_KEY_SECRET_ARN": deps.cloudfront_key_secret.secret_arn,
    }


def cross_site(deps: Dependencies, config: EnvConfig) -> dict[str, str]:
    """The SPA (app.<domain>) calls the api (api.<domain>) with credentials: the api
    allows that origin and scopes its cookies to the domain, so the SPA reads the
    CSRF cookie too. Without a domain no browser app can call the HTTP-only ALB."""
    settings = {"PRACTIKA_CORS_ORIGINS": deps.cors_origins}
    if config.has_domain:
        settings["PRACTIKA_COOKIE_DOMAIN"] = str(config.domain)
    return settings


def migration(shared_env: dict[str, str], deps: Dependencies) -> dict[str, str]:
    """The database settings alone, signing in as the owner, with the app user's secret
    to provision that user (db_users.py)."""
    return {
        **{
            k: v
            for k, v in shared_env.items()
            if k.startswith("PRACTIKA_DATABASE_")
            or k in ("PRACTIKA_AWS_REGION", "PRACTIKA_LOG_FORMAT")
        },
        "PRACTIKA_DATABASE_SECRET_ARN": deps.database_secret.secret_arn,
        "PRACTIKA_DATABASE_APP_SECRET_ARN": deps.database_app_secret.secret_arn,
        "PRACTIKA_MIGRATE_ON_START": "false",
    }
