"""The CI/CD pipeline's way into AWS: GitHub's OIDC provider and one deploy role per
environment (.github/workflows/deploy.yml assumes it; no long-lived keys anywhere).

The role may do what `practika infra push` and `practika infra deploy` do and nothing
else: assume the CDK bootstrap roles (CloudFormation changes go through those), push to
this environment's registry, read the stacks, run and watch the migration task, and read
the CloudFront key secret to see that it is installed.
"""

from __future__ import annotations

from aws_cdk import CfnOutput, Stack
from aws_cdk import aws_iam as iam
from constructs import Construct

from practika_infra.config import EnvConfig
from practika_infra.nag import acknowledge

GITHUB_OIDC = "token.actions.githubusercontent.com"


class CiStack(Stack):
    def __init__(self, scope: Construct, id: str, *, config: EnvConfig, **kw: object) -> None:
        super().__init__(scope, id, **kw)  # type: ignore[arg-type]
        assert config.github_repository
        if config.github_oidc_provider_arn:
            # One provider per account: a second environment in the same account reuses it.
            provider: iam.IOidcProvider = iam.OidcProviderNative.from_oidc_provider_arn(
                self, "GitHub", config.github_oidc_provider_arn
            )
        else:
            provider = iam.OidcProviderNative(
                self, "GitHub", url=f"https://{GITHUB_OIDC}", client_ids=["sts.amazonaws.com"]
            )
        # Only jobs of this repository running in this environment's GitHub environment
        # (which can require a reviewer: the manual approval before staging and prod).
        subject = f"repo:{config.github_repository}:environment:{config.name}"
        self.role = iam.Role(
            self,
            "DeployRole",
            description=f"GitHub Actions: deploy Practika {config.name}",
            assumed_by=iam.WebIdentityPrincipal(
                provider.oidc_provider_arn,
                conditions={
                    "StringEquals": {
                        f"{GITHUB_OIDC}:aud": "sts.amazonaws.com",
                        f"{GITHUB_OIDC}:sub": subject,
                    }
                },
            ),
        )
        account, region, partition = self.account, config.region, self.partition
        bootstrap = f"arn:{partition}:iam::{account}:role/cdk-hnb659fds-*-{account}-*"
        repository = f"arn:{partition}:ecr:{region}:{account}:repository/*"
        stacks = f"arn:{partition}:cloudformation:{region}:{account}:stack/practika-{config.name}*"
        smoke_objects = f"practika-{config.name}-storagevideos*/videos/smoke-test/*"
        statements = [
            ("CdkBootstrapRoles", ["sts:AssumeRole"], [bootstrap]),
            ("EcrLogin", ["ecr:GetAuthorizationToken"], ["*"]),
            (
                "EcrPush",
                [
                    "ecr:BatchCheckLayerAvailability",
                    "ecr:BatchGetImage",
                    "ecr:CompleteLayerUpload",
                    "ecr:DescribeImages",
                    "ecr:InitiateLayerUpload",
                    "ecr:PutImage",
                    "ecr:UploadLayerPart",
                ],
                [repository],
            ),
            ("ReadStacks", ["cloudformation:DescribeStacks"], [stacks]),
            (
                "MigrationTask",
                ["ecs:RunTask", "ecs:DescribeTasks"],
                [f"arn:{partition}:ecs:{region}:{account}:*"],
            ),
            (
                "PassTaskRoles",
                ["iam:PassRole"],
                [f"arn:{partition}:iam::{account}:role/practika-{config.name}-*"],
            ),
            (
                # `practika infra smoke` plays a few bytes through a signed URL, then deletes them.
                "SmokeTestObject",
                ["s3:PutObject", "s3:DeleteObject"],
                [f"arn:{partition}:s3:::{smoke_objects}"],
            ),
            (
                "SigningKeyInstalled",
                ["secretsmanager:GetSecretValue"],
                [f"arn:{partition}:secretsmanager:{region}:{account}:secret:AppSecrets*"],
            ),
        ]
        for sid, actions, resources in statements:
            self.role.add_to_policy(
                iam.PolicyStatement(sid=sid, actions=actions, resources=resources)
            )
        acknowledge(
            self.role,
            ("AwsSolutions-IAM5[Resource::*]", "ecr:GetAuthorizationToken has no resource scope."),
            *(
                (f"AwsSolutions-IAM5[Resource::{r}]", why)
                for r, why in (
                    (
                        "arn:<AWS::Partition>:iam::<AWS::AccountId>:role/cdk-hnb659fds-*-<AWS::AccountId>-*",
                        "The CDK bootstrap roles (deploy, publish, lookup) of this account.",
                    ),
                    (
                        f"arn:<AWS::Partition>:ecr:{region}:<AWS::AccountId>:repository/*",
                        "The registry's name is generated by CloudFormation.",
                    ),
                    (
                        f"arn:<AWS::Partition>:cloudformation:{region}:<AWS::AccountId>:stack/practika-{config.name}*",
                        "This environment's stacks (and their ids).",
                    ),
                    (
                        f"arn:<AWS::Partition>:ecs:{region}:<AWS::AccountId>:*",
                        "RunTask takes the migration task definition; the task's id is new.",
                    ),
                    (
                        f"arn:<AWS::Partition>:iam::<AWS::AccountId>:role/practika-{config.name}-*",
                        "The migration task's roles, passed to ECS by RunTask.",
                    ),
                    (
                        f"arn:<AWS::Partition>:s3:::{smoke_objects}",
                        "The smoke test's own prefix of the videos bucket (name generated).",
                    ),
                    (
                        f"arn:<AWS::Partition>:secretsmanager:{region}:<AWS::AccountId>:secret:AppSecrets*",
                        "The CloudFront key secret's name is generated by CloudFormation.",
                    ),
                )
            ),
        )
        CfnOutput(self, "DeployRoleArn", value=self.role.role_arn)
        if not config.github_oidc_provider_arn:
            CfnOutput(self, "GitHubOidcProviderArn", value=provider.oidc_provider_arn)
