"""One settings object: the embedded default unless `PRACTIKA_*` variables say otherwise."""

from __future__ import annotations

import math
import os
import secrets
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PRACTIKA_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    data_dir: Path = Path("./var")
    database_url: str | None = None
    # AWS mode: the RDS endpoint; credentials come from Secrets Manager.
    database_host: str | None = None
    database_port: int = 5432
    database_name: str = "practika"
    database_secret_arn: str | None = None
    # The migration task only: the services' own least-privilege user, which `practika
    # migrate` creates and grants DML on the app's tables (db_users.py). The services
    # connect with that secret as their PRACTIKA_DATABASE_SECRET_ARN.
    database_app_secret_arn: str | None = None
    database_iam_auth: bool = False  # use short-lived IAM tokens instead of the secret's password
    database_ssl: bool = False
    # With a CA bundle (the image ships RDS's): TLS verify-full, i.e. the server's
    # certificate chain and host name are checked, not only encryption (`require`).
    database_ssl_root_cert: Path | None = None
    database_pool_size: int = 10
    # Every wait on PostgreSQL is bounded, so a frozen database (a partition: nothing
    # answers) gives `503 unavailable` within seconds instead of a hung request (db.py).
    database_connect_timeout_seconds: float = Field(default=5.0, gt=0)
    database_pool_timeout_seconds: float = Field(default=5.0, gt=0)
    # Server side: PostgreSQL cancels a statement running longer (0 turns it off).
    database_statement_timeout_seconds: float = Field(default=5.0, ge=0)
    # Client side (asyncpg): a statement unanswered this long fails here, whatever the
    # server does; above the statement timeout so a merely slow query is cancelled cleanly.
    database_command_timeout_seconds: float = Field(default=6.0, gt=0)
    # PostgreSQL ends a session left in an open transaction this long (a client that
    # vanished mid-transaction stops holding its locks).
    database_idle_in_transaction_timeout_seconds: float = Field(default=30.0, ge=0)

    session_secret: SecretStr | None = None
    session_secret_arn: str | None = None
    session_ttl_days: int = Field(default=30, ge=1)
    # Signs the one-click unsubscribe links in mail: the worker composes the mail, the
    # api checks the links. A key of its own, so the worker never holds the session
    # secret (CSRF tokens); without one, locally, the session key signs them too.
    mail_link_secret: SecretStr | None = None
    mail_link_secret_arn: str | None = None
    password_reset_ttl_hours: int = Field(default=24, ge=1, le=168)
    # None: Secure exactly when the request came over HTTPS (X-Forwarded-Proto behind the ALB).
    cookie_secure: bool | None = None
    cookie_domain: str | None = None
    cors_origins: list[str] = []
    forwarded_allow_ips: str = "127.0.0.1"

    # Sign-in throttling (services/signin_throttle.py): attempts evaluated per (account,
    # client address) and per address alone before a lockout; each further failure after
    # one doubles it (from signin_lockout_seconds up to the max). Counts start over after
    # a quiet window.
    signin_window_seconds: int = Field(default=900, ge=1)
    signin_max_failures_per_account: int = Field(default=5, ge=1)
    signin_max_failures_per_ip: int = Field(default=30, ge=1)
    signin_lockout_seconds: int = Field(default=60, ge=1)
    signin_lockout_max_seconds: int = Field(default=3600, ge=1)
    # Refused sign-ups (email taken, bad invite code) allowed per address, likewise.
    signup_max_failures_per_ip: int = Field(default=10, ge=1)

    # argon2id cost; tests lower it, production keeps the library's defaults.
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    # Hashing runs off the event loop in this many threads (argon2 releases the GIL;
    # each hash holds argon2_memory_kib); at most password_hash_queue more wait, and
    # sign-ins beyond that are shed with 503 `overloaded` + Retry-After.
    password_hash_workers: int = Field(default=2, ge=1)
    password_hash_queue: int = Field(default=32, ge=0)

    invite_ttl_days: int = 14

    # Outgoing email (email/): "outbox" writes .eml files under the data dir (embedded
    # default), "smtp" uses any provider, "ses" Amazon SES (AWS mode).
    email_backend: Literal["outbox", "smtp", "ses"] = "outbox"
    email_from: str = "Practika <no-reply@practika.localhost>"
    email_outbox_dir: Path | None = None
    product_name: str = "Practika"
    # Where links in mail point: the web app's address as people reach it.
    public_url: str | None = None
    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"
    smtp_timeout_seconds: float = Field(default=30.0, gt=0)
    ses_configuration_set: str | None = None
    # The SQS queue subscribed to the configuration set's SNS topic: the worker reads SES's
    # bounce and complaint events from it (services/mail_events.py).
    ses_events_queue_url: str | None = None
    ses_events_poll_seconds: float = Field(default=30.0, gt=0)
    verification_ttl_hours: int = Field(default=48, ge=1, le=720)
    # Mail-sending requests allowed per hour, per address and per client address.
    mail_requests_per_address_per_hour: int = Field(default=5, ge=1)
    mail_requests_per_ip_per_hour: int = Field(default=30, ge=1)
    # Notification mail waits out these local hours (the person's time zone); digests go
    # at the end of them.
    quiet_hours_start: int = Field(default=22, ge=0, le=23)
    quiet_hours_end: int = Field(default=7, ge=0, le=23)
    max_request_bytes: int = 1024 * 1024
    # Idempotency-Key answers are kept this long, then swept (services/idempotency.py).
    idempotency_ttl_hours: float = Field(default=24.0, gt=0)
    idempotency_sweep_seconds: float = Field(default=3600.0, gt=0)
    page_size_default: int = 20
    page_size_max: int = 100
    # The hot reads' answers, cached per process and invalidated on every write
    # (readcache/); PostgreSQL only. 0 turns it off.
    read_cache_mb: int = Field(default=128, ge=0)
    read_cache_max_age_seconds: float = Field(default=300, gt=0)

    storage_backend: Literal["local", "s3"] = "local"
    media_dir: Path | None = None
    s3_videos_bucket: str | None = None
    aws_region: str | None = None
    aws_endpoint_url: str | None = None
    cloudfront_domain: str | None = None
    cloudfront_key_pair_id: str | None = None
    cloudfront_private_key_secret_arn: str | None = None
    cloudfront_private_key: SecretStr | None = None  # PEM, instead of the secret ARN

    # Media pipeline (see docs/media.md).
    max_upload_bytes: int = Field(default=4 * 1024**3, ge=1)
    upload_part_size: int = Field(default=16 * 1024**2, ge=1024)
    upload_expiry_hours: float = Field(default=24.0, gt=0)
    # Declared types get only this quick check; what a file is gets decided by probing it.
    allowed_content_types: list[str] = [
        "video/mp4",
        "video/quicktime",
        "video/webm",
        "video/x-matroska",
        "video/3gpp",
        "video/x-m4v",
        "application/octet-stream",
    ]
    # A comment's clip may also be declared as audio (a voice recorded in the browser).
    allowed_clip_content_types: list[str] = ["audio/webm", "audio/mp4", "audio/x-m4a"]
    # Voice-over reviews and clip replies (docs/media.md): a reply's clip is short; a
    # review's voice may run as long as the attempt it covers plus this margin.
    max_reply_clip_seconds: int = Field(default=180, ge=1)
    review_margin_seconds: int = Field(default=180, ge=0)
    # Probed demuxer names accepted (FFmpeg names; "mov" covers mp4/m4v/3gp).
    allowed_containers: list[str] = ["mov", "mp4", "matroska", "webm"]
    media_url_ttl_seconds: int = Field(default=900, ge=10)
    max_video_dimension: int = 8192
    max_video_pixels: int = 7680 * 4320  # per frame: 8K UHD
    max_video_duration_seconds: int = 3 * 3600
    rendition_max_height: int = 720
    rendition_crf: int = Field(default=23, ge=0, le=51)
    rendition_preset: str = "veryfast"
    job_lease_seconds: int = Field(default=300, ge=5)
    job_max_attempts: int = Field(default=5, ge=1)
    job_retry_base_seconds: float = Field(default=5.0, ge=0)
    worker_poll_seconds: float = Field(default=1.0, gt=0)
    # Movement analysis after the rendition (needs the `analysis` extra; off, or without
    # the extra, videos are simply not analysed). Frames above max_fps are subsampled.
    analysis_enabled: bool = True
    analysis_max_fps: float = Field(default=30.0, gt=0, le=120)

    migrate_on_start: bool = True
    run_worker: bool = True
    log_format: Literal["console", "json"] = "console"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    service_role: Literal["api", "worker"] = "api"
    tracing: bool = False
    # The share of requests traced when tracing is on (those a caller traces always are).
    tracing_sample_ratio: float = Field(default=0.05, ge=0, le=1)
    otlp_endpoint: str = "http://127.0.0.1:4318"
    metrics_flush_seconds: float = Field(default=60.0, gt=0)
    # How metrics leave the process each flush: CloudWatch EMF documents (the default in
    # AWS mode), one human summary line (the default on a laptop), or nowhere.
    metrics_format: Literal["emf", "summary", "off"] | None = None
    # HTTP connections (server.py). Keep-alive stays above the ALB's 60 s idle timeout, so
    # the ALB closes idle connections first; reading a request's headers has its own,
    # short deadline (slow-header clients), and a body that stops arriving its own.
    http_keep_alive_seconds: int = Field(default=75, ge=1)
    http_header_timeout_seconds: float = Field(default=10.0, gt=0)
    http_body_idle_timeout_seconds: float = Field(default=30.0, gt=0)
    http_max_header_bytes: int = Field(default=64 * 1024, ge=1024)
    # Seconds `serve` waits for in-flight requests after SIGTERM (ECS stopTimeout is 30 s).
    shutdown_grace_seconds: int = 25
    server_workers: int | None = Field(default=None, ge=1)  # default: see workers
    web_dist: Path = Path("./web/dist")

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _check_aws_mode(self) -> Settings:
        if self.database_host and not self.database_secret_arn and not self.database_url:
            raise ValueError("PRACTIKA_DATABASE_HOST needs PRACTIKA_DATABASE_SECRET_ARN")
        if self.storage_backend == "s3" and not self.s3_videos_bucket:
            raise ValueError("PRACTIKA_STORAGE_BACKEND=s3 needs PRACTIKA_S3_VIDEOS_BUCKET")
        if (self.database_host or self.storage_backend == "s3") and not self.aws_region:
            raise ValueError("AWS mode needs PRACTIKA_AWS_REGION")
        if self.database_command_timeout_seconds < self.database_statement_timeout_seconds:
            raise ValueError(
                "PRACTIKA_DATABASE_COMMAND_TIMEOUT_SECONDS must be at least "
                "PRACTIKA_DATABASE_STATEMENT_TIMEOUT_SECONDS"
            )
        if self.email_backend == "ses" and not self.aws_region:
            raise ValueError("PRACTIKA_EMAIL_BACKEND=ses needs PRACTIKA_AWS_REGION")
        if self.session_secret is not None and len(self.session_secret.get_secret_value()) < 32:
            raise ValueError("PRACTIKA_SESSION_SECRET must be at least 32 characters")
        if self.mail_link_secret is not None and len(self.mail_link_secret.get_secret_value()) < 32:
            raise ValueError("PRACTIKA_MAIL_LINK_SECRET must be at least 32 characters")
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        if self.database_host:
            # Credentials are supplied per connection from Secrets Manager (see db.py).
            return (
                f"postgresql+asyncpg://{self.database_host}:{self.database_port}/"
                f"{self.database_name}"
            )
        return f"sqlite+aiosqlite:///{(self.data_dir / 'practika.db').resolve()}"

    @property
    def resolved_public_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def resolved_outbox_dir(self) -> Path:
        return (self.email_outbox_dir or self.data_dir / "outbox").resolve()

    @property
    def is_aws_mode(self) -> bool:
        """Several tasks behind a load balancer, none with a disk of its own that lasts."""
        return bool(self.database_host) or self.storage_backend == "s3"

    @property
    def resolved_metrics_format(self) -> Literal["emf", "summary", "off"]:
        if self.metrics_format is not None:
            return self.metrics_format
        return "emf" if self.is_aws_mode else "summary"

    @property
    def workers(self) -> int:
        """Server processes: as set, else one per CPU in AWS mode and one on a laptop
        (SQLite allows one writer at a time, and one process is plenty for one person)."""
        if self.server_workers:
            return self.server_workers
        return available_cpus() if self.is_aws_mode else 1

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    @property
    def resolved_media_dir(self) -> Path:
        return (self.media_dir or self.data_dir / "media").resolve()

    @property
    def resolved_work_dir(self) -> Path:
        """The workers' scratch area (storage/scratch.py): one folder per running job."""
        return (self.data_dir / "work").resolve()

    @cached_property
    def secret_key(self) -> bytes:
        """The key for CSRF tokens and signed URLs; generated once into the data dir locally."""
        if self.session_secret:
            return self.session_secret.get_secret_value().encode()
        if self.session_secret_arn:
            from practika.aws.secrets import SecretsReader, boto_client

            reader = SecretsReader(boto_client("secretsmanager", self))
            value = reader.text(self.session_secret_arn)
            if len(value) < 32:
                raise ValueError("PRACTIKA_SESSION_SECRET_ARN holds fewer than 32 characters")
            return value.encode()
        path = self.data_dir / "secret.key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip().encode()

    @cached_property
    def mail_link_key(self) -> bytes:
        """The key for unsubscribe links: its own when configured, else the session key."""
        if self.mail_link_secret:
            return self.mail_link_secret.get_secret_value().encode()
        if self.mail_link_secret_arn:
            from practika.aws.secrets import SecretsReader, boto_client

            value = SecretsReader(boto_client("secretsmanager", self)).text(
                self.mail_link_secret_arn
            )
            if len(value) < 32:
                raise ValueError("PRACTIKA_MAIL_LINK_SECRET_ARN holds fewer than 32 characters")
            return value.encode()
        return self.secret_key


def available_cpus(cpu_max: Path = Path("/sys/fs/cgroup/cpu.max")) -> int:
    """The CPUs this container may use: its cgroup quota (what an ECS task size sets)
    rounded up, else the CPUs it may be scheduled on. os.cpu_count() would report the host."""
    cpus = len(os.sched_getaffinity(0))
    try:
        quota, period = cpu_max.read_text().split()
    except (OSError, ValueError):
        return cpus
    if quota == "max":
        return cpus
    return max(1, min(cpus, math.ceil(int(quota) / int(period))))


def get_settings() -> Settings:
    return Settings()
