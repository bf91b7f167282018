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
    database_iam_auth: bool = False  # use short-lived IAM tokens instead of the secret's password
    database_ssl: bool = False
    # With a CA bundle (the image ships RDS's): TLS verify-full, i.e. the server's
    # certificate chain and host name are checked, not only encryption (`require`).
    database_ssl_root_cert: Path | None = None
    database_pool_size: int = 10

    session_secret: SecretStr | None = None
    session_secret_arn: str | None = None
    session_ttl_days: int = Field(default=30, ge=1)
    password_reset_ttl_hours: int = Field(default=24, ge=1, le=168)
    # None: Secure exactly when the request came over HTTPS (X-Forwarded-Proto behind the ALB).
    cookie_secure: bool | None = None
    cookie_domain: str | None = None
    cors_origins: list[str] = []
    forwarded_allow_ips: str = "127.0.0.1"

    # Sign-in throttling: failures allowed per window, per account and per client address.
    signin_window_seconds: int = 900
    signin_max_failures_per_account: int = 5
    signin_max_failures_per_ip: int = 30

    # argon2id cost; tests lower it, production keeps the library's defaults.
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536

    invite_ttl_days: int = 14
    max_request_bytes: int = 1024 * 1024
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

    migrate_on_start: bool = True
    run_worker: bool = True
    log_format: Literal["console", "json"] = "console"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    service_role: Literal["api", "worker"] = "api"
    tracing: bool = False
    otlp_endpoint: str = "http://127.0.0.1:4318"
    metrics_flush_seconds: float = Field(default=60.0, gt=0)
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
        if self.session_secret is not None and len(self.session_secret.get_secret_value()) < 32:
            raise ValueError("PRACTIKA_SESSION_SECRET must be at least 32 characters")
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
    def is_aws_mode(self) -> bool:
        """Several tasks behind a load balancer, none with a disk of its own that lasts."""
        return bool(self.database_host) or self.storage_backend == "s3"

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
