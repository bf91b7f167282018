"""The developer's outbox page: mounted only with the outbox backend outside AWS mode,
answering only loopback clients, listing and showing what the worker wrote."""

from __future__ import annotations

import asyncio
from pathlib import Path

from fastapi.testclient import TestClient

from practika.app import create_app
from practika.email import build_message
from practika.email.backends import OutboxMailer
from tests.conftest import make_settings
from tests.email.test_adapters import SENDER, mail


def _client(tmp_path: Path, host: str, **overrides: object) -> TestClient:
    settings = make_settings(tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}", **overrides)
    return TestClient(create_app(settings), client=(host, 50000))


def test_the_outbox_lists_messages_and_shows_their_text(tmp_path: Path) -> None:
    outbox = OutboxMailer(tmp_path / "outbox")
    asyncio.run(
        outbox.send(
            build_message(mail(subject="Your link", text="go to http://x/verify?token=t\n"), SENDER)
        )
    )
    client = _client(tmp_path, "127.0.0.1")
    (item,) = client.get("/dev/outbox?format=json").json()
    assert item["subject"] == "Your link" and "lea@example.com" in item["to"]
    assert "Your link" in client.get("/dev/outbox").text
    text = client.get(f"/dev/outbox/{item['name']}?part=text").text
    assert text.strip() == "go to http://x/verify?token=t"
    assert client.get("/dev/outbox/..%2Fsecret.key").status_code == 404


def test_the_outbox_answers_loopback_clients_only(tmp_path: Path) -> None:
    assert _client(tmp_path, "203.0.113.9").get("/dev/outbox?format=json").status_code == 404


def test_the_outbox_is_not_mounted_with_another_backend(tmp_path: Path) -> None:
    client = _client(tmp_path, "127.0.0.1", email_backend="smtp")
    assert client.get("/dev/outbox?format=json").status_code == 404
