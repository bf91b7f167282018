"""Outgoing email: an SES identity for the environment's domain, a configuration set that
sends bounces and complaints to SNS, an SQS queue subscribed to that topic which the worker
reads (services/mail_events.py), and `ses:SendEmail` from that identity only.

With the domain's zone in Route53 the Easy DKIM records are created there; otherwise
the three DKIM CNAMEs are outputs to add at the DNS provider (docs/operations.md). A new
SES account is in the sandbox: it sends only to verified addresses until production
access is granted (docs/operations.md says how).
"""

from __future__ import annotations

from aws_cdk import Aws, CfnOutput, Duration
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_ses as ses
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct

# What SES reports to the topic: mail that did not arrive, or was marked as spam.
EVENTS = [
    ses.EmailSendingEvent.BOUNCE,
    ses.EmailSendingEvent.COMPLAINT,
    ses.EmailSendingEvent.REJECT,
    ses.EmailSendingEvent.DELIVERY_DELAY,
]


class Email(Construct):
    """The diagram's SES box: what the worker sends account and notification mail with."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        domain: str,
        zone: route53.IHostedZone | None,
        sender_name: str = "Practika",
    ) -> None:
        super().__init__(scope, id)
        self.domain = domain
        self.sender = f"{sender_name} <no-reply@{domain}>"
        # Encrypted with a key SES may use: the AWS-managed SNS key cannot let SES publish.
        key = kms.Key(self, "EventsKey", enable_key_rotation=True, description="SES mail events")
        key.grant_encrypt_decrypt(iam.ServicePrincipal("ses.amazonaws.com"))
        self.events = sns.Topic(
            self,
            "Events",
            display_name="Practika mail bounces and complaints",
            master_key=key,
            enforce_ssl=True,
        )
        # The worker polls this queue: no public endpoint, no SNS signatures to check, and
        # events wait here while no worker runs. Ones it cannot read go to the DLQ.
        key.grant_encrypt_decrypt(iam.ServicePrincipal("sns.amazonaws.com"))
        dead = sqs.Queue(
            self,
            "EventsDeadLetters",
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=key,
            enforce_ssl=True,
            retention_period=Duration.days(14),
        )
        self.events_queue = sqs.Queue(
            self,
            "EventsQueue",
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=key,
            enforce_ssl=True,
            retention_period=Duration.days(14),
            visibility_timeout=Duration.seconds(60),
            dead_letter_queue=sqs.DeadLetterQueue(queue=dead, max_receive_count=5),
        )
        self.events.add_subscription(
            subscriptions.SqsSubscription(self.events_queue, raw_message_delivery=True)
        )
        self.configuration_set = ses.ConfigurationSet(
            self,
            "ConfigurationSet",
            reputation_metrics=True,
            # SES's account-level suppression list stops mail to these addresses.
            suppression_reasons=ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
        )
        self.configuration_set.add_event_destination(
            "BouncesAndComplaints",
            destination=ses.EventDestination.sns_topic(self.events),
            events=EVENTS,
        )
        identity = (
            ses.Identity.public_hosted_zone(zone)
            if zone is not None
            else ses.Identity.domain(domain)
        )
        self.identity = ses.EmailIdentity(
            self,
            "Identity",
            identity=identity,
            configuration_set=self.configuration_set,
            dkim_signing=True,
        )
        if zone is None:
            for n in (1, 2, 3):
                name = getattr(self.identity, f"dkim_dns_token_name{n}")
                value = getattr(self.identity, f"dkim_dns_token_value{n}")
                CfnOutput(self, f"DkimRecord{n}", value=f"{name} CNAME {value}")

    @property
    def identity_arn(self) -> str:
        return f"arn:{Aws.PARTITION}:ses:{Aws.REGION}:{Aws.ACCOUNT_ID}:identity/{self.domain}"

    @property
    def configuration_set_arn(self) -> str:
        name = self.configuration_set.configuration_set_name
        return f"arn:{Aws.PARTITION}:ses:{Aws.REGION}:{Aws.ACCOUNT_ID}:configuration-set/{name}"

    def grant_send(self, role: iam.IRole) -> None:
        """SESv2 SendEmail from this identity with this configuration set, and nothing else."""
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["ses:SendEmail", "ses:SendRawEmail"],
                resources=[self.identity_arn, self.configuration_set_arn],
            )
        )

    def grant_read_events(self, role: iam.IRole) -> None:
        """Receive and delete the bounce and complaint events (and decrypt them)."""
        self.events_queue.grant_consume_messages(role)

    def environment(self, app_url: str) -> dict[str, str]:
        """The settings a task needs to send through SES (config.py's PRACTIKA_* names)."""
        return {
            "PRACTIKA_EMAIL_BACKEND": "ses",
            "PRACTIKA_EMAIL_FROM": self.sender,
            "PRACTIKA_SES_CONFIGURATION_SET": self.configuration_set.configuration_set_name,
            "PRACTIKA_PUBLIC_URL": app_url,
            "PRACTIKA_SES_EVENTS_QUEUE_URL": self.events_queue.queue_url,
        }
