"""The Email construct (infra/practika_infra/email.py) on its own, read with
`aws_cdk.assertions`: SES identity with DKIM, bounce/complaint events to SNS, and a task
role that may send from that identity only."""

from __future__ import annotations

import json
from typing import Any

from aws_cdk import App, Environment, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_route53 as route53
from aws_cdk.assertions import Match, Template
from practika_infra.email import Email

ACCOUNT, REGION = "123456789012", "eu-west-1"


def _build(*, managed_zone: bool) -> tuple[Stack, Email, iam.Role]:
    stack = Stack(App(), "Test", env=Environment(account=ACCOUNT, region=REGION))
    zone = (
        route53.HostedZone.from_hosted_zone_attributes(
            stack, "Zone", hosted_zone_id="Z0123456789ABC", zone_name="practika.example.com"
        )
        if managed_zone
        else None
    )
    mail = Email(stack, "Email", domain="practika.example.com", zone=zone)
    role = iam.Role(stack, "Worker", assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"))
    mail.grant_send(role)
    return stack, mail, role


def test_the_identity_is_the_domain_with_dkim_records_in_the_managed_zone() -> None:
    stack, _, _ = _build(managed_zone=True)
    template = Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::SES::EmailIdentity",
        {
            "EmailIdentity": "practika.example.com",
            "DkimAttributes": {"SigningEnabled": True},
            "ConfigurationSetAttributes": {"ConfigurationSetName": Match.any_value()},
        },
    )
    records = template.find_resources("AWS::Route53::RecordSet", {"Properties": {"Type": "CNAME"}})
    assert len(records) == 3  # Easy DKIM's three CNAMEs
    assert not [o for o in template.to_json().get("Outputs", {}) if "Dkim" in o]


def test_without_a_managed_zone_the_dkim_records_are_outputs_to_add_by_hand() -> None:
    stack, _, _ = _build(managed_zone=False)
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::Route53::RecordSet", 0)
    outputs = [o for o in template.to_json()["Outputs"] if "DkimRecord" in o]
    assert len(outputs) == 3


def test_bounces_and_complaints_go_to_an_encrypted_topic() -> None:
    stack, _, _ = _build(managed_zone=True)
    template = Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::SES::ConfigurationSet",
        {"SuppressionOptions": {"SuppressedReasons": ["BOUNCE", "COMPLAINT"]}},
    )
    template.has_resource_properties(
        "AWS::SES::ConfigurationSetEventDestination",
        {
            "EventDestination": {
                "Enabled": True,
                "MatchingEventTypes": Match.array_with(["bounce", "complaint"]),
                "SnsDestination": {"TopicARN": Match.any_value()},
            }
        },
    )
    template.has_resource_properties("AWS::SNS::Topic", {"KmsMasterKeyId": Match.any_value()})
    # SES may publish to it: the key lets the SES service use it.
    key_policy = json.dumps(template.find_resources("AWS::KMS::Key"))
    assert "ses.amazonaws.com" in key_policy


def _statements(template: Template) -> list[dict[str, Any]]:
    policies = template.find_resources("AWS::IAM::Policy")
    return [s for p in policies.values() for s in p["Properties"]["PolicyDocument"]["Statement"]]


def test_the_task_role_may_send_only_from_the_identity() -> None:
    stack, _, _ = _build(managed_zone=True)
    statements = _statements(Template.from_stack(stack))
    ses_statements = [s for s in statements if any("ses:" in a for a in _list(s["Action"]))]
    assert len(ses_statements) == 1
    (statement,) = ses_statements
    assert sorted(_list(statement["Action"])) == ["ses:SendEmail", "ses:SendRawEmail"]
    resources = json.dumps(statement["Resource"])
    assert "identity/practika.example.com" in resources
    assert "configuration-set/" in resources
    assert "*" not in resources.replace('"Fn::Join"', "")


def _list(value: Any) -> list[str]:
    return value if isinstance(value, list) else [value]


def test_the_environment_tells_the_app_to_send_through_ses() -> None:
    _, mail, _ = _build(managed_zone=True)
    env = mail.environment("https://app.practika.example.com")
    assert env["PRACTIKA_EMAIL_BACKEND"] == "ses"
    assert env["PRACTIKA_EMAIL_FROM"] == "Practika <no-reply@practika.example.com>"
    assert env["PRACTIKA_PUBLIC_URL"] == "https://app.practika.example.com"
    assert "PRACTIKA_SES_CONFIGURATION_SET" in env


def test_the_events_reach_an_encrypted_queue_the_worker_may_consume() -> None:
    stack, mail, role = _build(managed_zone=True)
    mail.grant_read_events(role)
    template = Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::SNS::Subscription", {"Protocol": "sqs", "RawMessageDelivery": True}
    )
    queues = template.find_resources("AWS::SQS::Queue")
    assert len(queues) == 2  # the queue and its dead-letter queue
    assert all("KmsMasterKeyId" in q["Properties"] for q in queues.values())
    redriven = [q for q in queues.values() if "RedrivePolicy" in q["Properties"]]
    assert len(redriven) == 1 and redriven[0]["Properties"]["RedrivePolicy"]["maxReceiveCount"] == 5
    policy = json.dumps(template.find_resources("AWS::IAM::Policy"))
    assert "sqs:ReceiveMessage" in policy and "sqs:DeleteMessage" in policy
    assert "sqs:SendMessage" not in policy  # the worker only reads
    # SNS may write into the queue's key.
    assert "sns.amazonaws.com" in json.dumps(template.find_resources("AWS::KMS::Key"))
    assert "PRACTIKA_SES_EVENTS_QUEUE_URL" in mail.environment("https://app.example.com")
