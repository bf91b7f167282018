"""Per-environment settings and their overrides from CDK context (no synthesis)."""

from __future__ import annotations

from pathlib import Path

import pytest
from aws_cdk import aws_logs as logs
from practika_infra import config
from practika_infra.stack import _retention


def test_environments_grow_from_dev_to_prod() -> None:
    dev, staging, prod = (config.load(n) for n in ("dev", "staging", "prod"))
    assert (dev.max_azs, dev.nat_gateways, dev.db_multi_az, dev.deletion_protection) == (
        2,
        1,
        False,
        False,
    )
    assert staging.db_multi_az and staging.deletion_protection
    assert (prod.max_azs, prod.nat_gateways, prod.db_backup_days) == (3, 2, 30)
    assert dev.log_retention_days < staging.log_retention_days < prod.log_retention_days
    assert not any(e.has_domain or e.alarm_email for e in (dev, staging, prod))


def test_context_overrides_fields_with_their_types() -> None:
    prod = config.load(
        "prod",
        {
            "practika:prod:max_azs": "2",
            "practika:prod:db_multi_az": "false",
            "practika:prod:alarm_email": "ops@example.com",
            "practika:prod:domain": "practika.example.com",
            "practika:prod:hosted_zone_id": "Z0123",
        },
    )
    assert prod.max_azs == 2 and prod.db_multi_az is False
    assert prod.alarm_email == "ops@example.com" and prod.has_domain


def test_an_environment_specific_value_beats_a_shared_one() -> None:
    context = {"practika:alarm_email": "all@example.com", "practika:dev:alarm_email": "dev@x.io"}
    assert config.load("dev", context).alarm_email == "dev@x.io"
    assert config.load("staging", context).alarm_email == "all@example.com"


def test_a_domain_needs_its_hosted_zone() -> None:
    assert not config.load("prod", {"practika:domain": "practika.example.com"}).has_domain


def test_an_unknown_environment_is_an_error() -> None:
    with pytest.raises(KeyError, match="dev, staging, prod"):
        config.load("qa")


def test_an_environment_trusts_its_own_signing_key_or_else_the_example(tmp_path: Path) -> None:
    own = tmp_path / "dev.pub.pem"
    own.write_text("-----BEGIN PUBLIC KEY-----\n")
    context = {"practika:dev:cloudfront_public_key": str(own)}
    assert not config.load("dev", context).uses_example_key
    committed = (config.INFRA_DIR / "keys" / "dev.pub.pem").is_file()
    assert config.load("dev").uses_example_key is not committed  # until `infra keygen`


@pytest.mark.parametrize(
    ("days", "kept"),
    [
        (14, logs.RetentionDays.TWO_WEEKS),
        (30, logs.RetentionDays.ONE_MONTH),
        (45, logs.RetentionDays.THREE_MONTHS),
    ],
)
def test_log_retention_rounds_up_to_what_cloudwatch_offers(
    days: int, kept: logs.RetentionDays
) -> None:
    assert _retention(days) == kept
