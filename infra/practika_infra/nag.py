"""Acknowledged scanner findings, each naming the rule and saying why it is fine here.

cdk-nag (AwsSolutions) runs during synthesis; checkov runs over the synthesized
templates and reads the skips written into each resource's `Metadata`.
"""

from __future__ import annotations

import jsii
from aws_cdk import Acknowledgment, CfnResource, DefaultStackSynthesizer, Stack, Token, Validations
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import IConstruct, IValidation


def acknowledge(scope: IConstruct, *findings: tuple[str, str]) -> None:
    """Acknowledge cdk-nag `(rule id, reason)` pairs on a construct and its children."""
    Validations.of(scope).acknowledge(
        *(Acknowledgment(id=f"AwsSolutions::{rule}", reason=why) for rule, why in findings)
    )


def skip_checkov(scope: IConstruct, *checks: tuple[str, str]) -> None:
    """Skip checkov `(check id, reason)` pairs on a resource (or a construct's main one)."""
    resource = scope if isinstance(scope, CfnResource) else scope.node.default_child
    assert isinstance(resource, CfnResource), f"{scope.node.path} has no CloudFormation resource"
    skips = list((resource.get_metadata("checkov") or {}).get("skip", []))
    known = {skip["id"] for skip in skips}
    skips += [{"id": check, "comment": why} for check, why in checks if check not in known]
    resource.add_metadata("checkov", {"skip": skips})


def skip_cfn_lint(resource: CfnResource, check: str, why: str) -> None:
    """Ignore one cfn-lint rule on one resource (`why` is for the reader: cfn-lint reads
    only the ids, from the resource's Metadata)."""
    del why  # said here, next to the call, rather than in the template
    resource.add_metadata("cfn-lint", {"config": {"ignore_checks": [check]}})


# Stack-level children CDK adds for its own features (log retention, custom-resource
# providers, cross-region references, the web-app upload); none of them is ours.
CDK_HELPERS = (
    "LogRetention",
    "AWS679f53fac",
    "Custom::",
    "CustomS3AutoDelete",
    "CustomCDKBucketDeployment",
)
HELPER_FUNCTION_CHECKS = {
    "CKV_AWS_115": "a CDK helper run by CloudFormation during deploys: no concurrency to cap.",
    "CKV_AWS_116": "a CDK helper: CloudFormation retries or fails the deploy, no DLQ to read.",
    "CKV_AWS_117": "a CDK helper calling AWS APIs only: it needs no VPC.",
    "CKV_AWS_173": "a CDK helper: its environment holds no secrets.",
}


def acknowledge_cdk_helpers(stack: Stack) -> None:
    """Findings on the functions and policies CDK itself adds at stack level."""
    for child in _helpers(stack):
        what = _helper_name(child)
        acknowledge(
            child,
            ("AwsSolutions-IAM5[Resource::*]", f"{what}: CDK scopes this helper's policy itself."),
            (
                "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
                f"{what}: CDK's standard Lambda logging role.",
            ),
            ("AwsSolutions-L1", f"{what}: its runtime is chosen by CDK, updated with aws-cdk-lib."),
        )
    stack.node.add_validation(_SkipCheckovOnHelpers(stack))


@jsii.implements(IValidation)
class _SkipCheckovOnHelpers:
    """CDK makes the cross-region reference helpers while preparing the app, after every
    constructor and aspect has run; validation comes after that and before the templates
    are written, so this is where all the helpers can be marked."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack

    def validate(self) -> list[str]:
        for child in _helpers(self.stack):
            what = _helper_name(child)
            for resource in child.node.find_all():
                if not isinstance(resource, CfnResource):
                    continue
                if resource.cfn_resource_type == "AWS::Lambda::Function":
                    skip_checkov(
                        resource,
                        *((c, f"{what}: {why}") for c, why in HELPER_FUNCTION_CHECKS.items()),
                    )
                elif resource.cfn_resource_type == "AWS::Logs::LogGroup":
                    skip_checkov(resource, (LOG_GROUP_KMS[0], f"{what}: {LOG_GROUP_KMS[1]}"))
                elif resource.cfn_resource_type == "AWS::IAM::Policy":
                    skip_checkov(
                        resource, ("CKV_AWS_111", f"{what}: its grants are CDK's, scoped by CDK.")
                    )
        return []


def _helpers(stack: Stack) -> list[IConstruct]:
    return [c for c in stack.node.children if c.node.id.startswith(CDK_HELPERS)]


def _helper_name(helper: IConstruct) -> str:
    return f"CDK's {helper.node.id.rstrip('0123456789abcdef')}"


def acknowledge_web_upload(deployment: s3deploy.BucketDeployment, static: s3.IBucket) -> None:
    """The upload function's grants, as CDK writes them: read the staged build from the
    CDK assets bucket, replace the objects of the static bucket. Nothing else."""
    stack = Stack.of(deployment)
    account = "<AWS::AccountId>" if Token.is_unresolved(stack.account) else stack.account
    qualifier = DefaultStackSynthesizer.DEFAULT_QUALIFIER
    assets = f"arn:<AWS::Partition>:s3:::cdk-{qualifier}-assets-{account}-{stack.region}/*"
    static_objects = f"<{stack.get_logical_id(static.node.default_child)}.Arn>/*"  # type: ignore[arg-type]
    why = "CDK's BucketDeployment grant: the staged web build and the static bucket only."
    acknowledge(
        deployment.handler_role,
        (f"AwsSolutions-IAM5[Resource::{assets}]", "Reads the staged web build (CDK asset)."),
        (f"AwsSolutions-IAM5[Resource::{static_objects}]", "Replaces the SPA's files."),
        *(
            (f"AwsSolutions-IAM5[Action::s3:{action}]", why)
            for action in ("GetObject*", "GetBucket*", "List*", "DeleteObject*", "Abort*")
        ),
    )


# Findings that recur on several resources, with one reason each.
LOG_GROUP_KMS = (
    "CKV_AWS_158",
    "CloudWatch Logs encrypts at rest with AWS-owned keys; the app logs no secrets "
    "(tests/runtime check it), so a customer key would only add cost and key-policy coupling.",
)
SECRET_CMK = (
    "CKV_AWS_149",
    "Encrypted with the account's aws/secretsmanager key; a customer key matters only "
    "for sharing across accounts, which Practika never does.",
)
