"""The S3 client, configured once from settings (region, endpoint override for moto)."""

from __future__ import annotations

from typing import Any

from practika.config import Settings


def s3_client(settings: Settings) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        region_name=settings.aws_region,
        endpoint_url=settings.aws_endpoint_url,
        # SigV4 presigned URLs; path-style so an emulator's 127.0.0.1 endpoint works too.
        config=Config(
            signature_version="s3v4",
            s3={"addressing_style": "path" if settings.aws_endpoint_url else "auto"},
            retries={"mode": "standard", "max_attempts": 3},
            # An unreachable endpoint must fail a request in seconds, not minutes.
            connect_timeout=2,
            read_timeout=20,
        ),
    )
