"""Where video bytes live: the local media folder or the S3 videos bucket."""

from __future__ import annotations

from practika.config import Settings
from practika.storage.base import (
    Part,
    PendingUpload,
    Storage,
    StorageError,
    StorageUnavailable,
    video_prefix,
)
from practika.storage.port import StoragePort

__all__ = [
    "Part",
    "PendingUpload",
    "Storage",
    "StorageError",
    "StoragePort",
    "StorageUnavailable",
    "build_storage",
    "video_prefix",
]


def build_storage(settings: Settings) -> Storage:
    """The backend the settings ask for."""
    if settings.storage_backend == "s3":
        from practika.aws.s3 import s3_client
        from practika.storage.s3 import S3Storage

        assert settings.s3_videos_bucket
        return S3Storage(s3_client(settings), settings.s3_videos_bucket, _cloudfront(settings))
    from practika.storage.local import LocalStorage

    return LocalStorage(settings.resolved_media_dir, settings.secret_key)


def _cloudfront(settings: Settings) -> object | None:
    if not (settings.cloudfront_domain and settings.cloudfront_key_pair_id):
        return None
    from practika.aws.cloudfront import CloudFrontSigner, SigningKeyNotInstalled, is_unset

    if settings.cloudfront_private_key is not None:
        pem = settings.cloudfront_private_key.get_secret_value()
    elif settings.cloudfront_private_key_secret_arn:
        from practika.aws.secrets import SecretsReader, boto_client

        pem = SecretsReader(boto_client("secretsmanager", settings)).text(
            settings.cloudfront_private_key_secret_arn
        )
    else:
        raise ValueError(
            "PRACTIKA_CLOUDFRONT_KEY_PAIR_ID needs PRACTIKA_CLOUDFRONT_PRIVATE_KEY_SECRET_ARN"
        )
    if is_unset(pem):
        return SigningKeyNotInstalled()
    return CloudFrontSigner(settings.cloudfront_domain, settings.cloudfront_key_pair_id, pem)
