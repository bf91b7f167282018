"""Secrets Manager: read secrets once, re-read them when they may have rotated."""

from __future__ import annotations

import json
import threading
from typing import Any

from practika.domain.errors import Unavailable


class SecretsReader:
    """A small cache over `GetSecretValue`; values are never logged or put in errors."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self._cache: dict[str, str] = {}
        self._lock = threading.Lock()

    def text(self, arn: str, *, refresh: bool = False) -> str:
        with self._lock:
            if refresh or arn not in self._cache:
                try:
                    response = self._client.get_secret_value(SecretId=arn)
                except Exception as exc:
                    # The ARN is configuration, not a secret; the value never appears here.
                    raise Unavailable(
                        f"Cannot read secret {arn}: {type(exc).__name__}", code="secret_unreadable"
                    ) from exc
                self._cache[arn] = response.get("SecretString") or response["SecretBinary"].decode()
            return self._cache[arn]

    def json(self, arn: str, *, refresh: bool = False) -> dict[str, Any]:
        value = json.loads(self.text(arn, refresh=refresh))
        if not isinstance(value, dict):
            raise Unavailable(f"Secret {arn} is not a JSON object", code="secret_malformed")
        return value


def boto_client(service: str, settings: Any) -> Any:
    """A boto3 client for `service`, honouring the region and endpoint override (moto)."""
    import boto3

    return boto3.client(
        service, region_name=settings.aws_region, endpoint_url=settings.aws_endpoint_url
    )
