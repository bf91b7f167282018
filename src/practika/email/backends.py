"""The mail adapter: one method, `send`, and three backends chosen by configuration.

- outbox: each message written as an .eml file under the data dir (embedded default);
  a developer reads them at /dev/outbox, and `practika serve` prints the link.
- smtp: any provider, with stdlib smtplib (STARTTLS, implicit TLS or plain) in a thread.
- ses: Amazon SES, SESv2 SendEmail with the raw message, so what SES sends is exactly
  the message built here (headers included).

A recipient the provider refuses for good raises `Undeliverable`: the job gives up on
it at once and the address is marked bounced, instead of retrying mail that cannot arrive.
"""

from __future__ import annotations

import asyncio
import os
import smtplib
import ssl
import uuid
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Protocol

from practika.config import Settings


class Undeliverable(Exception):
    """The provider refused the recipient permanently (a hard bounce at send time)."""


class Mailer(Protocol):
    async def send(self, msg: EmailMessage) -> str:
        """Send one message; returns the provider's id for it."""
        ...


class OutboxMailer:
    """Writes `<time>-<id>.eml` atomically (temp file, then rename) into one folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def send(self, msg: EmailMessage) -> str:
        return await asyncio.to_thread(self._write, msg)

    def _write(self, msg: EmailMessage) -> str:
        from practika.domain.base import utcnow

        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{utcnow():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
        tmp = self.folder / f".{name}.tmp"
        tmp.write_bytes(msg.as_bytes())
        os.replace(tmp, self.folder / name)
        return name


def outbox_messages(folder: Path, limit: int = 100) -> list[Path]:
    """The newest messages in the outbox first."""
    if not folder.is_dir():
        return []
    return sorted(folder.glob("*.eml"), reverse=True)[:limit]


class SmtpMailer:
    def __init__(self, settings: Settings) -> None:
        self.host = settings.smtp_host
        self.port = settings.smtp_port
        self.security = settings.smtp_security
        self.username = settings.smtp_username
        self.password = (
            settings.smtp_password.get_secret_value() if settings.smtp_password else None
        )
        self.timeout = settings.smtp_timeout_seconds

    async def send(self, msg: EmailMessage) -> str:
        return await asyncio.to_thread(self._send, msg)

    def _send(self, msg: EmailMessage) -> str:
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if self.security == "tls":
            smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        with smtp:
            if self.security == "starttls":
                smtp.starttls(context=context)
            if self.username and self.password:
                smtp.login(self.username, self.password)
            try:
                refused = smtp.send_message(msg)
            except smtplib.SMTPRecipientsRefused as exc:
                codes = [code for code, _ in exc.recipients.values()]
                if all(500 <= code < 600 for code in codes):
                    raise Undeliverable(f"recipient refused: {exc.recipients}") from exc
                raise
            if refused:  # one recipient per message, so this is the only one
                raise Undeliverable(f"recipient refused: {refused}")
        return str(msg["Message-ID"])


class SesMailer:
    def __init__(self, client: Any, configuration_set: str | None) -> None:
        self.client = client
        self.configuration_set = configuration_set

    async def send(self, msg: EmailMessage) -> str:
        return await asyncio.to_thread(self._send, msg)

    def _send(self, msg: EmailMessage) -> str:
        from botocore.exceptions import ClientError

        request: dict[str, Any] = {
            "FromEmailAddress": str(msg["From"]),
            "Destination": {"ToAddresses": [str(msg["To"])]},
            "Content": {"Raw": {"Data": msg.as_bytes()}},
        }
        if self.configuration_set:
            request["ConfigurationSetName"] = self.configuration_set
        try:
            answer = self.client.send_email(**request)
        except ClientError as exc:
            # The account-level suppression list or a rejected address: it will not arrive.
            if exc.response.get("Error", {}).get("Code") in ("MessageRejected", "BadRequest"):
                raise Undeliverable(str(exc)) from exc
            raise
        return str(answer["MessageId"])


# Keyed by the settings object (held here so its id is never reused by another).
_MAILERS: dict[int, tuple[Settings, Mailer]] = {}


def build_mailer(settings: Settings) -> Mailer:
    """The configured backend (one per settings object: SES keeps its client)."""
    known = _MAILERS.get(id(settings))
    if known is not None:
        return known[1]
    mailer: Mailer
    if settings.email_backend == "smtp":
        mailer = SmtpMailer(settings)
    elif settings.email_backend == "ses":
        from practika.aws.secrets import boto_client

        mailer = SesMailer(boto_client("sesv2", settings), settings.ses_configuration_set)
    else:
        mailer = OutboxMailer(settings.resolved_outbox_dir)
    _MAILERS[id(settings)] = (settings, mailer)
    return mailer
