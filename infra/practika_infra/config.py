"""Per-environment settings: sizes, redundancy, retention, alarms, optional domain.

Every knob that differs between dev, staging and prod lives here, so the
constructs read the same for all three. `cdk.json` context may override any
field: `-c practika:prod:domain=practika.example.com`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

INFRA_DIR = Path(__file__).resolve().parent.parent
EXAMPLE_PUBLIC_KEY = INFRA_DIR / "keys" / "example.pub.pem"


@dataclass(frozen=True)
class EnvConfig:
    name: str
    account: str | None = None
    region: str = "eu-west-1"
    # Networking
    max_azs: int = 2
    nat_gateways: int = 1
    # Interface endpoints, so image pulls, logs, secrets and traces skip the NAT gateway's
    # per-GB charge (each costs hours per AZ: `practika infra cost`).
    vpc_endpoints: tuple[str, ...] = ("ecr.api", "ecr.dkr", "logs", "secretsmanager", "xray")
    # Compute (Fargate units: 256 = 0.25 vCPU; memory in MiB)
    api_cpu: int = 512
    api_memory: int = 1024
    api_min_tasks: int = 1
    api_max_tasks: int = 2
    worker_cpu: int = 1024
    worker_memory: int = 2048
    worker_min_tasks: int = 1
    worker_max_tasks: int = 2
    # Database
    db_instance_class: str = "t4g.micro"
    db_allocated_storage_gib: int = 20
    db_max_storage_gib: int = 100
    db_multi_az: bool = False
    db_backup_days: int = 7
    deletion_protection: bool = False
    # Retention and alerting
    log_retention_days: int = 30
    access_log_expiry_days: int = 90
    # Overwritten or deleted video objects stay recoverable this long (bucket versioning).
    video_version_days: int = 30
    alarm_email: str | None = None
    # Optional domain: without one, CloudFront and the ALB keep their AWS hostnames.
    domain: str | None = None
    hosted_zone_id: str | None = None
    # CloudFront signed URLs: the public half of the key the app signs with
    # (`practika infra keygen` writes keys/<env>.pub.pem; until then, the example key).
    cloudfront_public_key: str = ""
    # During a key rotation, the key being retired (`keygen --rotate` moves the current
    # one to keys/<env>.previous.pub.pem): CloudFront trusts both until it is deleted.
    cloudfront_previous_public_key: str = ""
    # The built SPA, uploaded to the static bucket (staging and prod refuse to synthesize
    # without it; `practika infra deploy` builds it).
    web_dist: str = str(INFRA_DIR.parent / "web" / "dist")
    waf_rate_limit_per_5min: int = 2000
    # Set only by `practika infra deploy` while the services' own database user does not
    # exist yet (a first deploy): the services sign in as the master user until the
    # migration task has created `practika_app`; the deploy's last step switches them.
    database_bootstrap: bool = False
    # CI/CD (.github/workflows/deploy.yml): with "owner/repo", a `practika-<env>-ci` stack
    # holds the GitHub OIDC deploy role; give the provider's ARN when another environment
    # in the same account made it already.
    github_repository: str | None = None
    github_oidc_provider_arn: str | None = None

    def __post_init__(self) -> None:
        if not self.cloudfront_public_key:
            own = INFRA_DIR / "keys" / f"{self.name}.pub.pem"
            key = own if own.is_file() else EXAMPLE_PUBLIC_KEY
            object.__setattr__(self, "cloudfront_public_key", str(key))
        if not self.cloudfront_previous_public_key:
            previous = INFRA_DIR / "keys" / f"{self.name}.previous.pub.pem"
            if previous.is_file():
                object.__setattr__(self, "cloudfront_previous_public_key", str(previous))

    @property
    def trusted_public_keys(self) -> list[str]:
        """The PEM files CloudFront trusts: the current key, then the retiring one."""
        keys = [self.cloudfront_public_key, self.cloudfront_previous_public_key]
        return [k for k in keys if k]

    @property
    def has_domain(self) -> bool:
        return bool(self.domain and self.hosted_zone_id)

    @property
    def availability_zones(self) -> list[str]:
        """Named, not looked up: an environment-agnostic stack gets two AZs whatever
        max_azs says, and a lookup needs an account at synth time."""
        return [f"{self.region}{zone}" for zone in "abcdef"[: self.max_azs]]

    @property
    def is_public(self) -> bool:
        """staging and prod serve people: HTTPS on a domain, alarms to someone, a web app."""
        return self.name != "dev"

    def check(self) -> None:
        """Refuse a configuration that would deploy something broken or unsafe."""
        if self.is_public and not self.has_domain:
            raise ValueError(
                f"{self.name} needs a domain and its hosted zone (HTTPS only): "
                f"-c practika:{self.name}:domain=… -c practika:{self.name}:hosted_zone_id=…"
            )
        if self.is_public and not self.alarm_email:
            raise ValueError(
                f"{self.name} needs somewhere to send alarms: "
                f"-c practika:{self.name}:alarm_email=ops@…"
            )
        if self.is_public and not (Path(self.web_dist) / "index.html").is_file():
            raise ValueError(
                f"{self.name} needs the built web app in {self.web_dist} (no index.html): "
                "`make web-build`, or `practika infra deploy`, which builds it"
            )

    @property
    def uses_example_key(self) -> bool:
        return Path(self.cloudfront_public_key).resolve() == EXAMPLE_PUBLIC_KEY.resolve()


ENVIRONMENTS: dict[str, EnvConfig] = {
    "dev": EnvConfig(
        name="dev", log_retention_days=14, access_log_expiry_days=30, video_version_days=7
    ),
    "staging": EnvConfig(
        name="staging",
        nat_gateways=1,
        api_min_tasks=2,
        api_max_tasks=4,
        worker_max_tasks=4,
        db_instance_class="t4g.small",
        db_multi_az=True,
        deletion_protection=True,
        log_retention_days=30,
    ),
    "prod": EnvConfig(
        name="prod",
        max_azs=3,
        nat_gateways=2,
        api_cpu=1024,
        api_memory=2048,
        api_min_tasks=2,
        api_max_tasks=10,
        worker_cpu=2048,
        worker_memory=4096,
        worker_min_tasks=1,
        worker_max_tasks=12,
        db_instance_class="m6g.large",
        db_allocated_storage_gib=100,
        db_max_storage_gib=1000,
        db_multi_az=True,
        db_backup_days=30,
        deletion_protection=True,
        log_retention_days=90,
        access_log_expiry_days=365,
    ),
}


def feature_flags() -> dict[str, Any]:
    """CDK's feature flags this app adopts, from cdk.json (the CLI reads them from there;
    `practika infra synth` and the tests pass the same ones): docs/operations.md."""
    import json

    context: dict[str, Any] = json.loads((INFRA_DIR / "cdk.json").read_text())["context"]
    return {k: v for k, v in context.items() if k.startswith("@aws-cdk")}


def _coerce(kind: Any, raw: Any) -> Any:
    if not isinstance(raw, str):
        return raw
    if "bool" in str(kind):
        return raw.lower() in ("1", "true", "yes")
    if "tuple" in str(kind):  # comma-separated: -c practika:dev:vpc_endpoints=ecr.api,logs
        return tuple(part for part in raw.split(",") if part)
    if "int" in str(kind) and raw.lstrip("-").isdigit():
        return int(raw)
    return raw or None


def load(name: str, context: Callable[[str], Any] | dict[str, Any] | None = None) -> EnvConfig:
    """The named environment, with `practika:<env>:<field>` (or `practika:<field>`)
    context values applied; `context` is a dict or CDK's `try_get_context`."""
    if name not in ENVIRONMENTS:
        raise KeyError(f"unknown environment {name!r}; one of {', '.join(ENVIRONMENTS)}")
    get = context.get if isinstance(context, dict) else context or (lambda _key: None)
    overrides = {}
    for f in fields(EnvConfig):
        for key in (f"practika:{name}:{f.name}", f"practika:{f.name}"):
            value = get(key)
            if value is not None:
                overrides[f.name] = _coerce(f.type, value)
                break
    return replace(ENVIRONMENTS[name], **overrides)
