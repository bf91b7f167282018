"""CloudFront signed URLs (canned policy) with a trusted key group's key pair."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from practika.domain.errors import Unavailable

# The value the CDK stack creates the key secret with: `practika infra deploy` replaces it
# with the PEM right after the stack exists. Tasks started before that serve everything
# but playback, instead of failing their health checks and rolling the first deploy back.
UNSET_MARKER = "UNSET"


def is_unset(value: str) -> bool:
    return value.startswith(UNSET_MARKER)


class CloudFrontSigner:
    def __init__(self, domain: str, key_pair_id: str, private_key_pem: str) -> None:
        from botocore.signers import CloudFrontSigner as BotoSigner

        key = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError("the CloudFront signing key must be an RSA private key")
        self._base = domain if domain.startswith("https://") else f"https://{domain}"
        # CloudFront verifies RSA-SHA1 signatures of the policy (its documented scheme).
        self._signer = BotoSigner(
            key_pair_id, lambda message: key.sign(message, padding.PKCS1v15(), hashes.SHA1())
        )

    def url(self, key: str, *, expires_in: int) -> str:
        expires = datetime.now(UTC) + timedelta(seconds=expires_in)
        return self._signer.generate_presigned_url(  # type: ignore[no-any-return]
            f"{self._base.rstrip('/')}/{quote(key)}", date_less_than=expires
        )


class SigningKeyNotInstalled:
    """Stands in for the signer until the deploy has put the private key in its secret."""

    def url(self, key: str, *, expires_in: int) -> str:
        raise Unavailable(
            "Playback is not available yet: this deployment's CloudFront signing key has not "
            "been installed (`practika infra deploy` installs it).",
            code="playback_unavailable",
        )
