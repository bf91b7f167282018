"""The mail adapter's backends against the real things: files, an SMTP server (aiosmtpd)
in this process, and SES (SESv2 SendEmail) on moto's server; and what a message is."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from practika.config import Settings
from practika.email import Outgoing, build_mailer, build_message
from practika.email.backends import OutboxMailer, SesMailer, SmtpMailer, Undeliverable
from practika.email.render import render
from tests.email.mailbox import SmtpCatcher, free_port, html_of, parse, text_of

SENDER = "Practika <no-reply@practika.test>"


def mail(**changes: object) -> Outgoing:
    values: dict[str, object] = {
        "to": "lea@example.com",
        "to_name": "Lea",
        "subject": "Hello",
        "text": "plain body\n",
        "html": "<p>html body</p>",
    }
    values.update(changes)
    return Outgoing(**values)  # type: ignore[arg-type]


def settings_for(tmp_path: Path, **values: object) -> Settings:
    return Settings(data_dir=tmp_path, session_secret="s" * 40, **values)  # type: ignore[arg-type]


def test_a_message_is_multipart_text_and_html_with_the_product_and_a_footer(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, public_url="https://app.practika.test")
    out = render(
        settings,
        "password_reset",
        to="lea@example.com",
        to_name="Lea",
        name="Lea",
        link="https://app.practika.test/reset?token=abc",
        ttl_hours=24,
    )
    msg = parse(build_message(out, SENDER).as_bytes())
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    for body in (text_of(msg), html_of(msg)):
        assert "Practika" in body and "https://app.practika.test/reset?token=abc" in body
        assert "You get this email because you have a Practika account." in body
    assert msg["List-Unsubscribe"] is None
    assert "<img" not in html_of(msg)


def test_notification_mail_carries_rfc_8058_one_click_headers() -> None:
    url = "https://app.practika.test/api/v1/email/unsubscribe?u=1&k=feedback&s=x"
    msg = build_message(mail(unsubscribe_url=url), SENDER)
    assert msg["List-Unsubscribe"] == f"<{url}>"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_html_is_autoescaped_and_text_is_not_mangled(tmp_path: Path) -> None:
    out = render(
        settings_for(tmp_path),
        "invite",
        to="x@example.com",
        to_name="",
        coach="Ana <script>",
        note='"quotes" & <b>tags</b>',
        link="http://h/join?code=a&b",
        expires="1 May",
    )
    assert "<script>" not in out.html and "&lt;script&gt;" in out.html
    assert "<b>tags</b>" not in out.html
    assert '"quotes" & <b>tags</b>' in out.text


@pytest.mark.parametrize(
    "evil",
    ["Eve\r\nBcc: victim@example.com", "Eve\nBcc: victim@example.com", "Eve\rBcc: v@example.com"],
)
def test_header_injection_through_a_name_or_subject_is_impossible(evil: str) -> None:
    msg = build_message(mail(to_name=evil, subject=f"Feedback from {evil}"), SENDER)
    raw = msg.as_bytes()
    reparsed = parse(raw)
    assert reparsed["Bcc"] is None
    assert len(reparsed.get_all("To") or []) == 1
    assert b"\r\nBcc:" not in raw and b"\nBcc:" not in raw
    assert "Bcc: " in str(reparsed["Subject"])  # kept as text on one line, not as a header


def test_the_outbox_writes_one_eml_per_message(tmp_path: Path) -> None:
    outbox = OutboxMailer(tmp_path / "outbox")
    asyncio.run(outbox.send(build_message(mail(subject="one"), SENDER)))
    asyncio.run(outbox.send(build_message(mail(subject="two"), SENDER)))
    files = sorted((tmp_path / "outbox").glob("*.eml"))
    assert [str(parse(f.read_bytes())["Subject"]) for f in files] == ["one", "two"]
    assert not list((tmp_path / "outbox").glob(".*"))  # no temp files left


def test_the_backend_is_chosen_by_configuration(tmp_path: Path) -> None:
    assert isinstance(build_mailer(settings_for(tmp_path)), OutboxMailer)
    assert isinstance(build_mailer(settings_for(tmp_path, email_backend="smtp")), SmtpMailer)
    ses = settings_for(tmp_path, email_backend="ses", aws_region="eu-west-1")
    assert isinstance(build_mailer(ses), SesMailer)
    with pytest.raises(ValueError, match="needs PRACTIKA_AWS_REGION"):
        settings_for(tmp_path, email_backend="ses")


def smtp_settings(tmp_path: Path, port: int) -> Settings:
    return settings_for(tmp_path, email_backend="smtp", smtp_port=port, smtp_security="none")


def test_smtp_delivers_to_a_real_server(
    tmp_path: Path, smtp_server: tuple[SmtpCatcher, int]
) -> None:
    catcher, port = smtp_server
    catcher.take()
    asyncio.run(SmtpMailer(smtp_settings(tmp_path, port)).send(build_message(mail(), SENDER)))
    ((rcpts, raw),) = catcher.take()
    assert rcpts == ["lea@example.com"]
    assert text_of(parse(raw)).strip() == "plain body"


def test_smtp_reports_a_refused_recipient_as_undeliverable(
    tmp_path: Path, smtp_server: tuple[SmtpCatcher, int]
) -> None:
    catcher, port = smtp_server
    msg = build_message(mail(to="bounce@example.com"), SENDER)
    with pytest.raises(Undeliverable):
        asyncio.run(SmtpMailer(smtp_settings(tmp_path, port)).send(msg))
    assert catcher.take() == []


def test_an_smtp_server_that_is_down_is_an_error_to_retry_not_a_bounce(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        asyncio.run(
            SmtpMailer(smtp_settings(tmp_path, free_port())).send(build_message(mail(), SENDER))
        )


def ses_settings(tmp_path: Path, endpoint: str, **values: object) -> Settings:
    return settings_for(
        tmp_path,
        email_backend="ses",
        aws_region="eu-west-1",
        aws_endpoint_url=endpoint,
        **values,
    )


def test_ses_sends_the_raw_message_with_sesv2(tmp_path: Path, moto_endpoint: str) -> None:
    import boto3
    from moto.backends import get_backend

    client = boto3.client("sesv2", region_name="eu-west-1", endpoint_url=moto_endpoint)
    client.create_email_identity(EmailIdentity="practika.test")
    client.create_configuration_set(ConfigurationSetName="practika-mail")
    settings = ses_settings(tmp_path, moto_endpoint, ses_configuration_set="practika-mail")
    msg = build_message(mail(subject="via SES"), SENDER)
    assert asyncio.run(build_mailer(settings).send(msg))
    sent = get_backend("ses")["123456789012"]["eu-west-1"].sent_messages
    raw = [m for m in sent if "via SES" in (getattr(m, "raw_data", "") or "")]
    assert len(raw) == 1
    assert "lea@example.com" in str(raw[0].destinations)
    assert "List-Unsubscribe" not in raw[0].raw_data  # exactly the message built here


def test_ses_rejecting_the_message_is_undeliverable(tmp_path: Path, moto_endpoint: str) -> None:
    msg = build_message(mail(), "Someone <someone@unverified-domain.test>")
    with pytest.raises(Undeliverable):
        asyncio.run(build_mailer(ses_settings(tmp_path, moto_endpoint)).send(msg))
