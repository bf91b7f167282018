"""moto's server mode (a real AWS-shaped HTTP endpoint on 127.0.0.1) and CloudFront checks.

Shared by the S3 media tests, the AWS runtime tests and the prod-like run.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

REGION = "eu-west-1"
DISTRIBUTION = "d111111abcdef8.cloudfront.net"
KEY_PAIR_ID = "K2JCJMDEHXQW5F"


@contextmanager
def moto_server(port: int = 0) -> Iterator[str]:
    """Start moto on loopback; yields its endpoint URL."""
    import moto.s3.models as s3_models
    from moto.server import ThreadedMotoServer

    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    # S3 wants 5 MiB parts; tiny test clips use tiny parts.
    original_min = s3_models.S3_UPLOAD_PART_MIN_SIZE
    s3_models.S3_UPLOAD_PART_MIN_SIZE = 1024
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    host, bound = server.get_host_and_port()
    try:
        yield f"http://{host}:{bound}"
    finally:
        server.stop()
        s3_models.S3_UPLOAD_PART_MIN_SIZE = original_min


def new_signing_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def pem_of(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def cloudfront_signature_holds(url: str, public_key: rsa.RSAPublicKey) -> bool:
    """Check a canned-policy signed URL the way CloudFront does."""
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    resource = f"{parts.scheme}://{parts.netloc}{parts.path}"
    policy = json.dumps(
        {
            "Statement": [
                {
                    "Resource": resource,
                    "Condition": {"DateLessThan": {"AWS:EpochTime": int(query["Expires"])}},
                }
            ]
        },
        separators=(",", ":"),
    )
    raw = query["Signature"].replace("-", "+").replace("_", "=").replace("~", "/")
    try:
        public_key.verify(base64.b64decode(raw), policy.encode(), padding.PKCS1v15(), hashes.SHA1())
    except InvalidSignature:
        return False
    return query["Key-Pair-Id"] == KEY_PAIR_ID
