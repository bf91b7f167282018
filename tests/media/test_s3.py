"""S3 mode against moto's server: presigned multipart uploads, CloudFront-signed playback."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import boto3
import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient

from practika.app import create_app
from practika.config import Settings
from practika.db import migrate
from tests.aws_emulator import (
    DISTRIBUTION,
    KEY_PAIR_ID,
    REGION,
    cloudfront_signature_holds,
    new_signing_key,
    pem_of,
)
from tests.conftest import _truncate, make_settings
from tests.media.conftest import MediaApi


@pytest.fixture(scope="module")
def signing_key() -> rsa.RSAPrivateKey:
    return new_signing_key()


@pytest.fixture(scope="module")
def s3_settings(
    moto_s3: str, signing_key: rsa.RSAPrivateKey, tmp_path_factory: pytest.TempPathFactory
) -> Settings:
    bucket = f"videos-{uuid.uuid4().hex[:8]}"
    boto3.client("s3", region_name=REGION, endpoint_url=moto_s3).create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    pem = pem_of(signing_key)
    secret = boto3.client("secretsmanager", region_name=REGION, endpoint_url=moto_s3).create_secret(
        Name=f"cloudfront-key-{bucket}", SecretString=pem
    )
    tmp = tmp_path_factory.mktemp("s3")
    settings = make_settings(
        tmp,
        f"sqlite+aiosqlite:///{tmp / 'practika.db'}",
        storage_backend="s3",
        s3_videos_bucket=bucket,
        aws_region=REGION,
        aws_endpoint_url=moto_s3,
        cloudfront_domain=DISTRIBUTION,
        cloudfront_key_pair_id=KEY_PAIR_ID,
        cloudfront_private_key_secret_arn=secret["ARN"],
        upload_part_size=8 * 1024,
    )
    migrate(settings)
    return settings


@pytest.fixture(scope="module")
def s3_client_app(s3_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(s3_settings)) as client:
        yield client


@pytest.fixture
def s3api(s3_client_app: TestClient) -> MediaApi:
    s3_client_app.portal.call(_truncate, s3_client_app.app.state.engine)  # type: ignore[union-attr,attr-defined]
    api = MediaApi(s3_client_app)
    api.storage.delete_prefix("")
    for pending in api.storage.list_multipart_uploads():
        api.storage.abort_multipart(pending.key, pending.upload_id)
    return api


def test_a_resumed_multipart_upload_goes_straight_to_s3_and_plays_via_cloudfront(
    s3api: MediaApi, clips: dict[str, Path], moto_s3: str, signing_key: rsa.RSAPrivateKey
) -> None:
    coach = s3api.signup("Coach")
    data = clips["h264_aac"].read_bytes()
    started = s3api.start_upload(coach, data, "squat.mp4")
    assert started["part_count"] > 2
    for part in started["parts"]:
        assert part["url"].startswith(moto_s3) and "X-Amz-Signature=" in part["url"]

    first = s3api.send_parts(started, data, numbers=[1, 2])  # then the connection drops
    state = s3api.get(f"/api/v1/uploads/{started['video_id']}", coach).json()
    assert sorted(p["part_number"] for p in state["parts_received"]) == [1, 2]
    assert {p["part_number"]: p["etag"] for p in state["parts_received"]} == first

    missing = list(range(3, started["part_count"] + 1))
    fresh = s3api.post(
        f"/api/v1/uploads/{started['video_id']}/parts", coach, json={"part_numbers": missing}
    ).json()
    rest = s3api.send_parts({"part_size": started["part_size"], "parts": fresh["parts"]}, data)
    r = s3api.complete(coach, started["video_id"], first | rest)
    assert r.status_code == 200, r.text
    assert s3api.process() == 1

    video = s3api.get(f"/api/v1/videos/{started['video_id']}", coach).json()
    assert video["status"] == "ready", video
    prefix = f"videos/{video['id']}/"
    assert s3api.object_keys(prefix) == [
        prefix + n for n in ("original", "poster.jpg", "rendition.mp4", "sprite.jpg")
    ]
    bucket = s3api.settings.s3_videos_bucket
    s3 = boto3.client("s3", region_name=REGION, endpoint_url=moto_s3)
    assert s3.get_object(Bucket=bucket, Key=prefix + "original")["Body"].read() == data

    playback = s3api.get(f"/api/v1/videos/{video['id']}/playback", coach).json()
    public = signing_key.public_key()
    for name in ("original_url", "rendition_url", "poster_url", "sprite_url"):
        url = playback[name]
        assert url.startswith(f"https://{DISTRIBUTION}/{prefix}")
        assert cloudfront_signature_holds(url, public), name
        expires = int(parse_qs(urlsplit(url).query)["Expires"][0])
        assert 0 < expires - time.time() <= s3api.settings.media_url_ttl_seconds + 5
    forged = playback["rendition_url"].replace("rendition.mp4", "original")
    assert not cloudfront_signature_holds(forged, public)


def test_parts_that_do_not_add_up_are_refused_and_aborts_clean_up(
    s3api: MediaApi, clips: dict[str, Path]
) -> None:
    coach = s3api.signup("Coach")
    data = clips["h264_aac"].read_bytes()
    started = s3api.start_upload(coach, data)
    etags = s3api.send_parts(started, data[:-5])  # the last part comes up short
    r = s3api.complete(coach, started["video_id"], etags)
    assert r.status_code == 422 and r.json()["error"]["code"] == "part_size_mismatch"

    assert s3api.delete(f"/api/v1/uploads/{started['video_id']}", coach).status_code == 204
    assert s3api.storage.list_multipart_uploads() == []
    assert s3api.object_keys() == []


def test_deleting_an_attempt_removes_its_objects_from_the_bucket(
    s3api: MediaApi, clips: dict[str, Path]
) -> None:
    coach, learner = s3api.signup("Coach"), s3api.signup("Learner")
    exercise = s3api.exercise(coach)
    thread = s3api.thread(learner, exercise["id"])
    video = s3api.upload(learner, clips["silent"])
    assert video["status"] == "ready"
    attempt = s3api.post(
        f"/api/v1/threads/{thread['id']}/attempts", learner, json={"video_id": video["id"]}
    ).json()
    assert s3api.delete(f"/api/v1/attempts/{attempt['id']}", learner).status_code == 204
    s3api.process()
    assert s3api.object_keys() == []


def test_part_urls_are_presigned_for_the_upload_and_short_lived(
    s3api: MediaApi, clips: dict[str, Path]
) -> None:
    coach = s3api.signup("Coach")
    data = clips["silent"].read_bytes()
    started = s3api.start_upload(coach, data)
    query = parse_qs(urlsplit(started["parts"][0]["url"]).query)
    assert query["partNumber"] == ["1"] and query["uploadId"][0]
    # S3 (not moto) enforces expiry; we ask for no more than four playback TTLs.
    assert 0 < int(query["X-Amz-Expires"][0]) <= 4 * s3api.settings.media_url_ttl_seconds


@pytest.mark.parametrize(
    ("name", "declared", "served"),
    [
        ("attempt.html", "video/mp4", "video/mp4"),
        ("attempt.svg", "application/octet-stream", "application/octet-stream"),
    ],
)
def test_an_original_named_like_a_page_is_stored_in_s3_as_a_video_download(
    s3api: MediaApi,
    clips: dict[str, Path],
    moto_s3: str,
    tmp_path: Path,
    name: str,
    declared: str,
    served: str,
) -> None:
    """CloudFront serves what S3 stored: the object's own type and disposition decide,
    set when the multipart upload is created and applied at completion."""
    from tests.media.clips import with_free_box_after_ftyp

    coach = s3api.signup("Coach")
    data = with_free_box_after_ftyp(clips["h264_aac"].read_bytes(), b"<html><script>1</script>")
    started = s3api.start_upload(coach, data, name, content_type=declared)
    r = s3api.complete(coach, started["video_id"], s3api.send_parts(started, data))
    assert r.status_code == 200, r.text
    assert s3api.process() == 1
    key = f"videos/{started['video_id']}/original"
    bucket = s3api.settings.s3_videos_bucket
    s3 = boto3.client("s3", region_name=REGION, endpoint_url=moto_s3)
    head = s3.head_object(Bucket=bucket, Key=key)
    assert head["ContentType"] == served
    assert head["ContentDisposition"] == (
        f'attachment; filename="attempt{".mp4" if served == "video/mp4" else ".bin"}"; '
        f"filename*=UTF-8''attempt{'.mp4' if served == 'video/mp4' else '.bin'}"
    )
    rendition = s3.head_object(Bucket=bucket, Key=f"videos/{started['video_id']}/rendition.mp4")
    assert rendition["ContentType"] == "video/mp4"

    # Without CloudFront (presigned S3 GETs), the URL also names the probed type.
    from practika.storage.s3 import S3Storage

    presigned = S3Storage(s3, bucket).playback_url(
        key, expires_in=60, content_type="video/mp4", filename=name
    )
    got = httpx.get(presigned)
    assert got.status_code == 200 and got.content == data
    assert got.headers["content-type"] == "video/mp4"
    assert got.headers["content-disposition"].startswith("attachment;")
    assert "attempt.mp4" in got.headers["content-disposition"]
