"""The tasks' IAM roles, each scoped to what its process touches: the secrets it reads,
X-Ray for its traces, and its own actions on the videos bucket."""

from __future__ import annotations

from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from practika_infra.nag import acknowledge

VIDEO_PREFIX = "videos/*"

# What each process does with the videos bucket (src/practika/storage/s3.py), nothing
# more. No role may delete object versions: versioning is what makes deletes undoable.
# api: multipart uploads (create, presigned part PUTs and complete are s3:PutObject; list
# parts; abort) and the readiness probe's HeadBucket (s3:ListBucket). Playback URLs are
# CloudFront-signed, so it never reads objects.
API_OBJECT_ACTIONS = ("s3:PutObject", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload")
API_BUCKET_ACTIONS = ("s3:ListBucket",)
# worker: download originals, upload renditions, abort and delete a removed video's
# objects (listed first); `practika reconcile-media` runs as a worker task and also lists
# unfinished uploads.
WORKER_OBJECT_ACTIONS = (
    "s3:GetObject",
    "s3:PutObject",
    "s3:AbortMultipartUpload",
    "s3:DeleteObject",
)
WORKER_BUCKET_ACTIONS = ("s3:ListBucket", "s3:ListBucketMultipartUploads")


def task_role(
    scope: Construct,
    id: str,
    description: str,
    videos: s3.IBucket,
    secrets: list[secretsmanager.ISecret],
) -> iam.Role:
    """A service's role: read `secrets`, send traces to X-Ray (the bucket actions are
    added by `allow_videos`)."""
    role = iam.Role(
        scope,
        id,
        assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"),
        description=description,
    )
    for secret in secrets:
        secret.grant_read(role)
    # No rds-db:connect: the tasks sign in with the secret's password, not IAM tokens.
    # The ADOT sidecar sends the tasks' traces to X-Ray.
    role.add_to_principal_policy(
        iam.PolicyStatement(
            actions=[
                "xray:PutTraceSegments",
                "xray:PutTelemetryRecords",
                "xray:GetSamplingRules",
                "xray:GetSamplingTargets",
            ],
            resources=["*"],
        )
    )
    acknowledge(
        role,
        (
            "AwsSolutions-IAM5[Resource::*]",
            "X-Ray trace and sampling APIs, and ECS Exec's ssmmessages channel, have no "
            "resource-level permissions.",
        ),
        (
            f"AwsSolutions-IAM5[Resource::<{_logical(videos)}.Arn>/videos/*]",
            "Scoped to the videos/ prefix of the one videos bucket: "
            "video ids are not known in advance.",
        ),
    )
    return role


def allow_videos(
    role: iam.Role, videos: s3.IBucket, objects: tuple[str, ...], bucket: tuple[str, ...]
) -> None:
    """Object actions under videos/ only, bucket actions on the bucket itself."""
    role.add_to_principal_policy(
        iam.PolicyStatement(actions=list(objects), resources=[videos.arn_for_objects(VIDEO_PREFIX)])
    )
    role.add_to_principal_policy(
        iam.PolicyStatement(actions=list(bucket), resources=[videos.bucket_arn])
    )


def _logical(bucket: s3.IBucket) -> str:
    return Stack.of(bucket).get_logical_id(bucket.node.default_child)  # type: ignore[arg-type]


def migrate_role(
    scope: Construct,
    database_secret: secretsmanager.ISecret,
    database_app_secret: secretsmanager.ISecret,
) -> iam.Role:
    """The one-off migration task's role: the database's two secrets, nothing else."""
    role = iam.Role(
        scope,
        "MigrateRole",
        assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"),
        description="migrate: the schema, as the database owner; nothing else",
    )
    # The owner's credentials to migrate, the app user's to provision it (db_users.py).
    database_secret.grant_read(role)
    database_app_secret.grant_read(role)
    return role
