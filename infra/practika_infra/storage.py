"""The three S3 buckets of the diagram: videos, static site, logs."""

from __future__ import annotations

from typing import Any

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_s3 as s3
from constructs import Construct

from practika_infra.config import EnvConfig
from practika_infra.nag import acknowledge, skip_checkov


def _private(**extra: Any) -> dict[str, Any]:
    return {
        "block_public_access": s3.BlockPublicAccess.BLOCK_ALL,
        "encryption": s3.BucketEncryption.S3_MANAGED,
        "enforce_ssl": True,
        "minimum_tls_version": 1.2,
        "removal_policy": RemovalPolicy.RETAIN,  # never lose videos or audit logs to a stack delete
        **extra,
    }


class Buckets(Construct):
    def __init__(self, scope: Construct, id: str, *, config: EnvConfig) -> None:
        super().__init__(scope, id)
        expiry = config.access_log_expiry_days
        transitions = []
        if expiry > 60:
            transitions.append(
                s3.Transition(
                    storage_class=s3.StorageClass.INFREQUENT_ACCESS,
                    transition_after=Duration.days(30),
                )
            )
        if expiry > 120:
            transitions.append(
                s3.Transition(
                    storage_class=s3.StorageClass.GLACIER, transition_after=Duration.days(90)
                )
            )
        # ALB and CloudFront write access logs here; both need SSE-S3, and CloudFront's
        # standard logs still write with ACLs, hence object-writer ownership.
        self.logs = s3.Bucket(
            self,
            "Logs",
            **_private(
                object_ownership=s3.ObjectOwnership.OBJECT_WRITER,
                lifecycle_rules=[
                    s3.LifecycleRule(
                        id="age-out",
                        transitions=transitions or None,
                        expiration=Duration.days(expiry),
                        abort_incomplete_multipart_upload_after=Duration.days(1),
                    )
                ],
            ),
        )
        acknowledge(
            self.logs,
            (
                "AwsSolutions-S1",
                "This is the access-log bucket; logging it into itself would loop.",
            ),
        )
        skip_checkov(
            self.logs,
            ("CKV_AWS_18", "This is the access-log bucket; logging it into itself would loop."),
            ("CKV_AWS_21", "Log objects are written once and age out by lifecycle."),
        )

        origins = [f"https://app.{config.domain}"] if config.has_domain else ["*"]
        self.videos = s3.Bucket(
            self,
            "Videos",
            **_private(
                server_access_logs_bucket=self.logs,
                server_access_logs_prefix="s3/videos/",
                # Browsers PUT parts straight to presigned URLs and must read each ETag.
                cors=[
                    s3.CorsRule(
                        allowed_methods=[
                            s3.HttpMethods.PUT,
                            s3.HttpMethods.GET,
                            s3.HttpMethods.HEAD,
                        ],
                        allowed_origins=origins,
                        allowed_headers=["*"],
                        exposed_headers=["ETag"],
                        max_age=3000,
                    )
                ],
                # A bug or a mistaken delete must not lose a learner's recording for good.
                versioned=True,
                lifecycle_rules=[
                    s3.LifecycleRule(
                        id="expire-old-versions",
                        noncurrent_version_expiration=Duration.days(config.video_version_days),
                        expired_object_delete_marker=True,
                    ),
                    # Abandoned multipart uploads cost money and are invisible in listings.
                    s3.LifecycleRule(
                        id="abort-incomplete-uploads",
                        abort_incomplete_multipart_upload_after=Duration.days(2),
                    ),
                    # Old videos are watched rarely; let S3 move them to cheaper tiers.
                    s3.LifecycleRule(
                        id="tier-old-videos",
                        transitions=[
                            s3.Transition(
                                storage_class=s3.StorageClass.INTELLIGENT_TIERING,
                                transition_after=Duration.days(30),
                            )
                        ],
                    ),
                ],
            ),
        )
        self.static = s3.Bucket(
            self,
            "Static",
            **_private(server_access_logs_bucket=self.logs, server_access_logs_prefix="s3/static/"),
        )
        skip_checkov(
            self.static,
            (
                "CKV_AWS_21",
                "Rebuilt from git on every deploy: the previous SPA is a redeploy away.",
            ),
        )
