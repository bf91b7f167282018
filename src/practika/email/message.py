"""A rendered message and the RFC 5322 message built from it (stdlib `email`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from practika.email.addresses import one_line


@dataclass(frozen=True)
class Outgoing:
    """What to send: one recipient, a subject, both bodies, and the one-click unsubscribe
    URL for notification mail (None for account mail, which one cannot opt out of)."""

    to: str
    to_name: str
    subject: str
    text: str
    html: str
    unsubscribe_url: str | None = None
    tags: dict[str, str] = field(default_factory=dict)


def build_message(mail: Outgoing, sender: str) -> EmailMessage:
    """multipart/alternative (text first, HTML preferred), with List-Unsubscribe and
    List-Unsubscribe-Post (RFC 8058 one-click) on notification mail."""
    msg = EmailMessage()
    sender_name, sender_addr = parseaddr(sender)
    msg["From"] = Address(one_line(sender_name), addr_spec=sender_addr)
    msg["To"] = Address(one_line(mail.to_name), addr_spec=mail.to)
    msg["Subject"] = one_line(mail.subject, 250)
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=sender_addr.rpartition("@")[2] or None)
    msg["Auto-Submitted"] = "auto-generated"
    if mail.unsubscribe_url:
        msg["List-Unsubscribe"] = f"<{mail.unsubscribe_url}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(mail.text)
    msg.add_alternative(mail.html, subtype="html")
    return msg
