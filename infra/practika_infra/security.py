"""The Database & Security group's app secrets and the WAF in front of the ALB.

(IAM roles are made where they are used, in `compute/roles.py`, each scoped to the
buckets, prefixes and secrets its service needs.)
"""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import RemovalPolicy, SecretValue
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_logs as logs
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from practika_infra.config import EnvConfig
from practika_infra.nag import LOG_GROUP_KMS, SECRET_CMK, acknowledge, skip_checkov

# What the CloudFront key secret holds until the first deploy fills it; the app and
# `practika infra deploy` treat any value starting with "UNSET" as "no key yet".
CLOUDFRONT_KEY_PLACEHOLDER = "UNSET: run practika infra deploy"


class AppSecrets(Construct):
    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        self.session = secretsmanager.Secret(
            self,
            "SessionSecret",
            description="Practika: signs CSRF tokens and local media URLs",
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=64, exclude_punctuation=True
            ),
        )
        # The unsubscribe links' key: the worker signs them into mail, the api checks
        # them. Its own secret so the worker needs neither the session secret nor
        # anything else the api signs with.
        self.mail_links = secretsmanager.Secret(
            self,
            "MailLinkSecret",
            description="Practika: signs the one-click unsubscribe links in mail",
            generate_secret_string=secretsmanager.SecretStringGenerator(
                password_length=64, exclude_punctuation=True
            ),
        )
        # The private half of the CloudFront key pair. CloudFormation cannot have it (it
        # never leaves the operator's machine), so the secret starts with a marker the app
        # recognises: it starts with playback signing off instead of failing its health
        # checks, and `practika infra deploy` then puts the PEM in and restarts the tasks.
        # The marker is no secret, so plain text in the template is safe.
        self.cloudfront_key = secretsmanager.Secret(
            self,
            "CloudFrontPrivateKey",
            description="Practika: PEM private key for CloudFront signed URLs",
            secret_string_value=SecretValue.unsafe_plain_text(CLOUDFRONT_KEY_PLACEHOLDER),
        )
        for secret, why in (
            (self.session, "rotating it signs every user out; rotate by hand (runbook)"),
            (self.mail_links, "rotating it voids the links in mail sent; rotate by hand (runbook)"),
            (self.cloudfront_key, "rotated with its public key in the key group (runbook)"),
        ):
            acknowledge(secret, ("AwsSolutions-SMG4", why))
            skip_checkov(secret, SECRET_CMK)

    @property
    def all(self) -> list[secretsmanager.ISecret]:
        return [self.session, self.mail_links, self.cloudfront_key]


def _managed(
    name: str, priority: int, overrides: Sequence[str] = ()
) -> wafv2.CfnWebACL.RuleProperty:
    return wafv2.CfnWebACL.RuleProperty(
        name=name,
        priority=priority,
        override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
        statement=wafv2.CfnWebACL.StatementProperty(
            managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                vendor_name="AWS",
                name=name,
                rule_action_overrides=[
                    wafv2.CfnWebACL.RuleActionOverrideProperty(
                        name=rule, action_to_use=wafv2.CfnWebACL.RuleActionProperty(count={})
                    )
                    for rule in overrides
                ]
                or None,
            )
        ),
        visibility_config=_visibility(name),
    )


def _visibility(name: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=name, sampled_requests_enabled=True
    )


class Waf(Construct):
    """Regional web ACL on the ALB: AWS managed rules plus a per-address rate limit."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        config: EnvConfig,
        alb: elbv2.IApplicationLoadBalancer,
        retention: logs.RetentionDays,
    ) -> None:
        super().__init__(scope, id)
        rate = wafv2.CfnWebACL.RuleProperty(
            name="rate-per-address",
            priority=0,
            action=wafv2.CfnWebACL.RuleActionProperty(block={}),
            statement=wafv2.CfnWebACL.StatementProperty(
                rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                    limit=config.waf_rate_limit_per_5min, aggregate_key_type="IP"
                )
            ),
            visibility_config=_visibility("rate-per-address"),
        )
        self.acl = wafv2.CfnWebACL(
            self,
            "WebAcl",
            scope="REGIONAL",
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            visibility_config=_visibility(f"practika-{config.name}"),
            rules=[
                rate,
                # Comments carry drawings (JSON up to 1 MiB): count, not block, big bodies.
                _managed("AWSManagedRulesCommonRuleSet", 1, ["SizeRestrictions_BODY"]),
                _managed("AWSManagedRulesKnownBadInputsRuleSet", 2),
                _managed("AWSManagedRulesSQLiRuleSet", 3),
                _managed("AWSManagedRulesAmazonIpReputationList", 4),
            ],
        )
        wafv2.CfnWebACLAssociation(
            self, "OnAlb", resource_arn=alb.load_balancer_arn, web_acl_arn=self.acl.attr_arn
        )
        # Every request the ACL judged, to CloudWatch Logs (the name must start with
        # aws-waf-logs-); cookies and the CSRF header are redacted.
        self.logs = logs.LogGroup(
            self,
            "Logs",
            log_group_name=f"aws-waf-logs-practika-{config.name}",
            retention=retention,
            removal_policy=RemovalPolicy.DESTROY,
        )
        skip_checkov(self.logs, LOG_GROUP_KMS)
        wafv2.CfnLoggingConfiguration(
            self,
            "Logging",
            resource_arn=self.acl.attr_arn,
            log_destination_configs=[self.logs.log_group_arn],
            redacted_fields=[
                wafv2.CfnLoggingConfiguration.FieldToMatchProperty(
                    single_header={"Name": "cookie"}
                ),
                wafv2.CfnLoggingConfiguration.FieldToMatchProperty(
                    single_header={"Name": "x-csrf-token"}
                ),
            ],
        )
