"""moto's server mode: a real AWS-shaped HTTP endpoint on 127.0.0.1."""

from __future__ import annotations

import pytest


@pytest.fixture
def secrets(moto_endpoint: str):
    import boto3

    return boto3.client("secretsmanager", region_name="eu-west-1", endpoint_url=moto_endpoint)
