"""S3 storage: presigned multipart uploads straight from the client, never proxied."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from practika.storage import scratch
from practika.storage.base import Part, PendingUpload, StorageError, StorageUnavailable
from practika.storage.serving import attachment, download_name, safe_type


class S3Storage:
    def __init__(self, client: Any, bucket: str, signer: Any | None = None) -> None:
        self.client = client
        self.bucket = bucket
        self.signer = signer  # CloudFront signer for playback; presigned GETs without one

    def _call(self, name: str, **kwargs: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return getattr(self.client, name)(Bucket=self.bucket, **kwargs)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
            if status >= 500 or code in ("SlowDown", "ServiceUnavailable", "InternalError"):
                raise StorageUnavailable(f"S3 {name} failed: {code or status}") from exc
            raise StorageError(f"S3 {name} failed: {code}") from exc
        except BotoCoreError as exc:  # endpoint unreachable, timeouts, credentials missing
            raise StorageUnavailable(f"S3 {name} failed: {type(exc).__name__}") from exc

    def check(self) -> None:
        self._call("head_bucket")

    # Multipart uploads

    def create_multipart(
        self,
        key: str,
        content_type: str,
        *,
        filename: str | None = None,
        size: int | None = None,
        part_size: int | None = None,
    ) -> str:
        # The object gets its type and disposition at completion, from here: CloudFront
        # serves what S3 stored, so the uploader's bytes are a video or a download.
        kind = safe_type(content_type)
        started = self._call(
            "create_multipart_upload",
            Key=key,
            ContentType=kind,
            ContentDisposition=attachment(download_name(filename, kind)),
        )
        return str(started["UploadId"])

    def part_url(
        self, key: str, upload_id: str, part_number: int, *, max_bytes: int, expires_in: int
    ) -> str:
        # S3 cannot cap a presigned PUT's size; complete() checks every part's size instead.
        return self.client.generate_presigned_url(  # type: ignore[no-any-return]
            "upload_part",
            Params={
                "Bucket": self.bucket,
                "Key": key,
                "UploadId": upload_id,
                "PartNumber": part_number,
            },
            ExpiresIn=expires_in,
        )

    def list_parts(self, key: str, upload_id: str) -> list[Part]:
        parts: list[Part] = []
        marker = 0
        while True:
            page = self._call("list_parts", Key=key, UploadId=upload_id, PartNumberMarker=marker)
            parts.extend(Part(p["PartNumber"], p["ETag"], p["Size"]) for p in page.get("Parts", []))
            if not page.get("IsTruncated"):
                return parts
            marker = page["NextPartNumberMarker"]

    def complete_multipart(self, key: str, upload_id: str, parts: list[tuple[int, str]]) -> None:
        self._call(
            "complete_multipart_upload",
            Key=key,
            UploadId=upload_id,
            MultipartUpload={"Parts": [{"PartNumber": n, "ETag": e} for n, e in parts]},
        )

    def abort_multipart(self, key: str, upload_id: str) -> None:
        with contextlib.suppress(StorageError):  # already gone
            self._call("abort_multipart_upload", Key=key, UploadId=upload_id)

    def list_multipart_uploads(self) -> list[PendingUpload]:
        found: list[PendingUpload] = []
        paginator = self.client.get_paginator("list_multipart_uploads")
        for page in paginator.paginate(Bucket=self.bucket):
            found.extend(
                PendingUpload(u["Key"], u["UploadId"], u["Initiated"])
                for u in page.get("Uploads", [])
            )
        return found

    # Objects

    def size(self, key: str) -> int | None:
        try:
            return int(self._call("head_object", Key=key)["ContentLength"])
        except StorageError:
            return None

    @contextmanager
    def local_copy(self, key: str) -> Iterator[Path]:
        with tempfile.TemporaryDirectory(prefix="practika-", dir=scratch.folder()) as tmp:
            path = Path(tmp) / "original"
            try:
                self.client.download_file(self.bucket, key, str(path))
            except Exception as exc:
                raise StorageError(f"cannot download {key}: {exc}") from exc
            yield path

    def put_file(self, key: str, path: Path, content_type: str) -> None:
        self.client.upload_file(
            str(path), self.bucket, key, ExtraArgs={"ContentType": content_type}
        )

    def put_bytes(self, key: str, data: bytes, content_type: str) -> None:
        self._call("put_object", Key=key, Body=data, ContentType=content_type)

    def delete_keys(self, keys: list[str]) -> None:
        for start in range(0, len(keys), 1000):  # DeleteObjects takes 1,000 keys at most
            batch = keys[start : start + 1000]
            self._call("delete_objects", Delete={"Objects": [{"Key": k} for k in batch]})

    def delete_prefix(self, prefix: str) -> int:
        keys = list(self.list_keys(prefix))
        self.delete_keys(keys)
        return len(keys)

    def list_keys(self, prefix: str = "") -> Iterator[str]:
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                yield item["Key"]

    def playback_url(
        self,
        key: str,
        *,
        expires_in: int,
        content_type: str | None = None,
        filename: str | None = None,
    ) -> str:
        if self.signer is not None:  # CloudFront serves the object's own metadata
            return self.signer.url(key, expires_in=expires_in)  # type: ignore[no-any-return]
        params = {"Bucket": self.bucket, "Key": key}
        if content_type is not None or filename is not None:  # an original
            kind = safe_type(content_type)
            params["ResponseContentType"] = kind
            params["ResponseContentDisposition"] = attachment(download_name(filename, kind))
        return self.client.generate_presigned_url(  # type: ignore[no-any-return]
            "get_object", Params=params, ExpiresIn=expires_in
        )
