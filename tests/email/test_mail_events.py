"""SES bounce and complaint events, as AWS delivers them (SNS topic → SQS queue, on moto's
server), read by the worker: the addresses stop receiving mail and the admin screen shows
why. Events it cannot read stay in the queue (for the dead-letter queue), nothing is lost."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from practika.config import Settings
from practika.media.tasks import MediaContext
from practika.media.worker import Worker
from practika.services.mail_events import suppressions_in
from practika.storage import StoragePort
from tests.email.mailbox import Mailbox
from tests.support import Api

REGION = "eu-west-1"


def ses_event(kind: str, address: str, **extra: Any) -> dict[str, Any]:
    """An SES event as the configuration set publishes it (docs: event publishing)."""
    mail = {"source": "no-reply@practika.example.com", "destination": [address]}
    if kind == "Bounce":
        body = {
            "bounceType": extra.get("bounce_type", "Permanent"),
            "bounceSubType": "General",
            "bouncedRecipients": [{"emailAddress": address, "diagnosticCode": "550 5.1.1"}],
        }
        return {"eventType": "Bounce", "bounce": body, "mail": mail}
    body = {"complainedRecipients": [{"emailAddress": address}], "complaintFeedbackType": "abuse"}
    return {"eventType": "Complaint", "complaint": body, "mail": mail}


@pytest.fixture
def events_queue(moto_endpoint: str) -> Iterator[tuple[Any, str, Any]]:
    """An SNS topic with an SQS queue subscribed (raw delivery, as infra/ sets it up)."""
    sns = boto3.client("sns", region_name=REGION, endpoint_url=moto_endpoint)
    sqs = boto3.client("sqs", region_name=REGION, endpoint_url=moto_endpoint)
    name = f"events-{uuid.uuid4().hex[:8]}"
    topic = sns.create_topic(Name=name)["TopicArn"]
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    sns.subscribe(
        TopicArn=topic,
        Protocol="sqs",
        Endpoint=arn,
        Attributes={"RawMessageDelivery": "true"},
    )
    yield sns, topic, (sqs, url)
    sqs.delete_queue(QueueUrl=url)
    sns.delete_topic(TopicArn=topic)


def read_events(api: Api, settings: Settings, moto_endpoint: str, url: str) -> int:
    app: Any = api.client.app
    worker_settings = settings.model_copy(
        update={
            "ses_events_queue_url": url,
            "aws_region": REGION,
            "aws_endpoint_url": moto_endpoint,
        }
    )
    worker = Worker(
        MediaContext(worker_settings, app.state.sessions, StoragePort(app.state.storage))
    )
    return int(api.client.portal.call(worker.read_mail_events))  # type: ignore[union-attr]


def waiting(sqs: Any, url: str) -> int:
    attrs = sqs.get_queue_attributes(
        QueueUrl=url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return int(attrs["ApproximateNumberOfMessages"]) + int(
        attrs["ApproximateNumberOfMessagesNotVisible"]
    )


def test_a_bounce_and_a_complaint_stop_mail_and_show_in_the_admin_screen(
    api: Api, mailbox: Mailbox, settings: Settings, moto_endpoint: str, events_queue: Any
) -> None:
    sns, topic, (sqs, url) = events_queue
    admin, lea, max_ = api.signup("Root", admin=True), api.signup("Lea"), api.signup("Max")
    mailbox.deliver()
    sns.publish(TopicArn=topic, Message=json.dumps(ses_event("Bounce", lea.email.upper())))
    sns.publish(TopicArn=topic, Message=json.dumps(ses_event("Complaint", max_.email)))

    assert read_events(api, settings, moto_endpoint, url) == 2

    assert waiting(sqs, url) == 0  # handled events are deleted
    users = {u["id"]: u for u in api.get("/api/v1/admin/users", admin).json()["items"]}
    assert users[lea.id]["email_bounced_at"] is not None
    assert users[max_.id]["email_complained_at"] is not None
    assert api.get("/api/v1/account", max_).json()["email_complained"] is True
    # Neither gets mail any more: a reset request queues a job that sends nothing.
    for person in (lea, max_):
        r = api.post("/api/v1/auth/password-forgot", json={"email": person.email})
        assert r.status_code == 202
    assert mailbox.deliver() == []
    health = api.get("/api/v1/admin/health", admin).json()
    assert health["mail"]["bounced_addresses"] >= 1


def test_an_invitee_without_an_account_who_bounced_gets_no_more_invites(
    api: Api, mailbox: Mailbox, settings: Settings, moto_endpoint: str, events_queue: Any
) -> None:
    sns, topic, (_, url) = events_queue
    coach = api.signup("Ana")
    mailbox.deliver()
    sns.publish(TopicArn=topic, Message=json.dumps(ses_event("Bounce", "gone@example.com")))
    read_events(api, settings, moto_endpoint, url)

    r = api.post("/api/v1/invites/email", coach, json={"emails": ["gone@example.com"]})
    assert r.status_code == 201, r.text
    assert mailbox.deliver() == []


def test_a_transient_bounce_keeps_the_address_and_a_garbled_event_stays_queued(
    api: Api, settings: Settings, moto_endpoint: str, events_queue: Any
) -> None:
    sns, topic, (sqs, url) = events_queue
    admin, lea = api.signup("Root", admin=True), api.signup("Lea")
    sns.publish(
        TopicArn=topic,
        Message=json.dumps(ses_event("Bounce", lea.email, bounce_type="Transient")),
    )
    sns.publish(TopicArn=topic, Message="{not json")

    assert read_events(api, settings, moto_endpoint, url) == 1

    users = {u["id"]: u for u in api.get("/api/v1/admin/users", admin).json()["items"]}
    assert users[lea.id]["email_bounced_at"] is None
    assert waiting(sqs, url) == 1  # left for the redrive to the dead-letter queue


def test_the_same_event_twice_changes_nothing_more(
    api: Api, settings: Settings, moto_endpoint: str, events_queue: Any
) -> None:
    sns, topic, (_, url) = events_queue
    admin, lea = api.signup("Root", admin=True), api.signup("Lea")
    event = json.dumps(ses_event("Bounce", lea.email))
    sns.publish(TopicArn=topic, Message=event)
    read_events(api, settings, moto_endpoint, url)
    first = api.get("/api/v1/admin/users", admin).json()["items"]
    sns.publish(TopicArn=topic, Message=event)
    assert read_events(api, settings, moto_endpoint, url) == 1
    assert api.get("/api/v1/admin/users", admin).json()["items"] == first


def test_an_event_wrapped_in_an_sns_envelope_reads_the_same_as_a_raw_one() -> None:
    raw = json.dumps(ses_event("Complaint", "Max <MAX@Example.com>"))
    wrapped = json.dumps({"Type": "Notification", "Message": raw, "TopicArn": "arn:x"})
    assert suppressions_in(raw) == suppressions_in(wrapped)
    assert [s.email for s in suppressions_in(raw)] == ["max@example.com"]
    permanent = '{"eventType": "Bounce", "bounce": {"bounceType": "Permanent"}}'
    for garbled in ("[]", permanent, '{"nothing": 1}', "null"):
        with pytest.raises(ValueError):
            suppressions_in(garbled)
    assert suppressions_in(json.dumps({"eventType": "Delivery", "mail": {}})) == []
