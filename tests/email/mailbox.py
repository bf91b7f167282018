"""Where test mail lands: the outbox folder, or a real SMTP server (aiosmtpd) in this process.

`Mailbox.deliver()` runs the worker until no job is due (sending what the app queued)
and returns the messages that arrived meanwhile, parsed.
"""

from __future__ import annotations

import re
import socket
import threading
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from practika.config import Settings
from practika.email.backends import outbox_messages
from practika.media.tasks import MediaContext
from practika.media.worker import Worker
from practika.storage import StoragePort
from tests.support import Api


def parse(raw: bytes) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(raw)  # type: ignore[return-value]


class SmtpCatcher:
    """An aiosmtpd handler keeping what it receives; refuses `bounce*@` recipients (550)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: list[tuple[list[str], bytes]] = []

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address.startswith("bounce"):
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.received.append((list(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 OK"

    def take(self) -> list[tuple[list[str], bytes]]:
        with self.lock:
            got, self.received = self.received, []
        return got


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Mailbox:
    def __init__(self, api: Api, settings: Settings, catcher: SmtpCatcher | None) -> None:
        self.api = api
        self.settings = settings
        self.catcher = catcher
        self._seen: set[Path] = set(outbox_messages(settings.resolved_outbox_dir, 10_000))
        if catcher:
            catcher.take()

    def deliver(self) -> list[EmailMessage]:
        worker = self.worker()
        self.api.client.portal.call(worker.run_until_idle)  # type: ignore[union-attr]
        return self.arrived()

    def worker(self) -> Worker:
        app: Any = self.api.client.app
        return Worker(
            MediaContext(self.settings, app.state.sessions, StoragePort(app.state.storage))
        )

    def arrived(self) -> list[EmailMessage]:
        """The messages that arrived since last asked (sent by whichever worker)."""
        if self.catcher is not None:
            return [parse(raw) for _, raw in self.catcher.take()]
        new = [
            p
            for p in outbox_messages(self.settings.resolved_outbox_dir, 10_000)
            if p not in self._seen
        ]
        self._seen.update(new)
        return [parse(p.read_bytes()) for p in sorted(new)]

    def one_to(self, address: str) -> EmailMessage:
        got = [m for m in self.deliver() if address in str(m["To"])]
        assert len(got) == 1, [str(m["Subject"]) for m in got]
        return got[0]


def text_of(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


def html_of(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


def link_in(msg: EmailMessage, path: str) -> str:
    """The (first) link to `path` (such as "/reset") in the text part."""
    found = re.search(rf"https?://\S+{re.escape(path)}\?\S+", text_of(msg))
    assert found, text_of(msg)
    return found.group(0)


def token_of(link: str) -> str:
    from urllib.parse import parse_qs, urlsplit

    query = parse_qs(urlsplit(link).query)
    return (query.get("token") or query["code"])[0]
